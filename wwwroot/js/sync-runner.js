// @ts-check
/**
 * Connectivity and upload: probing the server, the catalog refresh, the live stock hub and the queue's sync, with
 * their back-offs and timers. No DOM: what the page shows is redrawn through the `ui` callbacks, so node's tests
 * drive it with fakes. `afterSync` (pure) decides what a finished sync run changes.
 */
import { setMoneyLocale } from './money.js';
import { ApiError } from './api.js';
import { Backoff } from './backoff.js';
import { pendingEntries, runSync } from './queue.js';
import { applyStockChanged, setCatalog, wantsPeriodicSync } from './state.js';

/** @typedef {import('./state.js').TillState} TillState */
/** @typedef {import('./queue.js').SyncReport} SyncReport */
/** @typedef {import('./hub.js').HubState} HubState */
/** @typedef {{ stop(): Promise<void>, restart(): void }} Hub */
/** @typedef {'info' | 'success' | 'warning' | 'error'} ToastKind */
/** @typedef {{ setTimeout: (fn: () => void, ms: number) => unknown, clearTimeout: (timer: unknown) => void }} Timers */
/**
 * @typedef {{ getToken: () => string | null | undefined, onStockChanged: (m: import('./catalog.js').StockChanged) => void,
 *   onCatalogChanged?: () => void, onState?: (s: HubState) => void, onReconnected?: () => void }} HubOptions
 */
/**
 * What the runner redraws: `status` the connection chip, `authBanner` the refused-token banner, `tillName` the
 * till's name, `catalog` the product list and the cart (after the catalog or a stock figure changed),
 * `catalogChecked` the catalog's status line, `hubState` the live stock chip, `syncing` the sync badge as a run
 * starts, `synced` the badge and the views that show the queue once it ends, `uploaded` (awaited) everything that
 * shows the queue after a step of a run was recorded.
 * @typedef {{ status(): void, authBanner(): void, tillName(): void, catalog(): void, catalogChecked(): void,
 *   hubState(s: HubState): void, syncing(): void, synced(): void, uploaded(): Promise<void>,
 *   toast(message: string, kind: ToastKind): void }} RunnerUi
 */

/**
 * What the end of a sync run changes, in this order: the back-off is reset, the token marked refused, the server
 * marked reachable or not (null: unchanged), the catalog refreshed, the toasts shown, a retry scheduled.
 * @param {SyncReport} report
 * @param {{ sent: boolean, onLine: boolean }} at `sent` something was sent; `onLine` the browser's network
 */
export function afterSync(report, at) {
  /** @type {[string, ToastKind][]} */
  const toasts = [];
  if (report.ok) {
    if (report.held > 0) toasts.push([`${report.held} sale(s) were not recorded: the server holds them for a manager. See Till & sync`, 'warning']);
    if (report.rejected > 0) toasts.push([`${report.rejected} item(s) were refused by the server: see Till & sync`, 'error']);
    return {
      lastSyncError: null, resetBackoff: true, authFailed: false, reachable: at.sent ? true : null,
      // A held sale often means the till's catalog is stale (a product deactivated, a price changed): fetch it too.
      refreshCatalog: report.recorded + report.duplicates + report.held > 0, toasts, retry: false,
    };
  }
  return {
    lastSyncError: report.error, resetBackoff: false, authFailed: report.authFailed,
    reachable: report.authFailed ? true : at.onLine ? false : null, refreshCatalog: false, toasts, retry: true,
  };
}

/**
 * The report of a run that threw (a store failure) instead of reporting.
 * @param {unknown} err
 * @returns {SyncReport}
 */
export function failedSyncReport(err) {
  return { ok: false, authFailed: false, recorded: 0, duplicates: 0, held: 0, retrying: 0, rejected: 0, remaining: 0, completed: [], error: err instanceof Error ? err.message : String(err) };
}

/**
 * @param {{ state: TillState, api: Pick<import('./api.js').Api, 'me' | 'catalog' | 'syncSales' | 'postReturn'>, ui: RunnerUi,
 *   isOnline: () => boolean, startHub: (options: HubOptions) => Hub, post: (message: { type: string, reason?: string }) => void,
 *   timers?: Timers }} deps
 *   `post` tells the other tabs of this till (BroadcastChannel); `timers` are the global ones unless a test fakes them
 */
