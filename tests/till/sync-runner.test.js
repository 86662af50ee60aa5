// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../wwwroot/js/api.js';
import { makeQueueEntry, outcomeChanges } from '../../wwwroot/js/queue.js';
import { createState, setCatalog } from '../../wwwroot/js/state.js';
import { afterSync, createSyncRunner, failedSyncReport } from '../../wwwroot/js/sync-runner.js';

const me = { tillId: 1, tillName: 'Till 1', outletCode: 'LDN-01', outletName: 'London' };
const para = { sku: 'PARA', barcode: null, name: 'Paracetamol', price: 3.49, available: 10, nextExpiry: null };
const tick = () => new Promise((resolve) => setImmediate(resolve));
let n = 0;
const saleEntry = () => makeQueueEntry('sale', {
  saleId: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, occurredAt: '2026-11-24T10:00:00+01:00',
  lines: [{ sku: 'PARA', quantity: 1, unitPrice: 3.49 }], payments: [{ method: 'cash', amount: 3.49 }],
}, { seq: n });
/** @type {import('../../wwwroot/js/queue.js').SyncReport} */
const okReport = { ok: true, authFailed: false, recorded: 0, duplicates: 0, held: 0, retrying: 0, rejected: 0, remaining: 0, completed: [], error: null };

/**
 * A runner over fakes: an in-memory store, a scripted API, timers that only run when `fire()`d, a hub that counts.
 * @param {{ syncSales?: (sales: any[]) => Promise<any>, me?: () => Promise<any>, catalog?: (etag: string | null) => Promise<any> }} [api]
 */
function setup(api = {}) {
  const state = createState();
  Object.assign(state, { started: true, isLeader: true, token: 'till_token', me });
  /** @type {Map<string, any>} */
  const queue = new Map();
  /** @type {Map<string, any>} */
  const settings = new Map();
  /** @type {any[][]} */
  const log = [];
  state.db = /** @type {any} */ ({
    queue: async () => [...queue.values()],
    applySyncOutcome: async (/** @type {any} */ o) => {
      for (const c of outcomeChanges(o)) {
        if (c.queue === null) queue.delete(c.id);
        else if (queue.has(c.id)) queue.set(c.id, { ...queue.get(c.id), ...c.queue });
      }
    },
    getSetting: async (/** @type {string} */ k) => settings.get(k),
    setSetting: async (/** @type {string} */ k, /** @type {any} */ v) => void settings.set(k, v),
    replaceCatalog: async (/** @type {any[]} */ products, /** @type {any} */ meta) => {
      log.push(['db.replaceCatalog', products.length]);
      settings.set('catalogMeta', meta);
    },
    updateAvailable: async (/** @type {string} */ sku, /** @type {number} */ available) => void log.push(['db.updateAvailable', sku, available]),
  });
  /** @type {any[][]} */
  const sent = [];
  const fakeApi = {
    me: api.me ?? (async () => me),
    catalog: async (/** @type {string | null} */ etag) => {
      log.push(['api.catalog', etag]);
      return api.catalog ? api.catalog(etag) : { notModified: false, etag: '"v1"', catalog: { generatedAt: 'now', outletCode: 'LDN-01', products: [para] } };
    },
    syncSales: async (/** @type {any[]} */ sales) => {
      sent.push(sales.map((s) => s.saleId));
      return api.syncSales ? api.syncSales(sales)
        : { status: 200, body: { results: sales.map((s) => ({ saleId: s.saleId, status: 'recorded', error: null, sale: { saleId: s.saleId } })) } };
    },
    postReturn: async () => ({ status: 201, body: {} }),
  };
  /** @type {{ fn: () => void, ms: number, done: boolean }[]} */
  const timers = [];
  const fakeTimers = {
    setTimeout: (/** @type {() => void} */ fn, /** @type {number} */ ms) => {
      const t = { fn, ms, done: false };
      timers.push(t);
      return t;
    },
    clearTimeout: (/** @type {any} */ t) => {
      if (t) t.done = true;
    },
  };
  const waiting = () => timers.filter((t) => !t.done);
  const fire = () => {
    for (const t of waiting()) {
      t.done = true;
      t.fn();
    }
  };
  /** @type {any} */
  let hubOptions = null;
  const hub = { stops: 0, restarts: 0, async stop() { hub.stops += 1; }, restart() { hub.restarts += 1; } };
  /** @type {any[]} */
  const posted = [];
  const net = { online: true };
  const ui = /** @type {import('../../wwwroot/js/sync-runner.js').RunnerUi} */ ({
    status: () => void log.push(['status', state.reachable]),
    authBanner: () => void log.push(['authBanner', state.authFailed]),
    tillName: () => void log.push(['tillName']),
    catalog: () => void log.push(['catalog']),
    catalogChecked: () => void log.push(['catalogChecked']),
    hubState: (s) => void log.push(['hubState', s]),
    syncing: () => void log.push(['syncing', state.syncing]),
    synced: () => void log.push(['synced', state.syncing]),
    uploaded: async () => void log.push(['uploaded']),
    toast: (message, kind) => void log.push(['toast', kind, message]),
  });
  const runner = createSyncRunner({
    state, api: /** @type {any} */ (fakeApi), ui, isOnline: () => net.online, post: (m) => void posted.push(m), timers: fakeTimers,
    startHub: (o) => {
      hubOptions = o;
      return hub;
    },
  });
  const names = () => log.map((l) => l[0]);
  return { state, queue, settings, log, names, sent, posted, net, hub, runner, waiting, fire, hubOptions: () => hubOptions };
}

