/**
 * Reconciliation and duplicate findings in the HTML report: counts by kind, the listed findings, and
 * the reconciliation figures per fault window.
 */
import { fmtDuration, fmtInt } from './format.js';
import { esc, note, table } from './html-util.js';
import type { Cell } from './html-util.js';
import type { DuplicatesReport, Finding, ReconcileTimeReport, ReconciliationReport } from './types.js';

const FINDING_HEADERS = ['Kind', 'Station', 'Connector', 'Session', 'Transaction', 'Message', 'Detail'];

function transactionCell(f: Finding): Cell {
  if (f.transactionIds && f.transactionIds.length > 0) return f.transactionIds.join(', ');
  return f.transactionId === null || f.transactionId === undefined ? null : String(f.transactionId);
}

function messageCell(f: Finding): Cell {
  if (!f.action) return null;
  return f.seq === undefined ? f.action : `${f.action} #${f.seq}`;
}

function findingRow(f: Finding): Cell[] {
  return [
    f.kind,
    f.stationId,
    f.connectorId === null || f.connectorId === undefined ? null : String(f.connectorId),
    f.sessionId,
    transactionCell(f),
    messageCell(f),
    { text: f.detail, className: 'detail' },
  ];
}

/** Every listed finding, kinds in the report's order. */
export function findingsTable(lists: Record<string, Finding[] | undefined>, caption: string): string {
  const rows = Object.values(lists).flatMap((list) => (Array.isArray(list) ? list.map(findingRow) : []));
  if (rows.length === 0) return '';
  return table(FINDING_HEADERS, rows, { caption });
}

function countsTable(counts: Record<string, number> | undefined, caption: string): string {
  const rows = Object.entries(counts ?? {})
    .filter(([, n]) => n > 0)
    .map(([kind, n]): Cell[] => [kind, fmtInt(n)]);
  return rows.length === 0 ? '' : table(['Kind', 'Count'], rows, { caption, numeric: [1], className: 'narrow' });
}

function timeToReconcile(t: ReconcileTimeReport | undefined): string {
  if (!t || t.count === 0) return 'no acknowledged messages';
  return `p50 ${fmtDuration(t.p50)} · p95 ${fmtDuration(t.p95)} · max ${fmtDuration(t.max)} over ${fmtInt(t.count)} messages (simulated time)`;
}

function truncatedNote(n: number | undefined, what: string): string {
  return n && n > 0 ? note(`${fmtInt(n)} further ${what} are counted but not listed (the report keeps the first 100 of each kind).`) : '';
}

function windowsTable(rec: ReconciliationReport): string {
  if (!Array.isArray(rec.windows) || rec.windows.length === 0) return '';
  const ms = (v: number) => fmtDuration(v);
  return table(
    ['#', 'Fault', 'Starts (simulated)', 'Lasts', 'Peak queue depth', 'Messages', 'Reconcile p50', 'p95', 'max'],
    rec.windows.map((w, i): Cell[] => [
      String(i + 1),
      w.kind,
      ms(w.atMs),
      w.durationMs > 0 ? ms(w.durationMs) : 'instant',
      fmtInt(w.maxQueueDepth),
      fmtInt(w.timeToReconcile?.count ?? 0),
      w.timeToReconcile?.count ? ms(w.timeToReconcile.p50) : null,
      w.timeToReconcile?.count ? ms(w.timeToReconcile.p95) : null,
      w.timeToReconcile?.count ? ms(w.timeToReconcile.max) : null,
    ]),
    { caption: 'During each fault', numeric: [4, 5, 6, 7, 8] },
  );
}

function meta(items: [string, string][]): string {
  return `<dl class="meta">${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
}

export function reconciliationBody(rec: ReconciliationReport): string {
  const ledger = rec.csmsLedger
    ? `${rec.csmsLedger.source}: ${fmtInt(rec.csmsLedger.transactions)} transactions compared`
    : 'not read (station-side checks only)';
  const summary = meta([
    ['Gaps', fmtInt(rec.gapCount)],
    ['Time to reconcile', timeToReconcile(rec.timeToReconcile)],
    ['Peak queue depth', `${fmtInt(rec.maxQueueDepth)} messages (one station)`],
    ['CSMS ledger', ledger],
  ]);
  const findings = rec.gapCount > 0
    ? countsTable(rec.gapCounts, 'Gaps by kind') + findingsTable(rec.gaps, 'Gaps') + truncatedNote(rec.truncated, 'gaps')
    : note('No gaps: every transaction message the stations produced was acknowledged.');
  return summary + findings + windowsTable(rec);
}

export function duplicatesBody(dup: DuplicatesReport): string {
  if (dup.count === 0) return note('No duplicates: no transaction was counted twice.');
  return (
    `<p>${esc(`Duplicates found: ${fmtInt(dup.count)}.`)}</p>` +
    countsTable(dup.counts, 'Duplicates by kind') +
    findingsTable(dup.items, 'Duplicates') +
    truncatedNote(dup.truncated, 'duplicates')
  );
}
