// @ts-check
/**
 * The till's UI: wires the pure modules (cart, queue, catalog, history) to IndexedDB, the API, the
 * SignalR hub, the scanner and the page. Loaded only in the browser (index.html).
 */
import { ApiError, createApi } from './api.js';
import { Backoff } from './backoff.js';
import {
  addProduct, buildSaleRequest, cartTotals, changeDue, clearCart, createCart, formatMoney, isUuid, lineTotal,
  lineWarnings, localDateString, newUuid, parseAmount, quickCashAmounts, removeLine, setQuantity,
} from './cart.js';
import { buildIndex, effectiveAvailable, findByCode, pendingQuantities, searchCatalog } from './catalog.js';
import { openTillDb } from './db.js';
import { $, $button, $input, compact, downloadJson, formatDateTime, formatTime, h, show, toast } from './dom.js';
import { authBannerText, buildUnsentExport, exportFileName, unsentCounts } from './export.js';
import { buildReturnRequest, makeReturnRecord, makeSaleRecord, returnableLines, saleRecordFromServer } from './history.js';
import { startHub } from './hub.js';
import { makeQueueEntry, pendingEntries, runSync } from './queue.js';
import { receiptContent, statusElement } from './receipt.js';
import { attachScanner } from './scanner.js';
import { createSyncView } from './sync-view.js';
import { FOLLOWER_MESSAGE, acquireTillLock, adoptableCart, settleSale } from './tablock.js';
import { createZReport } from './zreport-view.js';

/** @typedef {import('./cart.js').Product} Product */
/** @typedef {import('./cart.js').Cart} Cart */
/** @typedef {import('./api.js').TillInfo} TillInfo */
/** @typedef {import('./db.js').TillDb} TillDb */
/** @typedef {import('./queue.js').QueueEntry} QueueEntry */
/** @typedef {import('./history.js').SaleRecord} SaleRecord */
/** @typedef {import('./history.js').ReturnRecord} ReturnRecord */
/** @typedef {import('./history.js').HistoryRecord} HistoryRecord */
/** @typedef {'sale' | 'returns' | 'zreport' | 'sync'} View */
/**
 * @typedef {{ returnId: string, saleId: string, sale: SaleRecord | null, quantities: Map<string, number>,
 *   manual: Map<string, { name: string, unitPrice: number, quantity: number }>, refundMethod: 'cash' | 'card', reason: string }} ReturnDraft
 */

const HISTORY_DAYS = 90;
const CATALOG_REFRESH_MS = 5 * 60 * 1000;
const SYNC_INTERVAL_MS = 30 * 1000;

const state = {
  /** @type {TillDb} */ db: /** @type {any} */ (null),
  /** @type {string | null} */ token: null,
  /** @type {TillInfo | null} */ me: null,
  /** @type {Product[]} */ products: [],
  index: buildIndex([]),
  /** @type {QueueEntry[]} */ queue: [],
  /** @type {Map<string, number>} */ pending: new Map(),
  /** @type {Cart} */ cart: createCart(),
  /** @type {View} */ view: 'sale',
  search: '',
  /** @type {boolean | null} */ reachable: null,
  authFailed: false,
  isLeader: false,
  started: false,
  /** @type {string | null} */ receiptId: null,
  payMethod: /** @type {'cash' | 'card'} */ ('cash'),
  completing: false,
  returning: false,
  /** @type {ReturnDraft | null} */ returnDraft: null,
  /** @type {string | null} */ returnResultId: null,
  returnSearch: '',
  /** @type {string | null} */ lastSyncAt: null,
  /** @type {string | null} */ lastSyncError: null,
  syncing: false,
  today: localDateString(new Date()),
};

const api = createApi({ getToken: () => state.token, getPending: () => unsentCounts(state.queue).total });
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('backoffice-till') : null;
/** @type {{ stop(): Promise<void>, restart(): void } | null} */
let hub = null;
const zReport = createZReport({ db: () => state.db, api, me: () => state.me, print: (what) => printArea(what) });
const syncView = createSyncView({
  state: () => state,
  history: () => state.db.history(),
  syncNow: () => {
    syncBackoff.reset();
    checkServer();
    syncNow('button');
  },
  exportUnsent: () => exportUnsent(),
  retry: async (id) => {
    await state.db.retryEntry(id);
    await refreshQueue();
    broadcastQueueChanged();
    syncNow('retry-rejected');
  },
  discardReturn: async (id) => {
    await state.db.discardEntry(id);
    await refreshQueue();
    broadcastQueueChanged();
  },
});

// ---------------------------------------------------------------------------------------------- boot

async function boot() {
  registerServiceWorker();
  try {
    state.db = await openTillDb();
  } catch (err) {
    document.body.textContent = `This browser cannot keep the till's data (IndexedDB): ${err instanceof Error ? err.message : err}`;
    return;
  }
  state.queue = await state.db.queue();
  wireSetup();
  wireTill();
  attachScanner(window, onScan);
  window.addEventListener('online', onNetworkChange);
  window.addEventListener('offline', onNetworkChange);
  window.addEventListener('beforeunload', onBeforeUnload);
  channel?.addEventListener('message', onChannelMessage);

  state.token = (await state.db.getSetting('token')) ?? null;
  state.me = (await state.db.getSetting('me')) ?? null;
  const fromLink = tokenFromLocation();
  if (fromLink) {
    history.replaceState(null, '', location.pathname + location.search);
    if (!state.token) {
      showSetup();
      $input('token-input').value = fromLink;
      await submitToken(fromLink);
      return;
    }
  }
  if (state.token && state.me) await startTill();
  else showSetup();
}

