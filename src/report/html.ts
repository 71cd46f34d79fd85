/**
 * The self-contained HTML report: one file that opens offline (inline CSS, inline SVG charts, a small
 * optional hover script; a Content-Security-Policy forbids any request). Rendered from the JSON run
 * report plus the CLI's extras (time series, fault timeline, thresholds, conformance results).
 */
import { fmtDuration, fmtEnergy, fmtInt, fmtMinutes, fmtTimeScale } from './format.js';
import { renderPercentileChart, renderTimeSeriesCharts } from './html-charts.js';
import { duplicatesBody, reconciliationBody } from './html-findings.js';
import { SCRIPT, STYLE } from './html-style.js';
import { conformanceTable, faultsTable, latencyTable, thresholdsTable } from './html-tables.js';
import type { FaultWindow, HtmlReportInput } from './html-types.js';
import { esc, note, section } from './html-util.js';

export type { FaultWindow, HtmlReportInput, ThresholdRow } from './html-types.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

function meta(items: [string, string][]): string {
  return `<dl class="meta">${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
}

function banners(r: HtmlReportInput): string {
  const out: string[] = [];
  if (r.partial) {
    const reason = r.partialReason ?? 'stopped early';
    out.push(`<p class="banner" role="alert">⚠ Partial run: ${esc(reason)}. The figures cover only part of the scenario.</p>`);
  }
  const failed = (r.thresholds ?? []).filter((t) => !t.pass).length;
  if (failed > 0) {
    out.push(`<p class="banner fail" role="alert">✗ ${esc(`${failed} of ${r.thresholds?.length} thresholds failed.`)}</p>`);
  }
  return out.join('');
}

function header(r: HtmlReportInput): string {
  const target = `${r.target.url}${r.target.embedded ? ' (embedded CSMS)' : ''}`;
  return `<header><h1>ev-sim run report: ${esc(r.scenario.name)}</h1>` +
    `<p class="sub">${esc(`${r.run.startedAt} → ${r.run.endedAt}`)}</p>` +
    banners(r) +
    meta([
      ['Scenario', `${r.scenario.name} · seed ${r.scenario.seed} · ${r.scenario.file}`],
      ['Target', target],
      ['Run time', `wall ${fmtDuration(r.run.wallMs)} · simulated ${fmtDuration(r.run.simulatedMs)} · time scale ${fmtTimeScale(r.scenario.timeScale)}`],
      ['Started', r.run.startedAt],
      ['Ended', r.run.endedAt],
    ]) +
    `</header>`;
}

interface CardSpec {
  title: string;
  big: string;
  /** A word after the big figure, e.g. "completed". */
  unit?: string;
  items: [string, string][];
  alert?: boolean;
}

function card(c: CardSpec): string {
  const list = c.items.map(([k, v]) => `<li><span>${esc(k)}</span><span>${esc(v)}</span></li>`).join('');
  const unit = c.unit ? ` <small>${esc(c.unit)}</small>` : '';
  return `<div class="card${c.alert ? ' alert' : ''}"><h3>${esc(c.title)}</h3>` +
    `<div class="big">${esc(c.big)}${unit}</div><ul>${list}</ul></div>`;
}

/** Whether ev-sim itself kept up; absent in reports written before `health` existed. */
function healthCard(r: HtmlReportInput): string[] {
  const h = r.health;
  if (!h) return [];
  const items: [string, string][] = [
    ['calls sent late, p95', `${h.sendDelayMs.p95} ms`],
    ['more than 1 s late', fmtInt(h.lateSends)],
  ];
  if (h.eventLoopDelayMs) items.push(['event loop p99', `${h.eventLoopDelayMs.p99} ms`]);
  if (h.cpuPercent !== null) items.push(['CPU (one core)', `${h.cpuPercent}%`]);
  if (typeof h.peakRssMb === 'number') items.push(['peak RSS', `${h.peakRssMb} MB`]);
  for (const reason of h.reasons) items.push(['saturated', reason]);
  return [card({ title: 'ev-sim health', big: h.saturated ? 'saturated' : 'kept up', items, alert: h.saturated })];
}

function summaryCards(r: HtmlReportInput): string {
  const st = r.stations;
  const se = r.sessions;
  const m = r.messages;
  const e = r.sessionStats?.energyWh;
  const seconds = r.run.wallMs / 1000;
  const rate = seconds > 0 ? (m.sent + m.received) / seconds : 0;
  const errorItems: [string, string][] = [['timeouts', fmtInt(m.timeouts)]];
  if (r.csms) errorItems.push(['schema violations', fmtInt(r.csms.schemaViolations)]);
  const energyItems: [string, string][] = e && se.completed > 0 ? [
    ['mean / session', fmtEnergy(e.mean)],
    ['median', fmtEnergy(e.p50)],
    ['p90', fmtEnergy(e.p90)],
    ['charging (mean)', fmtMinutes(r.sessionStats.chargingMinutes.mean)],
  ] : [];
  const cards = [
    card({ title: 'Stations', big: `${fmtInt(st.connectedPeak)} / ${fmtInt(st.planned)}`, unit: 'connected', alert: st.planned > 0 && st.connectedPeak === 0, items: [
      ['planned', fmtInt(st.planned)],
      ['connected (peak)', fmtInt(st.connectedPeak)],
      ['boot accepted', fmtInt(st.bootAccepted)],
      ['disconnects', fmtInt(st.disconnects)],
    ] }),
    card({ title: 'Sessions', big: fmtInt(se.completed), unit: 'completed', alert: se.failed > 0, items: [
      ['planned', fmtInt(se.planned)],
      ['started', fmtInt(se.started)],
      ['completed', fmtInt(se.completed)],
      ['rejected', fmtInt(se.rejected)],
      ['failed', fmtInt(se.failed)],
    ] }),
    card({ title: 'Energy', big: fmtEnergy(r.energyWh), items: energyItems }),
    card({ title: 'Messages', big: fmtInt(m.sent + m.received), items: [
      ['sent', fmtInt(m.sent)],
      ['received', fmtInt(m.received)],
      ['per second (wall)', fmtInt(rate)],
    ] }),
    card({ title: 'Errors', big: fmtInt(m.errors), items: errorItems, alert: m.errors > 0 || (r.csms?.schemaViolations ?? 0) > 0 }),
    ...healthCard(r),
  ];
  return `<div class="cards">${cards.join('')}</div>`;
}

function latencySection(r: HtmlReportInput): string {
  const sent = r.latency ?? {};
  const incoming = r.incoming ?? {};
  const parts = [
    renderPercentileChart('pct-sent', 'Latency percentiles of calls the stations made', sent),
    latencyTable(sent, 'Calls the stations made to the CSMS (round trip)'),
  ];
  if (Object.keys(incoming).length > 0) {
    parts.push(
      renderPercentileChart('pct-incoming', 'Handling time of calls the CSMS made', incoming),
      latencyTable(incoming, 'Calls the CSMS made to the stations (handling time)'),
    );
  }
  return section('latency', 'Latency per action', parts.join('\n'),
    'Each line is an action\'s full latency distribution from its HDR histogram: x is the percentile on a log scale of nines, y the latency.');
}

function faultsOf(r: HtmlReportInput): FaultWindow[] {
  if (Array.isArray(r.faults)) return r.faults;
  return Array.isArray(r.reconciliation?.windows) ? r.reconciliation.windows : [];
}

function timeSeriesSection(r: HtmlReportInput): string {
  const faults = faultsOf(r);
  const faultList = faults.length > 0 ? faultsTable(faults, r.scenario.timeScale) : '';
  const charts = r.timeSeries
    ? renderTimeSeriesCharts(r.timeSeries, faults, r.scenario.timeScale, r.run.wallMs)
    : note('This report has no time series.');
  const intro = r.timeSeries
    ? `One point every ${fmtDuration(r.timeSeries.intervalMs)} of wall time. Fault windows are shaded and numbered as in the fault timeline.`
    : undefined;
  return section('timeline', 'Over time', faultList + charts, intro);
}

function optionalSections(r: HtmlReportInput): string[] {
  const out: string[] = [];
  if (r.reconciliation) {
    out.push(section('reconciliation', 'Reconciliation: transactions the CSMS may have lost', reconciliationBody(r.reconciliation)));
  }
  if (r.duplicates) out.push(section('duplicates', 'Duplicates: transactions counted twice', duplicatesBody(r.duplicates)));
  if (r.conformance !== undefined && r.conformance !== null) {
    out.push(section('conformance', 'Conformance', conformanceTable(r.conformance)));
  }
  return out;
}

function toc(r: HtmlReportInput): string {
  const links: [string, string][] = [['summary', 'Summary']];
  if (r.thresholds && r.thresholds.length > 0) links.push(['thresholds', 'Thresholds']);
  links.push(['latency', 'Latency'], ['timeline', 'Over time']);
  if (r.reconciliation) links.push(['reconciliation', 'Reconciliation']);
  if (r.duplicates) links.push(['duplicates', 'Duplicates']);
  if (r.conformance !== undefined && r.conformance !== null) links.push(['conformance', 'Conformance']);
  return `<nav class="toc">${links.map(([id, label]) => `<a href="#${id}">${esc(label)}</a>`).join('')}</nav>`;
}

/** The whole report as one HTML document. Every string from the report is escaped. */
export function renderHtmlReport(report: HtmlReportInput): string {
  const r = report;
  const body = [
    header(r),
    toc(r),
    section('summary', 'Summary', summaryCards(r)),
    r.thresholds && r.thresholds.length > 0 ? section('thresholds', 'Thresholds', thresholdsTable(r.thresholds)) : '',
    latencySection(r),
    timeSeriesSection(r),
    ...optionalSections(r),
    `<footer>Generated by ${esc(r.tool?.name ?? 'ev-sim')} ${esc(r.tool?.version ?? '')} · report schema v${esc(r.schemaVersion)}` +
      ` · scenario file ${esc(r.scenario.file)}</footer>`,
  ].join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ev-sim ${esc(r.tool?.version ?? '')}">
<title>ev-sim report: ${esc(r.scenario.name)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
<script>${SCRIPT}</script>
</body>
</html>
`;
}
