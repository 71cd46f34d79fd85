import type {
  ConnectorConfig,
  FleetConfig,
  LedgerSourceConfig,
  MeterConfig,
  Scenario,
  SessionsConfig,
  TargetConfig,
  VehicleProfile,
  VehiclesConfig,
} from './types.js';
import type {
  ConfigurationValue,
  ConnectorValue,
  FleetFile,
  LedgerFile,
  MeterFile,
  ScenarioFile,
  SessionsFile,
  TargetFile,
  VehiclesFile,
} from './raw.js';
import {
  CONNECTOR_PRESETS,
  CUSTOM_VEHICLE_DEFAULTS,
  DEFAULT_CONNECTOR_PRESET,
  DEFAULTS,
  defaultConnectorPowerKw,
} from './defaults.js';
import { parseDuration } from './duration.js';
import { normaliseDistribution } from './distribution.js';
import { expandIdTags } from './id-tags.js';
import { normaliseFault, normaliseGroups } from './normalise-faults.js';
import { KEY_DEFS, normaliseValue } from '../station/config-keys.js';

/**
 * A file that passed validation → the Scenario every other module consumes: defaults filled in,
 * durations in ms, presets and shorthands expanded. Only called when there are no errors, so every
 * value here already has the right shape.
 */
export function normaliseScenario(file: ScenarioFile, builtins: Readonly<Record<string, VehicleProfile>>): Scenario {
  return {
    version: 1,
    name: file.name,
    seed: file.seed ?? DEFAULTS.seed,
    target: normaliseTarget(file.target ?? {}),
    fleet: normaliseFleet(file.fleet ?? {}),
    sessions: normaliseSessions(file.sessions ?? {}),
    vehicles: normaliseVehicles(file.vehicles ?? {}, builtins),
    meter: normaliseMeter(file.meter ?? {}),
    rampUp: { stationsPerSecond: file.rampUp?.stationsPerSecond ?? DEFAULTS.rampUp.stationsPerSecond },
    durationMs: ms(file.duration ?? DEFAULTS.duration),
    gracePeriodMs: ms(file.gracePeriod ?? DEFAULTS.gracePeriod),
    timeScale: file.timeScale ?? DEFAULTS.timeScale,
    groups: normaliseGroups(file.groups ?? DEFAULTS.groups),
    faults: (file.faults ?? []).map(normaliseFault),
    thresholds: (file.thresholds ?? DEFAULTS.thresholds).map((t) => t.trim()),
    ledger: file.ledger === undefined ? null : normaliseLedger(file.ledger),
  };
}

function normaliseTarget(t: TargetFile): TargetConfig {
  const d = DEFAULTS.target;
  return {
    url: t.url === undefined ? null : t.url.replace(/\/+$/, ''),
    protocol: t.protocol ?? d.protocol,
    passwordEnv: t.passwordEnv ?? null,
    callTimeoutMs: ms(t.callTimeout ?? d.callTimeout),
    validate: t.validate ?? d.validate,
  };
}

function normaliseFleet(f: FleetFile): FleetConfig {
  const d = DEFAULTS.fleet;
  return {
    stations: f.stations ?? d.stations,
    identity: f.identity ?? d.identity,
    vendor: f.vendor ?? d.vendor,
    model: f.model ?? d.model,
    firmwareVersion: f.firmwareVersion ?? d.firmwareVersion,
    connectors: normaliseConnectors(f.connectors ?? d.connectors),
    heartbeatIntervalS: ms(f.heartbeatInterval ?? d.heartbeatInterval) / 1000,
    configuration: normaliseConfiguration(f.configuration ?? d.configuration),
  };
}

/** Values as strings, in the canonical spelling the station's configuration store uses ("True" → "true"). */
function normaliseConfiguration(config: Readonly<Record<string, ConfigurationValue>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    const kind = KEY_DEFS.find((k) => k.key === key)?.kind ?? 'text';
    out[key] = normaliseValue(kind, String(value)) ?? String(value);
  }
  return out;
}

