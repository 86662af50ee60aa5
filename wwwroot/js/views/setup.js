// @ts-check
/**
 * The till token (browser only): the setup screen (first start, a new token, another till), and the banner shown
 * once the server refuses the token, with the way out for the sales on this device (an export file).
 */
import { $, $button, $input, downloadJson, show, toast } from '../dom.js';
import { authBannerText, buildUnsentExport, exportFileName, unsentCounts } from '../export.js';
import { state } from '../state.js';
import { extractToken, newTokenPrompt, tillSwitchProblem, tokenErrorMessage } from '../token.js';

/** @typedef {import('../api.js').TillInfo} TillInfo */

/** @param {string} s 'setup' or 'till' (the splash shows only while loading) */
function setAppState(s) {
  $('app').dataset.state = s;
  show($('loading'), s === 'loading');
}

/** @param {string} [message] */
export function showSetup(message) {
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

export function showTillScreen() {
  setAppState('till');
  show($('setup-screen'), false);
  show($('till-screen'), true);
}

/** Whether the setup screen is up (a scan then is a token). */
export function setupOpen() {
  return !$('setup-screen').hidden;
}

/** Stays until a token is accepted: the sales on this device can only leave it with one, or in an export file. */
export function renderAuthBanner() {
  const banner = $('auth-banner');
  show(banner, state.authFailed);
  $('app').dataset.auth = state.authFailed ? 'failed' : 'ok';
  if (!state.authFailed) return;
  const counts = unsentCounts(state.queue);
  banner.dataset.pending = String(counts.total);
  banner.dataset.sales = String(counts.sales);
  $('auth-banner-text').textContent = authBannerText(counts);
}

/** Everything the server has not taken, as a file a manager imports in the back-office; the queue keeps it all. */
export async function exportUnsent() {
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

/**
 * @param {{ api: import('../api.js').Api, useToken: (token: string, me: TillInfo) => Promise<void>, tokenChanged: () => void }} deps
 *   `useToken` (re)starts the till with a token the server accepted; `tokenChanged` tells the other tabs of this till
 */
export function createSetupView(deps) {
  function wire() {
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
    $('auth-fix').addEventListener('click', () => {
      const { sales } = unsentCounts(state.queue);
      showSetup(newTokenPrompt(sales));
    });
    $('auth-export').addEventListener('click', () => exportUnsent());
    $('change-token').addEventListener('click', () => showSetup());
  }

  /** @param {string} raw what was typed, pasted or scanned */
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
      const me = await deps.api.me(token);
      const problem = tillSwitchProblem((await state.db.queue()).length, state.me, me);
      if (problem) throw new Error(problem);
      await state.db.setSetting('token', token);
      await state.db.setSetting('me', me);
      $input('token-input').value = '';
      await deps.useToken(token, me);
      deps.tokenChanged();
      toast(`Connected as ${me.tillName} at ${me.outletName}`, 'success');
    } catch (err) {
      error.textContent = tokenErrorMessage(err);
      show(error, true);
    } finally {
      button.disabled = false;
      button.textContent = 'Connect till';
    }
  }

  return { wire, submitToken };
}
