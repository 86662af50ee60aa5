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
import { $, $button, $input, compact, formatDateTime, formatDay, formatTime, h, show, toast } from './dom.js';
import { buildReturnRequest, combineZReport, computeZReport, makeReturnRecord, makeSaleRecord, returnableLines, saleRecordFromServer } from './history.js';
import { startHub } from './hub.js';
import { describeProblem, makeQueueEntry, pendingEntries, rejectedEntries, runSync } from './queue.js';
import { attachScanner } from './scanner.js';

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
  zDate: localDateString(new Date()),
  /** @type {string | null} */ lastSyncAt: null,
  /** @type {string | null} */ lastSyncError: null,
  syncing: false,
  today: localDateString(new Date()),
};

const api = createApi({ getToken: () => state.token });
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('backoffice-till') : null;
/** @type {{ stop(): Promise<void>, restart(): void } | null} */
let hub = null;

// ---------------------------------------------------------------------------------------------- boot

async function boot() {
  registerServiceWorker();
  try {
    state.db = await openTillDb();
  } catch (err) {
    document.body.textContent = `This browser cannot keep the till's data (IndexedDB): ${err instanceof Error ? err.message : err}`;
    return;
  }
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
    state.token = token;
    state.me = me;
    state.authFailed = false;
    state.reachable = true;
    $input('token-input').value = '';
    if (state.started) {
      showTillScreen();
      renderStatus();
      hub?.stop();
      hub = connectHub();
      refreshCatalog();
      syncNow('token');
    } else {
      await startTill();
    }
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

// ---------------------------------------------------------------------------------------------- till

async function startTill() {
  state.started = true;
  showTillScreen();
  state.products = await state.db.catalog();
  state.index = buildIndex(state.products);
  const savedCart = await state.db.getSetting('cart');
  if (savedCart && Array.isArray(savedCart.lines) && savedCart.saleId && !(await state.db.historyRecord(savedCart.saleId))) state.cart = savedCart;
  else state.cart = createCart();
  await refreshQueue();
  renderAll();
  state.db.pruneHistory(HISTORY_DAYS).catch(() => {});

  acquireTillLock();
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

function acquireTillLock() {
  const locks = navigator.locks;
  if (!locks) {
    becomeLeader();
    return;
  }
  locks.request('till-sync', { ifAvailable: true }, async (lock) => {
    if (!lock) {
      becomeFollower();
      // Take over when the other tab closes.
      locks.request('till-sync', async () => {
        becomeLeader();
        await new Promise(() => {});
      });
      return;
    }
    becomeLeader();
    await new Promise(() => {}); // held for as long as this tab lives
  });
}

function becomeLeader() {
  state.isLeader = true;
  $('app').dataset.role = 'leader';
  show($('tab-lock-banner'), false);
  syncNow('leader');
}

function becomeFollower() {
  state.isLeader = false;
  $('app').dataset.role = 'follower';
  show($('tab-lock-banner'), true);
}

/** @param {MessageEvent} e */
async function onChannelMessage(e) {
  const msg = e.data ?? {};
  if (msg.type === 'queue-changed') {
    await refreshQueue();
    renderReceipt();
    renderReturnResult();
    if (state.view === 'zreport') renderZReport();
    if (state.view === 'returns') renderReturnSales();
  } else if (msg.type === 'kick' && state.isLeader) {
    syncNow('kick');
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
  show($('auth-banner'), value);
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
  $('auth-fix').addEventListener('click', () => showSetup('Enter a valid token for this till. Sales waiting on this till are kept.'));
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
  wireZReport();
  wireSync();
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
  if (state.view === 'zreport') renderZReport();
  if (state.view === 'sync') renderSync();
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
      return h('button', { type: 'button', class: 'product-row', role: 'listitem', testid: 'product-row', dataset: { sku: p.sku, available }, onclick: () => addToCart(p) },
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
  if (state.receiptId) closeReceipt();
  if (state.view !== 'sale') setView('sale');
  updateCart(addProduct(state.cart, product, 1));
  const row = document.querySelector(`[data-testid="cart-line"][data-sku="${CSS.escape(product.sku)}"]`);
  row?.classList.add('flash');
  row?.scrollIntoView({ block: 'nearest' });
}

/** @param {Cart} cart */
function updateCart(cart) {
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
  $button('pay').disabled = cart.lines.length === 0 || state.completing;
  $button('cart-clear').disabled = cart.lines.length === 0;
}

// -------------------------------------------------------------------------------------------- payment

function paymentDialog() {
  return /** @type {HTMLDialogElement} */ ($('payment-dialog'));
}

function openPayment() {
  if (!state.cart.lines.length || state.completing) return;
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
  if (!cart.lines.length) return;
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
    await state.db.enqueue(entry, record, ['cart']);
    state.cart = createCart();
    paymentDialog().close();
    showReceipt(record.id);
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
  el.replaceChildren(...compact(receiptContent(record)));
}

/** @param {SaleRecord} sale */
function receiptContent(sale) {
  /** @type {Map<string, any>} */
  const allocated = new Map();
  for (const l of sale.response?.lines ?? []) allocated.set(l.sku, l);
  const status = sale.status === 'recorded'
    ? h('p', { class: 'receipt-status ok', testid: 'receipt-status', dataset: { status: 'recorded' } }, 'Recorded on the server')
    : sale.status === 'rejected'
      ? h('p', { class: 'receipt-status bad', testid: 'receipt-status', dataset: { status: 'rejected' } }, `Refused by the server: ${describeProblem(sale.error)}`)
      : h('p', { class: 'receipt-status pending', testid: 'receipt-status', dataset: { status: 'pending' } }, 'Pending sync: saved on this till, lots are printed once the server has it');
  return [
    h('header', { class: 'receipt-head' },
      h('strong', { class: 'receipt-shop' }, state.me?.outletName ?? 'Pharmacy'),
      h('span', {}, state.me?.tillName ?? ''),
      h('span', {}, formatDateTime(sale.occurredAt)),
      h('span', { class: 'receipt-id', testid: 'receipt-sale-id' }, `Sale ${sale.id}`)),
    h('table', { class: 'receipt-lines' },
      h('tbody', {}, ...sale.lines.flatMap((l) => {
        const alloc = allocated.get(l.sku);
        return [
          h('tr', { testid: 'receipt-line', dataset: { sku: l.sku } },
            h('td', {}, h('span', { class: 'r-name' }, l.name), h('span', { class: 'r-qty' }, `${l.quantity} × ${formatMoney(l.unitPrice)}`)),
            h('td', { class: 'num' }, formatMoney(l.quantity * l.unitPrice))),
          ...(alloc?.allocations ?? []).map((/** @type {any} */ a) =>
            h('tr', { class: 'lot', testid: 'receipt-lot', dataset: { sku: l.sku, lot: a.lotNumber ?? '', quantity: a.quantity } },
              h('td', { colspan: '2' }, `Lot ${a.lotNumber ?? '—'}${a.expiryDate ? ` · exp ${a.expiryDate}` : ''} · ${a.quantity}`))),
          alloc && alloc.shortfall > 0
            ? h('tr', { class: 'lot shortfall', testid: 'receipt-shortfall' }, h('td', { colspan: '2' }, `${alloc.shortfall} not in recorded stock: reported to the manager`))
            : null,
        ];
      }))),
    h('div', { class: 'receipt-total' }, h('span', {}, 'Total'), h('strong', { testid: 'receipt-total' }, formatMoney(sale.total))),
    h('div', { class: 'receipt-pay' },
      h('span', {}, sale.paymentMethod === 'cash' ? 'Cash' : sale.paymentMethod === 'card' ? 'Card' : sale.paymentMethod),
      h('span', {}, formatMoney(sale.paymentMethod === 'cash' && sale.tendered !== null ? sale.tendered : sale.total))),
    sale.paymentMethod === 'cash' && sale.change !== null
      ? h('div', { class: 'receipt-pay' }, h('span', {}, 'Change'), h('strong', { testid: 'receipt-change' }, formatMoney(sale.change)))
      : null,
    status,
    h('p', { class: 'receipt-foot' }, 'Thank you. Keep this receipt for returns.'),
  ];
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
  renderBadge();
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
    report = { ok: false, authFailed: false, recorded: 0, duplicates: 0, rejected: 0, remaining: 0, completed: [], error: err instanceof Error ? err.message : String(err) };
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
  renderBadge();
  if (state.view === 'sync') renderSync();
  if (state.view === 'zreport') renderZReport();
}

function periodic() {
  if (state.isLeader && !state.syncing && !syncTimer && pendingEntries(state.queue).length) syncNow('interval');
}

async function refreshQueue() {
  state.queue = await state.db.queue();
  state.pending = pendingQuantities(state.queue);
  renderBadge();
  renderProducts();
  renderCart();
  if (state.view === 'sync') renderSync();
}

function renderBadge() {
  const pending = pendingEntries(state.queue);
  const rejected = rejectedEntries(state.queue);
  const sales = pending.filter((e) => e.kind === 'sale').length;
  const returns = pending.length - sales;
  const badge = $('sync-badge');
  badge.dataset.count = String(pending.length);
  badge.dataset.sales = String(sales);
  badge.dataset.rejected = String(rejected.length);
  badge.dataset.syncing = String(state.syncing);
  /** @type {string[]} */
  const parts = [];
  if (sales) parts.push(`${sales} sale${sales === 1 ? '' : 's'} waiting to sync`);
  if (returns) parts.push(`${returns} return${returns === 1 ? '' : 's'} waiting to sync`);
  if (rejected.length) parts.push(`${rejected.length} need${rejected.length === 1 ? 's' : ''} attention`);
  badge.textContent = parts.length ? parts.join(' · ') : 'All sales synced';
  badge.className = `chip chip-sync${pending.length ? ' waiting' : ''}${rejected.length ? ' attention' : ''}`;
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

function wireSync() {
  $('sync-now').addEventListener('click', () => {
    syncBackoff.reset();
    checkServer();
    syncNow('button');
  });
}

function renderSync() {
  const pending = pendingEntries(state.queue);
  const rejected = rejectedEntries(state.queue);
  $('sync-summary').textContent = pending.length
    ? `${pending.length} waiting to upload${state.isLeader ? '' : ' (by the other till tab)'}.`
    : 'Everything made on this till is on the server.';
  $('sync-last').textContent = state.lastSyncAt
    ? `Last attempt ${formatTime(state.lastSyncAt)}${state.lastSyncError ? `: ${state.lastSyncError}` : ': OK'}`
    : '';
  /** @param {QueueEntry} e */
  const describe = (e) => e.kind === 'sale'
    ? `Sale ${e.id.slice(0, 8)} · ${formatDateTime(e.payload.occurredAt)} · ${e.payload.lines.length} line(s)`
    : `Return ${e.id.slice(0, 8)} of sale ${String(e.payload.saleId).slice(0, 8)} · ${formatDateTime(e.payload.occurredAt)}`;
  $('sync-rejected').replaceChildren(
    ...(rejected.length ? rejected.map((e) =>
      h('li', { class: 'sync-row rejected', testid: 'rejected-row', dataset: { id: e.id, kind: e.kind } },
        h('div', {}, h('strong', {}, describe(e)), h('p', { class: 'warning warning-stock' }, describeProblem(e.lastError))),
        h('div', { class: 'row-actions' },
          h('button', { type: 'button', class: 'btn btn-small', testid: 'rejected-retry', onclick: async () => {
            await state.db.retryEntry(e.id);
            await refreshQueue();
            broadcastQueueChanged();
            syncNow('retry-rejected');
          } }, 'Send again'),
          h('button', { type: 'button', class: 'btn btn-small btn-danger', testid: 'rejected-discard', onclick: async () => {
            if (!confirm('Discard it? It will never reach the server (the local history keeps it as refused).')) return;
            await state.db.discardEntry(e.id);
            await refreshQueue();
            broadcastQueueChanged();
          } }, 'Discard')))) : [h('li', { class: 'muted' }, 'Nothing.')]),
  );
  $('sync-pending').replaceChildren(
    ...(pending.length ? pending.slice(0, 200).map((e) => h('li', { class: 'sync-row', testid: 'pending-row', dataset: { id: e.id, kind: e.kind } }, describe(e))) : [h('li', { class: 'muted' }, 'Nothing.')]),
  );
  const info = $('till-info');
  info.replaceChildren(
    h('dt', {}, 'Till'), h('dd', {}, state.me?.tillName ?? '—'),
    h('dt', {}, 'Outlet'), h('dd', {}, state.me ? `${state.me.outletName} (${state.me.outletCode})` : '—'),
    h('dt', {}, 'This tab'), h('dd', { testid: 'tab-role' }, state.isLeader ? 'uploads the sales' : 'another tab is the till'),
  );
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
      h('button', { type: 'button', class: `sale-row${state.returnDraft?.saleId === s.id ? ' selected' : ''}`, testid: 'return-sale-row', dataset: { saleId: s.id }, onclick: () => selectReturnSale(s) },
        h('span', { class: 'sale-when' }, formatDateTime(s.occurredAt)),
        h('span', { class: 'sale-id' }, s.id.slice(0, 8)),
        h('span', { class: 'sale-items' }, `${s.lines.reduce((n, l) => n + l.quantity, 0)} item(s)`),
        h('strong', {}, formatMoney(s.total))))) : [h('li', { class: 'muted' }, q ? 'No sale on this till matches.' : 'No recent sales on this till.')]),
  );
}

/** @param {string} text */
async function findReturnSale(text) {
  const q = text.trim().toLowerCase();
  if (!q) return;
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
  if (submit) submit.disabled = draftLines().length === 0 || state.returning;
}

async function submitReturn() {
  const draft = state.returnDraft;
  if (!draft || state.returning) return;
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
    h('p', { class: `receipt-status ${rec.status === 'recorded' ? 'ok' : rec.status === 'rejected' ? 'bad' : 'pending'}`, testid: 'return-status', dataset: { status: rec.status } },
      rec.status === 'recorded' ? 'Recorded on the server' : rec.status === 'rejected' ? `Refused by the server: ${describeProblem(rec.error)}` : 'Pending sync'),
    h('button', { type: 'button', class: 'btn', testid: 'return-done', onclick: () => {
      state.returnResultId = null;
      renderReturns();
    } }, 'Done'),
  );
}

