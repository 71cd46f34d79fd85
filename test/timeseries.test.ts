import { describe, expect, it } from 'vitest';
import type { MetricsSnapshot } from '../src/metrics/collector.js';
import { createIntervalProbe, createRunSampler, createTimeSeries, mergePoints } from '../src/metrics/timeseries.js';
import type { TimeSeriesPoint, TimeSeriesReport } from '../src/metrics/timeseries.js';
import type { TxMessageEvent } from '../src/metrics/types.js';
import { createRngRoot } from '../src/util/rng.js';

function point(tMs: number, over: Partial<TimeSeriesPoint> = {}): TimeSeriesPoint {
  return {
    tMs, simMs: tMs * 60, connected: 10, activeSessions: 4, completedSessions: 1,
    messagesPerSecond: 50, p95Ms: 20, queueDepth: 0, errors: 0, ...over,
  };
}

/** Messages implied by the rates: Σ rate × the wall span each point covers. */
function messagesOf(report: TimeSeriesReport): number {
  let last = 0;
  let total = 0;
  for (const p of report.points) {
    total += (p.messagesPerSecond * (p.tMs - last)) / 1000;
    last = p.tMs;
  }
  return total;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('createTimeSeries', () => {
  it('keeps every point at full resolution until maxPoints', () => {
    const ts = createTimeSeries({ intervalMs: 1000, maxPoints: 10 });
    for (let s = 1; s <= 9; s++) ts.record(point(s * 1000, { errors: s }));
    const r = ts.toJSON();
    expect(r.intervalMs).toBe(1000);
    expect(r.points.map((p) => p.errors)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('halves the resolution at maxPoints: counts add, rates average, p95 and queue keep the max, gauges the last', () => {
    const ts = createTimeSeries({ intervalMs: 500, maxPoints: 4 });
    ts.record(point(500, { connected: 1, completedSessions: 2, messagesPerSecond: 10, p95Ms: 30, queueDepth: 7, errors: 1 }));
    ts.record(point(1000, { connected: 2, completedSessions: 3, messagesPerSecond: 30, p95Ms: null, queueDepth: 2, errors: 0 }));
    ts.record(point(1500, { connected: 3, activeSessions: 9, p95Ms: null, queueDepth: 0 }));
    ts.record(point(2000, { connected: 4, activeSessions: 1, p95Ms: 12, queueDepth: 5 }));
    const r = ts.toJSON();
    expect(r.intervalMs).toBe(1000);
    expect(r.points).toEqual([
      { tMs: 1000, simMs: 60_000, connected: 2, activeSessions: 4, completedSessions: 5, messagesPerSecond: 20, p95Ms: 30, queueDepth: 7, errors: 1 },
      { tMs: 2000, simMs: 120_000, connected: 4, activeSessions: 1, completedSessions: 2, messagesPerSecond: 50, p95Ms: 12, queueDepth: 5, errors: 0 },
    ]);
    // Later samples fill buckets of the coarser interval: the third bucket completes after two more.
    ts.record(point(2500, { errors: 4 }));
    expect(ts.toJSON().points).toHaveLength(3);
    expect(ts.toJSON().points[2]).toMatchObject({ tMs: 2500, errors: 4 });
    ts.record(point(3000, { errors: 6 }));
    expect(ts.toJSON().points[2]).toMatchObject({ tMs: 3000, errors: 10 });
    ts.record(point(3500));
    expect(ts.toJSON().points).toHaveLength(4);
  });

  it('stays within maxPoints over a long run and keeps the totals, peaks and last gauges', () => {
    const rng = createRngRoot(3).stream('test/timeseries/synthetic');
    const maxPoints = 50;
    const ts = createTimeSeries({ intervalMs: 1000, maxPoints });
    const truth = { completed: 0, errors: 0, messages: 0, p95: 0, queue: 0 };
    let last = point(0);
    for (let s = 1; s <= 100_000; s++) {
      const p = point(s * 1000, {
        connected: Math.floor(rng() * 1000),
        activeSessions: Math.floor(rng() * 500),
        completedSessions: Math.floor(rng() * 5),
        messagesPerSecond: rng() * 400,
        p95Ms: rng() < 0.1 ? null : rng() * 900,
        queueDepth: Math.floor(rng() * 60),
        errors: rng() < 0.2 ? Math.floor(rng() * 4) : 0,
      });
      truth.completed += p.completedSessions;
      truth.errors += p.errors;
      truth.messages += p.messagesPerSecond;
      truth.p95 = Math.max(truth.p95, p.p95Ms ?? 0);
      truth.queue = Math.max(truth.queue, p.queueDepth);
      ts.record(p);
      last = p;
      if (s % 997 === 0) expect(ts.toJSON().points.length).toBeLessThanOrEqual(maxPoints);
    }
    const r = ts.toJSON();
    expect(r.points.length).toBeLessThanOrEqual(maxPoints);
    expect(r.points.length).toBeGreaterThan(maxPoints / 2 - 1);
    expect(Math.log2(r.intervalMs / 1000) % 1).toBe(0);
    expect(r.intervalMs * r.points.length).toBeGreaterThanOrEqual(100_000 * 1000);
    expect(sum(r.points.map((p) => p.completedSessions))).toBe(truth.completed);
    expect(sum(r.points.map((p) => p.errors))).toBe(truth.errors);
    expect(messagesOf(r)).toBeCloseTo(truth.messages, 3);
    expect(Math.max(...r.points.map((p) => p.p95Ms ?? 0))).toBe(truth.p95);
    expect(Math.max(...r.points.map((p) => p.queueDepth))).toBe(truth.queue);
    expect(r.points[r.points.length - 1]).toMatchObject({ tMs: last.tMs, connected: last.connected, activeSessions: last.activeSessions });
    const times = r.points.map((p) => p.tMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('handles an odd maxPoints without losing samples', () => {
    const ts = createTimeSeries({ intervalMs: 1000, maxPoints: 5 });
    for (let s = 1; s <= 1000; s++) ts.record(point(s * 1000, { errors: 1, completedSessions: 2 }));
    const r = ts.toJSON();
    expect(r.points.length).toBeLessThanOrEqual(5);
    expect(sum(r.points.map((p) => p.errors))).toBe(1000);
    expect(sum(r.points.map((p) => p.completedSessions))).toBe(2000);
    expect(messagesOf(r)).toBeCloseTo(50 * 1000, 6);
  });

  it('rejects options it cannot honour', () => {
    expect(() => createTimeSeries({ intervalMs: 0, maxPoints: 10 })).toThrow(/interval/);
    expect(() => createTimeSeries({ intervalMs: 1000, maxPoints: 1 })).toThrow(/maxPoints/);
  });

  it('mergePoints weights rates by the wall time each point covers', () => {
    const merged = mergePoints(point(1000, { messagesPerSecond: 10 }), point(4000, { messagesPerSecond: 50 }), 1000, 3000);
    expect(merged.messagesPerSecond).toBe(40);
  });
});

function txEvent(stationId: string, queueDepth: number): TxMessageEvent {
  return {
    kind: 'queued', stationId, connectorId: 1, sessionId: '1/1', action: 'MeterValues', seq: 1,
    createdAt: 0, at: 0, transactionId: null, queueDepth,
  };
}

describe('createIntervalProbe', () => {
  it('gives the p95 of the replied calls the stations sent in each interval, then starts afresh', () => {
    const probe = createIntervalProbe();
    expect(probe.take().p95Ms).toBeNull();
    for (let i = 1; i <= 100; i++) probe.call('sent', 'Heartbeat', i);
    probe.call('sent', 'StartTransaction', 30_000, 'Timeout');
    probe.call('sent', 'StartTransaction', 20_000, 'Disconnected');
    probe.call('received', 'RemoteStartTransaction', 10_000);
    probe.call('sent', 'StopTransaction', 100, 'FormationViolation');
    const first = probe.take().p95Ms;
    expect(first).not.toBeNull();
    expect(first!).toBeGreaterThanOrEqual(95);
    expect(first!).toBeLessThanOrEqual(100.1);
    expect(probe.take().p95Ms).toBeNull();
    probe.call('sent', 'Heartbeat', 3);
    expect(probe.take().p95Ms).toBeCloseTo(3, 2);
  });

  it('tracks the fleet-wide queue depth and keeps its peak within the interval', () => {
    const probe = createIntervalProbe();
    probe.txMessage(txEvent('CP-1', 3));
    probe.txMessage(txEvent('CP-2', 4));
    probe.txMessage(txEvent('CP-1', 1));
    expect(probe.take().queueDepth).toBe(7);
    // Nothing happened: the interval's peak is what is still queued.
    expect(probe.take().queueDepth).toBe(5);
    probe.txMessage(txEvent('CP-2', 0));
    probe.txMessage(txEvent('CP-1', 0));
    expect(probe.take().queueDepth).toBe(5);
    expect(probe.take().queueDepth).toBe(0);
  });
});

describe('createRunSampler', () => {
  it('turns cumulative snapshots into per-interval points', () => {
    let snap: MetricsSnapshot = {
      connected: 2, accepted: 2,
      sessions: { active: 1, started: 1, completed: 0, rejected: 0, failed: 0 },
      messages: { sent: 100, received: 20, errors: 1, timeouts: 0, disconnects: 0 },
      p95Ms: 5,
      queueDepth: 0,
    };
    const probe = createIntervalProbe();
    const series = createTimeSeries({ intervalMs: 2000, maxPoints: 10 });
    const sampler = createRunSampler({ snapshot: () => snap, probe, series });
    probe.call('sent', 'Heartbeat', 8);
    const a = sampler.sample(2000, 120_000);
    expect(a).toMatchObject({ tMs: 2000, simMs: 120_000, connected: 2, activeSessions: 1, completedSessions: 0, messagesPerSecond: 60, errors: 1 });
    expect(a.p95Ms).toBeCloseTo(8, 2);
    snap = { ...snap, connected: 3, sessions: { ...snap.sessions, active: 0, completed: 4 }, messages: { ...snap.messages, sent: 150, received: 30, errors: 3 } };
    const b = sampler.sample(4000, 240_000);
    expect(b).toMatchObject({ connected: 3, activeSessions: 0, completedSessions: 4, messagesPerSecond: 30, errors: 2, p95Ms: null });
    expect(series.toJSON().points).toEqual([a, b]);
  });
});
