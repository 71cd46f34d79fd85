/**
 * Running statistics of one per-session quantity in bounded memory: exact count, sum and max, and an
 * HDR histogram for the percentiles. The report carries the histogram (compressed base64) and its unit,
 * so shard reports merge losslessly (`ev-sim merge`).
 */
import type { DistributionReport } from '../report/types.js';
import { createValueHistogram, encodeHistogram, percentileOf, recordClamped, type Histogram } from './histogram.js';

export interface ValueStats {
  record(value: number): void;
  readonly count: number;
  summary(): DistributionReport;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The report of a distribution from its histogram (values stored in multiples of `unit`), the exact
 * mean and the exact maximum, in the caller's units. Shared by the run and by the merge of shard
 * reports, so both compute percentiles the same way.
 */
export function distributionFromHistogram(histogram: Histogram, unit: number, mean: number, max: number): DistributionReport {
  const encoded = { histogram: encodeHistogram(histogram), histogramUnit: unit };
  if (histogram.totalCount === 0) return { mean: 0, p50: 0, p90: 0, max: 0, ...encoded };
  // Percentiles are bucket tops: never report one above the exact maximum.
  const pct = (p: number) => Math.min(round3(percentileOf(histogram, p) * unit), round3(max));
  return { mean: round3(mean), p50: pct(50), p90: pct(90), max: round3(max), ...encoded };
}

/**
 * `unit` is the resolution stored in the histogram, in the caller's units (e.g. 1 Wh, or 1/60 minute
 * to keep second resolution for minutes); `highest` is the largest value tracked, in the caller's units.
 */
export function createValueStats(unit: number, highest: number): ValueStats {
  const histogram = createValueHistogram(Math.ceil(highest / unit));
  let count = 0;
  let sum = 0;
  let max = 0;
  return {
    get count() {
      return count;
    },
    record(value) {
      const v = Number.isFinite(value) && value > 0 ? value : 0;
      count++;
      sum += v;
      if (v > max) max = v;
      recordClamped(histogram, v / unit);
    },
    summary() {
      return distributionFromHistogram(histogram, unit, count === 0 ? 0 : sum / count, max);
    },
  };
}
