// @ts-check
/**
 * The return being taken at the till (the returns view's draft): which sale, which items, the refund. Pure.
 * A draft is either of a sale this till has (quantities per line of that sale) or of a sale it does not have
 * (`sale` null: the items are picked by hand from the catalog, and the server checks them against the sale).
 */
import { newUuid } from './cart.js';
import { receiptTaxes } from './money.js';

/** @typedef {import('./state.js').ReturnDraft} ReturnDraft */
/** @typedef {import('./history.js').SaleRecord} SaleRecord */
/** @typedef {import('./history.js').HistoryRecord} HistoryRecord */
/** @typedef {import('./cart.js').Product} Product */
/** @typedef {{ bySku: Map<string, Product> }} CatalogIndex */

/** How far back the list of recent sales goes, and how many it shows. */
export const RECENT_SALE_DAYS = 14;
export const RECENT_SALE_LIMIT = 40;

/**
 * The recent sales the returns view lists: of the last 14 days, whose number contains the search, newest first.
 * @param {HistoryRecord[]} records this till's history
 * @param {string} search what the cashier typed
 * @param {number} [now] ms since the epoch
 * @returns {{ query: string, sales: SaleRecord[] }}
 */
export function recentSales(records, search, now = Date.now()) {
  const q = search.trim().toLowerCase();
  const since = new Date(now - RECENT_SALE_DAYS * 86400000).toISOString();
  const sales = /** @type {SaleRecord[]} */ (records.filter((r) => r.kind === 'sale'))
    .filter((s) => new Date(s.occurredAt).toISOString() >= since && (!q || s.id.toLowerCase().includes(q)))
    .sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt))
    .slice(0, RECENT_SALE_LIMIT);
  return { query: q, sales };
}

/**
 * The sales of this till whose number starts with `query` (lower case, trimmed).
 * @param {HistoryRecord[]} records
 * @param {string} query
 */
export function salesStartingWith(records, query) {
  return /** @type {SaleRecord[]} */ (records.filter((r) => r.kind === 'sale' && r.id.toLowerCase().startsWith(query)));
}

/**
 * A new draft: refunded the way the sale was paid (cash when unknown).
 * @param {SaleRecord | null} sale
 * @param {string | undefined} saleId the sale's number when `sale` is null (this till does not have that sale)
 * @param {string} [returnId]
 * @returns {ReturnDraft}
 */
export function newReturnDraft(sale, saleId, returnId = newUuid()) {
  return {
    returnId,
    saleId: sale ? sale.id : /** @type {string} */ (saleId),
    sale,
    quantities: new Map(),
    manual: new Map(),
    refundMethod: sale?.paymentMethod === 'card' ? 'card' : 'cash',
    reason: '',
  };
}

/**
 * A typed quantity to return: a whole number from 0 to `max`.
 * @param {string} text
 * @param {number} [max]
 */
export function returnQuantity(text, max = Infinity) {
  return Math.max(0, Math.min(max, Math.trunc(Number(text) || 0)));
}

/**
 * One more of a product on a draft of a sale this till does not have.
 * @param {ReturnDraft | null} draft
 * @param {Product} p
 * @returns {boolean} whether the draft changed (a draft of a known sale takes its lines from the sale)
 */
export function addManualLine(draft, p) {
  if (!draft || draft.sale) return false;
  const m = draft.manual.get(p.sku);
  if (m) m.quantity += 1;
  else draft.manual.set(p.sku, { name: p.name, unitPrice: p.price ?? 0, quantity: 1 });
  return true;
}

/**
 * The lines to return (quantity above 0).
 * @param {ReturnDraft | null} draft
 * @returns {{ sku: string, quantity: number }[]}
 */
export function draftLines(draft) {
  if (!draft) return [];
  if (draft.sale) return [...draft.quantities].map(([sku, quantity]) => ({ sku, quantity })).filter((l) => l.quantity > 0);
  return [...draft.manual].map(([sku, m]) => ({ sku, quantity: m.quantity })).filter((l) => l.quantity > 0);
}

/**
 * The name and price a returned sku is refunded at: the sale's, else the one picked by hand, else the catalog's.
 * @param {ReturnDraft | null} draft
 * @param {CatalogIndex} index
 * @param {string} sku
 */
export function returnPriceOf(draft, index, sku) {
  const fromSale = draft?.sale?.lines.find((l) => l.sku === sku);
  const p = index.bySku.get(sku);
  const tax = { taxCategory: p?.taxCategory ?? 'standard', taxRate: Number(p?.taxRate ?? 0) };
  if (fromSale) return { name: fromSale.name, unitPrice: fromSale.unitPrice, taxCategory: fromSale.taxCategory ?? tax.taxCategory, taxRate: fromSale.taxRate ?? tax.taxRate };
  const m = draft?.manual.get(sku);
  if (m) return { name: m.name, unitPrice: m.unitPrice, ...tax };
  return { name: p?.name ?? sku, unitPrice: p?.price ?? 0, ...tax };
}

/**
 * The refund of the draft's lines, counted in cents: with their tax where the outlet's prices exclude it.
 * @param {ReturnDraft | null} draft
 * @param {CatalogIndex} index
 * @param {import('./money.js').OutletMoney | null} [money]
 */
export function draftRefund(draft, index, money = null) {
  const lines = draftLines(draft).map((l) => {
    const price = returnPriceOf(draft, index, l.sku);
    return { amountCents: Math.round(price.unitPrice * 100) * l.quantity, taxCategory: price.taxCategory, taxRate: price.taxRate };
  });
  return receiptTaxes(lines, money).totalCents / 100;
}

/**
 * "Record return" needs a line, no return being saved and the till lock.
 * @param {{ returnDraft: ReturnDraft | null, returning: boolean, isLeader: boolean }} s
 */
export function returnSubmitDisabled(s) {
  return draftLines(s.returnDraft).length === 0 || s.returning || !s.isLeader;
}

/**
 * The rows of a return from a sale this till has: one per product, its lines added up, since a return is per product (a sale
 * lists a product once per scanned lot); `lots` names the lots sold.
 * @template {{ sku: string, quantity: number, sold: number, returned: number, remaining: number, lotNumber?: string }} L
 * @param {L[]} lines what `returnableLines` gives
 * @returns {(L & { lots: string[] })[]}
 */
export function returnRows(lines) {
  /** @type {Map<string, L & { lots: string[] }>} */
  const rows = new Map();
  for (const l of lines) {
    const row = rows.get(l.sku);
    if (!row) rows.set(l.sku, { ...l, lots: l.lotNumber ? [l.lotNumber] : [] });
    else {
      row.quantity += l.quantity;
      row.sold += l.sold;
      row.returned += l.returned;
      row.remaining += l.remaining;
      if (l.lotNumber && !row.lots.includes(l.lotNumber)) row.lots.push(l.lotNumber);
    }
  }
  return [...rows.values()];
}
