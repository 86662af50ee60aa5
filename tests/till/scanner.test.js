// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildIndex } from '../../wwwroot/js/catalog.js';
import { ScanDetector, attachScanner, routeScan } from '../../wwwroot/js/scanner.js';

/**
 * Feeds a string as keys with a fixed gap, then Enter.
 * @param {ScanDetector} d @param {string} text @param {number} gap @param {number} [start]
 */
function type(d, text, gap, start = 1000) {
  let t = start;
  /** @type {any[]} */
  const steps = [];
  for (const ch of text) {
    steps.push(d.feed(ch, t));
    t += gap;
  }
  steps.push(d.feed('Enter', t));
  return steps;
}

test('a fast burst ending in Enter is a scan', () => {
  const d = new ScanDetector();
  const steps = type(d, '5012345678900', 8);
  assert.deepEqual(steps.at(-1), { type: 'scan', code: '5012345678900' });
  assert.equal(steps[0].startsSequence, true);
  assert.ok(steps.slice(1, -1).every((s) => s.type === 'char' && !s.startsSequence));
});

test('normal typing speed is not a scan', () => {
  const d = new ScanDetector();
  assert.deepEqual(type(d, 'paracetamol', 120).at(-1), { type: 'reset' });
});

test('too short a burst is not a scan (6 characters minimum)', () => {
  const d = new ScanDetector();
  assert.equal(type(d, '12345', 5).at(-1).type, 'reset');
  assert.equal(type(d, '123456', 5, 5000).at(-1).type, 'scan');
});

test('the gap must stay under 35 ms', () => {
  assert.equal(type(new ScanDetector(), '1234567', 34).at(-1).type, 'scan');
  assert.equal(type(new ScanDetector(), '1234567', 35).at(-1).type, 'reset');
});

test('slow typing followed by a burst: only the burst is the code', () => {
  const d = new ScanDetector();
  d.feed('a', 0);
  d.feed('b', 300);
  d.feed('c', 600);
  const steps = type(d, '4006381333931', 10, 900);
  assert.equal(steps[0].startsSequence, true);
  assert.deepEqual(steps.at(-1), { type: 'scan', code: '4006381333931' });
});

test('a pause before Enter longer than 100 ms is not a scan', () => {
  const d = new ScanDetector();
  let t = 0;
  for (const ch of '12345678') d.feed(ch, (t += 10));
  assert.equal(d.feed('Enter', t + 150).type, 'reset');
});

test('Shift (upper-case letters from a scanner) is ignored; other keys and modifiers reset', () => {
  const d = new ScanDetector();
  let t = 0;
  for (const ch of 'ABC123') {
    assert.equal(d.feed('Shift', (t += 2)).type, 'ignored');
    d.feed(ch, (t += 5));
  }
  assert.deepEqual(d.feed('Enter', t + 5), { type: 'scan', code: 'ABC123' });

  for (const ch of '1234567') d.feed(ch, (t += 5));
  d.feed('Backspace', (t += 5));
  assert.equal(d.feed('Enter', (t += 5)).type, 'reset');

  for (const ch of '1234567') d.feed(ch, (t += 5));
  assert.equal(d.feed('v', (t += 5), { ctrlKey: true }).type, 'reset');
  assert.equal(d.feed('Enter', (t += 5)).type, 'reset');
});

test('auto-repeat of a held key is not a scan', () => {
  const d = new ScanDetector();
  d.feed('a', 0);
  let t = 0;
  for (let i = 0; i < 10; i++) d.feed('a', (t += 30), { repeat: true });
  assert.equal(d.feed('Enter', t + 10).type, 'reset');
});

test('options change the thresholds', () => {
  const d = new ScanDetector({ minLength: 3, maxGapMs: 80 });
  assert.equal(type(d, 'abc', 60).at(-1).type, 'scan');
});

class FakeKeyEvent extends Event {
  /** @param {string} key @param {number} time @param {EventTarget} target */
  constructor(key, time, target) {
    super('keydown', { cancelable: true });
    this.key = key;
    this.time = time;
    this.fakeTarget = target;
    this.isComposing = false;
    this.ctrlKey = false;
    this.altKey = false;
    this.metaKey = false;
    this.repeat = false;
  }

  get timeStamp() {
    return this.time;
  }

  get target() {
    return this.fakeTarget;
  }
}

