// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addProduct } from '../../wwwroot/js/cart.js';
import { makeQueueEntry } from '../../wwwroot/js/queue.js';
import {
  applyStockChanged, availableOf, createState, isBusy, setCatalog, setQueue, setToday, state, wantsPeriodicSync, warnBeforeUnload,
} from '../../wwwroot/js/state.js';

const para = { sku: 'PARA', barcode: '501', name: 'Paracetamol', price: 3.49, available: 10, nextExpiry: null };
const ibu = { sku: 'IBU', barcode: null, name: 'Ibuprofen', price: 4.15, available: 4, nextExpiry: null };
const me = { tillId: 1, tillName: 'Till 1', outletCode: 'LDN-01', outletName: 'London' };
/** @param {string} id @param {{ sku: string, quantity: number }[]} lines */
const saleEntry = (id, lines) => makeQueueEntry('sale', { saleId: id, occurredAt: '2026-11-24T10:00:00+01:00', lines: lines.map((l) => ({ ...l, unitPrice: 1 })) });

test('a new state: an empty cart with its sale id, the sale view, nothing known of the server yet', () => {
  const s = createState();
  assert.equal(s.cart.lines.length, 0);
  assert.match(s.cart.saleId, /^[0-9a-f-]{36}$/);
  assert.equal(s.view, 'sale');
  assert.equal(s.reachable, null);
  assert.equal(s.isLeader, false);
  assert.equal(s.started, false);
  assert.match(s.today, /^\d{4}-\d{2}-\d{2}$/);
  assert.notEqual(createState().cart.saleId, s.cart.saleId);
  assert.equal(typeof state, 'object', 'the page has one state');
});

test('a catalog comes with its index; the queue with the units its unsent sales hold', () => {
  const s = createState();
  setCatalog([para, ibu], s);
  assert.equal(s.index.bySku.get('IBU'), ibu);
  assert.equal(s.index.byBarcode.get('501'), para);
  setQueue([saleEntry('00000000-0000-4000-8000-000000000001', [{ sku: 'PARA', quantity: 3 }]),
    { ...saleEntry('00000000-0000-4000-8000-000000000002', [{ sku: 'PARA', quantity: 5 }]), state: /** @type {const} */ ('rejected') }], s);
  assert.equal(s.queue.length, 2);
  assert.equal(s.pending.get('PARA'), 3, 'a flagged sale does not hold stock');
  assert.equal(availableOf(para, s), 7);
  assert.equal(availableOf(ibu, s), 4);
});

test('a live stock figure changes the product of this outlet only', () => {
  const s = createState();
  s.me = me;
  setCatalog([para, ibu], s);
  assert.equal(applyStockChanged({ outletCode: 'PAR-01', sku: 'PARA', available: 1 }, s), false, 'another outlet');
  assert.equal(applyStockChanged({ outletCode: 'LDN-01', sku: 'NOPE', available: 1 }, s), false, 'not in the catalog');
  assert.equal(s.index.bySku.get('PARA')?.available, 10);
  assert.equal(applyStockChanged({ outletCode: 'LDN-01', sku: 'PARA', available: 2 }, s), true);
  assert.equal(s.index.bySku.get('PARA')?.available, 2);
  assert.equal(s.products.find((p) => p.sku === 'PARA')?.available, 2);
  assert.equal(s.products[1], ibu, 'the other products are kept as they were');
  assert.equal(para.available, 10, 'the old product object is not changed');
  assert.equal(applyStockChanged({ outletCode: '', sku: 'IBU', available: 0 }, s), true, 'no outlet in the message: this one');
  s.me = null;
  assert.equal(applyStockChanged({ outletCode: 'PAR-01', sku: 'IBU', available: 9 }, s), true, 'no till info yet: taken');
});

test('the day changes once', () => {
  const s = createState();
  s.today = '2026-11-24';
  assert.equal(setToday('2026-11-24', s), false);
  assert.equal(setToday('2026-11-25', s), true);
  assert.equal(s.today, '2026-11-25');
});

test('busy (no update now), leaving the page, the periodic sync', () => {
  const s = createState();
  assert.equal(isBusy(s, false), false);
  assert.equal(isBusy(s, true), true, 'the payment dialog is open');
  assert.equal(isBusy({ ...s, cart: addProduct(s.cart, para, 1) }, false), true);
  assert.equal(isBusy({ ...s, completing: true }, false), true);
  assert.equal(isBusy({ ...s, returning: true }, false), true);

  assert.equal(warnBeforeUnload(s), false);
  assert.equal(warnBeforeUnload({ ...s, completing: true }), true);
  setQueue([saleEntry('00000000-0000-4000-8000-000000000003', [{ sku: 'PARA', quantity: 1 }])], s);
  assert.equal(warnBeforeUnload(s), false, 'a follower does not upload: nothing to wait for in this tab');
  s.isLeader = true;
  assert.equal(warnBeforeUnload(s), true);

  assert.equal(wantsPeriodicSync(s, false), true);
  assert.equal(wantsPeriodicSync(s, true), false, 'a retry is already scheduled');
  assert.equal(wantsPeriodicSync({ ...s, syncing: true }, false), false);
  assert.equal(wantsPeriodicSync({ ...s, isLeader: false }, false), false);
  setQueue([], s);
  assert.equal(wantsPeriodicSync(s, false), false, 'nothing to send');
});
