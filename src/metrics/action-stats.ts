/**
 * Per-action call statistics for one direction: counts, errors by code, latency histogram.
 * `record` is on the per-message path: one Map lookup, no allocation once an action and an error code
 * have been seen.
 */
import type { Histogram } from 'hdr-histogram-js';
import type { ActionReport } from '../report/types.js';
import { DISCONNECTED, TIMEOUT } from './types.js';
import type { CallError } from './types.js';
import { createLatencyHistogram, encodeHistogram, latencyStats, recordMs } from './histogram.js';

interface ActionStats {
  count: number;
  timeouts: number;
  errors: Map<CallError, number>;
  /** Latency of the calls that got a reply. */
  histogram: Histogram;
}

export interface ActionTotals {
  count: number;
  errors: number;
  timeouts: number;
  disconnects: number;
}

export interface ActionTable {
  /** Records one finished call; returns true when it got a reply (so its latency was recorded). */
  record(action: string, latencyMs: number, error: CallError | undefined): boolean;
  totals(): ActionTotals;
  /** Per-action report entries, keys sorted by action name. */
  report(): Record<string, ActionReport>;
}

function newStats(): ActionStats {
  return {
    count: 0,
    timeouts: 0,
    errors: new Map(),
    histogram: createLatencyHistogram(),
  };
}

function toReport(s: ActionStats): ActionReport {
  const errors: Record<string, number> = {};
  for (const code of [...s.errors.keys()].sort()) errors[code] = s.errors.get(code)!;
  const { count: _replied, ...latency } = latencyStats(s.histogram);
  return {
    count: s.count,
    errors,
    timeouts: s.timeouts,
    ...latency,
    histogram: encodeHistogram(s.histogram),
  };
}

export function createActionTable(): ActionTable {
  const byAction = new Map<string, ActionStats>();
  const totals: ActionTotals = { count: 0, errors: 0, timeouts: 0, disconnects: 0 };

  function record(action: string, latencyMs: number, error: CallError | undefined): boolean {
    let s = byAction.get(action);
    if (s === undefined) {
      s = newStats();
      byAction.set(action, s);
    }
    s.count++;
    totals.count++;
    if (error === undefined) {
      recordMs(s.histogram, latencyMs);
      return true;
    }
    totals.errors++;
    s.errors.set(error, (s.errors.get(error) ?? 0) + 1);
    if (error === TIMEOUT) {
      s.timeouts++;
      totals.timeouts++;
      return false;
    }
    if (error === DISCONNECTED) {
      totals.disconnects++;
      return false;
    }
    recordMs(s.histogram, latencyMs);
    return true;
  }

  return {
    record,
    totals: () => ({ ...totals }),
    report() {
      const out: Record<string, ActionReport> = {};
      for (const action of [...byAction.keys()].sort()) out[action] = toReport(byAction.get(action)!);
      return out;
    },
  };
}