/** A minimal stand-in for a window and an <input> in node. */
function fakePage() {
  const win = new EventTarget();
  const input = Object.assign(new EventTarget(), { tagName: 'INPUT', value: '' });
  /** @type {string[]} */
  const enterReachedPage = [];
  input.addEventListener('keydown', (/** @type {any} */ e) => {
    if (e.key === 'Enter') enterReachedPage.push(input.value);
  });
  /**
   * Dispatches a keydown at the input, through the window's capture listener, then "types" the character.
   * @param {string} key @param {number} timeStamp @param {{ ctrlKey?: boolean }} [flags]
   */
  const key = (key, timeStamp, flags = {}) => {
    const e = new FakeKeyEvent(key, timeStamp, input);
    e.ctrlKey = Boolean(flags.ctrlKey);
    // Capture at the window first (as the browser does), then the target.
    win.dispatchEvent(e);
    if (!e.cancelBubble) for (const l of [input]) l.dispatchEvent(Object.assign(new Event('keydown'), { key }));
    if (!e.defaultPrevented && key.length === 1 && !e.ctrlKey) input.value += key;
  };
  return { win, input, key, enterReachedPage };
}

test('attachScanner: a used scan is taken back out of the focused field and its Enter stops there', () => {
  const page = fakePage();
  /** @type {string[]} */
  const scans = [];
  attachScanner(/** @type {any} */ (page.win), (code) => {
    scans.push(code);
    return true;
  });
  let t = 0;
  for (const ch of 'ibu') page.key(ch, (t += 200));
  t += 200;
  for (const ch of '5012345678900') page.key(ch, (t += 5));
  page.key('Enter', (t += 5));
  assert.deepEqual(scans, ['5012345678900']);
  assert.equal(page.input.value, 'ibu');
  assert.deepEqual(page.enterReachedPage, []);
});

test('attachScanner: a burst the page does not use stays as typed', () => {
  const page = fakePage();
  attachScanner(/** @type {any} */ (page.win), () => false);
  let t = 0;
  for (const ch of 'paracetamol') page.key(ch, (t += 5));
  page.key('Enter', (t += 5));
  assert.equal(page.input.value, 'paracetamol');
  assert.deepEqual(page.enterReachedPage, ['paracetamol']);
});

test('attachScanner: detaching stops detection', () => {
  const page = fakePage();
  let n = 0;
  const detach = attachScanner(/** @type {any} */ (page.win), () => ++n > 0);
  detach();
  let t = 0;
  for (const ch of '123456789') page.key(ch, (t += 5));
  page.key('Enter', (t += 5));
  assert.equal(n, 0);
});

test('routeScan: what a scan does on the till, whichever screen it comes on', () => {
  const para = { sku: 'PARA-500-16', barcode: '5012345678900', name: 'Paracetamol', price: 3.49, available: 10, nextExpiry: null };
  const index = buildIndex([para]);
  const saleId = '7b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3';
  const at = { setupOpen: false, started: true, paymentOpen: false, isLeader: true, view: 'sale', inField: false, manualReturn: false, index };
  assert.deepEqual(routeScan('anything', { ...at, setupOpen: true, started: false }), { type: 'token' }, 'the setup screen takes a token');
  assert.deepEqual(routeScan('5012345678900', { ...at, started: false }), { type: 'pass' }, 'not started: not used');
  assert.deepEqual(routeScan('5012345678900', { ...at, paymentOpen: true }), { type: 'payment-open' });
  assert.deepEqual(routeScan('5012345678900', { ...at, isLeader: false }), { type: 'follower' });
  assert.deepEqual(routeScan('5012345678900', { ...at, isLeader: false, view: 'returns' }), { type: 'follower' });
  assert.deepEqual(routeScan('5012345678900', at), { type: 'add', product: para });
  assert.deepEqual(routeScan('para-500-16', at), { type: 'add', product: para }, 'a sku, any case');
  assert.deepEqual(routeScan('5012345678900', { ...at, view: 'zreport' }), { type: 'add', product: para }, 'from another view too');
  assert.deepEqual(routeScan('9999999999', at), { type: 'unknown' });
  assert.deepEqual(routeScan('9999999999', { ...at, inField: true }), { type: 'pass' }, 'fast typing in a field stays as typed');

  const returns = { ...at, view: 'returns' };
  assert.deepEqual(routeScan(saleId, returns), { type: 'find-sale' }, 'a receipt\'s sale number');
  assert.deepEqual(routeScan('5012345678900', returns), { type: 'pass' }, 'no return of an unknown sale open');
  assert.deepEqual(routeScan('5012345678900', { ...returns, manualReturn: true }), { type: 'return-line', product: para });
  assert.deepEqual(routeScan('9999999999', { ...returns, manualReturn: true }), { type: 'pass' });
  assert.deepEqual(routeScan(saleId, at), { type: 'unknown' }, 'a sale number on the sale view is no product');
});

