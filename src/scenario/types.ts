/**
 * The validated, defaulted scenario every other module consumes. The YAML file (schema version 1,
 * `scenarios/scenario.schema.json`) is parsed, checked and normalised into this shape by
 * `loadScenario`; durations are milliseconds here, whatever unit the file used.
 */
export interface Scenario {
  version: 1;
  name: string;
  seed: number;
  target: TargetConfig;
  fleet: FleetConfig;
  sessions: SessionsConfig;
  vehicles: VehiclesConfig;
  meter: MeterConfig;
  rampUp: RampUpConfig;
  /** Simulated milliseconds during which new sessions may start. */
  durationMs: number;
  /** Wall milliseconds to wait for replies after the last StopTransaction was sent. */
  gracePeriodMs: number;
  /** Simulated time runs this many times faster than wall time (1 = real time). */
  timeScale: number;
}

export interface TargetConfig {
  /** ws:// or wss:// URL of the CSMS; the station identity is appended as a path segment. null → embedded CSMS. */
  url: string | null;
  protocol: 'ocpp1.6';
  /** Name of an environment variable holding the Basic-auth password (never the secret itself). */
  passwordEnv: string | null;
  /** Wall milliseconds before an unanswered call counts as a timeout. */
  callTimeoutMs: number;
  /** Validate every sent and received payload against the OCA schemas (ocpp-rpc strict mode). */
  validate: boolean;
}

export type ConnectorType = 'Type2' | 'CCS2' | 'CHAdeMO';

export interface ConnectorConfig {
  type: ConnectorType;
  /** AC for Type2, DC for CCS2 and CHAdeMO. */
  current: 'AC' | 'DC';
  maxPowerKw: number;
  /** 1 or 3 for AC; 1 for DC (ignored). */
  phases: 1 | 3;
}

export interface FleetConfig {
  stations: number;
  /** Identity pattern; `{index}` or `{index:4}` (zero-padded, 1-based) is replaced per station. */
  identity: string;
  vendor: string;
  model: string;
  firmwareVersion: string;
  connectors: ConnectorConfig[];
  /** BootNotification/Heartbeat interval used until the CSMS gives one (seconds). */
  heartbeatIntervalS: number;
}

export interface Distribution {
  /** uniform: min..max; lognormal: median with shape sigma, clipped to min..max; fixed: value. */
  dist: 'uniform' | 'lognormal' | 'fixed';
  min: number;
  max: number;
  median?: number;
  sigma?: number;
  value?: number;
}

export interface SessionsConfig {
  /** Mean arrivals per connector per simulated hour (Poisson process). */
  arrivalsPerHour: number;
  /** Optional 24 relative weights modulating the arrival rate by hour of simulated day (mean-normalised). */
  hourlyProfile: number[] | null;
  /** Plugged-in time, simulated ms. */
  plugDurationMs: Distribution;
  /** State of charge on arrival, 0..1. */
  arrivalSoc: Distribution;
  /** State of charge the driver wants, 0..1. */
  targetSoc: Distribution;
  idTags: IdTagsConfig;
  /** Connector faults (Faulted status) per connector per simulated hour. 0 disables them. */
  faultsPerHour: number;
  /** Simulated ms a faulted connector stays Faulted before it recovers. */
  faultRecoveryMs: number;
}

export interface IdTagsConfig {
  /** Tags the CSMS knows and accepts. */
  known: string[];
  /** Tags the CSMS knows and blocks (the session must not start). */
  blocked: string[];
  /** Share of arrivals presenting an unknown tag (0..1). */
  unknownShare: number;
  /** Share of arrivals presenting a blocked tag (0..1). */
  blockedShare: number;
}

export interface VehicleProfile {
  name: string;
  batteryKwh: number;
  /** AC on-board charger limit. */
  onboardChargerKw: number;
  /** Phases the on-board charger uses on AC. */
  acPhases: 1 | 3;
  /** Peak DC power the car accepts. */
  dcMaxKw: number;
  /** DC power as a fraction of dcMaxKw against state of charge: [soc 0..1, fraction 0..1], soc ascending. */
  dcCurve: [number, number][];
}

export interface VehiclesConfig {
  /** Relative weights by profile name. */
  mix: Record<string, number>;
  /** All profiles available to the mix: built-ins plus the scenario's own. */
  profiles: Record<string, VehicleProfile>;
}

export type Measurand =
  | 'Energy.Active.Import.Register'
  | 'Power.Active.Import'
  | 'Current.Import'
  | 'Current.Offered'
  | 'Voltage'
  | 'SoC'
  | 'Temperature';

export interface MeterConfig {
  /** MeterValueSampleInterval, simulated ms (0 disables periodic samples). */
  sampleIntervalMs: number;
  /** ClockAlignedDataInterval, simulated ms (0 disables clock-aligned samples). */
  clockAlignedIntervalMs: number;
  measurands: Measurand[];
  /** Measurands for clock-aligned samples (MeterValuesAlignedData). */
  alignedMeasurands: Measurand[];
}

export interface RampUpConfig {
  stationsPerSecond: number;
}
