/**
 * The report's charts: per-action latency percentile curves (decoded from the HDR histograms) and the
 * run's time series with the fault windows shaded.
 */
import type { Histogram } from '../metrics/histogram.js';
import { decodeHistogram } from '../metrics/histogram.js';
import type { TimeSeriesPoint, TimeSeriesReport } from '../metrics/timeseries.js';
import { fmtDuration, fmtInt, fmtMs } from './format.js';
import type { FaultWindow } from './html-types.js';
import { fmtTick, note } from './html-util.js';
import { niceMax, niceTicks, renderChart } from './html-svg.js';
import type { Band, Series, Tick } from './html-svg.js';
import type { ActionReport } from './types.js';

const NINES_STEP = 0.05;
const TIP_STEP = 0.1;

/** Percentile for a position on the "nines" axis: 0 → 0, 1 → 90, 2 → 99, 3 → 99.9. */
export const percentileAtNines = (x: number): number => 100 * (1 - 10 ** -x);

/** 99.9 → "99.9%", 94.98813 → "94.99%". */
function fmtPercentile(x: number): string {
  const digits = Math.max(0, Math.floor(x + 1e-9)) + 1;
  return `${Number(percentileAtNines(x).toFixed(Math.min(digits, 8)))}%`;
}

function tryDecode(encoded: unknown): Histogram | null {
  if (typeof encoded !== 'string' || encoded === '') return null;
  try {
    return decodeHistogram(encoded);
  } catch {
    return null;
  }
}

/** The latency (ms) at each sampled nines position up to `maxNines`; the last point is the maximum. */
export function percentileCurve(h: Histogram, maxNines: number): [number, number][] {
  const max = h.maxValue;
  const points: [number, number][] = [];
  const steps = Math.round(maxNines / NINES_STEP);
  for (let i = 0; i < steps; i++) {
    const x = i * NINES_STEP;
    points.push([x, Math.min(h.getValueAtPercentile(percentileAtNines(x)), max) / 1000]);
  }
  points.push([maxNines, max / 1000]);
  return points;
}

/** Nines worth drawing for `count` samples: past log10(count) every percentile is the maximum. */
export function ninesFor(count: number): number {
  return Math.min(6, Math.max(2, Math.ceil(Math.log10(Math.max(1, count)))));
}

function ninesTicks(maxNines: number): Tick[] {
  const ticks: Tick[] = [];
  for (let k = 0; k <= maxNines; k++) ticks.push({ value: k, label: k === 0 ? '0%' : fmtPercentile(k) });
  return ticks;
}

function percentileTips(series: Series[], maxNines: number): { xs: number[]; lines: string[] } {
  const xs: number[] = [];
  const lines: string[] = [];
  for (let k = 0; k * TIP_STEP <= maxNines + 1e-9; k++) {
    const x = Math.min(maxNines, Number((k * TIP_STEP).toFixed(6)));
    const idx = Math.round(x / NINES_STEP);
    const rows = series.map((s) => {
      const point = s.points[Math.min(idx, s.points.length - 1)];
      return `${s.label}: ${point[1] === null ? '–' : fmtMs(point[1])} ms`;
    });
    xs.push(x);
    lines.push([x >= maxNines ? `max (≥ ${fmtPercentile(maxNines)})` : `percentile ${fmtPercentile(x)}`, ...rows].join('\n'));
  }
  return { xs, lines };
}

/**
 * One chart, one line per action that got replies: latency against percentile, the HDR way. Actions
 * without a decodable histogram (no replies, older report) are listed under the chart.
 */
export function renderPercentileChart(id: string, title: string, actions: Record<string, ActionReport>): string {
  const decoded = Object.entries(actions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([action, r]) => ({ action, h: tryDecode(r.histogram) }));
  const drawn = decoded.filter((d): d is { action: string; h: Histogram } => d.h !== null && d.h.totalCount > 0);
  const missing = decoded.filter((d) => !(d.h && d.h.totalCount > 0)).map((d) => d.action);
  const missingNote = missing.length > 0 ? note(`No latency data (no replies) for: ${missing.join(', ')}.`) : '';
  if (drawn.length === 0) return note(`${title}: no call got a reply.`) + missingNote;
  const maxNines = ninesFor(Math.max(...drawn.map((d) => d.h.totalCount)));
  const series: Series[] = drawn.map((d) => ({ label: d.action, points: percentileCurve(d.h, maxNines) }));
  const yMax = niceMax(Math.max(...series.flatMap((s) => s.points.map((p) => p[1] ?? 0))));
  const chart = renderChart({
    id,
    title,
    desc: `Latency in milliseconds against percentile on a logarithmic nines scale, one line per action: ${drawn.map((d) => d.action).join(', ')}.`,
    x: { min: 0, max: maxNines, ticks: ninesTicks(maxNines), title: 'percentile (log scale of nines)' },
    y: { min: 0, max: yMax, ticks: niceTicks(0, yMax, 5, fmtTick), title: 'latency (ms)' },
    series,
    tips: percentileTips(series, maxNines),
    legend: true,
  });
  return chart + missingNote;
}

