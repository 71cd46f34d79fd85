/**
 * Assembles the neutral run result (RunReport) from the metrics and the run's context.
 */
import type { Metrics } from '../metrics/collector.js';
import type { Scenario } from '../scenario/types.js';
import type { TimeSeriesReport } from '../metrics/timeseries.js';
import type { ProcessHealth } from '../metrics/health.js';
import type { DuplicatesReport, ReconciliationReport, RunReport } from './types.js';

export interface BuildReportInput {
  metrics: Metrics;
  scenario: Scenario;
  scenarioFile: string;
  targetUrl: string;
  embedded: boolean;
  plannedSessions: number;
  plannedStations: number;
  startedAt: Date;
  endedAt: Date;
  /** Simulated ms the run covered. */
  simulatedMs: number;
  /** Why the run stopped early (e.g. 'interrupted (SIGINT)'); null when it ran to the end. */
  partialReason: string | null;
  csms: { schemaViolations: number } | null;
  toolVersion: string;
  /**
   * The end-of-run reconciliation (`reconcile()` from src/reconcile/findings.ts); absent or null = none
   * kept. Its `transactionIds` go into the report of a shard only (for `ev-sim merge`).
   */
  reconciliation?: {
    reconciliation: ReconciliationReport;
    duplicates: DuplicatesReport;
    transactionIds?: Record<string, number[]>;
  } | null;
  shard?: { index: number; count: number } | null;
  timeSeries?: TimeSeriesReport | null;
  /** Event-loop delay and CPU of the fleet process, as the caller measured them. */
  processHealth?: ProcessHealth | null;
}

export function buildReport(input: BuildReportInput): RunReport {
  const parts = input.metrics.toReportParts();
  const { scenario } = input;
  return {
    schemaVersion: 1,
    tool: { name: 'ev-sim', version: input.toolVersion },
    partial: input.partialReason !== null,
    partialReason: input.partialReason,
    scenario: {
      name: scenario.name,
      seed: scenario.seed,
      file: input.scenarioFile,
      timeScale: scenario.timeScale,
      durationMs: scenario.durationMs,
    },
    target: { url: input.targetUrl, embedded: input.embedded },
    run: {
      startedAt: input.startedAt.toISOString(),
      endedAt: input.endedAt.toISOString(),
      wallMs: Math.max(0, input.endedAt.getTime() - input.startedAt.getTime()),
      simulatedMs: Math.round(input.simulatedMs),
    },
    stations: { planned: input.plannedStations, ...parts.stations },
    sessions: { planned: input.plannedSessions, ...parts.sessions },
    energyWh: parts.energyWh,
    sessionStats: parts.sessionStats,
    messages: parts.messages,
    latency: parts.latency,
    incoming: parts.incoming,
    csms: input.csms === null ? null : { schemaViolations: input.csms.schemaViolations },
    reconciliation: reconciliationSection(input),
    duplicates: input.reconciliation?.duplicates ?? null,
    shard: input.shard ?? null,
    faults: scenario.faults.map((f) => ({ kind: f.kind, atMs: f.atMs, durationMs: f.durationMs })),
    thresholds: [],
    timeSeries: input.timeSeries ?? null,
    health: input.processHealth ? parts.health(input.processHealth) : null,
  };
}

/** The reconciliation section; a shard's also lists the transactionIds its stations received. */
function reconciliationSection(input: BuildReportInput): ReconciliationReport | null {
  const rec = input.reconciliation;
  if (!rec) return null;
  if (!input.shard || rec.transactionIds === undefined) return rec.reconciliation;
  return { ...rec.reconciliation, transactionIds: rec.transactionIds };
}
