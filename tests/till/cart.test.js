// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addProduct, buildSaleRequest, cartTotals, changeDue, clearCart, createCart, daysUntil, isUuid, lineTotal, lineWarnings,
  newUuid, parseAmount, quickCashAmounts, removeLine, roundMoney, setQuantity, toCents, toIsoWithOffset,
} from '../../wwwroot/js/cart.js';

/** @param {Partial<import('../../wwwroot/js/cart.js').Product>} p */
const product = (p) => ({ sku: 'SKU', barcode: null, name: 'Thing', price: 1, available: 10, nextExpiry: null, ...p });
const para = product({ sku: 'PARA-500-16', barcode: '5012345678900', name: 'Paracetamol 500mg x16', price: 3.49, available: 12, nextExpiry: '2027-03-31' });
const ibu = product({ sku: 'IBU-200-24', name: 'Ibuprofen 200mg x24', price: 4.15, available: 1 });

test('money rounds half away from zero to cents', () => {
  assert.equal(toCents(1.005), 101);
  assert.equal(toCents(-1.005), -101);
  assert.equal(toCents(0.1 + 0.2), 30);
  assert.equal(roundMoney(2.675), 2.68);
  assert.equal(roundMoney(1.234), 1.23);
  assert.equal(roundMoney(-0.001), 0);
  assert.throws(() => toCents(Number.NaN));
});

test('a cart has a saleId fixed at creation, kept by every change', () => {
  const cart = createCart();
  assert.ok(isUuid(cart.saleId));
  let c = addProduct(cart, para);
  c = setQuantity(c, para.sku, 3);
  c = clearCart(c);
  assert.equal(c.saleId, cart.saleId);
  assert.notEqual(createCart().saleId, cart.saleId);
  assert.equal(createCart({ saleId: 'fixed' }).saleId, 'fixed');
});

