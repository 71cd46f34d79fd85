/**
 * A realistic run report for the HTML tests: real HDR histograms (seeded latencies), a time series with
 * a fault, thresholds, reconciliation and duplicate findings, conformance results. `hostile` puts markup
 * into every string a scenario, CSMS or station could control.
 */
import { createMetrics } from '../src/metrics/collector.js';
import { createTimeSeries } from '../src/metrics/timeseries.js';
import { buildReport } from '../src/report/build.js';
import type { HtmlReportInput } from '../src/report/html.js';
import type { DuplicateKind, DuplicatesReport, Finding, GapKind, ReconciliationReport } from '../src/report/types.js';
import type { Scenario } from '../src/scenario/types.js';
import { createRngRoot, logNormal } from '../src/util/rng.js';

export const XSS = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">';

/** Outgoing actions with replies, and how many calls each gets. */
export const SENT_ACTIONS: Record<string, number> = {
  BootNotification: 200,
  Heartbeat: 800,
  StartTransaction: 400,
  MeterValues: 3000,
  StopTransaction: 390,
};

const GAP_KINDS: GapKind[] = ['unacknowledged', 'discarded', 'callerror', 'lost', 'noTransactionId', 'rejectedAfterTheFact', 'missingInCsms', 'openInCsms', 'energyMismatch'];
const DUP_KINDS: DuplicateKind[] = ['transactionIdReused', 'sessionGotTwoIds', 'stopAcceptedTwice', 'phantom', 'duplicateInCsms'];

function record<K extends string, V>(keys: K[], value: () => V): Record<K, V> {
  return Object.fromEntries(keys.map((k) => [k, value()])) as Record<K, V>;
}

function metricsFor(hostile: boolean) {
  const rng = createRngRoot(11).stream('test/html/latency');
  const m = createMetrics();
  for (const [action, n] of Object.entries(SENT_ACTIONS)) {
    const median = action === 'MeterValues' ? 4 : action === 'StartTransaction' ? 35 : 12;
    for (let i = 0; i < n; i++) m.call('sent', action, logNormal(rng, median, 0.6));
  }
  m.call('sent', 'StartTransaction', 30_000, 'Timeout');
  m.call('sent', 'StopTransaction', 20, 'FormationViolation');
  m.call('sent', hostile ? `Data<b>Transfer</b>` : 'DataTransfer', 30_000, 'Timeout'); // no replies: no curve
  for (let i = 0; i < 50; i++) m.call('received', 'RemoteStartTransaction', logNormal(rng, 1.5, 0.4));
  for (let i = 1; i <= 3; i++) {
    m.connection(`CP-${i}`, 'connected');
    m.connection(`CP-${i}`, 'accepted');
  }
  for (let n = 1; n <= 12; n++) {
    m.sessionPlugged('CP-1', 1);
    const outcome = n === 11 ? 'rejected' : n === 12 ? 'failed' : 'completed';
    const energyWh = outcome === 'completed' ? 4000 + n * 900 : 0;
    m.session({
      stationId: 'CP-1', connectorId: 1, sessionId: `1/${n}`, idTag: hostile ? XSS : 'TAG-A', origin: 'arrival', vehicle: 'compact',
      transactionId: n, pluggedAt: 0, startedAt: 0, stoppedAt: 3_000_000, unpluggedAt: 3_600_000 + n * 60_000,
      meterStartWh: 0, meterStopWh: energyWh, energyWh, chargingMs: 2_400_000, socStart: 0.2, socEnd: 0.7,
      stopReason: 'Local', outcome, detail: null,
    });
  }
  return m;
}

function finding(kind: Finding['kind'], hostile: boolean, n: number): Finding {
  return {
    kind,
    stationId: hostile ? `CP-${n}${XSS}` : `CP-${n}`,
    connectorId: 1,
    sessionId: `1/${n}`,
    transactionId: 100 + n,
    action: 'StopTransaction',
    seq: n,
    detail: hostile ? `idTag ${XSS} was rejected` : `StopTransaction #${n} was still queued at the end`,
  };
}