/** A QR code may carry a link such as /till/#token=…: take the token from it. */
function tokenFromLocation() {
  const m = /(?:^|[#&?])token=([^&]+)/.exec(location.hash);
  return m ? decodeURIComponent(m[1]) : null;
}

/** @param {string} code what a scanner or a paste gave: a bare token or a link carrying one */
function extractToken(code) {
  const m = /[#?&]token=([^&#\s]+)/.exec(code);
  return (m ? decodeURIComponent(m[1]) : code).trim();
}

function setAppState(/** @type {string} */ s) {
  $('app').dataset.state = s;
  show($('loading'), s === 'loading');
}

// --------------------------------------------------------------------------------------------- setup

function wireSetup() {
  $('setup-form').addEventListener('submit', (e) => {
    e.preventDefault();
    submitToken($input('token-input').value);
  });
  $input('token-show').addEventListener('change', (e) => {
    $input('token-input').type = /** @type {HTMLInputElement} */ (e.target).checked ? 'text' : 'password';
  });
  $('token-cancel').addEventListener('click', () => {
    if (state.started) showTillScreen();
  });
}

/** @param {string} [message] */
function showSetup(message) {
  setAppState('setup');
  show($('setup-screen'), true);
  show($('till-screen'), false);
  const msg = $('setup-message');
  msg.textContent = message ?? '';
  show(msg, Boolean(message));
  show($('token-cancel'), state.started);
  show($('token-error'), false);
  $input('token-input').value = '';
  setTimeout(() => $input('token-input').focus(), 0);
}

function showTillScreen() {
  setAppState('till');
  show($('setup-screen'), false);
  show($('till-screen'), true);
}

/** @param {string} raw */
async function submitToken(raw) {
  const token = extractToken(raw);
  const error = $('token-error');
  const button = $button('token-submit');
  if (!token) {
    error.textContent = 'Enter the till token.';
    show(error, true);
    return;
  }
  button.disabled = true;
  button.textContent = 'Checking…';
  show(error, false);
  try {
    const me = await api.me(token);
    const waiting = (await state.db.queue()).length;
    if (waiting && state.me && String(state.me.tillId) !== String(me.tillId)) {
      throw new Error(`${waiting} sale(s) made on ${state.me.tillName} have not reached the server yet. Enter that till's token (or sync first) before switching to ${me.tillName}.`);
    }
    await state.db.setSetting('token', token);
    await state.db.setSetting('me', me);
    $input('token-input').value = '';
    await useToken(token, me);
    channel?.postMessage({ type: 'token-changed' });
    toast(`Connected as ${me.tillName} at ${me.outletName}`, 'success');
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) error.textContent = 'The server did not accept this token. Check it with the back-office.';
    else if (err instanceof ApiError) error.textContent = `The server answered: ${err.message}`;
    else if (err instanceof TypeError || (err instanceof DOMException && err.name === 'AbortError')) error.textContent = 'Cannot reach the server. The first start needs a connection.';
    else error.textContent = err instanceof Error ? err.message : String(err);
    show(error, true);
  } finally {
    button.disabled = false;
    button.textContent = 'Connect till';
  }
}

/**
 * A token the server accepted (here, or in another tab of this till): the queue goes up with it at once.
 * @param {string} token
 * @param {TillInfo} me
 */
async function useToken(token, me) {
  state.token = token;
  state.me = me;
  state.reachable = true;
  setAuthFailed(false);
  clearTimeout(probeTimer);
  probeBackoff.reset();
  syncBackoff.reset();
  if (!state.started) {
    await startTill();
    return;
  }
  showTillScreen();
  renderStatus();
  renderTillName();
  hub?.stop();
  hub = connectHub();
  refreshCatalog();
  syncNow('token');
}

// ---------------------------------------------------------------------------------------------- till

async function startTill() {
  state.started = true;
  showTillScreen();
  state.products = await state.db.catalog();
  state.index = buildIndex(state.products);
  // Not the saved cart yet: only the tab that wins the till lock takes it over (becomeLeader).
  state.cart = createCart();
  await refreshQueue();
  renderAll();
  state.db.pruneHistory(HISTORY_DAYS).catch(() => {});

  acquireTillLock(navigator.locks, { onLeader: becomeLeader, onFollower: becomeFollower });
  hub = connectHub();
  checkServer();
  refreshCatalog();
  setInterval(() => refreshCatalog(), CATALOG_REFRESH_MS);
  setInterval(periodic, SYNC_INTERVAL_MS);
  setInterval(() => {
    const today = localDateString(new Date());
    if (today !== state.today) {
      state.today = today;
      renderProducts();
      renderCart();
    }
  }, 60 * 1000);
  if (!matchMedia('(pointer: coarse)').matches) $input('search').focus();
}

function renderAll() {
  renderStatus();
  renderTillName();
  renderProducts();
  renderCart();
  renderView();
}

function renderTillName() {
  $('till-name').textContent = state.me ? `${state.me.tillName} · ${state.me.outletName}` : '';
}

// -------------------------------------------------------------------------------- leader (Web Locks)

async function becomeLeader() {
  // The lock is this tab's whatever happens here: failing to read the saved cart only means a fresh one.
  const adopted = await savedCartToAdopt().catch(() => null);
  if (adopted) state.cart = adopted;
  else state.db.setSetting('cart', state.cart).catch(() => {});
  state.isLeader = true;
  renderRole();
  syncNow('leader');
}

/** The cart the previous leader left, unless a sale of this till (history or queue) already used its id. */
async function savedCartToAdopt() {
  const saved = await state.db.getSetting('cart');
  /** @type {string[]} */
  const used = (await state.db.queue()).map((e) => e.id);
  if (saved && typeof saved.saleId === 'string' && (await state.db.historyRecord(saved.saleId))) used.push(saved.saleId);
  return adoptableCart(saved, used);
}

function becomeFollower() {
  state.isLeader = false;
  renderRole();
}

/** A follower tab shows the till but cannot sell or take returns: the leader tab does (one sale, one id, one tab). */
function renderRole() {
  $('app').dataset.role = state.isLeader ? 'leader' : 'follower';
  const banner = $('tab-lock-banner');
  banner.textContent = FOLLOWER_MESSAGE;
  show(banner, !state.isLeader);
  renderProducts();
  renderCart();
  if (state.view === 'returns') renderReturns();
  if (state.view === 'sync') syncView.render();
}

/** @returns {boolean} whether this tab may sell; a follower says why not */
function mayTrade() {
  if (state.isLeader) return true;
  toast(FOLLOWER_MESSAGE, 'warning');
  return false;
}

/** @param {MessageEvent} e */
async function onChannelMessage(e) {
  const msg = e.data ?? {};
  if (msg.type === 'queue-changed') {
    await refreshQueue();
    renderReceipt();
    renderReturnResult();
    if (state.view === 'zreport') zReport.render();
    if (state.view === 'returns') renderReturnSales();
  } else if (msg.type === 'kick' && state.isLeader) {
    syncNow('kick');
  } else if (msg.type === 'token-changed') {
    const token = (await state.db.getSetting('token')) ?? null;
    const me = (await state.db.getSetting('me')) ?? null;
    if (token && me) await useToken(token, me);
  }
}

function broadcastQueueChanged() {
  channel?.postMessage({ type: 'queue-changed' });
}

// ------------------------------------------------------------------------------------- connectivity

const probeBackoff = new Backoff({ baseMs: 2000, capMs: 60000, minMs: 1000 });
/** @type {ReturnType<typeof setTimeout> | undefined} */
let probeTimer;

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
      await state.db.setSetting('me', me);
      renderTillName();
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
  renderStatus();
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
  renderAuthBanner();
}

/** Stays until a token is accepted: the sales on this device can only leave it with one, or in an export file. */
function renderAuthBanner() {
  const banner = $('auth-banner');
  show(banner, state.authFailed);
  $('app').dataset.auth = state.authFailed ? 'failed' : 'ok';
  if (!state.authFailed) return;
  const counts = unsentCounts(state.queue);
  banner.dataset.pending = String(counts.total);
  banner.dataset.sales = String(counts.sales);
  $('auth-banner-text').textContent = authBannerText(counts);
}

function onNetworkChange() {
  renderStatus();
  if (navigator.onLine) {
    probeBackoff.reset();
    syncBackoff.reset();
    checkServer();
    syncNow('online');
    hub?.restart();
  }
}

function renderStatus() {
  const el = $('online-status');
  let s = 'online';
  let text = 'Online';
  if (!navigator.onLine) {
    s = 'offline';
    text = 'Offline';
  } else if (state.reachable === false) {
    s = 'unreachable';
    text = 'Offline: server unreachable';
  }
  el.dataset.state = s;
  el.textContent = text;
  el.title = s === 'online' ? 'Connected to the server' : 'Sales are kept on this till and uploaded when the connection returns';
  $('app').dataset.online = String(s === 'online');
}

/** @param {import('./hub.js').HubState} s */
function renderHubState(s) {
  const el = $('live-status');
  el.dataset.state = s;
  el.textContent = s === 'connected' ? 'Live stock' : s === 'unavailable' ? 'No live stock' : 'Live stock paused';
}

function connectHub() {
  return startHub({
    getToken: () => state.token,
    onState: renderHubState,
    onReconnected: () => refreshCatalog(),
    onStockChanged: async (m) => {
      if (m.outletCode && state.me?.outletCode && m.outletCode !== state.me.outletCode) return;
      const current = state.index.bySku.get(m.sku);
      if (!current) return;
      const updated = { ...current, available: m.available };
      state.products = state.products.map((p) => (p.sku === m.sku ? updated : p));
      state.index = buildIndex(state.products);
      renderProducts();
      renderCart();
      await state.db.updateAvailable(m.sku, m.available).catch(() => {});
    },
  });
}

// -------------------------------------------------------------------------------------------- catalog

let catalogLoading = false;
async function refreshCatalog() {
  if (!state.token || catalogLoading || !navigator.onLine) return;
  catalogLoading = true;
  try {
    const meta = (await state.db.getSetting('catalogMeta')) ?? null;
    const sameOutlet = meta && state.me && meta.outletCode === state.me.outletCode;
    const res = await api.catalog(sameOutlet ? meta.etag : null);
    setReachable(true);
    if (!res.notModified) {
      const products = Array.isArray(res.catalog.products) ? res.catalog.products : [];
      await state.db.replaceCatalog(products, { etag: res.etag, generatedAt: res.catalog.generatedAt ?? null, outletCode: res.catalog.outletCode ?? state.me?.outletCode ?? null });
      state.products = products;
      state.index = buildIndex(products);
      renderProducts();
      renderCart();
    }
    await state.db.setSetting('catalogCheckedAt', new Date().toISOString());
    renderCatalogStatus();
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) setAuthFailed(true);
    else if (!(err instanceof ApiError)) setReachable(false);
  } finally {
    catalogLoading = false;
  }
}

