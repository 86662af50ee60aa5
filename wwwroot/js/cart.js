// @ts-check
/**
 * The cart: pure functions over plain objects (no DOM, no storage), so node's test runner can check them.
 * Money is computed in integer cents and rounded half away from zero to 2 decimals; tax as money.js says.
 */
import { formatCurrency, receiptTaxes } from './money.js';

/**
 * A catalog product as `GET /api/till/catalog` returns it.
 * `price` is null where the outlet's currency has no price for the product (not offered).
 * `recalledLots`: the product's lots under recall (missing from an older server: none).
 * @typedef {{ sku: string, barcode: string | null, barcodes?: string[], name: string, price: number | null, available: number,
 *   nextExpiry: string | null, taxCategory?: string, taxRate?: number, recalledLots?: string[] }} Product
 */
/**
 * A line of the cart. `lotNumber` and `expiryDate` are the scanned pack's (GS1 AI 10 and 17); a line without them is one the
 * cashier picked or scanned by its plain barcode. Lines of one product with different lots are separate lines.
 * @typedef {{ sku: string, name: string, barcode: string | null, unitPrice: number, quantity: number, taxCategory?: string, taxRate?: number,
 *   lotNumber?: string, expiryDate?: string | null }} CartLine
 */
/** @typedef {{ lotNumber: string, expiryDate: string | null }} PackLot */
/** @typedef {import('./money.js').OutletMoney} OutletMoney */
/** @typedef {{ saleId: string, createdAt: string, lines: CartLine[] }} Cart */
/** @typedef {{ type: 'stock' | 'expiry' | 'expired' | 'unknown' | 'recalled', message: string }} LineWarning */
/** @typedef {{ method: string, amount: number }} Payment */
/** @typedef {{ sku: string, quantity: number, unitPrice: number, lotNumber?: string }} SaleLineRequest */
/** @typedef {{ saleId: string, occurredAt: string, lines: SaleLineRequest[], payments?: Payment[] }} SaleRequest */

export const EXPIRY_WARNING_DAYS = 30;
export const MAX_LINE_QUANTITY = 9999;

/**
 * A random v4 UUID. `crypto.randomUUID` needs a secure context; `getRandomValues` does not.
 * @returns {string}
 */