test('afterSync: a good run resets the back-off, marks the server there if it was asked, refreshes the catalog for new sales', () => {
  assert.deepEqual(afterSync({ ...okReport, recorded: 2 }, { sent: true, onLine: true }),
    { lastSyncError: null, resetBackoff: true, authFailed: false, reachable: true, refreshCatalog: true, toasts: [], retry: false });
  assert.deepEqual(afterSync(okReport, { sent: false, onLine: true }),
    { lastSyncError: null, resetBackoff: true, authFailed: false, reachable: null, refreshCatalog: false, toasts: [], retry: false }, 'nothing was sent');
  assert.equal(afterSync({ ...okReport, duplicates: 1 }, { sent: true, onLine: true }).refreshCatalog, true);
  assert.deepEqual(afterSync({ ...okReport, held: 2, rejected: 1 }, { sent: true, onLine: true }).toasts, [
    ['2 sale(s) were not recorded: the server holds them for a manager. See Till & sync', 'warning'],
    ['1 item(s) were refused by the server: see Till & sync', 'error'],
  ]);
});

test('afterSync: a failed run retries later; a refused token is the banner and a server that answered', () => {
  const failed = { ...okReport, ok: false, error: 'The server answered 503' };
  assert.deepEqual(afterSync(failed, { sent: true, onLine: true }),
    { lastSyncError: 'The server answered 503', resetBackoff: false, authFailed: false, reachable: false, refreshCatalog: false, toasts: [], retry: true });
  assert.equal(afterSync(failed, { sent: true, onLine: false }).reachable, null, 'offline: the connection chip says so already');
  const auth = afterSync({ ...failed, authFailed: true, error: 'The till token was refused' }, { sent: true, onLine: false });
  assert.equal(auth.authFailed, true);
  assert.equal(auth.reachable, true);
  assert.equal(auth.retry, true);
  assert.deepEqual(failedSyncReport(new Error('IndexedDB is gone')), { ...okReport, ok: false, error: 'IndexedDB is gone' });
  assert.equal(failedSyncReport('odd').error, 'odd');
});

