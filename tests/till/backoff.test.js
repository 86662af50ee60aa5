// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff, backoffDelay } from '../../wwwroot/js/backoff.js';

test('the ceiling doubles per attempt up to the cap (random = 1)', () => {
  const opts = { baseMs: 1000, capMs: 30000, random: () => 1 };
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 50].map((a) => backoffDelay(a, opts)), [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});

test('full jitter: anywhere between 0 and the ceiling', () => {
  assert.equal(backoffDelay(3, { baseMs: 1000, random: () => 0 }), 0);
  assert.equal(backoffDelay(3, { baseMs: 1000, random: () => 0.5 }), 4000);
  for (let i = 0; i < 1000; i++) {
    const d = backoffDelay(4, { baseMs: 100, capMs: 60000 });
    assert.ok(d >= 0 && d <= 1600, `${d}`);
  }
});

test('jitter spreads retries (not all tills at once)', () => {
  const values = new Set(Array.from({ length: 100 }, () => backoffDelay(6, { baseMs: 1000, capMs: 60000 })));
  assert.ok(values.size > 50);
});

test('a floor, huge and bad attempts stay in range', () => {
  assert.equal(backoffDelay(0, { baseMs: 1000, minMs: 500, random: () => 0 }), 500);
  assert.equal(backoffDelay(10000, { capMs: 60000, random: () => 1 }), 60000);
  assert.equal(backoffDelay(Number.NaN, { baseMs: 1000, random: () => 1 }), 1000);
  assert.equal(backoffDelay(-3, { baseMs: 1000, random: () => 1 }), 1000);
  assert.equal(backoffDelay(2, { baseMs: 1000, random: () => 7 }), 4000);
});

test('Backoff counts attempts and resets after a success', () => {
  const b = new Backoff({ baseMs: 100, capMs: 1000, random: () => 1 });
  assert.deepEqual([b.next(), b.next(), b.next(), b.next(), b.next()], [100, 200, 400, 800, 1000]);
  b.reset();
  assert.equal(b.next(), 100);
});
