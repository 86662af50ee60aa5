// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authBannerText, buildUnsentExport, exportFileName, slug, unsentCounts, unsentEntries } from '../../wwwroot/js/export.js';
import { makeQueueEntry } from '../../wwwroot/js/queue.js';

/** @typedef {import('../../wwwroot/js/queue.js').QueueEntry} QueueEntry */

const till = { tillId: 7, tillName: 'Counter 2 – Façade', outletCode: 'MAIN', outletName: 'Main street' };
const base = Date.parse('2026-11-24T09:00:00Z');
let n = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
/** @param {number} i */
const sale = (i) => makeQueueEntry('sale', {
  saleId: uuid(), occurredAt: '2026-11-24T10:00:00+01:00', lines: [{ sku: 'PARA-500-16', quantity: 1 + i, unitPrice: 3.49 }],
  payments: [{ method: 'cash', amount: 3.49 * (1 + i) }],
}, { now: new Date(base + i * 1000), seq: i });
/** @param {string} saleId @param {number} i */
const ret = (saleId, i) => makeQueueEntry('return', {
  returnId: uuid(), saleId, occurredAt: '2026-11-24T11:00:00+01:00', lines: [{ sku: 'PARA-500-16', quantity: 1 }], reason: 'x',
}, { now: new Date(base + i * 1000), seq: i });

test('the export holds every sale and return the server has not taken, payloads exactly as queued, in queue order', () => {
  const s0 = sale(0);
  const s1 = { ...sale(1), state: /** @type {const} */ ('rejected'), lastError: { status: 413, title: 'Too large' } };
  const r2 = ret(s0.id, 2);
  const s3 = { ...sale(3), lastError: { title: 'Busy' } };
  const r4 = { ...ret(s1.id, 4), state: /** @type {const} */ ('rejected') };
  // Storage order is not queue order.
  const queue = [r4, s3, s1, r2, s0];
  const now = new Date('2026-11-24T10:30:05.123Z');
  const file = buildUnsentExport(queue, till, now);
  assert.deepEqual(Object.keys(file), ['format', 'version', 'exportedAt', 'till', 'sales', 'returns']);
  assert.equal(file.format, 'backoffice-till-export');
  assert.equal(file.version, 1);
  assert.equal(file.exportedAt, '2026-11-24T10:30:05.123Z');
  assert.deepEqual(file.till, { tillId: 7, tillName: 'Counter 2 – Façade', outletCode: 'MAIN', outletName: 'Main street' });
  assert.deepEqual(file.sales, [s0.payload, s1.payload, s3.payload]);
  assert.equal(file.sales[0], s0.payload, 'the very payload, not a rebuilt one');
  assert.deepEqual(file.returns, [r2.payload, r4.payload]);
  // What goes into the file is what the sync route takes, and nothing of the queue's bookkeeping.
  assert.deepEqual(Object.keys(file.sales[0]), ['saleId', 'occurredAt', 'lines', 'payments']);
  assert.deepEqual(JSON.parse(JSON.stringify(file)), file);
});

test('only entries not yet taken: anything else in the queue store is left out; building the export changes nothing', () => {
  const a = sale(0);
  const b = sale(1);
  const odd = /** @type {QueueEntry} */ (/** @type {unknown} */ ({ ...sale(2), state: 'done' }));
  const queue = [b, odd, a];
  const before = JSON.stringify(queue);
  assert.deepEqual(unsentEntries(queue).map((e) => e.id), [a.id, b.id]);
  assert.deepEqual(buildUnsentExport(queue, till).sales.map((s) => s.saleId), [a.id, b.id]);
  assert.equal(JSON.stringify(queue), before);
  assert.deepEqual(buildUnsentExport([], till, new Date(0)), {
    format: 'backoffice-till-export', version: 1, exportedAt: '1970-01-01T00:00:00.000Z', till, sales: [], returns: [],
  });
  assert.deepEqual(buildUnsentExport([a], null).till, { tillId: null, tillName: null, outletCode: null, outletName: null });
});

test('counts of what waits: pending and locally refused, sales and returns', () => {
  const s0 = sale(0);
  assert.deepEqual(unsentCounts([s0, { ...sale(1), state: 'rejected' }, ret(s0.id, 2)]), { sales: 2, returns: 1, total: 3 });
  assert.deepEqual(unsentCounts([]), { sales: 0, returns: 0, total: 0 });
});

test('file name: unsent-<outletCode>-<till name slug>-<yyyyMMdd-HHmm>.json in local time', () => {
  const at = new Date(2026, 10, 4, 9, 5, 59);
  assert.equal(exportFileName(till, at), 'unsent-MAIN-counter-2-facade-20261104-0905.json');
  assert.equal(exportFileName({ ...till, outletCode: 'N/W 1', tillName: '***' }, at), 'unsent-N-W-1-till-20261104-0905.json');
  assert.equal(exportFileName(null, new Date(2027, 0, 31, 23, 59)), 'unsent-outlet-till-20270131-2359.json');
  assert.equal(slug('  Till #3 (back room)  ', 'x'), 'till-3-back-room');
  assert.equal(slug('a'.repeat(39) + ' b', 'x'), 'a'.repeat(39));
  assert.equal(slug('', 'till'), 'till');
});

test('the revoked-token banner says how many sales wait and what to do', () => {
  assert.equal(authBannerText({ sales: 3, returns: 0 }),
    "This till's token was revoked or replaced. 3 sale(s) wait on this device. Enter the till's new token from the back-office, or export the unsent sales.");
  assert.match(authBannerText({ sales: 1, returns: 2 }), /1 sale\(s\) and 2 return\(s\) wait on this device\./);
});
