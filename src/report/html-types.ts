/**
 * What the HTML report renders: the JSON run report plus the optional extras the CLI may add. Every
 * section the report may lack (older reports, runs without a ledger) is optional here.
 */
import type { TimeSeriesReport } from '../metrics/timeseries.js';
import type { DuplicatesReport, ReconciliationReport, RunReport } from './types.js';

/** A fault of the scenario's timeline; times are simulated ms since the run's start. */
export interface FaultWindow {
  kind: string;
  atMs: number;
  durationMs: number;
}

export interface ThresholdRow {
  expression: string;
  actual: number | null;
  pass: boolean;
  detail: string;
}

export type HtmlReportInput = Omit<RunReport, 'reconciliation' | 'duplicates'> & {
  reconciliation?: ReconciliationReport | null;
  duplicates?: DuplicatesReport | null;
  timeSeries?: TimeSeriesReport | null;
  faults?: FaultWindow[] | null;
  thresholds?: ThresholdRow[] | null;
  /** Conformance results: an array of records, or an object holding one (`results`, `checks`, `tests`). */
  conformance?: unknown;
};
