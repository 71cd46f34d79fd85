/**
 * Every timer one station arms goes through its TimerSet, so `clearAll()` can guarantee that no timer
 * outlives the station. Delays are simulated milliseconds on the station's clock.
 */
import type { Clock, Timer } from '../util/clock.js';

export interface TimerSet {
  /** Runs `fn` after `simMs`; returns undefined (and runs nothing) once the set is cleared. */
  after(simMs: number, fn: () => void): Timer | undefined;
  cancel(timer: Timer | undefined): void;
  /** Resolves true after `simMs`, or false at once if the set is (or gets) cleared first. */
  sleep(simMs: number): Promise<boolean>;
  /** Cancels every armed timer and refuses new ones. Pending sleeps resolve false. */
  clearAll(): void;
  /** Number of armed timers. */
  readonly size: number;
}

export function createTimerSet(clock: Clock): TimerSet {
  return new StationTimers(clock);
}

/** A class rather than closures: thousands of stations share its methods. */
class StationTimers implements TimerSet {
  /** Armed timers; the value runs if clearAll cancels the timer (only sleeps need one). */
  private readonly armed = new Map<Timer, (() => void) | null>();
  private cleared = false;

  constructor(private readonly clock: Clock) {}

  get size(): number {
    return this.armed.size;
  }

  after(simMs: number, fn: () => void): Timer | undefined {
    return this.arm(simMs, fn, null);
  }

  cancel(timer: Timer | undefined): void {
    if (timer === undefined || !this.armed.delete(timer)) return;
    this.clock.clearTimeout(timer);
  }

  sleep(simMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      if (this.arm(simMs, () => resolve(true), () => resolve(false)) === undefined) resolve(false);
    });
  }

  clearAll(): void {
    this.cleared = true;
    const pending = [...this.armed];
    this.armed.clear();
    for (const [timer, onClear] of pending) {
      this.clock.clearTimeout(timer);
      onClear?.();
    }
  }

  private arm(simMs: number, fn: () => void, onClear: (() => void) | null): Timer | undefined {
    if (this.cleared) return undefined;
    const timer = this.clock.setTimeout(() => {
      this.armed.delete(timer);
      fn();
    }, simMs);
    this.armed.set(timer, onClear);
    return timer;
  }
}
