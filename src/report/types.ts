/**
 * The JSON run report: a PUBLIC interface that CI pipelines parse. Additive changes only; anything
 * else bumps `schemaVersion`. Times are ISO-8601 UTC strings, durations milliseconds, energy Wh,
 * latencies milliseconds rounded to 0.001.
 */

import type { ThresholdResult } from '../metrics/thresholds.js';
import type { TimeSeriesReport } from '../metrics/timeseries.js';
import type { HealthReport } from '../metrics/health.js';

/** Latency and outcome of one OCPP action in one direction. */
export interface ActionReport {
  /** Calls made (replied, failed and unanswered alike). */
  count: number;
  /** Failed calls by CALLERROR code, plus 'Timeout' and 'Disconnected' for calls that got no reply. */
  errors: Record<string, number>;
  /** Calls that got no reply within the call timeout (also counted in `errors.Timeout`). */
  timeouts: number;
  /**
   * Latency statistics (ms) over the calls that got a reply (CALLRESULT or CALLERROR); timeouts and
   * disconnects have no latency. `histogram` is the HdrHistogram (µs) as compressed base64.
   */
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  histogram: string;
}

/** Summary of a per-session quantity over the completed sessions (0 when there are none). */
export interface DistributionReport {
  mean: number;
  p50: number;
  p90: number;
  max: number;
  /**
   * The HdrHistogram of the values as compressed base64 (its total count is the number of sessions
   * measured), in steps of `histogramUnit` (in the field's units: 1 Wh, 1/60 minute); lets
   * `ev-sim merge` combine shard reports losslessly. Absent in older reports.
   */
  histogram?: string;
  histogramUnit?: number;
}

export interface SessionStatsReport {
  /** Energy delivered per completed session, Wh. */
  energyWh: DistributionReport;
  /** Plug-in to unplug time per completed session, minutes (simulated). */
  pluggedMinutes: DistributionReport;
  /** Time energy actually flowed per completed session, minutes (simulated); plugged minus idle time. */
  chargingMinutes: DistributionReport;
  /** Sessions (any outcome) by vehicle profile name; 'unknown' when the session had no vehicle. */
  vehicles: Record<string, number>;
}

export interface RunReport {
  schemaVersion: 1;
  tool: { name: 'ev-sim'; version: string };
  /** True when the run did not finish its scenario (interrupted, aborted). */
  partial: boolean;
  /** Why the run is partial, e.g. 'interrupted (SIGINT)'; null for a complete run. */
  partialReason: string | null;
  scenario: { name: string; seed: number; file: string; timeScale: number; durationMs: number };
  target: { url: string; embedded: boolean };
  run: { startedAt: string; endedAt: string; wallMs: number; simulatedMs: number };
  /**
   * `connectedPeak`: most stations connected at once. In a merged report it is the SUM of the shards'
   * peaks (shards run side by side, so it is an upper bound of the fleet's peak).
   */
  stations: { planned: number; connectedPeak: number; bootAccepted: number; disconnects: number };
  sessions: { planned: number; started: number; completed: number; rejected: number; failed: number };
  /** Energy of all sessions (meterStop − meterStart), Wh. */
  energyWh: number;
  sessionStats: SessionStatsReport;
  messages: { sent: number; received: number; errors: number; timeouts: number };
  /** Calls the stations made to the CSMS, by action (round-trip latency). */
  latency: Record<string, ActionReport>;
  /** Calls the CSMS made to the stations, by action (latency = the station's handling time). */
  incoming: Record<string, ActionReport>;
  /** Findings of the embedded CSMS; null when an external CSMS was the target. */
  csms: { schemaViolations: number } | null;
  /**
   * Transactions the CSMS may have lost: what each station did against what the CSMS acknowledged
   * (and, with a ledger source, what it stored). null when the run kept no ledger.
   */
  reconciliation: ReconciliationReport | null;
  /** Transactions the CSMS may have counted twice; null when the run kept no ledger. */
  duplicates: DuplicatesReport | null;
  /** The slice of the fleet this run covered (`--shard i/n`); null for the whole fleet. */
  shard: { index: number; count: number } | null;
  /** The scenario's fault timeline: kind and window in simulated ms since the run's start. */
  faults: { kind: string; atMs: number; durationMs: number }[];
  /** Every threshold of the scenario, evaluated against this report; empty when there are none. */
  thresholds: ThresholdResult[];
  /** Fleet-wide figures over the run at a fixed interval (bounded: the interval doubles on long runs). */
  timeSeries: TimeSeriesReport | null;
  /** Whether ev-sim itself kept up: schedule slip, event-loop delay, CPU (see src/metrics/health.ts). */
  health: HealthReport | null;
  /**
   * Only in a report made by `ev-sim merge`: the shard reports it combines, by shard index (`file` as
   * given on the command line). A shard-less input counts as shard 1 of 1.
   */
  merged?: { shards: { index: number; count: number; file: string }[] };
  /**
   * Only in a report made by `ev-sim merge`: where a merged figure is not exact, one sentence each
   * (e.g. percentiles taken from the largest shard because older shard reports lack their histogram,
   * or the time series' p95 being the maximum of the shards' p95s, an upper bound).
   */
  mergeNotes?: string[];
}

