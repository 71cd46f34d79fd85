import type { Scenario } from '../scenario/types.js';
import type { PluggedVehicle } from '../meter/types.js';
import type { PlannedSession, StationSpec } from '../station/types.js';
import { exponential, weightedPick, type Rng, type RngRoot } from '../util/rng.js';
import { clamp, sample } from './distribution.js';

const HOUR_MS = 3_600_000;

/** The random streams behind one connector's sessions; one label per kind of draw. */
interface ConnectorStreams {
  gap: Rng;
  plug: Rng;
  vehicle: Rng;
  soc: Rng;
  idTag: Rng;
}

function connectorStreams(root: RngRoot, identity: string, connectorId: number): ConnectorStreams {
  const base = `plan/${identity}/${connectorId}`;
  return {
    gap: root.stream(`${base}/gap`),
    plug: root.stream(`${base}/plug`),
    vehicle: root.stream(`${base}/vehicle`),
    soc: root.stream(`${base}/soc`),
    idTag: root.stream(`${base}/idtag`),
  };
}

/**
 * Every arrival of one station over the run, decided from the seed alone. A connector holds one car at
 * a time: while it is free, cars arrive at `arrivalsPerHour` (a Poisson process, optionally shaped by
 * `hourlyProfile`, whose hour 0 is the run's first simulated hour); the next car can only arrive after the
 * previous one has left. Only arrivals before the end of `durationMs` are planned.
 */
export function planStationSessions(scenario: Scenario, spec: StationSpec, root: RngRoot, startMs: number): PlannedSession[] {
  const plans: PlannedSession[] = [];
  if (scenario.sessions.arrivalsPerHour <= 0) return plans;
  spec.connectors.forEach((_rating, i) => {
    const connectorId = i + 1;
    const streams = connectorStreams(root, spec.identity, connectorId);
    let t = startMs;
    for (;;) {
      t = nextArrival(scenario, streams.gap, t);
      if (t >= scenario.durationMs) break;
      const plan = drawSession(scenario, streams, connectorId, t);
      plans.push(plan);
      t += plan.plugDurationMs;
    }
  });
  return plans.sort((a, b) => a.arriveAtMs - b.arriveAtMs);
}

/** Next arrival after `t` (simulated ms), by thinning when an hourly profile shapes the rate. */
function nextArrival(scenario: Scenario, gap: Rng, t: number): number {
  const { arrivalsPerHour, hourlyProfile } = scenario.sessions;
  if (!hourlyProfile) return t + exponential(gap, HOUR_MS / arrivalsPerHour);
  const mean = hourlyProfile.reduce((s, w) => s + w, 0) / hourlyProfile.length;
  const peak = Math.max(...hourlyProfile) / mean;
  const maxRate = arrivalsPerHour * peak;
  for (;;) {
    t += exponential(gap, HOUR_MS / maxRate);
    const hour = Math.floor(t / HOUR_MS) % 24;
    if (gap() * peak < hourlyProfile[hour] / mean) return t;
    if (t >= scenario.durationMs) return t;
  }
}

function drawSession(scenario: Scenario, s: ConnectorStreams, connectorId: number, arriveAtMs: number): PlannedSession {
  const cfg = scenario.sessions;
  return {
    connectorId,
    arriveAtMs: Math.round(arriveAtMs),
    plugDurationMs: Math.round(sample(cfg.plugDurationMs, s.plug)),
    idTag: drawIdTag(scenario, s.idTag),
    vehicle: drawVehicle(scenario, s.vehicle, s.soc),
  };
}

/** Always two draws: which pool, then which tag in it. */
export function drawIdTag(scenario: Scenario, rng: Rng): string {
  const { known, blocked, unknownShare, blockedShare } = scenario.sessions.idTags;
  const pool = rng();
  const pick = rng();
  if (pool < unknownShare) return `UNKNOWN-${Math.floor(pick * 0xffffffff).toString(16).padStart(8, '0')}`;
  if (pool < unknownShare + blockedShare && blocked.length > 0) return blocked[Math.floor(pick * blocked.length)];
  return known[Math.floor(pick * known.length)];
}

/** One draw for the profile, two for the states of charge. */
export function drawVehicle(scenario: Scenario, vehicleRng: Rng, socRng: Rng): PluggedVehicle {
  const name = weightedPick(vehicleRng, scenario.vehicles.mix);
  const socStart = clamp(sample(scenario.sessions.arrivalSoc, socRng), 0, 0.99);
  const socTarget = clamp(Math.max(sample(scenario.sessions.targetSoc, socRng), socStart + 0.01), 0, 1);
  return { profile: scenario.vehicles.profiles[name], socStart, socTarget };
}

/** Vehicles and plug durations for sessions the CSMS starts remotely, one stream per connector. */
export function remoteSessionPlanner(scenario: Scenario, identity: string, root: RngRoot) {
  const streams = new Map<number, ConnectorStreams>();
  return (connectorId: number): { plugDurationMs: number; vehicle: PluggedVehicle } => {
    let s = streams.get(connectorId);
    if (!s) {
      s = connectorStreams(root, `remote/${identity}`, connectorId);
      streams.set(connectorId, s);
    }
    return { plugDurationMs: Math.round(sample(scenario.sessions.plugDurationMs, s.plug)), vehicle: drawVehicle(scenario, s.vehicle, s.soc) };
  };
}
