// @ts-check
/**
 * The offline queue of sales and returns, and its upload. Pure rules plus `runSync`, which talks to
 * an injected store and API (IndexedDB and fetch in the browser, fakes in node's tests).
 *
 * Rules:
 * - entries go up in the order they were enqueued (enqueuedAt, then seq, then id);
 * - sales go through `POST /api/till/sales/sync` in chunks of at most 500 (and under 1 MiB);
 *   returns through `POST /api/till/returns`, each after every sale enqueued before it;
 * - an entry leaves the queue only when the server has taken it: its result says `recorded` or `duplicate`,
 *   or `rejected` with `held: true` (the server keeps the sale for a manager to settle);
 * - a `rejected` result the server did not hold stays pending with its error and goes again on the next sync;
 * - a request refused as a whole (400/413) for a single entry flags it on this till for a human (it is not sent
 *   again until someone retries it);
 * - a network error, a 5xx, or a missing result stops the run: the rest stays queued for the next try.
 */

/** @typedef {'sale' | 'return'} QueueKind */
/**
 * @typedef {{ id: string, kind: QueueKind, seq: number, enqueuedAt: string, payload: any,
 *   state: 'pending' | 'rejected', lastError: any }} QueueEntry
 */
/** @typedef {{ entry: QueueEntry, result: any }} Completed */
/** @typedef {{ entry: QueueEntry, error: any }} Rejected */
/**
 * What the store records: `completed` and `held` leave the queue; `retry` stays pending with its error;
 * `rejected` stays flagged on this till.
 * @typedef {{ completed: Completed[], held: Rejected[], retry: Rejected[], rejected: Rejected[] }} StoreOutcome
 */
/** @typedef {StoreOutcome & { missing: QueueEntry[] }} SyncOutcome */
/**
 * One entry's change in the store: `queue` null removes it from the queue, otherwise it is merged into the entry
 * (if still queued); `history` is merged into its history record (if any).
 * @typedef {{ id: string, queue: null | { state: 'pending' | 'rejected', lastError: any },
 *   history: { status: 'pending' | 'recorded' | 'rejected', response?: any, error: any, held?: boolean } }} EntryChange
 */
/** @typedef {{ type: 'sales', entries: QueueEntry[] } | { type: 'return', entry: QueueEntry }} SyncStep */
/**
 * @typedef {{ list(): Promise<QueueEntry[]>, apply(outcome: StoreOutcome): Promise<void> }} QueueStore
 * @typedef {{ status: number, body: any }} HttpResult
 * @typedef {{ syncSales(sales: any[]): Promise<HttpResult>, postReturn(payload: any): Promise<HttpResult> }} SyncApi
 * @typedef {{ ok: boolean, authFailed: boolean, recorded: number, duplicates: number, held: number, retrying: number,
 *   rejected: number, remaining: number, completed: Completed[], error: string | null }} SyncReport
 */

export const MAX_SYNC_ITEMS = 500;
export const MAX_SYNC_BYTES = 900 * 1024;

/**
 * @param {QueueKind} kind
 * @param {any} payload a sale request (with saleId) or a return request (with returnId)
 * @param {{ now?: Date, seq?: number }} [options]
 * @returns {QueueEntry}
 */
export function makeQueueEntry(kind, payload, options = {}) {
  const now = options.now ?? new Date();
  const id = kind === 'sale' ? payload.saleId : payload.returnId;
  if (!id) throw new Error(`A ${kind} needs its ${kind === 'sale' ? 'saleId' : 'returnId'}`);
  return { id, kind, seq: options.seq ?? now.getTime(), enqueuedAt: now.toISOString(), payload, state: 'pending', lastError: null };
}

