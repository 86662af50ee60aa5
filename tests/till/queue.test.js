// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applySyncResults, classifyStatus, describeProblem, makeQueueEntry, orderQueue, outcomeChanges, pendingEntries, planSync, rejectedEntries, runSync,
} from '../../wwwroot/js/queue.js';

/** @typedef {import('../../wwwroot/js/queue.js').QueueEntry} QueueEntry */

let n = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
/** @param {number} i @param {Partial<any>} [extra] */
const sale = (i, extra = {}) => ({ saleId: uuid(), occurredAt: '2026-11-24T10:00:00+01:00', lines: [{ sku: 'PARA-500-16', quantity: 1 + (i % 3), unitPrice: 3.49 }], payments: [{ method: 'cash', amount: 3.49 }], ...extra });
/** @param {string} saleId */
const ret = (saleId) => ({ returnId: uuid(), saleId, occurredAt: '2026-11-24T11:00:00+01:00', lines: [{ sku: 'PARA-500-16', quantity: 1 }], reason: 'x' });
/** @param {number} count @returns {QueueEntry[]} */
function sales(count, start = Date.parse('2026-11-24T09:00:00Z')) {
  return Array.from({ length: count }, (_, i) => makeQueueEntry('sale', sale(i), { now: new Date(start + i * 1000), seq: i }));
}

/**
 * An in-memory queue store that applies outcomes as the IndexedDB one does (through `outcomeChanges`).
 * `history` keeps the server's result of each completed entry; `records` the history record changes.
 */
function memoryStore(/** @type {QueueEntry[]} */ entries) {
  const map = new Map(entries.map((e) => [e.id, { ...e }]));
  /** @type {Map<string, any>} */
  const history = new Map();
  /** @type {Map<string, any>} */
  const records = new Map(entries.map((e) => [e.id, { id: e.id, kind: e.kind, status: 'pending', error: null }]));
  return {
    map,
    history,
    records,
    list: async () => [...map.values()],
    /** @param {import('../../wwwroot/js/queue.js').StoreOutcome} o */
    apply: async (o) => {
      for (const { entry, result } of o.completed) history.set(entry.id, result);
      for (const c of outcomeChanges(o)) {
        if (c.queue === null) map.delete(c.id);
        else {
          const e = map.get(c.id);
          if (e) map.set(c.id, { ...e, ...c.queue });
        }
        const r = records.get(c.id);
        if (r) records.set(c.id, { ...r, ...c.history });
      }
    },
  };
}

/**
 * A fake server speaking the sync and returns routes: records each saleId once. A rejected result carries `held`
 * only when `held` is given (an older server sends none).
 * @param {{ reject?: (s: any) => boolean, held?: (s: any) => boolean, failOn?: (call: number) => 'network' | number | null,
 *   omit?: (s: any) => boolean, maxItems?: number }} [opts]
 */
function fakeServer(opts = {}) {
  /** @type {Map<string, any>} */
  const recorded = new Map();
  /** @type {Map<string, any>} */
  const returns = new Map();
  /** @type {{ kind: string, size: number, ids: string[] }[]} */
  const calls = [];
  return {
    recorded,
    returns,
    calls,
    /** @param {any[]} batch */
    async syncSales(batch) {
      calls.push({ kind: 'sync', size: batch.length, ids: batch.map((s) => s.saleId) });
      const fail = opts.failOn?.(calls.length);
      if (fail === 'network') throw new TypeError('Failed to fetch');
      if (typeof fail === 'number') return { status: fail, body: { title: 'Nope' } };
      if (batch.length > (opts.maxItems ?? 500)) return { status: 413, body: { title: 'Too large' } };
      const results = [];
      for (const s of batch) {
        if (opts.omit?.(s)) continue;
        if (opts.reject?.(s)) {
          const error = { title: 'Unknown sku', errors: { 'lines[0].sku': ['unknown'] } };
          results.push(opts.held ? { saleId: s.saleId, status: 'rejected', error, sale: null, held: opts.held(s) } : { saleId: s.saleId, status: 'rejected', error, sale: null });
          continue;
        }
        const dup = recorded.has(s.saleId);
        if (!dup) recorded.set(s.saleId, { saleId: s.saleId, status: 'recorded', lines: s.lines.map((/** @type {any} */ l) => ({ ...l, allocated: l.quantity, shortfall: 0, allocations: [{ batchId: 'b1', lotNumber: 'L1', expiryDate: '2027-03-31', quantity: l.quantity }] })) });
        results.push({ saleId: s.saleId, status: dup ? 'duplicate' : 'recorded', error: null, sale: recorded.get(s.saleId) });
      }
      return { status: 200, body: { results } };
    },
    /** @param {any} r */
    async postReturn(r) {
      calls.push({ kind: 'return', size: 1, ids: [r.returnId] });
      if (!recorded.has(r.saleId)) return { status: 400, body: { title: 'Unknown sale' } };
      const dup = returns.has(r.returnId);
      returns.set(r.returnId, r);
      return { status: dup ? 200 : 201, body: { returnId: r.returnId, saleId: r.saleId, status: 'recorded', lines: [] } };
    },
  };
}

