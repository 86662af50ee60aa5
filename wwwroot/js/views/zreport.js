// @ts-check
/** The Z report view: the day's figures from the server when it answers, else from the till's own history (browser only). */
import { formatMoney, localDateString, parseAmount } from '../cart.js';
import { formatRate } from '../money.js';
import { $, $input, formatDateTime, formatDay, h } from '../dom.js';
import { combineZReport, computeZReport } from '../history.js';

/**
 * @param {{ db: () => import('../db.js').TillDb, api: import('../api.js').Api, me: () => import('../api.js').TillInfo | null,
 *   print: (what: 'z') => void }} deps
 */
export function createZReport(deps) {
  let zDate = localDateString(new Date());

  function wireZReport() {
    const date = $input('z-date');
    date.value = zDate;
    date.addEventListener('change', () => {
      zDate = date.value || localDateString(new Date());
      loadZInputs().then(renderZReport);
    });
    for (const id of ['z-opening-float', 'z-counted-cash']) {
      $input(id).addEventListener('input', () => {
        saveZInputs();
        renderZReport();
      });
    }
    $('z-print').addEventListener('click', () => deps.print('z'));
    loadZInputs();
  }

  async function loadZInputs() {
    if (!deps.db()) return;
    const all = (await deps.db().getSetting('zInputs')) ?? {};
    const v = all[zDate] ?? {};
    $input('z-opening-float').value = v.openingFloat ?? '';
    $input('z-counted-cash').value = v.countedCash ?? '';
  }

  async function saveZInputs() {
    const all = (await deps.db().getSetting('zInputs')) ?? {};
    all[zDate] = { openingFloat: $input('z-opening-float').value, countedCash: $input('z-counted-cash').value };
    await deps.db().setSetting('zInputs', all);
  }

  async function renderZReport() {
    const records = await deps.db().history();
    const counted = parseAmount($input('z-counted-cash').value);
    const options = { date: zDate, openingFloat: parseAmount($input('z-opening-float').value) ?? 0, countedCash: counted };
    /** @type {ReturnType<typeof computeZReport> & { fromServer?: boolean }} */
    let z = computeZReport(records, options);
    try {
      // Online, the server's figures count (also sales this till no longer keeps); its own unsent records are added.
      z = combineZReport(await deps.api.zReport(zDate), records, options);
    } catch {
      // Offline or the server did not answer: the till's own records.
    }
    /** @param {string} label @param {string} value @param {string} testid @param {string} [cls] */
    const row = (label, value, testid, cls) => h('tr', { class: cls ?? null }, h('th', {}, label), h('td', { class: 'num', testid }, value));
    const other = Object.entries(z.byMethod).filter(([m]) => m !== 'cash' && m !== 'card');
    const diff = z.difference;
    $('z-report').replaceChildren(
      h('header', { class: 'z-head' },
        h('h2', {}, 'Z report'),
        h('p', {}, `${deps.me()?.outletName ?? ''} · ${deps.me()?.tillName ?? ''}`),
        h('p', { testid: 'z-day' }, formatDay(z.date)),
        h('p', { class: 'muted small', testid: 'z-source', dataset: { source: z.fromServer ? 'server' : 'local' } },
          `Printed ${formatDateTime(new Date())} · ${z.fromServer ? 'from the server, with this till\'s unsent records' : 'from this till\'s records (offline)'}`)),
      h('table', { class: 'z-table' }, h('tbody', {},
        row('Sales', String(z.salesCount), 'z-sales-count'),
        row('Items sold', String(z.itemsSold), 'z-items-sold'),
        row('Sales total', formatMoney(z.salesTotal), 'z-sales-total', 'strong'),
        row('Cash', formatMoney(z.byMethod.cash ?? 0), 'z-total-cash', 'sub'),
        row('Card', formatMoney(z.byMethod.card ?? 0), 'z-total-card', 'sub'),
        ...other.map(([m, v]) => row(m, formatMoney(v), `z-total-${m}`, 'sub')),
        row('Returns', String(z.returnsCount), 'z-returns-count'),
        row('Refunded', formatMoney(z.returnsTotal), 'z-returns-total'),
        row('Net takings', formatMoney(z.netTotal), 'z-net-total', 'strong'))),
      ...(z.taxes.length ? [
        h('table', { class: 'z-table', testid: 'z-taxes' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Tax on sales'), h('th', { class: 'num' }, 'Net'), h('th', { class: 'num' }, 'Tax'), h('th', { class: 'num' }, 'Gross'))),
          h('tbody', {}, ...z.taxes.map((t) => h('tr', { testid: 'z-tax', dataset: { category: t.category, rate: t.rate } },
            h('th', {}, `${t.category} ${formatRate(t.rate)}`), h('td', { class: 'num' }, formatMoney(t.net)),
            h('td', { class: 'num' }, formatMoney(t.tax)), h('td', { class: 'num' }, formatMoney(t.gross))))))] : []),
      h('h3', {}, 'Cash drawer'),
      h('table', { class: 'z-table' }, h('tbody', {},
        row('Opening float', formatMoney(z.openingFloat), 'z-float'),
        row('Cash sales', formatMoney(z.byMethod.cash ?? 0), 'z-cash-sales'),
        row('Cash refunds', z.refundsByMethod.cash ? `−${formatMoney(z.refundsByMethod.cash)}` : formatMoney(0), 'z-cash-refunds'),
        row('Expected in drawer', formatMoney(z.expectedCash), 'z-expected-cash', 'strong'),
        row('Counted', z.countedCash === null ? 'not counted' : formatMoney(z.countedCash), 'z-counted'),
        row('Difference', diff === null ? '—' : `${diff > 0 ? '+' : ''}${formatMoney(diff)}`, 'z-cash-difference', diff === null ? 'strong' : diff === 0 ? 'strong ok' : 'strong bad'))),
      z.pendingCount || z.rejectedCount
        ? h('p', { class: 'z-note', testid: 'z-pending' }, `${z.pendingCount} not yet on the server${z.rejectedCount ? `, ${z.rejectedCount} refused by it` : ''}. The figures include them: the money changed hands.`)
        : h('p', { class: 'z-note muted', testid: 'z-pending' }, 'Everything is on the server.'),
    );
  }

  return { wire: wireZReport, render: renderZReport };
}
