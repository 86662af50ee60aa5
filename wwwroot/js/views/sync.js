// @ts-check
/** The sync badge and the "Till & sync" view (browser only). */
import { $, formatDateTime, formatTime, h } from '../dom.js';
import { describeProblem, pendingEntries, rejectedEntries } from '../queue.js';

/** @typedef {import('../queue.js').QueueEntry} QueueEntry */
/** @typedef {import('../history.js').HistoryRecord} HistoryRecord */
/**
 * @typedef {{ queue: QueueEntry[], isLeader: boolean, syncing: boolean, lastSyncAt: string | null, lastSyncError: string | null,
 *   me: import('../api.js').TillInfo | null, view: string }} SyncViewState
 */

/**
 * @param {{ state: () => SyncViewState, history: () => Promise<HistoryRecord[]>, syncNow: () => void, exportUnsent: () => void,
 *   retry: (id: string) => Promise<void>, discardReturn: (id: string) => Promise<void> }} deps
 */
export function createSyncView(deps) {
  function wire() {
    $('sync-now').addEventListener('click', () => deps.syncNow());
    $('export-unsent').addEventListener('click', () => deps.exportUnsent());
  }

  function renderBadge() {
    const state = deps.state();
    const pending = pendingEntries(state.queue);
    const rejected = rejectedEntries(state.queue);
    const sales = pending.filter((e) => e.kind === 'sale').length;
    const returns = pending.length - sales;
    const badge = $('sync-badge');
    badge.dataset.count = String(pending.length);
    badge.dataset.sales = String(sales);
    badge.dataset.rejected = String(rejected.length);
    badge.dataset.syncing = String(state.syncing);
    /** @type {string[]} */
    const parts = [];
    if (sales) parts.push(`${sales} sale${sales === 1 ? '' : 's'} waiting to sync`);
    if (returns) parts.push(`${returns} return${returns === 1 ? '' : 's'} waiting to sync`);
    if (rejected.length) parts.push(`${rejected.length} need${rejected.length === 1 ? 's' : ''} attention`);
    badge.textContent = parts.length ? parts.join(' · ') : 'All sales synced';
    badge.className = `chip chip-sync${pending.length ? ' waiting' : ''}${rejected.length ? ' attention' : ''}`;
  }

  /** @param {QueueEntry} e */
  const describe = (e) => e.kind === 'sale'
    ? `Sale ${e.id.slice(0, 8)} · ${formatDateTime(e.payload.occurredAt)} · ${e.payload.lines.length} line(s)`
    : `Return ${e.id.slice(0, 8)} of sale ${String(e.payload.saleId).slice(0, 8)} · ${formatDateTime(e.payload.occurredAt)}`;

  /** @param {QueueEntry} e */
  function rejectedRow(e) {
    return h('li', { class: 'sync-row rejected', testid: 'rejected-row', dataset: { id: e.id, kind: e.kind } },
      h('div', {}, h('strong', {}, describe(e)), h('p', { class: 'warning warning-stock' }, describeProblem(e.lastError))),
      h('div', { class: 'row-actions' },
        h('button', { type: 'button', class: 'btn btn-small', testid: 'rejected-retry', onclick: () => deps.retry(e.id) }, 'Send again'),
        // A sale is never thrown away on the till; a refused return may be (no money or stock was recorded for it).
        e.kind === 'return'
          ? h('button', { type: 'button', class: 'btn btn-small btn-danger', testid: 'rejected-discard', onclick: async () => {
            if (!confirm('Discard this return? It will never reach the server (the local history keeps it as refused).')) return;
            await deps.discardReturn(e.id);
          } }, 'Discard')
          : null));
  }

  /** @param {QueueEntry} e */
  function pendingRow(e) {
    return h('li', { class: 'sync-row', testid: 'pending-row', dataset: { id: e.id, kind: e.kind, retrying: Boolean(e.lastError) } },
      e.lastError
        ? h('div', {}, describe(e), h('p', { class: 'warning warning-stock', testid: 'pending-error' },
          `Retrying: the server could not take it yet — ${describeProblem(e.lastError)}`))
        : describe(e));
  }

  function render() {
    const state = deps.state();
    const pending = pendingEntries(state.queue);
    const rejected = rejectedEntries(state.queue);
    const retrying = pending.filter((e) => e.lastError).length;
    $('sync-summary').textContent = pending.length
      ? `${pending.length} waiting to upload${retrying ? ` (${retrying} retrying)` : ''}${state.isLeader ? '' : ' (by the other till tab)'}.`
      : 'Everything made on this till is on the server.';
    $('sync-last').textContent = state.lastSyncAt
      ? `Last attempt ${formatTime(state.lastSyncAt)}${state.lastSyncError ? `: ${state.lastSyncError}` : ': OK'}`
      : '';
    const unsent = pending.length + rejected.length;
    const exportButton = $('export-unsent');
    exportButton.dataset.count = String(unsent);
    $('sync-rejected').replaceChildren(...(rejected.length ? rejected.map(rejectedRow) : [h('li', { class: 'muted' }, 'Nothing.')]));
    $('sync-pending').replaceChildren(...(pending.length ? pending.slice(0, 200).map(pendingRow) : [h('li', { class: 'muted' }, 'Nothing.')]));
    const info = $('till-info');
    info.replaceChildren(
      h('dt', {}, 'Till'), h('dd', {}, state.me?.tillName ?? '—'),
      h('dt', {}, 'Outlet'), h('dd', {}, state.me ? `${state.me.outletName} (${state.me.outletCode})` : '—'),
      h('dt', {}, 'This tab'), h('dd', { testid: 'tab-role' }, state.isLeader ? 'sells and uploads the sales' : 'another tab is the till'),
    );
    renderHeld();
  }

  let heldRender = 0;
  async function renderHeld() {
    const ticket = ++heldRender;
    const held = (await deps.history())
      .filter((r) => r.status === 'rejected' && r.held)
      .sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt))
      .slice(0, 50);
    if (ticket !== heldRender || deps.state().view !== 'sync') return;
    $('sync-held').replaceChildren(...(held.length
      ? held.map((r) => h('li', { class: 'sync-row rejected', testid: 'held-row', dataset: { id: r.id, kind: r.kind } },
        h('div', {}, h('strong', {}, `${r.kind === 'sale' ? 'Sale' : 'Return'} ${r.id.slice(0, 8)} · ${formatDateTime(r.occurredAt)}`),
          h('p', { class: 'warning warning-stock' }, describeProblem(r.error)))))
      : [h('li', { class: 'muted' }, 'Nothing.')]));
  }

  return { wire, render, renderBadge };
}