test('queue entries take their id from the saleId / returnId', () => {
  const s = sale(0);
  const e = makeQueueEntry('sale', s, { now: new Date('2026-11-24T10:00:00Z') });
  assert.equal(e.id, s.saleId);
  assert.equal(e.state, 'pending');
  assert.equal(e.enqueuedAt, '2026-11-24T10:00:00.000Z');
  const r = ret(s.saleId);
  assert.equal(makeQueueEntry('return', r).id, r.returnId);
  assert.throws(() => makeQueueEntry('sale', { lines: [] }));
});

test('the queue is ordered by enqueue time, then seq, then id, whatever the storage order', () => {
  const base = Date.parse('2026-11-24T09:00:00Z');
  const a = makeQueueEntry('sale', { saleId: 'c' }, { now: new Date(base), seq: 5 });
  const b = makeQueueEntry('sale', { saleId: 'a' }, { now: new Date(base + 1), seq: 1 });
  const c = makeQueueEntry('sale', { saleId: 'b' }, { now: new Date(base + 1), seq: 1 });
  const d = makeQueueEntry('sale', { saleId: 'z' }, { now: new Date(base + 1), seq: 0 });
  const e = makeQueueEntry('sale', { saleId: 'y' }, { now: new Date(base - 60000), seq: 9 });
  assert.deepEqual(orderQueue([a, b, c, d, e]).map((x) => x.id), ['y', 'c', 'z', 'a', 'b']);
  assert.deepEqual(orderQueue([c, e, a, d, b]).map((x) => x.id), ['y', 'c', 'z', 'a', 'b']);
});

test('pending and rejected entries are separated', () => {
  const [a, b, c] = sales(3);
  const rejected = { ...b, state: /** @type {const} */ ('rejected') };
  assert.deepEqual(pendingEntries([c, rejected, a]).map((x) => x.id), [a.id, c.id]);
  assert.deepEqual(rejectedEntries([c, rejected, a]).map((x) => x.id), [b.id]);
});

test('sales are planned in chunks of at most 500, in order', () => {
  const all = sales(1201);
  const steps = planSync([...all].reverse());
  assert.deepEqual(steps.map((s) => (s.type === 'sales' ? s.entries.length : 'return')), [500, 500, 201]);
  const flat = steps.flatMap((s) => (s.type === 'sales' ? s.entries : [s.entry]));
  assert.deepEqual(flat.map((e) => e.id), all.map((e) => e.id));
  assert.deepEqual(planSync(all, { maxItems: 10000 }).map((s) => (s.type === 'sales' ? s.entries.length : 0)), [500, 500, 201]);
  assert.deepEqual(planSync([]), []);
});

test('a chunk also stays under the byte limit', () => {
  const big = sales(10).map((e) => ({ ...e, payload: { ...e.payload, lines: Array.from({ length: 50 }, (_, i) => ({ sku: `SKU-${i}`, quantity: 1, unitPrice: 1 })) } }));
  const steps = planSync(big, { maxBytes: 8000 });
  assert.ok(steps.length > 1);
  for (const s of steps) assert.ok(s.type === 'sales' && JSON.stringify({ sales: s.entries.map((e) => e.payload) }).length <= 8000);
  assert.equal(steps.flatMap((s) => (s.type === 'sales' ? s.entries : [])).length, 10);
});

