import { describe, expect, it } from 'vitest';
import { createSendDelayTracker, LATE_MS, mergeHealth } from '../src/metrics/health.js';
import { decodeHistogram, encodeHistogram, latencyStats, mergeHistograms } from '../src/metrics/histogram.js';

const merge = (encoded: string[]) => {
  const h = mergeHistograms(encoded.map(decodeHistogram));
  return { ...latencyStats(h), histogram: encodeHistogram(h) };
};

describe("ev-sim's own health", () => {
  it('counts calls sent more than a second late and their share', () => {
    const t = createSendDelayTracker();
    for (let i = 0; i < 95; i++) t.record(5);
    for (let i = 0; i < 5; i++) t.record(LATE_MS + 500);
    const r = t.report({ eventLoopDelayMs: { p50: 1, p99: 3, max: 9 }, cpuPercent: 12 });
    expect(r).toMatchObject({ lateSends: 5, lateSendsPercent: 5, saturated: false, reasons: [] });
    expect(r.sendDelayMs.count).toBe(100);
    expect(r.sendDelayMs.p99).toBeGreaterThan(LATE_MS);
  });

  it('says ev-sim was saturated when its event loop or CPU could not keep up, and why', () => {
    const t = createSendDelayTracker();
    const loop = t.report({ eventLoopDelayMs: { p50: 20, p99: 250, max: 900 }, cpuPercent: 40 });
    expect(loop.saturated).toBe(true);
    expect(loop.reasons.join()).toMatch(/event-loop delay p99 250 ms/);
    const cpu = t.report({ eventLoopDelayMs: null, cpuPercent: 97 });
    expect(cpu.saturated).toBe(true);
    expect(cpu.reasons.join()).toMatch(/CPU 97%/);
    expect(t.report({ eventLoopDelayMs: null, cpuPercent: null }).saturated).toBe(false);
  });

  it('merges shards: slip histograms losslessly, the worst process figures, any saturation', () => {
    const a = createSendDelayTracker();
    const b = createSendDelayTracker();
    const all = createSendDelayTracker();
    for (let i = 1; i <= 300; i++) (i % 2 ? a : b).record(i * 7), all.record(i * 7);
    const merged = mergeHealth(
      [
        a.report({ eventLoopDelayMs: { p50: 1, p99: 4, max: 8 }, cpuPercent: 30, peakRssMb: 120 }),
        b.report({ eventLoopDelayMs: { p50: 2, p99: 150, max: 300 }, cpuPercent: 20, peakRssMb: 340 }),
      ],
      merge,
    )!;
    const one = all.report({ eventLoopDelayMs: null, cpuPercent: null });
    expect(merged.sendDelayMs.p95).toBe(one.sendDelayMs.p95);
    expect(merged.lateSends).toBe(one.lateSends);
    expect(merged).toMatchObject({ saturated: true, cpuPercent: 30, peakRssMb: 340, eventLoopDelayMs: { p99: 150 } });
  });
});
