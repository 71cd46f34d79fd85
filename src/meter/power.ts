import type { ConnectorConfig, VehicleProfile } from '../scenario/types.js';

/**
 * Charging power models. Pure functions of (connector rating, car, state of charge, smart-charging
 * limit); no state, no allocation, so the meter can call them in its integration loop.
 *
 * Conventions:
 * - AC: the EVSE offers a current per phase (IEC 61851 pilot signal). A smart-charging limit in W is
 *   shared equally by the connector's phases: offered A = min(connector A, limitW / (230 V × connector
 *   phases)). The car draws on min(connector phases, car acPhases) phases, so a single-phase car on a
 *   3-phase 11 kW point gets 16 A × 230 V = 3.7 kW, as in the field.
 * - DC: the station converts to the battery voltage, so power is capped directly by the station
 *   rating, the limit and the car's curve; current = P / V at the pack voltage.
 */

/** Nominal AC line-to-neutral voltage, V. */
export const AC_NOMINAL_V = 230;
/** Nominal DC voltage used to convert ampere limits for DC connectors (400 V-class pack). */
export const DC_NOMINAL_V = 400;
/** DC pack voltage at 0 % and at 100 % state of charge (400 V-class pack), V. */
export const DC_PACK_V_EMPTY = 350;
export const DC_PACK_V_FULL = 400;
/** AC taper: flat below this state of charge, then linear down to AC_TAPER_END_FRACTION at 100 %. */
export const AC_TAPER_START_SOC = 0.97;
export const AC_TAPER_END_FRACTION = 0.1;

/** Fraction of dcMaxKw the car accepts at `soc` (0..1), by linear interpolation on its curve. */
export function dcCurveFraction(curve: readonly (readonly [number, number])[], soc: number): number {
  const n = curve.length;
  if (n === 0) return 1;
  if (soc <= curve[0][0]) return clamp01(curve[0][1]);
  for (let i = 1; i < n; i++) {
    const [s1, f1] = curve[i];
    if (soc <= s1) {
      const [s0, f0] = curve[i - 1];
      const span = s1 - s0;
      const f = span > 0 ? f0 + ((f1 - f0) * (soc - s0)) / span : f1;
      return clamp01(f);
    }
  }
  return clamp01(curve[n - 1][1]);
}

/** The car's AC acceptance as a fraction of its on-board charger rating at `soc`. */
export function acTaper(soc: number): number {
  if (soc <= AC_TAPER_START_SOC) return 1;
  const x = Math.min(1, (soc - AC_TAPER_START_SOC) / (1 - AC_TAPER_START_SOC));
  return 1 - (1 - AC_TAPER_END_FRACTION) * x;
}

/** Phases an AC car draws on at this connector. */
export function acPhasesUsed(rating: ConnectorConfig, profile: VehicleProfile): 1 | 3 {
  return rating.phases === 3 && profile.acPhases === 3 ? 3 : 1;
}

/** Per-phase current the connector can deliver at its rating, A. */
export function acRatedCurrentA(rating: ConnectorConfig): number {
  return (rating.maxPowerKw * 1000) / (AC_NOMINAL_V * rating.phases);
}

/** Per-phase current the EVSE offers (pilot), A: rating capped by the smart-charging limit. */
export function acOfferedA(rating: ConnectorConfig, limitW: number | null): number {
  const rated = acRatedCurrentA(rating);
  if (limitW === null) return rated;
  return Math.max(0, Math.min(rated, limitW / (AC_NOMINAL_V * rating.phases)));
}

/** AC charging power, W: min(offered current × phases used × 230 V, on-board charger × taper). */
export function acPowerW(
  rating: ConnectorConfig,
  profile: VehicleProfile,
  soc: number,
  limitW: number | null,
): number {
  const evseW = acOfferedA(rating, limitW) * AC_NOMINAL_V * acPhasesUsed(rating, profile);
  const carW = profile.onboardChargerKw * 1000 * acTaper(soc);
  return Math.max(0, Math.min(evseW, carW));
}

/** Battery voltage of a 400 V-class pack at `soc`, V (rises linearly with state of charge). */
export function dcPackVoltage(soc: number): number {
  return DC_PACK_V_EMPTY + (DC_PACK_V_FULL - DC_PACK_V_EMPTY) * clamp01(soc);
}

/** Power the DC station can deliver after the smart-charging limit, W. */
export function dcAvailableW(rating: ConnectorConfig, limitW: number | null): number {
  const stationW = rating.maxPowerKw * 1000;
  return limitW === null ? stationW : Math.max(0, Math.min(stationW, limitW));
}

/** DC charging power, W: min(station rating, limit, dcMaxKw × curve(soc)). */
export function dcPowerW(
  rating: ConnectorConfig,
  profile: VehicleProfile,
  soc: number,
  limitW: number | null,
): number {
  const carW = profile.dcMaxKw * 1000 * dcCurveFraction(profile.dcCurve, soc);
  return Math.max(0, Math.min(dcAvailableW(rating, limitW), carW));
}

/** Charging power for the connector's current type, W. */
export function chargePowerW(
  rating: ConnectorConfig,
  profile: VehicleProfile,
  soc: number,
  limitW: number | null,
): number {
  return rating.current === 'DC'
    ? dcPowerW(rating, profile, soc, limitW)
    : acPowerW(rating, profile, soc, limitW);
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
