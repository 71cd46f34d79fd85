/**
 * Reconciliation figures per fault of the scenario's timeline: the deepest queue and the time to
 * reconcile of the messages that existed while the fault lasted.
 */
import type { FaultWindowReport } from '../report/types.js';
import type { FaultConfig } from '../scenario/types.js';
import type { Ledger } from './ledger.js';

/**
 * `runStartMs` is the simulated epoch ms of the run's start (the origin of the run's clock): fault
 * times are relative to it. A fault of zero duration (a reboot) covers the instant it happened.
 */
export function faultWindows(ledger: Ledger, faults: readonly FaultConfig[], runStartMs: number): FaultWindowReport[] {
  return faults.map((fault) => {
    const from = runStartMs + fault.atMs;
    const to = from + Math.max(0, fault.durationMs);
    return {
      kind: fault.kind,
      atMs: fault.atMs,
      durationMs: fault.durationMs,
      maxQueueDepth: ledger.queueDepth.maxBetween(from, to),
      timeToReconcile: ledger.timeToReconcile.statsDuring(from, to),
    };
  });
}
