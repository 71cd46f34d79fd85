/**
 * Simulated time. With `speed` 1 simulated time is wall time; with 60 one wall second covers one
 * simulated minute. Everything a station schedules (meter intervals, plug durations, heartbeats,
 * back-off waits) is expressed in simulated milliseconds; timestamps sent over OCPP are simulated
 * time as an ISO string. Network timeouts (call timeout, grace period) stay in wall time because
 * they concern the real socket, not the simulated car.
 */
export interface Clock {
  /** Simulated epoch milliseconds. */
  now(): number;
  /** Simulated milliseconds since the clock started. */
  elapsed(): number;
  /** Runs `fn` after `simMs` simulated milliseconds. */
  setTimeout(fn: () => void, simMs: number): Timer;
  clearTimeout(timer: Timer | undefined): void;
  readonly speed: number;
  /** Simulated epoch ms at which the clock started: now() = origin + elapsed(). */
  readonly origin: number;
}

export type Timer = ReturnType<typeof setTimeout>;

export function createClock(speed = 1, origin = Date.now()): Clock {
  if (!(speed > 0)) throw new Error(`clock speed must be > 0, got ${speed}`);
  const start = performance.now();
  const elapsed = () => (performance.now() - start) * speed;
  return {
    speed,
    origin,
    now: () => origin + elapsed(),
    elapsed,
    setTimeout: (fn, simMs) => {
      const t = setTimeout(fn, Math.max(0, simMs / speed));
      t.unref?.();
      return t;
    },
    clearTimeout: (timer) => {
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}

export function isoTime(epochMs: number): string {
  return new Date(Math.round(epochMs)).toISOString();
}