async function renderCatalogStatus() {
  const checked = await state.db.getSetting('catalogCheckedAt');
  const n = state.products.length;
  $('catalog-status').textContent = `${n} product${n === 1 ? '' : 's'}${checked ? ` · catalog checked ${formatTime(checked)}` : ' · catalog not loaded yet'}`;
}

// ----------------------------------------------------------------------------------------------- sale

function wireTill() {
  for (const tab of document.querySelectorAll('.tabs .tab')) {
    tab.addEventListener('click', () => setView(/** @type {View} */ (/** @type {HTMLElement} */ (tab).dataset.view)));
  }
  $('sync-badge').addEventListener('click', () => setView('sync'));
  $('auth-fix').addEventListener('click', () => {
    const { sales } = unsentCounts(state.queue);
    showSetup(`Enter this till's new token from the back-office. ${sales ? `The ${sales} sale(s) waiting on this device stay here and are uploaded with it.` : 'Nothing waits on this device.'}`);
  });
  $('auth-export').addEventListener('click', () => exportUnsent());
  $('change-token').addEventListener('click', () => showSetup());
  $('update-ready').addEventListener('click', () => applyUpdate(true));

  const search = $input('search');
  search.addEventListener('input', () => {
    state.search = search.value;
    renderProducts();
  });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      search.value = '';
      state.search = '';
      renderProducts();
    }
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const exact = findByCode(state.index, search.value);
    const pick = exact ?? searchCatalog(state.products, search.value, 1)[0];
    if (!pick || !search.value.trim()) return;
    addToCart(pick);
    search.value = '';
    state.search = '';
    renderProducts();
  });

  $('cart-clear').addEventListener('click', () => {
    if (!state.cart.lines.length) return;
    if (!confirm('Remove every item from this sale?')) return;
    updateCart(clearCart(state.cart));
  });
  $('pay').addEventListener('click', openPayment);
  $('new-sale').addEventListener('click', closeReceipt);
  $('print-receipt').addEventListener('click', () => printArea('receipt'));

  // Payment dialog
  $('pay-cash').addEventListener('click', () => setPayMethod('cash'));
  $('pay-card').addEventListener('click', () => setPayMethod('card'));
  $input('cash-tendered').addEventListener('input', renderChange);
  $input('cash-tendered').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      completeSale();
    }
  });
  $('confirm-payment').addEventListener('click', completeSale);
  $('cancel-payment').addEventListener('click', () => {
    if (!state.completing) paymentDialog().close();
  });
  paymentDialog().addEventListener('cancel', (e) => {
    if (state.completing) e.preventDefault();
  });

  wireReturns();
  zReport.wire();
  syncView.wire();
}

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
  if (state.view === 'returns') renderReturns();
  if (state.view === 'zreport') zReport.render();
  if (state.view === 'sync') syncView.render();
}

