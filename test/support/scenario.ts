import { parseScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/types.js';

/** Parses YAML text that must be a valid scenario; fails the test with every error otherwise. */
export function scenarioFrom(yaml: string): Scenario {
  const r = parseScenario(yaml, 'inline.yaml');
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.line}:${e.column} ${e.path}: ${e.message}`).join('\n'));
  return r.scenario;
}

/** A small, fast fleet for integration tests: 120× time, short plugs, every tag known to the CSMS. */
export function fastScenario(extra = ''): Scenario {
  return scenarioFrom(`
version: 1
name: fast
seed: 7
fleet:
  stations: 3
  connectors: [Type2, { type: CCS2, maxPowerKw: 50 }]
sessions:
  arrivalsPerHour: 20
  plugDuration: { min: 3m, max: 6m }
  idTags: { known: [TAG-A, TAG-B, TAG-C], unknownShare: 0, blockedShare: 0 }
meter:
  sampleInterval: 60s
  measurands: [Energy.Active.Import.Register, Power.Active.Import, Current.Import, Voltage, SoC]
rampUp: { stationsPerSecond: 50 }
duration: 10m
gracePeriod: 5s
timeScale: 120
${extra}`);
}
