// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addProduct, buildSaleRequest, createCart, lineKey, removeLine, setQuantity } from '../../wwwroot/js/cart.js';
import { buildIndex, pendingQuantities } from '../../wwwroot/js/catalog.js';
import { makeSaleRecord, returnableLines } from '../../wwwroot/js/history.js';
import { cartLineWarnings, isRecalledLot, outletToday, readPack, recalledLotsText } from '../../wwwroot/js/lots.js';
import { makeQueueEntry, outcomeChanges, runSync } from '../../wwwroot/js/queue.js';
import { returnRows } from '../../wwwroot/js/return-draft.js';
import { routeScan } from '../../wwwroot/js/scanner.js';

/** @typedef {import('../../wwwroot/js/cart.js').Product} Product */

const GS = '\u001d';
/** @type {Product} */
const para = { sku: 'PARA-500-16', barcode: '5012345678900', name: 'Paracetamol 500mg', price: 3.49, available: 10, nextExpiry: '2027-01-31', recalledLots: ['L2391'] };
/** @type {Product} */
const ibu = { sku: 'IBU-200', barcode: '4006381333931', name: 'Ibuprofen 200mg', price: 4.15, available: 10, nextExpiry: null };
const index = buildIndex([para, ibu]);
const today = '2026-12-01';
/** A pack as a scanner sends it: GTIN, expiry, lot, GS, serial. @param {string} gtin14 @param {string} yymmdd @param {string} lot */
const scanned = (gtin14, yymmdd, lot) => `01${gtin14}17${yymmdd}10${lot}${GS}21SN${lot}`;

test('a GS1 pack is its product with the lot and the expiry the scan carries; a plain barcode is the product alone', () => {
  assert.deepEqual(readPack(index, scanned('05012345678900', '270331', 'L2400'), today),
    { type: 'pack', product: para, lot: { lotNumber: 'L2400', expiryDate: '2027-03-31' } });
  assert.deepEqual(readPack(index, '(01)04006381333931(17)271100(10)B7', today),
    { type: 'pack', product: ibu, lot: { lotNumber: 'B7', expiryDate: '2027-11-30' } }, 'typed with brackets; day 00 is the month\'s last');
  assert.deepEqual(readPack(index, `]d2${GS}0105012345678900`, today), { type: 'pack', product: para, lot: null }, 'GS1 without a lot');
  assert.deepEqual(readPack(index, '5012345678900', today), { type: 'pack', product: para, lot: null });
  assert.deepEqual(readPack(index, 'ibu-200', today), { type: 'pack', product: ibu, lot: null }, 'a sku');
  assert.deepEqual(readPack(index, scanned('09999999999994', '270331', 'X1'), today), { type: 'none' }, 'a GTIN the catalog does not have');
  assert.deepEqual(readPack(index, '(01)05012345678901(10)L1', today),
    { type: 'unreadable', message: 'GTIN (01) 05012345678901 has a wrong check digit: scan it again, or type the code.' });
});

test('a recalled lot is blocked with what to do, offline from the catalog; other lots of the product are not', () => {
  const blocked = readPack(index, scanned('05012345678900', '270331', 'L2391'), today);
  assert.deepEqual(blocked, {
    type: 'blocked', product: para, reason: 'recalled', lotNumber: 'L2391', expiryDate: '2027-03-31',
    message: 'Recalled lot L2391 — do not sell, put the pack aside for disposal',
  });
  assert.equal(readPack(index, '(01)05012345678900(10)l2391', today).type, 'blocked', 'whatever the case of the label');
  assert.equal(readPack(index, scanned('05012345678900', '270331', 'L2392'), today).type, 'pack');
  assert.equal(readPack(index, '5012345678900', today).type, 'pack', 'a plain barcode names no lot');
  assert.equal(isRecalledLot(ibu, 'L2391'), false, 'a catalog without recalledLots (older server): nothing recalled');
  assert.equal(isRecalledLot(para, ''), false);
  assert.equal(recalledLotsText(para), 'Recalled: lot L2391', 'the product row says so before anyone scans');
  assert.equal(recalledLotsText({ recalledLots: ['A1', 'B2'] }), 'Recalled: lots A1, B2');
  assert.equal(recalledLotsText(ibu), null);
});

test('a pack whose GS1 expiry is before the outlet\'s today is blocked; one expiring today may still be sold', () => {
  const expired = readPack(index, scanned('04006381333931', '261130', 'B7'), today);
  assert.equal(expired.type, 'blocked');
  assert.equal(expired.type === 'blocked' && expired.reason, 'expired');
  assert.equal(expired.type === 'blocked' && expired.message, 'Expired pack (lot B7, expiry 2026-11-30) — do not sell, put the pack aside for disposal');
  assert.equal(readPack(index, scanned('04006381333931', '261201', 'B7'), today).type, 'pack', 'expires today');
  const noLot = readPack(index, '(01)04006381333931(17)261100', today);
  assert.equal(noLot.type === 'blocked' && noLot.message, 'Expired pack (expiry 2026-11-30) — do not sell, put the pack aside for disposal');
  // The recall is the graver reason when both apply.
  const both = readPack(index, scanned('05012345678900', '200101', 'L2391'), today);
  assert.equal(both.type === 'blocked' && both.reason, 'recalled');
});

