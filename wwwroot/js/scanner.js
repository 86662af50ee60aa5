// @ts-check
/**
 * Keyboard-wedge barcode scanner detection. A scanner "types" its code as a fast burst of keys
 * ending in Enter; people do not type 6 characters with less than 35 ms between keys. The GS1 group separator a
 * scanner sends inside a GS1 code (Ctrl+]) is kept in the code as "\u001d", so gs1.js can read the fields.
 *
 * `ScanDetector` is pure (it is fed keys and their timestamps); `attachScanner` wires it to a page's
 * keydown events (capture phase, so it works wherever the focus is). `routeScan` (pure) decides what a scan
 * does on the till.
 */
import { isUuid } from './cart.js';
import { findByCode } from './catalog.js';
import { GS } from './gs1.js';
import { readPack } from './lots.js';

/** @typedef {import('./cart.js').Product} Product */
/** @typedef {import('./cart.js').PackLot} PackLot */

/** @typedef {{ minLength?: number, maxGapMs?: number, maxEnterGapMs?: number }} ScanOptions */
/** @typedef {{ ctrlKey?: boolean, altKey?: boolean, metaKey?: boolean, repeat?: boolean, code?: string }} KeyFlags */
/**
 * @typedef {{ type: 'char', startsSequence: boolean } | { type: 'scan', code: string } | { type: 'reset' } | { type: 'ignored' }} ScanStep
 */

// Control on its own is ignored because wedge scanners press it to send GS as Ctrl+] (see isGroupSeparator).
const IGNORED_KEYS = new Set(['Shift', 'CapsLock', 'NumLock', 'Unidentified', 'Dead', 'Control']);

/**
 * The GS1 group separator (ASCII 29) as a keyboard-wedge scanner sends it: Ctrl+] (by key, or by the physical key on
 * layouts where that key is not "]"), the "GroupSeparator" key, or the character itself.
 * @param {string} key @param {KeyFlags} flags
 */
export function isGroupSeparator(key, flags) {
  if (key === GS || key === 'GroupSeparator') return true;
  return Boolean(flags.ctrlKey) && !flags.altKey && !flags.metaKey && (key === ']' || flags.code === 'BracketRight');
}

export class ScanDetector {
  /** @param {ScanOptions} [options] */
  constructor(options = {}) {
    this.minLength = options.minLength ?? 6;
    this.maxGapMs = options.maxGapMs ?? 35;
    this.maxEnterGapMs = options.maxEnterGapMs ?? 100;
    this.buffer = '';
    this.lastTime = -Infinity;
  }

  reset() {
    this.buffer = '';
    this.lastTime = -Infinity;
  }

  /** True while the keys so far could be the start of a scan that is already long enough. */
  get looksLikeScan() {
    return this.buffer.length >= this.minLength;
  }

  /**
   * Feeds one keydown.
   * @param {string} key KeyboardEvent.key
   * @param {number} time KeyboardEvent.timeStamp (ms)
   * @param {KeyFlags} [flags]
   * @returns {ScanStep}
   */
  feed(key, time, flags = {}) {
    if (isGroupSeparator(key, flags)) {
      key = GS;
      flags = { repeat: flags.repeat };
    }
    if (IGNORED_KEYS.has(key)) return { type: 'ignored' };
    if (flags.ctrlKey || flags.altKey || flags.metaKey) {
      this.reset();
      return { type: 'reset' };
    }
    if (key === 'Enter') {
      const fast = time - this.lastTime <= this.maxEnterGapMs;
      const code = this.buffer;
      this.reset();
      if (fast && code.length >= this.minLength) return { type: 'scan', code };
      return { type: 'reset' };
    }
    if (key.length === 1 && !flags.repeat) {
      const continues = this.buffer.length > 0 && time - this.lastTime < this.maxGapMs;
      if (continues) this.buffer += key;
      else this.buffer = key;
      this.lastTime = time;
      return { type: 'char', startsSequence: !continues };
    }
    this.reset();
    return { type: 'reset' };
  }
}

/**
 * @param {EventTarget | null} el
 * @returns {el is HTMLInputElement | HTMLTextAreaElement}
 */
