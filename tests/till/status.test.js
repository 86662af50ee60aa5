// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectionStatus, hubStatusText, tillLabel } from '../../wwwroot/js/status.js';

test('the connection chip: the browser offline first, then a server that did not answer', () => {
  const kept = 'Sales are kept on this till and uploaded when the connection returns';
  assert.deepEqual(connectionStatus(true, null), { state: 'online', text: 'Online', title: 'Connected to the server' });
  assert.deepEqual(connectionStatus(true, true), { state: 'online', text: 'Online', title: 'Connected to the server' });
  assert.deepEqual(connectionStatus(true, false), { state: 'unreachable', text: 'Offline: server unreachable', title: kept });
  assert.deepEqual(connectionStatus(false, true), { state: 'offline', text: 'Offline', title: kept });
  assert.deepEqual(connectionStatus(false, false), { state: 'offline', text: 'Offline', title: kept });
});

test('the live stock chip and the till name', () => {
  assert.equal(hubStatusText('connected'), 'Live stock');
  assert.equal(hubStatusText('unavailable'), 'No live stock');
  for (const s of /** @type {const} */ (['connecting', 'reconnecting', 'disconnected'])) assert.equal(hubStatusText(s), 'Live stock paused');
  assert.equal(tillLabel(null), '');
  assert.equal(tillLabel({ tillId: 1, tillName: 'Till 1', outletCode: 'LDN-01', outletName: 'London' }), 'Till 1 · London');
});