/** @param {Product} product */
function availableOf(product) {
  return effectiveAvailable(product, state.pending);
}

function renderProducts() {
  const list = $('product-list');
  const results = searchCatalog(state.products, state.search, 60);
  list.replaceChildren(
    ...results.map((p) => {
      const available = availableOf(p);
      const [expiry] = lineWarnings({ sku: p.sku, name: p.name, barcode: p.barcode, unitPrice: p.price, quantity: 0 }, { available, nextExpiry: p.nextExpiry }, state.today)
        .filter((w) => w.type === 'expiry' || w.type === 'expired');
      const stockClass = available === 0 ? 'out' : available <= 5 ? 'low' : 'ok';
      return h('button', { type: 'button', class: 'product-row', role: 'listitem', testid: 'product-row', dataset: { sku: p.sku, available }, disabled: !state.isLeader, onclick: () => addToCart(p) },
        h('span', { class: 'product-main' },
          h('span', { class: 'product-name', testid: 'product-name' }, p.name),
          h('span', { class: 'product-meta' }, p.sku, p.barcode ? ` · ${p.barcode}` : '')),
        h('span', { class: 'product-side' },
          h('span', { class: 'product-price', testid: 'product-price' }, formatMoney(p.price)),
          h('span', { class: `stock stock-${stockClass}`, testid: 'product-available', dataset: { value: available } },
            available === 0 ? 'Out of stock' : `${available} in stock`),
          expiry ? h('span', { class: 'stock stock-expiry', testid: 'product-expiry' }, expiry.message) : null));
    }),
  );
  show($('product-empty'), results.length === 0 && state.products.length > 0);
  if (state.products.length === 0) {
    list.replaceChildren(h('p', { class: 'empty' }, navigator.onLine ? 'Loading the catalog…' : 'The catalog has not been downloaded yet: connect once to load it.'));
  }
  renderCatalogStatus();
}

/** @param {Product} product */
function addToCart(product) {
  if (!mayTrade()) return;
  if (state.receiptId) closeReceipt();
  if (state.view !== 'sale') setView('sale');
  updateCart(addProduct(state.cart, product, 1));
  const row = document.querySelector(`[data-testid="cart-line"][data-sku="${CSS.escape(product.sku)}"]`);
  row?.classList.add('flash');
  row?.scrollIntoView({ block: 'nearest' });
}

/** @param {Cart} cart */
function updateCart(cart) {
  if (!state.isLeader) return; // the saved cart belongs to the leader tab
  state.cart = cart;
  renderCart();
  state.db.setSetting('cart', cart).catch(() => {});
}

function renderCart() {
  const cart = state.cart;
  const list = $('cart-lines');
  list.replaceChildren(
    ...cart.lines.map((line) => {
      const product = state.index.bySku.get(line.sku);
      const warnings = lineWarnings(line, product ? { available: availableOf(product), nextExpiry: product.nextExpiry } : null, state.today);
      const qty = h('input', { class: 'qty', testid: 'cart-line-qty', type: 'number', min: '1', max: '9999', inputmode: 'numeric', value: line.quantity, 'aria-label': `Quantity of ${line.name}` });
      qty.addEventListener('change', () => updateCart(setQuantity(state.cart, line.sku, Number(/** @type {HTMLInputElement} */ (qty).value))));
      return h('li', { class: `cart-line${warnings.length ? ' has-warning' : ''}`, testid: 'cart-line', dataset: { sku: line.sku, quantity: line.quantity } },
        h('div', { class: 'line-main' },
          h('span', { class: 'line-name', testid: 'cart-line-name' }, line.name),
          h('span', { class: 'line-meta' }, `${formatMoney(line.unitPrice)} each · ${line.sku}`),
          ...warnings.map((w) => h('span', { class: `warning warning-${w.type}`, testid: 'cart-line-warning', dataset: { type: w.type } }, w.message))),
        h('div', { class: 'line-qty' },
          h('button', { type: 'button', class: 'qty-btn', testid: 'cart-line-dec', 'aria-label': 'One less', onclick: () => updateCart(setQuantity(state.cart, line.sku, line.quantity - 1)) }, '−'),
          qty,
          h('button', { type: 'button', class: 'qty-btn', testid: 'cart-line-inc', 'aria-label': 'One more', onclick: () => updateCart(setQuantity(state.cart, line.sku, line.quantity + 1)) }, '+')),
        h('strong', { class: 'line-total', testid: 'cart-line-total' }, formatMoney(lineTotal(line))),
        h('button', { type: 'button', class: 'line-remove', testid: 'cart-line-remove', 'aria-label': `Remove ${line.name}`, onclick: () => updateCart(removeLine(state.cart, line.sku)) }, '×'));
    }),
  );
  const totals = cartTotals(cart);
  show($('cart-empty'), cart.lines.length === 0);
  $('cart-count').textContent = `${totals.itemCount} item${totals.itemCount === 1 ? '' : 's'}`;
  const total = $('cart-total');
  total.textContent = formatMoney(totals.total);
  total.dataset.value = String(totals.total);
  $('cart-sale-id').textContent = `Sale ${cart.saleId.slice(0, 8)}`;
  $('cart').dataset.saleId = cart.saleId;
  $button('pay').disabled = cart.lines.length === 0 || state.completing || !state.isLeader;
  $button('cart-clear').disabled = cart.lines.length === 0 || !state.isLeader;
}