export function newUuid() {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  c.getRandomValues(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** @param {string} value */
export function isUuid(value) {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(String(value).trim());
}

/**
 * Amount → integer cents, half away from zero (1.005 → 101, -1.005 → -101).
 * @param {number | string} amount
 */
export function toCents(amount) {
  const n = Number(amount);
  if (!Number.isFinite(n)) throw new RangeError(`Not an amount: ${amount}`);
  // toFixed(6) removes binary noise such as 1.005 * 100 = 100.49999999999999.
  const cents = Math.round(Number((Math.abs(n) * 100).toFixed(6)));
  return n < 0 ? -cents : cents;
}

/** @param {number} cents */
export function fromCents(cents) {
  const v = cents / 100;
  return Object.is(v, -0) ? 0 : v;
}

/** @param {number | string} amount */
export function roundMoney(amount) {
  return fromCents(toCents(amount));
}

/** @param {number} amount in the outlet's currency and culture (money.js's setMoneyLocale) */
export function formatMoney(amount) {
  return formatCurrency(roundMoney(amount));
}

/**
 * Parses what a cashier typed as an amount ("12", "12.5", "12,50"); null when it is not one.
 * @param {string} text
 * @returns {number | null}
 */
export function parseAmount(text) {
  const t = String(text ?? '').trim().replace(/\s/g, '').replace(',', '.');
  if (t === '' || !/^\d+(\.\d*)?$|^\.\d+$/.test(t)) return null;
  return roundMoney(Number(t));
}

/**
 * A new, empty cart. Its saleId is fixed now and is the sale's idempotency key.
 * @param {{ saleId?: string, now?: Date }} [options]
 * @returns {Cart}
 */
export function createCart(options = {}) {
  return { saleId: options.saleId ?? newUuid(), createdAt: (options.now ?? new Date()).toISOString(), lines: [] };
}

/**
 * The key of a line within its cart: the sku for a line without a lot (so a sku still names it), sku and lot otherwise.
 * GS (ASCII 29) can be in neither.
 * @param {{ sku: string, lotNumber?: string | null }} line
 */
export function lineKey(line) {
  return line.lotNumber ? `${line.sku}\u001d${line.lotNumber}` : line.sku;
}

/**
 * One more of a product; with `lot`, of that scanned pack's lot (its own line).
 * @param {Cart} cart
 * @param {Product} product
 * @param {number} [quantity]
 * @param {PackLot | null} [lot]
 * @returns {Cart}
 */
export function addProduct(cart, product, quantity = 1, lot = null) {
  const q = normalizeQuantity(quantity);
  if (q < 1) return cart;
  const key = lineKey({ sku: product.sku, lotNumber: lot?.lotNumber });
  const existing = cart.lines.find((l) => lineKey(l) === key);
  if (existing) return setQuantity(cart, key, existing.quantity + q);
  if (product.price === null || product.price === undefined) return cart; // not priced in this outlet's currency: not for sale here
  /** @type {CartLine} */
  const line = {
    sku: product.sku, name: product.name, barcode: product.barcode ?? null, unitPrice: roundMoney(product.price), quantity: Math.min(q, MAX_LINE_QUANTITY),
    taxCategory: product.taxCategory ?? 'standard', taxRate: Number(product.taxRate ?? 0),
  };
  if (lot?.lotNumber) Object.assign(line, { lotNumber: lot.lotNumber, expiryDate: lot.expiryDate ?? null });
  return { ...cart, lines: [...cart.lines, line] };
}

/**
 * Sets a line's quantity; 0 or less removes the line.
 * @param {Cart} cart
 * @param {string} key the line's `lineKey` (its sku when it has no lot)
 * @param {number} quantity
 * @returns {Cart}
 */
export function setQuantity(cart, key, quantity) {
  const q = normalizeQuantity(quantity);
  if (q < 1) return removeLine(cart, key);
  return { ...cart, lines: cart.lines.map((l) => (lineKey(l) === key ? { ...l, quantity: Math.min(q, MAX_LINE_QUANTITY) } : l)) };
}

/**
 * @param {Cart} cart
 * @param {string} key the line's `lineKey`
 * @returns {Cart}
 */
export function removeLine(cart, key) {
  return { ...cart, lines: cart.lines.filter((l) => lineKey(l) !== key) };
}

/**
 * Empties the cart. The saleId stays: nothing was sold under it yet.
 * @param {Cart} cart
 * @returns {Cart}
 */
export function clearCart(cart) {
  return { ...cart, lines: [] };
}

/** @param {number} quantity */
function normalizeQuantity(quantity) {
  const n = Math.trunc(Number(quantity));
  return Number.isFinite(n) ? n : 0;
}

/** @param {CartLine} line */
export function lineTotalCents(line) {
  return toCents(line.unitPrice) * line.quantity;
}

/** @param {CartLine} line */
export function lineTotal(line) {
  return fromCents(lineTotalCents(line));
}

/**
 * What the cart comes to: the lines' prices, with the tax on top where the outlet's prices exclude it, and the tax rows.
 * @param {Cart} cart
 * @param {OutletMoney | null} [money] the outlet's tax regime and currency (GET /api/till/me); tax-inclusive when unknown
 * @returns {{ lineCount: number, itemCount: number, totalCents: number, total: number, taxes: import('./money.js').TaxRow[] }}
 */
export function cartTotals(cart, money = null) {
  let itemCount = 0;
  for (const line of cart.lines) itemCount += line.quantity;
  const { totalCents, taxes } = receiptTaxes(cart.lines.map((l) => ({ amountCents: lineTotalCents(l), taxCategory: l.taxCategory, taxRate: l.taxRate })), money);
  return { lineCount: cart.lines.length, itemCount, totalCents, total: fromCents(totalCents), taxes };
}

/**
 * 'YYYY-MM-DD' of a date in the local time zone (the till's, i.e. the outlet's).
 * @param {Date} date
 */
export function localDateString(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * ISO-8601 with the local offset: 2026-11-24T10:15:00+01:00.
 * @param {Date} date
 */
export function toIsoWithOffset(date) {
  const off = -date.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  return `${localDateString(date)}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** @param {number} n */
function pad(n) {
  return String(n).padStart(2, '0');
}

/**
 * Whole days from `today` to the date `isoDate` ('YYYY-MM-DD', or a longer ISO string whose date part is used).
 * @param {string} isoDate
 * @param {Date | string} today a Date (its local date is used) or 'YYYY-MM-DD'
 */
export function daysUntil(isoDate, today) {
  const t = typeof today === 'string' ? today : localDateString(today);
  return (dayNumber(isoDate.slice(0, 10)) - dayNumber(t.slice(0, 10)));
}

/** @param {string} ymd */
function dayNumber(ymd) {
  const [y, m, d] = ymd.split('-').map(Number);
  return Math.round(Date.UTC(y, m - 1, d) / 86400000);
}

/**
 * Warnings for one line against the live product: more than is available, or the earliest batch
 * expires within 30 days (or has expired since the catalog was fetched).
 * @param {CartLine} line
 * @param {Pick<Product, 'available' | 'nextExpiry'> | undefined | null} product live values (available may already net out unsynced sales)
 * @param {Date | string} today
 * @returns {LineWarning[]}
 */
export function lineWarnings(line, product, today) {
  /** @type {LineWarning[]} */
  const warnings = [];
  if (!product) {
    warnings.push({ type: 'unknown', message: 'Not in the catalog any more' });
    return warnings;
  }
  const available = Math.max(0, Math.trunc(product.available ?? 0));
  if (line.quantity > available) {
    warnings.push({
      type: 'stock',
      message: available === 0 ? 'None in stock at this outlet' : `Only ${available} in stock`,
    });
  }
  if (product.nextExpiry && available > 0) {
    const days = daysUntil(product.nextExpiry, today);
    const date = product.nextExpiry.slice(0, 10);
    if (days < 0) warnings.push({ type: 'expired', message: `Batch expired on ${date}: check the pack` });
    else if (days === 0) warnings.push({ type: 'expiry', message: `Expires today (${date})` });
    else if (days <= EXPIRY_WARNING_DAYS) warnings.push({ type: 'expiry', message: `Expires in ${days} day${days === 1 ? '' : 's'} (${date})` });
  }
  return warnings;
}

/**
 * Change due for cash; null when the tendered amount does not cover the total.
 * @param {number} total
 * @param {number} tendered
 */
export function changeDue(total, tendered) {
  const c = toCents(tendered) - toCents(total);
  return c < 0 ? null : fromCents(c);
}

/**
 * Suggested notes for a cash payment: the exact amount, then round amounts above it.
 * @param {number} total
 * @returns {number[]}
 */
export function quickCashAmounts(total) {
  const cents = toCents(total);
  /** @type {number[]} */
  const out = [cents];
  for (const step of [500, 1000, 2000, 5000, 10000]) {
    const next = Math.ceil(cents / step) * step;
    if (next > cents && !out.includes(next)) out.push(next);
    if (out.length >= 4) break;
  }
  return out.map(fromCents);
}

/**
 * The request for `POST /api/till/sales` (and the sync route) from a cart.
 * @param {Cart} cart
 * @param {{ method: 'cash' | 'card' | string, occurredAt?: Date }} payment
 * @param {OutletMoney | null} [money] the payment covers the total with tax where prices exclude it
 * @returns {SaleRequest}
 */
export function buildSaleRequest(cart, payment, money = null) {
  if (cart.lines.length === 0) throw new Error('The cart is empty');
  const { total } = cartTotals(cart, money);
  return {
    saleId: cart.saleId,
    occurredAt: toIsoWithOffset(payment.occurredAt ?? new Date()),
    // The scanned lot goes with its line: the server takes that line from the lot first.
    lines: cart.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPrice: roundMoney(l.unitPrice), ...(l.lotNumber ? { lotNumber: l.lotNumber } : {}) })),
    payments: [{ method: payment.method, amount: total }],
  };
}
