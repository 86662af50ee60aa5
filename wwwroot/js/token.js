// @ts-check
/** The till token: where it comes from (a typed or scanned code, a link), and what the setup screen says. Pure. */
import { ApiError } from './api.js';

/** @typedef {import('./api.js').TillInfo} TillInfo */

/**
 * A QR code may carry a link such as /till/#token=…: the token in a location hash, or null.
 * @param {string} hash `location.hash`
 */
export function tokenFromHash(hash) {
  const m = /(?:^|[#&?])token=([^&]+)/.exec(hash);
  return m ? decodeURIComponent(m[1]) : null;
}

/**
 * The token in what a scanner or a paste gave: a bare token or a link carrying one.
 * @param {string} code
 */
export function extractToken(code) {
  const m = /[#?&]token=([^&#\s]+)/.exec(code);
  return (m ? decodeURIComponent(m[1]) : code).trim();
}

/**
 * The setup screen's error when a token could not be checked.
 * @param {unknown} err what `api.me(token)` (or the till-switch check) threw
 */
export function tokenErrorMessage(err) {
  if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return 'The server did not accept this token. Check it with the back-office.';
  if (err instanceof ApiError) return `The server answered: ${err.message}`;
  if (err instanceof TypeError || (err instanceof DOMException && err.name === 'AbortError')) return 'Cannot reach the server. The first start needs a connection.';
  return err instanceof Error ? err.message : String(err);
}

/**
 * Why a token of another till may not replace this one yet (its unsent sales would go up under the wrong till), or null.
 * @param {number} waiting entries in the local queue
 * @param {TillInfo | null} current the till this device is now
 * @param {TillInfo} next the till of the new token
 */
export function tillSwitchProblem(waiting, current, next) {
  if (waiting && current && String(current.tillId) !== String(next.tillId)) {
    return `${waiting} sale(s) made on ${current.tillName} have not reached the server yet. Enter that till's token (or sync first) before switching to ${next.tillName}.`;
  }
  return null;
}

/**
 * The setup screen's message after "Enter new token" on the refused-token banner.
 * @param {number} sales unsent sales on this device
 */
export function newTokenPrompt(sales) {
  return `Enter this till's new token from the back-office. ${sales ? `The ${sales} sale(s) waiting on this device stay here and are uploaded with it.` : 'Nothing waits on this device.'}`;
}