// -------------------------------------------------------------------------------------------- payment

function paymentDialog() {
  return /** @type {HTMLDialogElement} */ ($('payment-dialog'));
}

function openPayment() {
  if (!state.cart.lines.length || state.completing || !mayTrade()) return;
  const dialog = paymentDialog();
  if (dialog.open) return;
  const { total } = cartTotals(state.cart);
  $('payment-total').textContent = formatMoney(total);
  $('payment-total').dataset.value = String(total);
  $input('cash-tendered').value = '';
  show($('payment-error'), false);
  $('quick-cash').replaceChildren(
    ...quickCashAmounts(total).map((amount, i) =>
      h('button', { type: 'button', class: 'btn btn-quick', testid: 'quick-cash-amount', dataset: { value: amount }, onclick: () => {
        $input('cash-tendered').value = amount.toFixed(2);
        renderChange();
      } }, i === 0 ? `Exact ${formatMoney(amount)}` : formatMoney(amount))),
  );
  setPayMethod('cash');
  $button('confirm-payment').disabled = false;
  dialog.showModal();
  $input('cash-tendered').focus();
}

/** @param {'cash' | 'card'} method */
function setPayMethod(method) {
  state.payMethod = method;
  $('pay-cash').setAttribute('aria-pressed', String(method === 'cash'));
  $('pay-card').setAttribute('aria-pressed', String(method === 'card'));
  show($('cash-panel'), method === 'cash');
  show($('card-panel'), method === 'card');
  paymentDialog().dataset.method = method;
  renderChange();
}

function renderChange() {
  const { total } = cartTotals(state.cart);
  const text = $input('cash-tendered').value;
  const tendered = text.trim() === '' ? total : parseAmount(text);
  const change = tendered === null ? null : changeDue(total, tendered);
  const el = $('change-due');
  el.textContent = change === null ? '—' : formatMoney(change);
  el.dataset.value = change === null ? '' : String(change);
  el.classList.toggle('short', change === null);
}

async function completeSale() {
  if (state.completing) return; // a second click while the first is saving does nothing
  const cart = state.cart;
  if (!cart.lines.length || !mayTrade()) return;
  const { total } = cartTotals(cart);
  const method = state.payMethod;
  let tendered = null;
  let change = null;
  const error = $('payment-error');
  if (method === 'cash') {
    const text = $input('cash-tendered').value;
    tendered = text.trim() === '' ? total : parseAmount(text);
    change = tendered === null ? null : changeDue(total, tendered);
    if (tendered === null || change === null) {
      error.textContent = tendered === null ? 'Enter the cash received as an amount.' : `Cash received is less than ${formatMoney(total)}.`;
      show(error, true);
      return;
    }
  }
  state.completing = true;
  const confirmButton = $button('confirm-payment');
  confirmButton.disabled = true;
  $button('pay').disabled = true;
  confirmButton.textContent = 'Saving…';
  try {
    const request = buildSaleRequest(cart, { method });
    const record = makeSaleRecord(cart, request, { method, tendered, change });
    const entry = makeQueueEntry('sale', request);
    // The sale is on disk (queue + history) before anything says it is done.
    const added = await state.db.enqueue(entry, record, ['cart']);
    const settled = settleSale(cart, record, added);
    if (settled.receiptId === null) {
      updateCart(settled.cart);
      error.textContent = settled.error;
      show(error, true);
      return;
    }
    state.cart = settled.cart;
    paymentDialog().close();
    showReceipt(settled.receiptId);
    renderCart();
    await refreshQueue();
    broadcastQueueChanged();
    syncNow('sale');
  } catch (err) {
    error.textContent = `The sale could not be saved on this till: ${err instanceof Error ? err.message : err}. Try again.`;
    show(error, true);
  } finally {
    state.completing = false;
    confirmButton.disabled = false;
    confirmButton.textContent = 'Complete sale';
    renderCart();
  }
}

// -------------------------------------------------------------------------------------------- receipt

/** @param {string} saleId */
function showReceipt(saleId) {
  state.receiptId = saleId;
  show($('cart'), false);
  show($('receipt-panel'), true);
  renderReceipt();
  $('new-sale').focus();
}

function closeReceipt() {
  state.receiptId = null;
  show($('receipt-panel'), false);
  show($('cart'), true);
  renderCart();
  if (!matchMedia('(pointer: coarse)').matches) $input('search').focus();
}

async function renderReceipt() {
  const id = state.receiptId;
  if (!id) return;
  const record = await state.db.historyRecord(id);
  if (!record || record.kind !== 'sale' || state.receiptId !== id) return;
  const el = $('receipt');
  el.dataset.saleId = record.id;
  el.dataset.status = record.status;
  el.dataset.held = String(Boolean(record.held));
  el.replaceChildren(...compact(receiptContent(record, state.me)));
}

/** @param {'receipt' | 'z'} what */
function printArea(what) {
  document.body.dataset.print = what;
  const done = () => {
    delete document.body.dataset.print;
    window.removeEventListener('afterprint', done);
  };
  window.addEventListener('afterprint', done);
  window.print();
}

// ----------------------------------------------------------------------------------------------- sync

const syncBackoff = new Backoff({ baseMs: 2000, capMs: 60000, minMs: 1000 });
/** @type {ReturnType<typeof setTimeout> | undefined} */
let syncTimer;
let syncAgain = false;

