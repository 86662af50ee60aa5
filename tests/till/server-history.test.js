// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addProduct, buildSaleRequest, createCart } from '../../wwwroot/js/cart.js';
import { combineZReport, makeSaleRecord, returnableLines, saleRecordFromServer } from '../../wwwroot/js/history.js';

const para = { sku: 'PARA', barcode: null, name: 'Paracetamol', price: 3.49, available: 10, nextExpiry: null };
const day = new Date(2026, 10, 24, 10, 0);

/** @param {number} q @param {'cash' | 'card'} method */
function localSale(q, method) {
  const cart = addProduct(createCart(), para, q);
  const req = buildSaleRequest(cart, { method, occurredAt: day });
  return makeSaleRecord(cart, req, { method, tendered: null, change: null, now: day });
}

const serverSale = {
  saleId: '7b0c7a1e-3a55-4a55-9c1e-0d6a1c1e2f3a',
  occurredAt: '2026-11-24T09:00:00+00:00',
  total: 10.47,
  lines: [{ sku: 'PARA', name: 'Paracetamol', quantity: 3, unitPrice: 3.49, returned: 1 }],
  payments: [{ method: 'card', amount: 10.47 }],
};

test('a sale found on the server becomes a record the returns screen can use, with what is already returned', () => {
  const record = saleRecordFromServer(serverSale);
  assert.equal(record.id, serverSale.saleId);
  assert.equal(record.status, 'recorded');
  assert.equal(record.paymentMethod, 'card');
  const [line] = returnableLines(record, []);
  assert.equal(line.sold, 3);
  assert.equal(line.returned, 1);
  assert.equal(line.remaining, 2);
});

test('this till\'s own returns already on the server are not counted twice', () => {
  const record = saleRecordFromServer(serverSale);
  const localReturn = /** @type {any} */ ({ kind: 'return', status: 'recorded', request: { saleId: serverSale.saleId, lines: [{ sku: 'PARA', quantity: 1 }] } });
  assert.equal(returnableLines(record, [localReturn])[0].remaining, 2);
  const twoLocal = /** @type {any} */ ({ kind: 'return', status: 'pending', request: { saleId: serverSale.saleId, lines: [{ sku: 'PARA', quantity: 2 }] } });
  assert.equal(returnableLines(record, [localReturn, twoLocal])[0].remaining, 0);
});

test('the Z report online adds the till\'s unsent records to the server\'s figures, once', () => {
  const server = { date: '2026-11-24', salesCount: 2, itemsSold: 3, salesTotal: 10.47, byMethod: { cash: 6.98, card: 3.49 },
    returnsCount: 1, returnsTotal: 3.49, refundsByMethod: { cash: 3.49, card: 0 }, netTotal: 6.98 };
  const sent = { ...localSale(1, 'cash'), status: /** @type {const} */ ('recorded') };
  const unsent = localSale(2, 'cash');
  const z = combineZReport(server, [sent, unsent], { date: '2026-11-24', openingFloat: 50, countedCash: 60.47 });
  assert.equal(z.salesCount, 3);
  assert.equal(z.itemsSold, 5);
  assert.equal(z.salesTotal, 17.45);
  assert.equal(z.byMethod.cash, 13.96);
  assert.equal(z.returnsTotal, 3.49);
  assert.equal(z.expectedCash, 60.47);
  assert.equal(z.difference, 0);
  assert.equal(z.pendingCount, 1);
  assert.equal(z.fromServer, true);
});
