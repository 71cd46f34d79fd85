import { describe, expect, it } from 'vitest';
import {
  createLatencyHistogram,
  decodeHistogram,
  encodeHistogram,
  HIGHEST_LATENCY_US,
  latencyStats,
  mergeHistograms,
  recordMs,
} from '../src/metrics/histogram.js';
import { createMetrics } from '../src/metrics/collector.js';
import type { SessionRecord } from '../src/metrics/types.js';
import { createRngRoot, logNormal } from '../src/util/rng.js';

/** HDR precision at 3 significant digits: a value is within 1/1000 of itself (plus a µs of rounding). */
const closeTo = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(expected / 1000 + 0.001);

function samples(label: string, n: number): number[] {
  const rng = createRngRoot(7).stream(label);
  return Array.from({ length: n }, () => logNormal(rng, 40, 1.2));
}

function session(overrides: Partial<SessionRecord>): SessionRecord {
  return {
    stationId: 'CP-1',
    connectorId: 1,
    idTag: 'TAG',
    origin: 'arrival',
    vehicle: 'compact',
    transactionId: 1,
    pluggedAt: 0,
    startedAt: 60_000,
    stoppedAt: 60_000 + 90 * 60_000,
    unpluggedAt: 120 * 60_000,
    meterStartWh: 1000,
    meterStopWh: 11_000,
    energyWh: 10_000,
    chargingMs: 90 * 60_000,
    socStart: 0.2,
    socEnd: 0.8,
    stopReason: 'EVDisconnected',
    outcome: 'completed',
    detail: null,
    ...overrides,
  };
}

describe('latency histogram', () => {
  it('gives known percentiles for 1..1000 ms', () => {
    const h = createLatencyHistogram();
    for (let ms = 1; ms <= 1000; ms++) recordMs(h, ms);
    const s = latencyStats(h);
    expect(s.count).toBe(1000);
    closeTo(s.p50, 500);
    closeTo(s.p90, 900);
    closeTo(s.p95, 950);
    closeTo(s.p99, 990);
    closeTo(s.p999, 999);
    closeTo(s.mean, 500.5);
    expect(s.min).toBe(1);
    expect(s.max).toBe(1000);
    expect(s.p999).toBeLessThanOrEqual(s.max);
  });

  it('is all zeros when empty', () => {
    expect(latencyStats(createLatencyHistogram())).toEqual({
      count: 0, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0,
    });
  });

  it('clamps bad and out-of-range samples instead of throwing', () => {
    const h = createLatencyHistogram();
    recordMs(h, -5);
    recordMs(h, Number.NaN);
    recordMs(h, 10 * 3_600_000);
    const s = latencyStats(h);
    expect(s.count).toBe(3);
    expect(s.min).toBe(0);
    closeTo(s.max, HIGHEST_LATENCY_US / 1000);
  });

  it('round-trips through compressed base64', () => {
    const h = createLatencyHistogram();
    for (const ms of samples('roundtrip', 5000)) recordMs(h, ms);
    const encoded = encodeHistogram(h);
    expect(encoded).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const decoded = decodeHistogram(encoded);
    expect(decoded.totalCount).toBe(5000);
    const { max: _a, ...before } = latencyStats(h);
    const { max: _b, ...after } = latencyStats(decoded);
    expect(after).toEqual(before);
    closeTo(latencyStats(decoded).max, latencyStats(h).max);
  });

  it('merges encoded histograms losslessly', () => {
    const a = samples('merge/a', 3000);
    const b = samples('merge/b', 2000).map((ms) => ms * 3);
    const ha = createLatencyHistogram();
    const hb = createLatencyHistogram();
    const all = createLatencyHistogram();
    for (const ms of a) { recordMs(ha, ms); recordMs(all, ms); }
    for (const ms of b) { recordMs(hb, ms); recordMs(all, ms); }
    const parts = [decodeHistogram(encodeHistogram(ha)), decodeHistogram(encodeHistogram(hb))];
    const merged = mergeHistograms(parts);
    const m = latencyStats(merged);
    const e = latencyStats(all);
    expect(m.count).toBe(5000);
    for (const key of ['min', 'mean', 'p50', 'p90', 'p95', 'p99', 'p999'] as const) expect(m[key]).toBe(e[key]);
    closeTo(m.max, e.max);
    expect(parts[0].totalCount).toBe(3000); // inputs untouched
    expect(parts[1].totalCount).toBe(2000);
  });
});

