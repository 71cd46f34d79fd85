/** Builds stations for tests: two AC connectors, the real meter model, a fast simulated clock. */
import { createConnectorMeter } from '../../src/meter/connector-meter.js';
import { BUILTIN_VEHICLES } from '../../src/meter/vehicles.js';
import type { PluggedVehicle } from '../../src/meter/types.js';
import { createStation } from '../../src/station/station.js';
import type { PlannedSession, Station, StationOptions } from '../../src/station/types.js';
import { createClock } from '../../src/util/clock.js';
import { createRngRoot } from '../../src/util/rng.js';
import { createRecordingObserver, type RecordingObserver } from './recording-observer.js';

/** Simulated time runs this much faster than wall time: one simulated minute is 100 wall ms. */
export const TEST_SPEED = 600;

/** A car that keeps charging for the whole of a short session. */
export const CHARGING_CAR: PluggedVehicle = { profile: BUILTIN_VEHICLES.midsize, socStart: 0.2, socTarget: 0.9 };

/** A car that reaches its target within a couple of simulated minutes (then SuspendedEV). */
export const NEARLY_FULL_CAR: PluggedVehicle = { profile: BUILTIN_VEHICLES.city, socStart: 0.895, socTarget: 0.9 };

export interface TestStation {
  station: Station;
  observer: RecordingObserver;
  opts: StationOptions;
}

export function makeStation(url: string, overrides: Partial<StationOptions> = {}, identity = 'CP-1'): TestStation {
  const observer = createRecordingObserver();
  const rng = createRngRoot(42);
  const opts: StationOptions = {
    spec: {
      identity,
      index: 1,
      vendor: 'ev-sim',
      model: 'virtual-ac-22',
      firmwareVersion: '0.1.0',
      serialNumber: `SN-${identity}`,
      connectors: [
        { type: 'Type2', current: 'AC', maxPowerKw: 22, phases: 3 },
        { type: 'Type2', current: 'AC', maxPowerKw: 22, phases: 3 },
      ],
    },
    url,
    password: null,
    callTimeoutMs: 3000,
    validate: true,
    heartbeatIntervalS: 3600,
    meter: {
      sampleIntervalMs: 60_000,
      clockAlignedIntervalMs: 0,
      measurands: ['Energy.Active.Import.Register', 'Power.Active.Import', 'Current.Import', 'SoC'],
      alignedMeasurands: ['Energy.Active.Import.Register'],
    },
    clock: createClock(TEST_SPEED),
    rng,
    observer,
    createMeter: (rating, label, initialWh) => createConnectorMeter(rating, rng.stream(label), initialWh),
    ...overrides,
  };
  return { station: createStation(opts), observer, opts };
}

/** A planned session `inMs` simulated ms from now on the station's clock. */
export function planSession(
  t: TestStation,
  connectorId: number,
  inMs: number,
  plugDurationMs: number,
  idTag = 'TAG-OK',
  vehicle: PluggedVehicle = CHARGING_CAR,
): PlannedSession {
  return { connectorId, arriveAtMs: t.opts.clock.elapsed() + inMs, plugDurationMs, idTag, vehicle };
}
