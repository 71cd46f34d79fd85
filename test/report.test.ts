import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../src/metrics/collector.js';
import { decodeHistogram } from '../src/metrics/histogram.js';
import { buildReport } from '../src/report/build.js';
import { defaultReportPath, writeJsonReport } from '../src/report/json.js';
import { renderSummary } from '../src/report/summary.js';
import type { RunReport } from '../src/report/types.js';
import { reconcile, type ReconcileResult } from '../src/reconcile/findings.js';
import { createLedger } from '../src/reconcile/ledger.js';
import { stationScript } from './reconcile-events.js';
import type { Scenario } from '../src/scenario/types.js';

// buildReport reads only these scenario fields.
const scenario = { name: 'office park', seed: 42, timeScale: 60, durationMs: 8 * 3_600_000, faults: [] } as unknown as Scenario;
const LONG_ACTIONS = ['DiagnosticsStatusNotification', 'FirmwareStatusNotification', 'SignCertificateExtendedTriggerMessage'];
const ESC = '\u001b';
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

function feedMetrics() {
  const m = createMetrics();
  m.connection('CP-1', 'connected');
  m.connection('CP-1', 'accepted');
  m.connection('CP-2', 'connected');
  m.connection('CP-2', 'disconnected');
  m.call('sent', 'BootNotification', 10);
  m.call('sent', 'StartTransaction', 40);
  m.call('sent', 'StartTransaction', 30_000, 'Timeout');
  m.call('sent', 'StopTransaction', 25, 'FormationViolation');
  m.call('received', 'RemoteStopTransaction', 1.5);
  m.sessionPlugged('CP-1', 1);
  m.sessionPlugged('CP-1', 2);
  m.session({
    stationId: 'CP-1', connectorId: 1, sessionId: '1/1', idTag: 'A', origin: 'arrival', vehicle: 'compact', transactionId: 7,
    pluggedAt: 0, startedAt: 0, stoppedAt: 3_600_000, unpluggedAt: 7_200_000, meterStartWh: 100,
    meterStopWh: 7_500, energyWh: 7_400, chargingMs: 3_600_000, socStart: 0.1, socEnd: 0.6, stopReason: 'Local', outcome: 'completed', detail: null,
  });
  return m;
}

function report(partialReason: string | null = null, reconciliation?: ReconcileResult): RunReport {
  return buildReport({
    reconciliation,
    metrics: feedMetrics(),
    scenario,
    scenarioFile: 'scenarios/office.yaml',
    targetUrl: 'ws://127.0.0.1:9999/ocpp',
    embedded: true,
    plannedSessions: 3,
    plannedStations: 2,
    startedAt: new Date('2025-03-04T05:06:07.000Z'),
    endedAt: new Date('2025-03-04T05:07:08.500Z'),
    simulatedMs: 3_661_000,
    partialReason,
    csms: { schemaViolations: 2 },
    toolVersion: '0.1.0',
  });
}

const keys = (o: object) => Object.keys(o).sort();

