// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addProduct, buildSaleRequest, createCart } from '../../wwwroot/js/cart.js';
import { buildIndex } from '../../wwwroot/js/catalog.js';
import { makeSaleRecord } from '../../wwwroot/js/history.js';
import {
  RECENT_SALE_LIMIT, addManualLine, draftLines, draftRefund, newReturnDraft, recentSales, returnPriceOf, returnQuantity, returnSubmitDisabled,
  salesStartingWith,
} from '../../wwwroot/js/return-draft.js';

const para = { sku: 'PARA', barcode: null, name: 'Paracetamol', price: 3.49, available: 10, nextExpiry: null };
const ibu = { sku: 'IBU', barcode: null, name: 'Ibuprofen', price: 4.15, available: 10, nextExpiry: null };
const vitc = { sku: 'VITC', barcode: null, name: 'Vitamin C', price: 0.1, available: 10, nextExpiry: null };
const now = Date.parse('2026-11-24T12:00:00Z');
const index = buildIndex([para, ibu, vitc]);

/** @param {Date} when @param {'cash' | 'card'} [method] @param {string} [saleId] */
function sale(when, method = 'cash', saleId) {
  const cart = addProduct(addProduct(createCart({ saleId }), para, 2), ibu, 1);
  const req = buildSaleRequest(cart, { method, occurredAt: when });
  return makeSaleRecord(cart, req, { method, tendered: null, change: null, now: when });
}

test('recent sales: the last 14 days of this till, newest first, matching the number typed', () => {
  const old = sale(new Date(now - 15 * 86400000));
  const a = sale(new Date(now - 3 * 86400000), 'cash', '0aaaaaaa-0000-4000-8000-000000000001');
  const b = sale(new Date(now - 3600000), 'card', '0bbbbbbb-0000-4000-8000-000000000002');
  const notASale = { ...a, kind: 'return', id: 'r' };
  const records = /** @type {any[]} */ ([old, a, notASale, b]);
  assert.deepEqual(recentSales(records, '', now).sales.map((s) => s.id), [b.id, a.id]);
  assert.deepEqual(recentSales(records, '  0BBB ', now), { query: '0bbb', sales: [b] }, 'trimmed, any case');
  assert.deepEqual(recentSales(records, '4000-8000-000000000001', now).sales, [a], 'any part of the number');
  assert.deepEqual(recentSales(records, 'zz', now), { query: 'zz', sales: [] });
  const many = Array.from({ length: 50 }, (_, i) => sale(new Date(now - i * 60000)));
  assert.equal(recentSales(many, '', now).sales.length, RECENT_SALE_LIMIT);
});

test('a sale number typed or scanned: the sales whose number starts with it', () => {
  const a = sale(new Date(now), 'cash', '0aaaaaaa-0000-4000-8000-000000000001');
  const b = sale(new Date(now), 'cash', '0aaabbbb-0000-4000-8000-000000000002');
  const records = /** @type {any[]} */ ([a, b, { ...a, kind: 'return', id: '0aaaaaaa-r' }]);
  assert.deepEqual(salesStartingWith(records, '0aaa'), [a, b]);
  assert.deepEqual(salesStartingWith(records, '0aaaa'), [a]);
  assert.deepEqual(salesStartingWith(records, '4000'), []);
});

test('a draft is refunded as the sale was paid; a sale this till does not have is refunded in cash', () => {
  const card = sale(new Date(now), 'card');
  const d = newReturnDraft(card, undefined, 'r-1');
  assert.equal(d.returnId, 'r-1');
  assert.equal(d.saleId, card.id);
  assert.equal(d.refundMethod, 'card');
  assert.equal(d.reason, '');
  assert.equal(newReturnDraft(sale(new Date(now)), 'ignored').refundMethod, 'cash');
  const other = newReturnDraft(null, '11111111-2222-4333-8444-555555555555');
  assert.equal(other.saleId, '11111111-2222-4333-8444-555555555555');
  assert.equal(other.sale, null);
  assert.equal(other.refundMethod, 'cash');
  assert.match(other.returnId, /^[0-9a-f-]{36}$/);
});

test('a typed quantity is a whole number from 0 to what may still be returned', () => {
  assert.equal(returnQuantity('2', 3), 2);
  assert.equal(returnQuantity('7', 3), 3);
  assert.equal(returnQuantity('-1', 3), 0);
  assert.equal(returnQuantity('1.9', 3), 1);
  assert.equal(returnQuantity('', 3), 0);
  assert.equal(returnQuantity('abc'), 0);
  assert.equal(returnQuantity('40'), 40, 'no bound for items picked by hand');
});

test('the lines of a draft and its refund', () => {
  const s = sale(new Date(now));
  const d = newReturnDraft(s, undefined);
  assert.deepEqual(draftLines(d), []);
  assert.equal(draftLines(null).length, 0);
  d.quantities.set('PARA', 2);
  d.quantities.set('IBU', 0);
  assert.deepEqual(draftLines(d), [{ sku: 'PARA', quantity: 2 }]);
  assert.equal(draftRefund(d, index), 6.98);
  assert.deepEqual(returnPriceOf(d, index, 'PARA'), { name: 'Paracetamol', unitPrice: 3.49, taxCategory: 'standard', taxRate: 0 });

  const manual = newReturnDraft(null, '11111111-2222-4333-8444-555555555555');
  assert.equal(addManualLine(manual, vitc), true);
  assert.equal(addManualLine(manual, vitc), true);
  assert.equal(addManualLine(manual, para), true);
  assert.deepEqual(draftLines(manual), [{ sku: 'VITC', quantity: 2 }, { sku: 'PARA', quantity: 1 }]);
  assert.equal(draftRefund(manual, index), 3.69, 'counted in cents: 2 × 0.10 + 3.49');
  assert.equal(addManualLine(d, vitc), false, 'a draft of a known sale takes its lines from the sale');
  assert.equal(addManualLine(null, vitc), false);

  assert.deepEqual(returnPriceOf(manual, index, 'IBU'), { name: 'Ibuprofen', unitPrice: 4.15, taxCategory: 'standard', taxRate: 0 }, 'else the catalog');
  assert.deepEqual(returnPriceOf(null, index, 'GONE'), { name: 'GONE', unitPrice: 0, taxCategory: 'standard', taxRate: 0 });
});

test('"Record return" needs a line, no return being saved and the till lock', () => {
  const d = newReturnDraft(sale(new Date(now)), undefined);
  assert.equal(returnSubmitDisabled({ returnDraft: d, returning: false, isLeader: true }), true);
  d.quantities.set('IBU', 1);
  assert.equal(returnSubmitDisabled({ returnDraft: d, returning: false, isLeader: true }), false);
  assert.equal(returnSubmitDisabled({ returnDraft: d, returning: true, isLeader: true }), true);
  assert.equal(returnSubmitDisabled({ returnDraft: d, returning: false, isLeader: false }), true);
  assert.equal(returnSubmitDisabled({ returnDraft: null, returning: false, isLeader: true }), true);
});
