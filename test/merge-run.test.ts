/**
 * Three shards of one scenario run side by side with runScenario against one CSMS on port 0; their
 * reports merge into the fleet's. Each shard's events also feed one whole-fleet collector, so the
 * merged figures can be checked against what one collector of every sample says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario, type RunOutcome } from '../src/api.js';
import { startCsms, type CsmsHandle } from '../src/csms/server.js';
import { planStationSessions } from '../src/fleet/plan.js';
import { stationSpec } from '../src/fleet/identity.js';
import { rampOffsetMs } from '../src/fleet/ramp.js';
import { createMetrics, type Metrics } from '../src/metrics/collector.js';
import { fanOut } from '../src/metrics/fanout.js';
import { decodeHistogram, latencyStats, mergeHistograms, percentileOf } from '../src/metrics/histogram.js';
import { reconcile } from '../src/reconcile/findings.js';
import { createLedger, type Ledger } from '../src/reconcile/ledger.js';
import { buildReport } from '../src/report/build.js';
import { mergeReports } from '../src/report/merge.js';
import type { RunReport } from '../src/report/types.js';
import type { Scenario } from '../src/scenario/types.js';
import { createRngRoot } from '../src/util/rng.js';
import { scenarioFrom } from './support/scenario.js';

/** Seven stations (shards of 3, 2 and 2), 4 simulated minutes at 120× (2 s wall). */
const SCENARIO: Scenario = scenarioFrom(`
version: 1
name: merge-run
seed: 21
fleet:
  stations: 7
  connectors: [Type2, { type: CCS2, maxPowerKw: 50 }]
sessions:
  arrivalsPerHour: 30
  plugDuration: { min: 1m, max: 3m }
  idTags: { known: [TAG-A, TAG-B], unknownShare: 0, blockedShare: 0 }
meter:
  sampleInterval: 30s
  measurands: [Energy.Active.Import.Register, Power.Active.Import]
rampUp: { stationsPerSecond: 50 }
duration: 4m
gracePeriod: 3s
timeScale: 120
`);
const COUNT = 3;

/** Sessions an unsharded run plans: every station's plan, drawn from the seed alone. */
function unshardedPlan(s: Scenario): number {
  const root = createRngRoot(s.seed);
  let n = 0;
  for (let i = 1; i <= s.fleet.stations; i++) {
    const offset = rampOffsetMs(i, s.rampUp.stationsPerSecond, s.timeScale);
    n += planStationSessions(s, stationSpec(s.fleet, i), root, offset).length;
  }
  return n;
}

async function runShard(csms: CsmsHandle, index: number, whole: { metrics: Metrics; ledger: Ledger }) {
  const metrics = createMetrics();
  const ledger = createLedger();
  const shard = { index, count: COUNT };
  const outcome = await runScenario(SCENARIO, {
    targetUrl: csms.url,
    password: null,
    observer: fanOut(metrics, ledger, whole.metrics, whole.ledger),
    shard,
  });
  const report = buildReport({
    metrics, scenario: SCENARIO, scenarioFile: 'merge-run.yaml', targetUrl: csms.url, embedded: false,
    plannedSessions: outcome.plannedSessions, plannedStations: outcome.plannedStations,
    startedAt: outcome.startedAt, endedAt: outcome.endedAt, simulatedMs: outcome.simulatedMs,
    partialReason: outcome.partialReason, csms: null, toolVersion: 'test',
    reconciliation: reconcile(ledger, { runStartMs: outcome.startedAt.getTime(), faults: SCENARIO.faults }),
    shard,
  });
  return { outcome, report };
}

describe('merging the reports of three shards run side by side', () => {
  let csms: CsmsHandle;
  const whole = { metrics: createMetrics(), ledger: createLedger() };
  let shards: { outcome: RunOutcome; report: RunReport }[];
  let merged: RunReport;

  beforeAll(async () => {
    csms = await startCsms({ host: '127.0.0.1', port: 0, acceptedIdTags: SCENARIO.sessions.idTags.known });
    shards = await Promise.all([1, 2, 3].map((i) => runShard(csms, i, whole)));
    merged = mergeReports(shards.map((s, i) => ({ file: `shard-${i + 1}.json`, report: s.report })));
  });
  afterAll(() => csms?.close());

  it('covers the unsharded fleet and plan exactly, with disjoint identities', () => {
    const ids = shards.map((s) => s.outcome.identities);
    expect(ids.map((x) => x.length)).toEqual([3, 2, 2]);
    expect(new Set(ids.flat()).size).toBe(7);
    expect(merged.stations.planned).toBe(7);
    expect(merged.sessions.planned).toBe(unshardedPlan(SCENARIO));
    expect(merged.sessions.planned).toBeGreaterThan(5);
    expect(merged.partial).toBe(false);
    expect(merged.merged!.shards.map((s) => s.index)).toEqual([1, 2, 3]);
  });

  it('adds up what the shards did, as one collector of every event counted it', () => {
    const parts = whole.metrics.toReportParts();
    expect(merged.sessions).toEqual({ planned: merged.sessions.planned, ...parts.sessions });
    expect(merged.sessions.completed).toBeGreaterThan(0);
    expect(merged.messages).toEqual(parts.messages);
    expect(merged.energyWh).toBe(parts.energyWh);
    expect(merged.stations.bootAccepted).toBe(7);
  });

  it('has the latency percentiles of the shards\' raw histograms merged', () => {
    const parts = whole.metrics.toReportParts();
    for (const [action, a] of Object.entries(merged.latency)) {
      const raw = mergeHistograms(shards.flatMap((s) => (s.report.latency[action] ? [decodeHistogram(s.report.latency[action].histogram)] : [])));
      const max = Math.max(...shards.map((s) => s.report.latency[action]?.max ?? 0));
      for (const p of [50, 90, 95, 99, 99.9] as const) {
        const key = p === 99.9 ? 'p999' : (`p${p}` as const);
        expect(a[key], `${action} ${key}`).toBe(Math.min(percentileOf(raw, p, 1000), max));
      }
      expect(a.count).toBe(shards.reduce((n, s) => n + (s.report.latency[action]?.count ?? 0), 0));
      expect(latencyStats(decodeHistogram(a.histogram)).count).toBe(raw.totalCount);
      // ... and the figures one histogram of every sample gives.
      const { histogram: _m, ...mine } = a;
      const { histogram: _w, ...want } = parts.latency[action];
      expect(mine, action).toEqual(want);
    }
    expect(Object.keys(merged.latency)).toEqual(expect.arrayContaining(['BootNotification', 'StartTransaction', 'StopTransaction']));
  });

  it('reconciles as one ledger of the whole fleet does', () => {
    const all = reconcile(whole.ledger, { runStartMs: shards[0].outcome.startedAt.getTime(), faults: [] });
    expect(merged.reconciliation!.gapCounts).toEqual(all.reconciliation.gapCounts);
    expect(merged.duplicates!.counts).toEqual(all.duplicates.counts);
    expect(merged.duplicates!.count).toBe(0);
    const { histogram: _m, ...ttr } = merged.reconciliation!.timeToReconcile;
    const { histogram: _w, ...want } = all.reconciliation.timeToReconcile;
    expect(ttr).toEqual(want);
    expect(ttr.count).toBeGreaterThan(0);
    const ids = shards.map((s) => Object.values(s.report.reconciliation!.transactionIds!).flat());
    expect(new Set(ids.flat()).size).toBe(ids.flat().length);
  });
});
