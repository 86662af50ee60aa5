// @ts-check
/**
 * The service worker's registration and updates (browser only). A new version that finished installing waits
 * (sw.js); it is used at a (re)start of an idle till, or when the cashier presses "Update ready" while idle:
 * never in the middle of a sale.
 */
import { $, show, toast } from './dom.js';

/** @param {{ busy: () => boolean }} deps `busy`: a sale or a return is under way */
export function createUpdater(deps) {
  /** @type {ServiceWorkerRegistration | null} */
  let registration = null;
  let updateRequested = false;

  function wire() {
    $('update-ready').addEventListener('click', () => apply(true));
  }

  async function register() {
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
    apply(false);
    registration.addEventListener('updatefound', () => {
      const worker = registration?.installing;
      worker?.addEventListener('statechange', () => {
        if (worker.state === 'installed' && navigator.serviceWorker.controller) show($('update-ready'), true);
      });
    });
  }

  /** @param {boolean} asked the cashier pressed "Update ready" */
  function apply(asked) {
    const waiting = registration?.waiting;
    if (!waiting || !navigator.serviceWorker.controller) return;
    if (deps.busy()) {
      show($('update-ready'), true);
      if (asked) toast('Finish the current sale first; the update applies when the till is idle.', 'warning');
      return;
    }
    updateRequested = true;
    waiting.postMessage({ type: 'SKIP_WAITING' });
  }

  return { wire, register };
}
