/**
 * Time to reconcile: simulated ms from a transaction message's creation to its acknowledgement. An
 * HdrHistogram gives the run's percentiles; each acknowledged message also keeps 16 bytes (created and
 * acknowledged times) so fault windows known only at the end can be measured exactly.
 */
import { createValueHistogram, encodeHistogram, percentileOf, recordClamped, type Histogram } from '../metrics/histogram.js';
import type { ReconcileTimeReport } from '../report/types.js';

/** Thirty simulated days, in ms: the longest time to reconcile tracked (longer ones are clamped). */
const HIGHEST_MS = 30 * 24 * 3_600_000;
const INITIAL_CAPACITY = 1024;

export interface ReconcileTimes {
  record(createdAt: number, ackedAt: number): void;
  /** Over every acknowledged message. */
  stats(): ReconcileTimeReport;
  /** Over the messages that existed during [fromMs, toMs]: created before its end, acknowledged after its start. */
  statsDuring(fromMs: number, toMs: number): ReconcileTimeReport;
}

/**
 * The report of times to reconcile from their histogram (ms) and exact maximum; it carries the
 * histogram (compressed base64) so shard reports merge losslessly. Shared with `ev-sim merge`.
 */
export function summariseReconcileTimes(h: Histogram, max: number): ReconcileTimeReport {
  const histogram = encodeHistogram(h);
  if (h.totalCount === 0) return { count: 0, p50: 0, p95: 0, max: 0, histogram };
  const top = Math.round(max);
  return {
    count: h.totalCount,
    p50: Math.min(Math.round(percentileOf(h, 50)), top),
    p95: Math.min(Math.round(percentileOf(h, 95)), top),
    max: top,
    histogram,
  };
}

export function createReconcileTimes(): ReconcileTimes {
  const all = createValueHistogram(HIGHEST_MS);
  let maxMs = 0;
  let n = 0;
  let created = new Float64Array(INITIAL_CAPACITY);
  let acked = new Float64Array(INITIAL_CAPACITY);

  function push(c: number, a: number): void {
    if (n === created.length) {
      const nextCreated = new Float64Array(2 * n);
      const nextAcked = new Float64Array(2 * n);
      nextCreated.set(created);
      nextAcked.set(acked);
      created = nextCreated;
      acked = nextAcked;
    }
    created[n] = c;
    acked[n] = a;
    n++;
  }

  return {
    record(createdAt, ackedAt) {
      const ms = Math.max(0, ackedAt - createdAt);
      recordClamped(all, ms);
      if (ms > maxMs) maxMs = ms;
      push(createdAt, ackedAt);
    },
    stats: () => summariseReconcileTimes(all, maxMs),
    statsDuring(fromMs, toMs) {
      const h = createValueHistogram(HIGHEST_MS);
      let max = 0;
      for (let i = 0; i < n; i++) {
        if (created[i] > toMs || acked[i] < fromMs) continue;
        const ms = Math.max(0, acked[i] - created[i]);
        recordClamped(h, ms);
        if (ms > max) max = ms;
      }
      return summariseReconcileTimes(h, max);
    },
  };
}