test('syncNow uploads the queue, redraws after each step, and ends reachable with the catalog refreshed', async () => {
  const t = setup();
  const e = saleEntry();
  t.queue.set(e.id, e);
  t.state.reachable = null;
  await t.runner.syncNow('sale');
  await tick();
  assert.deepEqual(t.sent, [[e.id]]);
  assert.equal(t.queue.size, 0);
  assert.equal(t.state.syncing, false);
  assert.equal(t.state.lastSyncError, null);
  assert.ok(t.state.lastSyncAt);
  assert.equal(t.state.reachable, true);
  assert.deepEqual(t.log.find((l) => l[0] === 'syncing'), ['syncing', true]);
  assert.deepEqual(t.names().filter((x) => ['syncing', 'uploaded', 'synced'].includes(x)), ['syncing', 'uploaded', 'synced']);
  assert.deepEqual(t.log.find((l) => l[0] === 'synced'), ['synced', false]);
  assert.ok(t.names().includes('api.catalog'), 'recorded sales change the stock: the catalog is fetched again');
  assert.equal(t.waiting().length, 0, 'no retry');
});

test('syncNow with nothing queued sends nothing; a follower asks the leader; before the start nothing happens', async () => {
  const t = setup();
  await t.runner.syncNow('interval');
  assert.deepEqual(t.sent, []);
  assert.equal(t.state.reachable, null, 'nothing sent: nothing learnt of the server');
  assert.ok(!t.names().includes('api.catalog'));
  assert.ok(t.names().includes('synced'));

  t.queue.set('x', saleEntry());
  t.state.isLeader = false;
  await t.runner.syncNow('sale');
  assert.deepEqual(t.posted, [{ type: 'kick', reason: 'sale' }]);
  assert.deepEqual(t.sent, []);

  t.state.isLeader = true;
  t.state.started = false;
  await t.runner.syncNow('sale');
  assert.deepEqual(t.sent, []);
  assert.equal(t.posted.length, 1);
});

test('a sync asked for during a run makes the run go again once it ends', async () => {
  /** @type {() => void} */
  let release = () => {};
  const gate = new Promise((resolve) => { release = () => resolve(undefined); });
  let calls = 0;
  const t = setup({
    syncSales: async (sales) => {
      if (++calls === 1) await gate;
      return { status: 200, body: { results: sales.map((s) => ({ saleId: s.saleId, status: 'recorded', error: null, sale: {} })) } };
    },
  });
  const a = saleEntry();
  const b = saleEntry();
  t.queue.set(a.id, a);
  const first = t.runner.syncNow('sale');
  await tick();
  t.queue.set(b.id, b);
  await t.runner.syncNow('sale');
  assert.deepEqual(t.sent, [[a.id]], 'the second call waits for the run');
  release();
  await first;
  assert.deepEqual(t.sent, [[a.id], [b.id]]);
  assert.equal(t.queue.size, 0);
  assert.equal(t.names().filter((x) => x === 'synced').length, 1, 'one run, one redraw at its end');
  assert.equal(t.names().filter((x) => x === 'uploaded').length, 2, 'a redraw after each step');
});

test('a refused token: the banner, the server marked as answering, a retry after the back-off', async () => {
  const t = setup({ syncSales: async () => ({ status: 401, body: { title: 'Unauthorized' } }) });
  const e = saleEntry();
  t.queue.set(e.id, e);
  t.state.reachable = true;
  await t.runner.syncNow('sale');
  assert.equal(t.state.authFailed, true);
  assert.equal(t.state.reachable, true);
  assert.equal(t.state.lastSyncError, 'The till token was refused');
  assert.equal(t.queue.size, 1, 'the sale stays on the till');
  assert.equal(t.waiting().length, 1);
  assert.ok(t.waiting()[0].ms >= 1000 && t.waiting()[0].ms <= 2000, 'the first back-off: 1 to 2 s');
  t.fire();
  await tick();
  await tick();
  assert.equal(t.sent.length, 2, 'sent again when the timer fires');
});

test('the network failing mid-sync marks the server unreachable, unless the browser says it is offline', async () => {
  const t = setup({ syncSales: async () => { throw new TypeError('Failed to fetch'); } });
  const e = saleEntry();
  t.queue.set(e.id, e);
  t.state.reachable = true;
  await t.runner.syncNow('sale');
  assert.equal(t.state.reachable, false);
  assert.equal(t.state.lastSyncError, 'Failed to fetch');
  assert.equal(t.state.authFailed, false);

  const off = setup({ syncSales: async () => { throw new TypeError('Failed to fetch'); } });
  off.queue.set(e.id, e);
  off.state.reachable = true;
  off.net.online = false;
  await off.runner.syncNow('sale');
  assert.equal(off.state.reachable, true);
  assert.equal(off.waiting().length, 1, 'retried later all the same');
});

