import type { FaultConfig, Scenario } from '../scenario/types.js';
import type { Clock, Timer } from '../util/clock.js';
import type { RngRoot } from '../util/rng.js';
import type { FaultProxy, FaultRule } from './proxy.js';
import { selectStations } from './select.js';

const MESSAGE_TYPES = { CALL: 2, CALLRESULT: 3, CALLERROR: 4 } as const;

export interface TimelineDeps {
  scenario: Scenario;
  identities: readonly string[];
  proxy: FaultProxy;
  clock: Clock;
  root: RngRoot;
  /** Reboots one station (fault kind `reboot`). */
  reboot(identity: string, keepQueue: boolean): void;
}

/**
 * Plays the scenario's fault timeline on simulated time: each fault is applied to the proxy at its
 * `at` and cleared after its duration (flapping alternates down and up within its window). Faults still
 * active when the timeline stops are cleared, so the fleet can drain its queues during the wind-down.
 */
export function startFaultTimeline(deps: TimelineDeps): { stop(): void } {
  const timers = new Set<Timer>();
  const active = new Set<number>();
  const at = (simMs: number, fn: () => void) => {
    const t = deps.clock.setTimeout(() => {
      timers.delete(t);
      fn();
    }, Math.max(0, simMs - deps.clock.elapsed()));
    timers.add(t);
  };
  const window = (rule: FaultRule, match: (id: string) => boolean, from: number, ms: number) => {
    at(from, () => {
      const id = deps.proxy.apply(rule, match);
      active.add(id);
      at(from + ms, () => {
        deps.proxy.clear(id);
        active.delete(id);
      });
    });
  };
  deps.scenario.faults.forEach((fault, i) => schedule(deps, fault, i, at, window));
  return {
    stop: () => {
      for (const t of timers) deps.clock.clearTimeout(t);
      timers.clear();
      for (const id of active) deps.proxy.clear(id);
      active.clear();
    },
  };
}

type At = (simMs: number, fn: () => void) => void;
type Window = (rule: FaultRule, match: (id: string) => boolean, from: number, ms: number) => void;

function schedule(deps: TimelineDeps, fault: FaultConfig, i: number, at: At, window: Window): void {
  const { scenario, identities, root } = deps;
  const match =
    fault.kind === 'outage' ? () => true : selectStations(fault.stations, identities, scenario.groups, root, `fault/${i}`);
  switch (fault.kind) {
    case 'partition':
      return window({ kind: 'partition', mode: fault.mode }, match, fault.atMs, fault.durationMs);
    case 'outage':
      return window({ kind: 'outage' }, match, fault.atMs, fault.durationMs);
    case 'latency':
      return window({ kind: 'latency', ms: fault.ms, jitterMs: fault.jitterMs, rng: root.stream(`fault/${i}/latency`) }, match, fault.atMs, fault.durationMs);
    case 'loss':
      return window(
        {
          kind: 'loss',
          share: fault.share,
          direction: fault.direction,
          messageTypes: fault.messages?.map((m) => MESSAGE_TYPES[m]),
          rng: root.stream(`fault/${i}/loss`),
        },
        match,
        fault.atMs,
        fault.durationMs,
      );
    case 'flapping': {
      const end = fault.atMs + fault.durationMs;
      for (let t = fault.atMs; t < end; t += fault.downMs + fault.upMs) {
        window({ kind: 'partition', mode: fault.mode }, match, t, Math.min(fault.downMs, end - t));
      }
      return;
    }
    case 'reboot':
      return at(fault.atMs, () => {
        for (const id of identities) if (match(id)) deps.reboot(id, fault.keepQueue);
      });
  }
}