describe('collector: calls', () => {
  function feed() {
    const metrics = createMetrics();
    metrics.call('sent', 'BootNotification', 12);
    metrics.call('sent', 'BootNotification', 14);
    metrics.call('sent', 'StartTransaction', 20);
    metrics.call('sent', 'StartTransaction', 25, 'NotImplemented');
    metrics.call('sent', 'StartTransaction', 30_000, 'Timeout');
    metrics.call('sent', 'StartTransaction', 31_000, 'Timeout');
    metrics.call('sent', 'MeterValues', 5, 'Disconnected');
    metrics.call('received', 'RemoteStartTransaction', 0.5);
    metrics.call('received', 'GetDiagnostics', 0.2, 'NotImplemented');
    return metrics;
  }

  it('counts errors, timeouts and disconnects per action and direction', () => {
    const parts = feed().toReportParts();
    expect(Object.keys(parts.latency)).toEqual(['BootNotification', 'MeterValues', 'StartTransaction']);
    const start = parts.latency.StartTransaction;
    expect(start.count).toBe(4);
    expect(start.errors).toEqual({ NotImplemented: 1, Timeout: 2 });
    expect(start.timeouts).toBe(2);
    // Only replied calls carry a latency: the 20 ms result and the 25 ms CALLERROR.
    expect(decodeHistogram(start.histogram).totalCount).toBe(2);
    closeTo(start.max, 25);
    const meter = parts.latency.MeterValues;
    expect(meter).toMatchObject({ count: 1, errors: { Disconnected: 1 }, timeouts: 0, p50: 0 });
    expect(decodeHistogram(meter.histogram).totalCount).toBe(0);
    const boot = parts.latency.BootNotification;
    expect(boot).toMatchObject({ count: 2, errors: {}, timeouts: 0 });
    closeTo(boot.min, 12);
    closeTo(boot.max, 14);
    expect(parts.incoming.GetDiagnostics).toMatchObject({ count: 1, errors: { NotImplemented: 1 } });
    expect(parts.incoming.RemoteStartTransaction).toMatchObject({ count: 1, errors: {} });
    expect(parts.messages).toEqual({ sent: 7, received: 2, errors: 5, timeouts: 2 });
  });

  it('snapshots message totals and the p95 of replied sent calls', () => {
    const metrics = createMetrics();
    expect(metrics.snapshot().p95Ms).toBeNull();
    for (let ms = 1; ms <= 100; ms++) metrics.call('sent', 'Heartbeat', ms);
    metrics.call('sent', 'Heartbeat', 60_000, 'Timeout');
    metrics.call('received', 'Reset', 1000);
    const snap = metrics.snapshot();
    closeTo(snap.p95Ms!, 95);
    expect(snap.messages).toEqual({ sent: 101, received: 1, errors: 1, timeouts: 1, disconnects: 0 });
  });
});

describe('collector: stations and sessions', () => {
  it('tracks connections per station, ignoring repeats', () => {
    const metrics = createMetrics();
    metrics.connection('A', 'connected');
    metrics.connection('A', 'connected');
    metrics.connection('A', 'accepted');
    metrics.connection('B', 'connected');
    metrics.connection('C', 'accepted'); // accepted implies connected
    expect(metrics.snapshot()).toMatchObject({ connected: 3, accepted: 2 });
    metrics.connection('A', 'disconnected');
    metrics.connection('A', 'disconnected');
    metrics.connection('Z', 'disconnected'); // never connected
    expect(metrics.snapshot()).toMatchObject({ connected: 2, accepted: 1 });
    metrics.connection('A', 'connected');
    metrics.connection('A', 'accepted'); // second boot of the same station
    expect(metrics.toReportParts().stations).toEqual({ connectedPeak: 3, bootAccepted: 2, disconnects: 1 });
  });

  it('counts sessions by outcome and summarises completed ones', () => {
    const metrics = createMetrics();
    for (let i = 0; i < 5; i++) metrics.sessionPlugged('CP-1', 1);
    metrics.session(session({ energyWh: 10_000, vehicle: 'compact' }));
    metrics.session(session({ energyWh: 30_000, vehicle: 'suv', unpluggedAt: 240 * 60_000, stoppedAt: 60_000 + 200 * 60_000, chargingMs: 30 * 60_000 }));
    metrics.session(session({ outcome: 'rejected', energyWh: 0, transactionId: null, startedAt: null, stoppedAt: null, vehicle: null }));
    metrics.session(session({ outcome: 'failed', energyWh: 500 }));
    expect(metrics.snapshot().sessions).toEqual({ active: 1, started: 5, completed: 2, rejected: 1, failed: 1 });
    const parts = metrics.toReportParts();
    expect(parts.sessions).toEqual({ started: 5, completed: 2, rejected: 1, failed: 1 });
    expect(parts.energyWh).toBe(40_500);
    const stats = parts.sessionStats;
    expect(stats.energyWh.mean).toBe(20_000);
    expect(stats.energyWh.max).toBe(30_000);
    closeTo(stats.energyWh.p50, 10_000);
    expect(stats.pluggedMinutes.mean).toBe(180);
    expect(stats.pluggedMinutes.max).toBe(240);
    closeTo(stats.pluggedMinutes.p50, 120);
    expect(stats.chargingMinutes.mean).toBe(60);
    expect(stats.chargingMinutes.max).toBe(90);
    expect(stats.vehicles).toEqual({ compact: 2, suv: 1, unknown: 1 });
  });
});
