/**
 * Starts items at a steady rate (wall time: ramp-up exists to spare the CSMS, whose capacity is
 * measured in real seconds). One timer drives the whole ramp, however many stations there are.
 */
export interface Ramp {
  /** Resolves when every item was started or the ramp was stopped. */
  readonly done: Promise<void>;
  stop(): void;
  /** Items started so far. */
  started(): number;
}

export function startRamp(count: number, perSecond: number, startOne: (index: number) => void): Ramp {
  const t0 = performance.now();
  let next = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const tick = () => {
    const due = Math.min(count, Math.floor(((performance.now() - t0) / 1000) * perSecond) + 1);
    while (next < due) startOne(next++);
    if (next >= count) return finish();
    const wait = ((next / perSecond) * 1000) - (performance.now() - t0);
    timer = setTimeout(tick, Math.max(1, Math.min(wait, 100)));
  };
  tick();
  return {
    done,
    started: () => next,
    stop: () => {
      clearTimeout(timer);
      finish();
    },
  };
}

/** Simulated ms after the run's start at which station `index` (1-based) is due to connect. */
export function rampOffsetMs(index: number, perSecond: number, timeScale: number): number {
  return ((index - 1) / perSecond) * 1000 * timeScale;
}
