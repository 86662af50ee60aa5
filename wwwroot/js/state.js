// @ts-check
/**
 * The till's one state object (what the page shows and what it is doing), its small mutators and the questions the
 * views and the sync runner ask of it. Pure: no DOM. The views read and write `state`; app.js wires who re-renders.
 */
import { createCart, localDateString } from './cart.js';
import { buildIndex, effectiveAvailable, pendingQuantities } from './catalog.js';
import { pendingEntries } from './queue.js';

/** @typedef {import('./cart.js').Product} Product */
/** @typedef {import('./cart.js').Cart} Cart */
/** @typedef {import('./api.js').TillInfo} TillInfo */
/** @typedef {import('./db.js').TillDb} TillDb */
/** @typedef {import('./queue.js').QueueEntry} QueueEntry */
/** @typedef {import('./history.js').SaleRecord} SaleRecord */
/** @typedef {import('./catalog.js').StockChanged} StockChanged */
/** @typedef {'sale' | 'returns' | 'zreport' | 'sync'} View */
/**
 * @typedef {{ returnId: string, saleId: string, sale: SaleRecord | null, quantities: Map<string, number>,
 *   manual: Map<string, { name: string, unitPrice: number, quantity: number }>, refundMethod: 'cash' | 'card', reason: string }} ReturnDraft
 */

export function createState() {
  return {
    /** @type {TillDb} */ db: /** @type {any} */ (null),
    /** @type {string | null} */ token: null,
    /** @type {TillInfo | null} */ me: null,
    /** @type {Product[]} */ products: [],
    index: buildIndex([]),
    /** @type {QueueEntry[]} */ queue: [],
    /** @type {Map<string, number>} */ pending: new Map(),
    /** @type {Cart} */ cart: createCart(),
    /** @type {View} */ view: 'sale',
    search: '',
    /** @type {boolean | null} */ reachable: null,
    authFailed: false,
    isLeader: false,
    started: false,
    /** @type {string | null} */ receiptId: null,
    payMethod: /** @type {'cash' | 'card'} */ ('cash'),
    completing: false,
    returning: false,
    /** @type {ReturnDraft | null} */ returnDraft: null,
    /** @type {string | null} */ returnResultId: null,
    returnSearch: '',
    /** @type {string | null} */ lastSyncAt: null,
    /** @type {string | null} */ lastSyncError: null,
    syncing: false,
    today: localDateString(new Date()),
  };
}

/** @typedef {ReturnType<typeof createState>} TillState */

/** The page's state (one per tab). */
export const state = createState();

/**
 * A new catalog: the products and their look-up index. A product with no price in the outlet's currency is not
 * offered here (api.md: `price` null), neither listed nor found by its barcode.
 * @param {Product[]} products
 * @param {TillState} [s]
 */
export function setCatalog(products, s = state) {
  const offered = products.filter((p) => p.price !== null && p.price !== undefined);
  s.products = offered;
  s.index = buildIndex(offered);
}

/**
 * The queue as read from the store, and the units its unsent sales take off the catalog's figures.
 * @param {QueueEntry[]} queue
 * @param {TillState} [s]
 */
export function setQueue(queue, s = state) {
  s.queue = queue;
  s.pending = pendingQuantities(queue);
}

/**
 * A live stock figure (`StockChanged`) for a product of this till's outlet that the catalog has.
 * @param {StockChanged} m
 * @param {TillState} [s]
 * @returns {boolean} whether the catalog changed (another outlet or an unknown sku: no)
 */
export function applyStockChanged(m, s = state) {
  if (m.outletCode && s.me?.outletCode && m.outletCode !== s.me.outletCode) return false;
  const current = s.index.bySku.get(m.sku);
  if (!current) return false;
  const updated = { ...current, available: m.available };
  setCatalog(s.products.map((p) => (p.sku === m.sku ? updated : p)), s);
  return true;
}

/**
 * @param {string} today 'YYYY-MM-DD', the local date now
 * @param {TillState} [s]
 * @returns {boolean} whether the day changed (expiry warnings are counted from it)
 */
export function setToday(today, s = state) {
  if (today === s.today) return false;
  s.today = today;
  return true;
}

/**
 * What the till shows as available: the server's figure less the unsent sales of this till.
 * @param {Product} product
 * @param {TillState} [s]
 */
export function availableOf(product, s = state) {
  return effectiveAvailable(product, s.pending);
}

/**
 * A sale or a return is under way: no service-worker update now.
 * @param {TillState} s
 * @param {boolean} paymentOpen
 */
export function isBusy(s, paymentOpen) {
  return s.cart.lines.length > 0 || s.completing || paymentOpen || s.returning;
}

/**
 * Whether closing the page asks first: nothing is lost (the queue is on disk), but the sales only reach the server
 * while a till tab is open.
 * @param {TillState} s
 */
export function warnBeforeUnload(s) {
  const unsynced = pendingEntries(s.queue).length > 0;
  return s.completing || (unsynced && s.isLeader);
}

/**
 * Whether the periodic timer should start a sync: the leader, idle, with no retry scheduled, and something to send.
 * @param {TillState} s
 * @param {boolean} retryScheduled
 */
export function wantsPeriodicSync(s, retryScheduled) {
  return Boolean(s.isLeader && !s.syncing && !retryScheduled && pendingEntries(s.queue).length);
}
