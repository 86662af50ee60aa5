// @ts-check
/**
 * What a till still holds that the server has not taken, as counts for the UI and the X-Till-Pending header, and as
 * the export file a manager imports in the back-office when the device will not sync again. Pure functions.
 */
import { orderQueue } from './queue.js';

/** @typedef {import('./queue.js').QueueEntry} QueueEntry */
/** @typedef {import('./api.js').TillInfo} TillInfo */
/**
 * @typedef {{ format: 'backoffice-till-export', version: 1, exportedAt: string,
 *   till: { tillId: any, tillName: string | null, outletCode: string | null, outletName: string | null },
 *   sales: any[], returns: any[] }} UnsentExport
 */

export const EXPORT_FORMAT = 'backoffice-till-export';
export const EXPORT_VERSION = 1;

/**
 * The entries the server has not taken (pending or flagged on this till), in queue order.
 * @param {QueueEntry[]} entries
 */
export function unsentEntries(entries) {
  return orderQueue(entries.filter((e) => e.state === 'pending' || e.state === 'rejected'));
}

/**
 * @param {QueueEntry[]} entries
 * @returns {{ sales: number, returns: number, total: number }}
 */
export function unsentCounts(entries) {
  let sales = 0;
  let returns = 0;
  for (const e of entries) {
    if (e.state !== 'pending' && e.state !== 'rejected') continue;
    if (e.kind === 'sale') sales += 1;
    else returns += 1;
  }
  return { sales, returns, total: sales + returns };
}

/**
 * @param {QueueEntry[]} entries the local queue
 * @param {TillInfo | null} till
 * @param {Date} [now]
 * @returns {UnsentExport}
 */
export function buildUnsentExport(entries, till, now = new Date()) {
  const unsent = unsentEntries(entries);
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now.toISOString(),
    till: {
      tillId: till?.tillId ?? null,
      tillName: till?.tillName ?? null,
      outletCode: till?.outletCode ?? null,
      outletName: till?.outletName ?? null,
    },
    sales: unsent.filter((e) => e.kind === 'sale').map((e) => e.payload),
    returns: unsent.filter((e) => e.kind === 'return').map((e) => e.payload),
  };
}

/**
 * Lower-case ASCII words joined by dashes ("Till 2 – Façade" → "till-2-facade").
 * @param {string | null | undefined} text
 * @param {string} fallback
 */
export function slug(text, fallback) {
  const s = String(text ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return s || fallback;
}

/**
 * `unsent-<outletCode>-<till name slug>-<yyyyMMdd-HHmm>.json`, in the till's local time (what the cashier sees).
 * @param {TillInfo | null} till
 * @param {Date} [now]
 */
export function exportFileName(till, now = new Date()) {
  const code = String(till?.outletCode ?? '').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'outlet';
  const p = (/** @type {number} */ n) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}`;
  return `unsent-${code}-${slug(till?.tillName, 'till')}-${stamp}.json`;
}

/**
 * The persistent notice once the server refuses the till's token.
 * @param {{ sales: number, returns: number }} counts
 */
export function authBannerText(counts) {
  const waiting = counts.returns
    ? `${counts.sales} sale(s) and ${counts.returns} return(s) wait on this device.`
    : `${counts.sales} sale(s) wait on this device.`;
  return `This till's token was revoked or replaced. ${waiting} Enter the till's new token from the back-office, or export the unsent sales.`;
}