// ------------------------------------------------------------------------------------------- Z report

function wireZReport() {
  const date = $input('z-date');
  date.value = state.zDate;
  date.addEventListener('change', () => {
    state.zDate = date.value || localDateString(new Date());
    loadZInputs().then(renderZReport);
  });
  for (const id of ['z-opening-float', 'z-counted-cash']) {
    $input(id).addEventListener('input', () => {
      saveZInputs();
      renderZReport();
    });
  }
  $('z-print').addEventListener('click', () => printArea('z'));
  loadZInputs();
}

async function loadZInputs() {
  if (!state.db) return;
  const all = (await state.db.getSetting('zInputs')) ?? {};
  const v = all[state.zDate] ?? {};
  $input('z-opening-float').value = v.openingFloat ?? '';
  $input('z-counted-cash').value = v.countedCash ?? '';
}

async function saveZInputs() {
  const all = (await state.db.getSetting('zInputs')) ?? {};
  all[state.zDate] = { openingFloat: $input('z-opening-float').value, countedCash: $input('z-counted-cash').value };
  await state.db.setSetting('zInputs', all);
}

async function renderZReport() {
  const records = await state.db.history();
  const counted = parseAmount($input('z-counted-cash').value);
  const options = { date: state.zDate, openingFloat: parseAmount($input('z-opening-float').value) ?? 0, countedCash: counted };
  /** @type {ReturnType<typeof computeZReport> & { fromServer?: boolean }} */
  let z = computeZReport(records, options);
  try {
    // Online, the server's figures count (also sales this till no longer keeps); its own unsent records are added.
    z = combineZReport(await api.zReport(state.zDate), records, options);
  } catch {
    // Offline or the server did not answer: the till's own records.
  }
  /** @param {string} label @param {string} value @param {string} testid @param {string} [cls] */
  const row = (label, value, testid, cls) => h('tr', { class: cls ?? null }, h('th', {}, label), h('td', { class: 'num', testid }, value));
  const other = Object.entries(z.byMethod).filter(([m]) => m !== 'cash' && m !== 'card');
  const diff = z.difference;
  $('z-report').replaceChildren(
    h('header', { class: 'z-head' },
      h('h2', {}, 'Z report'),
      h('p', {}, `${state.me?.outletName ?? ''} · ${state.me?.tillName ?? ''}`),
      h('p', { testid: 'z-day' }, formatDay(z.date)),
      h('p', { class: 'muted small', testid: 'z-source', dataset: { source: z.fromServer ? 'server' : 'local' } },
        `Printed ${formatDateTime(new Date())} · ${z.fromServer ? 'from the server, with this till\'s unsent records' : 'from this till\'s records (offline)'}`)),
    h('table', { class: 'z-table' }, h('tbody', {},
      row('Sales', String(z.salesCount), 'z-sales-count'),
      row('Items sold', String(z.itemsSold), 'z-items-sold'),
      row('Sales total', formatMoney(z.salesTotal), 'z-sales-total', 'strong'),
      row('Cash', formatMoney(z.byMethod.cash ?? 0), 'z-total-cash', 'sub'),
      row('Card', formatMoney(z.byMethod.card ?? 0), 'z-total-card', 'sub'),
      ...other.map(([m, v]) => row(m, formatMoney(v), `z-total-${m}`, 'sub')),
      row('Returns', String(z.returnsCount), 'z-returns-count'),
      row('Refunded', formatMoney(z.returnsTotal), 'z-returns-total'),
      row('Net takings', formatMoney(z.netTotal), 'z-net-total', 'strong'))),
    h('h3', {}, 'Cash drawer'),
    h('table', { class: 'z-table' }, h('tbody', {},
      row('Opening float', formatMoney(z.openingFloat), 'z-float'),
      row('Cash sales', formatMoney(z.byMethod.cash ?? 0), 'z-cash-sales'),
      row('Cash refunds', z.refundsByMethod.cash ? `−${formatMoney(z.refundsByMethod.cash)}` : formatMoney(0), 'z-cash-refunds'),
      row('Expected in drawer', formatMoney(z.expectedCash), 'z-expected-cash', 'strong'),
      row('Counted', z.countedCash === null ? 'not counted' : formatMoney(z.countedCash), 'z-counted'),
      row('Difference', diff === null ? '—' : `${diff > 0 ? '+' : ''}${formatMoney(diff)}`, 'z-cash-difference', diff === null ? 'strong' : diff === 0 ? 'strong ok' : 'strong bad'))),
    z.pendingCount || z.rejectedCount
      ? h('p', { class: 'z-note', testid: 'z-pending' }, `${z.pendingCount} not yet on the server${z.rejectedCount ? `, ${z.rejectedCount} refused by it` : ''}. The figures include them: the money changed hands.`)
      : h('p', { class: 'z-note muted', testid: 'z-pending' }, 'Everything is on the server.'),
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
