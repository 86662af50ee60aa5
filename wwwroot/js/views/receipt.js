// @ts-check
/** The printed receipt of a sale (browser only: builds DOM nodes). */
import { formatMoney } from '../cart.js';
import { formatRate } from '../money.js';
import { formatDateTime, h } from '../dom.js';
import { statusLine } from '../history.js';

/** @typedef {import('../history.js').SaleRecord} SaleRecord */
/** @typedef {import('../api.js').TillInfo} TillInfo */

/**
 * The receipt's sync status line: `data-status` is recorded, pending, rejected (refused, still on this till) or
 * held (refused, kept by the server for a manager).
 * @param {import('../history.js').HistoryRecord} record
 * @param {string} testid
 */
export function statusElement(record, testid) {
  const s = statusLine(record);
  return h('p', { class: `receipt-status ${s.tone}`, testid, dataset: { status: s.status, retrying: s.retrying } }, s.text);
}

/**
 * @param {SaleRecord} sale
 * @param {TillInfo | null} me
 * @returns {(Node | string | null)[]}
 */
export function receiptContent(sale, me) {
  const answered = sale.response?.lines ?? [];
  return [
    h('header', { class: 'receipt-head' },
      h('strong', { class: 'receipt-shop' }, me?.outletName ?? 'Pharmacy'),
      ...(me?.address ? me.address.split('\n').map((line) => h('span', { class: 'receipt-address' }, line)) : []),
      h('span', {}, me?.tillName ?? ''),
      h('span', {}, formatDateTime(sale.occurredAt)),
      h('span', { class: 'receipt-id', testid: 'receipt-sale-id' }, `Sale ${sale.id}`)),
    h('table', { class: 'receipt-lines' },
      h('tbody', {}, ...sale.lines.flatMap((l, i) => {
        // The server answers the lines in the sale's order; a product may be on two lines (two lots).
        const alloc = answered[i]?.sku === l.sku ? answered[i] : answered.find((/** @type {any} */ a) => a.sku === l.sku);
        return [
          h('tr', { testid: 'receipt-line', dataset: { sku: l.sku, lot: l.lotNumber ?? '' } },
            h('td', {}, h('span', { class: 'r-name' }, l.name),
              l.lotNumber ? h('span', { class: 'r-lot', testid: 'receipt-scanned-lot' }, `Lot ${l.lotNumber}${l.expiryDate ? ` · exp ${l.expiryDate}` : ''}`) : null,
              h('span', { class: 'r-qty' }, `${l.quantity} × ${formatMoney(l.unitPrice)}`)),
            h('td', { class: 'num' }, formatMoney(l.quantity * l.unitPrice))),
          ...(alloc?.allocations ?? []).map((/** @type {any} */ a) =>
            h('tr', { class: 'lot', testid: 'receipt-lot', dataset: { sku: l.sku, lot: a.lotNumber ?? '', quantity: a.quantity } },
              h('td', { colspan: '2' }, `Lot ${a.lotNumber ?? '—'}${a.expiryDate ? ` · exp ${a.expiryDate}` : ''} · ${a.quantity}`))),
          alloc && alloc.shortfall > 0
            ? h('tr', { class: 'lot shortfall', testid: 'receipt-shortfall' }, h('td', { colspan: '2' }, `${alloc.shortfall} not in recorded stock: reported to the manager`))
            : null,
        ];
      }))),
    h('div', { class: 'receipt-total' }, h('span', {}, 'Total'), h('strong', { testid: 'receipt-total' }, formatMoney(sale.response?.total ?? sale.total))),
    taxTable(sale.response?.taxes ?? sale.taxes ?? [], me),
    h('div', { class: 'receipt-pay' },
      h('span', {}, sale.paymentMethod === 'cash' ? 'Cash' : sale.paymentMethod === 'card' ? 'Card' : sale.paymentMethod),
      h('span', {}, formatMoney(sale.paymentMethod === 'cash' && sale.tendered !== null ? sale.tendered : sale.total))),
    sale.paymentMethod === 'cash' && sale.change !== null
      ? h('div', { class: 'receipt-pay' }, h('span', {}, 'Change'), h('strong', { testid: 'receipt-change' }, formatMoney(sale.change)))
      : null,
    statusElement(sale, 'receipt-status'),
    h('p', { class: 'receipt-foot' }, 'Thank you. Keep this receipt for returns.'),
  ];
}

/**
 * The tax summary every European receipt must show (and a US one its sales tax): one row per rate, net, tax, gross.
 * @param {import('../money.js').TaxRow[]} taxes
 * @param {TillInfo | null} me
 */
function taxTable(taxes, me) {
  if (!taxes.length || taxes.every((t) => t.tax === 0 && t.rate === 0)) return null;
  const label = me?.pricesIncludeTax === false ? 'Sales tax' : 'VAT';
  return h('table', { class: 'receipt-taxes', testid: 'receipt-taxes' },
    h('thead', {}, h('tr', {}, h('th', {}, label), h('th', { class: 'num' }, 'Net'), h('th', { class: 'num' }, 'Tax'), h('th', { class: 'num' }, 'Gross'))),
    h('tbody', {}, ...taxes.map((t) => h('tr', { testid: 'receipt-tax', dataset: { category: t.category, rate: t.rate, tax: t.tax } },
      h('td', {}, `${t.category} ${formatRate(t.rate)}`), h('td', { class: 'num' }, formatMoney(t.net)),
      h('td', { class: 'num' }, formatMoney(t.tax)), h('td', { class: 'num' }, formatMoney(t.gross))))));
}
