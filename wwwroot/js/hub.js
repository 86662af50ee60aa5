// @ts-check
/**
 * Live stock through the SignalR hub `/hubs/stock`. The SignalR browser client is loaded as a classic
 * script (`lib/signalr/signalr.min.js`, which sets `window.signalR`), so nothing here imports it.
 */
import { backoffDelay } from './backoff.js';
import { parseStockChanged } from './catalog.js';

/** @typedef {typeof import('@microsoft/signalr')} SignalRModule */
/** @typedef {import('./catalog.js').StockChanged} StockChanged */
/** @typedef {'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'unavailable'} HubState */

/**
 * Connects and stays connected (reconnecting with back-off for as long as the page lives) until `stop()`.
 * `CatalogChanged` (a lot of this outlet recalled or released) asks for the catalog at once.
 * @param {{ getToken: () => string | null | undefined, onStockChanged: (m: StockChanged) => void,
 *   onCatalogChanged?: () => void, onState?: (s: HubState) => void, onReconnected?: () => void, url?: string,
 *   signalR?: SignalRModule }} options
 * @returns {{ stop(): Promise<void>, restart(): void }}
 */
export function startHub(options) {
  const signalR = options.signalR ?? /** @type {any} */ (globalThis).signalR;
  const onState = options.onState ?? (() => {});
  if (!signalR) {
    onState('unavailable');
    return { stop: async () => {}, restart: () => {} };
  }
  const retry = { nextRetryDelayInMilliseconds: (/** @type {{ previousRetryCount: number }} */ ctx) => backoffDelay(ctx.previousRetryCount, { baseMs: 1000, capMs: 30000, minMs: 500 }) };
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(options.url ?? '/hubs/stock', { accessTokenFactory: () => options.getToken() ?? '' })
    .withAutomaticReconnect(retry)
    .configureLogging(signalR.LogLevel.Warning)
    .build();

  let stopped = false;
  let attempt = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;

  connection.on('StockChanged', (/** @type {unknown[]} */ ...args) => {
    const m = parseStockChanged(args);
    if (m) options.onStockChanged(m);
  });
  connection.on('CatalogChanged', () => options.onCatalogChanged?.());
  connection.onreconnecting(() => onState('reconnecting'));
  connection.onreconnected(() => {
    onState('connected');
    options.onReconnected?.();
  });
  connection.onclose(() => {
    if (stopped) return;
    onState('disconnected');
    schedule();
  });

  const start = async () => {
    if (stopped || connection.state !== signalR.HubConnectionState.Disconnected) return;
    onState('connecting');
    try {
      await connection.start();
      attempt = 0;
      onState('connected');
      options.onReconnected?.();
    } catch {
      onState('disconnected');
      schedule();
    }
  };
  const schedule = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(start, backoffDelay(attempt++, { baseMs: 1000, capMs: 30000, minMs: 500 }));
  };
  start();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await connection.stop();
    },
    restart() {
      // e.g. the browser came back online: try now rather than at the end of the back-off.
      if (stopped || connection.state !== signalR.HubConnectionState.Disconnected) return;
      clearTimeout(timer);
      attempt = 0;
      start();
    },
  };
}
