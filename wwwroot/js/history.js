// @ts-check
/**
 * The till's local history of sales and returns (kept in IndexedDB beside the queue): record shapes,
 * what can still be returned from a sale, and the Z-report. Pure functions.
 */
import { cartTotals, fromCents, localDateString, toCents, toIsoWithOffset } from './cart.js';
import { receiptTaxes, sumTaxRows } from './money.js';
import { describeProblem } from './queue.js';

/** @typedef {import('./cart.js').SaleRequest} SaleRequest */
/** @typedef {import('./cart.js').Cart} Cart */
/** @typedef {'pending' | 'recorded' | 'rejected'} SyncStatus */
/** @typedef {{ sku: string, name: string, quantity: number, unitPrice: number, taxCategory?: string, taxRate?: number, lotNumber?: string, expiryDate?: string | null }} DisplayLine */
/**
 * @typedef {{ id: string, kind: 'sale', occurredAt: string, localDate: string, request: SaleRequest,
 *   lines: DisplayLine[], total: number, taxes?: import('./money.js').TaxRow[], paymentMethod: string, tendered: number | null, change: number | null,
 *   status: SyncStatus, response: any, error: any, held?: boolean, returnedOnServer?: Record<string, number> }} SaleRecord
 */
/** @typedef {{ returnId: string, saleId: string, occurredAt: string, lines: { sku: string, quantity: number }[], reason: string }} ReturnRequest */
/**
 * @typedef {{ id: string, kind: 'return', occurredAt: string, localDate: string, request: ReturnRequest,
 *   lines: DisplayLine[], value: number, refundMethod: string, status: SyncStatus, response: any, error: any, held?: boolean }} ReturnRecord
 */
/** @typedef {SaleRecord | ReturnRecord} HistoryRecord */

/**
 * @param {Cart} cart
 * @param {SaleRequest} request
 * @param {{ method: string, tendered?: number | null, change?: number | null, now?: Date, money?: import('./money.js').OutletMoney | null }} payment
 * @returns {SaleRecord}
 */
export function makeSaleRecord(cart, request, payment) {
  const now = payment.now ?? new Date();
  // The receipt's total and tax rows as the server will record them (the same rule), so an offline receipt is complete.
  const { totalCents, taxes } = cartTotals(cart, payment.money ?? null);
  return {
    id: request.saleId,
    kind: 'sale',
    occurredAt: request.occurredAt,
    localDate: localDateString(now),
    request,
    lines: cart.lines.map((l) => ({
      sku: l.sku, name: l.name, quantity: l.quantity, unitPrice: l.unitPrice, taxCategory: l.taxCategory, taxRate: l.taxRate,
      ...(l.lotNumber ? { lotNumber: l.lotNumber, expiryDate: l.expiryDate ?? null } : {}),
    })),
    total: fromCents(totalCents),
    taxes,
    paymentMethod: payment.method,
    tendered: payment.tendered ?? null,
    change: payment.change ?? null,
    status: 'pending',
    response: null,
    error: null,
  };
}

/**
 * What is left to return on each line of a sale, after the returns already made from it (rejected ones do not count).
 * @param {SaleRecord} sale
 * @param {HistoryRecord[]} records
 * @returns {(DisplayLine & { sold: number, returned: number, remaining: number })[]}
 */
export function returnableLines(sale, records) {
  /** @type {Map<string, number>} */
  const returned = new Map();
  for (const r of records) {
    if (r.kind !== 'return' || r.request.saleId.toLowerCase() !== sale.id.toLowerCase() || r.status === 'rejected') continue;
    for (const l of r.request.lines) returned.set(l.sku, (returned.get(l.sku) ?? 0) + l.quantity);
  }
  // A sale looked up on the server carries what any till has already returned from it; this till's returns that
  // reached the server are part of that figure, so take the larger of the two rather than their sum.
  for (const [sku, n] of Object.entries(sale.returnedOnServer ?? {})) returned.set(sku, Math.max(returned.get(sku) ?? 0, n));
  // A sale may in principle list a sku twice: hand out the returned units line by line.
  return sale.lines.map((l) => {
    const left = returned.get(l.sku) ?? 0;
    const used = Math.min(left, l.quantity);
    returned.set(l.sku, left - used);
    return { ...l, sold: l.quantity, returned: used, remaining: l.quantity - used };
  });
}

/**
 * @param {{ returnId: string, saleId: string, lines: { sku: string, quantity: number }[], reason?: string, now?: Date }} draft
 * @returns {ReturnRequest}
 */
export function buildReturnRequest(draft) {
  /** @type {Map<string, number>} */
  const bySku = new Map();
  for (const l of draft.lines) {
    const q = Math.trunc(Number(l.quantity));
    if (q > 0) bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + q);
  }
  if (bySku.size === 0) throw new Error('Choose at least one item to return');
  return {
    returnId: draft.returnId,
    saleId: draft.saleId,
    occurredAt: toIsoWithOffset(draft.now ?? new Date()),
    lines: [...bySku].map(([sku, quantity]) => ({ sku, quantity })),
    reason: (draft.reason ?? '').trim() || 'Customer return',
  };
}