function isTextField(el) {
  if (!el || typeof (/** @type {any} */ (el).tagName) !== 'string') return false;
  const tag = /** @type {HTMLElement} */ (el).tagName;
  return tag === 'TEXTAREA' || (tag === 'INPUT' && 'value' in el);
}

/**
 * Listens for scans on a window. `onScan(code)` returns true when it used the code: the burst is then
 * taken back out of the focused field and the Enter does nothing else. When it returns false and the
 * focus is in a field, the keys stay as normal typing.
 * @param {Window} win
 * @param {(code: string, target: EventTarget | null) => boolean} onScan
 * @param {ScanOptions} [options]
 * @returns {() => void} detaches the listener
 */
export function attachScanner(win, onScan, options = {}) {
  const detector = new ScanDetector(options);
  /** @type {{ field: HTMLInputElement | HTMLTextAreaElement, value: string } | null} */
  let snapshot = null;

  /** @param {KeyboardEvent} e */
  const onKeyDown = (e) => {
    if (e.isComposing) return;
    const step = detector.feed(e.key, e.timeStamp, e);
    if (step.type === 'char' && step.startsSequence) {
      snapshot = isTextField(e.target) ? { field: e.target, value: e.target.value } : null;
      return;
    }
    if (step.type !== 'scan') return;
    const used = onScan(step.code, e.target);
    if (!used) {
      snapshot = null;
      return;
    }
    e.preventDefault();
    e.stopImmediatePropagation();
    if (snapshot && snapshot.field === e.target && snapshot.field.value !== snapshot.value) {
      snapshot.field.value = snapshot.value;
      snapshot.field.dispatchEvent(new Event('input', { bubbles: true }));
    }
    snapshot = null;
  };
  win.addEventListener('keydown', onKeyDown, { capture: true });
  return () => win.removeEventListener('keydown', onKeyDown, { capture: true });
}

/**
 * What a scan does on the till: `pass` leaves it unused (the keys stay as typed in a field); every other action
 * uses it. `token` goes to the setup screen; `payment-open` and `follower` only say why nothing happens;
 * `find-sale` looks the scanned sale number up for a return; `return-line` adds the product to a return of a sale
 * this till does not have; `add` puts the product in the cart (with the scanned pack's `lot`, when the scan carried one);
 * `blocked` says why that pack may not be sold (recalled lot, expired) and what to do with it; `unreadable` why a GS1 code
 * cannot be read; `unknown` says the barcode is not in the catalog.
 * @typedef {{ type: 'pass' | 'token' | 'payment-open' | 'follower' | 'find-sale' | 'unknown' }
 *   | { type: 'return-line', product: Product } | { type: 'add', product: Product, lot?: PackLot }
 *   | { type: 'blocked', product: Product, message: string } | { type: 'unreadable', message: string }} ScanAction
 */

/**
 * @param {string} code
 * @param {{ setupOpen: boolean, started: boolean, paymentOpen: boolean, isLeader: boolean, view: string,
 *   inField: boolean, manualReturn: boolean, index: import('./catalog.js').CatalogIndex, today?: string }} at
 *   where the scan happened: `inField` the focus is in a text field, `manualReturn` a return of a sale this till does
 *   not have is open, `today` the outlet's date (a GS1 expiry before it is blocked)
 * @returns {ScanAction}
 */
export function routeScan(code, at) {
  if (at.setupOpen) return { type: 'token' };
  if (!at.started) return { type: 'pass' };
  if (at.paymentOpen) return { type: 'payment-open' };
  if (!at.isLeader && (at.view === 'sale' || at.view === 'returns')) return { type: 'follower' };
  if (at.view === 'returns') {
    if (isUuid(code)) return { type: 'find-sale' };
    const p = findByCode(at.index, code);
    if (p && at.manualReturn) return { type: 'return-line', product: p };
    return { type: 'pass' };
  }
  const pack = readPack(at.index, code, at.today);
  if (pack.type === 'pack') return pack.lot ? { type: 'add', product: pack.product, lot: pack.lot } : { type: 'add', product: pack.product };
  if (pack.type === 'blocked') return { type: 'blocked', product: pack.product, message: pack.message };
  // A GS1 code is a scanner's, never typing: say what is wrong with it even in a field.
  if (pack.type === 'unreadable') return { type: 'unreadable', message: pack.message };
  if (at.inField) return { type: 'pass' };
  return { type: 'unknown' };
}
