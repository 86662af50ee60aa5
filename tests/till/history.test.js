// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addProduct, buildSaleRequest, createCart } from '../../wwwroot/js/cart.js';
import { buildReturnRequest, computeZReport, makeReturnRecord, makeSaleRecord, prunable, returnableLines, statusLine } from '../../wwwroot/js/history.js';

const para = { sku: 'PARA', barcode: null, name: 'Paracetamol', price: 3.49, available: 10, nextExpiry: null };
const ibu = { sku: 'IBU', barcode: null, name: 'Ibuprofen', price: 4.15, available: 10, nextExpiry: null };
const day = new Date(2026, 10, 24, 10, 0);

/** @param {[typeof para, number][]} items @param {'cash' | 'card'} method @param {Date} [now] */
function saleRecord(items, method, now = day) {
  let cart = createCart();
  for (const [p, q] of items) cart = addProduct(cart, p, q);
  const req = buildSaleRequest(cart, { method, occurredAt: now });
  return makeSaleRecord(cart, req, { method, tendered: method === 'cash' ? 20 : null, change: null, now });
}

test('a sale record keeps what the receipt and the Z report need', () => {
  const r = saleRecord([[para, 2], [ibu, 1]], 'cash');
  assert.equal(r.kind, 'sale');
  assert.equal(r.status, 'pending');
  assert.equal(r.total, 11.13);
  assert.equal(r.localDate, '2026-11-24');
  assert.deepEqual(r.lines.map((l) => l.name), ['Paracetamol', 'Ibuprofen']);
  assert.equal(r.id, r.request.saleId);
});

test('what can be returned: sold less earlier returns, rejected returns do not count', () => {
  const s = saleRecord([[para, 3], [ibu, 1]], 'cash');
  const r1 = makeReturnRecord(buildReturnRequest({ returnId: 'r1', saleId: s.id, lines: [{ sku: 'PARA', quantity: 2 }] }), () => ({ name: 'Paracetamol', unitPrice: 3.49 }), 'cash');
  const r2 = { ...makeReturnRecord(buildReturnRequest({ returnId: 'r2', saleId: s.id, lines: [{ sku: 'IBU', quantity: 1 }] }), () => ({ name: 'Ibuprofen', unitPrice: 4.15 }), 'cash'), status: /** @type {const} */ ('rejected') };
  const lines = returnableLines(s, [s, r1, r2]);
  assert.deepEqual(lines.map((l) => [l.sku, l.sold, l.returned, l.remaining]), [['PARA', 3, 2, 1], ['IBU', 1, 0, 1]]);
});

test('a return request merges lines, drops zeros and has a reason', () => {
  const req = buildReturnRequest({ returnId: 'r', saleId: 's', lines: [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 0 }, { sku: 'A', quantity: 2 }], now: day });
  assert.deepEqual(req.lines, [{ sku: 'A', quantity: 3 }]);
  assert.equal(req.reason, 'Customer return');
  assert.equal(Date.parse(req.occurredAt), day.getTime());
  assert.throws(() => buildReturnRequest({ returnId: 'r', saleId: 's', lines: [{ sku: 'A', quantity: 0 }] }));
});

test('Z report: counts, totals by method, returns, expected vs counted cash', () => {
  const s1 = saleRecord([[para, 2]], 'cash'); // 6.98
  const s2 = saleRecord([[ibu, 3]], 'card'); // 12.45
  const s3 = { ...saleRecord([[para, 1], [ibu, 1]], 'cash'), status: /** @type {const} */ ('recorded') }; // 7.64
  const other = saleRecord([[para, 10]], 'cash', new Date(2026, 10, 23, 18, 0));
  const ret = makeReturnRecord(buildReturnRequest({ returnId: 'r', saleId: s1.id, lines: [{ sku: 'PARA', quantity: 1 }], now: day }), () => ({ name: 'Paracetamol', unitPrice: 3.49 }), 'cash', day);
  const z = computeZReport([s1, s2, s3, other, ret], { date: '2026-11-24', openingFloat: 50, countedCash: 60 });
  assert.equal(z.salesCount, 3);
  assert.equal(z.itemsSold, 7);
  assert.equal(z.salesTotal, 27.07);
  assert.deepEqual(z.byMethod, { cash: 14.62, card: 12.45 });
  assert.equal(z.returnsCount, 1);
  assert.equal(z.returnsTotal, 3.49);
  assert.equal(z.netTotal, 23.58);
  assert.equal(z.expectedCash, 61.13); // 50 + 14.62 - 3.49
  assert.equal(z.countedCash, 60);
  assert.equal(z.difference, -1.13);
  assert.equal(z.pendingCount, 3);
});

