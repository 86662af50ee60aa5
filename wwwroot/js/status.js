// @ts-check
/** What the status chips of the till's top bar say. Pure. */

/** @typedef {import('./api.js').TillInfo} TillInfo */
/** @typedef {import('./hub.js').HubState} HubState */
/** @typedef {{ state: 'online' | 'offline' | 'unreachable', text: string, title: string }} ConnectionStatus */

/**
 * The connection chip: the browser's network first, then whether the server last answered.
 * @param {boolean} onLine `navigator.onLine`
 * @param {boolean | null} reachable null until the server was tried
 * @returns {ConnectionStatus}
 */
export function connectionStatus(onLine, reachable) {
  /** @type {ConnectionStatus['state']} */
  let s = 'online';
  let text = 'Online';
  if (!onLine) {
    s = 'offline';
    text = 'Offline';
  } else if (reachable === false) {
    s = 'unreachable';
    text = 'Offline: server unreachable';
  }
  const title = s === 'online' ? 'Connected to the server' : 'Sales are kept on this till and uploaded when the connection returns';
  return { state: s, text, title };
}

/** @param {HubState} s the live stock connection */
export function hubStatusText(s) {
  return s === 'connected' ? 'Live stock' : s === 'unavailable' ? 'No live stock' : 'Live stock paused';
}

/** @param {TillInfo | null} me */
export function tillLabel(me) {
  return me ? `${me.tillName} · ${me.outletName}` : '';
}