test('a return is sent on its own, after the sales enqueued before it', () => {
  const [s1, s2, s3] = sales(3);
  const r = makeQueueEntry('return', ret(s1.id), { now: new Date(Date.parse(s2.enqueuedAt) + 500) });
  const steps = planSync([s3, r, s1, s2]);
  assert.deepEqual(steps.map((s) => (s.type === 'sales' ? s.entries.map((e) => e.id) : s.entry.id)), [[s1.id, s2.id], r.id, [s3.id]]);
});

test('rejected entries are not planned again', () => {
  const [a, b] = sales(2);
  const steps = planSync([a, { ...b, state: 'rejected' }]);
  assert.deepEqual(steps.flatMap((s) => (s.type === 'sales' ? s.entries.map((e) => e.id) : [])), [a.id]);
});

test('results: recorded and duplicate complete, a held rejection leaves the queue, one not held is retried, a missing result keeps the sale', () => {
  const [a, b, c, d, e, f, g] = sales(7);
  const out = applySyncResults([a, b, c, d, e, f, g], {
    results: [
      { saleId: c.id, status: 'rejected', error: { title: 'Unknown sku' }, sale: null, held: true },
      { saleId: a.id.toUpperCase(), status: 'recorded', sale: { total: 1 } },
      { saleId: b.id, status: 'duplicate', sale: { total: 2 } },
      { saleId: e.id, status: 'rejected', error: { title: 'Database busy' }, sale: null, held: false },
      { saleId: f.id, status: 'rejected', error: { title: 'Old server' }, sale: null },
      { saleId: g.id, status: 'rejected', error: null, sale: null, held: 'yes' },
    ],
  });
  assert.deepEqual(out.completed.map((x) => x.entry.id), [a.id, b.id]);
  assert.deepEqual(out.held.map((x) => [x.entry.id, x.error.title]), [[c.id, 'Unknown sku']]);
  // Only an explicit `held: true` lets the till forget a sale.
  assert.deepEqual(out.retry.map((x) => [x.entry.id, x.error.title]), [[e.id, 'Database busy'], [f.id, 'Old server'], [g.id, 'Rejected by the server']]);
  assert.deepEqual(out.rejected, []);
  assert.deepEqual(out.missing.map((x) => x.id), [d.id]);
  assert.equal(applySyncResults([a], { results: [{ saleId: a.id, status: 'weird' }] }).missing.length, 1);
  assert.equal(applySyncResults([a], null).missing.length, 1);
});

test('outcome changes: taken entries leave the queue, a retried one stays pending with its error, a refused one is flagged', () => {
  const [a, b, c, d] = sales(4);
  const changes = outcomeChanges({
    completed: [{ entry: a, result: { saleId: a.id, status: 'recorded', sale: { total: 1 } } }],
    held: [{ entry: b, error: { title: 'Unknown sku' } }],
    retry: [{ entry: c, error: { title: 'Busy' } }],
    rejected: [{ entry: d, error: { status: 413, title: 'Too large' } }],
  });
  assert.deepEqual(changes, [
    { id: a.id, queue: null, history: { status: 'recorded', response: { total: 1 }, error: null } },
    { id: b.id, queue: null, history: { status: 'rejected', held: true, error: { title: 'Unknown sku' } } },
    { id: c.id, queue: { state: 'pending', lastError: { title: 'Busy' } }, history: { status: 'pending', error: { title: 'Busy' } } },
    { id: d.id, queue: { state: 'rejected', lastError: { status: 413, title: 'Too large' } }, history: { status: 'rejected', held: false, error: { status: 413, title: 'Too large' } } },
  ]);
  assert.deepEqual(outcomeChanges({}), []);
});

test('status classification', () => {
  assert.deepEqual([200, 201, 401, 403, 413, 400, 409, 422, 500, 503, 429, 408].map(classifyStatus),
    ['ok', 'ok', 'auth', 'auth', 'too-large', 'invalid', 'invalid', 'invalid', 'retry', 'retry', 'retry', 'retry']);
});