/** @param {string} reason */
async function syncNow(reason) {
  if (!state.started) return;
  if (!state.isLeader) {
    channel?.postMessage({ type: 'kick', reason });
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
  syncView.renderBadge();
  /** @type {import('./queue.js').SyncReport | null} */
  let report = null;
  let sent = false;
  try {
    do {
      syncAgain = false;
      const before = pendingEntries(await state.db.queue()).length;
      if (before === 0) break;
      sent = true;
      report = await runSync({ store: { list: () => state.db.queue(), apply: (o) => state.db.applySyncOutcome(o) }, api });
      await refreshQueue();
      broadcastQueueChanged();
      renderReceipt();
      renderReturnResult();
    } while (syncAgain && report.ok);
  } catch (err) {
    report = { ok: false, authFailed: false, recorded: 0, duplicates: 0, held: 0, retrying: 0, rejected: 0, remaining: 0, completed: [], error: err instanceof Error ? err.message : String(err) };
  } finally {
    state.syncing = false;
  }
  if (report) {
    state.lastSyncAt = new Date().toISOString();
    state.lastSyncError = report.ok ? null : report.error;
    if (report.ok) {
      syncBackoff.reset();
      if (sent) setReachable(true);
      if (report.recorded + report.duplicates > 0) refreshCatalog();
      if (report.held > 0) toast(`${report.held} sale(s) were not recorded: the server holds them for a manager. See Till & sync`, 'warning');
      if (report.rejected > 0) toast(`${report.rejected} item(s) were refused by the server: see Till & sync`, 'error');
    } else {
      if (report.authFailed) {
        setAuthFailed(true);
        setReachable(true);
      } else if (navigator.onLine) {
        setReachable(false);
      }
      syncTimer = setTimeout(() => syncNow('retry'), syncBackoff.next());
    }
  }
  syncView.renderBadge();
  if (state.view === 'sync') syncView.render();
  if (state.view === 'zreport') zReport.render();
}

function periodic() {
  if (state.isLeader && !state.syncing && !syncTimer && pendingEntries(state.queue).length) syncNow('interval');
}

async function refreshQueue() {
  state.queue = await state.db.queue();
  state.pending = pendingQuantities(state.queue);
  syncView.renderBadge();
  if (state.authFailed) renderAuthBanner();
  renderProducts();
  renderCart();
  if (state.view === 'sync') syncView.render();
}

/** @param {BeforeUnloadEvent} e */
function onBeforeUnload(e) {
  // Nothing is lost (the queue is on disk), but the sales only reach the server while a till tab is open.
  const unsynced = pendingEntries(state.queue).length > 0;
  if (state.completing || (unsynced && state.isLeader)) {
    e.preventDefault();
    e.returnValue = '';
  }
}

/** Everything the server has not taken, as a file a manager imports in the back-office; the queue keeps it all. */
async function exportUnsent() {
  const queue = await state.db.queue();
  const now = new Date();
  const data = buildUnsentExport(queue, state.me, now);
  if (!data.sales.length && !data.returns.length) {
    toast('Nothing to export: everything made on this till is on the server.', 'info');
    return;
  }
  const fileName = exportFileName(state.me, now);
  downloadJson(fileName, data);
  const returns = data.returns.length ? ` and ${data.returns.length} return(s)` : '';
  toast(`Exported ${data.sales.length} unsent sale(s)${returns} to ${fileName}. They stay on this till until the server has them.`, 'success');
}

// -------------------------------------------------------------------------------------------- returns

function wireReturns() {
  $('return-find-form').addEventListener('submit', (e) => {
    e.preventDefault();
    findReturnSale($input('return-sale-search').value);
  });
  $input('return-sale-search').addEventListener('input', () => {
    state.returnSearch = $input('return-sale-search').value;
    renderReturnSales();
  });
}

function renderReturns() {
  $button('return-find').disabled = !state.isLeader;
  $input('return-sale-search').disabled = !state.isLeader;
  renderReturnSales();
  renderReturnDetail();
  renderReturnResult();
}

async function renderReturnSales() {
  const q = state.returnSearch.trim().toLowerCase();
  const since = new Date(Date.now() - 14 * 86400000).toISOString();
  const sales = /** @type {SaleRecord[]} */ ((await state.db.history()).filter((r) => r.kind === 'sale'))
    .filter((s) => new Date(s.occurredAt).toISOString() >= since && (!q || s.id.toLowerCase().includes(q)))
    .sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt))
    .slice(0, 40);
  $('return-sales').replaceChildren(
    ...(sales.length ? sales.map((s) => h('li', {},
      h('button', { type: 'button', class: `sale-row${state.returnDraft?.saleId === s.id ? ' selected' : ''}`, testid: 'return-sale-row', dataset: { saleId: s.id }, disabled: !state.isLeader, onclick: () => selectReturnSale(s) },
        h('span', { class: 'sale-when' }, formatDateTime(s.occurredAt)),
        h('span', { class: 'sale-id' }, s.id.slice(0, 8)),
        h('span', { class: 'sale-items' }, `${s.lines.reduce((n, l) => n + l.quantity, 0)} item(s)`),
        h('strong', {}, formatMoney(s.total))))) : [h('li', { class: 'muted' }, q ? 'No sale on this till matches.' : 'No recent sales on this till.')]),
  );
}

/** @param {string} text */
async function findReturnSale(text) {
  const q = text.trim().toLowerCase();
  if (!q || !mayTrade()) return;
  const sales = /** @type {SaleRecord[]} */ ((await state.db.history()).filter((r) => r.kind === 'sale' && r.id.toLowerCase().startsWith(q)));
  if (sales.length === 1) return selectReturnSale(sales[0]);
  if (isUuid(q)) {
    // Not in this till's history: a sale of another till of the shop, or an old one. Ask the server when it answers.
    try {
      const found = await api.sale(q);
      if (found) return selectReturnSale(saleRecordFromServer(found));
      toast('The server knows no sale with this number at this shop.', 'warning');
      return;
    } catch {
      return selectReturnSale(null, q);   // offline: the items are picked by hand
    }
  }
  toast(sales.length ? 'Several sales match: type more of the number' : 'No sale on this till matches. Type the full sale number from the receipt.', 'warning');
}

