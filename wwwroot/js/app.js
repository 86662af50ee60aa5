// @ts-check
/**
 * The till's entry (index.html loads it; browser only). Opens IndexedDB, creates the views and the sync runner over
 * the one state (state.js) and wires them to each other, to the other tabs of this till (BroadcastChannel and the
 * till lock), to the scanner and to the page's events.
 *
 *   state.js            the state object, its mutators and selectors (pure)
 *   sync-runner.js      server probe, catalog refresh, live stock hub, the queue's upload (no DOM)
 *   sw-update.js        the service worker and "Update ready"
 *   views/setup.js      the token: setup screen, refused-token banner, export of unsent sales
 *   views/sale.js       catalog list, cart, receipt panel (views/receipt.js builds the receipt)
 *   views/payment.js    payment dialog, completing a sale
 *   views/returns.js    returns
 *   views/zreport.js    Z report
 *   views/sync.js       "Till & sync" and the sync badge
 *   views/status-bar.js top bar chips, the follower banner (views/guard.js: only the leader tab sells)
 * What the views decide without the DOM is in pure modules with node tests: checkout.js, return-draft.js, status.js,
 * token.js, scanner.js (routeScan), tablock.js.
 */
import { setMoneyLocale } from './money.js';
import { createApi } from './api.js';
import { createCart } from './cart.js';
import { openTillDb } from './db.js';
import { $, $input, printArea, show, toast } from './dom.js';
import { unsentCounts } from './export.js';
import { startHub } from './hub.js';
import { outletToday } from './lots.js';
import { attachScanner, routeScan } from './scanner.js';
import { isBusy, setCatalog, setQueue, setToday, state, warnBeforeUnload } from './state.js';
import { createUpdater } from './sw-update.js';
import { createSyncRunner } from './sync-runner.js';
import { FOLLOWER_MESSAGE, acquireTillLock, savedCartToAdopt } from './tablock.js';
import { extractToken, tokenFromHash } from './token.js';
import { createPaymentView } from './views/payment.js';
import { createReturnsView } from './views/returns.js';
import { createSaleView } from './views/sale.js';
import { createSetupView, exportUnsent, renderAuthBanner, setupOpen, showSetup, showTillScreen } from './views/setup.js';
import { renderHubState, renderRoleBanner, renderStatus, renderTillName } from './views/status-bar.js';
import { createSyncView } from './views/sync.js';
import { createZReport } from './views/zreport.js';

/** @typedef {import('./api.js').TillInfo} TillInfo */
/** @typedef {import('./state.js').View} View */

const HISTORY_DAYS = 90;
const CATALOG_REFRESH_MS = 5 * 60 * 1000;
const SYNC_INTERVAL_MS = 30 * 1000;

const api = createApi({ getToken: () => state.token, getPending: () => unsentCounts(state.queue).total });
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('backoffice-till') : null;

function broadcastQueueChanged() {
  channel?.postMessage({ type: 'queue-changed' });
}

/** After a sale or a return was saved on this till: the queue is read again, the other tabs told, the upload started. */
async function queued(/** @type {string} */ reason) {
  await refreshQueue();
  broadcastQueueChanged();
  runner.syncNow(reason);
}

const setup = createSetupView({ api, useToken, tokenChanged: () => channel?.postMessage({ type: 'token-changed' }) });
const sale = createSaleView({ setView, openPayment: () => payment.open() });
const payment = createPaymentView({
  updateCart: (cart) => sale.updateCart(cart),
  renderCart: () => sale.renderCart(),
  showReceipt: (saleId) => sale.showReceipt(saleId),
  saleSaved: () => queued('sale'),
});
const returns = createReturnsView({ api, returnSaved: () => queued('return') });
const zReport = createZReport({ db: () => state.db, api, me: () => state.me, print: (what) => printArea(what) });
const syncView = createSyncView({
  state: () => state,
  history: () => state.db.history(),
  syncNow: () => runner.syncByHand(),
  exportUnsent: () => exportUnsent(),
  retry: async (id) => {
    await state.db.retryEntry(id);
    await queued('retry-rejected');
  },
  discardReturn: async (id) => {
    await state.db.discardEntry(id);
    await refreshQueue();
    broadcastQueueChanged();
  },
});
const updater = createUpdater({ busy: () => isBusy(state, payment.isOpen()) });
const runner = createSyncRunner({
  state,
  api,
  isOnline: () => navigator.onLine,
  startHub,
  post: (message) => channel?.postMessage(message),
  ui: {
    status: renderStatus,
    authBanner: renderAuthBanner,
    tillName: renderTillName,
    catalog: () => {
      sale.renderProducts();
      sale.renderCart();
    },
    catalogChecked: () => sale.renderCatalogStatus(),
    hubState: renderHubState,
    syncing: () => syncView.renderBadge(),
    synced: () => {
      syncView.renderBadge();
      if (state.view === 'sync') syncView.render();
      if (state.view === 'zreport') zReport.render();
    },
    uploaded: async () => {
      await refreshQueue();
      broadcastQueueChanged();
      sale.renderReceipt();
      returns.renderResult();
    },
    toast,
  },
});

