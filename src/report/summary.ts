/**
 * The end-of-run terminal summary, rendered to a string (the CLI decides where it goes and whether
 * it is coloured). Readable at 80 columns: no line is longer than `width`.
 */
import { Chalk } from 'chalk';
import type { ChalkInstance } from 'chalk';
import { fmtDuration, fmtEnergy, fmtInt, fmtMinutes, fmtMs, fmtTimeScale } from './format.js';
import { flow, labelled, plain, truncate, wrapText } from './layout.js';
import type { Paint, Span } from './layout.js';
import { renderTable } from './table.js';
import type { ActionReport, Finding, ReconcileTimeReport, RunReport } from './types.js';

export interface SummaryOptions {
  /** Emit ANSI colours (the caller honours NO_COLOR / TTY detection). */
  color: boolean;
  /** Maximum line length; default 80. */
  width?: number;
  /** Where the JSON report was written, if it was. */
  reportPath?: string;
}

const MIN_WIDTH = 60;

/** `label n`, painted when the count is non-zero. */
function count(label: string, n: number, paintIfNonZero: Paint = plain): Span {
  return { text: `${label} ${fmtInt(n)}`, paint: n > 0 ? paintIfNonZero : plain };
}

function partialLines(report: RunReport, width: number, c: ChalkInstance): string[] {
  if (!report.partial) return [];
  const reason = report.partialReason ?? 'stopped early';
  const text = `!! PARTIAL RUN: ${reason} -- the figures cover only part of the scenario`;
  return wrapText(text, width).map((line) => c.bold.yellow(line));
}

function header(r: RunReport, width: number, c: ChalkInstance): string[] {
  const label = (s: string) => c.bold(s);
  const target = `${r.target.url}${r.target.embedded ? ' (embedded CSMS)' : ''}`;
  const duration =
    `wall ${fmtDuration(r.run.wallMs)}  simulated ${fmtDuration(r.run.simulatedMs)}` +
    `  time scale ${fmtTimeScale(r.scenario.timeScale)}`;
  return [
    c.bold(truncate(`ev-sim ${r.tool.version} run summary`, width)),
    ...partialLines(r, width, c),
    ...labelled('Scenario', { text: `${r.scenario.name}  seed ${r.scenario.seed}  ${r.scenario.file}` }, width, label),
    ...labelled('Target', { text: target }, width, label),
    ...labelled('Duration', { text: duration }, width, label),
    ...labelled('Started', { text: r.run.startedAt }, width, label),
  ];
}

function sessionDetail(r: RunReport, width: number, label: Paint): string[] {
  const s = r.sessionStats;
  if (r.sessions.completed === 0) return [];
  const vehicles = Object.entries(s.vehicles)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([name, n]) => ({ text: `${name} ${fmtInt(n)}` }));
  return [
    ...flow('Plugged in', [
      { text: `mean ${fmtMinutes(s.pluggedMinutes.mean)}` },
      { text: `median ${fmtMinutes(s.pluggedMinutes.p50)}` },
      { text: `p90 ${fmtMinutes(s.pluggedMinutes.p90)}` },
    ], width, label),
    ...flow('Charging', [
      { text: `mean ${fmtMinutes(s.chargingMinutes.mean)}` },
      { text: `median ${fmtMinutes(s.chargingMinutes.p50)}` },
      { text: `p90 ${fmtMinutes(s.chargingMinutes.p90)}` },
    ], width, label),
    ...(vehicles.length > 0 ? flow('Vehicles', vehicles, width, label) : []),
  ];
}

function fleet(r: RunReport, width: number, c: ChalkInstance): string[] {
  const label = (s: string) => c.bold(s);
  const st = r.stations;
  const se = r.sessions;
  const m = r.messages;
  const notAccepted = st.bootAccepted < st.planned ? c.yellow : plain;
  return [
    ...flow('Stations', [
      count('planned', st.planned),
      count('peak connected', st.connectedPeak),
      { text: `boot accepted ${fmtInt(st.bootAccepted)}`, paint: notAccepted },
      count('disconnects', st.disconnects, c.yellow),
    ], width, label),
    ...flow('Sessions', [
      count('planned', se.planned),
      count('started', se.started),
      count('completed', se.completed, c.green),
      count('rejected', se.rejected, c.yellow),
      count('failed', se.failed, c.red),
    ], width, label),
    ...flow('Energy', [
      { text: `${fmtEnergy(r.energyWh)} total` },
      { text: `per session: mean ${fmtEnergy(r.sessionStats.energyWh.mean)}` },
      { text: `median ${fmtEnergy(r.sessionStats.energyWh.p50)}` },
    ], width, label),
    ...sessionDetail(r, width, label),
    ...flow('Messages', [
      count('sent', m.sent),
      count('received', m.received),
      count('errors', m.errors, c.red),
      count('timeouts', m.timeouts, c.yellow),
    ], width, label),
  ];
}