export function createSyncRunner(deps) {
  const { state, api, ui } = deps;
  const setTimeout = deps.timers?.setTimeout ?? ((fn, ms) => globalThis.setTimeout(fn, ms));
  const clearTimeout = deps.timers?.clearTimeout ?? ((t) => globalThis.clearTimeout(/** @type {number | undefined} */ (t)));
  const probeBackoff = new Backoff({ baseMs: 2000, capMs: 60000, minMs: 1000 });
  const syncBackoff = new Backoff({ baseMs: 2000, capMs: 60000, minMs: 1000 });
  /** @type {unknown} */
  let probeTimer;
  /** @type {unknown} */
  let syncTimer;
  let syncAgain = false;
  let catalogLoading = false;
  /** @type {Hub | null} */
  let hub = null;

  /** `GET /api/till/me`: is the server there, is the token still good; until it answers, again after a back-off. */
  async function checkServer() {
    clearTimeout(probeTimer);
    if (!state.token) return;
    try {
      const me = await api.me();
      setReachable(true);
      setAuthFailed(false);
      probeBackoff.reset();
      if (JSON.stringify(me) !== JSON.stringify(state.me)) {
        state.me = me;
        setMoneyLocale(me);
        await state.db.setSetting('me', me);
        ui.tillName();
      }
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
        setReachable(true);
        setAuthFailed(true);
      } else {
        setReachable(false);
      }
      probeTimer = setTimeout(checkServer, probeBackoff.next());
    }
  }

  /** @param {boolean} value */
  function setReachable(value) {
    const was = state.reachable;
    state.reachable = value;
    ui.status();
    if (value && was === false) {
      // The server is back: upload, refresh, reconnect now rather than at the end of a back-off.
      syncNow('reachable');
      refreshCatalog();
      hub?.restart();
    }
  }

  /** @param {boolean} value */
  function setAuthFailed(value) {
    state.authFailed = value;
    ui.authBanner();
  }

  /** The browser's `online` / `offline` events. */
  function onNetworkChange() {
    ui.status();
    if (deps.isOnline()) {
      probeBackoff.reset();
      syncBackoff.reset();
      checkServer();
      syncNow('online');
      refreshCatalog();
      hub?.restart();
    }
  }

  /** A new token was accepted: no waiting for the back-offs of the old one. */
  function resetBackoff() {
    clearTimeout(probeTimer);
    probeBackoff.reset();
    syncBackoff.reset();
  }

  function openHub() {
    return deps.startHub({
      getToken: () => state.token,
      onState: (s) => ui.hubState(s),
      onReconnected: () => refreshCatalog(),
      // A recall or release at this outlet: the catalog's recalled lots changed, so fetch it now, not in 5 minutes.
      onCatalogChanged: () => refreshCatalog(),
      onStockChanged: async (m) => {
        if (!applyStockChanged(m, state)) return;
        ui.catalog();
        await state.db.updateAvailable(m.sku, m.available).catch(() => {});
      },
    });
  }

  /** Connects the live stock hub; a connection already open is stopped first (a new token). */
  function connectHub() {
    hub?.stop();
    hub = openHub();
  }

  async function refreshCatalog() {
    if (!state.token || catalogLoading || !deps.isOnline()) return;
    catalogLoading = true;
    try {
      const meta = (await state.db.getSetting('catalogMeta')) ?? null;
      const sameOutlet = meta && state.me && meta.outletCode === state.me.outletCode;
      const res = await api.catalog(sameOutlet ? meta.etag : null);
      setReachable(true);
      if (!res.notModified) {
        const products = Array.isArray(res.catalog.products) ? res.catalog.products : [];
        await state.db.replaceCatalog(products, { etag: res.etag, generatedAt: res.catalog.generatedAt ?? null, outletCode: res.catalog.outletCode ?? state.me?.outletCode ?? null });
        setCatalog(products, state);
        ui.catalog();
      }
      await state.db.setSetting('catalogCheckedAt', new Date().toISOString());
      ui.catalogChecked();
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) setAuthFailed(true);
      else if (!(err instanceof ApiError)) setReachable(false);
    } finally {
      catalogLoading = false;
    }
  }

  /**
   * Uploads the queue (the leader tab only: a follower asks the leader). A call during a run makes the run go again.
   * @param {string} reason
   */
  async function syncNow(reason) {
    if (!state.started) return;
    if (!state.isLeader) {
      deps.post({ type: 'kick', reason });
      return;
    }
    if (state.syncing) {
      syncAgain = true;
      return;
    }
    clearTimeout(syncTimer);
    syncTimer = undefined;
    if (!state.token) return;
    state.syncing = true;
    const runToken = state.token;
    ui.syncing();
    /** @type {SyncReport | null} */
    let report = null;
    let sent = false;
    try {
      do {
        syncAgain = false;
        const before = pendingEntries(await state.db.queue()).length;
        if (before === 0) break;
        sent = true;
        report = await runSync({ store: { list: () => state.db.queue(), apply: (o) => state.db.applySyncOutcome(o) }, api });
        await ui.uploaded();
      } while (syncAgain && report.ok);
    } catch (err) {
      report = failedSyncReport(err);
    } finally {
      state.syncing = false;
    }
    if (report) {
      const next = afterSync(report, { sent, onLine: deps.isOnline() });
      state.lastSyncAt = new Date().toISOString();
      state.lastSyncError = next.lastSyncError;
      if (next.resetBackoff) syncBackoff.reset();
      // A 401 for a token replaced during the run says nothing of the new one: go again with it.
      const staleToken = state.token !== runToken;
      if (next.authFailed && !staleToken) setAuthFailed(true);
      else if (!next.authFailed && sent && state.authFailed) setAuthFailed(false);
      if (next.authFailed && staleToken) {
        next.retry = false;
        syncAgainSoon();
      }
      if (next.reachable !== null) setReachable(next.reachable);
      if (next.refreshCatalog) refreshCatalog();
      for (const [message, kind] of next.toasts) ui.toast(message, kind);
      if (next.retry) syncTimer = setTimeout(() => syncNow('retry'), syncBackoff.next());
    }
    ui.synced();
  }

  function syncAgainSoon() {
    setTimeout(() => syncNow('token'), 0);
  }

  /** "Sync now": at once, whatever the back-off, and the server checked too. */
  function syncByHand() {
    syncBackoff.reset();
    checkServer();
    syncNow('button');
  }

  /** Every SYNC_INTERVAL_MS: a sync if something waits and nothing else will send it. */
  function periodic() {
    if (wantsPeriodicSync(state, Boolean(syncTimer))) syncNow('interval');
  }

  return { checkServer, setReachable, setAuthFailed, onNetworkChange, resetBackoff, connectHub, refreshCatalog, syncNow, syncByHand, periodic };
}
