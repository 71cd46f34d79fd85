import { describe, expect, it } from 'vitest';
import { createLatencyHistogram, encodeHistogram, latencyStats, recordMs } from '../src/metrics/histogram.js';
import type { TimeSeriesPoint } from '../src/metrics/timeseries.js';
import { mergeReports } from '../src/report/merge.js';
import { mergeTimeSeries } from '../src/report/merge-series.js';
import { mergeActionReport } from '../src/report/merge-stats.js';
import { asRunReport, MergeError, type MergeInput } from '../src/report/merge-validate.js';
import type { ActionReport, RunReport } from '../src/report/types.js';
import { createRngRoot, logNormal } from '../src/util/rng.js';
import { playFleet, reportOf, reportsOf, scenario } from './merge-fixtures.js';

const inputs = (reports: RunReport[]): MergeInput[] => reports.map((report, i) => ({ file: `shard-${i + 1}.json`, report }));
const withoutHistogram = ({ histogram: _h, ...rest }: { histogram?: string }) => rest;

function mergeError(f: () => unknown): MergeError {
  try {
    f();
  } catch (err) {
    if (err instanceof MergeError) return err;
    throw err;
  }
  throw new Error('expected a MergeError');
}

describe('latency: 3 histograms merged equal 1 histogram of every sample', () => {
  it('for known samples recorded into 3 action reports against one', () => {
    const rng = createRngRoot(3).stream('samples');
    const parts = [createLatencyHistogram(), createLatencyHistogram(), createLatencyHistogram()];
    const all = createLatencyHistogram();
    for (let i = 0; i < 5_000; i++) {
      const ms = logNormal(rng, 30, 1.5);
      recordMs(parts[i % 3], ms);
      recordMs(all, ms);
    }
    const actionReport = (h: ReturnType<typeof createLatencyHistogram>): ActionReport => {
      const { count, ...stats } = latencyStats(h);
      return { count, errors: {}, timeouts: 0, ...stats, histogram: encodeHistogram(h) };
    };
    const merged = mergeActionReport(parts.map(actionReport));
    expect(withoutHistogram(merged)).toEqual(withoutHistogram(actionReport(all)));
    expect(merged.count).toBe(5_000);
    expect(merged.p99).toBeLessThan(merged.max);
  });

  it('for whole reports: every action and direction, with counts, errors and timeouts summed', () => {
    const { shards, whole } = reportsOf(playFleet(7, 3));
    const merged = mergeReports(inputs(shards));
    for (const table of ['latency', 'incoming'] as const) {
      expect(Object.keys(merged[table])).toEqual(Object.keys(whole[table]));
      for (const [action, a] of Object.entries(whole[table])) {
        expect(withoutHistogram(merged[table][action]), `${table}.${action}`).toEqual(withoutHistogram(a));
      }
    }
    expect(merged.latency.StartTransaction.errors.Timeout).toBeGreaterThan(0);
  });
});

