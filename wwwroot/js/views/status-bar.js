// @ts-check
/** The top bar's chips (connection, live stock, the till's name) and the follower tab's banner (browser only). */
import { $, show } from '../dom.js';
import { state } from '../state.js';
import { connectionStatus, hubStatusText, tillLabel } from '../status.js';
import { FOLLOWER_MESSAGE } from '../tablock.js';

export function renderStatus() {
  const el = $('online-status');
  const s = connectionStatus(navigator.onLine, state.reachable);
  el.dataset.state = s.state;
  el.textContent = s.text;
  el.title = s.title;
  $('app').dataset.online = String(s.state === 'online');
}

/** @param {import('../hub.js').HubState} s */
export function renderHubState(s) {
  const el = $('live-status');
  el.dataset.state = s;
  el.textContent = hubStatusText(s);
}

export function renderTillName() {
  $('till-name').textContent = tillLabel(state.me);
}

/** A follower tab shows the till but cannot sell or take returns: the leader tab does (one sale, one id, one tab). */
export function renderRoleBanner() {
  $('app').dataset.role = state.isLeader ? 'leader' : 'follower';
  const banner = $('tab-lock-banner');
  banner.textContent = FOLLOWER_MESSAGE;
  show(banner, !state.isLeader);
}
