// @ts-check
/** Static checks of the installable shell: manifest, icons, service worker precache list, test ids, @ts-check. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { crc32 } from './tools/make-icons.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const www = join(repo, 'wwwroot');
const read = (/** @type {string} */ p) => readFileSync(join(www, p), 'utf8');
/** @param {string} dir @returns {string[]} */
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]));
/** Every module of the till, relative to wwwroot/ with forward slashes (js/app.js, js/views/sale.js, …). */
const modules = () => walk(join(www, 'js')).filter((f) => f.endsWith('.js')).map((f) => relative(www, f).split('\\').join('/')).sort();
/**
 * The modules a module imports statically (`import … from './x.js'`, `export … from`), relative to wwwroot/.
 * @param {string} file relative to wwwroot/
 */
const importsOf = (file) => [...read(file).matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'(\.{1,2}\/[^']+)'/gm)]
  .map((m) => relative(www, join(www, dirname(file), m[1])).split('\\').join('/'));

/**
 * Parses and validates a PNG: signature, chunk CRCs, IHDR, and that IDAT inflates to the right size.
 * @param {Buffer} buf
 */
function parsePng(buf) {
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  let off = 8;
  /** @type {{ type: string, data: Buffer }[]} */
  const chunks = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.subarray(off + 4, off + 8).toString('ascii');
    const data = buf.subarray(off + 8, off + 8 + len);
    const crc = buf.readUInt32BE(off + 8 + len);
    assert.equal(crc, crc32(buf.subarray(off + 4, off + 8 + len)), `CRC of ${type}`);
    chunks.push({ type, data });
    off += 12 + len;
  }
  assert.equal(chunks[0].type, 'IHDR');
  assert.equal(chunks.at(-1)?.type, 'IEND');
  const ihdr = chunks[0].data;
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const colourType = ihdr[9];
  const bytesPerPixel = { 2: 3, 6: 4 }[colourType] ?? 0;
  assert.ok(bytesPerPixel, 'RGB or RGBA');
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  assert.equal(raw.length, height * (width * bytesPerPixel + 1));
  return { width, height };
}

test('manifest: installable at /till/', () => {
  const m = JSON.parse(read('manifest.webmanifest'));
  assert.equal(m.name, 'BackOffice Till');
  assert.equal(m.start_url, '/till/');
  assert.equal(m.scope, '/till/');
  assert.equal(m.display, 'standalone');
  const sizes = new Set(m.icons.filter((/** @type {any} */ i) => i.type === 'image/png').map((/** @type {any} */ i) => i.sizes));
  assert.ok(sizes.has('192x192') && sizes.has('512x512'));
  for (const icon of m.icons) assert.ok(existsSync(join(www, icon.src)), icon.src);
});

test('the PNG icons are valid and of their stated size', () => {
  for (const size of [192, 512]) {
    const { width, height } = parsePng(readFileSync(join(www, 'icons', `icon-${size}.png`)));
    assert.deepEqual([width, height], [size, size]);
  }
});