/**
 * @param {ReturnRequest} request
 * @param {(sku: string) => { name: string, unitPrice: number, taxCategory?: string, taxRate?: number }} priceOf the price the customer paid
 *   (from the sale) or the catalog's, with its tax rate
 * @param {string} refundMethod
 * @param {Date} [now]
 * @param {import('./money.js').OutletMoney | null} [money] where prices exclude tax, the refund gives the tax back too
 * @returns {ReturnRecord}
 */
export function makeReturnRecord(request, priceOf, refundMethod, now = new Date(), money = null) {
  const lines = request.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, ...priceOf(l.sku) }));
  const { totalCents: valueCents } = receiptTaxes(lines.map((l) => ({ amountCents: toCents(l.unitPrice) * l.quantity, taxCategory: l.taxCategory, taxRate: l.taxRate })), money);
  return {
    id: request.returnId,
    kind: 'return',
    occurredAt: request.occurredAt,
    localDate: localDateString(now),
    request,
    lines,
    value: fromCents(valueCents),
    refundMethod,
    status: 'pending',
    response: null,
    error: null,
  };
}

/**
 * @typedef {{ date: string, salesCount: number, itemsSold: number, salesTotal: number,
 *   byMethod: Record<string, number>, returnsCount: number, returnsTotal: number, refundsByMethod: Record<string, number>,
 *   netTotal: number, openingFloat: number, expectedCash: number, countedCash: number | null, difference: number | null,
 *   pendingCount: number, rejectedCount: number, taxes: import('./money.js').TaxRow[] }} ZReport
 */

/**
 * End-of-day figures for one local date from the till's history. Every sale made at the counter
 * counts (money changed hands), whether or not it has reached the server yet; `pendingCount` says how many have not.
 * @param {HistoryRecord[]} records
 * @param {{ date: string, openingFloat?: number, countedCash?: number | null }} options
 * @returns {ZReport}
 */
export function computeZReport(records, options) {
  const day = records.filter((r) => r.localDate === options.date);
  /** @type {Record<string, number>} */
  const byMethodCents = { cash: 0, card: 0 };
  /** @type {Record<string, number>} */
  const refundCents = { cash: 0, card: 0 };
  let salesCount = 0, itemsSold = 0, salesCents = 0, returnsCount = 0, returnsCents = 0, pendingCount = 0, rejectedCount = 0;
  for (const r of day) {
    if (r.status === 'pending') pendingCount += 1;
    if (r.status === 'rejected') rejectedCount += 1;
    if (r.kind === 'sale') {
      salesCount += 1;
      salesCents += toCents(r.total);
      for (const l of r.request.lines) itemsSold += l.quantity;
      const payments = r.request.payments?.length ? r.request.payments : [{ method: r.paymentMethod, amount: r.total }];
      for (const p of payments) byMethodCents[p.method] = (byMethodCents[p.method] ?? 0) + toCents(p.amount);
    } else {
      returnsCount += 1;
      returnsCents += toCents(r.value);
      refundCents[r.refundMethod] = (refundCents[r.refundMethod] ?? 0) + toCents(r.value);
    }
  }
  const floatCents = toCents(options.openingFloat ?? 0);
  const expectedCents = floatCents + (byMethodCents.cash ?? 0) - (refundCents.cash ?? 0);
  const counted = options.countedCash ?? null;
  return {
    date: options.date,
    salesCount,
    itemsSold,
    salesTotal: fromCents(salesCents),
    byMethod: mapValues(byMethodCents, fromCents),
    returnsCount,
    returnsTotal: fromCents(returnsCents),
    refundsByMethod: mapValues(refundCents, fromCents),
    netTotal: fromCents(salesCents - returnsCents),
    openingFloat: fromCents(floatCents),
    expectedCash: fromCents(expectedCents),
    countedCash: counted === null ? null : fromCents(toCents(counted)),
    difference: counted === null ? null : fromCents(toCents(counted) - expectedCents),
    pendingCount,
    rejectedCount,
    taxes: sumTaxRows(...day.filter((r) => r.kind === 'sale').map((r) => /** @type {SaleRecord} */ (r).taxes ?? [])),
  };
}

/**
 * @param {Record<string, number>} obj
 * @param {(v: number) => number} fn
 */
function mapValues(obj, fn) {
  /** @type {Record<string, number>} */
  const out = {};
  for (const [k, v] of Object.entries(obj)) out[k] = fn(v);
  return out;
}

/**
 * A sale found on the server (made on another till of the outlet, or no longer in this till's history) as a local record,
 * so that the returns screen treats it like one of its own.
 * @param {import('./api.js').ServerSale} sale
 * @returns {SaleRecord}
 */
