// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildIndex, effectiveAvailable, findByCode, parseStockChanged, pendingQuantities, searchCatalog } from '../../wwwroot/js/catalog.js';

const products = [
  { sku: 'PARA-500-16', barcode: '5012345678900', name: 'Paracetamol 500mg tablets x16', price: 3.49, available: 40, nextExpiry: '2027-03-31' },
  { sku: 'IBU-200-24', barcode: '5012345678917', name: 'Ibuprofen 200mg tablets x24', price: 4.15, available: 0, nextExpiry: null },
  { sku: 'VITC-1000', barcode: null, name: 'Vitamin C 1000mg effervescent', price: 5.99, available: 7, nextExpiry: '2026-12-01' },
  { sku: 'CREME-ALOE', barcode: '4006381333931', name: 'Crème aloe vera 50ml', price: 6.5, available: 3, nextExpiry: null },
];

test('search by name, sku or barcode, exact codes first', () => {
  assert.deepEqual(searchCatalog(products, 'para').map((p) => p.sku), ['PARA-500-16']);
  assert.deepEqual(searchCatalog(products, 'ibu-200').map((p) => p.sku), ['IBU-200-24']);
  assert.deepEqual(searchCatalog(products, '5012345678917').map((p) => p.sku), ['IBU-200-24']);
  assert.deepEqual(searchCatalog(products, '501234567').map((p) => p.sku), ['IBU-200-24', 'PARA-500-16']);
  assert.deepEqual(searchCatalog(products, 'tablets 200').map((p) => p.sku), ['IBU-200-24']);
  assert.deepEqual(searchCatalog(products, 'creme').map((p) => p.sku), ['CREME-ALOE']); // accents do not matter
  assert.deepEqual(searchCatalog(products, 'TABLETS').map((p) => p.sku), ['IBU-200-24', 'PARA-500-16']);
  assert.deepEqual(searchCatalog(products, 'nothing like it'), []);
});

test('an empty query lists the catalog by name, up to the limit', () => {
  assert.deepEqual(searchCatalog(products, '  ').map((p) => p.sku), ['CREME-ALOE', 'IBU-200-24', 'PARA-500-16', 'VITC-1000']);
  assert.equal(searchCatalog(products, '', 2).length, 2);
});

test('a scanned code finds the product by barcode, then by sku', () => {
  const index = buildIndex(products);
  assert.equal(findByCode(index, '4006381333931')?.sku, 'CREME-ALOE');
  assert.equal(findByCode(index, ' VITC-1000 ')?.sku, 'VITC-1000');
  assert.equal(findByCode(index, 'vitc-1000')?.sku, 'VITC-1000');
  assert.equal(findByCode(index, '0000000000000'), undefined);
  assert.equal(findByCode(index, ''), undefined);
});

test('StockChanged messages are read as an object or as three arguments', () => {
  assert.deepEqual(parseStockChanged([{ outletCode: 'MAIN', sku: 'A', available: 3 }]), { outletCode: 'MAIN', sku: 'A', available: 3 });
  assert.deepEqual(parseStockChanged(['MAIN', 'A', 4]), { outletCode: 'MAIN', sku: 'A', available: 4 });
  assert.equal(parseStockChanged([{ sku: 'A' }]), null);
  assert.equal(parseStockChanged([]), null);
});

test('unsynced sales are netted out of what the till shows as available', () => {
  const queue = [
    { kind: 'sale', state: 'pending', payload: { lines: [{ sku: 'PARA-500-16', quantity: 2 }, { sku: 'VITC-1000', quantity: 1 }] } },
    { kind: 'sale', state: 'pending', payload: { lines: [{ sku: 'PARA-500-16', quantity: 3 }] } },
    { kind: 'sale', state: 'rejected', payload: { lines: [{ sku: 'PARA-500-16', quantity: 100 }] } },
    { kind: 'return', state: 'pending', payload: { lines: [{ sku: 'PARA-500-16', quantity: 1 }] } },
  ];
  const pending = pendingQuantities(queue);
  assert.deepEqual([...pending], [['PARA-500-16', 5], ['VITC-1000', 1]]);
  assert.equal(effectiveAvailable(products[0], pending), 35);
  assert.equal(effectiveAvailable(products[2], new Map([['VITC-1000', 9]])), 0);
});

test('a scan finds its product compared as GTIN-14, plain or GS1, and by any of its barcodes', () => {
  const upc = { sku: 'FLOSS', barcode: '036000291452', name: 'Dental floss', price: 2.5, available: 4, nextExpiry: null };
  const eight = { sku: 'GUM', barcode: '96385074', barcodes: ['96385074', '4006381333931'], name: 'Gum', price: 1, available: 4, nextExpiry: null };
  const index = buildIndex([...products, upc, eight]);
  assert.equal(findByCode(index, '05012345678900')?.sku, 'PARA-500-16', 'GTIN-14 of an EAN-13');
  assert.equal(findByCode(index, '0036000291452')?.sku, 'FLOSS', 'EAN-13 spelling of a UPC-A');
  assert.equal(findByCode(index, '00000096385074')?.sku, 'GUM', 'GTIN-14 of an EAN-8');
  assert.equal(findByCode(index, '(01)05012345678900(17)270331(10)L2391')?.sku, 'PARA-500-16');
  assert.equal(findByCode(index, ']d201050123456789011727033110L2391')?.sku, undefined, 'wrong check digit: not guessed');
  assert.equal(findByCode(index, '\u001d0105012345678917\u001d10L7')?.sku, 'IBU-200-24');
  assert.equal(findByCode(index, ']E04006381333931')?.sku, 'CREME-ALOE', 'the first product listed keeps a shared barcode (the server allows none)');
  assert.equal(buildIndex([eight]).byBarcode.get('4006381333931')?.sku, 'GUM', 'extra barcodes are indexed');
  assert.equal(findByCode(index, ']E0vitc-1000')?.sku, 'VITC-1000');
  assert.equal(findByCode(index, '(01)00000000000000'), undefined, 'a GS1 GTIN not in the catalog');
});

test('every barcode of a product finds it, as typed or as GTIN-14, in a scan and in the search box', () => {
  const gauze = { sku: 'GAUZE-10', barcode: '5012345678900', barcodes: ['5012345678900', '036000291452', 'SUPPLIER-77'], name: 'Gauze swabs', price: 2, available: 5, nextExpiry: null };
  const other = { sku: 'OTHER', barcode: null, barcodes: [], name: 'Other', price: 1, available: 5, nextExpiry: null };
  const index = buildIndex([other, gauze]);
  assert.equal(findByCode(index, '00036000291452')?.sku, 'GAUZE-10', 'a second barcode, as the GTIN-14 of its UPC-A');
  assert.equal(findByCode(index, '(01)00036000291452(10)L1')?.sku, 'GAUZE-10', 'a GS1 scan of the second barcode');
  assert.equal(findByCode(index, 'SUPPLIER-77')?.sku, 'GAUZE-10', 'a code that is no GTIN, as typed');
  assert.equal(findByCode(index, 'gauze-10')?.sku, 'GAUZE-10', 'a sku in another case, from the index');
  assert.equal(index.bySkuUpper.get('GAUZE-10')?.sku, 'GAUZE-10');
  assert.deepEqual(searchCatalog([other, gauze], '0036000291452').map((p) => p.sku), ['GAUZE-10'], 'search: another spelling of a second barcode');
  assert.deepEqual(searchCatalog([other, gauze], 'supplier').map((p) => p.sku), ['GAUZE-10'], 'search: part of a second barcode');
});
