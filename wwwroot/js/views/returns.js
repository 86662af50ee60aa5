// @ts-check
/**
 * The returns view (browser only): find the sale (this till's recent sales, its number, or the server for a sale
 * of another till), choose what comes back, record the return on this till and show its result.
 */
import { formatMoney, isUuid } from '../cart.js';
import { searchCatalog } from '../catalog.js';
import { $, $button, $input, compact, formatDateTime, h, show, toast } from '../dom.js';
import { buildReturnRequest, makeReturnRecord, returnableLines, saleRecordFromServer } from '../history.js';
import { makeQueueEntry } from '../queue.js';
import {
  addManualLine, draftLines, draftRefund, newReturnDraft, recentSales, returnPriceOf, returnQuantity, returnRows, returnSubmitDisabled,
  salesStartingWith,
} from '../return-draft.js';
import { state } from '../state.js';
import { mayTrade } from './guard.js';
import { statusElement } from './receipt.js';

/** @typedef {import('../cart.js').Product} Product */
/** @typedef {import('../history.js').SaleRecord} SaleRecord */

/**
 * @param {{ api: import('../api.js').Api, returnSaved: () => Promise<void> }} deps
 *   `returnSaved` refreshes the queue and starts its upload
 */
export function createReturnsView(deps) {
  function wire() {
    $('return-find-form').addEventListener('submit', (e) => {
      e.preventDefault();
      findSale($input('return-sale-search').value);
    });
    $input('return-sale-search').addEventListener('input', () => {
      state.returnSearch = $input('return-sale-search').value;
      renderSales();
    });
  }

  function render() {
    $button('return-find').disabled = !state.isLeader;
    $input('return-sale-search').disabled = !state.isLeader;
    renderSales();
    renderDetail();
    renderResult();
  }

  async function renderSales() {
    const search = state.returnSearch;
    const now = Date.now();
    const { query, sales } = recentSales(await state.db.history(), search, now);
    $('return-sales').replaceChildren(
      ...(sales.length ? sales.map((s) => h('li', {},
        h('button', { type: 'button', class: `sale-row${state.returnDraft?.saleId === s.id ? ' selected' : ''}`, testid: 'return-sale-row', dataset: { saleId: s.id }, disabled: !state.isLeader, onclick: () => selectSale(s) },
          h('span', { class: 'sale-when' }, formatDateTime(s.occurredAt)),
          h('span', { class: 'sale-id' }, s.id.slice(0, 8)),
          h('span', { class: 'sale-items' }, `${s.lines.reduce((n, l) => n + l.quantity, 0)} item(s)`),
          h('strong', {}, formatMoney(s.total))))) : [h('li', { class: 'muted' }, query ? 'No sale on this till matches.' : 'No recent sales on this till.')]),
    );
  }

  /**
   * A sale number typed or scanned: this till's sale it starts, else (a full number) the server's.
   * @param {string} text
   */
  async function findSale(text) {
    const q = text.trim().toLowerCase();
    if (!q || !mayTrade()) return;
    const sales = salesStartingWith(await state.db.history(), q);
    if (sales.length === 1) return selectSale(sales[0]);
    if (isUuid(q)) {
      // Not in this till's history: a sale of another till of the shop, or an old one. Ask the server when it answers.
      try {
        const found = await deps.api.sale(q);
        if (found) return selectSale(saleRecordFromServer(found));
        toast('The server knows no sale with this number at this shop.', 'warning');
        return;
      } catch {
        return selectSale(null, q);   // offline: the items are picked by hand
      }
    }
    toast(sales.length ? 'Several sales match: type more of the number' : 'No sale on this till matches. Type the full sale number from the receipt.', 'warning');
  }

  /**
   * @param {SaleRecord | null} sale
   * @param {string} [saleId] for a sale this till does not have (made on another till): items are picked by hand
   */
  function selectSale(sale, saleId) {
    if (!mayTrade()) return;
    state.returnDraft = newReturnDraft(sale, saleId);
    state.returnResultId = null;
    render();
  }

  async function renderDetail() {
    const draft = state.returnDraft;
    const detail = $('return-detail');
    show($('return-empty'), !draft && !state.returnResultId);
    show(detail, Boolean(draft));
    if (!draft) return;
    const history = await state.db.history();
    const lines = draft.sale ? returnRows(returnableLines(draft.sale, history)) : [];
    const rows = draft.sale
      ? lines.map((l) => {
        const input = h('input', { type: 'number', class: 'qty', testid: 'return-qty', min: '0', max: String(l.remaining), value: String(draft.quantities.get(l.sku) ?? 0), disabled: l.remaining === 0, inputmode: 'numeric', 'aria-label': `Quantity of ${l.name} to return` });
        input.addEventListener('input', () => {
          draft.quantities.set(l.sku, returnQuantity(/** @type {HTMLInputElement} */ (input).value, l.remaining));
          renderTotal();
        });
        return h('tr', { testid: 'return-line', dataset: { sku: l.sku, remaining: l.remaining } },
          h('td', {}, h('strong', {}, l.name), h('span', { class: 'muted small block' }, `${l.sku} · ${formatMoney(l.unitPrice)} each${l.lots.length ? ` · lot ${l.lots.join(', ')}` : ''}`)),
          h('td', { class: 'num' }, String(l.sold)),
          h('td', { class: 'num' }, String(l.returned)),
          h('td', { class: 'num' }, input));
      })
      : [...draft.manual].map(([sku, m]) => {
        const input = h('input', { type: 'number', class: 'qty', testid: 'return-qty', min: '0', value: String(m.quantity), inputmode: 'numeric' });
        input.addEventListener('input', () => {
          m.quantity = returnQuantity(/** @type {HTMLInputElement} */ (input).value);
          renderTotal();
        });
        return h('tr', { testid: 'return-line', dataset: { sku } },
          h('td', {}, h('strong', {}, m.name), h('span', { class: 'muted small block' }, `${sku} · ${formatMoney(m.unitPrice)} each`)),
          h('td', { class: 'num' }, '—'), h('td', { class: 'num' }, '—'), h('td', { class: 'num' }, input));
      });

    const manualSearch = h('input', { type: 'search', testid: 'return-product-search', placeholder: 'Scan or search the item to return', autocomplete: 'off' });
    const manualResults = h('div', { class: 'mini-results' });
    manualSearch.addEventListener('input', () => {
      const v = /** @type {HTMLInputElement} */ (manualSearch).value;
      manualResults.replaceChildren(...(v.trim() ? searchCatalog(state.products, v, 6) : []).map((p) =>
        h('button', { type: 'button', class: 'btn btn-small', testid: 'return-product-row', dataset: { sku: p.sku }, onclick: () => addManualReturnLine(p) }, `${p.name} · ${formatMoney(p.price ?? 0)}`)));
    });

    const reason = h('input', { testid: 'return-reason', value: draft.reason, placeholder: 'Customer return', maxlength: '200' });
    reason.addEventListener('input', () => {
      draft.reason = /** @type {HTMLInputElement} */ (reason).value;
    });
    /** @param {'cash' | 'card'} m */
    const refundButton = (m) => h('button', { type: 'button', class: 'method small', testid: `return-refund-${m}`, 'aria-pressed': String(draft.refundMethod === m), onclick: () => {
      draft.refundMethod = m;
      renderDetail();
    } }, m === 'cash' ? 'Cash' : 'Card');

    detail.replaceChildren(...compact([
      h('h3', {}, draft.sale ? `Return from sale ${draft.saleId.slice(0, 8)} · ${formatDateTime(draft.sale.occurredAt)}` : `Return from sale ${draft.saleId}`),
      draft.sale ? null : h('p', { class: 'muted' }, 'This sale is not in this till\'s history: add the items being returned. The server checks them against the sale.'),
      draft.sale ? null : h('div', { class: 'manual-add' }, manualSearch, manualResults),
      h('table', { class: 'return-table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Item'), h('th', { class: 'num' }, 'Sold'), h('th', { class: 'num' }, 'Returned'), h('th', { class: 'num' }, 'Return now'))),
        h('tbody', {}, ...rows)),
      h('label', { class: 'field' }, h('span', {}, 'Reason'), reason),
      h('div', { class: 'refund-row' }, h('span', {}, 'Refund by'), refundButton('cash'), refundButton('card'),
        h('span', { class: 'refund-total' }, 'Refund ', h('strong', { testid: 'return-total' }, '0.00'))),
      h('div', { class: 'row-actions' },
        h('button', { type: 'button', class: 'btn btn-ghost', testid: 'return-cancel', onclick: () => {
          state.returnDraft = null;
          render();
        } }, 'Cancel'),
        h('button', { type: 'button', class: 'btn btn-primary btn-xl', testid: 'return-submit', onclick: submit }, 'Record return')),
    ]));
    renderTotal();
  }

  /**
   * One more of a product on a return of a sale this till does not have (picked or scanned).
   * @param {Product} p
   */
  function addManualReturnLine(p) {
    if (addManualLine(state.returnDraft, p)) renderDetail();
  }

  function renderTotal() {
    const el = document.querySelector('[data-testid="return-total"]');
    if (!el) return;
    el.textContent = formatMoney(draftRefund(state.returnDraft, state.index, state.me));
    const submitButton = /** @type {HTMLButtonElement | null} */ (document.querySelector('[data-testid="return-submit"]'));
    if (submitButton) submitButton.disabled = returnSubmitDisabled(state);
  }

  async function submit() {
    const draft = state.returnDraft;
    if (!draft || state.returning || !mayTrade()) return;
    const lines = draftLines(draft);
    if (!lines.length) {
      toast('Choose at least one item to return', 'warning');
      return;
    }
    state.returning = true;
    const submitButton = /** @type {HTMLButtonElement | null} */ (document.querySelector('[data-testid="return-submit"]'));
    if (submitButton) submitButton.disabled = true;
    try {
      const request = buildReturnRequest({ returnId: draft.returnId, saleId: draft.saleId, lines, reason: draft.reason });
      const record = makeReturnRecord(request, (sku) => returnPriceOf(state.returnDraft, state.index, sku), draft.refundMethod, new Date(), state.me);
      await state.db.enqueue(makeQueueEntry('return', request), record);
      state.returnDraft = null;
      state.returnResultId = record.id;
      render();
      await deps.returnSaved();
    } catch (err) {
      toast(`The return could not be saved: ${err instanceof Error ? err.message : err}`, 'error');
      if (submitButton) submitButton.disabled = false;
    } finally {
      state.returning = false;
    }
  }

  async function renderResult() {
    const el = $('return-result');
    const id = state.returnResultId;
    show(el, Boolean(id));
    if (!id) return;
    const rec = await state.db.historyRecord(id);
    if (!rec || rec.kind !== 'return') return;
    el.dataset.status = rec.status;
    el.dataset.returnId = rec.id;
    el.replaceChildren(
      h('h3', {}, 'Return recorded on this till'),
      h('p', {}, `Return ${rec.id.slice(0, 8)} of sale ${rec.request.saleId.slice(0, 8)} · ${formatDateTime(rec.occurredAt)}`),
      h('ul', {}, ...rec.lines.map((l) => h('li', {}, `${l.quantity} × ${l.name}`))),
      h('p', {}, `Refund ${rec.refundMethod === 'card' ? 'to card' : 'in cash'}: `, h('strong', { testid: 'return-refund' }, formatMoney(rec.value))),
      statusElement(rec, 'return-status'),
      h('button', { type: 'button', class: 'btn', testid: 'return-done', onclick: () => {
        state.returnResultId = null;
        render();
      } }, 'Done'),
    );
  }

  /** Whether a scanned product goes on the open return (one of a sale this till does not have). */
  function takesManualLines() {
    return Boolean(state.returnDraft && !state.returnDraft.sale);
  }

  return { wire, render, renderSales, renderResult, findSale, addManualReturnLine, takesManualLines };
}
