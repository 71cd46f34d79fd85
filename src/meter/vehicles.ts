import type { VehicleProfile } from '../scenario/types.js';

/**
 * Built-in vehicle profiles, loosely modelled on common European EV classes. The DC curves follow the
 * usual constant-current / constant-voltage shape: the peak sits between low and mid state of charge,
 * power drops markedly above about 80 % and trickles near 100 %. Points are [soc 0..1, fraction of
 * dcMaxKw]; the power model interpolates linearly between them.
 *
 * The objects are frozen: scenarios that want a variant define their own profile instead of editing these.
 */
export const BUILTIN_VEHICLES: Record<string, VehicleProfile> = deepFreeze({
  /** Small city car: ~37 kWh, 7.4 kW single-phase on-board charger, 50 kW DC. */
  city: {
    name: 'city',
    batteryKwh: 37,
    onboardChargerKw: 7.4,
    acPhases: 1,
    dcMaxKw: 50,
    dcCurve: [
      [0, 0.8],
      [0.1, 1],
      [0.45, 1],
      [0.6, 0.85],
      [0.8, 0.5],
      [0.9, 0.25],
      [1, 0.05],
    ],
  },
  /** Mid-size car / compact SUV: 77 kWh, 11 kW three-phase, 150 kW DC. */
  midsize: {
    name: 'midsize',
    batteryKwh: 77,
    onboardChargerKw: 11,
    acPhases: 3,
    dcMaxKw: 150,
    dcCurve: [
      [0, 0.75],
      [0.1, 1],
      [0.35, 0.95],
      [0.6, 0.7],
      [0.8, 0.42],
      [0.9, 0.2],
      [1, 0.04],
    ],
  },
  /**
   * Long-range car: 95 kWh, 11 kW three-phase, 200 kW DC. Shape from the ocpp-notes example:
   * 100 % of peak at 0 % SoC, 85 % at 50 %, 45 % at 80 %, 5 % at 100 %.
   */
  longrange: {
    name: 'longrange',
    batteryKwh: 95,
    onboardChargerKw: 11,
    acPhases: 3,
    dcMaxKw: 200,
    dcCurve: [
      [0, 1],
      [0.25, 0.95],
      [0.5, 0.85],
      [0.7, 0.62],
      [0.8, 0.45],
      [0.9, 0.22],
      [1, 0.05],
    ],
  },
  /** Electric delivery van: 75 kWh, 11 kW three-phase, 100 kW DC with a long flat plateau. */
  van: {
    name: 'van',
    batteryKwh: 75,
    onboardChargerKw: 11,
    acPhases: 3,
    dcMaxKw: 100,
    dcCurve: [
      [0, 0.85],
      [0.1, 1],
      [0.55, 1],
      [0.7, 0.8],
      [0.8, 0.55],
      [0.9, 0.28],
      [1, 0.06],
    ],
  },
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