describe('mergeReports against the unsharded report of the same fleet', () => {
  const fleet = playFleet(7, 3, true);
  const { shards, whole } = reportsOf(fleet, { thresholds: ['sessions.completed >= 28', 'reconciliation.gapCount == 0'] });
  const merged = mergeReports(inputs(shards), { toolVersion: '9.9.9' });

  it('sums the counts and covers every shard', () => {
    for (const key of ['stations', 'sessions', 'messages'] as const) expect(merged[key]).toEqual(whole[key]);
    expect(merged.energyWh).toBe(whole.energyWh);
    expect(merged.sessions.planned).toBe(28);
    expect(merged.shard).toBeNull();
    expect(merged.merged).toEqual({ shards: [1, 2, 3].map((index) => ({ index, count: 3, file: `shard-${index}.json` })) });
    expect(merged.tool.version).toBe('9.9.9');
    expect(merged.partial).toBe(false);
    expect(merged.run).toEqual({
      startedAt: shards[0].run.startedAt, endedAt: shards[2].run.endedAt, wallMs: 62_000, simulatedMs: 3_600_000,
    });
  });

  it('merges per-session statistics losslessly (mean weighted by count)', () => {
    for (const name of ['energyWh', 'pluggedMinutes', 'chargingMinutes'] as const) {
      const m = merged.sessionStats[name];
      const w = whole.sessionStats[name];
      expect({ p50: m.p50, p90: m.p90, max: m.max }, name).toEqual({ p50: w.p50, p90: w.p90, max: w.max });
      expect(m.mean, name).toBeCloseTo(w.mean, 2);
      expect(m.histogramUnit).toBe(w.histogramUnit);
    }
    expect(merged.sessionStats.vehicles).toEqual(whole.sessionStats.vehicles);
  });

  it('merges time to reconcile overall and per fault window', () => {
    const rec = merged.reconciliation!;
    const want = whole.reconciliation!;
    expect(withoutHistogram(rec.timeToReconcile)).toEqual(withoutHistogram(want.timeToReconcile));
    expect(rec.timeToReconcile.count).toBe(28);
    expect(rec.windows.map((w) => ({ ...w, timeToReconcile: withoutHistogram(w.timeToReconcile) }))).toEqual(
      want.windows.map((w) => ({ ...w, timeToReconcile: withoutHistogram(w.timeToReconcile) })),
    );
    expect(rec.maxQueueDepth).toBe(want.maxQueueDepth);
  });

  it('unions the findings, capping each list at 100 and counting every one', () => {
    const rec = merged.reconciliation!;
    expect(rec.gapCounts).toEqual(whole.reconciliation!.gapCounts);
    expect(rec.gapCount).toBe(140);
    expect(rec.gaps.unacknowledged).toEqual(whole.reconciliation!.gaps.unacknowledged);
    expect(rec.gaps.unacknowledged).toHaveLength(100);
    expect(rec.truncated).toBe(40);
    expect(rec).not.toHaveProperty('transactionIds');
  });

  it('finds a transactionId issued in two shards, as the unsharded run does', () => {
    expect(shards[0].reconciliation!.transactionIds).toMatchObject({ 'CP-1': expect.arrayContaining([7777]) });
    expect(shards.map((s) => s.duplicates!.count)).toEqual([0, 0, 0]);
    expect(merged.duplicates!.counts).toEqual(whole.duplicates!.counts);
    expect(merged.duplicates!.items.transactionIdReused).toEqual([
      expect.objectContaining({ stationId: 'CP-2', transactionId: 7777, sessionId: null, detail: expect.stringContaining('CP-1 (shard 1/3)') }),
    ]);
  });

  it('evaluates the thresholds again on the merged figures', () => {
    expect(shards[0].thresholds[0].pass).toBe(false);
    expect(merged.thresholds.map((t) => [t.expression, t.pass])).toEqual([
      ['sessions.completed >= 28', true],
      ['reconciliation.gapCount == 0', false],
    ]);
  });

  it('notes what is an upper bound', () => {
    expect(merged.mergeNotes).toEqual([expect.stringContaining('connectedPeak is the sum')]);
    expect(merged.stations.connectedPeak).toBe(7);
  });
});

describe('merging reports without histograms (older ev-sim)', () => {
  it('merges counts, means and maxima, takes percentiles from the largest shard, and says so', () => {
    const { shards } = reportsOf(playFleet(5, 2));
    const old = shards.map((r) => structuredClone(r));
    for (const r of old) {
      delete r.sessionStats.energyWh.histogram;
      delete r.reconciliation!.timeToReconcile.histogram;
      delete r.reconciliation!.transactionIds;
    }
    const merged = mergeReports(inputs(old));
    const big = old[0]; // 3 stations against 2
    expect(merged.sessionStats.energyWh).toMatchObject({ p50: big.sessionStats.energyWh.p50, p90: big.sessionStats.energyWh.p90 });
    expect(merged.sessionStats.energyWh.max).toBe(Math.max(...old.map((r) => r.sessionStats.energyWh.max)));
    expect(merged.sessionStats.energyWh.mean).toBeCloseTo((old[0].sessionStats.energyWh.mean * 12 + old[1].sessionStats.energyWh.mean * 8) / 20, 3);
    expect(merged.reconciliation!.timeToReconcile).toMatchObject({ count: 20, p95: big.reconciliation!.timeToReconcile.p95 });
    expect(merged.mergeNotes).toEqual(expect.arrayContaining([
      expect.stringMatching(/^sessionStats\.energyWh: p50 and p90 are those of the largest shard/),
      expect.stringMatching(/^reconciliation\.timeToReconcile: /),
      expect.stringMatching(/transactionId issued in two shards cannot be found/),
    ]));
  });

  it('does not compare transactionIds of shards that each ran their own embedded CSMS', () => {
    const { shards } = reportsOf(playFleet(4, 2, true), { embedded: true });
    const merged = mergeReports(inputs(shards));
    expect(merged.duplicates!.count).toBe(0);
    expect(merged.mergeNotes).toEqual(expect.arrayContaining([expect.stringContaining('own embedded CSMS')]));
  });
});

