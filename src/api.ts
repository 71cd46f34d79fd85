/**
 * The programmatic API: run a validated scenario against a CSMS and return what happened. The CLI is a
 * thin layer over this; tests and other tools can call it directly.
 */
import type { Scenario } from './scenario/types.js';
import type { FleetObserver } from './metrics/types.js';
import type { CallTraceEvent, PlannedSession, Station } from './station/types.js';
import { createStation } from './station/station.js';
import { createConnectorMeter } from './meter/connector-meter.js';
import { planStationSessions, remoteSessionPlanner } from './fleet/plan.js';
import { stationIdentity, stationSpec } from './fleet/identity.js';
import { rampOffsetMs, startRamp } from './fleet/ramp.js';
import { shardIndices, type Shard } from './fleet/shard.js';
import { createClock, type Clock } from './util/clock.js';
import { createRngRoot, type RngRoot } from './util/rng.js';
import { startFaultProxy, type FaultProxy, type FaultProxyStats } from './faults/proxy.js';
import { startFaultTimeline } from './faults/timeline.js';

export interface RunOptions {
  /** CSMS WebSocket URL (the station identity is appended). */
  targetUrl: string;
  password: string | null;
  observer: FleetObserver;
  /** Aborting ends the run early, gracefully: no new sessions, running ones stopped, replies awaited. */
  signal?: AbortSignal;
  /** Run only this slice of the fleet (see fleet/shard.ts); null or absent = every station. */
  shard?: Shard | null;
  /** Every CALL one station sends, as it goes on the wire (`ev-sim run --trace <identity>`). */
  trace?: { identity: string; write: (event: CallTraceEvent) => void };
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
  /** Every station identity of the fleet. */
  identities: string[];
  /** What the fault proxy did; null when the scenario has no faults. */
  faults: FaultProxyStats | null;
}

export async function runScenario(scenario: Scenario, opts: RunOptions): Promise<RunOutcome> {
  const startedAt = new Date();
  const proxy = scenario.faults.length > 0 ? await startFaultProxy(upstreamOf(opts.targetUrl)) : null;
  try {
    const clock = createClock(scenario.timeScale);
    const root = createRngRoot(scenario.seed);
    const stationUrl = proxy ? proxy.url(new URL(opts.targetUrl).pathname.replace(/\/+$/, '')) : opts.targetUrl;
    const { stations, plans } = buildFleet(scenario, opts, stationUrl, clock, root);
    const identities = stations.map((s) => s.identity);
    const outcome = await drive(scenario, opts, stations, plans, clock, root, proxy);
    return { ...outcome, startedAt, identities, faults: proxy?.stats() ?? null };
  } finally {
    await proxy?.close();
  }
}

async function drive(
  scenario: Scenario,
  opts: RunOptions,
  stations: Station[],
  plans: PlannedSession[][],
  clock: Clock,
  root: RngRoot,
  proxy: FaultProxy | null,
) {
  const indexOf = new Map(stations.map((s, i) => [s.identity, i]));
  let started = 0;
  // A shard ramps at its share of the fleet's rate, so n shards together ramp at the scenario's rate.
  const rate = scenario.rampUp.stationsPerSecond / (opts.shard?.count ?? 1);
  const ramp = startRamp(stations.length, rate, (i) => {
    const station = stations[i];
    started = i + 1;
    station.start().then(() => station.schedule(plans[i]), () => undefined);
  });
  const timeline = proxy
    ? startFaultTimeline({
        scenario,
        // Selections are made over the whole fleet, so a shard cuts off the same stations as a full run.
        identities: Array.from({ length: scenario.fleet.stations }, (_, i) => stationIdentity(scenario.fleet.identity, i + 1)),
        proxy,
        clock,
        root,
        reboot: (id, keepQueue) => {
          const i = indexOf.get(id);
          if (i !== undefined && i < started) stations[i].reboot(keepQueue).catch(() => undefined);
        },
      })
    : null;
  const aborted = await waitForEnd(scenario.durationMs / scenario.timeScale, opts.signal);
  ramp.stop();
  // Faults end with the duration: the wind-down lets stations drain what they queued while cut off.
  timeline?.stop();
  const running = stations.slice(0, started);
  await finish(running, scenario.gracePeriodMs);
  return {
    plannedStations: stations.length,
    plannedSessions: plans.reduce((n, p) => n + p.length, 0),
    startedStations: running.length,
    endedAt: new Date(),
    simulatedMs: clock.elapsed(),
    partialReason: aborted ? String(opts.signal?.reason ?? 'aborted') : null,
  };
}

function upstreamOf(targetUrl: string): { host: string; port: number } {
  const u = new URL(targetUrl);
  if (u.protocol !== 'ws:') throw new Error(`faults need a ws:// target (the proxy reads WebSocket frames); got ${u.protocol}//`);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 80) };
}

function buildFleet(scenario: Scenario, opts: RunOptions, url: string, clock: Clock, root: RngRoot) {
  const stations: Station[] = [];
  const plans: PlannedSession[][] = [];
  for (const index of shardIndices(scenario.fleet.stations, opts.shard ?? null)) {
    const spec = stationSpec(scenario.fleet, index);
    const offset = rampOffsetMs(index, scenario.rampUp.stationsPerSecond, scenario.timeScale);
    plans.push(planStationSessions(scenario, spec, root, offset));
    stations.push(
      createStation({
        spec,
        url,
        password: opts.password,
        callTimeoutMs: scenario.target.callTimeoutMs,
        validate: scenario.target.validate,
        heartbeatIntervalS: scenario.fleet.heartbeatIntervalS,
        configuration: scenario.fleet.configuration,
        connectorFaults: { perHour: scenario.sessions.faultsPerHour, recoveryMs: scenario.sessions.faultRecoveryMs },
        trace: opts.trace?.identity === spec.identity ? opts.trace.write : undefined,
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
/** Wall ms per station over which end-of-run stops are spread, capped at half the grace period. */
const WIND_DOWN_MS_PER_STATION = 2;

/**
 * No new sessions; each running one ends with one StopTransaction; replies get `graceMs` (wall). The
 * stops are spread over a short window (2 ms per station, at most half the grace period) rather than
 * fired in one instant: a burst no real fleet produces would otherwise dominate the latency tail.
 */
async function finish(stations: Station[], graceMs: number): Promise<void> {
  for (const s of stations) s.stopArrivals();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
  const spreadMs = Math.min(graceMs / 2, stations.length * WIND_DOWN_MS_PER_STATION);
  const finishing: Promise<void>[] = [];
  const windDown = startRamp(stations.length, spreadMs > 0 ? (stations.length * 1000) / spreadMs : Infinity, (i) => {
    finishing.push(stations[i].finishSessions('Other'));
  });
  await Promise.race([windDown.done.then(() => Promise.allSettled(finishing)), grace]);
  windDown.stop();
  clearTimeout(timer);
  await Promise.allSettled(stations.map((s) => s.close()));
}