/** @param {QueueEntry} a @param {QueueEntry} b */
export function compareEntries(a, b) {
  const ta = Date.parse(a.enqueuedAt);
  const tb = Date.parse(b.enqueuedAt);
  if (ta !== tb) return ta - tb;
  if (a.seq !== b.seq) return a.seq - b.seq;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** @param {QueueEntry[]} entries */
export function orderQueue(entries) {
  return [...entries].sort(compareEntries);
}

/** @param {QueueEntry[]} entries */
export function pendingEntries(entries) {
  return orderQueue(entries.filter((e) => e.state === 'pending'));
}

/** @param {QueueEntry[]} entries */
export function rejectedEntries(entries) {
  return orderQueue(entries.filter((e) => e.state === 'rejected'));
}

const encoder = new TextEncoder();
/** @param {unknown} value */
export function jsonBytes(value) {
  return encoder.encode(JSON.stringify(value)).length;
}

/**
 * Splits the pending entries into upload steps, keeping their order: runs of sales in chunks of at
 * most `maxItems` and `maxBytes`, and each return on its own after the sales before it.
 * @param {QueueEntry[]} entries
 * @param {{ maxItems?: number, maxBytes?: number }} [options]
 * @returns {SyncStep[]}
 */
export function planSync(entries, options = {}) {
  const maxItems = Math.max(1, Math.min(options.maxItems ?? MAX_SYNC_ITEMS, MAX_SYNC_ITEMS));
  const maxBytes = options.maxBytes ?? MAX_SYNC_BYTES;
  /** @type {SyncStep[]} */
  const steps = [];
  /** @type {QueueEntry[]} */
  let chunk = [];
  let bytes = jsonBytes({ sales: [] });
  const flush = () => {
    if (chunk.length) steps.push({ type: 'sales', entries: chunk });
    chunk = [];
    bytes = jsonBytes({ sales: [] });
  };
  for (const e of pendingEntries(entries)) {
    if (e.kind === 'return') {
      flush();
      steps.push({ type: 'return', entry: e });
      continue;
    }
    const size = jsonBytes(e.payload) + 1;
    if (chunk.length >= maxItems || (chunk.length > 0 && bytes + size > maxBytes)) flush();
    chunk.push(e);
    bytes += size;
  }
  flush();
  return steps;
}

/**
 * Matches a sync response's results to the sales sent, by saleId.
 * @param {QueueEntry[]} sent
 * @param {any} body `{ results: [ { saleId, status, error, sale, held } ] }`
 * @returns {SyncOutcome}
 */
export function applySyncResults(sent, body) {
  /** @type {Map<string, any>} */
  const byId = new Map();
  for (const r of Array.isArray(body?.results) ? body.results : []) {
    const id = r?.saleId ? String(r.saleId).toLowerCase() : null;
    if (id && !byId.has(id)) byId.set(id, r);
  }
  /** @type {SyncOutcome} */
  const outcome = { completed: [], held: [], retry: [], rejected: [], missing: [] };
  for (const entry of sent) {
    const r = byId.get(entry.id.toLowerCase());
    if (r && (r.status === 'recorded' || r.status === 'duplicate')) outcome.completed.push({ entry, result: r });
    else if (r && r.status === 'rejected') {
      const error = r.error ?? { title: 'Rejected by the server' };
      // Only an explicit `held: true` lets the till forget the sale.
      if (r.held === true) outcome.held.push({ entry, error });
      else outcome.retry.push({ entry, error });
    } else outcome.missing.push(entry);
  }
  return outcome;
}

/**
 * The store changes an outcome makes, entry by entry (what `TillDb.applySyncOutcome` writes).
 * @param {Partial<StoreOutcome>} outcome
 * @returns {EntryChange[]}
 */
export function outcomeChanges(outcome) {
  /** @type {EntryChange[]} */
  const changes = [];
  for (const { entry, result } of outcome.completed ?? []) {
    changes.push({ id: entry.id, queue: null, history: { status: 'recorded', response: result?.sale ?? result?.response ?? result, error: null } });
  }
  for (const { entry, error } of outcome.held ?? []) {
    changes.push({ id: entry.id, queue: null, history: { status: 'rejected', held: true, error } });
  }
  for (const { entry, error } of outcome.retry ?? []) {
    changes.push({ id: entry.id, queue: { state: 'pending', lastError: error }, history: { status: 'pending', error } });
  }
  for (const { entry, error } of outcome.rejected ?? []) {
    changes.push({ id: entry.id, queue: { state: 'rejected', lastError: error }, history: { status: 'rejected', held: false, error } });
  }
  return changes;
}

/**
 * @param {number} status
 * @returns {'ok' | 'auth' | 'too-large' | 'invalid' | 'retry'}
 */
export function classifyStatus(status) {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 401 || status === 403) return 'auth';
  if (status === 413) return 'too-large';
  if (status === 400 || status === 404 || status === 409 || status === 422) return 'invalid';
  return 'retry';
}

class SyncStop extends Error {
  /** @param {'network' | 'auth' | 'server' | 'incomplete'} reason @param {string} message */
  constructor(reason, message) {
    super(message);
    this.reason = reason;
  }
}

/**
 * Uploads what is pending, step by step, recording each server answer in the store as it comes.
 * @param {{ store: QueueStore, api: SyncApi, maxItems?: number, maxBytes?: number }} deps
 * @returns {Promise<SyncReport>}
 */