function normaliseConnectors(value: number | readonly ConnectorValue[]): ConnectorConfig[] {
  const list: readonly ConnectorValue[] =
    typeof value === 'number' ? Array.from({ length: value }, () => DEFAULT_CONNECTOR_PRESET) : value;
  return list.map((c) => {
    if (typeof c === 'string') return { ...CONNECTOR_PRESETS[c] };
    if (c.type === 'Type2') {
      const phases = c.phases ?? 3;
      return { type: 'Type2', current: 'AC', maxPowerKw: c.maxPowerKw ?? defaultConnectorPowerKw('Type2', phases), phases };
    }
    return { type: c.type, current: 'DC', maxPowerKw: c.maxPowerKw ?? defaultConnectorPowerKw(c.type, 1), phases: 1 };
  });
}

function normaliseSessions(s: SessionsFile): SessionsConfig {
  const d = DEFAULTS.sessions;
  const tags = s.idTags ?? {};
  const fraction = (v: unknown) => (typeof v === 'number' ? v : null);
  return {
    arrivalsPerHour: s.arrivalsPerHour ?? d.arrivalsPerHour,
    hourlyProfile: s.hourlyProfile ? [...s.hourlyProfile] : null,
    plugDurationMs: normaliseDistribution(s.plugDuration ?? d.plugDuration, parseDuration),
    arrivalSoc: normaliseDistribution(s.arrivalSoc ?? d.arrivalSoc, fraction),
    targetSoc: normaliseDistribution(s.targetSoc ?? d.targetSoc, fraction),
    idTags: {
      known: expandIdTags(tags.known ?? d.idTags.known),
      blocked: expandIdTags(tags.blocked ?? d.idTags.blocked),
      unknownShare: tags.unknownShare ?? d.idTags.unknownShare,
      blockedShare: tags.blockedShare ?? d.idTags.blockedShare,
    },
    faultsPerHour: s.faultsPerHour ?? d.faultsPerHour,
    faultRecoveryMs: ms(s.faultRecovery ?? d.faultRecovery),
  };
}

function normaliseVehicles(v: VehiclesFile, builtins: Readonly<Record<string, VehicleProfile>>): VehiclesConfig {
  const profiles: Record<string, VehicleProfile> = {};
  for (const [name, p] of Object.entries(builtins)) profiles[name] = copyProfile(p);
  for (const c of v.custom ?? []) {
    profiles[c.name] = copyProfile({
      name: c.name,
      batteryKwh: c.batteryKwh,
      onboardChargerKw: c.onboardChargerKw,
      acPhases: c.acPhases ?? CUSTOM_VEHICLE_DEFAULTS.acPhases,
      dcMaxKw: c.dcMaxKw,
      dcCurve: c.dcCurve ?? CUSTOM_VEHICLE_DEFAULTS.dcCurve,
    });
  }
  return { mix: { ...(v.mix ?? DEFAULTS.vehicles.mix) }, profiles };
}

function copyProfile(p: VehicleProfile): VehicleProfile {
  return { ...p, dcCurve: p.dcCurve.map(([soc, f]) => [soc, f] as [number, number]) };
}

function normaliseMeter(m: MeterFile): MeterConfig {
  const d = DEFAULTS.meter;
  return {
    sampleIntervalMs: ms(m.sampleInterval ?? d.sampleInterval),
    clockAlignedIntervalMs: ms(m.clockAlignedInterval ?? d.clockAlignedInterval),
    measurands: [...(m.measurands ?? d.measurands)],
    alignedMeasurands: [...(m.alignedMeasurands ?? d.alignedMeasurands)],
  };
}

function normaliseLedger(l: LedgerFile): LedgerSourceConfig {
  const d = DEFAULTS.ledger;
  return { url: l.url ?? null, itemsPath: l.itemsPath ?? d.itemsPath, fields: { ...d.fields, ...l.fields } };
}

function ms(value: unknown): number {
  const n = parseDuration(value);
  if (n === null) throw new Error(`invalid duration ${JSON.stringify(value)} reached normalisation`);
  return n;
}
