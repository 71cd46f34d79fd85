/**
 * Planned arrivals of one station, kept sorted with a single armed timer for the next one (a station
 * may hold many plans; it never holds more than one arrival timer).
 */
import type { Clock, Timer } from '../util/clock.js';
import type { TimerSet } from './timers.js';
import type { PlannedSession } from './types.js';

export interface ArrivalQueue {
  add(plans: readonly PlannedSession[]): void;
  /** Drops every arrival that has not happened yet. */
  stop(): void;
}

export function createArrivalQueue(
  clock: Clock,
  timers: TimerSet,
  onArrival: (plan: PlannedSession) => void,
): ArrivalQueue {
  let plans: PlannedSession[] = [];
  let next = 0;
  let timer: Timer | undefined;

  const arm = () => {
    timers.cancel(timer);
    timer = undefined;
    if (next >= plans.length) {
      plans = [];
      next = 0;
      return;
    }
    timer = timers.after(Math.max(0, plans[next].arriveAtMs - clock.elapsed()), fire);
  };

  const fire = () => {
    timer = undefined;
    const now = clock.elapsed();
    while (next < plans.length && plans[next].arriveAtMs <= now) onArrival(plans[next++]);
    arm();
  };

  return {
    add: (added) => {
      if (added.length === 0) return;
      plans = plans.slice(next).concat(added).sort((a, b) => a.arriveAtMs - b.arriveAtMs);
      next = 0;
      arm();
    },
    stop: () => {
      timers.cancel(timer);
      timer = undefined;
      plans = [];
      next = 0;
    },
  };
}