const SECOND = 1000;
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400].map((s) => s * SECOND);

/** "45s", "2m", "1m30s", "1h", "2h15m". */
export function fmtClockTick(ms: number): string {
  const total = Math.round(ms / SECOND);
  const h = Math.floor(total / 3600);
  const m = Math.floor(total / 60) % 60;
  const s = total % 60;
  if (h > 0) return `${h}h${m > 0 ? `${m}m` : ''}`;
  if (m > 0) return `${m}m${s > 0 ? `${s}s` : ''}`;
  return `${s}s`;
}

function timeTicks(maxMs: number): Tick[] {
  const step = TIME_STEPS.find((s) => maxMs / s <= 8) ?? Math.ceil(maxMs / 8 / 86_400_000) * 86_400_000;
  const ticks: Tick[] = [];
  for (let v = 0; v <= maxMs + 1; v += step) ticks.push({ value: v, label: fmtClockTick(v) });
  return ticks;
}

/** Fault windows in wall ms (the timeline is simulated: wall = simulated / timeScale). */
export function faultBands(faults: FaultWindow[], timeScale: number): Band[] {
  const scale = timeScale > 0 ? timeScale : 1;
  return faults.map((f, i) => ({
    from: f.atMs / scale,
    to: (f.atMs + Math.max(0, f.durationMs)) / scale,
    label: `${i + 1} ${f.kind}`,
  }));
}

interface MetricChart {
  key: keyof TimeSeriesPoint;
  id: string;
  title: string;
  unit: string;
  format: (v: number) => string;
  /** Smallest y tick step (1 for counts). */
  minStep: number;
  /** Name of the value in the hover read-out. */
  tip: string;
}

const fmtRate = (v: number): string => (v < 10 ? String(Number(v.toFixed(1))) : fmtInt(v));

const METRIC_CHARTS: MetricChart[] = [
  { key: 'connected', id: 'ts-connected', title: 'Connected stations', unit: 'stations', format: fmtInt, minStep: 1, tip: 'connected stations' },
  { key: 'activeSessions', id: 'ts-active', title: 'Active sessions', unit: 'sessions', format: fmtInt, minStep: 1, tip: 'active sessions' },
  { key: 'messagesPerSecond', id: 'ts-rate', title: 'Messages per second (both directions)', unit: 'msg/s', format: fmtRate, minStep: 0, tip: 'messages per second' },
  { key: 'p95Ms', id: 'ts-p95', title: 'p95 latency of the calls completed in each interval', unit: 'ms', format: fmtMs, minStep: 0, tip: 'p95 (ms)' },
  { key: 'queueDepth', id: 'ts-queue', title: 'Offline-queue depth (whole fleet)', unit: 'queued messages', format: fmtInt, minStep: 1, tip: 'queued messages' },
];

function metricChart(c: MetricChart, points: TimeSeriesPoint[], maxMs: number, bands: Band[]): string {
  const values = points.map((p) => p[c.key] as number | null);
  const yMax = Math.max(niceMax(Math.max(0, ...values.map((v) => v ?? 0))), c.minStep);
  const tips = {
    xs: points.map((p) => p.tMs),
    lines: points.map((p, i) => {
      const v = values[i];
      return `wall ${fmtDuration(p.tMs)} · simulated ${fmtDuration(p.simMs)}\n${c.tip}: ${v === null ? 'no data' : c.format(v)}`;
    }),
  };
  return renderChart({
    id: c.id,
    title: c.title,
    desc: `${c.title} (${c.unit}) over the run's wall time, ${points.length} points; shaded: fault windows.`,
    x: { min: 0, max: maxMs, ticks: timeTicks(maxMs), title: 'wall time since start' },
    y: { min: 0, max: yMax, ticks: niceTicks(0, yMax, 4, fmtTick, c.minStep), title: c.unit },
    series: [{ label: c.title, points: points.map((p, i) => [p.tMs, values[i]]) }],
    bands,
    tips,
    legend: false,
    size: 'small',
  });
}

/** The five run charts; `wallMs` stretches the x axis to the whole run. */
export function renderTimeSeriesCharts(ts: TimeSeriesReport, faults: FaultWindow[], timeScale: number, wallMs: number): string {
  const points = [...ts.points].sort((a, b) => a.tMs - b.tMs);
  if (points.length === 0) return note('The time series holds no points (the run ended before the first interval).');
  const maxMs = Math.max(1000, wallMs, points[points.length - 1].tMs);
  const bands = faultBands(faults, timeScale);
  return `<div class="grid2">${METRIC_CHARTS.map((c) => metricChart(c, points, maxMs, bands)).join('\n')}</div>`;
}