const errorTotal = (a: ActionReport) => Object.values(a.errors).reduce((sum, n) => sum + n, 0);

function errorBreakdown(actions: [string, ActionReport][], width: number, c: ChalkInstance): string[] {
  const lines: string[] = [];
  for (const [name, a] of actions) {
    const codes = Object.entries(a.errors).map(([code, n]) => `${code} ${fmtInt(n)}`);
    if (codes.length === 0) continue;
    for (const line of wrapText(`${name}: ${codes.join(', ')}`, width - 4)) lines.push(`    ${c.red(line)}`);
  }
  return lines.length === 0 ? [] : ['  errors by code:', ...lines];
}

function callSection(title: string, calls: Record<string, ActionReport>, width: number, c: ChalkInstance): string[] {
  const heading = c.bold(truncate(title, width));
  const actions = Object.entries(calls);
  if (actions.length === 0) return [heading, '  none'];
  const headers = ['action', 'calls', 'errors', 'timeouts', 'p50', 'p95', 'p99', 'max'];
  const rows: Span[][] = actions.map(([name, a]) => [
    { text: name },
    { text: fmtInt(a.count) },
    { text: fmtInt(errorTotal(a)), paint: errorTotal(a) > 0 ? c.red : plain },
    { text: fmtInt(a.timeouts), paint: a.timeouts > 0 ? c.yellow : plain },
    { text: fmtMs(a.p50) },
    { text: fmtMs(a.p95) },
    { text: fmtMs(a.p99) },
    { text: fmtMs(a.max) },
  ]);
  return [heading, ...renderTable(headers, rows, width, c.dim), ...errorBreakdown(actions, width, c)];
}

const EXAMPLES_PER_KIND = 3;

function reconcileTimes(t: ReconcileTimeReport): string {
  if (t.count === 0) return 'nothing acknowledged';
  return `p50 ${fmtDuration(t.p50)}  p95 ${fmtDuration(t.p95)}  max ${fmtDuration(t.max)}`;
}

/** `kind count`, then the first few findings, one line each. */
function findingGroup(kind: string, count: number, items: Finding[], width: number, paint: Paint): string[] {
  const lines = [`  ${paint(truncate(`${kind} ${fmtInt(count)}`, width - 2))}`];
  for (const f of items.slice(0, EXAMPLES_PER_KIND)) {
    const text = `${f.stationId} ${f.sessionId ?? '-'}: ${f.detail}`;
    lines.push(...wrapText(text, width - 6).map((l, i) => (i === 0 ? `    ${l}` : `      ${l}`)));
  }
  const more = count - Math.min(count, EXAMPLES_PER_KIND);
  if (more > 0) lines.push(`    ${truncate(`... and ${fmtInt(more)} more`, width - 4)}`);
  return lines;
}

function findingGroups(counts: Record<string, number>, lists: Record<string, Finding[]>, width: number, paint: Paint): string[] {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .flatMap(([kind, n]) => findingGroup(kind, n, lists[kind] ?? [], width, paint));
}

function reconciliationSection(r: RunReport, width: number, c: ChalkInstance): string[] {
  const rec = r.reconciliation;
  const dup = r.duplicates;
  if (rec === null || dup === null) return [];
  if (rec.gapCount === 0 && dup.count === 0 && rec.windows.length === 0) {
    const against = rec.csmsLedger === null ? '' : ` (checked against ${fmtInt(rec.csmsLedger.transactions)} CSMS transactions)`;
    return ['', ...wrapText(`reconciliation: no gaps, no duplicates${against}`, width)];
  }
  const label = (s: string) => c.bold(s);
  const lines = [
    '',
    ...flow('Reconcile', [
      count('gaps', rec.gapCount, c.red),
      count('duplicates', dup.count, c.yellow),
      { text: `max queue depth ${fmtInt(rec.maxQueueDepth)}` },
    ], width, label),
    ...labelled('Ack time', { text: reconcileTimes(rec.timeToReconcile) }, width, label),
  ];
  if (rec.csmsLedger !== null) {
    const text = `${rec.csmsLedger.source} (${fmtInt(rec.csmsLedger.transactions)} transactions of this fleet)`;
    lines.push(...labelled('CSMS rows', { text }, width, label));
  }
  for (const w of rec.windows) {
    const ack = w.timeToReconcile.count === 0 ? 'nothing acknowledged' : `ack ${reconcileTimes(w.timeToReconcile)}`;
    const text = `${w.kind} at ${fmtDuration(w.atMs)} for ${fmtDuration(w.durationMs)}: max queue ${fmtInt(w.maxQueueDepth)}, ${ack}`;
    lines.push(...wrapText(text, width - 4).map((l, i) => (i === 0 ? `  ${l}` : `    ${l}`)));
  }
  if (rec.gapCount > 0) lines.push(c.bold('Gaps (lost or unconfirmed)'), ...findingGroups(rec.gapCounts, rec.gaps, width, c.red));
  if (dup.count > 0) lines.push(c.bold('Duplicates'), ...findingGroups(dup.counts, dup.items, width, c.yellow));
  return lines;
}