/**
 * @param {SaleRecord | null} sale
 * @param {string} [saleId] for a sale this till does not have (made on another till): items are picked by hand
 */
function selectReturnSale(sale, saleId) {
  if (!mayTrade()) return;
  state.returnDraft = {
    returnId: newUuid(),
    saleId: sale ? sale.id : /** @type {string} */ (saleId),
    sale,
    quantities: new Map(),
    manual: new Map(),
    refundMethod: sale?.paymentMethod === 'card' ? 'card' : 'cash',
    reason: '',
  };
  state.returnResultId = null;
  renderReturns();
}

async function renderReturnDetail() {
  const draft = state.returnDraft;
  const detail = $('return-detail');
  show($('return-empty'), !draft && !state.returnResultId);
  show(detail, Boolean(draft));
  if (!draft) return;
  const history = await state.db.history();
  const lines = draft.sale ? returnableLines(draft.sale, history) : [];
  const rows = draft.sale
    ? lines.map((l) => {
      const input = h('input', { type: 'number', class: 'qty', testid: 'return-qty', min: '0', max: String(l.remaining), value: String(draft.quantities.get(l.sku) ?? 0), disabled: l.remaining === 0, inputmode: 'numeric', 'aria-label': `Quantity of ${l.name} to return` });
      input.addEventListener('input', () => {
        const v = Math.max(0, Math.min(l.remaining, Math.trunc(Number(/** @type {HTMLInputElement} */ (input).value) || 0)));
        draft.quantities.set(l.sku, v);
        renderReturnTotal();
      });
      return h('tr', { testid: 'return-line', dataset: { sku: l.sku, remaining: l.remaining } },
        h('td', {}, h('strong', {}, l.name), h('span', { class: 'muted small block' }, `${l.sku} · ${formatMoney(l.unitPrice)} each`)),
        h('td', { class: 'num' }, String(l.sold)),
        h('td', { class: 'num' }, String(l.returned)),
        h('td', { class: 'num' }, input));
    })
    : [...draft.manual].map(([sku, m]) => {
      const input = h('input', { type: 'number', class: 'qty', testid: 'return-qty', min: '0', value: String(m.quantity), inputmode: 'numeric' });
      input.addEventListener('input', () => {
        m.quantity = Math.max(0, Math.trunc(Number(/** @type {HTMLInputElement} */ (input).value) || 0));
        renderReturnTotal();
      });
      return h('tr', { testid: 'return-line', dataset: { sku } },
        h('td', {}, h('strong', {}, m.name), h('span', { class: 'muted small block' }, `${sku} · ${formatMoney(m.unitPrice)} each`)),
        h('td', { class: 'num' }, '—'), h('td', { class: 'num' }, '—'), h('td', { class: 'num' }, input));
    });

  const manualSearch = h('input', { type: 'search', testid: 'return-product-search', placeholder: 'Scan or search the item to return', autocomplete: 'off' });
  const manualResults = h('div', { class: 'mini-results' });
  manualSearch.addEventListener('input', () => {
    const v = /** @type {HTMLInputElement} */ (manualSearch).value;
    manualResults.replaceChildren(...(v.trim() ? searchCatalog(state.products, v, 6) : []).map((p) =>
      h('button', { type: 'button', class: 'btn btn-small', testid: 'return-product-row', dataset: { sku: p.sku }, onclick: () => addManualReturnLine(p) }, `${p.name} · ${formatMoney(p.price)}`)));
  });

  const reason = h('input', { testid: 'return-reason', value: draft.reason, placeholder: 'Customer return', maxlength: '200' });
  reason.addEventListener('input', () => {
    draft.reason = /** @type {HTMLInputElement} */ (reason).value;
  });
  /** @param {'cash' | 'card'} m */
  const refundButton = (m) => h('button', { type: 'button', class: 'method small', testid: `return-refund-${m}`, 'aria-pressed': String(draft.refundMethod === m), onclick: () => {
    draft.refundMethod = m;
    renderReturnDetail();
  } }, m === 'cash' ? 'Cash' : 'Card');

  detail.replaceChildren(...compact([
    h('h3', {}, draft.sale ? `Return from sale ${draft.saleId.slice(0, 8)} · ${formatDateTime(draft.sale.occurredAt)}` : `Return from sale ${draft.saleId}`),
    draft.sale ? null : h('p', { class: 'muted' }, 'This sale is not in this till\'s history: add the items being returned. The server checks them against the sale.'),
    draft.sale ? null : h('div', { class: 'manual-add' }, manualSearch, manualResults),
    h('table', { class: 'return-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Item'), h('th', { class: 'num' }, 'Sold'), h('th', { class: 'num' }, 'Returned'), h('th', { class: 'num' }, 'Return now'))),
      h('tbody', {}, ...rows)),
    h('label', { class: 'field' }, h('span', {}, 'Reason'), reason),
    h('div', { class: 'refund-row' }, h('span', {}, 'Refund by'), refundButton('cash'), refundButton('card'),
      h('span', { class: 'refund-total' }, 'Refund ', h('strong', { testid: 'return-total' }, '0.00'))),
    h('div', { class: 'row-actions' },
      h('button', { type: 'button', class: 'btn btn-ghost', testid: 'return-cancel', onclick: () => {
        state.returnDraft = null;
        renderReturns();
      } }, 'Cancel'),
      h('button', { type: 'button', class: 'btn btn-primary btn-xl', testid: 'return-submit', onclick: submitReturn }, 'Record return')),
  ]));
  renderReturnTotal();
}

/** @param {Product} p */
function addManualReturnLine(p) {
  const draft = state.returnDraft;
  if (!draft || draft.sale) return;
  const m = draft.manual.get(p.sku);
  if (m) m.quantity += 1;
  else draft.manual.set(p.sku, { name: p.name, unitPrice: p.price, quantity: 1 });
  renderReturnDetail();
}