test('Z report of an empty day, not counted yet', () => {
  const z = computeZReport([], { date: '2026-11-24' });
  assert.equal(z.salesCount, 0);
  assert.equal(z.expectedCash, 0);
  assert.equal(z.difference, null);
  assert.equal(z.countedCash, null);
});

test('sync status as the receipt reads it: recorded, pending, retrying, refused on this till, held by the server', () => {
  const s = saleRecord([[para, 1]], 'cash');
  assert.deepEqual(statusLine({ ...s, status: 'recorded' }), { status: 'recorded', retrying: false, tone: 'ok', text: 'Recorded on the server' });
  assert.equal(statusLine(s).status, 'pending');
  assert.match(statusLine(s).text, /^Pending sync: saved on this till/);
  const retrying = statusLine({ ...s, error: { title: 'Busy' } });
  assert.equal(retrying.status, 'pending');
  assert.equal(retrying.retrying, true);
  assert.match(retrying.text, /could not take it yet \(Busy\); the till tries again/);
  const held = statusLine({ ...s, status: 'rejected', held: true, error: { title: 'Unknown sku', errors: { 'lines[0].sku': ['unknown'] } } });
  assert.equal(held.status, 'held');
  assert.equal(held.tone, 'bad');
  assert.equal(held.text, 'Not recorded: held by the server for a manager — Unknown sku (lines[0].sku: unknown)');
  const refused = statusLine({ ...s, status: 'rejected', held: false, error: { status: 413, title: 'Too large' } });
  assert.equal(refused.status, 'rejected');
  assert.equal(refused.text, 'Refused by the server: Too large');
  const r = makeReturnRecord(buildReturnRequest({ returnId: 'r', saleId: s.id, lines: [{ sku: 'PARA', quantity: 1 }] }), () => ({ name: 'Paracetamol', unitPrice: 3.49 }), 'cash');
  assert.equal(statusLine(r).text, 'Pending sync');
});

test('history pruning never drops a record still in the queue, nor a pending or recent one', () => {
  const cutoff = new Date(2026, 9, 1);
  const old = new Date(2026, 8, 1);
  const recorded = { ...saleRecord([[para, 1]], 'cash', old), status: /** @type {const} */ ('recorded') };
  const rejected = { ...saleRecord([[para, 1]], 'cash', old), status: /** @type {const} */ ('rejected') };
  const held = { ...saleRecord([[para, 1]], 'cash', old), status: /** @type {const} */ ('rejected'), held: true };
  const pending = saleRecord([[para, 1]], 'cash', old);
  const recent = { ...saleRecord([[para, 1]], 'cash', day), status: /** @type {const} */ ('recorded') };
  const queued = new Set([rejected.id]);
  assert.equal(prunable(recorded, queued, cutoff), true);
  assert.equal(prunable(held, queued, cutoff), true, 'the server holds it: the till may forget it');
  assert.equal(prunable(rejected, queued, cutoff), false, 'still queued');
  assert.equal(prunable({ ...recorded }, new Set([recorded.id]), cutoff), false, 'queued whatever its status says');
  assert.equal(prunable(pending, new Set(), cutoff), false);
  assert.equal(prunable(recent, new Set(), cutoff), false);
  assert.equal(prunable({ ...recorded, occurredAt: 'garbage' }, new Set(), cutoff), false);
});