export async function runSync({ store, api, maxItems, maxBytes }) {
  const pending = pendingEntries(await store.list());
  /** @type {SyncReport} */
  const report = { ok: true, authFailed: false, recorded: 0, duplicates: 0, held: 0, retrying: 0, rejected: 0, remaining: pending.length, completed: [], error: null };

  /** @param {Partial<StoreOutcome>} o */
  const record = async (o) => {
    /** @type {StoreOutcome} */
    const outcome = { completed: o.completed ?? [], held: o.held ?? [], retry: o.retry ?? [], rejected: o.rejected ?? [] };
    if (!outcome.completed.length && !outcome.held.length && !outcome.retry.length && !outcome.rejected.length) return;
    await store.apply(outcome);
    for (const c of outcome.completed) {
      if (c.result?.status === 'duplicate') report.duplicates += 1;
      else report.recorded += 1;
      report.completed.push(c);
    }
    report.held += outcome.held.length;
    report.retrying += outcome.retry.length;
    report.rejected += outcome.rejected.length;
    // Retried entries are still pending: they count as remaining.
    report.remaining -= outcome.completed.length + outcome.held.length + outcome.rejected.length;
  };

  /** @param {QueueEntry[]} entries */
  const sendSales = async (entries) => {
    let res;
    try {
      res = await api.syncSales(entries.map((e) => e.payload));
    } catch (err) {
      throw new SyncStop('network', errorText(err));
    }
    const kind = classifyStatus(res.status);
    if (kind === 'ok') {
      const outcome = applySyncResults(entries, res.body);
      await record(outcome);
      if (outcome.missing.length) throw new SyncStop('incomplete', `${outcome.missing.length} sale(s) had no result`);
      return;
    }
    if (kind === 'auth') throw new SyncStop('auth', 'The till token was refused');
    if (kind === 'too-large' || kind === 'invalid') {
      if (entries.length > 1) {
        // Halve until the culprit is alone; the others go through.
        const mid = Math.ceil(entries.length / 2);
        await sendSales(entries.slice(0, mid));
        await sendSales(entries.slice(mid));
        return;
      }
      await record({ rejected: [{ entry: entries[0], error: problemOf(res) }] });
      return;
    }
    throw new SyncStop('server', `The server answered ${res.status}`);
  };

  /** @param {QueueEntry} entry */
  const sendReturn = async (entry) => {
    let res;
    try {
      res = await api.postReturn(entry.payload);
    } catch (err) {
      throw new SyncStop('network', errorText(err));
    }
    const kind = classifyStatus(res.status);
    if (kind === 'ok') {
      const result = { ...(res.body ?? {}), returnId: entry.id, status: res.status === 201 ? 'recorded' : 'duplicate', response: res.body ?? null };
      await record({ completed: [{ entry, result }] });
      return;
    }
    if (kind === 'auth') throw new SyncStop('auth', 'The till token was refused');
    if (kind === 'too-large' || kind === 'invalid') {
      await record({ rejected: [{ entry, error: problemOf(res) }] });
      return;
    }
    throw new SyncStop('server', `The server answered ${res.status}`);
  };

  try {
    for (const step of planSync(pending, { maxItems, maxBytes })) {
      if (step.type === 'sales') await sendSales(step.entries);
      else await sendReturn(step.entry);
    }
  } catch (err) {
    report.ok = false;
    report.error = errorText(err);
    if (err instanceof SyncStop && err.reason === 'auth') report.authFailed = true;
    if (!(err instanceof SyncStop)) throw err; // a store failure is a bug, not a network condition
  }
  return report;
}

/** @param {HttpResult} res */
function problemOf(res) {
  const body = res.body;
  if (body && typeof body === 'object') return { status: res.status, ...body };
  return { status: res.status, title: typeof body === 'string' && body ? body : `HTTP ${res.status}` };
}

/** @param {unknown} err */
function errorText(err) {
  return err instanceof Error ? err.message : String(err);
}

/**
 * A one-line description of a rejection for the cashier and the manager.
 * @param {any} error a problem details object
 */
export function describeProblem(error) {
  if (!error) return 'Rejected by the server';
  const title = error.title ?? error.detail ?? 'Rejected by the server';
  const fields = error.errors && typeof error.errors === 'object'
    ? Object.entries(error.errors).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(' ') : v}`).join('; ')
    : '';
  return fields ? `${title} (${fields})` : String(title);
}
