// @ts-check
/**
 * A small promise wrapper over IndexedDB, and the till's stores:
 * - settings: { key, value } (the till token, the till, the catalog ETag, the open cart, …)
 * - catalog:  products by sku
 * - queue:    sales and returns waiting for the server, by id (saleId / returnId)
 * - history:  every sale and return made at this till, by id, with its sync status and the server's answer
 * Nothing touches IndexedDB until `openTillDb()` is called.
 */

import { outcomeChanges } from './queue.js';
import { prunable } from './history.js';

/** @typedef {import('./queue.js').QueueEntry} QueueEntry */
/** @typedef {import('./queue.js').StoreOutcome} StoreOutcome */
/** @typedef {import('./history.js').HistoryRecord} HistoryRecord */
/** @typedef {import('./cart.js').Product} Product */
/** @typedef {'settings' | 'catalog' | 'queue' | 'history'} StoreName */

export const DB_NAME = 'backoffice-till';
export const DB_VERSION = 1;

/**
 * @template T
 * @param {IDBRequest<T>} request
 * @returns {Promise<T>}
 */
export function req(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Resolves when the transaction commits, rejects when it aborts.
 * @param {IDBTransaction} tx
 * @returns {Promise<void>}
 */
export function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new DOMException('Transaction aborted', 'AbortError'));
    tx.onerror = () => reject(tx.error);
  });
}

/**
 * @param {IDBFactory} [factory]
 * @returns {Promise<TillDb>}
 */
export function openTillDb(factory = globalThis.indexedDB) {
  return new Promise((resolve, reject) => {
    if (!factory) {
      reject(new Error('IndexedDB is not available in this browser'));
      return;
    }
    const open = factory.open(DB_NAME, DB_VERSION);
    open.onupgradeneeded = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('settings')) db.createObjectStore('settings', { keyPath: 'key' });
      if (!db.objectStoreNames.contains('catalog')) db.createObjectStore('catalog', { keyPath: 'sku' });
      if (!db.objectStoreNames.contains('queue')) db.createObjectStore('queue', { keyPath: 'id' });
      if (!db.objectStoreNames.contains('history')) {
        const h = db.createObjectStore('history', { keyPath: 'id' });
        h.createIndex('localDate', 'localDate');
        h.createIndex('occurredAt', 'occurredAt');
      }
    };
    open.onsuccess = () => resolve(new TillDb(open.result));
    open.onerror = () => reject(open.error);
    open.onblocked = () => reject(new Error('The till database is blocked by another tab on an older version: close it'));
  });
}

export class TillDb {
  /** @param {IDBDatabase} db */
  constructor(db) {
    this.db = db;
    // Another tab opened a newer version: let it upgrade; this tab reloads.
    db.onversionchange = () => {
      db.close();
      if (typeof location !== 'undefined') location.reload();
    };
  }

  /**
   * @param {StoreName | StoreName[]} stores
   * @param {IDBTransactionMode} mode
   */
  tx(stores, mode) {
    return this.db.transaction(stores, mode, { durability: 'strict' });
  }

  /** @param {StoreName} store @param {IDBValidKey} key @returns {Promise<any>} */
  async get(store, key) {
    return req(this.tx(store, 'readonly').objectStore(store).get(key));
  }

  /** @param {StoreName} store @returns {Promise<any[]>} */
  async getAll(store) {
    return req(this.tx(store, 'readonly').objectStore(store).getAll());
  }

  /** @param {StoreName} store @param {any} value */
  async put(store, value) {
    const tx = this.tx(store, 'readwrite');
    tx.objectStore(store).put(value);
    await done(tx);
  }

  /** @param {StoreName} store @param {IDBValidKey} key */
  async delete(store, key) {
    const tx = this.tx(store, 'readwrite');
    tx.objectStore(store).delete(key);
    await done(tx);
  }

  /** @param {string} key @returns {Promise<any>} */
  async getSetting(key) {
    const row = await this.get('settings', key);
    return row ? row.value : undefined;
  }

  /** @param {string} key @param {any} value */
  async setSetting(key, value) {
    await this.put('settings', { key, value });
  }

  /** @param {string} key */
  async deleteSetting(key) {
    await this.delete('settings', key);
  }

  /** @returns {Promise<Product[]>} */
  async catalog() {
    return this.getAll('catalog');
  }

  /**
   * Replaces the whole catalog and its ETag in one transaction.
   * @param {Product[]} products
   * @param {{ etag: string | null, generatedAt: string | null, outletCode: string | null }} meta
   */
  async replaceCatalog(products, meta) {
    const tx = this.tx(['catalog', 'settings'], 'readwrite');
    const catalog = tx.objectStore('catalog');
    catalog.clear();
    for (const p of products) catalog.put(p);
    tx.objectStore('settings').put({ key: 'catalogMeta', value: meta });
    await done(tx);
  }

