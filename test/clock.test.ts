import { describe, expect, it } from 'vitest';
import { createClock } from '../src/util/clock.js';

describe('simulated clock', () => {
  it('never runs a timer before its simulated time, at a speed where 1 ms of wall time is 600 ms', async () => {
    const clock = createClock(600);
    const early: number[] = [];
    await Promise.all(
      Array.from({ length: 300 }, (_, i) => {
        const simMs = 600 + (i % 30) * 431; // 1 to 23 wall ms, mostly not whole milliseconds
        const armedAt = clock.elapsed();
        return new Promise<void>((done) => {
          clock.setTimeout(() => {
            const slack = clock.elapsed() - armedAt - simMs;
            if (slack < -1e-6) early.push(slack); // float rounding aside; an early wake-up is ~100 ms here
            done();
          }, simMs);
          for (let k = 0; k < 3000; k++) Math.sqrt(k); // arm at scattered sub-millisecond times
        });
      }),
    );
    expect(early).toEqual([]);
  });

  it('clearTimeout cancels a timer, and is harmless on one that already ran or is undefined', async () => {
    const clock = createClock(100);
    const ran: string[] = [];
    const a = clock.setTimeout(() => ran.push('a'), 100);
    const b = clock.setTimeout(() => ran.push('b'), 300);
    clock.clearTimeout(b);
    await new Promise((r) => setTimeout(r, 20));
    clock.clearTimeout(a);
    clock.clearTimeout(undefined);
    expect(ran).toEqual(['a']);
  });
});
