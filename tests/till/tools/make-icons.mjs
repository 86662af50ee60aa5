// @ts-check
/**
 * Draws the till's icons (run once: `node tests/till/tools/make-icons.mjs`; the PNGs are committed).
 * A green square (full bleed, so it also works as a maskable icon) with a white pharmacy cross and a
 * small receipt. Pure node: zlib for the PNG's IDAT, a hand-written CRC-32.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'wwwroot', 'icons');

const BG = [14, 90, 76];
const BG2 = [22, 122, 102];
const WHITE = [255, 255, 255];
const ACCENT = [255, 196, 61];

/**
 * Colour of the point (x, y) in the unit square [0,1]².
 * @param {number} x @param {number} y
 * @returns {number[]}
 */
function colourAt(x, y) {
  // Cross: two rounded bars centred at (0.5, 0.47).
  const cx = 0.5, cy = 0.46, arm = 0.26, half = 0.085, r = 0.03;
  const inBar = (/** @type {number} */ dx, /** @type {number} */ dy, /** @type {number} */ hw, /** @type {number} */ hh) => {
    const qx = Math.abs(dx) - (hw - r), qy = Math.abs(dy) - (hh - r);
    const ox = Math.max(qx, 0), oy = Math.max(qy, 0);
    return Math.hypot(ox, oy) + Math.min(Math.max(qx, qy), 0) - r <= 0;
  };
  if (inBar(x - cx, y - cy, half, arm) || inBar(x - cx, y - cy, arm, half)) return WHITE;
  // A receipt strip under the cross, with a yellow line.
  if (y > 0.77 && y < 0.8 && x > 0.3 && x < 0.7) return ACCENT;
  if (y > 0.83 && y < 0.85 && x > 0.36 && x < 0.64) return WHITE;
  const t = (x + y) / 2;
  return BG.map((c, i) => Math.round(c + (BG2[i] - c) * (1 - t)));
}

/** @param {number} size */
function render(size) {
  const ss = 4; // supersampling for smooth edges
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let py = 0; py < size; py++) {
    const row = py * (size * 4 + 1);
    raw[row] = 0; // filter: none
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0];
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const c = colourAt((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size);
          acc[0] += c[0]; acc[1] += c[1]; acc[2] += c[2];
        }
      }
      const o = row + 1 + px * 4;
      raw[o] = Math.round(acc[0] / (ss * ss));
      raw[o + 1] = Math.round(acc[1] / (ss * ss));
      raw[o + 2] = Math.round(acc[2] / (ss * ss));
      raw[o + 3] = 255;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** @param {Buffer} buf */
export function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** @param {string} type @param {Buffer} data */
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Writes the icons into wwwroot/icons (only when run as a script: the tests import crc32 from here). */
function main() {
  mkdirSync(out, { recursive: true });
  for (const size of [192, 512]) {
    writeFileSync(join(out, `icon-${size}.png`), render(size));
  }
  writeFileSync(join(out, 'icon.svg'), `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="rgb(${BG2})"/><stop offset="1" stop-color="rgb(${BG})"/></linearGradient></defs>
  <rect width="100" height="100" fill="url(#g)"/>
  <rect x="41.5" y="20" width="17" height="52" rx="3" fill="#fff"/>
  <rect x="24" y="37.5" width="52" height="17" rx="3" fill="#fff"/>
  <rect x="30" y="77" width="40" height="3" fill="rgb(${ACCENT})"/>
  <rect x="36" y="83" width="28" height="2" fill="#fff"/>
</svg>
`);
  console.log(`icons written to ${out}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