test('the GS1 group separator a wedge scanner sends as Ctrl+] stays in the code', () => {
  const d = new ScanDetector();
  let t = 0;
  for (const ch of '010501234567890010L2391') d.feed(ch, (t += 5));
  assert.equal(d.feed('Control', (t += 2), { ctrlKey: true }).type, 'ignored', 'the Ctrl press itself');
  assert.equal(d.feed(']', (t += 3), { ctrlKey: true, code: 'BracketRight' }).type, 'char');
  for (const ch of '21S1') d.feed(ch, (t += 5));
  assert.deepEqual(d.feed('Enter', (t += 5)), { type: 'scan', code: '010501234567890010L2391\u001d21S1' });
});

test('GS also arrives as the GroupSeparator key, the character itself, or Ctrl and the "]" key of another layout', () => {
  for (const [key, flags] of /** @type {[string, any][]} */ ([['GroupSeparator', {}], ['\u001d', {}], ['+', { ctrlKey: true, code: 'BracketRight' }], [']', { ctrlKey: true }]])) {
    const d = new ScanDetector();
    let t = 0;
    d.feed(key, (t += 5), flags); // FNC1 first, as some scanners send it
    for (const ch of '0105012345678900') d.feed(ch, (t += 5));
    assert.deepEqual(d.feed('Enter', (t += 5)), { type: 'scan', code: '\u001d0105012345678900' }, key);
  }
});

test('other Ctrl keys still break a burst: Ctrl+V is a paste, not a scan', () => {
  const d = new ScanDetector();
  let t = 0;
  for (const ch of '1234567') d.feed(ch, (t += 5));
  assert.equal(d.feed(']', (t += 5), { ctrlKey: true, altKey: true }).type, 'reset', 'AltGr+] is no GS');
  for (const ch of '1234567') d.feed(ch, (t += 5));
  assert.equal(d.feed('v', (t += 5), { ctrlKey: true, code: 'KeyV' }).type, 'reset');
  assert.equal(d.feed('Enter', (t += 5)).type, 'reset');
});

test('attachScanner: a GS1 scan with Ctrl+] reaches the page whole, and routeScan finds its product by GTIN-14', () => {
  const page = fakePage();
  /** @type {string[]} */
  const scans = [];
  attachScanner(/** @type {any} */ (page.win), (code) => {
    scans.push(code);
    return true;
  });
  let t = 0;
  for (const ch of ']d201050123456789001727033110L2391') page.key(ch, (t += 4));
  page.key('Control', (t += 2), { ctrlKey: true });
  page.key(']', (t += 2), { ctrlKey: true });
  for (const ch of '21SN7') page.key(ch, (t += 4));
  page.key('Enter', (t += 4));
  assert.deepEqual(scans, [']d201050123456789001727033110L2391\u001d21SN7']);
  assert.equal(page.input.value, '');

  const para = { sku: 'PARA-500-16', barcode: '5012345678900', name: 'Paracetamol', price: 3.49, available: 10, nextExpiry: null };
  const at = { setupOpen: false, started: true, paymentOpen: false, isLeader: true, view: 'sale', inField: false, manualReturn: false, index: buildIndex([para]) };
  assert.deepEqual(routeScan(scans[0], { ...at, today: '2026-12-01' }), { type: 'add', product: para, lot: { lotNumber: 'L2391', expiryDate: '2027-03-31' } },
    'the pack goes in with its lot and expiry');
  assert.deepEqual(routeScan('(01)05012345678901(10)L1', at),
    { type: 'unreadable', message: 'GTIN (01) 05012345678901 has a wrong check digit: scan it again, or type the code.' }, 'a wrong check digit finds nothing, and says so');
});
