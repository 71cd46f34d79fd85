/**
 * Test helper for the merge tests: one synthetic fleet played into n shard collectors (station k goes
 * to shard ((k − 1) mod n) + 1, as `run --shard` slices) and, with the very same events, into one
 * whole-fleet collector, so a merge of the shard reports can be compared with the unsharded report.
 */
import { createMetrics, type Metrics } from '../src/metrics/collector.js';
import { evaluateThresholds, parseThreshold, type Threshold } from '../src/metrics/thresholds.js';
import { reconcile } from '../src/reconcile/findings.js';
import { createLedger, type Ledger } from '../src/reconcile/ledger.js';
import { buildReport } from '../src/report/build.js';
import type { RunReport } from '../src/report/types.js';
import type { FaultConfig, Scenario } from '../src/scenario/types.js';
import { createRngRoot, logNormal, uniform } from '../src/util/rng.js';
import { sessionRecord, stationScript } from './reconcile-events.js';

export const T0 = Date.UTC(2025, 0, 1);
const FAULTS = [
  { kind: 'partition', mode: 'refuse', atMs: 0, durationMs: 1_800_000, stations: { all: true } },
  { kind: 'reboot', keepQueue: true, atMs: 2_000_000, durationMs: 0, stations: { all: true } },
] as unknown as FaultConfig[];

/** buildReport and reconcile read only these scenario fields. */
export function scenario(over: Partial<Scenario> = {}): Scenario {
  return { name: 'merge-demo', seed: 5, timeScale: 60, durationMs: 3_600_000, faults: FAULTS, ...over } as unknown as Scenario;
}

export interface Sink {
  metrics: Metrics;
  ledger: Ledger;
  stations: number;
  sessions: number;
}

const sink = (): Sink => ({ metrics: createMetrics(), ledger: createLedger(), stations: 0, sessions: 0 });
const ACTIONS = ['Authorize', 'BootNotification', 'Heartbeat', 'MeterValues', 'StartTransaction', 'StatusNotification'];

/** Everything one station does, played into `s` (called once per station and sink). */
function playStation(s: Sink, k: number, reusedId: number | null): void {
  const id = `CP-${k}`;
  const rng = createRngRoot(99).stream(`station/${id}`);
  s.stations++;
  s.metrics.connection(id, 'connected');
  s.metrics.connection(id, 'accepted');
  for (let i = 0; i < 150; i++) {
    const action = ACTIONS[Math.floor(rng() * ACTIONS.length)];
    const roll = rng();
    const error = roll < 0.02 ? 'Timeout' : roll < 0.04 ? 'InternalError' : undefined;
    s.metrics.call('sent', action, logNormal(rng, 40, 1.2), error);
    if (i % 10 === 0) s.metrics.call('received', 'RemoteStopTransaction', uniform(rng, 0.5, 3));
  }
  const script = stationScript(s.ledger, id);
  for (let n = 1; n <= 4; n++) {
    const sessionId = `1/${n}`;
    const at = T0 + n * 400_000 + k * 1_000;
    s.sessions++;
    s.metrics.sessionPlugged(id, 1);
    const start = script.queue('StartTransaction', sessionId, at);
    script.sent(start, at + 1);
    const txId = n === 1 && reusedId !== null ? reusedId : k * 100 + n;
    script.acked(start, at + Math.round(uniform(rng, 20, 900_000)), { transactionId: txId, idTagStatus: 'Accepted' });
    const energyWh = Math.round(uniform(rng, 1_000, 60_000));
    const plugged = uniform(rng, 10, 300) * 60_000;
    const record = sessionRecord(id, sessionId, {
      transactionId: txId, vehicle: n % 2 === 0 ? 'compact' : 'suv', energyWh, pluggedAt: at, unpluggedAt: at + plugged,
      chargingMs: plugged * uniform(rng, 0.2, 1),
    });
    s.metrics.session(record);
    s.ledger.session(record);
  }
  // Messages still queued at the end: 20 'unacknowledged' gaps per station.
  for (let n = 0; n < 20; n++) script.queue('MeterValues', '1/4', T0 + 3_000_000 + n);
}

export interface Fleet {
  shards: Sink[];
  whole: Sink;
}

/**
 * `stations` stations into `count` shards; stations 1 and 2 (shards 1 and 2) both get transactionId
 * 7777 for their first session when `reuseAcrossShards`.
 */
export function playFleet(stations: number, count: number, reuseAcrossShards = false): Fleet {
  const shards = Array.from({ length: count }, sink);
  const whole = sink();
  for (let k = 1; k <= stations; k++) {
    const reused = reuseAcrossShards && k <= 2 ? 7777 : null;
    playStation(shards[(k - 1) % count], k, reused);
    playStation(whole, k, reused);
  }
  return { shards, whole };
}

export interface ReportOptions {
  shard: { index: number; count: number } | null;
  thresholds?: string[];
  embedded?: boolean;
  startedAt?: Date;
  scenario?: Scenario;
}

const parsed = (e: string): Threshold => {
  const t = parseThreshold(e);
  if ('error' in t) throw new Error(t.error);
  return t;
};

/** The report of one sink, as `run` builds it (reconciled with the fault windows). */
export function reportOf(s: Sink, opts: ReportOptions): RunReport {
  const sc = opts.scenario ?? scenario();
  const startedAt = opts.startedAt ?? new Date(T0);
  const report = buildReport({
    metrics: s.metrics,
    scenario: sc,
    scenarioFile: 'merge-demo.yaml',
    targetUrl: 'ws://127.0.0.1:9/ocpp',
    embedded: opts.embedded ?? false,
    plannedSessions: s.sessions,
    plannedStations: s.stations,
    startedAt,
    endedAt: new Date(startedAt.getTime() + 60_000),
    simulatedMs: sc.durationMs,
    partialReason: null,
    csms: null,
    toolVersion: '0.1.0',
    reconciliation: reconcile(s.ledger, { runStartMs: T0, faults: sc.faults }),
    shard: opts.shard,
    timeSeries: null,
  });
  report.thresholds = evaluateThresholds((opts.thresholds ?? []).map(parsed), report);
  return report;
}

/** Shard reports of a fleet (shard i of n, starting a second apart) and the whole fleet's report. */
export function reportsOf(fleet: Fleet, opts: Omit<ReportOptions, 'shard' | 'startedAt'> = {}): { shards: RunReport[]; whole: RunReport } {
  const count = fleet.shards.length;
  return {
    shards: fleet.shards.map((s, i) => reportOf(s, { ...opts, shard: { index: i + 1, count }, startedAt: new Date(T0 + i * 1_000) })),
    whole: reportOf(fleet.whole, { ...opts, shard: null }),
  };
}
