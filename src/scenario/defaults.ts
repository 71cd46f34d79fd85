import type { ConnectorConfig, ConnectorType, Measurand } from './types.js';
import type { ConfigurationValue, DistributionObject, DurationValue, IdTagPattern, LedgerField, SelectorValue } from './raw.js';

/**
 * Every default of the scenario file, in the file's own spelling (durations as written, not yet ms).
 * The JSON Schema's `default`s repeat these values for editors; a test keeps the two equal. A key that
 * is absent here has no default: `target.url` (absent → the embedded CSMS), `target.passwordEnv`
 * (absent → no password), `sessions.hourlyProfile` (absent → a flat rate) and `ledger.url` (absent →
 * the embedded CSMS's own ledger). `ledger` itself is null when the file leaves it out; the values below
 * fill in a `ledger` mapping that is present.
 */
export const DEFAULTS = deepFreeze({
  seed: 1,
  target: {
    protocol: 'ocpp1.6' as const,
    callTimeout: '30s' as DurationValue,
    validate: true,
  },
  fleet: {
    stations: 10,
    identity: 'EVSIM-{index:4}',
    vendor: 'ev-sim',
    model: 'virtual-cp',
    firmwareVersion: '0.1.0',
    heartbeatInterval: '5m' as DurationValue,
    connectors: 2,
    configuration: {} as Record<string, ConfigurationValue>,
  },
  sessions: {
    arrivalsPerHour: 1,
    // ElaadNL public AC sessions: median plugged-in time 3.4 h, long right tail.
    plugDuration: { dist: 'lognormal', median: '3.4h', sigma: 0.9, min: '5m', max: '12h' } as DistributionObject<DurationValue>,
    arrivalSoc: { min: 0.1, max: 0.5 } as DistributionObject<number>,
    targetSoc: { min: 0.8, max: 1 } as DistributionObject<number>,
    idTags: {
      known: { pattern: 'EVSIM-TAG-{n:4}', count: 100 } as IdTagPattern | string[],
      blocked: [] as string[] | IdTagPattern,
      unknownShare: 0,
      blockedShare: 0,
    },
    faultsPerHour: 0,
    faultRecovery: '2m' as DurationValue,
  },
  vehicles: {
    mix: { city: 2, midsize: 5, longrange: 2, van: 1 } as Record<string, number>,
    custom: [],
  },
  meter: {
    sampleInterval: '60s' as DurationValue,
    clockAlignedInterval: 0 as DurationValue,
    measurands: ['Energy.Active.Import.Register', 'Power.Active.Import'] as Measurand[],
    alignedMeasurands: ['Energy.Active.Import.Register'] as Measurand[],
  },
  rampUp: { stationsPerSecond: 20 },
  duration: '5m' as DurationValue,
  gracePeriod: '10s' as DurationValue,
  timeScale: 1,
  groups: {} as Record<string, SelectorValue>,
  faults: [],
  thresholds: [] as string[],
  ledger: {
    itemsPath: 'transactions',
    fields: {
      transactionId: 'transactionId',
      chargePointId: 'chargePointId',
      connectorId: 'connectorId',
      idTag: 'idTag',
      meterStart: 'meterStart',
      meterStop: 'meterStop',
      startTimestamp: 'startTimestamp',
      stopTimestamp: 'stopTimestamp',
    } as Record<LedgerField, string>,
  },
});

/** Defaults of the keys a fault takes (a key a kind does not use is an error, not ignored). */
export const FAULT_DEFAULTS = deepFreeze({
  mode: 'refuse' as 'refuse' | 'blackhole',
  jitter: 0 as DurationValue,
  direction: 'both' as 'toCsms' | 'toStation' | 'both',
  keepQueue: true,
  stations: 'all' as SelectorValue,
});

/** Defaults inside repeated shapes (a distribution object, a custom vehicle), also mirrored in the schema. */
export const DISTRIBUTION_DEFAULT_KIND = 'uniform';
export const CUSTOM_VEHICLE_DEFAULTS = deepFreeze({
  acPhases: 3 as 1 | 3,
  /** A generic CC/CV shape: full power to 50 %, then tapering to a trickle at 100 %. */
  dcCurve: [
    [0, 1],
    [0.5, 0.85],
    [0.8, 0.45],
    [1, 0.05],
  ] as [number, number][],
});

/** Named connectors usable as a list entry instead of an object (`connectors: [Type2, CCS2]`). */
export const CONNECTOR_PRESETS: Readonly<Record<string, Readonly<ConnectorConfig>>> = deepFreeze({
  Type2: { type: 'Type2', current: 'AC', maxPowerKw: 22, phases: 3 },
  'Type2-11kW': { type: 'Type2', current: 'AC', maxPowerKw: 11, phases: 3 },
  'Type2-7kW': { type: 'Type2', current: 'AC', maxPowerKw: 7.4, phases: 1 },
  CCS2: { type: 'CCS2', current: 'DC', maxPowerKw: 150, phases: 1 },
  'CCS2-50kW': { type: 'CCS2', current: 'DC', maxPowerKw: 50, phases: 1 },
  'CCS2-350kW': { type: 'CCS2', current: 'DC', maxPowerKw: 350, phases: 1 },
  CHAdeMO: { type: 'CHAdeMO', current: 'DC', maxPowerKw: 50, phases: 1 },
});

/** The connector `connectors: N` repeats N times. */
export const DEFAULT_CONNECTOR_PRESET = 'Type2';

/** AC limits by phase count at 230 V / 32 A; an AC connector rated above them is an error. */
export const AC_MAX_KW: Readonly<Record<1 | 3, number>> = { 1: 7.4, 3: 22 };

/** maxPowerKw of a connector object that leaves it out. */
export function defaultConnectorPowerKw(type: ConnectorType, phases: 1 | 3): number {
  if (type === 'Type2') return AC_MAX_KW[phases];
  return type === 'CCS2' ? 150 : 50;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
