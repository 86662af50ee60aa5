// @ts-check
/**
 * The till's service worker (scope /till/). Precaches the shell, the modules and the SignalR client
 * under a versioned cache; serves navigations network-first (falling back to the cached shell when
 * offline) and the precached files cache-first; never touches /api/ or /hubs/.
 *
 * Updates: a new version installs in the background and waits. It takes over when every till tab has
 * closed, or when an idle till page (no open sale) asks it to at start-up: never in the middle of a sale.
 * Bump VERSION whenever any precached file changes.
 */

const VERSION = 'till-v10';
const CACHE = VERSION;
const NAVIGATION_TIMEOUT_MS = 4000;

/** Relative to this file, i.e. under /till/. */
const PRECACHE = [
  './',
  './index.html',
  './manifest.webmanifest',
  './css/till.css',
  './icons/icon-192.png',
  './icons/icon-512.png',
  './icons/icon.svg',
  './js/app.js',
  './js/api.js',
  './js/backoff.js',
  './js/cart.js',
  './js/catalog.js',
  './js/checkout.js',
  './js/db.js',
  './js/dom.js',
  './js/export.js',
  './js/gs1.js',
  './js/history.js',
  './js/hub.js',
  './js/lots.js',
  './js/money.js',
  './js/queue.js',
  './js/return-draft.js',
  './js/scanner.js',
  './js/state.js',
  './js/status.js',
  './js/sw-update.js',
  './js/sync-runner.js',
  './js/tablock.js',
  './js/token.js',
  './js/views/guard.js',
  './js/views/payment.js',
  './js/views/receipt.js',
  './js/views/returns.js',
  './js/views/sale.js',
  './js/views/setup.js',
  './js/views/status-bar.js',
  './js/views/sync.js',
  './js/views/zreport.js',
  './lib/signalr/signalr.min.js',
];

/**
 * The DOM library has no service-worker types; these are the parts used here.
 * @typedef {Event & { waitUntil(p: Promise<unknown>): void }} ExtendableEvent
 * @typedef {ExtendableEvent & { request: Request, respondWith(r: Response | Promise<Response>): void }} FetchEvent
 * @typedef {ExtendableEvent & { data: any }} ExtendableMessageEvent
 * @typedef {{ registration: { scope: string }, clients: { claim(): Promise<void> }, skipWaiting(): Promise<void>,
 *   addEventListener(type: string, listener: (e: any) => void): void, location: Location }} ServiceWorkerScope
 */
const sw = /** @type {ServiceWorkerScope} */ (/** @type {unknown} */ (self));

sw.addEventListener('install', (/** @type {ExtendableEvent} */ event) => {
  // No skipWaiting here: the new version waits (see the header).
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE.map((u) => new Request(u, { cache: 'reload' })))),
  );
});

sw.addEventListener('activate', (/** @type {ExtendableEvent} */ event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('till-') && key !== CACHE) await caches.delete(key);
    }
    // First install: control the open page right away so that it works offline without a reload.
    await sw.clients.claim();
  })());
});

sw.addEventListener('message', (/** @type {ExtendableMessageEvent} */ event) => {
  // Sent by an idle till page only (no open cart, no payment in progress).
  if (event.data && event.data.type === 'SKIP_WAITING') sw.skipWaiting();
});

sw.addEventListener('fetch', (/** @type {FetchEvent} */ event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/hubs/')) return; // never cached
  const scope = new URL(sw.registration.scope);
  if (!url.pathname.startsWith(scope.pathname)) return;

  if (request.mode === 'navigate') {
    event.respondWith(navigate(request));
    return;
  }
  event.respondWith(cacheFirst(request));
});

/**
 * Network first, so an online start gets the current shell; the cached shell when offline or slow.
 * @param {Request} request
 */
async function navigate(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await withTimeout(fetch(request), NAVIGATION_TIMEOUT_MS);
    if (response.ok || response.status === 304) return response;
    const cached = await cache.match('./index.html');
    return cached ?? response;
  } catch {
    const cached = (await cache.match('./index.html')) ?? (await cache.match('./'));
    return cached ?? new Response('The till is offline and not installed yet: connect once to install it.', {
      status: 503,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
}

/** @param {Request} request */
async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  return fetch(request);
}

/**
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @returns {Promise<T>}
 */
function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then((v) => {
      clearTimeout(timer);
      resolve(v);
    }, (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