test('newUuid makes v4 UUIDs', () => {
  const ids = new Set(Array.from({ length: 200 }, newUuid));
  assert.equal(ids.size, 200);
  for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('adding the same product again increases its line', () => {
  let c = createCart();
  c = addProduct(c, para);
  c = addProduct(c, ibu, 2);
  c = addProduct(c, para);
  assert.deepEqual(c.lines.map((l) => [l.sku, l.quantity]), [['PARA-500-16', 2], ['IBU-200-24', 2]]);
});

test('cart operations do not mutate the previous cart', () => {
  const a = addProduct(createCart(), para);
  const b = setQuantity(a, para.sku, 5);
  assert.equal(a.lines[0].quantity, 1);
  assert.equal(b.lines[0].quantity, 5);
});

test('quantity 0 or less removes the line; fractions are truncated; garbage is ignored', () => {
  let c = addProduct(addProduct(createCart(), para), ibu);
  c = setQuantity(c, para.sku, 0);
  assert.deepEqual(c.lines.map((l) => l.sku), ['IBU-200-24']);
  c = setQuantity(c, ibu.sku, 2.9);
  assert.equal(c.lines[0].quantity, 2);
  c = setQuantity(c, ibu.sku, Number.NaN);
  assert.equal(c.lines.length, 0);
  assert.equal(addProduct(createCart(), para, 0).lines.length, 0);
  c = removeLine(addProduct(createCart(), para), para.sku);
  assert.equal(c.lines.length, 0);
});

test('totals are exact to the cent', () => {
  let c = createCart();
  c = addProduct(c, product({ sku: 'A', price: 0.1 }), 3);
  c = addProduct(c, product({ sku: 'B', price: 0.2 }), 1);
  c = addProduct(c, product({ sku: 'C', price: 19.99 }), 7);
  const t = cartTotals(c);
  assert.equal(t.totalCents, 30 + 20 + 13993);
  assert.equal(t.total, 140.43);
  assert.equal(t.itemCount, 11);
  assert.equal(t.lineCount, 3);
  assert.equal(lineTotal(c.lines[0]), 0.3);
  assert.deepEqual(cartTotals(createCart()), { lineCount: 0, itemCount: 0, totalCents: 0, total: 0, taxes: [] });
});

test('prices are rounded to 2 decimals when they enter the cart', () => {
  const c = addProduct(createCart(), product({ price: 2.345 }), 3);
  assert.equal(c.lines[0].unitPrice, 2.35);
  assert.equal(cartTotals(c).total, 7.05);
});

test('a 1000-line cart sums without floating drift', () => {
  let c = createCart();
  for (let i = 0; i < 1000; i++) c = addProduct(c, product({ sku: `S${i}`, price: 0.07 }));
  assert.equal(cartTotals(c).total, 70);
});

test('warning when the line exceeds what is available', () => {
  const line = { sku: 'X', name: 'X', barcode: null, unitPrice: 1, quantity: 3 };
  assert.deepEqual(lineWarnings(line, { available: 3, nextExpiry: null }, '2026-01-01'), []);
  assert.deepEqual(lineWarnings(line, { available: 2, nextExpiry: null }, '2026-01-01'), [{ type: 'stock', message: 'Only 2 in stock' }]);
  assert.equal(lineWarnings(line, { available: 0, nextExpiry: null }, '2026-01-01')[0].message, 'None in stock at this outlet');
  assert.equal(lineWarnings(line, null, '2026-01-01')[0].type, 'unknown');
});

test('warning when the next expiry is within 30 days', () => {
  const line = { sku: 'X', name: 'X', barcode: null, unitPrice: 1, quantity: 1 };
  const w = (/** @type {string} */ nextExpiry) => lineWarnings(line, { available: 5, nextExpiry }, '2026-11-24');
  assert.deepEqual(w('2026-12-25'), []); // 31 days
  assert.deepEqual(w('2026-12-24'), [{ type: 'expiry', message: 'Expires in 30 days (2026-12-24)' }]);
  assert.deepEqual(w('2026-11-25'), [{ type: 'expiry', message: 'Expires in 1 day (2026-11-25)' }]);
  assert.deepEqual(w('2026-11-24'), [{ type: 'expiry', message: 'Expires today (2026-11-24)' }]);
  assert.equal(w('2026-11-23')[0].type, 'expired');
  // Nothing in stock: no expiry warning, only the stock one.
  assert.deepEqual(lineWarnings(line, { available: 0, nextExpiry: '2026-11-25' }, '2026-11-24').map((x) => x.type), ['stock']);
});

test('daysUntil counts calendar days across month, year and DST changes', () => {
  assert.equal(daysUntil('2026-03-31', '2026-03-01'), 30);
  assert.equal(daysUntil('2027-01-01', '2026-12-31'), 1);
  assert.equal(daysUntil('2026-10-26', '2026-10-24'), 2);
  assert.equal(daysUntil('2026-10-26T00:00:00Z', new Date(2026, 9, 24, 23, 59)), 2);
});

test('change due and quick cash amounts', () => {
  assert.equal(changeDue(6.98, 10), 3.02);
  assert.equal(changeDue(6.98, 6.98), 0);
  assert.equal(changeDue(6.98, 6.97), null);
  assert.deepEqual(quickCashAmounts(6.98), [6.98, 10, 20, 50]);
  assert.deepEqual(quickCashAmounts(20), [20, 50, 100]);
  assert.equal(parseAmount('12,5'), 12.5);
  assert.equal(parseAmount(' 7 '), 7);
  assert.equal(parseAmount('abc'), null);
  assert.equal(parseAmount('-3'), null);
  assert.equal(parseAmount(''), null);
});

test('the sale request carries the cart saleId, lines and one payment of the total', () => {
  let c = createCart();
  c = addProduct(c, para, 2);
  const req = buildSaleRequest(c, { method: 'cash', occurredAt: new Date('2026-11-24T09:15:00Z') });
  assert.equal(req.saleId, c.saleId);
  assert.deepEqual(req.lines, [{ sku: 'PARA-500-16', quantity: 2, unitPrice: 3.49 }]);
  assert.deepEqual(req.payments, [{ method: 'cash', amount: 6.98 }]);
  assert.match(req.occurredAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
  assert.equal(Date.parse(req.occurredAt), Date.parse('2026-11-24T09:15:00Z'));
  assert.throws(() => buildSaleRequest(createCart(), { method: 'card' }));
});

test('toIsoWithOffset keeps the instant', () => {
  const d = new Date('2026-06-01T23:30:05Z');
  assert.equal(Date.parse(toIsoWithOffset(d)), d.getTime());
});
