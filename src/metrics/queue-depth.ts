import type { TxMessageEvent } from './types.js';

/** Offline-queue depth across the fleet, from the stations' TxMessageEvents (O(1) per event). */
export function createQueueDepth() {
  const perStation = new Map<string, number>();
  let total = 0;
  let peak = 0;
  let intervalPeak = 0;
  return {
    update(e: TxMessageEvent): void {
      const before = perStation.get(e.stationId) ?? 0;
      if (e.queueDepth === before) return;
      total += e.queueDepth - before;
      if (total > peak) peak = total;
      if (total > intervalPeak) intervalPeak = total;
      if (e.queueDepth === 0) perStation.delete(e.stationId);
      else perStation.set(e.stationId, e.queueDepth);
    },
    /** Transaction messages waiting in all stations' queues now. */
    total: () => total,
    /** The largest total since the run started. */
    peak: () => peak,
    /** The largest total since the last call (for per-interval figures); the next interval starts at now's total. */
    takeIntervalPeak(): number {
      const p = intervalPeak;
      intervalPeak = total;
      return p;
    },
  };
}