test('the server coming back starts a sync, a catalog refresh and the hub at once', async () => {
  const t = setup();
  t.runner.connectHub();
  const e = saleEntry();
  t.queue.set(e.id, e);
  t.state.reachable = false;
  t.runner.setReachable(true);
  await tick();
  await tick();
  assert.deepEqual(t.sent, [[e.id]]);
  assert.ok(t.names().includes('api.catalog'));
  assert.equal(t.hub.restarts, 1);
  t.runner.setReachable(true);
  assert.equal(t.hub.restarts, 1, 'only when it was unreachable before');
});

test('the hub: a live stock figure of this outlet redraws and is stored; a new connection stops the old one', async () => {
  const t = setup();
  setCatalog([para], t.state);
  t.runner.connectHub();
  const options = t.hubOptions();
  assert.equal(options.getToken(), 'till_token');
  await options.onStockChanged({ outletCode: 'PAR-01', sku: 'PARA', available: 1 });
  assert.ok(!t.names().includes('catalog'), 'another outlet');
  await options.onStockChanged({ outletCode: 'LDN-01', sku: 'PARA', available: 4 });
  assert.equal(t.state.index.bySku.get('PARA')?.available, 4);
  assert.deepEqual(t.log.filter((l) => l[0] === 'catalog' || l[0] === 'db.updateAvailable'), [['catalog'], ['db.updateAvailable', 'PARA', 4]]);
  options.onState('connected');
  assert.deepEqual(t.log.at(-1), ['hubState', 'connected']);
  t.runner.connectHub();
  assert.equal(t.hub.stops, 1);
});

test('the hub: CatalogChanged (a lot recalled or released) fetches the catalog at once', async () => {
  const t = setup();
  t.runner.connectHub();
  await t.hubOptions().onCatalogChanged();
  assert.deepEqual(t.log.filter((l) => l[0] === 'api.catalog'), [['api.catalog', null]]);
  assert.ok(t.names().includes('db.replaceCatalog'));
});

test('checkServer: a changed till is saved and shown; a refused token is the banner and a probe later', async () => {
  const renamed = { ...me, tillName: 'Till 1 (front)' };
  const t = setup({ me: async () => renamed });
  await t.runner.checkServer();
  assert.deepEqual(t.state.me, renamed);
  assert.deepEqual(t.settings.get('me'), renamed);
  assert.ok(t.names().includes('tillName'));
  assert.equal(t.state.reachable, true);
  assert.equal(t.waiting().length, 0);

  const refused = setup({ me: async () => { throw new ApiError(401, { title: 'Unauthorized' }); } });
  await refused.runner.checkServer();
  assert.equal(refused.state.authFailed, true);
  assert.equal(refused.state.reachable, true);
  assert.equal(refused.waiting().length, 1);
  refused.runner.resetBackoff();
  assert.equal(refused.waiting().length, 0, 'a new token: no probe of the old one');

  const down = setup({ me: async () => { throw new TypeError('Failed to fetch'); } });
  await down.runner.checkServer();
  assert.equal(down.state.reachable, false);
  assert.equal(down.state.authFailed, false);
});

