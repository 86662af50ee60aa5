// @ts-check
/**
 * The sale view (browser only): the catalog list and its search, the cart, and the receipt that takes the cart's
 * place once a sale is complete.
 */
import { addProduct, cartTotals, clearCart, formatMoney, lineKey, lineTotal, removeLine, setQuantity } from '../cart.js';
import { searchCatalog } from '../catalog.js';
import { cartControls, catalogStatusText, emptyCatalogText, itemCountText, productExpiry, stockBadge } from '../checkout.js';
import { $, $button, $input, compact, formatTime, h, printArea, show, toast } from '../dom.js';
import { cartLineWarnings, readPack, recalledLotsText } from '../lots.js';
import { availableOf, state } from '../state.js';
import { mayTrade } from './guard.js';
import { receiptContent } from './receipt.js';

/** @typedef {import('../cart.js').Product} Product */
/** @typedef {import('../cart.js').Cart} Cart */
/** @typedef {import('../cart.js').PackLot} PackLot */

/**
 * @param {{ setView: (view: import('../state.js').View) => void, openPayment: () => void }} deps
 */
export function createSaleView(deps) {
  function wire() {
    const search = $input('search');
    search.addEventListener('input', () => {
      state.search = search.value;
      renderProducts();
    });
    search.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        search.value = '';
        state.search = '';
        renderProducts();
      }
      if (e.key !== 'Enter') return;
      e.preventDefault();
      if (!search.value.trim()) return;
      // A code typed as printed under the barcode, "(01)…(17)…(10)…" included, is read as a scan would be.
      const pack = readPack(state.index, search.value, state.today);
      if (pack.type === 'unreadable') {
        toast(pack.message, 'warning');
        return;
      }
      if (pack.type === 'blocked') showBlocked(pack.product, pack.message);
      else {
        const pick = pack.type === 'pack' ? pack.product : searchCatalog(state.products, search.value, 1)[0];
        if (!pick) return;
        addToCart(pick, pack.type === 'pack' ? pack.lot : null);
      }
      search.value = '';
      state.search = '';
      renderProducts();
    });
    $('scan-block-dismiss').addEventListener('click', () => {
      show($('scan-block'), false);
      if (!matchMedia('(pointer: coarse)').matches) $input('search').focus();
    });

    $('cart-clear').addEventListener('click', () => {
      if (!state.cart.lines.length) return;
      if (!confirm('Remove every item from this sale?')) return;
      updateCart(clearCart(state.cart));
    });
    $('pay').addEventListener('click', () => deps.openPayment());
    $('new-sale').addEventListener('click', closeReceipt);
    $('print-receipt').addEventListener('click', () => printArea('receipt'));
  }

  function renderProducts() {
    const list = $('product-list');
    const results = searchCatalog(state.products, state.search, 60);
    list.replaceChildren(
      ...results.map((p) => {
        const available = availableOf(p);
        const expiry = productExpiry(p, available, state.today);
        const stock = stockBadge(available);
        const recalled = recalledLotsText(p);
        // A button in a list item: a button may not take the listitem role itself (axe: aria-allowed-role).
        return h('li', {}, h('button', { type: 'button', class: 'product-row', testid: 'product-row', dataset: { sku: p.sku, available }, disabled: !state.isLeader, onclick: () => addToCart(p) },
          h('span', { class: 'product-main' },
            h('span', { class: 'product-name', testid: 'product-name' }, p.name),
            h('span', { class: 'product-meta' }, p.sku, p.barcode ? ` · ${p.barcode}` : '')),
          h('span', { class: 'product-side' },
            h('span', { class: 'product-price', testid: 'product-price' }, formatMoney(p.price ?? 0)),
            h('span', { class: `stock stock-${stock.level}`, testid: 'product-available', dataset: { value: available } }, stock.text),
            expiry ? h('span', { class: 'stock stock-expiry', testid: 'product-expiry' }, expiry.message) : null,
            recalled ? h('span', { class: 'stock stock-recalled', testid: 'product-recalled' }, recalled) : null)));
      }),
    );
    show($('product-empty'), results.length === 0 && state.products.length > 0);
    if (state.products.length === 0) {
      list.replaceChildren(h('li', { class: 'empty' }, emptyCatalogText(navigator.onLine)));
    }
    renderCatalogStatus();
  }

  async function renderCatalogStatus() {
    const checked = await state.db.getSetting('catalogCheckedAt');
    $('catalog-status').textContent = catalogStatusText(state.products.length, checked ? formatTime(checked) : null);
  }

  /**
   * @param {Product} product
   * @param {PackLot | null} [lot] the scanned pack's lot: a line of its own
   * @returns {boolean} whether it went into the cart
   */
  function addToCart(product, lot = null) {
    if (!mayTrade()) return false;
    if (state.receiptId) closeReceipt();
    if (state.view !== 'sale') deps.setView('sale');
    show($('scan-block'), false);
    updateCart(addProduct(state.cart, product, 1, lot));
    const key = lineKey({ sku: product.sku, lotNumber: lot?.lotNumber });
    const row = document.querySelector(`[data-testid="cart-line"][data-key="${CSS.escape(key)}"]`);
    row?.classList.add('flash');
    row?.scrollIntoView({ block: 'nearest' });
    return true;
  }

  /**
   * A pack that may not be sold (recalled lot, expired): it stays out of the cart, and the message stays up until the cashier
   * acknowledges it or adds the next item.
   * @param {Product} product @param {string} message
   */
  function showBlocked(product, message) {
    if (state.receiptId) closeReceipt();
    if (state.view !== 'sale') deps.setView('sale');
    $('scan-block-product').textContent = `${product.name} (${product.sku})`;
    $('scan-block-message').textContent = message;
    show($('scan-block'), true);
    $('scan-block-dismiss').focus();
  }

  /** @param {Cart} cart */
  function updateCart(cart) {
    if (!state.isLeader) return; // the saved cart belongs to the leader tab
    state.cart = cart;
    renderCart();
    state.db.setSetting('cart', cart).catch(() => {});
  }

  function renderCart() {
    const cart = state.cart;
    const list = $('cart-lines');
    list.replaceChildren(
      ...cart.lines.map((line) => {
        const product = state.index.bySku.get(line.sku);
        const warnings = cartLineWarnings(cart, line, product, product ? availableOf(product) : 0, state.today);
        const key = lineKey(line);
        const qty = h('input', { class: 'qty', testid: 'cart-line-qty', type: 'number', min: '1', max: '9999', inputmode: 'numeric', value: line.quantity, 'aria-label': `Quantity of ${line.name}` });
        qty.addEventListener('change', () => updateCart(setQuantity(state.cart, key, Number(/** @type {HTMLInputElement} */ (qty).value))));
        return h('li', { class: `cart-line${warnings.length ? ' has-warning' : ''}`, testid: 'cart-line', dataset: { sku: line.sku, key, lot: line.lotNumber ?? '', quantity: line.quantity } },
          h('div', { class: 'line-main' },
            h('span', { class: 'line-name', testid: 'cart-line-name' }, line.name),
            h('span', { class: 'line-meta' }, `${formatMoney(line.unitPrice)} each · ${line.sku}`),
            line.lotNumber ? h('span', { class: 'line-lot', testid: 'cart-line-lot' }, `Lot ${line.lotNumber}${line.expiryDate ? ` · exp ${line.expiryDate}` : ''}`) : null,
            ...warnings.map((w) => h('span', { class: `warning warning-${w.type}`, testid: 'cart-line-warning', dataset: { type: w.type } }, w.message))),
          h('div', { class: 'line-qty' },
            h('button', { type: 'button', class: 'qty-btn', testid: 'cart-line-dec', 'aria-label': 'One less', onclick: () => updateCart(setQuantity(state.cart, key, line.quantity - 1)) }, '−'),
            qty,
            h('button', { type: 'button', class: 'qty-btn', testid: 'cart-line-inc', 'aria-label': 'One more', onclick: () => updateCart(setQuantity(state.cart, key, line.quantity + 1)) }, '+')),
          h('strong', { class: 'line-total', testid: 'cart-line-total' }, formatMoney(lineTotal(line))),
          h('button', { type: 'button', class: 'line-remove', testid: 'cart-line-remove', 'aria-label': `Remove ${line.name}`, onclick: () => updateCart(removeLine(state.cart, key)) }, '×'));
      }),
    );
    const totals = cartTotals(cart, state.me);
    show($('cart-empty'), cart.lines.length === 0);
    $('cart-count').textContent = itemCountText(totals.itemCount);
    const total = $('cart-total');
    total.textContent = formatMoney(totals.total);
    total.dataset.value = String(totals.total);
    const taxCents = Math.round(totals.taxes.reduce((sum, r) => sum + r.tax * 100, 0));
    const taxLine = $('cart-tax');
    // Tax-exclusive outlets (the US) add it on top; inclusive ones (Europe) say how much of the total it is.
    taxLine.textContent = taxCents === 0 ? '' : `${state.me?.pricesIncludeTax === false ? 'Includes sales tax' : 'Includes VAT'} ${formatMoney(taxCents / 100)}`;
    taxLine.dataset.value = String(taxCents / 100);
    show(taxLine, taxCents !== 0);
    $('cart-sale-id').textContent = `Sale ${cart.saleId.slice(0, 8)}`;
    $('cart').dataset.saleId = cart.saleId;
    const controls = cartControls(state);
    $button('pay').disabled = controls.payDisabled;
    $button('cart-clear').disabled = controls.clearDisabled;
  }

  /** @param {string} saleId */
  function showReceipt(saleId) {
    state.receiptId = saleId;
    show($('cart'), false);
    show($('receipt-panel'), true);
    renderReceipt();
    $('new-sale').focus();
  }

  function closeReceipt() {
    state.receiptId = null;
    show($('receipt-panel'), false);
    show($('cart'), true);
    renderCart();
    if (!matchMedia('(pointer: coarse)').matches) $input('search').focus();
  }

  async function renderReceipt() {
    const id = state.receiptId;
    if (!id) return;
    const record = await state.db.historyRecord(id);
    if (!record || record.kind !== 'sale' || state.receiptId !== id) return;
    const el = $('receipt');
    el.dataset.saleId = record.id;
    el.dataset.status = record.status;
    el.dataset.held = String(Boolean(record.held));
    el.replaceChildren(...compact(receiptContent(record, state.me)));
  }

  return { wire, renderProducts, renderCatalogStatus, renderCart, addToCart, showBlocked, updateCart, showReceipt, closeReceipt, renderReceipt };
}