// ---------------------------------------------------------------------------------------------- boot

async function boot() {
  updater.register();
  try {
    state.db = await openTillDb();
  } catch (err) {
    document.body.textContent = `This browser cannot keep the till's data (IndexedDB): ${err instanceof Error ? err.message : err}`;
    return;
  }
  state.queue = await state.db.queue();
  setup.wire();
  wireTill();
  attachScanner(window, onScan);
  window.addEventListener('online', runner.onNetworkChange);
  window.addEventListener('offline', runner.onNetworkChange);
  window.addEventListener('beforeunload', onBeforeUnload);
  channel?.addEventListener('message', onChannelMessage);

  state.token = (await state.db.getSetting('token')) ?? null;
  state.me = (await state.db.getSetting('me')) ?? null;
  setMoneyLocale(state.me);
  const fromLink = tokenFromHash(location.hash);
  if (fromLink) {
    history.replaceState(null, '', location.pathname + location.search);
    if (!state.token) {
      showSetup();
      $input('token-input').value = fromLink;
      await setup.submitToken(fromLink);
      return;
    }
  }
  if (state.token && state.me) await startTill();
  else showSetup();
}

function wireTill() {
  for (const tab of document.querySelectorAll('.tabs .tab')) {
    tab.addEventListener('click', () => setView(/** @type {View} */ (/** @type {HTMLElement} */ (tab).dataset.view)));
  }
  $('sync-badge').addEventListener('click', () => setView('sync'));
  updater.wire();
  sale.wire();
  payment.wire();
  returns.wire();
  zReport.wire();
  syncView.wire();
}

/**
 * A token the server accepted (here, or in another tab of this till): the queue goes up with it at once.
 * @param {string} token
 * @param {TillInfo} me
 */
async function useToken(token, me) {
  state.token = token;
  state.me = me;
  setMoneyLocale(me);
  state.reachable = true;
  runner.setAuthFailed(false);
  runner.resetBackoff();
  if (!state.started) {
    await startTill();
    return;
  }
  showTillScreen();
  renderStatus();
  renderTillName();
  runner.connectHub();
  runner.refreshCatalog();
  runner.syncNow('token');
}

async function startTill() {
  state.started = true;
  showTillScreen();
  setToday(outletToday(state.me?.timeZone));
  setCatalog(await state.db.catalog());
  // Not the saved cart yet: only the tab that wins the till lock takes it over (becomeLeader).
  state.cart = createCart();
  await refreshQueue();
  renderAll();
  state.db.pruneHistory(HISTORY_DAYS).catch(() => {});

  acquireTillLock(navigator.locks, { onLeader: becomeLeader, onFollower: becomeFollower });
  runner.connectHub();
  runner.checkServer();
  runner.refreshCatalog();
  setInterval(() => runner.refreshCatalog(), CATALOG_REFRESH_MS);
  setInterval(runner.periodic, SYNC_INTERVAL_MS);
  setInterval(() => {
    if (setToday(outletToday(state.me?.timeZone))) {
      sale.renderProducts();
      sale.renderCart();
    }
  }, 60 * 1000);
  if (!matchMedia('(pointer: coarse)').matches) $input('search').focus();
}

function renderAll() {
  renderStatus();
  renderTillName();
  sale.renderProducts();
  sale.renderCart();
  renderView();
}

