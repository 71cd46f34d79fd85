import type { TxMessageEvent } from './types.js';

/** Offline-queue depth across the fleet, from the stations' TxMessageEvents (O(1) per event). */
export function createQueueDepth() {
  const perStation = new Map<string, number>();
  let total = 0;
  let peak = 0;
  return {
    update(e: TxMessageEvent): void {
      const before = perStation.get(e.stationId) ?? 0;
      if (e.queueDepth === before) return;
      total += e.queueDepth - before;
      if (total > peak) peak = total;
      if (e.queueDepth === 0) perStation.delete(e.stationId);
      else perStation.set(e.stationId, e.queueDepth);
    },
    /** Transaction messages waiting in all stations' queues now. */
    total: () => total,
    peak: () => peak,
  };
}
