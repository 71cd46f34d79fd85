/**
 * Per-station queue depth over time: the largest depth of the run, and of any span asked about later
 * (a fault window). A station's depth holds from one of its events to the next, so a queue that stood
 * still through a whole window still counts in it.
 */
import { createMaxTimeline } from './max-timeline.js';

export interface QueueDepthTracker {
  /** Station `stationId` holds `depth` queued messages from `at` (simulated epoch ms) on. */
  update(stationId: string, at: number, depth: number): void;
  /** Largest depth of any station over the whole run. */
  max(): number;
  /**
   * Largest depth of any station at any instant of [fromMs, toMs]. A depth still held at a station's
   * last event counts as held from then on (nothing changed it).
   */
  maxBetween(fromMs: number, toMs: number): number;
}

interface Held {
  depth: number;
  since: number;
}

export function createQueueDepthTracker(bucketMs = 1000): QueueDepthTracker {
  const timeline = createMaxTimeline(bucketMs);
  const held = new Map<string, Held>();
  let max = 0;
  let lastAt = -Infinity;
  /** Held depths have been raised up to `lastAt` (reset by every update). */
  let flushed = false;
  /** The largest depth still held after its station's last event. */
  let maxHeld = 0;

  /** Depths held since each station's last event are raised up to the last event of all. */
  function flush(): void {
    if (flushed) return;
    maxHeld = 0;
    for (const h of held.values()) {
      if (h.depth > 0) timeline.raise(h.since, lastAt, h.depth);
      if (h.depth > maxHeld) maxHeld = h.depth;
    }
    flushed = true;
  }

  return {
    update(stationId, at, depth) {
      const d = Number.isFinite(depth) && depth > 0 ? Math.round(depth) : 0;
      if (at > lastAt) lastAt = at;
      flushed = false;
      if (d > max) max = d;
      const h = held.get(stationId);
      if (h === undefined) {
        held.set(stationId, { depth: d, since: at });
      } else {
        if (h.depth > 0) timeline.raise(Math.min(h.since, at), at, h.depth);
        h.depth = d;
        h.since = at;
      }
      timeline.raise(at, at, d);
    },
    max: () => max,
    maxBetween(fromMs, toMs) {
      flush();
      // After the last event nothing changed: every depth still held lasts.
      return Math.max(timeline.max(fromMs, toMs), toMs > lastAt ? maxHeld : 0);
    },
  };
}