/** The queue as stored now, and everything that shows it. */
async function refreshQueue() {
  setQueue(await state.db.queue());
  syncView.renderBadge();
  if (state.authFailed) renderAuthBanner();
  sale.renderProducts();
  sale.renderCart();
  if (state.view === 'sync') syncView.render();
}

// ------------------------------------------------------------------------------------------- views

/** @param {View} view */
function setView(view) {
  if (!view) return;
  state.view = view;
  renderView();
}

function renderView() {
  for (const section of document.querySelectorAll('.views > .view')) {
    const el = /** @type {HTMLElement} */ (section);
    show(el, el.dataset.view === state.view);
  }
  for (const tab of document.querySelectorAll('.tabs .tab')) {
    const el = /** @type {HTMLElement} */ (tab);
    if (el.dataset.view === state.view) el.setAttribute('aria-current', 'page');
    else el.removeAttribute('aria-current');
  }
  if (state.view === 'returns') returns.render();
  if (state.view === 'zreport') zReport.render();
  if (state.view === 'sync') syncView.render();
}

// -------------------------------------------------------------------------------- leader (Web Locks)

async function becomeLeader() {
  // The lock is this tab's whatever happens here: failing to read the saved cart only means a fresh one.
  const adopted = await savedCartToAdopt(state.db).catch(() => null);
  if (adopted) state.cart = adopted;
  else state.db.setSetting('cart', state.cart).catch(() => {});
  state.isLeader = true;
  renderRole();
  runner.syncNow('leader');
}

function becomeFollower() {
  state.isLeader = false;
  renderRole();
}

function renderRole() {
  renderRoleBanner();
  sale.renderProducts();
  sale.renderCart();
  if (state.view === 'returns') returns.render();
  if (state.view === 'sync') syncView.render();
}

/** @param {MessageEvent} e */
async function onChannelMessage(e) {
  const msg = e.data ?? {};
  if (msg.type === 'queue-changed') {
    await refreshQueue();
    sale.renderReceipt();
    returns.renderResult();
    if (state.view === 'zreport') zReport.render();
    if (state.view === 'returns') returns.renderSales();
  } else if (msg.type === 'kick' && state.isLeader) {
    runner.syncNow('kick');
  } else if (msg.type === 'token-changed') {
    const token = (await state.db.getSetting('token')) ?? null;
    const me = (await state.db.getSetting('me')) ?? null;
    if (token && me) await useToken(token, me);
  }
}

/** @param {BeforeUnloadEvent} e */
function onBeforeUnload(e) {
  // Nothing is lost (the queue is on disk), but the sales only reach the server while a till tab is open.
  if (warnBeforeUnload(state)) {
    e.preventDefault();
    e.returnValue = '';
  }
}

// ------------------------------------------------------------------------------------------- scanner

/**
 * @param {string} code
 * @param {EventTarget | null} target
 * @returns {boolean} whether the scan was used
 */
function onScan(code, target) {
  const action = routeScan(code, {
    setupOpen: setupOpen(),
    started: state.started,
    paymentOpen: payment.isOpen(),
    isLeader: state.isLeader,
    view: state.view,
    inField: target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement,
    manualReturn: returns.takesManualLines(),
    index: state.index,
    today: state.today,
  });
  switch (action.type) {
    case 'pass':
      return false;
    case 'token':
      $input('token-input').value = extractToken(code);
      setup.submitToken(code);
      return true;
    case 'payment-open':
      toast('Finish or cancel the payment first', 'warning');
      return true;
    case 'follower':
      toast(FOLLOWER_MESSAGE, 'warning');
      return true;
    case 'find-sale':
      $input('return-sale-search').value = '';
      returns.findSale(code);
      return true;
    case 'return-line':
      returns.addManualReturnLine(action.product);
      return true;
    case 'add':
      // Only what went into the cart is announced (a follower tab was told why not).
      if (sale.addToCart(action.product, action.lot)) toast(`Added ${action.product.name}${action.lot ? ` · lot ${action.lot.lotNumber}` : ''}`, 'success');
      return true;
    case 'blocked':
      sale.showBlocked(action.product, action.message);
      return true;
    case 'unreadable':
      toast(action.message, 'warning');
      return true;
    case 'unknown':
      toast(`Unknown barcode ${code}`, 'warning');
      return true;
  }
}

boot();
