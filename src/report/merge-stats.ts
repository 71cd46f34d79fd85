/**
 * Merging the statistics of shard reports: latency per action, per-session distributions and times to
 * reconcile. Where every shard carries its HdrHistogram the merge is lossless (the histograms add up
 * and every statistic is computed again, as the run computes it); otherwise counts, means and maxima
 * merge exactly and the percentiles come from the largest shard, with a note saying so.
 */
import { decodeHistogram, encodeHistogram, latencyStats, mergeHistograms, type Histogram } from '../metrics/histogram.js';
import { distributionFromHistogram } from '../metrics/value-stats.js';
import { summariseReconcileTimes } from '../reconcile/reconcile-times.js';
import type { ActionReport, DistributionReport, ReconcileTimeReport } from './types.js';

/** Where merged figures are not exact: one sentence each, appended as they are found. */
export type Notes = string[];

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Sums of counts by key (error codes, vehicle profiles), keys sorted. */
export function sumRecords(list: readonly Record<string, number>[]): Record<string, number> {
  const totals = new Map<string, number>();
  for (const rec of list) for (const [k, n] of Object.entries(rec)) totals.set(k, (totals.get(k) ?? 0) + n);
  const out: Record<string, number> = {};
  for (const k of [...totals.keys()].sort()) out[k] = totals.get(k)!;
  return out;
}

/** One action's report from several shards: counts add up, latency from the merged histogram. */
export function mergeActionReport(parts: readonly ActionReport[]): ActionReport {
  const merged = mergeHistograms(parts.map((p) => decodeHistogram(p.histogram)));
  const { count: _replied, ...stats } = latencyStats(merged);
  // A decoded histogram knows its maximum only to its bucket's top; every report has the exact one.
  const max = Math.max(0, ...parts.map((p) => p.max));
  const clamp = (x: number) => Math.min(x, max);
  return {
    count: parts.reduce((n, p) => n + p.count, 0),
    errors: sumRecords(parts.map((p) => p.errors)),
    timeouts: parts.reduce((n, p) => n + p.timeouts, 0),
    min: clamp(stats.min),
    mean: clamp(stats.mean),
    p50: clamp(stats.p50),
    p90: clamp(stats.p90),
    p95: clamp(stats.p95),
    p99: clamp(stats.p99),
    p999: clamp(stats.p999),
    max,
    histogram: encodeHistogram(merged),
  };
}

/** Every action of every shard (one direction), keys sorted. */
export function mergeActionTables(tables: readonly Record<string, ActionReport>[]): Record<string, ActionReport> {
  const names = [...new Set(tables.flatMap((t) => Object.keys(t)))].sort();
  const out: Record<string, ActionReport> = {};
  for (const name of names) {
    out[name] = mergeActionReport(tables.flatMap((t) => (t[name] === undefined ? [] : [t[name]])));
  }
  return out;
}

/** One shard's distribution, and the number of values it summarises when it has no histogram. */
export interface WeightedDistribution {
  distribution: DistributionReport;
  /** e.g. the shard's completed sessions; used only when a histogram is missing. */
  weight: number;
}

const decoded = (encoded: string | undefined): Histogram | null => (encoded === undefined ? null : decodeHistogram(encoded));

function largest<T>(list: readonly T[], size: (t: T) => number): T {
  return list.reduce((best, t) => (size(t) > size(best) ? t : best));
}

/** A per-session distribution (`sessionStats.<name>`) of several shards; mean weighted by count. */
export function mergeDistribution(name: string, parts: readonly WeightedDistribution[], notes: Notes): DistributionReport {
  const hists = parts.map((p) => decoded(p.distribution.histogram));
  const unit = parts[0]?.distribution.histogramUnit;
  const lossless = hists.every((h) => h !== null) && parts.every((p) => p.distribution.histogramUnit === unit);
  const counts = parts.map((p, i) => hists[i]?.totalCount ?? p.weight);
  const total = counts.reduce((a, b) => a + b, 0);
  const mean = total === 0 ? 0 : parts.reduce((s, p, i) => s + p.distribution.mean * counts[i], 0) / total;
  const max = Math.max(0, ...parts.map((p) => p.distribution.max));
  if (lossless && unit !== undefined) {
    return distributionFromHistogram(mergeHistograms(hists as Histogram[]), unit, mean, max);
  }
  const big = largest(parts.map((p, i) => ({ d: p.distribution, n: counts[i] })), (x) => x.n);
  notes.push(`sessionStats.${name}: p50 and p90 are those of the largest shard (some reports carry no histogram to merge)`);
  return { mean: round3(mean), p50: Math.min(big.d.p50, max), p90: Math.min(big.d.p90, max), max };
}

/** Times to reconcile (overall or one fault window) of several shards. */
export function mergeReconcileTimes(name: string, parts: readonly ReconcileTimeReport[], notes: Notes): ReconcileTimeReport {
  const count = parts.reduce((n, p) => n + p.count, 0);
  const max = Math.max(0, ...parts.map((p) => p.max));
  const hists = parts.map((p) => decoded(p.histogram));
  if (hists.every((h) => h !== null)) return summariseReconcileTimes(mergeHistograms(hists as Histogram[]), max);
  if (count === 0) return { count: 0, p50: 0, p95: 0, max: 0 };
  const big = largest(parts, (p) => p.count);
  notes.push(`${name}: p50 and p95 are those of the largest shard (some reports carry no histogram to merge)`);
  return { count, p50: Math.min(big.p50, max), p95: Math.min(big.p95, max), max };
}
