import type { ConnectorType, Measurand } from './types.js';

/**
 * The scenario file as written (version 1), after YAML parsing and JSON-Schema validation and before
 * defaults and unit conversion. Optional keys fall back to `DEFAULTS` (defaults.ts).
 */
export interface ScenarioFile {
  version: 1;
  name: string;
  seed?: number;
  target?: TargetFile;
  fleet?: FleetFile;
  sessions?: SessionsFile;
  vehicles?: VehiclesFile;
  meter?: MeterFile;
  rampUp?: { stationsPerSecond?: number };
  duration?: DurationValue;
  gracePeriod?: DurationValue;
  timeScale?: number;
  groups?: Record<string, SelectorValue>;
  faults?: FaultFile[];
  thresholds?: string[];
  ledger?: LedgerFile;
}

/** Seconds as a number, or a string such as `30s`, `1h30m` (see duration.ts). */
export type DurationValue = number | string;

export interface TargetFile {
  url?: string;
  protocol?: 'ocpp1.6';
  passwordEnv?: string;
  callTimeout?: DurationValue;
  validate?: boolean;
}

export interface FleetFile {
  stations?: number;
  identity?: string;
  vendor?: string;
  model?: string;
  firmwareVersion?: string;
  heartbeatInterval?: DurationValue;
  /** A count of default connectors, or one entry per connector. */
  connectors?: number | ConnectorValue[];
  /** Initial OCPP configuration key values; numbers and booleans become strings. */
  configuration?: Record<string, ConfigurationValue>;
}

export type ConfigurationValue = string | number | boolean;

/** A preset name (`CONNECTOR_PRESETS`) or an explicit connector. */
export type ConnectorValue = string | ConnectorObject;

export interface ConnectorObject {
  type: ConnectorType;
  maxPowerKw?: number;
  phases?: 1 | 3;
}

export type DistKind = 'uniform' | 'lognormal' | 'fixed';

/** A single value (fixed) or an object; `dist` defaults to uniform. */
export type DistributionValue<V> = V | DistributionObject<V>;

export interface DistributionObject<V> {
  dist?: DistKind;
  min?: V;
  max?: V;
  median?: V;
  sigma?: number;
  value?: V;
}

export interface SessionsFile {
  arrivalsPerHour?: number;
  hourlyProfile?: number[];
  plugDuration?: DistributionValue<DurationValue>;
  arrivalSoc?: DistributionValue<number>;
  targetSoc?: DistributionValue<number>;
  idTags?: IdTagsFile;
  faultsPerHour?: number;
  faultRecovery?: DurationValue;
}

/** `count` tags named by `pattern`, whose `{n}` / `{n:4}` placeholder takes 1..count. */
export interface IdTagPattern {
  pattern: string;
  count: number;
}

export interface IdTagsFile {
  known?: string[] | IdTagPattern;
  blocked?: string[] | IdTagPattern;
  unknownShare?: number;
  blockedShare?: number;
}

export interface VehiclesFile {
  mix?: Record<string, number>;
  custom?: CustomVehicleFile[];
}

export interface CustomVehicleFile {
  name: string;
  batteryKwh: number;
  onboardChargerKw: number;
  acPhases?: 1 | 3;
  dcMaxKw: number;
  dcCurve?: [number, number][];
}

export interface MeterFile {
  sampleInterval?: DurationValue;
  clockAlignedInterval?: DurationValue;
  measurands?: Measurand[];
  alignedMeasurands?: Measurand[];
}

/** `all`, or a mapping with exactly one of share, list, pattern, group. */
export type SelectorValue = 'all' | { share: number } | { list: string[] } | { pattern: string } | { group: string };

export type FaultKind = 'partition' | 'flapping' | 'latency' | 'loss' | 'outage' | 'reboot';

/** One entry of `faults`; which keys a kind takes is in `FAULT_KEYS` (checks-faults.ts). */
export interface FaultFile {
  kind: FaultKind;
  at: DurationValue;
  duration?: DurationValue;
  mode?: 'refuse' | 'blackhole';
  down?: DurationValue;
  up?: DurationValue;
  ms?: number;
  jitter?: DurationValue;
  share?: number;
  direction?: 'toCsms' | 'toStation' | 'both';
  messages?: ('CALL' | 'CALLRESULT' | 'CALLERROR')[];
  keepQueue?: boolean;
  stations?: SelectorValue;
}

export type LedgerField =
  | 'transactionId'
  | 'chargePointId'
  | 'connectorId'
  | 'idTag'
  | 'meterStart'
  | 'meterStop'
  | 'startTimestamp'
  | 'stopTimestamp';

export interface LedgerFile {
  url?: string;
  itemsPath?: string;
  fields?: Partial<Record<LedgerField, string>>;
}
