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
  /** Runs `fn` after `simMs` simulated milliseconds, never before: elapsed() has moved on by at least `simMs`. */
  setTimeout(fn: () => void, simMs: number): Timer;
  clearTimeout(timer: Timer | undefined): void;
  readonly speed: number;
  /** Simulated epoch ms at which the clock started: now() = origin + elapsed(). */
  readonly origin: number;
}

/** A timer armed on a Clock; only that clock's clearTimeout cancels it. */
export interface Timer {
  /** performance.now() before which the timer does not run. */
  readonly dueWallMs: number;
}

/**
 * Node's timers count from the event loop's cached millisecond time, so a timer can run up to about
 * 2 ms before performance.now() says it is due. At speed 600 that is more than a simulated second (a
 * retry or a meter sample early), so a timer that wakes early is re-armed for what is left.
 */
class ClockTimer implements Timer {
  handle: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly dueWallMs: number,
    readonly fn: () => void,
  ) {}

  arm(wallMs: number): void {
    this.handle = setTimeout(fire, wallMs, this);
    this.handle.unref?.();
  }
}

function fire(timer: ClockTimer): void {
  const left = timer.dueWallMs - performance.now();
  if (left > 0) return timer.arm(left);
  timer.handle = undefined;
  timer.fn();
}

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
      const wallMs = Math.max(0, simMs / speed);
      const timer = new ClockTimer(performance.now() + wallMs, fn);
      timer.arm(wallMs);
      return timer;
    },
    clearTimeout: (timer) => {
      const t = timer as ClockTimer | undefined;
      if (t?.handle === undefined) return;
      clearTimeout(t.handle);
      t.handle = undefined;
    },
  };
}

export function isoTime(epochMs: number): string {
  return new Date(Math.round(epochMs)).toISOString();
}
