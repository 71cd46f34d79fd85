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
  /** Named station selections that faults can refer to. */
  groups: Record<string, StationSelector>;
  /** The fault timeline. */
  faults: FaultConfig[];
  /** Pass/fail criteria over the report, e.g. "latency.StartTransaction.p95 < 800". */
  thresholds: string[];
  /** Where to read the CSMS's own transaction records for reconciliation; null = station-side only. */
  ledger: LedgerSourceConfig | null;
}

/** Which stations something applies to. */
export type StationSelector =
  | { all: true }
  /** A seeded share of the fleet, 0..1 (the same stations for the same seed). */
  | { share: number }
  | { list: string[] }
  /** A glob on the identity: `*` any run of characters, `?` one character. */
  | { pattern: string }
  | { group: string };

export type FaultConfig =
  | (FaultTiming & { kind: 'partition'; mode: 'refuse' | 'blackhole'; stations: StationSelector })
  | (FaultTiming & { kind: 'flapping'; mode: 'refuse' | 'blackhole'; downMs: number; upMs: number; stations: StationSelector })
  | (FaultTiming & { kind: 'latency'; ms: number; jitterMs: number; stations: StationSelector })
  | (FaultTiming & { kind: 'loss'; share: number; direction: 'toCsms' | 'toStation' | 'both'; messages: ('CALL' | 'CALLRESULT' | 'CALLERROR')[] | null; stations: StationSelector })
  | (FaultTiming & { kind: 'outage' })
  /** Stations reboot at `atMs` (durationMs 0); the offline queue survives when keepQueue is true. */
  | (FaultTiming & { kind: 'reboot'; keepQueue: boolean; stations: StationSelector });

export interface FaultTiming {
  /** Simulated ms after the run's start. */
  atMs: number;
  /** Simulated ms the fault lasts. */
  durationMs: number;
}

export interface LedgerSourceConfig {
  /** HTTP(S) URL returning the CSMS's transactions as JSON; null with the embedded CSMS = its own ledger. */
  url: string | null;
  /** Path to the array in the response body, dotted (default "transactions"; "" = the body itself). */
  itemsPath: string;
  /** Field names in the CSMS's records. */
  fields: {
    transactionId: string;
    chargePointId: string;
    connectorId: string;
    idTag: string;
    meterStart: string;
    meterStop: string;
    startTimestamp: string;
    stopTimestamp: string;
  };
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
  /** Initial values of OCPP configuration keys (e.g. TransactionMessageAttempts: "3"), as strings. */
  configuration: Record<string, string>;
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