function draftLines() {
  const draft = state.returnDraft;
  if (!draft) return [];
  if (draft.sale) return [...draft.quantities].map(([sku, quantity]) => ({ sku, quantity })).filter((l) => l.quantity > 0);
  return [...draft.manual].map(([sku, m]) => ({ sku, quantity: m.quantity })).filter((l) => l.quantity > 0);
}

/** @param {string} sku */
function returnPriceOf(sku) {
  const draft = state.returnDraft;
  const fromSale = draft?.sale?.lines.find((l) => l.sku === sku);
  if (fromSale) return { name: fromSale.name, unitPrice: fromSale.unitPrice };
  const m = draft?.manual.get(sku);
  if (m) return { name: m.name, unitPrice: m.unitPrice };
  const p = state.index.bySku.get(sku);
  return { name: p?.name ?? sku, unitPrice: p?.price ?? 0 };
}

function renderReturnTotal() {
  const el = document.querySelector('[data-testid="return-total"]');
  if (!el) return;
  const cents = draftLines().reduce((s, l) => s + Math.round(returnPriceOf(l.sku).unitPrice * 100) * l.quantity, 0);
  el.textContent = formatMoney(cents / 100);
  const submit = /** @type {HTMLButtonElement | null} */ (document.querySelector('[data-testid="return-submit"]'));
  if (submit) submit.disabled = draftLines().length === 0 || state.returning || !state.isLeader;
}

async function submitReturn() {
  const draft = state.returnDraft;
  if (!draft || state.returning || !mayTrade()) return;
  const lines = draftLines();
  if (!lines.length) {
    toast('Choose at least one item to return', 'warning');
    return;
  }
  state.returning = true;
  const submit = /** @type {HTMLButtonElement | null} */ (document.querySelector('[data-testid="return-submit"]'));
  if (submit) submit.disabled = true;
  try {
    const request = buildReturnRequest({ returnId: draft.returnId, saleId: draft.saleId, lines, reason: draft.reason });
    const record = makeReturnRecord(request, returnPriceOf, draft.refundMethod);
    await state.db.enqueue(makeQueueEntry('return', request), record);
    state.returnDraft = null;
    state.returnResultId = record.id;
    renderReturns();
    await refreshQueue();
    broadcastQueueChanged();
    syncNow('return');
  } catch (err) {
    toast(`The return could not be saved: ${err instanceof Error ? err.message : err}`, 'error');
    if (submit) submit.disabled = false;
  } finally {
    state.returning = false;
  }
}

async function renderReturnResult() {
  const el = $('return-result');
  const id = state.returnResultId;
  show(el, Boolean(id));
  if (!id) return;
  const rec = await state.db.historyRecord(id);
  if (!rec || rec.kind !== 'return') return;
  el.dataset.status = rec.status;
  el.dataset.returnId = rec.id;
  el.replaceChildren(
    h('h3', {}, 'Return recorded on this till'),
    h('p', {}, `Return ${rec.id.slice(0, 8)} of sale ${rec.request.saleId.slice(0, 8)} · ${formatDateTime(rec.occurredAt)}`),
    h('ul', {}, ...rec.lines.map((l) => h('li', {}, `${l.quantity} × ${l.name}`))),
    h('p', {}, `Refund ${rec.refundMethod === 'card' ? 'to card' : 'in cash'}: `, h('strong', { testid: 'return-refund' }, formatMoney(rec.value))),
    statusElement(rec, 'return-status'),
    h('button', { type: 'button', class: 'btn', testid: 'return-done', onclick: () => {
      state.returnResultId = null;
      renderReturns();
    } }, 'Done'),
  );
}

// ------------------------------------------------------------------------------------------- scanner

/**
 * @param {string} code
 * @param {EventTarget | null} target
 * @returns {boolean} whether the scan was used
 */
function onScan(code, target) {
  if (!$('setup-screen').hidden) {
    $input('token-input').value = extractToken(code);
    submitToken(code);
    return true;
  }
  if (!state.started) return false;
  if (paymentDialog().open) {
    toast('Finish or cancel the payment first', 'warning');
    return true;
  }
  const field = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement;
  if (!state.isLeader && (state.view === 'sale' || state.view === 'returns')) {
    toast(FOLLOWER_MESSAGE, 'warning');
    return true;
  }
  if (state.view === 'returns') {
    if (isUuid(code)) {
      $input('return-sale-search').value = '';
      findReturnSale(code);
      return true;
    }
    const p = findByCode(state.index, code);
    if (p && state.returnDraft && !state.returnDraft.sale) {
      addManualReturnLine(p);
      return true;
    }
    return false;
  }
  const product = findByCode(state.index, code);
  if (product) {
    addToCart(product);
    toast(`Added ${product.name}`, 'success');
    return true;
  }
  if (field) return false; // fast typing in a field: leave it as typed
  toast(`Unknown barcode ${code}`, 'warning');
  return true;
}

// ------------------------------------------------------------------------------------- service worker

/** @type {ServiceWorkerRegistration | null} */
let registration = null;
let updateRequested = false;

async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (updateRequested) location.reload();
  });
  try {
    registration = await navigator.serviceWorker.register('./sw.js', { scope: './' });
  } catch {
    return;
  }
  // A new version that finished installing earlier waits; this is a (re)start: use it now if no sale is open.
  applyUpdate(false);
  registration.addEventListener('updatefound', () => {
    const worker = registration?.installing;
    worker?.addEventListener('statechange', () => {
      if (worker.state === 'installed' && navigator.serviceWorker.controller) show($('update-ready'), true);
    });
  });
}

/** @param {boolean} asked the cashier pressed "Update ready" */
function applyUpdate(asked) {
  const waiting = registration?.waiting;
  if (!waiting || !navigator.serviceWorker.controller) return;
  const busy = state.cart.lines.length > 0 || state.completing || paymentDialog().open || state.returning;
  if (busy) {
    show($('update-ready'), true);
    if (asked) toast('Finish the current sale first; the update applies when the till is idle.', 'warning');
    return;
  }
  updateRequested = true;
  waiting.postMessage({ type: 'SKIP_WAITING' });
}

boot();
