/**
 * Tables of the HTML report: thresholds, latency per action, the fault timeline, conformance results.
 */
import { fmtDuration, fmtInt, fmtMs } from './format.js';
import type { FaultWindow, ThresholdRow } from './html-types.js';
import { badge, esc, fmtNum, note, raw, table } from './html-util.js';
import type { Cell } from './html-util.js';
import type { ActionReport } from './types.js';

export function thresholdsTable(rows: ThresholdRow[]): string {
  const failed = rows.filter((r) => !r.pass).length;
  const caption = failed === 0 ? `All ${rows.length} thresholds passed` : `${failed} of ${rows.length} thresholds failed`;
  return table(
    ['Result', 'Expression', 'Actual', 'Detail'],
    rows.map((r) => [
      badge(r.pass),
      { text: r.expression, className: 'code' },
      r.actual === null ? null : fmtNum(r.actual),
      { text: r.detail, className: 'detail' },
    ]),
    { caption, numeric: [2] },
  );
}

function errorCodes(errors: Record<string, number> | undefined): string {
  const entries = Object.entries(errors ?? {}).filter(([, n]) => n > 0);
  return entries.sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).map(([code, n]) => `${code} ${fmtInt(n)}`).join(', ');
}

const totalErrors = (errors: Record<string, number> | undefined): number =>
  Object.values(errors ?? {}).reduce((sum, n) => sum + n, 0);

/** One row per action: calls, failures, and latency percentiles in ms. */
export function latencyTable(actions: Record<string, ActionReport>, caption: string): string {
  const entries = Object.entries(actions).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return note(`${caption}: none.`);
  // Latency exists for replied calls only (timeouts and disconnects have none).
  const replied = (r: ActionReport) => r.count - (r.errors?.Timeout ?? 0) - (r.errors?.Disconnected ?? 0);
  const ms = (r: ActionReport, v: number): Cell => (replied(r) > 0 ? fmtMs(v) : null);
  return table(
    ['Action', 'Calls', 'Errors', 'Timeouts', 'min', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max', 'Error codes'],
    entries.map(([action, r]) => [
      action,
      fmtInt(r.count),
      errorCell(totalErrors(r.errors)),
      errorCell(r.timeouts),
      ms(r, r.min),
      ms(r, r.p50),
      ms(r, r.p90),
      ms(r, r.p95),
      ms(r, r.p99),
      ms(r, r.p999),
      ms(r, r.max),
      { text: errorCodes(r.errors), className: 'detail' },
    ]),
    { caption: `${caption} (latency in ms)`, numeric: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
  );
}

function errorCell(n: number): Cell {
  return n > 0 ? raw(`<strong class="num">${esc(fmtInt(n))}</strong>`) : fmtInt(n);
}

/** The fault timeline, numbered like the shaded bands of the charts. */
export function faultsTable(faults: FaultWindow[], timeScale: number): string {
  const scale = timeScale > 0 ? timeScale : 1;
  return table(
    ['#', 'Kind', 'Starts (simulated)', 'Lasts (simulated)', 'Wall window'],
    faults.map((f, i) => [
      String(i + 1),
      f.kind,
      fmtDuration(f.atMs),
      f.durationMs > 0 ? fmtDuration(f.durationMs) : 'instant',
      `${fmtDuration(f.atMs / scale)} – ${fmtDuration((f.atMs + f.durationMs) / scale)}`,
    ]),
    { caption: 'Fault timeline (shaded in the charts)' },
  );
}

type Row = Record<string, unknown>;

const isRow = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);
const LIST_KEYS = ['results', 'checks', 'tests', 'cases', 'items'];
const PASS_WORDS = /^(pass|passed|ok|success|succeeded|true)$/i;
const FAIL_WORDS = /^(fail|failed|failure|error|errored|false)$/i;
const MAX_COLUMNS = 8;

function conformanceRows(c: unknown): Row[] | null {
  if (Array.isArray(c)) return c.filter(isRow);
  if (!isRow(c)) return null;
  for (const key of LIST_KEYS) if (Array.isArray(c[key])) return (c[key] as unknown[]).filter(isRow);
  return null;
}

function conformanceCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return badge(value);
  if (typeof value === 'string' && PASS_WORDS.test(value)) return badge(true, value);
  if (typeof value === 'string' && FAIL_WORDS.test(value)) return badge(false, '', value);
  if (typeof value === 'number') return fmtNum(value);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return { text: text.length > 300 ? `${text.slice(0, 300)}…` : text, className: 'detail' };
}

/** Conformance results of any reasonable shape: an array of records (or an object holding one). */
export function conformanceTable(c: unknown): string {
  const rows = conformanceRows(c);
  if (rows === null) {
    const json = JSON.stringify(c, null, 2) ?? String(c);
    return `<pre class="detail">${esc(json.length > 20_000 ? `${json.slice(0, 20_000)}…` : json)}</pre>`;
  }
  if (rows.length === 0) return note('No conformance results.');
  const columns: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!columns.includes(k) && columns.length < MAX_COLUMNS) columns.push(k);
  const summary = isRow(c) ? summaryLine(c) : '';
  return summary + table(columns, rows.map((r) => columns.map((k) => conformanceCell(r[k]))));
}

/** Top-level numbers of a results object, e.g. "passed 12 · failed 1". */
function summaryLine(c: Row): string {
  const parts = Object.entries(c)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && v.length < 80))
    .map(([k, v]) => `${k} ${String(v)}`);
  return parts.length > 0 ? `<p>${esc(parts.join(' · '))}</p>` : '';
}