describe('validation', () => {
  const { shards } = reportsOf(playFleet(6, 3));

  it('refuses reports of another scenario, seed or duration', () => {
    const other = reportOf(playFleet(2, 1).shards[0], { shard: { index: 3, count: 3 }, scenario: scenario({ seed: 6 }) });
    const err = mergeError(() => mergeReports(inputs([shards[0], shards[1], other])));
    expect(err.kind).toBe('mismatch');
    expect(err.message).toMatch(/shard-3\.json: scenario "merge-demo" seed 6 .* differs from shard-1\.json: scenario "merge-demo" seed 5/);
  });

  it('refuses a shard given twice, and different shard counts', () => {
    const err = mergeError(() => mergeReports(inputs([shards[0], shards[1], shards[1]])));
    expect(err).toMatchObject({ kind: 'mismatch', message: 'shard 2/3 given twice: shard-2.json and shard-3.json' });
    const four = reportOf(playFleet(2, 1).shards[0], { shard: { index: 3, count: 4 } });
    expect(mergeError(() => mergeReports(inputs([shards[0], four]))).message).toMatch(/shard 3\/4, but .* is shard 1\/3/);
  });

  it('refuses missing shards, listing them, unless partial merges are allowed', () => {
    const err = mergeError(() => mergeReports(inputs([shards[1]])));
    expect(err).toMatchObject({ kind: 'mismatch', message: expect.stringContaining('shards 1/3, 3/3 missing') });
    const partial = mergeReports(inputs([shards[1]]), { allowPartial: true });
    expect(partial).toMatchObject({ partial: true, partialReason: 'shards 1/3, 3/3 missing' });
    expect(partial.sessions).toEqual(shards[1].sessions);
  });

  it('refuses to merge whole-fleet reports, and accepts one alone', () => {
    const whole = reportOf(playFleet(2, 1).whole, { shard: null });
    expect(mergeError(() => mergeReports(inputs([whole, whole]))).message).toMatch(/not a shard report/);
    expect(mergeReports(inputs([whole])).merged).toEqual({ shards: [{ index: 1, count: 1, file: 'shard-1.json' }] });
  });

  it('says why a file is not a usable report', () => {
    const bad = (data: unknown) => mergeError(() => asRunReport('x.json', data));
    expect(bad([1, 2])).toMatchObject({ kind: 'invalid-report', message: 'x.json: not an ev-sim run report' });
    expect(bad({ ...shards[0], schemaVersion: 2 }).message).toBe('x.json: report schemaVersion 2 is not supported (this ev-sim reads 1)');
    expect(bad({ ...shards[0], sessions: { ...shards[0].sessions, completed: 'many' } }).message).toBe('x.json: sessions.completed is not a number');
    const broken = structuredClone(shards[0]);
    broken.latency.Heartbeat.histogram = 'not base64!';
    expect(bad(broken).message).toBe('x.json: latency.Heartbeat.histogram is not an encoded HdrHistogram');
    const { timeSeries: _t, ...older } = shards[0];
    expect(asRunReport('x.json', JSON.parse(JSON.stringify(older))).timeSeries).toBeNull();
  });
});

describe('time series', () => {
  const point = (tMs: number, over: Partial<TimeSeriesPoint> = {}): TimeSeriesPoint => ({
    tMs, simMs: tMs * 60, connected: 2, activeSessions: 1, completedSessions: 1, messagesPerSecond: 10, p95Ms: 5, queueDepth: 1, errors: 0, ...over,
  });

  it('coarsens the finer series and adds the shards side by side per interval', () => {
    const fine = { intervalMs: 1_000, points: [point(1_000), point(2_000, { p95Ms: 9, messagesPerSecond: 30 }), point(3_000), point(3_500, { connected: 0 })] };
    const coarse = { intervalMs: 2_000, points: [point(2_010, { p95Ms: 7 }), point(4_020, { errors: 3, p95Ms: null })] };
    const merged = mergeTimeSeries([fine, null, coarse])!;
    expect(merged.intervalMs).toBe(2_000);
    expect(merged.points).toEqual([
      { tMs: 2_010, simMs: 120_600, connected: 4, activeSessions: 2, completedSessions: 3, messagesPerSecond: 30, p95Ms: 9, queueDepth: 2, errors: 0 },
      { tMs: 4_020, simMs: 241_200, connected: 2, activeSessions: 2, completedSessions: 3, messagesPerSecond: 20, p95Ms: 5, queueDepth: 2, errors: 3 },
    ]);
    expect(mergeTimeSeries([null, null])).toBeNull();
  });
});
