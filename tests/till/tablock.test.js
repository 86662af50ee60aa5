// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addProduct, createCart } from '../../wwwroot/js/cart.js';
import {
  FOLLOWER_MESSAGE, REUSED_SALE_MESSAGE, TILL_LOCK, acquireTillLock, adoptableCart, canSell, savedCartToAdopt, settleSale,
} from '../../wwwroot/js/tablock.js';

const para = { sku: 'PARA', barcode: null, name: 'Paracetamol', price: 3.49, available: 10, nextExpiry: null };
const tick = () => new Promise((resolve) => setImmediate(resolve));

/** An exclusive, first-come-first-served lock manager as the Web Locks API behaves for one origin. */
function fakeLocks() {
  /** @type {Set<string>} */
  const held = new Set();
  /** @type {Map<string, (() => void)[]>} */
  const waiting = new Map();
  /** @type {string[]} */
  const requested = [];
  /** @param {string} name @param {(lock: unknown) => Promise<unknown>} cb */
  async function run(name, cb) {
    held.add(name);
    await Promise.resolve();
    try {
      return await cb({ name });
    } finally {
      held.delete(name);
      waiting.get(name)?.shift()?.();
    }
  }
  return {
    held,
    requested,
    /** @param {string} name @param {any} a @param {any} [b] @returns {Promise<unknown>} */
    request(name, a, b) {
      const options = typeof a === 'function' ? {} : a;
      const cb = typeof a === 'function' ? a : b;
      requested.push(name);
      if (!held.has(name) && !waiting.get(name)?.length) return run(name, cb);
      if (options.ifAvailable) return Promise.resolve().then(() => cb(null));
      return new Promise((resolve, reject) => {
        const q = waiting.get(name) ?? [];
        q.push(() => run(name, cb).then(resolve, reject));
        waiting.set(name, q);
      });
    },
  };
}

/** A tab of the till: its roles over time, and a way to close it (which releases its lock). */
function tab(/** @type {any} */ locks, /** @type {{ failLeading?: boolean }} */ opts = {}) {
  /** @type {string[]} */
  const roles = [];
  /** @type {() => void} */
  let close = () => {};
  const closed = new Promise((resolve) => { close = () => resolve(undefined); });
  const ready = acquireTillLock(locks, {
    onLeader: () => {
      roles.push('leader');
      if (opts.failLeading) throw new Error('start failed');
    },
    onFollower: () => roles.push('follower'),
    hold: () => closed,
  });
  return { roles, close, ready };
}

test('one tab leads; the others follow and the next one takes over when it closes', async () => {
  const locks = fakeLocks();
  const a = tab(locks);
  await a.ready;
  const b = tab(locks);
  await b.ready;
  const c = tab(locks);
  await c.ready;
  await tick();
  assert.deepEqual(a.roles, ['leader']);
  assert.deepEqual(b.roles, ['follower']);
  assert.deepEqual(c.roles, ['follower']);
  assert.ok(locks.requested.every((n) => n === TILL_LOCK));

  a.close();
  await tick();
  await tick();
  assert.deepEqual(b.roles, ['follower', 'leader']);
  assert.deepEqual(c.roles, ['follower'], 'still one leader at a time');

  b.close();
  await tick();
  await tick();
  assert.deepEqual(c.roles, ['follower', 'leader']);
});

test('a leader whose start fails keeps the lock: never two tabs selling', async () => {
  const locks = fakeLocks();
  const original = console.error;
  console.error = () => {};
  try {
    const a = tab(locks, { failLeading: true });
    await a.ready;
    await tick();
    const b = tab(locks);
    await b.ready;
    await tick();
    assert.deepEqual(a.roles, ['leader']);
    assert.deepEqual(b.roles, ['follower']);
  } finally {
    console.error = original;
  }
});

test('without Web Locks every tab leads (nothing to coordinate with)', async () => {
  const a = tab(undefined);
  const b = tab(null);
  await a.ready;
  await b.ready;
  assert.deepEqual(a.roles, ['leader']);
  assert.deepEqual(b.roles, ['leader']);
});

test('only the leader sells', () => {
  assert.equal(canSell('leader'), true);
  assert.equal(canSell('follower'), false);
  assert.match(FOLLOWER_MESSAGE, /open in another tab or window/);
});

test('a new leader takes over the saved cart only when no sale of this till used its id', () => {
  const saved = addProduct(createCart(), para, 2);
  assert.equal(adoptableCart(saved, []), saved);
  assert.equal(adoptableCart(saved, ['00000000-0000-4000-8000-000000000001']), saved);
  assert.equal(adoptableCart(saved, [saved.saleId]), null, 'sold (in the history or the queue): a fresh cart');
  assert.equal(adoptableCart(saved, [saved.saleId.toUpperCase()]), null, 'ids compare case-insensitively');
  assert.equal(adoptableCart(saved, new Set([saved.saleId])), null);
  for (const junk of [undefined, null, 'cart', 42, {}, { saleId: saved.saleId }, { ...saved, lines: null }, { ...saved, saleId: 'not-a-uuid' }]) {
    assert.equal(adoptableCart(junk, []), null, JSON.stringify(junk));
  }
});

test('after Complete sale: a receipt only for the sale just saved under this cart; a used id gives the cart a new one, lines kept', () => {
  const cart = addProduct(createCart(), para, 2);
  const ok = settleSale(cart, { id: cart.saleId }, true);
  assert.equal(ok.receiptId, cart.saleId);
  assert.equal(ok.error, null);
  assert.equal(ok.cart.lines.length, 0);
  assert.notEqual(ok.cart.saleId, cart.saleId);

  const used = settleSale(cart, { id: cart.saleId }, false, '00000000-0000-4000-8000-0000000000aa');
  assert.equal(used.receiptId, null, 'never the receipt of a sale that is not this cart\'s');
  assert.equal(used.error, REUSED_SALE_MESSAGE);
  assert.equal(used.cart.saleId, '00000000-0000-4000-8000-0000000000aa');
  assert.deepEqual(used.cart.lines, cart.lines);

  const fresh = settleSale(cart, { id: cart.saleId }, false);
  assert.notEqual(fresh.cart.saleId, cart.saleId);
  assert.equal(settleSale(cart, { id: '00000000-0000-4000-8000-0000000000bb' }, true).receiptId, null, 'a record of another sale');
});

test('the saved cart a new leader reads: not when the queue or the history already has its sale id', async () => {
  const saved = addProduct(createCart(), para, 2);
  /** @param {any} cart @param {string[]} queued @param {string[]} history */
  const db = (cart, queued, history) => ({
    getSetting: async (/** @type {string} */ key) => (key === 'cart' ? cart : undefined),
    queue: async () => queued.map((id) => ({ id })),
    historyRecord: async (/** @type {string} */ id) => (history.includes(id) ? { id } : undefined),
  });
  assert.equal(await savedCartToAdopt(db(saved, [], [])), saved);
  assert.equal(await savedCartToAdopt(db(saved, [saved.saleId], [])), null, 'queued: sold');
  assert.equal(await savedCartToAdopt(db(saved, [], [saved.saleId])), null, 'in the history (sent already): sold');
  assert.equal(await savedCartToAdopt(db(undefined, [], [])), null, 'nothing saved');
  assert.equal(await savedCartToAdopt(db({ lines: [] }, [], [])), null, 'not a cart');
});
