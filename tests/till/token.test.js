// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../wwwroot/js/api.js';
import { extractToken, newTokenPrompt, tillSwitchProblem, tokenErrorMessage, tokenFromHash } from '../../wwwroot/js/token.js';

const till1 = { tillId: 1, tillName: 'Till 1', outletCode: 'LDN-01', outletName: 'London' };
const till2 = { tillId: 2, tillName: 'Till 2', outletCode: 'LDN-01', outletName: 'London' };

test('a link may carry the token in its hash', () => {
  assert.equal(tokenFromHash('#token=till_abc'), 'till_abc');
  assert.equal(tokenFromHash('#x=1&token=till%2Babc'), 'till+abc');
  assert.equal(tokenFromHash('#token=a&b=2'), 'a');
  assert.equal(tokenFromHash(''), null);
  assert.equal(tokenFromHash('#mytoken=a'), null);
});

test('a scanned or pasted code: a bare token, or a link carrying one', () => {
  assert.equal(extractToken('  till_abc \n'), 'till_abc');
  assert.equal(extractToken('https://shop.example/till/#token=till_abc'), 'till_abc');
  assert.equal(extractToken('https://shop.example/till/?token=till%20x&y=1'), 'till x');
  assert.equal(extractToken('https://shop.example/till/#token=till_abc more'), 'till_abc');
  assert.equal(extractToken('   '), '');
});

test('why a token could not be checked', () => {
  assert.equal(tokenErrorMessage(new ApiError(401, null)), 'The server did not accept this token. Check it with the back-office.');
  assert.equal(tokenErrorMessage(new ApiError(403, null)), 'The server did not accept this token. Check it with the back-office.');
  assert.equal(tokenErrorMessage(new ApiError(500, { title: 'Boom' })), 'The server answered: Boom');
  assert.equal(tokenErrorMessage(new ApiError(502, null)), 'The server answered: HTTP 502');
  assert.equal(tokenErrorMessage(new TypeError('Failed to fetch')), 'Cannot reach the server. The first start needs a connection.');
  assert.equal(tokenErrorMessage(new DOMException('aborted', 'AbortError')), 'Cannot reach the server. The first start needs a connection.');
  assert.equal(tokenErrorMessage(new Error('3 sale(s) …')), '3 sale(s) …');
  assert.equal(tokenErrorMessage('odd'), 'odd');
});

test('a token of another till is refused while this one still holds unsent sales', () => {
  assert.equal(tillSwitchProblem(0, till1, till2), null, 'nothing waits');
  assert.equal(tillSwitchProblem(3, null, till2), null, 'no till before');
  assert.equal(tillSwitchProblem(3, till1, { ...till1, tillId: '1' }), null, 'the same till (ids compare as text)');
  assert.equal(tillSwitchProblem(3, till1, till2),
    "3 sale(s) made on Till 1 have not reached the server yet. Enter that till's token (or sync first) before switching to Till 2.");
});

test('the setup screen after "Enter new token"', () => {
  assert.equal(newTokenPrompt(0), "Enter this till's new token from the back-office. Nothing waits on this device.");
  assert.equal(newTokenPrompt(2), "Enter this till's new token from the back-office. The 2 sale(s) waiting on this device stay here and are uploaded with it.");
});
