/**
 * The one histogram factory of ev-sim (hdr-histogram-js, plain JS implementation).
 *
 * Latencies are recorded in integer microseconds, 1 µs .. 1 h, 3 significant digits. Counts live in a
 * Float64Array (`bitBucketSize: 64`): measured on the 2-core dev box (Node 20, 2M records of log-spread
 * latencies) recording costs ≈ 110 ns against ≈ 570 ns for 'packed', for ≈ 185 KB per latency
 * histogram against 5–85 KB; ev-sim keeps one histogram per action and direction, so speed on the
 * per-message path wins. The WASM build records faster still (≈ 20 ns) but needs an async/sync init and
 * explicit destroy() of every histogram; at ≈ 100 µs of CPU per OCPP message the JS cost is noise.
 *
 * Histograms cross thread and machine boundaries as compressed base64 and merge losslessly with add().
 */
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

export type { Histogram };

const BUCKET_SIZE = 64;
const SIGNIFICANT_DIGITS = 3;
/** One hour in microseconds: the highest latency a histogram tracks (larger values are clamped). */
export const HIGHEST_LATENCY_US = 3_600_000_000;

/** Statistics of a latency histogram, in milliseconds rounded to 0.001. */
export interface LatencyStats {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

/**
 * A histogram of non-negative integers up to `highestTrackableValue`, with the same bucket layout and
 * precision as the latency histograms (for session energy and durations).
 */
export function createValueHistogram(highestTrackableValue: number): Histogram {
  return build({
    bitBucketSize: BUCKET_SIZE,
    autoResize: false,
    lowestDiscernibleValue: 1,
    highestTrackableValue,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    useWebAssembly: false,
  });
}

/** A latency histogram: values in µs, 1 µs .. 1 h. */
export function createLatencyHistogram(): Histogram {
  return createValueHistogram(HIGHEST_LATENCY_US);
}

/**
 * Records `value` rounded to an integer and clamped into 0..highestTrackableValue (NaN and negatives
 * record as 0), so a bad sample can never throw on the hot path.
 */
export function recordClamped(h: Histogram, value: number): void {
  const v = Math.round(value);
  const highest = h.highestTrackableValue;
  h.recordValue(v > 0 ? (v < highest ? v : highest) : 0);
}

/** Records a latency given in milliseconds (stored as µs). */
export function recordMs(h: Histogram, ms: number): void {
  recordClamped(h, ms * 1000);
}

export function encodeHistogram(h: Histogram): string {
  return encodeIntoCompressedBase64(h);
}

export function decodeHistogram(encoded: string): Histogram {
  return decodeFromCompressedBase64(encoded, BUCKET_SIZE, false);
}

/** A new histogram holding every sample of `list` (the inputs are left unchanged). */
export function mergeHistograms(list: readonly Histogram[]): Histogram {
  const highest = list.reduce((acc, h) => Math.max(acc, h.highestTrackableValue), HIGHEST_LATENCY_US);
  const merged = createValueHistogram(highest);
  for (const h of list) merged.add(h);
  return merged;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Percentiles of a histogram in its own units, rounded to 0.001 after dividing by `divisor`. */
export function percentileOf(h: Histogram, percentile: number, divisor = 1): number {
  return h.totalCount === 0 ? 0 : round3(h.getValueAtPercentile(percentile) / divisor);
}

/** Latency statistics in ms (all zero for an empty histogram). */
export function latencyStats(h: Histogram): LatencyStats {
  const count = h.totalCount;
  if (count === 0) {
    return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
  }
  const max = round3(h.maxValue / 1000);
  // A percentile is the top of its HDR bucket, which may lie a little above the exact maximum.
  const ms = (p: number) => Math.min(percentileOf(h, p, 1000), max);
  return {
    count,
    min: ms(0),
    mean: Math.min(round3(h.mean / 1000), max),
    p50: ms(50),
    p90: ms(90),
    p95: ms(95),
    p99: ms(99),
    p999: ms(99.9),
    max,
  };
}
