/**
 * One periodic check for every open connection of a process, instead of a timer (and an error object)
 * per call: each tick hands the current `performance.now()` to every watched connection, which fails
 * its in-flight call once the call's deadline has passed and sends or misses its WebSocket pings.
 *
 * A successful call therefore costs no timer at all: it only stores a deadline number. Timeouts fire
 * up to one tick late (call timeouts are seconds; the default tick is 100 ms). The interval is unref'd
 * and runs only while at least one connection is watched, so a process whose connections are all
 * closed holds no timer.
 */

/** A connection with deadlines: called once per tick while it is watched. */
export interface DeadlineWatch {
  checkDeadlines(nowMs: number): void;
}

export const DEFAULT_TICK_MS = 100;

export class CallDeadlines {
  private readonly watched = new Set<DeadlineWatch>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(readonly tickMs = DEFAULT_TICK_MS) {}

  /** Starts checking `w` every tick (idempotent). */
  watch(w: DeadlineWatch): void {
    this.watched.add(w);
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.sweep(performance.now()), this.tickMs);
      this.timer.unref();
    }
  }

  /** Stops checking `w`; the interval stops with the last one. */
  unwatch(w: DeadlineWatch): void {
    this.watched.delete(w);
    if (this.watched.size === 0 && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** Runs one check now (the interval calls this; tests may too). */
  sweep(nowMs: number): void {
    for (const w of this.watched) w.checkDeadlines(nowMs);
  }

  /** Connections being checked. */
  get size(): number {
    return this.watched.size;
  }

  /** Whether the interval is running. */
  get running(): boolean {
    return this.timer !== undefined;
  }
}

let shared: CallDeadlines | undefined;

/** The process-wide checker every connection uses unless it is given its own. */
export function sharedCallDeadlines(): CallDeadlines {
  return (shared ??= new CallDeadlines());
}
