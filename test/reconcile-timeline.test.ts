import { describe, expect, it } from 'vitest';
import { createMaxTimeline } from '../src/reconcile/max-timeline.js';
import { createQueueDepthTracker } from '../src/reconcile/queue-depth.js';
import { createRngRoot } from '../src/util/rng.js';

describe('max timeline', () => {
  it('agrees with a plain array of buckets, across growth of the tree', () => {
    const rng = createRngRoot(7).stream('test/max-timeline');
    const int = (n: number) => Math.floor(rng() * n);
    const bucketMs = 1000;
    const base = 1_700_000_000_000;
    const span = 5000; // buckets: the tree grows from 1,024 several times
    const truth = new Array<number>(span).fill(0);
    const t = createMaxTimeline(bucketMs);
    for (let i = 0; i < 2000; i++) {
      const a = int(span);
      const b = Math.min(span - 1, a + int(i % 10 === 0 ? 2000 : 20));
      const v = 1 + int(50);
      t.raise(base + a * bucketMs + 1, base + b * bucketMs + 999, v);
      for (let k = a; k <= b; k++) truth[k] = Math.max(truth[k], v);
      if (i % 50 === 0) {
        const l = int(span);
        const r = Math.min(span - 1, l + int(300));
        expect(t.max(base + l * bucketMs, base + r * bucketMs)).toBe(Math.max(...truth.slice(l, r + 1)));
      }
    }
    expect(t.max(base, base + (span - 1) * bucketMs)).toBe(Math.max(...truth));
    expect(t.max(base - 10_000, base - 1)).toBe(0);
    expect(t.max(base + span * bucketMs * 2, base + span * bucketMs * 3)).toBe(0);
  });
});

describe('queue depth tracker', () => {
  it('counts a depth held between events, and after the last one', () => {
    const d = createQueueDepthTracker(1000);
    d.update('A', 0, 1);
    d.update('A', 1_000, 4);
    d.update('B', 50_000, 2);
    d.update('A', 90_000, 0);
    expect(d.max()).toBe(4);
    expect(d.maxBetween(40_000, 41_000)).toBe(4); // A held 4 from 1 s to 90 s
    expect(d.maxBetween(95_000, 96_000)).toBe(2); // B still holds 2
    expect(d.maxBetween(500_000, 500_000)).toBe(2);
    d.update('B', 100_000, 0);
    expect(d.maxBetween(101_000, 200_000)).toBe(0);
  });
});
