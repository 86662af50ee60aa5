// @ts-check
/** Catalog look-ups: pure functions over the products `GET /api/till/catalog` returns. */
import { parse, toGtin14 } from './gs1.js';

/** @typedef {import('./cart.js').Product} Product */
/** @typedef {{ outletCode: string, sku: string, available: number }} StockChanged */

/** @param {string | null | undefined} s */
export function normalize(s) {
  return String(s ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();
}

/**
 * `byBarcode` holds every barcode of every product (`barcode` and `barcodes`) as written; `byGtin14` every barcode that is
 * a GTIN in its 14-digit form, so a scan matches whichever form the label uses; `bySkuUpper` the skus in upper case, so a
 * typed sku is found in any case. All are maps: a scan is one look-up, never a pass over the catalog.
 * @typedef {{ bySku: Map<string, Product>, byBarcode: Map<string, Product>, byGtin14?: Map<string, Product>, bySkuUpper?: Map<string, Product> }} CatalogIndex
 */

/**
 * @param {Product[]} products
 * @returns {Required<CatalogIndex>}
 */
export function buildIndex(products) {
  const bySku = new Map();
  const byBarcode = new Map();
  const byGtin14 = new Map();
  const bySkuUpper = new Map();
  for (const p of products) {
    bySku.set(p.sku, p);
    if (!bySkuUpper.has(p.sku.toUpperCase())) bySkuUpper.set(p.sku.toUpperCase(), p);
    for (const b of [p.barcode, ...(p.barcodes ?? [])]) {
      if (!b) continue;
      const barcode = String(b).trim();
      if (!byBarcode.has(barcode)) byBarcode.set(barcode, p);
      const gtin14 = toGtin14(barcode);
      if (gtin14 && !byGtin14.has(gtin14)) byGtin14.set(gtin14, p);
    }
  }
  return { bySku, byBarcode, byGtin14, bySkuUpper };
}

/**
 * The product a scanned or typed code names: a barcode as typed, a sku (case-insensitive), then the GTIN of a GS1 scan or
 * of a plain barcode compared as GTIN-14 (so `05012345678900` finds `5012345678900`).
 * @param {CatalogIndex} index
 * @param {string} code
 * @returns {Product | undefined}
 */
export function findByCode(index, code) {
  const c = String(code ?? '').trim();
  if (!c) return undefined;
  const hit = index.byBarcode.get(c) ?? index.bySku.get(c);
  if (hit) return hit;
  const scan = parse(c);
  if (scan.kind === 'plain' && scan.code) {
    const plain = index.byBarcode.get(scan.code);
    if (plain) return plain;
    const upper = scan.code.toUpperCase();
    if (index.bySkuUpper) {
      const bySku = index.bySkuUpper.get(upper);
      if (bySku) return bySku;
    } else for (const p of index.bySku.values()) if (p.sku.toUpperCase() === upper) return p;
  }
  return scan.gtin14 ? index.byGtin14?.get(scan.gtin14) : undefined;
}

/** @type {WeakMap<Product, { codes: string[], gtins: string[] }>} */
const barcodesOf = new WeakMap();

/**
 * A product's barcodes (`barcode` and `barcodes`), normalized, and those that are GTINs as GTIN-14: worked out once per
 * product (the catalog's objects are replaced when it is refetched), not on every key typed.
 * @param {Product} p
 */
function codesOf(p) {
  let held = barcodesOf.get(p);
  if (!held) {
    const codes = [...new Set([p.barcode, ...(p.barcodes ?? [])].filter(Boolean).map((b) => normalize(b)))];
    held = { codes, gtins: codes.map((c) => toGtin14(c)).filter((g) => g !== null) };
    barcodesOf.set(p, held);
  }
  return held;
}

/**
 * Search by name, sku or any barcode. Exact code matches first (a barcode also compared as GTIN-14), then sku/barcode/name
 * prefixes, then the products whose name, sku or barcodes contain every word of the query. An empty query lists all by name.
 * @param {Product[]} products
 * @param {string} query
 * @param {number} [limit]
 * @returns {Product[]}
 */
export function searchCatalog(products, query, limit = 50) {
  const q = normalize(query);
  if (!q) return [...products].sort(byName).slice(0, limit);
  const words = q.split(/\s+/).filter(Boolean);
  const q14 = toGtin14(q);
  /** @type {{ p: Product, rank: number }[]} */
  const hits = [];
  for (const p of products) {
    const sku = normalize(p.sku);
    const { codes, gtins } = codesOf(p);
    const name = normalize(p.name);
    let rank;
    if (sku === q || codes.includes(q) || (q14 !== null && gtins.includes(q14))) rank = 0;
    else if (sku.startsWith(q) || codes.some((c) => c.startsWith(q))) rank = 1;
    else if (name.startsWith(q)) rank = 2;
    else {
      const hay = `${name} ${sku} ${codes.join(' ')}`;
      if (!words.every((w) => hay.includes(w))) continue;
      rank = 3;
    }
    hits.push({ p, rank });
  }
  hits.sort((a, b) => a.rank - b.rank || byName(a.p, b.p));
  return hits.slice(0, limit).map((h) => h.p);
}

/** @param {Product} a @param {Product} b */
function byName(a, b) {
  return a.name.localeCompare(b.name) || a.sku.localeCompare(b.sku);
}

/**
 * A `StockChanged` message (an object, or the three values as separate arguments) → its fields; null if malformed.
 * @param {unknown[]} args
 * @returns {StockChanged | null}
 */
export function parseStockChanged(args) {
  const [a, b, c] = args;
  /** @type {any} */
  const m = a && typeof a === 'object' ? a : { outletCode: a, sku: b, available: c };
  const sku = m.sku ?? m.Sku;
  const available = Number(m.available ?? m.Available);
  if (typeof sku !== 'string' || !Number.isFinite(available)) return null;
  return { outletCode: String(m.outletCode ?? m.OutletCode ?? ''), sku, available };
}

/**
 * Units of each sku in sales this till has made but not yet uploaded: the server's `available` does
 * not count them yet.
 * @param {{ kind: string, state: string, payload: any }[]} queueEntries
 * @returns {Map<string, number>}
 */
export function pendingQuantities(queueEntries) {
  const out = new Map();
  for (const e of queueEntries) {
    if (e.kind !== 'sale' || e.state !== 'pending') continue;
    for (const l of e.payload?.lines ?? []) out.set(l.sku, (out.get(l.sku) ?? 0) + (Number(l.quantity) || 0));
  }
  return out;
}

/**
 * What the till shows as available: the server's figure less unsynced local sales, never below 0.
 * @param {Product} product
 * @param {Map<string, number>} pending
 */
export function effectiveAvailable(product, pending) {
  return Math.max(0, (product.available ?? 0) - (pending.get(product.sku) ?? 0));
}