  /**
   * @param {string} sku
   * @param {number} available
   * @returns {Promise<Product | undefined>} the updated product
   */
  async updateAvailable(sku, available) {
    const tx = this.tx('catalog', 'readwrite');
    const store = tx.objectStore('catalog');
    /** @type {Product | undefined} */
    const p = await req(store.get(sku));
    if (p) store.put({ ...p, available });
    await done(tx);
    return p ? { ...p, available } : undefined;
  }

  /**
   * Writes a sale or return to the queue and the history, and drops the open cart (or return draft),
   * all in one transaction: once this resolves, the sale survives reloads and closing the browser.
   * An id already in the history or the queue changes nothing (the settings stay too: that cart was not sold).
   * @param {QueueEntry} entry
   * @param {HistoryRecord} record
   * @param {string[]} [settingsToDelete]
   * @returns {Promise<boolean>} false when that id was already used
   */
  async enqueue(entry, record, settingsToDelete = []) {
    const tx = this.tx(['queue', 'history', 'settings'], 'readwrite');
    const history = tx.objectStore('history');
    const queue = tx.objectStore('queue');
    const existing = (await req(history.getKey(record.id))) ?? (await req(queue.getKey(entry.id)));
    let added = false;
    if (existing === undefined) {
      queue.add(entry);
      history.add(record);
      for (const key of settingsToDelete) tx.objectStore('settings').delete(key);
      added = true;
    }
    await done(tx);
    return added;
  }

  /** @returns {Promise<QueueEntry[]>} */
  async queue() {
    return this.getAll('queue');
  }

  /**
   * Records the server's answers in one transaction (see `outcomeChanges`): what the server took (recorded,
   * duplicate, or held for a manager) leaves the queue; the rest stays, pending or flagged, with its error.
   * @param {Partial<StoreOutcome>} outcome
   */
  async applySyncOutcome(outcome) {
    const tx = this.tx(['queue', 'history'], 'readwrite');
    const queue = tx.objectStore('queue');
    const history = tx.objectStore('history');
    for (const change of outcomeChanges(outcome)) {
      if (change.queue === null) {
        queue.delete(change.id);
      } else {
        const current = await req(queue.get(change.id));
        if (current) queue.put({ ...current, ...change.queue });
      }
      const rec = await req(history.get(change.id));
      if (rec) history.put({ ...rec, ...change.history });
    }
    await done(tx);
  }

  /**
   * A rejected entry goes back to pending (a human decided to send it again).
   * @param {string} id
   */
  async retryEntry(id) {
    const tx = this.tx(['queue', 'history'], 'readwrite');
    const e = await req(tx.objectStore('queue').get(id));
    if (e) tx.objectStore('queue').put({ ...e, state: 'pending', lastError: null });
    const rec = await req(tx.objectStore('history').get(id));
    if (rec) tx.objectStore('history').put({ ...rec, status: 'pending', error: null });
    await done(tx);
  }

  /**
   * A human decided a refused return will never be recorded: it leaves the queue; the history keeps it as rejected.
   * Sales are never discarded on the till: the server keeps what it refuses, or the till keeps it.
   * @param {string} id
   */
  async discardEntry(id) {
    const tx = this.tx('queue', 'readwrite');
    const queue = tx.objectStore('queue');
    /** @type {QueueEntry | undefined} */
    const e = await req(queue.get(id));
    if (e && e.kind !== 'return') {
      tx.abort();
      throw new Error('A sale cannot be discarded on the till');
    }
    if (e) queue.delete(id);
    await done(tx);
  }

  /** @returns {Promise<HistoryRecord[]>} */
  async history() {
    return this.getAll('history');
  }

  /** @param {string} id @returns {Promise<HistoryRecord | undefined>} */
  async historyRecord(id) {
    return this.get('history', id);
  }

  /**
   * Drops history older than `days` that is settled and no longer queued (see `prunable`).
   * @param {number} days
   */
  async pruneHistory(days) {
    const cutoff = new Date(Date.now() - days * 86400000);
    const tx = this.tx(['history', 'queue'], 'readwrite');
    const history = tx.objectStore('history');
    const queue = tx.objectStore('queue');
    /** @type {HistoryRecord[]} */
    const all = await req(history.getAll());
    const queued = new Set((await req(queue.getAllKeys())).map(String));
    for (const r of all) if (prunable(r, queued, cutoff)) history.delete(r.id);
    await done(tx);
  }
}
