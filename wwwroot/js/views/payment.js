// @ts-check
/**
 * The payment dialog and completing a sale (browser only). The sale is on disk (queue and history) before anything
 * says it is done; a sale id this till already used is never shown as done.
 */
import { buildSaleRequest, cartTotals, formatMoney, quickCashAmounts } from '../cart.js';
import { cashTender, cashTenderProblem, changeDisplay, quickCashLabel } from '../checkout.js';
import { $, $button, $input, h, show } from '../dom.js';
import { makeSaleRecord } from '../history.js';
import { makeQueueEntry } from '../queue.js';
import { state } from '../state.js';
import { settleSale } from '../tablock.js';
import { mayTrade } from './guard.js';

/** @typedef {import('../cart.js').Cart} Cart */

/**
 * @param {{ updateCart: (cart: Cart) => void, renderCart: () => void, showReceipt: (saleId: string) => void,
 *   saleSaved: () => Promise<void> }} deps `saleSaved` refreshes the queue and starts its upload
 */
export function createPaymentView(deps) {
  function dialog() {
    return /** @type {HTMLDialogElement} */ ($('payment-dialog'));
  }

  function wire() {
    $('pay-cash').addEventListener('click', () => setPayMethod('cash'));
    $('pay-card').addEventListener('click', () => setPayMethod('card'));
    $input('cash-tendered').addEventListener('input', renderChange);
    $input('cash-tendered').addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        completeSale();
      }
    });
    $('confirm-payment').addEventListener('click', completeSale);
    $('cancel-payment').addEventListener('click', () => {
      if (!state.completing) dialog().close();
    });
    dialog().addEventListener('cancel', (e) => {
      if (state.completing) e.preventDefault();
    });
  }

  function isOpen() {
    return dialog().open;
  }

  function open() {
    if (!state.cart.lines.length || state.completing || !mayTrade()) return;
    const d = dialog();
    if (d.open) return;
    const { total } = cartTotals(state.cart, state.me);
    $('payment-total').textContent = formatMoney(total);
    $('payment-total').dataset.value = String(total);
    $input('cash-tendered').value = '';
    show($('payment-error'), false);
    $('quick-cash').replaceChildren(
      ...quickCashAmounts(total).map((amount, i) =>
        h('button', { type: 'button', class: 'btn btn-quick', testid: 'quick-cash-amount', dataset: { value: amount }, onclick: () => {
          $input('cash-tendered').value = amount.toFixed(2);
          renderChange();
        } }, quickCashLabel(amount, i))),
    );
    setPayMethod('cash');
    $button('confirm-payment').disabled = false;
    d.showModal();
    $input('cash-tendered').focus();
  }

  /** @param {'cash' | 'card'} method */
  function setPayMethod(method) {
    state.payMethod = method;
    $('pay-cash').setAttribute('aria-pressed', String(method === 'cash'));
    $('pay-card').setAttribute('aria-pressed', String(method === 'card'));
    show($('cash-panel'), method === 'cash');
    show($('card-panel'), method === 'card');
    dialog().dataset.method = method;
    renderChange();
  }

  function renderChange() {
    const { total } = cartTotals(state.cart, state.me);
    const { change } = cashTender($input('cash-tendered').value, total);
    const shown = changeDisplay(change);
    const el = $('change-due');
    el.textContent = shown.text;
    el.dataset.value = shown.value;
    el.classList.toggle('short', shown.short);
  }

  async function completeSale() {
    if (state.completing) return; // a second click while the first is saving does nothing
    const cart = state.cart;
    if (!cart.lines.length || !mayTrade()) return;
    const { total } = cartTotals(cart, state.me);
    const method = state.payMethod;
    /** @type {number | null} */
    let tendered = null;
    /** @type {number | null} */
    let change = null;
    const error = $('payment-error');
    if (method === 'cash') {
      const tender = cashTender($input('cash-tendered').value, total);
      const problem = cashTenderProblem(tender, total);
      if (problem) {
        error.textContent = problem;
        show(error, true);
        return;
      }
      ({ tendered, change } = tender);
    }
    state.completing = true;
    const confirmButton = $button('confirm-payment');
    confirmButton.disabled = true;
    $button('pay').disabled = true;
    confirmButton.textContent = 'Saving…';
    try {
      const request = buildSaleRequest(cart, { method }, state.me);
      const record = makeSaleRecord(cart, request, { method, tendered, change, money: state.me });
      const entry = makeQueueEntry('sale', request);
      // The sale is on disk (queue + history) before anything says it is done.
      const added = await state.db.enqueue(entry, record, ['cart']);
      const settled = settleSale(cart, record, added);
      if (settled.receiptId === null) {
        deps.updateCart(settled.cart);
        error.textContent = settled.error;
        show(error, true);
        return;
      }
      state.cart = settled.cart;
      dialog().close();
      deps.showReceipt(settled.receiptId);
      deps.renderCart();
      await deps.saleSaved();
    } catch (err) {
      error.textContent = `The sale could not be saved on this till: ${err instanceof Error ? err.message : err}. Try again.`;
      show(error, true);
    } finally {
      state.completing = false;
      confirmButton.disabled = false;
      confirmButton.textContent = 'Complete sale';
      deps.renderCart();
    }
  }

  return { wire, open, isOpen };
}