test('runSync uploads everything in order, in chunks of at most 500, and empties the queue', async () => {
  const all = sales(1234);
  const store = memoryStore(all);
  const server = fakeServer();
  const report = await runSync({ store, api: server });
  assert.equal(report.ok, true);
  assert.equal(report.recorded, 1234);
  assert.equal(report.remaining, 0);
  assert.equal(store.map.size, 0);
  assert.deepEqual(server.calls.map((c) => c.size), [500, 500, 234]);
  assert.deepEqual(server.calls.flatMap((c) => c.ids), all.map((e) => e.id));
  assert.equal(store.history.get(all[0].id).sale.lines[0].allocations[0].lotNumber, 'L1');
});

test('runSync: a rejected sale the server holds leaves the queue, its history says held with the reason, the rest completes', async () => {
  const all = sales(5);
  const bad = all[2].id;
  const store = memoryStore(all);
  const server = fakeServer({ reject: (s) => s.saleId === bad, held: () => true });
  const report = await runSync({ store, api: server });
  assert.equal(report.ok, true);
  assert.equal(report.recorded, 4);
  assert.equal(report.held, 1);
  assert.equal(report.retrying, 0);
  assert.equal(report.rejected, 0);
  assert.equal(report.remaining, 0);
  assert.equal(store.map.size, 0);
  assert.equal(store.records.get(bad).status, 'rejected');
  assert.equal(store.records.get(bad).held, true);
  assert.equal(describeProblem(store.records.get(bad).error), 'Unknown sku (lines[0].sku: unknown)');
  for (const e of all.filter((x) => x.id !== bad)) assert.equal(store.records.get(e.id).status, 'recorded');
  const again = await runSync({ store, api: server });
  assert.equal(server.calls.length, 1, 'nothing left to send');
  assert.equal(again.remaining, 0);
});

test('runSync: a rejected sale the server did not hold stays pending with its error, the rest completes, and the next sync sends it again', async () => {
  for (const held of [() => false, undefined]) {
    const all = sales(5);
    const bad = all[1].id;
    const store = memoryStore(all);
    let refuse = true;
    const server = fakeServer({ reject: (s) => refuse && s.saleId === bad, held });
    const report = await runSync({ store, api: server });
    assert.equal(report.ok, true);
    assert.equal(report.recorded, 4, 'the others in the batch are recorded');
    assert.equal(report.retrying, 1);
    assert.equal(report.held, 0);
    assert.equal(report.rejected, 0);
    assert.equal(report.remaining, 1);
    assert.deepEqual([...store.map.keys()], [bad]);
    assert.equal(store.map.get(bad)?.state, 'pending');
    assert.equal(store.map.get(bad)?.lastError.title, 'Unknown sku');
    assert.equal(store.records.get(bad).status, 'pending');
    assert.deepEqual(pendingEntries([...store.map.values()]).map((e) => e.id), [bad]);

    refuse = false;
    const again = await runSync({ store, api: server });
    assert.deepEqual(server.calls.map((c) => c.ids), [all.map((e) => e.id), [bad]]);
    assert.equal(again.recorded, 1);
    assert.equal(store.map.size, 0);
    assert.equal(store.records.get(bad).status, 'recorded');
    assert.equal(store.records.get(bad).error, null);
  }
});

test('runSync keeps a sale the server gave no result for, and reports the run incomplete', async () => {
  const all = sales(3);
  const store = memoryStore(all);
  const report = await runSync({ store, api: fakeServer({ omit: (s) => s.saleId === all[1].id }) });
  assert.equal(report.ok, false);
  assert.deepEqual([...store.map.keys()], [all[1].id]);
  assert.equal(store.map.get(all[1].id)?.state, 'pending');
});

test('a network failure midway keeps everything not yet answered, and a retry sends it once', async () => {
  const all = sales(1100);
  const store = memoryStore(all);
  const server = fakeServer({ failOn: (call) => (call === 2 ? 'network' : null) });
  const first = await runSync({ store, api: server });
  assert.equal(first.ok, false);
  assert.equal(first.recorded, 500);
  assert.equal(store.map.size, 600);
  const second = await runSync({ store, api: server });
  assert.equal(second.ok, true);
  assert.equal(store.map.size, 0);
  assert.equal(server.recorded.size, 1100);
});

