// @ts-check
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, createApi } from '../../wwwroot/js/api.js';

/** Records requests and answers from a script. */
function fakeFetch(/** @type {(url: string, init: any) => Response} */ answer) {
  /** @type {{ url: string, init: any }[]} */
  const calls = [];
  /** @type {typeof fetch} */
  const f = async (url, init) => {
    calls.push({ url: String(url), init });
    return answer(String(url), init);
  };
  return { f, calls };
}

test('every call carries the bearer token; me() can check a token not saved yet', async () => {
  const { f, calls } = fakeFetch(() => Response.json({ tillId: 1, tillName: 'T1', outletCode: 'MAIN', outletName: 'Main' }));
  const api = createApi({ getToken: () => 'saved', fetchImpl: f });
  assert.equal((await api.me()).tillName, 'T1');
  await api.me('candidate');
  assert.equal(calls[0].url, '/api/till/me');
  assert.equal(calls[0].init.headers.Authorization, 'Bearer saved');
  assert.equal(calls[1].init.headers.Authorization, 'Bearer candidate');
});

test('me() throws an ApiError with the problem on 401', async () => {
  const { f } = fakeFetch(() => new Response(JSON.stringify({ title: 'Unauthorized' }), { status: 401, headers: { 'Content-Type': 'application/problem+json' } }));
  const api = createApi({ getToken: () => 'bad', fetchImpl: f });
  await assert.rejects(api.me(), (/** @type {any} */ e) => e instanceof ApiError && e.status === 401 && e.message === 'Unauthorized');
});

test('the catalog is fetched with If-None-Match and a 304 says nothing changed', async () => {
  const { f, calls } = fakeFetch((_url, init) => (init.headers['If-None-Match'] === '"v1"'
    ? new Response(null, { status: 304 })
    : Response.json({ generatedAt: 'x', outletCode: 'MAIN', products: [{ sku: 'A' }] }, { headers: { ETag: '"v1"' } })));
  const api = createApi({ getToken: () => 't', fetchImpl: f });
  const first = await api.catalog(null);
  assert.equal(first.notModified, false);
  assert.ok(!first.notModified && first.etag === '"v1"' && first.catalog.products.length === 1);
  assert.equal(calls[0].init.headers['If-None-Match'], undefined);
  const second = await api.catalog('"v1"');
  assert.equal(second.notModified, true);
});

test('sync posts { sales } as JSON and returns the status and body without throwing on 4xx/5xx', async () => {
  const { f, calls } = fakeFetch((url) => (url.endsWith('/sync') ? Response.json({ results: [] }) : new Response('oops', { status: 503 })));
  const api = createApi({ getToken: () => 't', fetchImpl: f });
  const res = await api.syncSales([{ saleId: 'a' }]);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { results: [] });
  assert.equal(calls[0].url, '/api/till/sales/sync');
  assert.equal(calls[0].init.method, 'POST');
  assert.equal(calls[0].init.headers['Content-Type'], 'application/json');
  assert.deepEqual(JSON.parse(calls[0].init.body), { sales: [{ saleId: 'a' }] });
  const ret = await api.postReturn({ returnId: 'r' });
  assert.equal(calls[1].url, '/api/till/returns');
  assert.deepEqual(ret.body, 'oops');
  assert.equal(ret.status, 503);
});

test('a network failure throws (the caller keeps the queue)', async () => {
  const api = createApi({ getToken: () => 't', fetchImpl: async () => { throw new TypeError('Failed to fetch'); } });
  await assert.rejects(api.syncSales([]), TypeError);
});

test('every call says how many sales and returns wait on the device (X-Till-Pending), as it is at the time of the call', async () => {
  const { f, calls } = fakeFetch((url) => (url.endsWith('/sync') ? Response.json({ results: [] }) : Response.json({ tillId: 1 })));
  let pending = 3;
  const api = createApi({ getToken: () => 't', getPending: () => pending, fetchImpl: f });
  await api.me();
  await api.syncSales([]);
  pending = 0;
  await api.postReturn({ returnId: 'r' });
  await api.me('candidate');
  await api.request('GET', '/api/till/catalog');
  assert.deepEqual(calls.map((c) => c.init.headers['X-Till-Pending']), ['3', '3', '0', '0', '0']);
});

test('X-Till-Pending is a whole number, and absent when the till cannot tell', async () => {
  const { f, calls } = fakeFetch(() => Response.json({}));
  /** @type {any} */
  let pending = 2.7;
  const api = createApi({ getToken: () => 't', getPending: () => pending, fetchImpl: f });
  await api.request('GET', '/x');
  pending = -1;
  await api.request('GET', '/x');
  pending = undefined;
  await api.request('GET', '/x');
  pending = Number.NaN;
  await api.request('GET', '/x');
  assert.deepEqual(calls.map((c) => c.init.headers['X-Till-Pending']), ['2', '0', undefined, undefined]);
  await createApi({ getToken: () => 't', fetchImpl: f }).request('GET', '/x');
  assert.equal('X-Till-Pending' in calls[4].init.headers, false);
});