/**
 * Kinds of gap (something the CSMS may have lost or never got):
 * - `unacknowledged`: a transaction message still queued at the station at the end of the run.
 * - `discarded`: a message the station gave up on after its last attempt (TransactionMessageAttempts).
 * - `callerror`: a message whose last answer was a CALLERROR and that was not acknowledged later
 *   (neither discarded nor lost: the station still held it at the end).
 * - `lost`: a message dropped from the queue when the station rebooted without persistent storage.
 * - `noTransactionId`: a session whose StartTransaction was never acknowledged.
 * - `rejectedAfterTheFact`: StartTransaction answered with idTagInfo not Accepted for a transaction the
 *   station had already begun without waiting for that reply (created offline or behind other queued
 *   messages, or its first attempt went unanswered). An online refusal of the first attempt is an
 *   ordinary rejection, not a finding.
 * - `missingInCsms`: (CSMS ledger) the station completed the session, the CSMS has no such transactionId.
 * - `openInCsms`: (CSMS ledger) the station's StopTransaction was acknowledged, the CSMS row has no meterStop.
 * - `energyMismatch`: (CSMS ledger) meterStop − meterStart differs between the CSMS and the station.
 */
export type GapKind =
  | 'unacknowledged'
  | 'discarded'
  | 'callerror'
  | 'lost'
  | 'noTransactionId'
  | 'rejectedAfterTheFact'
  | 'missingInCsms'
  | 'openInCsms'
  | 'energyMismatch';

/**
 * Kinds of duplicate (something counted twice):
 * - `transactionIdReused`: one transactionId issued to two different sessions (across the fleet); one
 *   finding per session that got an id already issued to an earlier one.
 * - `sessionGotTwoIds`: one session received two different transactionIds (an acknowledgement and a late
 *   reply, or two acknowledgements).
 * - `stopAcceptedTwice`: a session's StopTransaction was accepted more than once.
 * - `phantom`: (CSMS ledger) a CSMS transaction of this fleet that no station session received, e.g. the
 *   first, unanswered StartTransaction of a retried pair.
 * - `duplicateInCsms`: (CSMS ledger) several CSMS rows with one transactionId, e.g. a stop stored twice;
 *   one finding per transactionId.
 */
export type DuplicateKind = 'transactionIdReused' | 'sessionGotTwoIds' | 'stopAcceptedTwice' | 'phantom' | 'duplicateInCsms';

export type FindingKind = GapKind | DuplicateKind;

/** One gap or duplicate. */
export interface Finding {
  kind: FindingKind;
  stationId: string;
  connectorId: number | null;
  /**
   * The station's session (`<connectorId>/<n>`); null for a CSMS row that no session matches, and for
   * a `transactionIdReused` finding of `ev-sim merge` (ids issued in two shards are known per station).
   */
  sessionId: string | null;
  /** The transactionId concerned (for a message: the id it carried, -1 = placeholder); null if none. */
  transactionId: number | null;
  /** Every transactionId involved, when there are several (two ids of one session, a reused id). */
  transactionIds?: number[];
  /** Message gaps: the message's action and per-station sequence number. */
  action?: string;
  seq?: number;
  /** energyMismatch: the energy (Wh) by the station's and by the CSMS's meter readings. */
  stationWh?: number;
  csmsWh?: number;
  /** One human-readable sentence. */
  detail: string;
}

/** Simulated time (ms) from a transaction message's creation to its acknowledgement. */
export interface ReconcileTimeReport {
  /** Acknowledged messages measured. */
  count: number;
  p50: number;
  p95: number;
  max: number;
  /** The HdrHistogram of the times (ms) as compressed base64, for `ev-sim merge`; absent in older reports. */
  histogram?: string;
}

/** Reconciliation figures during one fault of the scenario's timeline. */
export interface FaultWindowReport {
  /** The fault's kind (partition, flapping, latency, loss, outage, reboot). */
  kind: string;
  /** Simulated ms after the run's start; and how long the fault lasted. */
  atMs: number;
  durationMs: number;
  /** Largest queue depth of any station while the fault lasted. */
  maxQueueDepth: number;
  /** Over the messages that existed while the fault lasted (created before its end, acknowledged after its start). */
  timeToReconcile: ReconcileTimeReport;
}

export interface ReconciliationReport {
  /** Gaps of every kind, all counted. */
  gapCount: number;
  /** Gaps by kind, every kind present; each list holds at most the first 100. */
  gaps: Record<GapKind, Finding[]>;
  /** Gaps by kind, all counted (a list may hold fewer). */
  gapCounts: Record<GapKind, number>;
  /** Gaps left out of the lists (counted in gapCount). */
  truncated: number;
  /** Over every acknowledged transaction message. */
  timeToReconcile: ReconcileTimeReport;
  /** Largest number of transaction messages any one station held queued (the one in flight included). */
  maxQueueDepth: number;
  /** One entry per fault of the scenario, in timeline order. */
  windows: FaultWindowReport[];
  /** The CSMS's own transaction records that were compared; null when none were read. */
  csmsLedger: { source: string; transactions: number } | null;
  /**
   * Only in a shard's report (`run --shard`): the distinct transactionIds each station's sessions
   * received, ascending, by station identity (stations that received none left out), so `ev-sim merge`
   * can report an id issued in two shards (`transactionIdReused`). About 8 bytes per session.
   */
  transactionIds?: Record<string, number[]>;
}

export interface DuplicatesReport {
  /** Duplicates of every kind, all counted. */
  count: number;
  /** Duplicates by kind, every kind present; each list holds at most the first 100. */
  items: Record<DuplicateKind, Finding[]>;
  /** Duplicates by kind, all counted. */
  counts: Record<DuplicateKind, number>;
  /** Duplicates left out of the lists (counted in count). */
  truncated: number;
}