test('a server error (5xx) or a lost answer loses nothing; the replay comes back as duplicate', async () => {
  const all = sales(4);
  const store = memoryStore(all);
  const down = fakeServer({ failOn: () => 503 });
  assert.equal((await runSync({ store, api: down })).ok, false);
  assert.equal(store.map.size, 4);

  // The server records the batch but the answer is lost on the way back.
  const server = fakeServer();
  const lossy = { ...server, syncSales: async (/** @type {any[]} */ b) => { await server.syncSales(b); throw new TypeError('network'); } };
  assert.equal((await runSync({ store, api: lossy })).ok, false);
  assert.equal(store.map.size, 4);
  const report = await runSync({ store, api: server });
  assert.equal(report.ok, true);
  assert.equal(report.duplicates, 4);
  assert.equal(store.map.size, 0);
  assert.equal(server.recorded.size, 4);
});

test('a refused token stops the run and says so', async () => {
  const store = memoryStore(sales(3));
  const report = await runSync({ store, api: fakeServer({ failOn: () => 401 }) });
  assert.equal(report.ok, false);
  assert.equal(report.authFailed, true);
  assert.equal(store.map.size, 3);
});

test('413 halves the batch until it fits; a single sale that cannot be sent is flagged', async () => {
  const all = sales(8);
  const store = memoryStore(all);
  const server = fakeServer({ maxItems: 3 });
  const report = await runSync({ store, api: server });
  assert.equal(report.ok, true);
  assert.equal(server.recorded.size, 8);
  assert.ok(server.calls.filter((c) => c.size <= 3).length >= 3);

  const one = memoryStore(sales(1));
  const r = await runSync({ store: one, api: fakeServer({ maxItems: 0 }) });
  assert.equal(r.rejected, 1);
  assert.equal(r.held, 0);
  const [flagged] = [...one.map.values()];
  assert.equal(flagged.state, 'rejected');
  assert.equal(one.records.get(flagged.id).status, 'rejected');
  assert.equal(one.records.get(flagged.id).held, false, 'the server does not hold what it could not read: the till keeps it');
});

test('returns go after their sale; recorded (201) and replayed (200) returns leave the queue, refused ones stay flagged', async () => {
  const all = sales(2);
  const r1 = makeQueueEntry('return', ret(all[0].id), { now: new Date(Date.parse(all[1].enqueuedAt) + 1) });
  const orphan = makeQueueEntry('return', ret('00000000-0000-4000-8000-ffffffffffff'), { now: new Date(Date.parse(all[1].enqueuedAt) + 2) });
  const store = memoryStore([orphan, r1, ...all]);
  const server = fakeServer();
  const report = await runSync({ store, api: server });
  assert.equal(report.ok, true);
  assert.deepEqual(server.calls.map((c) => c.kind), ['sync', 'return', 'return']);
  assert.deepEqual([...store.map.keys()], [orphan.id]);
  assert.equal(store.map.get(orphan.id)?.state, 'rejected');
  assert.equal(store.history.get(r1.id).status, 'recorded');

  // The same return again (e.g. its answer was lost): 200 → duplicate, removed.
  const store2 = memoryStore([r1]);
  const report2 = await runSync({ store: store2, api: server });
  assert.equal(report2.duplicates, 1);
  assert.equal(store2.map.size, 0);
});

test('a return whose sale could not be sent waits (the run stops before it)', async () => {
  const all = sales(1);
  const r = makeQueueEntry('return', ret(all[0].id), { now: new Date(Date.parse(all[0].enqueuedAt) + 1) });
  const store = memoryStore([all[0], r]);
  const server = fakeServer({ failOn: (call) => (call === 1 ? 'network' : null) });
  await runSync({ store, api: server });
  assert.deepEqual(server.calls.map((c) => c.kind), ['sync']);
  assert.equal(store.map.size, 2);
});

test('a failing store is a bug, not a network condition: it is thrown', async () => {
  const store = { list: async () => sales(1), apply: async () => { throw new Error('disk full'); } };
  await assert.rejects(runSync({ store, api: fakeServer() }), /disk full/);
});