test('refreshCatalog: the stored ETag of this outlet; 304 keeps the catalog; nothing offline; a refused token', async () => {
  const t = setup({ catalog: async () => ({ notModified: true }) });
  t.settings.set('catalogMeta', { etag: '"v7"', outletCode: 'LDN-01' });
  await t.runner.refreshCatalog();
  assert.deepEqual(t.log.filter((l) => l[0] === 'api.catalog'), [['api.catalog', '"v7"']]);
  assert.ok(!t.names().includes('db.replaceCatalog'));
  assert.ok(t.names().includes('catalogChecked'));
  assert.ok(t.settings.get('catalogCheckedAt'));

  const other = setup();
  other.settings.set('catalogMeta', { etag: '"v7"', outletCode: 'PAR-01' });
  await other.runner.refreshCatalog();
  assert.deepEqual(other.log.filter((l) => l[0] === 'api.catalog'), [['api.catalog', null]], 'another outlet\'s catalog: fetched whole');
  assert.deepEqual(other.log.filter((l) => l[0] === 'db.replaceCatalog' || l[0] === 'catalog'), [['db.replaceCatalog', 1], ['catalog']]);
  assert.equal(other.state.products.length, 1);
  assert.equal(other.state.index.bySku.get('PARA')?.name, 'Paracetamol');

  const offline = setup();
  offline.net.online = false;
  await offline.runner.refreshCatalog();
  assert.ok(!offline.names().includes('api.catalog'));

  const refused = setup({ catalog: async () => { throw new ApiError(403, null); } });
  await refused.runner.refreshCatalog();
  assert.equal(refused.state.authFailed, true);
});

test('periodic: the leader syncs what waits when no retry is already scheduled', async () => {
  const t = setup({ syncSales: async () => ({ status: 503, body: null }) });
  t.state.queue = [saleEntry()];
  t.queue.set(t.state.queue[0].id, t.state.queue[0]);
  t.runner.periodic();
  await tick();
  await tick();
  assert.equal(t.sent.length, 1);
  assert.equal(t.waiting().length, 1, 'the 503 scheduled a retry');
  t.runner.periodic();
  await tick();
  assert.equal(t.sent.length, 1, 'the retry timer will send it');
});

test('"Sync now" and coming back online: at once, the server checked too', async () => {
  const t = setup();
  const e = saleEntry();
  t.queue.set(e.id, e);
  t.runner.syncByHand();
  await tick();
  await tick();
  assert.deepEqual(t.sent, [[e.id]]);
  assert.equal(t.state.reachable, true);

  const o = setup();
  o.runner.connectHub();
  o.net.online = false;
  o.runner.onNetworkChange();
  assert.deepEqual(o.names().slice(-1), ['status']);
  o.net.online = true;
  o.runner.onNetworkChange();
  assert.equal(o.hub.restarts, 1);
});

test('a held sale refreshes the catalog too: the product may have been deactivated or repriced', () => {
  const held = afterSync({ ...okReport, held: 1 }, { sent: true, onLine: true });
  assert.equal(held.refreshCatalog, true);
  assert.equal(held.toasts.length, 1);
});

test('a 401 for a token replaced during the run leaves no banner and goes again with the new token', async () => {
  /** @type {() => void} */
  let release = () => {};
  const gate = new Promise((resolve) => { release = () => resolve(undefined); });
  let calls = 0;
  const t = setup({
    syncSales: async (sales) => {
      if (++calls === 1) {
        await gate;
        return { status: 401, body: { title: 'Unauthorized' } };
      }
      return { status: 200, body: { results: sales.map((s) => ({ saleId: s.saleId, status: 'recorded', error: null, sale: {} })) } };
    },
  });
  const e = saleEntry();
  t.queue.set(e.id, e);
  t.state.authFailed = true;
  const run = t.runner.syncNow('sale');
  await tick();
  t.state.token = 'till_new_token';
  release();
  await run;
  assert.equal(t.state.authFailed, true, 'unchanged by the old token\'s 401 (the new token has not been refused)');
  assert.equal(t.waiting().length, 1);
  assert.equal(t.waiting()[0].ms, 0, 'again at once, not after a back-off');
  t.fire();
  await tick();
  await tick();
  assert.equal(t.queue.size, 0, 'uploaded with the new token');
  assert.equal(t.state.authFailed, false, 'a run that went through clears the banner');
});

test('coming back online fetches the catalog as well as syncing', async () => {
  const t = setup();
  t.runner.onNetworkChange();
  await tick();
  assert.ok(t.names().includes('api.catalog'));
});