describe('buildReport', () => {
  it('has every documented field', () => {
    const r = report();
    expect(keys(r)).toEqual([
      'csms', 'duplicates', 'energyWh', 'faults', 'health', 'incoming', 'latency', 'messages', 'partial', 'partialReason', 'reconciliation',
      'run', 'scenario', 'schemaVersion', 'sessionStats', 'sessions', 'shard', 'stations', 'target', 'thresholds', 'timeSeries', 'tool',
    ]);
    expect(keys(r.tool)).toEqual(['name', 'version']);
    expect(keys(r.scenario)).toEqual(['durationMs', 'file', 'name', 'seed', 'timeScale']);
    expect(keys(r.target)).toEqual(['embedded', 'url']);
    expect(keys(r.run)).toEqual(['endedAt', 'simulatedMs', 'startedAt', 'wallMs']);
    expect(keys(r.stations)).toEqual(['bootAccepted', 'connectedPeak', 'disconnects', 'planned']);
    expect(keys(r.sessions)).toEqual(['completed', 'failed', 'planned', 'rejected', 'started']);
    expect(keys(r.sessionStats)).toEqual(['chargingMinutes', 'energyWh', 'pluggedMinutes', 'vehicles']);
    for (const d of [r.sessionStats.energyWh, r.sessionStats.pluggedMinutes, r.sessionStats.chargingMinutes]) {
      expect(keys(d)).toEqual(['histogram', 'histogramUnit', 'max', 'mean', 'p50', 'p90']);
    }
    expect(keys(r.messages)).toEqual(['errors', 'received', 'sent', 'timeouts']);
    expect(keys(r.csms!)).toEqual(['schemaViolations']);
    const actionKeys = ['count', 'errors', 'histogram', 'max', 'mean', 'min', 'p50', 'p90', 'p95', 'p99', 'p999', 'timeouts'];
    for (const a of [...Object.values(r.latency), ...Object.values(r.incoming)]) expect(keys(a)).toEqual(actionKeys);
  });

  it('carries the right numbers', () => {
    const r = report();
    expect(r.schemaVersion).toBe(1);
    expect(r.tool).toEqual({ name: 'ev-sim', version: '0.1.0' });
    expect(r).toMatchObject({ partial: false, partialReason: null, energyWh: 7_400, csms: { schemaViolations: 2 } });
    expect(r).toMatchObject({ reconciliation: null, duplicates: null }); // no ledger kept
    expect(r.scenario).toEqual({ name: 'office park', seed: 42, file: 'scenarios/office.yaml', timeScale: 60, durationMs: 28_800_000 });
    expect(r.target).toEqual({ url: 'ws://127.0.0.1:9999/ocpp', embedded: true });
    expect(r.run).toEqual({
      startedAt: '2025-03-04T05:06:07.000Z', endedAt: '2025-03-04T05:07:08.500Z', wallMs: 61_500, simulatedMs: 3_661_000,
    });
    expect(r.stations).toEqual({ planned: 2, connectedPeak: 2, bootAccepted: 1, disconnects: 1 });
    expect(r.sessions).toEqual({ planned: 3, started: 2, completed: 1, rejected: 0, failed: 0 });
    expect(r.sessionStats.energyWh).toMatchObject({ mean: 7_400, p50: 7_400, p90: 7_400, max: 7_400 });
    expect(r.sessionStats.pluggedMinutes.mean).toBe(120);
    expect(r.sessionStats.chargingMinutes.mean).toBe(60);
    expect(r.sessionStats.vehicles).toEqual({ compact: 1 });
    expect(r.messages).toEqual({ sent: 4, received: 1, errors: 2, timeouts: 1 });
    expect(Object.keys(r.latency)).toEqual(['BootNotification', 'StartTransaction', 'StopTransaction']);
    expect(r.latency.StartTransaction).toMatchObject({ count: 2, errors: { Timeout: 1 }, timeouts: 1 });
    expect(r.latency.StopTransaction).toMatchObject({ count: 1, errors: { FormationViolation: 1 }, timeouts: 0 });
    expect(decodeHistogram(r.latency.StartTransaction.histogram).totalCount).toBe(1);
    expect(Object.keys(r.incoming)).toEqual(['RemoteStopTransaction']);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('marks a partial run', () => {
    expect(report('interrupted (SIGINT)')).toMatchObject({ partial: true, partialReason: 'interrupted (SIGINT)' });
  });
});

describe('JSON report file', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('names the file after the scenario and the UTC start time', () => {
    const path = defaultReportPath('reports', 'office park/night', new Date('2025-03-04T05:06:07.890Z'));
    expect(path).toBe(join('reports', 'office-park-night-20250304-050607.json'));
  });

  it('creates the directory and writes the report atomically', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ev-sim-report-'));
    const target = join(dir, 'nested', 'deeper', 'run.json');
    const r = report();
    await writeJsonReport(target, r);
    expect(JSON.parse(await readFile(target, 'utf8'))).toEqual(r);
    await writeJsonReport(target, report('interrupted (SIGINT)'));
    expect(JSON.parse(await readFile(target, 'utf8')).partial).toBe(true);
    expect(await readdir(join(dir, 'nested', 'deeper'))).toEqual(['run.json']); // no temp files left
  });
});

describe('renderSummary', () => {
  function bigReport(): RunReport {
    const m = feedMetrics();
    for (const action of LONG_ACTIONS) {
      for (let i = 0; i < 1500; i++) m.call('sent', action, 3_000_000 + i);
      m.call('sent', action, 5, 'NotImplemented');
      m.call('received', action, 0.25);
    }
    const r = buildReport({
      metrics: m, scenario, scenarioFile: `scenarios/${'very-long-directory-name/'.repeat(4)}office.yaml`,
      targetUrl: `wss://csms.example.com/${'ocpp/'.repeat(20)}`, embedded: false, plannedSessions: 12_345_678,
      plannedStations: 20_000, startedAt: new Date(0), endedAt: new Date(90_061_000), simulatedMs: 90_061_000 * 60,
      partialReason: 'interrupted (SIGINT) after the operator pressed Ctrl-C during a very long ramp-up phase', csms: { schemaViolations: 3 },
      toolVersion: '0.1.0',
    });
    return r;
  }
  const reportPath = `reports/${'x'.repeat(120)}.json`;

  it('keeps every line within 80 columns, coloured or not', () => {
    const r = bigReport();
    for (const color of [false, true]) {
      const lines = stripAnsi(renderSummary(r, { color, reportPath })).split('\n');
      const tooLong = lines.filter((l) => l.length > 80);
      expect(tooLong).toEqual([]);
    }
  });

  it('shows every action and the figures of the tables', () => {
    const text = renderSummary(bigReport(), { color: false, reportPath });
    for (const action of [...LONG_ACTIONS, 'BootNotification', 'RemoteStopTransaction']) expect(text).toContain(action);
    expect(text).toMatch(/StartTransaction\s+2\s+1\s+1\s/); // calls, errors, timeouts
    expect(text).toContain('schema violations 3');
    expect(text).toContain('NotImplemented 1');
    expect(text.replace(/\s+/g, '')).toContain(reportPath); // wrapped, but all there
  });

  it('has no ANSI escapes without colour and some with colour', () => {
    const r = bigReport();
    expect(renderSummary(r, { color: false })).not.toContain(ESC);
    expect(renderSummary(r, { color: true })).toContain(ESC);
  });

  it('shows the partial warning only for a partial run', () => {
    const partial = renderSummary(report('interrupted (SIGINT)'), { color: false });
    expect(partial).toContain('PARTIAL RUN: interrupted (SIGINT)');
    expect(renderSummary(report(), { color: false })).not.toContain('PARTIAL');
  });

  it('honours a wider width', () => {
    const lines = renderSummary(bigReport(), { color: false, width: 120 }).split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(120);
    expect(lines.some((l) => l.length > 80)).toBe(true);
  });
});

