// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { addProduct, buildSaleRequest, cartTotals, createCart } from '../../wwwroot/js/cart.js';
import { formatCurrency, formatRate, lineTax, receiptTaxes, setMoneyLocale, sumTaxRows } from '../../wwwroot/js/money.js';
import { createState, setCatalog } from '../../wwwroot/js/state.js';

const cases = JSON.parse(readFileSync(new URL('../shared/tax-cases.json', import.meta.url), 'utf8')).lines;

test('each hand-worked line gives the same net and tax as the server (tests/shared/tax-cases.json)', () => {
  for (const c of cases) {
    const { netCents, taxCents } = lineTax(Math.round(c.amount * 100), c.rate, c.inclusive, c.currency);
    assert.deepEqual({ net: netCents / 100, tax: taxCents / 100 }, { net: c.net, tax: c.tax }, c.why);
  }
});

test('a tax-inclusive receipt: rows per rate, highest first, adding up to the total', () => {
  const { totalCents, taxes } = receiptTaxes([
    { amountCents: 698, taxCategory: 'medicines', taxRate: 2.1 },
    { amountCents: 899, taxCategory: 'vitamins', taxRate: 5.5 },
    { amountCents: 1200, taxCategory: 'cosmetics', taxRate: 20 },
  ], { currency: 'EUR', pricesIncludeTax: true });
  assert.equal(totalCents, 2797);
  assert.deepEqual(taxes, [
    { category: 'cosmetics', rate: 20, net: 10, tax: 2, gross: 12 },
    { category: 'vitamins', rate: 5.5, net: 8.52, tax: 0.47, gross: 8.99 },
    { category: 'medicines', rate: 2.1, net: 6.84, tax: 0.14, gross: 6.98 },
  ]);
});

test('a tax-exclusive cart adds the tax, and the sale it sends pays the total with tax', () => {
  const money = { currency: 'USD', culture: 'en-US', pricesIncludeTax: false };
  let cart = createCart({ saleId: '7b0c2f5e-0000-4000-8000-000000000001' });
  cart = addProduct(cart, { sku: 'TOOTH', barcode: null, name: 'Toothbrush', price: 3.49, available: 9, nextExpiry: null, taxCategory: 'standard', taxRate: 8.875 }, 2);
  cart = addProduct(cart, { sku: 'IBU', barcode: null, name: 'Ibuprofen', price: 5, available: 9, nextExpiry: null, taxCategory: 'medicines', taxRate: 0 });
  const totals = cartTotals(cart, money);
  assert.equal(totals.total, 12.6);
  assert.deepEqual(totals.taxes.map((t) => [t.category, t.tax]), [['standard', 0.62], ['medicines', 0]]);
  const request = buildSaleRequest(cart, { method: 'card', occurredAt: new Date('2026-11-24T15:00:00Z') }, money);
  assert.deepEqual(request.payments, [{ method: 'card', amount: 12.6 }]);
  assert.equal(cartTotals(cart).total, 11.98, 'without the outlet: tax-inclusive, as before');
});

test('a product with no price in the outlet currency is not offered', () => {
  const s = createState();
  setCatalog([
    { sku: 'A', barcode: '1', name: 'A', price: 1.5, available: 1, nextExpiry: null },
    { sku: 'B', barcode: '2', name: 'B', price: null, available: 1, nextExpiry: null },
  ], s);
  assert.deepEqual(s.products.map((p) => p.sku), ['A']);
  assert.equal(s.index.byBarcode.get('2'), undefined);
  assert.deepEqual(addProduct(createCart(), { sku: 'B', barcode: null, name: 'B', price: null, available: 1, nextExpiry: null }).lines, []);
});

test('amounts are written in the outlet currency and culture', () => {
  setMoneyLocale({ currency: 'GBP', culture: 'en-GB' });
  assert.equal(formatCurrency(1234.5), '£1,234.50');
  setMoneyLocale({ currency: 'EUR', culture: 'fr-FR' });
  assert.equal(formatCurrency(1234.5).replace(/\s/g, ' '), '1 234,50 €');
  assert.equal(formatRate(5.5).replace(/\s/g, ' '), '5,5 %');
  setMoneyLocale({ currency: 'USD', culture: 'en-US' });
  assert.equal(formatCurrency(6.98), '$6.98');
  assert.equal(formatRate(8.875), '8.875%');
  setMoneyLocale({ currency: 'JPY', culture: 'ja-JP' });
  assert.equal(formatCurrency(1000).replace(/\s/g, ''), '￥1,000');
  setMoneyLocale(null);
  assert.equal(formatCurrency(6.98), '6.98', 'before the till knows its outlet: a plain amount');
});

test('the Z report adds tax rows by category and rate, to the cent', () => {
  const server = [{ category: 'standard', rate: 20, net: 14.17, tax: 2.83, gross: 17 }];
  const unsent = [{ category: 'medicines', rate: 0, net: 5, tax: 0, gross: 5 }, { category: 'standard', rate: 20, net: 0.1, tax: 0.02, gross: 0.12 }];
  assert.deepEqual(sumTaxRows(server, unsent), [
    { category: 'standard', rate: 20, net: 14.27, tax: 2.85, gross: 17.12 },
    { category: 'medicines', rate: 0, net: 5, tax: 0, gross: 5 },
  ]);
});