function reconciliation(hostile: boolean): ReconciliationReport {
  const gaps = record(GAP_KINDS, (): Finding[] => []);
  gaps.unacknowledged = [finding('unacknowledged', hostile, 1), finding('unacknowledged', hostile, 2)];
  gaps.energyMismatch = [{ ...finding('energyMismatch', hostile, 3), stationWh: 7400, csmsWh: 7000 }];
  const gapCounts = record(GAP_KINDS, () => 0);
  gapCounts.unacknowledged = 2;
  gapCounts.energyMismatch = 1;
  const ttr = { count: 800, p50: 1200, p95: 95_000, max: 240_000 };
  return {
    gapCount: 3,
    gaps,
    gapCounts,
    truncated: 0,
    timeToReconcile: ttr,
    maxQueueDepth: 9,
    windows: [{ kind: 'partition', atMs: 3_600_000, durationMs: 1_800_000, maxQueueDepth: 9, timeToReconcile: ttr }],
    csmsLedger: { source: hostile ? `http://csms/${XSS}` : 'embedded', transactions: 390 },
  };
}

function duplicates(hostile: boolean): DuplicatesReport {
  const items = record(DUP_KINDS, (): Finding[] => []);
  items.sessionGotTwoIds = [{ ...finding('sessionGotTwoIds', hostile, 4), transactionIds: [104, 105] }];
  const counts = record(DUP_KINDS, () => 0);
  counts.sessionGotTwoIds = 1;
  return { count: 1, items, counts, truncated: 0 };
}

/** A 2-minute wall run at time scale 60 (2 simulated hours), one point per second, a partition at 1 h. */
function timeSeries() {
  const ts = createTimeSeries({ intervalMs: 1000, maxPoints: 240 });
  for (let s = 1; s <= 120; s++) {
    const down = s > 60 && s <= 90;
    ts.record({
      tMs: s * 1000,
      simMs: s * 60_000,
      connected: down ? 1 : 3,
      activeSessions: Math.min(6, Math.floor(s / 10)),
      completedSessions: s % 7 === 0 ? 1 : 0,
      messagesPerSecond: down ? 2 : 40 + (s % 5),
      p95Ms: down ? null : 20 + (s % 9),
      queueDepth: down ? s - 60 : 0,
      errors: down ? 1 : 0,
    });
  }
  return ts.toJSON();
}

export function fixtureReport(opts: { hostile?: boolean; partial?: boolean } = {}): HtmlReportInput {
  const hostile = opts.hostile ?? false;
  const name = hostile ? `depot ${XSS}` : 'depot night shift';
  const scenario = { name, seed: 42, timeScale: 60, durationMs: 2 * 3_600_000, faults: [] } as unknown as Scenario;
  const base = buildReport({
    metrics: metricsFor(hostile),
    scenario,
    scenarioFile: hostile ? `scenarios/${XSS}.yaml` : 'scenarios/depot.yaml',
    targetUrl: hostile ? `ws://127.0.0.1:9/ocpp/"><script>alert(1)</script>` : 'ws://127.0.0.1:9/ocpp',
    embedded: true,
    plannedSessions: 420,
    plannedStations: 3,
    startedAt: new Date('2025-03-04T05:06:07.000Z'),
    endedAt: new Date('2025-03-04T05:08:07.000Z'),
    simulatedMs: 7_200_000,
    partialReason: opts.partial ? (hostile ? `interrupted ${XSS}` : 'interrupted (SIGINT)') : null,
    csms: { schemaViolations: 0 },
    toolVersion: hostile ? `0.1.0${XSS}` : '0.1.0',
    reconciliation: { reconciliation: reconciliation(hostile), duplicates: duplicates(hostile) },
  });
  return {
    ...base,
    timeSeries: timeSeries(),
    faults: [{ kind: hostile ? `partition${XSS}` : 'partition', atMs: 3_600_000, durationMs: 1_800_000 }],
    thresholds: [
      { expression: 'latency.StartTransaction.p95 < 800', actual: 61.2, pass: true, detail: 'latency.StartTransaction.p95 = 61.2, expected < 800' },
      { expression: hostile ? `x < 1 ${XSS}` : 'reconciliation.gapCount == 0', actual: 3, pass: false, detail: hostile ? XSS : 'reconciliation.gapCount = 3, expected == 0' },
    ],
    conformance: {
      passed: 1,
      failed: 1,
      results: [
        { check: 'BootNotification accepted', status: 'pass', detail: 'interval 300 s' },
        { check: hostile ? XSS : 'RemoteStop unknown tx', status: 'fail', detail: hostile ? XSS : 'CSMS answered Accepted' },
      ],
    },
  };
}