test('the outlet\'s today in its time zone, across midnight; the device\'s date without a zone', () => {
  const now = new Date('2026-12-01T23:30:00Z');
  assert.equal(outletToday('Europe/Berlin', now), '2026-12-02');
  assert.equal(outletToday('America/New_York', now), '2026-12-01');
  assert.equal(outletToday('Europe/London', new Date('2026-07-01T23:30:00Z')), '2026-07-02', 'summer time');
  const local = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  assert.equal(outletToday(null, now), local);
  assert.equal(outletToday('Not/AZone', now), local);
  // An expiry of the 1st is sellable on the 1st in New York and blocked in Berlin, where it is already the 2nd.
  const pack = scanned('04006381333931', '261201', 'B7');
  assert.equal(readPack(index, pack, outletToday('America/New_York', now)).type, 'pack');
  assert.equal(readPack(index, pack, outletToday('Europe/Berlin', now)).type, 'blocked');
});

test('routeScan: a pack goes to the cart with its lot, a recalled or expired one is blocked wherever the focus is', () => {
  const at = { setupOpen: false, started: true, paymentOpen: false, isLeader: true, view: 'sale', inField: false, manualReturn: false, index, today };
  assert.deepEqual(routeScan(scanned('05012345678900', '270331', 'L2400'), at),
    { type: 'add', product: para, lot: { lotNumber: 'L2400', expiryDate: '2027-03-31' } });
  assert.deepEqual(routeScan('5012345678900', at), { type: 'add', product: para }, 'a plain barcode: as before');
  const recalled = { type: 'blocked', product: para, message: 'Recalled lot L2391 — do not sell, put the pack aside for disposal' };
  assert.deepEqual(routeScan(scanned('05012345678900', '270331', 'L2391'), at), recalled);
  assert.deepEqual(routeScan(scanned('05012345678900', '270331', 'L2391'), { ...at, inField: true }), recalled, 'in the search field too');
  assert.deepEqual(routeScan(scanned('05012345678900', '270331', 'L2391'), { ...at, view: 'zreport' }), recalled, 'from another view');
  assert.equal(routeScan(scanned('04006381333931', '261130', 'B7'), at).type, 'blocked');
  assert.deepEqual(routeScan(scanned('05012345678900', '270331', 'L2391'), { ...at, paymentOpen: true }), { type: 'payment-open' });
  assert.deepEqual(routeScan(scanned('05012345678900', '270331', 'L2391'), { ...at, isLeader: false }), { type: 'follower' });
});

test('the cart: one line per lot of a product, one without a lot for plain scans; the lot goes with its line to the server', () => {
  const a = { lotNumber: 'L2400', expiryDate: '2027-03-31' };
  const b = { lotNumber: 'L2401', expiryDate: '2027-06-30' };
  let cart = createCart();
  cart = addProduct(cart, para, 1, a);
  cart = addProduct(cart, para, 1, b);
  cart = addProduct(cart, para, 1, a);
  cart = addProduct(cart, para, 1);
  cart = addProduct(cart, ibu, 2);
  assert.deepEqual(cart.lines.map((l) => [l.sku, l.lotNumber ?? null, l.expiryDate ?? null, l.quantity]), [
    ['PARA-500-16', 'L2400', '2027-03-31', 2],
    ['PARA-500-16', 'L2401', '2027-06-30', 1],
    ['PARA-500-16', null, null, 1],
    ['IBU-200', null, null, 2],
  ]);
  assert.ok(!('lotNumber' in cart.lines[2]), 'a line without a lot has no lot field');
  assert.equal(lineKey(cart.lines[2]), 'PARA-500-16', 'its key is its sku');
  const changed = setQuantity(cart, lineKey(cart.lines[1]), 5);
  assert.deepEqual(changed.lines.map((l) => l.quantity), [2, 5, 1, 2], 'only that lot\'s line');
  assert.deepEqual(removeLine(changed, 'PARA-500-16').lines.map((l) => [l.sku, l.lotNumber ?? null]),
    [['PARA-500-16', 'L2400'], ['PARA-500-16', 'L2401'], ['IBU-200', null]], 'removing the line without a lot keeps the lots');
  assert.deepEqual(removeLine(cart, lineKey(cart.lines[0])).lines.map((l) => l.quantity), [1, 1, 2]);

  const request = buildSaleRequest(cart, { method: 'cash', occurredAt: new Date('2026-12-01T10:00:00Z') });
  assert.deepEqual(request.lines, [
    { sku: 'PARA-500-16', quantity: 2, unitPrice: 3.49, lotNumber: 'L2400' },
    { sku: 'PARA-500-16', quantity: 1, unitPrice: 3.49, lotNumber: 'L2401' },
    { sku: 'PARA-500-16', quantity: 1, unitPrice: 3.49 },
    { sku: 'IBU-200', quantity: 2, unitPrice: 4.15 },
  ]);
  assert.equal(pendingQuantities([{ kind: 'sale', state: 'pending', payload: request }]).get('PARA-500-16'), 4, 'unsent units count every lot');

  const record = makeSaleRecord(cart, request, { method: 'cash' });
  assert.deepEqual(record.lines.map((l) => [l.lotNumber ?? null, l.expiryDate ?? null]), [['L2400', '2027-03-31'], ['L2401', '2027-06-30'], [null, null], [null, null]],
    'the receipt and the history keep the lot');
  const rows = returnRows(returnableLines(record, [record]));
  assert.deepEqual(rows.map((r) => [r.sku, r.sold, r.remaining, r.lots]), [['PARA-500-16', 4, 4, ['L2400', 'L2401']], ['IBU-200', 2, 2, []]],
    'a return is per product: its lots on one row');
});