export function saleRecordFromServer(sale) {
  /** @type {Record<string, number>} */
  const returnedOnServer = {};
  for (const l of sale.lines) returnedOnServer[l.sku] = (returnedOnServer[l.sku] ?? 0) + l.returned;
  const paymentMethod = sale.payments.length > 0 && sale.payments.every((p) => p.method === 'card') ? 'card' : 'cash';
  return {
    id: sale.saleId,
    kind: 'sale',
    occurredAt: sale.occurredAt,
    localDate: localDateString(new Date(sale.occurredAt)),
    request: { saleId: sale.saleId, occurredAt: sale.occurredAt, lines: sale.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPrice: l.unitPrice })), payments: sale.payments },
    lines: sale.lines.map((l) => ({ sku: l.sku, name: l.name, quantity: l.quantity, unitPrice: l.unitPrice, taxCategory: l.taxCategory, taxRate: l.taxRate })),
    total: sale.total,
    taxes: sale.taxes ?? [],
    paymentMethod,
    tendered: null,
    change: null,
    status: 'recorded',
    response: null,
    error: null,
    returnedOnServer,
  };
}

/**
 * The Z report when the server answers: its figures for what it has, plus this till's records it does not have yet
 * (pending or refused), computed locally. Money counts once either way.
 * @param {import('./api.js').ServerDay} server
 * @param {HistoryRecord[]} records
 * @param {{ date: string, openingFloat?: number, countedCash?: number | null }} options
 * @returns {ZReport & { fromServer: true }}
 */
export function combineZReport(server, records, options) {
  const local = computeZReport(records.filter((r) => r.status !== 'recorded'), options);
  /** @param {Record<string, number>} a @param {Record<string, number>} b */
  const add = (a, b) => {
    /** @type {Record<string, number>} */
    const out = {};
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) out[k] = fromCents(toCents(a[k] ?? 0) + toCents(b[k] ?? 0));
    return out;
  };
  const byMethod = add(server.byMethod, local.byMethod);
  const refundsByMethod = add(server.refundsByMethod, local.refundsByMethod);
  const salesCents = toCents(server.salesTotal) + toCents(local.salesTotal);
  const returnsCents = toCents(server.returnsTotal) + toCents(local.returnsTotal);
  const floatCents = toCents(options.openingFloat ?? 0);
  const expectedCents = floatCents + toCents(byMethod.cash ?? 0) - toCents(refundsByMethod.cash ?? 0);
  const counted = options.countedCash ?? null;
  return {
    date: options.date,
    salesCount: server.salesCount + local.salesCount,
    itemsSold: server.itemsSold + local.itemsSold,
    salesTotal: fromCents(salesCents),
    byMethod,
    returnsCount: server.returnsCount + local.returnsCount,
    returnsTotal: fromCents(returnsCents),
    refundsByMethod,
    netTotal: fromCents(salesCents - returnsCents),
    openingFloat: fromCents(floatCents),
    expectedCash: fromCents(expectedCents),
    countedCash: counted === null ? null : fromCents(toCents(counted)),
    difference: counted === null ? null : fromCents(toCents(counted) - expectedCents),
    pendingCount: local.pendingCount,
    rejectedCount: local.rejectedCount,
    taxes: sumTaxRows(server.taxes ?? [], local.taxes),
    fromServer: true,
  };
}

/**
 * How a record's sync state reads on the receipt and the return slip. `held`: the server refused it and keeps it for a
 * manager to settle, so it is not on this till's queue any more; `rejected`: refused as it is and still on this till;
 * a pending record with an error is being retried.
 * @param {HistoryRecord} record
 * @returns {{ status: 'recorded' | 'pending' | 'rejected' | 'held', retrying: boolean, tone: 'ok' | 'pending' | 'bad', text: string }}
 */
export function statusLine(record) {
  if (record.status === 'recorded') return { status: 'recorded', retrying: false, tone: 'ok', text: 'Recorded on the server' };
  if (record.status === 'rejected' && record.held) {
    return { status: 'held', retrying: false, tone: 'bad', text: `Not recorded: held by the server for a manager — ${describeProblem(record.error)}` };
  }
  if (record.status === 'rejected') return { status: 'rejected', retrying: false, tone: 'bad', text: `Refused by the server: ${describeProblem(record.error)}` };
  if (record.error) {
    return { status: 'pending', retrying: true, tone: 'pending', text: `Pending sync: the server could not take it yet (${describeProblem(record.error)}); the till tries again` };
  }
  return {
    status: 'pending', retrying: false, tone: 'pending',
    text: record.kind === 'sale' ? 'Pending sync: saved on this till, lots are printed once the server has it' : 'Pending sync',
  };
}

/**
 * Whether a history record may be dropped: older than the cutoff, settled, and no longer in the queue (a record
 * whose entry is still queued is all the till shows of it, whatever its status says).
 * @param {HistoryRecord} record
 * @param {Set<string>} queuedIds
 * @param {Date} cutoff
 */
export function prunable(record, queuedIds, cutoff) {
  const at = Date.parse(record.occurredAt);
  if (!Number.isFinite(at) || at >= cutoff.getTime()) return false;
  if (record.status === 'pending') return false;
  return !queuedIds.has(String(record.id));
}