function footer(r: RunReport, reportPath: string | undefined, width: number, c: ChalkInstance): string[] {
  const label = (s: string) => c.bold(s);
  const lines: string[] = [];
  if (r.csms !== null) {
    const v = r.csms.schemaViolations;
    lines.push(...flow('CSMS', [{ text: `schema violations ${fmtInt(v)}`, paint: v > 0 ? c.red : c.green }], width, label));
  }
  if (reportPath !== undefined) lines.push(...labelled('Report', { text: reportPath }, width, label));
  return lines.length === 0 ? [] : ['', ...lines];
}

function healthSection(r: RunReport, width: number, c: ChalkInstance): string[] {
  const h = r.health;
  if (!h) return [];
  const loop = h.eventLoopDelayMs ? `event loop p99 ${fmtMs(h.eventLoopDelayMs.p99)} ms` : 'event loop not measured';
  const cpu = h.cpuPercent === null ? '' : `, CPU ${h.cpuPercent}% of a core`;
  // Reports written before peakRssMb existed lack it (`ev-sim report` renders them too).
  const rss = typeof h.peakRssMb === 'number' ? `, peak RSS ${fmtInt(h.peakRssMb)} MB` : '';
  const slip = h.sendDelayMs.count === 0 ? 'no scheduled calls' : `calls sent late: p95 ${fmtMs(h.sendDelayMs.p95)} ms, ${fmtInt(h.lateSends)} over 1 s`;
  const lines = ['', ...wrapText(`ev-sim     ${loop}${cpu}${rss}; ${slip}`, width)];
  if (h.saturated) {
    const text = `WARNING: ev-sim itself was saturated (${h.reasons.join('; ')}): the latencies above include ev-sim's own delays. Lower the load or split it with --shard across machines.`;
    lines.push(...wrapText(text, width).map((l) => c.bold.red(l)));
  }
  return lines;
}

function thresholdSection(r: RunReport, width: number, c: ChalkInstance): string[] {
  if (r.thresholds.length === 0) return [];
  const failed = r.thresholds.filter((t) => !t.pass).length;
  const title = failed === 0 ? c.green(`all ${r.thresholds.length} passed`) : c.red(`${failed} of ${r.thresholds.length} failed`);
  const lines = ['', `${c.bold('Thresholds')}  ${title}`];
  for (const t of r.thresholds) {
    const mark = t.pass ? c.green('pass') : c.red('FAIL');
    const actual = t.actual === null ? 'no data' : `actual ${Math.round(t.actual * 1000) / 1000}`;
    lines.push(...wrapText(`${t.expression}  (${actual})`, width - 8).map((l, i) => (i === 0 ? `  ${mark}  ${l}` : `        ${l}`)));
  }
  return lines;
}

export function renderSummary(report: RunReport, opts: SummaryOptions): string {
  const width = Math.max(MIN_WIDTH, Math.floor(opts.width ?? 80));
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const lines = [
    ...header(report, width, c),
    '',
    ...fleet(report, width, c),
    '',
    ...callSection('Calls to the CSMS (round trip, ms)', report.latency, width, c),
    '',
    ...callSection('Calls from the CSMS (station handling time, ms)', report.incoming, width, c),
    ...reconciliationSection(report, width, c),
    ...healthSection(report, width, c),
    ...thresholdSection(report, width, c),
    ...footer(report, opts.reportPath, width, c),
  ];
  if (report.partial) lines.push('', ...partialLines(report, width, c));
  return `${lines.join('\n')}\n`;
}
