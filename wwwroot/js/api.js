// @ts-check
/**
 * The till's HTTP client for the `/api/till/...` routes (same origin, bearer till token).
 * Network failures throw; HTTP statuses are returned (or thrown as ApiError by the helpers that need a 2xx).
 */

/** @typedef {import('./cart.js').Product} Product */
/**
 * `timeZone` (IANA), when the server sends it, dates the till's expiry checks in the outlet's zone rather than the device's.
 * @typedef {{ tillId: any, tillName: string, outletCode: string, outletName: string, currency?: string, culture?: string | null,
 *   pricesIncludeTax?: boolean, address?: string | null, timeZone?: string | null }} TillInfo
 */
/** @typedef {{ generatedAt: string, outletCode: string, products: Product[] }} Catalog */
/** @typedef {{ status: number, body: any, headers: Headers }} ApiResponse */

export class ApiError extends Error {
  /** @param {number} status @param {any} problem */
  constructor(status, problem) {
    super((problem && typeof problem === 'object' && (problem.title || problem.detail)) || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

/**
 * `getPending` gives how many sales and returns wait in the till's queue: every request carries it as `X-Till-Pending`,
 * so the server knows what a device still holds even when its token stops working.
 * @param {{ getToken: () => string | null | undefined, getPending?: () => number | null | undefined,
 *   fetchImpl?: typeof fetch, baseUrl?: string, timeoutMs?: number }} options
 */
export function createApi(options) {
  const fetchImpl = options.fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  const baseUrl = options.baseUrl ?? '';
  const defaultTimeout = options.timeoutMs ?? 30000;

  /**
   * @param {string} method
   * @param {string} path
   * @param {{ body?: any, headers?: Record<string, string>, token?: string | null, timeoutMs?: number }} [init]
   * @returns {Promise<ApiResponse>}
   */
  async function request(method, path, init = {}) {
    /** @type {Record<string, string>} */
    const headers = { Accept: 'application/json', ...(init.headers ?? {}) };
    const token = init.token !== undefined ? init.token : options.getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    const pending = options.getPending?.();
    if (typeof pending === 'number' && Number.isFinite(pending)) headers['X-Till-Pending'] = String(Math.max(0, Math.trunc(pending)));
    let body;
    if (init.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(init.body);
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), init.timeoutMs ?? defaultTimeout);
    try {
      const res = await fetchImpl(baseUrl + path, { method, headers, body, cache: 'no-store', credentials: 'same-origin', signal: controller.signal });
      const text = res.status === 204 || res.status === 304 ? '' : await res.text();
      let parsed = null;
      if (text) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      return { status: res.status, body: parsed, headers: res.headers };
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    request,

    /**
     * `GET /api/till/me`; `token` checks a token that is not saved yet.
     * @param {string} [token]
     * @returns {Promise<TillInfo>}
     */
    async me(token) {
      const res = await request('GET', '/api/till/me', { token, timeoutMs: 10000 });
      if (res.status !== 200) throw new ApiError(res.status, res.body);
      return res.body;
    },

    /**
     * `GET /api/till/catalog` with `If-None-Match`.
     * @param {string | null} etag
     * @returns {Promise<{ notModified: true } | { notModified: false, etag: string | null, catalog: Catalog }>}
     */
    async catalog(etag) {
      /** @type {Record<string, string>} */
      const headers = etag ? { 'If-None-Match': etag } : {};
      const res = await request('GET', '/api/till/catalog', { headers });
      if (res.status === 304) return { notModified: true };
      if (res.status !== 200) throw new ApiError(res.status, res.body);
      return { notModified: false, etag: res.headers.get('ETag'), catalog: res.body };
    },

    /**
     * `POST /api/till/sales/sync` with up to 500 sales.
     * @param {any[]} sales
     */
    async syncSales(sales) {
      return request('POST', '/api/till/sales/sync', { body: { sales }, timeoutMs: 60000 });
    },

    /** @param {any} payload `POST /api/till/returns` */
    async postReturn(payload) {
      return request('POST', '/api/till/returns', { body: payload });
    },

    /**
     * `GET /api/till/sales/{saleId}`: a sale of this outlet (from any of its tills) with what is already returned; null when unknown.
     * @param {string} saleId
     * @returns {Promise<ServerSale | null>}
     */
    async sale(saleId) {
      const res = await request('GET', `/api/till/sales/${encodeURIComponent(saleId)}`, { timeoutMs: 10000 });
      if (res.status === 404) return null;
      if (res.status !== 200) throw new ApiError(res.status, res.body);
      return res.body;
    },

    /**
     * `GET /api/till/z-report?date=yyyy-MM-dd`: this till's day as the server recorded it.
     * @param {string} date
     * @returns {Promise<ServerDay>}
     */
    async zReport(date) {
      const res = await request('GET', `/api/till/z-report?date=${encodeURIComponent(date)}`, { timeoutMs: 10000 });
      if (res.status !== 200) throw new ApiError(res.status, res.body);
      return res.body;
    },
  };
}

/** @typedef {ReturnType<typeof createApi>} Api */
/**
 * @typedef {{ saleId: string, occurredAt: string, total: number,
 *   lines: { sku: string, name: string, quantity: number, unitPrice: number, returned: number, taxCategory?: string, taxRate?: number }[],
 *   payments: { method: string, amount: number }[], currency?: string | null, taxes?: import('./money.js').TaxRow[] }} ServerSale
 */
/**
 * @typedef {{ date: string, salesCount: number, itemsSold: number, salesTotal: number, byMethod: Record<string, number>,
 *   returnsCount: number, returnsTotal: number, refundsByMethod: Record<string, number>, netTotal: number,
 *   currency?: string, taxes?: import('./money.js').TaxRow[], refundTaxes?: import('./money.js').TaxRow[] }} ServerDay
 */