describe('reconciliation in the report', () => {
  const T0 = Date.UTC(2025, 0, 1, 8);

  function troubled(): ReconcileResult {
    const ledger = createLedger();
    const cp = stationScript(ledger, `EVSIM-${'LONG-IDENTITY-'.repeat(4)}0001`);
    const queued = [1, 2, 3, 4, 5].map((i) => cp.queue('StopTransaction', `1/${i}`, T0 + i * 1000));
    for (const m of queued) cp.lost(m, T0 + 60_000);
    const ok = stationScript(ledger, 'EVSIM-0002');
    ok.cleanSession('1/1', T0, 7);
    stationScript(ledger, 'EVSIM-0003').cleanSession('1/1', T0 + 10, 7);
    return reconcile(ledger, {
      runStartMs: T0,
      faults: [{ kind: 'reboot', keepQueue: false, atMs: 30_000, durationMs: 0, stations: { all: true } }],
    });
  }

  it('carries the sections into the JSON report', () => {
    const rec = troubled();
    const r = report(null, rec);
    expect(r.reconciliation).toEqual(rec.reconciliation);
    expect(r.duplicates).toEqual(rec.duplicates);
    expect(r.reconciliation).toMatchObject({ gapCount: 5, gapCounts: { lost: 5 }, maxQueueDepth: 5, csmsLedger: null });
    expect(r.reconciliation!.windows).toEqual([
      expect.objectContaining({ kind: 'reboot', atMs: 30_000, durationMs: 0, maxQueueDepth: 5 }),
    ]);
    expect(keys(r.reconciliation!)).toEqual([
      'csmsLedger', 'gapCount', 'gapCounts', 'gaps', 'maxQueueDepth', 'timeToReconcile', 'truncated', 'windows',
    ]);
    expect(keys(r.duplicates!)).toEqual(['count', 'counts', 'items', 'truncated']);
    expect(r.duplicates!.counts.transactionIdReused).toBe(1);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('groups findings by kind with the first three examples, within 80 columns', () => {
    const r = report(null, troubled());
    for (const color of [false, true]) {
      const lines = stripAnsi(renderSummary(r, { color })).split('\n');
      expect(lines.filter((l) => l.length > 80)).toEqual([]);
    }
    const text = renderSummary(r, { color: false });
    expect(text).toMatch(/Reconcile\s+gaps 5  duplicates 1  max queue depth 5/);
    expect(text).toContain('  lost 5\n');
    expect(text.match(/StopTransaction seq \d was lost/g)).toHaveLength(3); // wrapped, not cut
    expect(text).toContain('    ... and 2 more');
    expect(text).toContain('  transactionIdReused 1\n');
    expect(text).toContain('EVSIM-0003 1/1: transactionId 7 was issued before to EVSIM-0002');
    expect(text).toContain('  reboot at 30.0s for 0ms: max queue 5, nothing acknowledged\n');
    expect(text).toMatch(/Ack time\s+p50 40ms  p95 50ms  max 50ms/);
    expect(text).not.toContain('no gaps');
  });

  it('says so in one line when there is nothing to report', () => {
    const ledger = createLedger();
    stationScript(ledger, 'EVSIM-0001').cleanSession('1/1', T0, 1);
    const text = renderSummary(report(null, reconcile(ledger, { runStartMs: T0, faults: [] })), { color: false });
    expect(text).toContain('\nreconciliation: no gaps, no duplicates\n');
    expect(text).not.toContain('Reconcile ');
    expect(renderSummary(report(), { color: false })).not.toMatch(/reconcil/i);
  });
});
