// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { GS, checkDigitValid, parse, toGtin14 } from '../../wwwroot/js/gs1.js';

const table = JSON.parse(readFileSync(new URL('../shared/gs1-vectors.json', import.meta.url), 'utf8'));

test('every shared vector reads the same as on the server (tests/shared/gs1-vectors.json)', () => {
  assert.ok(table.vectors.length >= 30);
  for (const v of table.vectors) {
    const r = parse(v.scan, v.today ?? table.today);
    const got = { kind: r.kind, code: r.code, gtin14: r.gtin14, expiry: r.expiry, lot: r.lot, serial: r.serial, other: r.other, error: r.error };
    const want = { kind: v.kind, code: v.code ?? null, gtin14: v.gtin14 ?? null, expiry: v.expiry ?? null, lot: v.lot ?? null,
      serial: v.serial ?? null, other: v.other ?? {}, error: v.error ?? null };
    assert.deepEqual(got, want, v.why);
    assert.equal(r.kind === 'error', Boolean(r.message), `${v.why}: an error says why, in words`);
  }
});

test('messages name the field for the person scanning', () => {
  assert.match(parse('(01)05012345678901', '2026-12-01').message ?? '', /GTIN \(01\) 05012345678901 has a wrong check digit/);
  assert.match(parse('(17)271331', '2026-12-01').message ?? '', /Expiry date \(17\) 271331 is not a real date/);
  assert.match(parse(`]d20105012345678900${GS}`, '2026-12-01').message ?? 'none', /none/);
});

test('GTIN-14: EAN-13, UPC-A and EAN-8 are left-padded; anything else is no GTIN', () => {
  assert.equal(toGtin14('5012345678900'), '05012345678900');
  assert.equal(toGtin14(' 96385074 '), '00000096385074');
  assert.equal(toGtin14('036000291452'), '00036000291452');
  assert.equal(toGtin14('10012345678902'), '10012345678902');
  assert.equal(toGtin14('5012345678901'), null, 'check digit');
  assert.equal(toGtin14('501234567891'), null, '12 digits, wrong check digit');
  assert.equal(toGtin14('0501234567891'), null);
  assert.equal(toGtin14('123456789'), null, 'length');
  assert.equal(toGtin14('50123456789O0'), null, 'a letter O');
  assert.equal(toGtin14(null), null);
  assert.equal(checkDigitValid('106141411234567897'), true);
  assert.equal(checkDigitValid('1'), false);
});

test('today defaults to the local date', () => {
  assert.equal(parse('(17)270331').expiry, '2027-03-31');
});
