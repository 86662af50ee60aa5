// @ts-check
/** Small DOM helpers for the till's UI (only used in the browser). */
import { currentCulture } from './money.js';

/**
 * The element with `data-testid="…"` (every element the UI drives has one).
 * @param {string} testid
 * @param {ParentNode} [root]
 * @returns {HTMLElement}
 */
export function $(testid, root = document) {
  const el = root.querySelector(`[data-testid="${testid}"]`);
  if (!el) throw new Error(`Missing element [data-testid="${testid}"]`);
  return /** @type {HTMLElement} */ (el);
}

/** @param {string} testid @returns {HTMLInputElement} */
export function $input(testid) {
  return /** @type {HTMLInputElement} */ ($(testid));
}

/** @param {string} testid @returns {HTMLButtonElement} */
export function $button(testid) {
  return /** @type {HTMLButtonElement} */ ($(testid));
}

/** @typedef {Node | string | number | null | undefined | false} Child */

/**
 * Creates an element. Text is always set as text (product names come from the server).
 * Attributes: `class`, `testid` (data-testid), `dataset`, `on<event>` handlers, anything else as an attribute
 * (`true` → present, `false`/null → absent).
 * @param {string} tag
 * @param {Record<string, any>} [attrs]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else if (k === 'testid') el.dataset.testid = String(v);
    else if (k === 'dataset') for (const [dk, dv] of Object.entries(v)) el.dataset[dk] = String(dv);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/**
 * Shows or hides an element (the `hidden` attribute).
 * @param {HTMLElement} el
 * @param {boolean} visible
 */
export function show(el, visible) {
  el.hidden = !visible;
}

/**
 * A short message at the bottom of the screen.
 * @param {string} message
 * @param {'info' | 'success' | 'warning' | 'error'} [kind]
 */
export function toast(message, kind = 'info') {
  const host = $('toasts');
  const el = h('div', { class: `toast toast-${kind}`, testid: 'toast', role: kind === 'error' ? 'alert' : 'status', dataset: { kind } }, message);
  host.append(el);
  setTimeout(() => el.classList.add('toast-leaving'), kind === 'error' ? 6000 : 3500);
  setTimeout(() => el.remove(), kind === 'error' ? 6400 : 3900);
}

/** @param {string | Date} iso */
export function formatTime(iso) {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return d.toLocaleTimeString(currentCulture(), { hour: '2-digit', minute: '2-digit' });
}

/** @param {string | Date} iso */
export function formatDateTime(iso) {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return d.toLocaleString(currentCulture(), { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** @param {string} ymd 'YYYY-MM-DD' */
export function formatDay(ymd) {
  const [y, m, d] = ymd.split('-').map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(currentCulture(), { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' });
}

/**
 * The nodes of a list, without the null/false placeholders of optional parts.
 * @param {(Node | string | null | undefined | false)[]} items
 * @returns {(Node | string)[]}
 */
export function compact(items) {
  /** @type {(Node | string)[]} */
  const out = [];
  for (const i of items) if (i !== null && i !== undefined && i !== false) out.push(i);
  return out;
}

/**
 * Saves `data` as a JSON file through a temporary `<a download>` (data-testid="export-download"), kept a little while
 * so that the browser has started the download before its blob URL goes.
 * @param {string} fileName
 * @param {unknown} data
 */
export function downloadJson(fileName, data) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  for (const old of document.querySelectorAll('[data-testid="export-download"]')) old.remove();
  const a = h('a', { href: url, download: fileName, testid: 'export-download', hidden: true }, fileName);
  document.body.append(a);
  a.click();
  setTimeout(() => {
    URL.revokeObjectURL(url);
    a.remove();
  }, 30000);
}

/**
 * Prints one part of the page (the till.css print rules show only `body[data-print]`'s part) through the browser.
 * @param {'receipt' | 'z'} what
 */
export function printArea(what) {
  document.body.dataset.print = what;
  const done = () => {
    delete document.body.dataset.print;
    window.removeEventListener('afterprint', done);
  };
  window.addEventListener('afterprint', done);
  window.print();
}