test('the service worker precaches every shell file and module, under a versioned cache, without skipWaiting on install', () => {
  const sw = read('sw.js');
  assert.match(sw, /const VERSION = 'till-v\d+'/);
  const list = /const PRECACHE = \[([\s\S]*?)\];/.exec(sw);
  assert.ok(list);
  const entries = [...list[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
  for (const e of entries) {
    if (e === './') continue;
    const onDisk = e.startsWith('./lib/signalr/')
      ? join(repo, 'node_modules', '@microsoft', 'signalr', 'dist', 'browser', e.slice('./lib/signalr/'.length))
      : join(www, e);
    assert.ok(existsSync(onDisk), `${e} → ${relative(repo, onDisk)}`);
  }
  for (const f of readdirSync(join(www, 'js'))) if (f.endsWith('.js')) assert.ok(entries.includes(`./js/${f}`), `js/${f} is precached`);
  for (const f of modules()) assert.ok(entries.includes(`./${f}`), `${f} is precached`);
  // What the page loads (app.js and every module it imports, transitively) is all there offline.
  /** @type {Set<string>} */
  const loaded = new Set();
  const visit = (/** @type {string} */ f) => {
    if (loaded.has(f)) return;
    loaded.add(f);
    assert.ok(existsSync(join(www, f)), `${f} exists`);
    assert.ok(entries.includes(`./${f}`), `${f} (imported) is precached`);
    for (const i of importsOf(f)) visit(i);
  };
  visit('js/app.js');
  assert.deepEqual(modules().filter((f) => !loaded.has(f)), [], 'every module is used by the page');
  assert.ok(entries.includes('./lib/signalr/signalr.min.js'));
  assert.ok(entries.includes('./index.html') && entries.includes('./css/till.css'));
  const install = /addEventListener\('install'[\s\S]*?\n\}\);/.exec(sw)?.[0] ?? '';
  assert.doesNotMatch(install.replace(/\/\/.*$/gm, ''), /skipWaiting\(/);
  assert.match(sw, /startsWith\('\/api\/'\)/);
});

test('index.html uses relative asset URLs and loads the SignalR client as a classic script before the app module', () => {
  const html = read('index.html');
  for (const m of html.matchAll(/(?:src|href)="([^"]+)"/g)) assert.ok(!m[1].startsWith('/') && !m[1].includes('://'), m[1]);
  const sig = html.indexOf('src="lib/signalr/signalr.min.js"');
  const app = html.indexOf('type="module" src="js/app.js"');
  assert.ok(sig > 0 && app > sig);
});

test('the UI exposes the data-testids the browser tests drive', () => {
  const html = read('index.html');
  // The UI is split over app.js and its view modules (js/views/).
  const app = modules().map((f) => read(f)).join('\n');
  const stat = ['token-input', 'token-submit', 'token-error', 'setup-screen', 'till-screen', 'search', 'pay', 'pay-cash', 'pay-card',
    'cash-tendered', 'change-due', 'confirm-payment', 'cancel-payment', 'payment-dialog', 'receipt', 'new-sale', 'print-receipt',
    'sync-badge', 'online-status', 'live-status', 'tab-lock-banner', 'z-report', 'z-print', 'z-counted-cash', 'z-opening-float', 'z-date',
    'cart-total', 'cart-lines', 'nav-sale', 'nav-returns', 'nav-z-report', 'nav-sync', 'returns-view', 'return-sale-search', 'return-result',
    'sync-now', 'sync-rejected', 'sync-pending', 'auth-banner', 'toasts',
    'auth-banner-text', 'auth-fix', 'auth-export', 'export-unsent', 'sync-held', 'payment-error', 'return-find',
    'scan-block', 'scan-block-product', 'scan-block-message', 'scan-block-dismiss'];
  for (const id of stat) assert.ok(html.includes(`data-testid="${id}"`), id);
  const dyn = ['product-row', 'cart-line', 'cart-line-qty', 'cart-line-inc', 'cart-line-dec', 'cart-line-remove', 'cart-line-warning',
    'receipt-status', 'receipt-lot', 'receipt-line', 'return-sale-row', 'return-line', 'return-qty', 'return-submit', 'return-status',
    'z-sales-count', 'z-total-cash', 'z-total-card', 'z-returns-count', 'z-expected-cash', 'z-cash-difference', 'rejected-row', 'toast',
    'rejected-retry', 'rejected-discard', 'pending-row', 'pending-error', 'held-row', 'export-download', 'tab-role',
    'cart-line-lot', 'receipt-scanned-lot', 'product-recalled'];
  for (const id of dyn) assert.ok(app.includes(`'${id}'`), id);
});

test('every JavaScript file is type-checked (// @ts-check) and the pure modules import no DOM at load', async () => {
  /** @param {string} dir @returns {string[]} */
  const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]));
  const files = [...walk(www), ...walk(join(repo, 'tests', 'till'))].filter((f) => /\.m?js$/.test(f));
  for (const f of files) assert.match(readFileSync(f, 'utf8'), /^\/\/ @ts-check/, relative(repo, f));
  for (const m of ['cart', 'catalog', 'queue', 'backoff', 'scanner', 'history', 'api', 'hub', 'db', 'export', 'tablock']) await import(`../../wwwroot/js/${m}.js`);
  for (const m of ['state', 'token', 'status', 'checkout', 'return-draft', 'sync-runner']) await import(`../../wwwroot/js/${m}.js`);
  // Nothing but app.js does anything at load: the views and the browser glue only define functions.
  for (const f of modules()) if (f !== 'js/app.js') await import(`../../wwwroot/${f}`);
});

test('the modules import each other without cycles; the DOM stays in the views, app.js and sw-update.js', () => {
  /** @type {Map<string, string[]>} */
  const graph = new Map(modules().map((f) => [f, importsOf(f)]));
  for (const [f, deps] of graph) for (const d of deps) assert.ok(graph.has(d), `${f} imports ${d}, a module of the till`);
  /** @type {Map<string, 'visiting' | 'done'>} */
  const mark = new Map();
  /** @param {string} f @param {string[]} path */
  const visit = (f, path) => {
    if (mark.get(f) === 'done') return;
    assert.notEqual(mark.get(f), 'visiting', `import cycle: ${[...path, f].join(' → ')}`);
    mark.set(f, 'visiting');
    for (const d of graph.get(f) ?? []) visit(d, [...path, f]);
    mark.set(f, 'done');
  };
  for (const f of graph.keys()) visit(f, []);
  const domSide = (/** @type {string} */ f) => f.startsWith('js/views/') || f === 'js/app.js' || f === 'js/sw-update.js' || f === 'js/dom.js';
  for (const [f, deps] of graph) {
    if (domSide(f)) continue;
    for (const d of deps) assert.ok(!domSide(d), `${f} (pure) imports ${d}`);
  }
  // Only app.js wires the views together; a view may use the receipt's builders and the follower guard.
  for (const [f, deps] of graph) {
    if (!f.startsWith('js/views/')) continue;
    for (const d of deps) if (d.startsWith('js/views/')) assert.ok(['js/views/receipt.js', 'js/views/guard.js'].includes(d), `${f} imports ${d}`);
  }
  for (const [f, deps] of graph) assert.ok(!deps.includes('js/app.js'), `${f} imports app.js`);
});
