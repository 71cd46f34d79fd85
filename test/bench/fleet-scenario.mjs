/**
 * The scenarios the fleet measurements run, written as scenario YAML and parsed by ev-sim's own loader
 * (so they get the same defaults and validation as a user's file).
 */
import { parseScenario } from '../../dist/scenario/load.js';

/** The idTag every bench session presents; the CSMS is started knowing it. */
export const BENCH_ID_TAG = 'BENCH-TAG';

/** Connectors per bench station: each sends one MeterValues per sample interval while charging. */
export const BENCH_CONNECTORS = 2;

/**
 * A fleet of `stations` with two single-phase 7.4 kW AC connectors each, so every MeterValues carries
 * four sampled values (energy, power, current L1, SoC) like the round-trip measurement. With
 * `sessions` a car arrives about a second after each connector is free (3,600 arrivals per hour) and
 * stays an hour, so nearly every connector charges for the whole run.
 */
export function fleetScenario({ stations, sessions, sampleIntervalS, durationS, rampPerSecond, gracePeriodS = 10, timeScale = 1 }) {
  const yaml = `
version: 1
name: bench-fleet
seed: 1
fleet:
  stations: ${stations}
  identity: "BENCH-{index:5}"
  connectors:
    - { type: Type2, phases: 1, maxPowerKw: 7.4 }
    - { type: Type2, phases: 1, maxPowerKw: 7.4 }
sessions:
  arrivalsPerHour: ${sessions ? 3600 : 0}
  plugDuration: 1h
  idTags: { known: [${BENCH_ID_TAG}], unknownShare: 0, blockedShare: 0 }
meter:
  sampleInterval: ${sampleIntervalS}s
  measurands: [Energy.Active.Import.Register, Power.Active.Import, Current.Import, SoC]
rampUp: { stationsPerSecond: ${rampPerSecond} }
duration: ${durationS}s
gracePeriod: ${gracePeriodS}s
timeScale: ${timeScale}
`;
  const parsed = parseScenario(yaml, 'bench-fleet.yaml');
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.line}:${e.column} ${e.path}: ${e.message}`).join('\n'));
  return parsed.scenario;
}
