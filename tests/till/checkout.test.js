// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addProduct, createCart } from '../../wwwroot/js/cart.js';
import {
  cartControls, cashTender, cashTenderProblem, catalogStatusText, changeDisplay, emptyCatalogText, itemCountText, productExpiry, quickCashLabel, stockBadge,
} from '../../wwwroot/js/checkout.js';

const para = { sku: 'PARA', barcode: null, name: 'Paracetamol', price: 3.49, available: 10, nextExpiry: null };

test('the catalog status line and the empty list', () => {
  assert.equal(catalogStatusText(0, null), '0 products · catalog not loaded yet');
  assert.equal(catalogStatusText(1, '10:15'), '1 product · catalog checked 10:15');
  assert.equal(catalogStatusText(300, '09:00'), '300 products · catalog checked 09:00');
  assert.equal(emptyCatalogText(true), 'Loading the catalog…');
  assert.equal(emptyCatalogText(false), 'The catalog has not been downloaded yet: connect once to load it.');
});

test('stock badges: out at 0, low up to 5', () => {
  assert.deepEqual(stockBadge(0), { level: 'out', text: 'Out of stock' });
  assert.deepEqual(stockBadge(1), { level: 'low', text: '1 in stock' });
  assert.deepEqual(stockBadge(5), { level: 'low', text: '5 in stock' });
  assert.deepEqual(stockBadge(6), { level: 'ok', text: '6 in stock' });
});

test('a product row warns of an expiry within 30 days, or an expired batch, while there is stock', () => {
  const today = '2026-11-24';
  assert.equal(productExpiry(para, 10, today), undefined, 'no expiry date');
  assert.equal(productExpiry({ ...para, nextExpiry: '2027-06-30' }, 10, today), undefined, 'far away');
  assert.deepEqual(productExpiry({ ...para, nextExpiry: '2026-12-04' }, 10, today), { type: 'expiry', message: 'Expires in 10 days (2026-12-04)' });
  assert.deepEqual(productExpiry({ ...para, nextExpiry: '2026-11-24' }, 10, today), { type: 'expiry', message: 'Expires today (2026-11-24)' });
  assert.deepEqual(productExpiry({ ...para, nextExpiry: '2026-11-20' }, 3, today), { type: 'expired', message: 'Batch expired on 2026-11-20: check the pack' });
  assert.equal(productExpiry({ ...para, nextExpiry: '2026-11-20' }, 0, today), undefined, 'none in stock: nothing to check');
});

test('the cart: its item count and which buttons work', () => {
  assert.equal(itemCountText(0), '0 items');
  assert.equal(itemCountText(1), '1 item');
  assert.equal(itemCountText(3), '3 items');
  const empty = createCart();
  const full = addProduct(empty, para, 2);
  assert.deepEqual(cartControls({ cart: empty, completing: false, isLeader: true }), { payDisabled: true, clearDisabled: true });
  assert.deepEqual(cartControls({ cart: full, completing: false, isLeader: true }), { payDisabled: false, clearDisabled: false });
  assert.deepEqual(cartControls({ cart: full, completing: true, isLeader: true }), { payDisabled: true, clearDisabled: false }, 'a sale being saved');
  assert.deepEqual(cartControls({ cart: full, completing: false, isLeader: false }), { payDisabled: true, clearDisabled: true }, 'a follower tab');
});

test('cash tendered: empty is the exact amount; not an amount; not enough', () => {
  assert.deepEqual(cashTender('', 6.98), { tendered: 6.98, change: 0 });
  assert.deepEqual(cashTender('  ', 6.98), { tendered: 6.98, change: 0 });
  assert.deepEqual(cashTender('10', 6.98), { tendered: 10, change: 3.02 });
  assert.deepEqual(cashTender('12,50', 6.98), { tendered: 12.5, change: 5.52 });
  assert.deepEqual(cashTender('abc', 6.98), { tendered: null, change: null });
  assert.deepEqual(cashTender('5', 6.98), { tendered: 5, change: null });

  assert.equal(cashTenderProblem(cashTender('10', 6.98), 6.98), null);
  assert.equal(cashTenderProblem(cashTender('abc', 6.98), 6.98), 'Enter the cash received as an amount.');
  assert.equal(cashTenderProblem(cashTender('5', 6.98), 6.98), 'Cash received is less than 6.98.');
  assert.equal(cashTenderProblem(cashTender('5', 1234.5), 1234.5), 'Cash received is less than 1,234.50.');
});

test('the change line and the quick-cash buttons', () => {
  assert.deepEqual(changeDisplay(null), { text: '—', value: '', short: true });
  assert.deepEqual(changeDisplay(0), { text: '0.00', value: '0', short: false });
  assert.deepEqual(changeDisplay(3.02), { text: '3.02', value: '3.02', short: false });
  assert.equal(quickCashLabel(6.98, 0), 'Exact 6.98');
  assert.equal(quickCashLabel(10, 1), '10.00');
});