test('cart warnings: a lot recalled since it went into the cart, stock over every line of the product, the pack\'s own expiry', () => {
  let cart = createCart();
  cart = addProduct(cart, { ...para, recalledLots: [] }, 3, { lotNumber: 'L2391', expiryDate: '2026-12-20' });
  cart = addProduct(cart, para, 2);
  const [lotLine, plainLine] = cart.lines;
  const warnings = cartLineWarnings(cart, lotLine, para, 4, today);
  assert.deepEqual(warnings.map((w) => w.type), ['recalled', 'stock', 'expiry']);
  assert.equal(warnings[0].message, 'Recalled lot L2391 — do not sell, put the pack aside for disposal: remove it from the sale');
  assert.equal(warnings[1].message, 'Only 2 in stock', 'the other line takes 2 of the 4');
  assert.equal(warnings[2].message, 'Expires in 19 days (2026-12-20)', 'the scanned pack\'s date, not the next batch\'s');
  assert.deepEqual(cartLineWarnings(cart, plainLine, para, 10, today), [], 'the plain line: no recall, 2027-01-31 is far');
  assert.deepEqual(cartLineWarnings(cart, plainLine, null, 0, today).map((w) => w.type), ['unknown']);
});

test('a queued sale keeps its lots through storage, and its replay after a lost answer sends the identical body', async () => {
  let cart = createCart({ saleId: '7b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3' });
  cart = addProduct(cart, para, 1, { lotNumber: 'L2400', expiryDate: '2027-03-31' });
  cart = addProduct(cart, ibu, 1);
  const entry = makeQueueEntry('sale', buildSaleRequest(cart, { method: 'card' }));
  // IndexedDB keeps a structured clone: what comes back is data, not the object enqueued.
  const stored = new Map([[entry.id, structuredClone(entry)]]);
  const store = {
    list: async () => [...stored.values()].map((e) => structuredClone(e)),
    /** @param {import('../../wwwroot/js/queue.js').StoreOutcome} o */
    apply: async (o) => {
      for (const c of outcomeChanges(o)) if (c.queue === null) stored.delete(c.id);
    },
  };
  /** @type {string[]} */
  const bodies = [];
  let calls = 0;
  const api = {
    /** @param {any[]} sales */
    async syncSales(sales) {
      bodies.push(JSON.stringify({ sales }));
      if (++calls === 1) throw new TypeError('Failed to fetch'); // recorded, but the answer is lost
      return { status: 200, body: { results: sales.map((s) => ({ saleId: s.saleId, status: 'duplicate', error: null, sale: { saleId: s.saleId, status: 'recorded', lines: [] } })) } };
    },
    async postReturn() {
      return { status: 500, body: null };
    },
  };
  assert.equal((await runSync({ store, api })).ok, false);
  assert.equal(stored.size, 1, 'still queued');
  assert.equal((await runSync({ store, api })).ok, true);
  assert.equal(stored.size, 0);
  assert.equal(bodies.length, 2);
  assert.equal(bodies[1], bodies[0], 'the replay is byte for byte the first body');
  assert.deepEqual(JSON.parse(bodies[0]).sales[0].lines, [
    { sku: 'PARA-500-16', quantity: 1, unitPrice: 3.49, lotNumber: 'L2400' },
    { sku: 'IBU-200', quantity: 1, unitPrice: 4.15 },
  ]);
});
