/**
 * The programmatic API: run a validated scenario against a CSMS and return what happened. The CLI is a
 * thin layer over this; tests and other tools can call it directly.
 */
import type { Scenario } from './scenario/types.js';
import type { FleetObserver } from './metrics/types.js';
import type { Station } from './station/types.js';
import { createStation } from './station/station.js';
import { createConnectorMeter } from './meter/connector-meter.js';
import { planStationSessions, remoteSessionPlanner } from './fleet/plan.js';
import { stationSpec } from './fleet/identity.js';
import { rampOffsetMs, startRamp } from './fleet/ramp.js';
import { createClock, type Clock } from './util/clock.js';
import { createRngRoot, type RngRoot } from './util/rng.js';

export interface RunOptions {
  /** CSMS WebSocket URL (the station identity is appended). */
  targetUrl: string;
  password: string | null;
  observer: FleetObserver;
  /** Aborting ends the run early, gracefully: no new sessions, running ones stopped, replies awaited. */
  signal?: AbortSignal;
}

export interface RunOutcome {
  plannedStations: number;
  plannedSessions: number;
  /** Stations whose start was attempted (the ramp may be cut short by an abort). */
  startedStations: number;
  startedAt: Date;
  endedAt: Date;
  simulatedMs: number;
  /** Set when the run did not run its full course. */
  partialReason: string | null;
}

export async function runScenario(scenario: Scenario, opts: RunOptions): Promise<RunOutcome> {
  const startedAt = new Date();
  const clock = createClock(scenario.timeScale);
  const root = createRngRoot(scenario.seed);
  const { stations, plans } = buildFleet(scenario, opts, clock, root);
  const plannedSessions = plans.reduce((n, p) => n + p.length, 0);

  const ramp = startRamp(stations.length, scenario.rampUp.stationsPerSecond, (i) => {
    const station = stations[i];
    station.start().then(() => station.schedule(plans[i]), () => undefined);
  });
  const aborted = await waitForEnd(scenario.durationMs / scenario.timeScale, opts.signal);
  ramp.stop();
  const started = stations.slice(0, ramp.started());
  await finish(started, scenario.gracePeriodMs);
  return {
    plannedStations: stations.length,
    plannedSessions,
    startedStations: started.length,
    startedAt,
    endedAt: new Date(),
    simulatedMs: clock.elapsed(),
    partialReason: aborted ? String(opts.signal?.reason ?? 'aborted') : null,
  };
}

function buildFleet(scenario: Scenario, opts: RunOptions, clock: Clock, root: RngRoot) {
  const stations: Station[] = [];
  const plans = [];
  for (let index = 1; index <= scenario.fleet.stations; index++) {
    const spec = stationSpec(scenario.fleet, index);
    const offset = rampOffsetMs(index, scenario.rampUp.stationsPerSecond, scenario.timeScale);
    plans.push(planStationSessions(scenario, spec, root, offset));
    stations.push(
      createStation({
        spec,
        url: opts.targetUrl,
        password: opts.password,
        callTimeoutMs: scenario.target.callTimeoutMs,
        validate: scenario.target.validate,
        heartbeatIntervalS: scenario.fleet.heartbeatIntervalS,
        meter: scenario.meter,
        clock,
        rng: root,
        observer: opts.observer,
        createMeter: (rating, label, initialWh) => createConnectorMeter(rating, root.stream(label), initialWh),
        planRemoteSession: remoteSessionPlanner(scenario, spec.identity, root),
      }),
    );
  }
  return { stations, plans };
}

/** Resolves after `wallMs`, or early (true) when the signal aborts. */
function waitForEnd(wallMs: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(true);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(false);
    }, wallMs);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(true);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** No new sessions; each running one ends with one StopTransaction; replies get `graceMs` (wall). */
async function finish(stations: Station[], graceMs: number): Promise<void> {
  for (const s of stations) s.stopArrivals();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
  await Promise.race([Promise.allSettled(stations.map((s) => s.finishSessions('Other'))), grace]);
  clearTimeout(timer);
  await Promise.allSettled(stations.map((s) => s.close()));
}
