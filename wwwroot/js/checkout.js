// @ts-check
/**
 * What the sale screen shows and allows: the catalog's lines of text, stock badges, the cart's buttons, the cash
 * tendered and its change. Pure.
 */
import { changeDue, formatMoney, lineWarnings, parseAmount } from './cart.js';

/** @typedef {import('./cart.js').Product} Product */
/** @typedef {import('./cart.js').Cart} Cart */
/** @typedef {import('./cart.js').LineWarning} LineWarning */

/**
 * The line under the search box.
 * @param {number} count products in the catalog
 * @param {string | null} checkedAt when the catalog was last checked, as shown (null: never)
 */
export function catalogStatusText(count, checkedAt) {
  return `${count} product${count === 1 ? '' : 's'}${checkedAt ? ` · catalog checked ${checkedAt}` : ' · catalog not loaded yet'}`;
}

/** @param {boolean} onLine what the product list says while the catalog is empty */
export function emptyCatalogText(onLine) {
  return onLine ? 'Loading the catalog…' : 'The catalog has not been downloaded yet: connect once to load it.';
}

/**
 * A product row's stock badge.
 * @param {number} available what this till may still sell
 * @returns {{ level: 'out' | 'low' | 'ok', text: string }}
 */
export function stockBadge(available) {
  const level = available === 0 ? 'out' : available <= 5 ? 'low' : 'ok';
  return { level, text: available === 0 ? 'Out of stock' : `${available} in stock` };
}

/**
 * A product row's expiry warning (its earliest batch expires soon or has expired), if any.
 * @param {Product} p
 * @param {number} available
 * @param {string} today 'YYYY-MM-DD'
 * @returns {LineWarning | undefined}
 */
export function productExpiry(p, available, today) {
  const [expiry] = lineWarnings({ sku: p.sku, name: p.name, barcode: p.barcode, unitPrice: p.price ?? 0, quantity: 0 }, { available, nextExpiry: p.nextExpiry }, today)
    .filter((w) => w.type === 'expiry' || w.type === 'expired');
  return expiry;
}

/** @param {number} count units in the cart */
export function itemCountText(count) {
  return `${count} item${count === 1 ? '' : 's'}`;
}

/**
 * The cart's buttons: Pay needs lines, no sale being saved and the till lock; Clear needs lines and the lock.
 * @param {{ cart: Cart, completing: boolean, isLeader: boolean }} s
 */
export function cartControls(s) {
  return {
    payDisabled: s.cart.lines.length === 0 || s.completing || !s.isLeader,
    clearDisabled: s.cart.lines.length === 0 || !s.isLeader,
  };
}

/**
 * The cash received as typed (empty: the exact amount) and the change; `tendered` null when it is not an amount,
 * `change` null when it is not enough (or not an amount).
 * @param {string} text
 * @param {number} total
 * @returns {{ tendered: number | null, change: number | null }}
 */
export function cashTender(text, total) {
  const tendered = text.trim() === '' ? total : parseAmount(text);
  const change = tendered === null ? null : changeDue(total, tendered);
  return { tendered, change };
}

/**
 * Why a cash payment cannot complete, or null.
 * @param {{ tendered: number | null, change: number | null }} tender
 * @param {number} total
 */
export function cashTenderProblem(tender, total) {
  if (tender.tendered !== null && tender.change !== null) return null;
  return tender.tendered === null ? 'Enter the cash received as an amount.' : `Cash received is less than ${formatMoney(total)}.`;
}

/**
 * The change line of the payment dialog.
 * @param {number | null} change
 */
export function changeDisplay(change) {
  return { text: change === null ? '—' : formatMoney(change), value: change === null ? '' : String(change), short: change === null };
}

/**
 * A quick-cash button's label: the first is the exact amount.
 * @param {number} amount
 * @param {number} i its position
 */
export function quickCashLabel(amount, i) {
  return i === 0 ? `Exact ${formatMoney(amount)}` : formatMoney(amount);
}
