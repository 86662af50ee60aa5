// @ts-check
/**
 * One till, one selling tab. The tab that holds the Web Lock 'till-sync' is the leader: it sells, owns the saved cart
 * and uploads the queue. The other tabs of the same till are followers until the leader closes. Without Web Locks
 * every tab leads (there is nothing to coordinate with). Pure rules plus `acquireTillLock` over an injected LockManager.
 */
import { createCart, isUuid, newUuid } from './cart.js';

/** @typedef {import('./cart.js').Cart} Cart */
/** @typedef {'leader' | 'follower'} TabRole */
/**
 * The part of `navigator.locks` used here.
 * @typedef {{ request(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => Promise<unknown>): Promise<unknown>,
 *   request(name: string, callback: (lock: unknown) => Promise<unknown>): Promise<unknown> }} LockManagerLike
 */

export const TILL_LOCK = 'till-sync';

export const FOLLOWER_MESSAGE = 'This till is open in another tab or window. Sell there; this tab takes over when that one closes.';

export const REUSED_SALE_MESSAGE = 'This sale number was already used on this till, so nothing was saved. The sale now has a new number: complete it again.';

/** @param {TabRole} role */
export function canSell(role) {
  return role === 'leader';
}

/**
 * Becomes leader at once when the lock is free (or Web Locks do not exist), otherwise follower and then leader
 * when the tab holding it goes away. The lock is held until `hold` settles (never, in the browser).
 * @param {LockManagerLike | null | undefined} locks
 * @param {{ onLeader: () => unknown, onFollower: () => unknown, hold?: () => Promise<unknown>, name?: string }} handlers
 * @returns {Promise<void>} resolves once the first role is known
 */
export function acquireTillLock(locks, handlers) {
  const name = handlers.name ?? TILL_LOCK;
  const hold = handlers.hold ?? (() => new Promise(() => {}));
  const lead = async () => {
    try {
      await handlers.onLeader();
    } catch (err) {
      // Keep the lock even so: a second leader would be worse than a leader whose start failed.
      console.error(err);
    }
    await hold();
  };
  if (!locks || typeof locks.request !== 'function') {
    return Promise.resolve(handlers.onLeader()).then(() => {}, (err) => console.error(err));
  }
  return new Promise((resolve) => {
    locks.request(name, { ifAvailable: true }, async (lock) => {
      if (lock) {
        resolve();
        await lead();
        return;
      }
      handlers.onFollower();
      resolve();
      locks.request(name, lead).catch((err) => console.error(err));
    }).catch((err) => {
      console.error(err);
      resolve();
    });
  });
}

/**
 * The saved cart a new leader may take over: a well-formed cart whose saleId no sale of this till has used (in the
 * history or the queue). Anything else means that cart was sold, or is not a cart: start a fresh one.
 * @param {unknown} saved
 * @param {Iterable<string>} usedIds
 * @returns {Cart | null}
 */
export function adoptableCart(saved, usedIds) {
  if (!saved || typeof saved !== 'object') return null;
  const cart = /** @type {Cart} */ (saved);
  if (typeof cart.saleId !== 'string' || !isUuid(cart.saleId) || !Array.isArray(cart.lines)) return null;
  const id = cart.saleId.toLowerCase();
  for (const used of usedIds) if (String(used).toLowerCase() === id) return null;
  return cart;
}

/**
 * After Complete sale: the receipt to show and the cart to continue with. A receipt is shown only for the sale just
 * saved under this cart's id; when that id was already used nothing was saved, so the cart keeps its lines under a
 * new id and the cashier pays again.
 * @param {Cart} cart
 * @param {{ id: string }} record the history record that was written
 * @param {boolean} added what `TillDb.enqueue` answered
 * @param {string} [nextSaleId]
 * @returns {{ receiptId: string, cart: Cart, error: null } | { receiptId: null, cart: Cart, error: string }}
 */
export function settleSale(cart, record, added, nextSaleId = newUuid()) {
  if (added && record.id.toLowerCase() === cart.saleId.toLowerCase()) return { receiptId: record.id, cart: createCart(), error: null };
  return { receiptId: null, cart: { ...cart, saleId: nextSaleId }, error: REUSED_SALE_MESSAGE };
}

/**
 * The cart the previous leader left (the `cart` setting), unless a sale of this till (in the queue or the history)
 * already used its id.
 * @param {{ getSetting(key: string): Promise<any>, queue(): Promise<{ id: string }[]>, historyRecord(id: string): Promise<unknown> }} db
 * @returns {Promise<Cart | null>}
 */
export async function savedCartToAdopt(db) {
  const saved = await db.getSetting('cart');
  /** @type {string[]} */
  const used = (await db.queue()).map((e) => e.id);
  if (saved && typeof saved.saleId === 'string' && (await db.historyRecord(saved.saleId))) used.push(saved.saleId);
  return adoptableCart(saved, used);
}
