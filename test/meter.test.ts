import { describe, expect, it } from 'vitest';
import { createConnectorMeter } from '../src/meter/connector-meter.js';
import {
  acPowerW,
  chargePowerW,
  dcCurveFraction,
  dcPowerW,
} from '../src/meter/power.js';
import { BUILTIN_VEHICLES } from '../src/meter/vehicles.js';
import type { ConnectorConfig, VehicleProfile } from '../src/scenario/types.js';
import type { MeterReading } from '../src/meter/types.js';
import { createRngRoot, uniform, type Rng } from '../src/util/rng.js';

const AC1_16: ConnectorConfig = { type: 'Type2', current: 'AC', maxPowerKw: 3.7, phases: 1 };
const AC1_32: ConnectorConfig = { type: 'Type2', current: 'AC', maxPowerKw: 7.4, phases: 1 };
const AC3_16: ConnectorConfig = { type: 'Type2', current: 'AC', maxPowerKw: 11, phases: 3 };
const AC3_32: ConnectorConfig = { type: 'Type2', current: 'AC', maxPowerKw: 22, phases: 3 };
const DC50: ConnectorConfig = { type: 'CHAdeMO', current: 'DC', maxPowerKw: 50, phases: 1 };
const DC150: ConnectorConfig = { type: 'CCS2', current: 'DC', maxPowerKw: 150, phases: 1 };
const DC350: ConnectorConfig = { type: 'CCS2', current: 'DC', maxPowerKw: 350, phases: 1 };
const CONNECTORS = [AC1_16, AC1_32, AC3_16, AC3_32, DC50, DC150, DC350];
const VEHICLES = Object.values(BUILTIN_VEHICLES);
const T0 = Date.UTC(2025, 0, 6, 8, 0, 0);
const HOUR = 3_600_000;

describe('built-in vehicles', () => {
  it('has the four classes with plausible batteries, chargers and DC curves', () => {
    const { city, midsize, longrange, van } = BUILTIN_VEHICLES;
    expect(city.acPhases).toBe(1);
    expect(city.onboardChargerKw).toBeCloseTo(7.4);
    expect(midsize.batteryKwh).toBeGreaterThanOrEqual(60);
    expect(longrange.batteryKwh).toBeGreaterThanOrEqual(90);
    expect(van.dcMaxKw).toBe(100);
    for (const v of VEHICLES) {
      for (let i = 1; i < v.dcCurve.length; i++) expect(v.dcCurve[i][0]).toBeGreaterThan(v.dcCurve[i - 1][0]);
      const peakSoc = v.dcCurve.reduce((best, p) => (p[1] > best[1] ? p : best))[0];
      expect(peakSoc).toBeLessThanOrEqual(0.5);
      expect(dcCurveFraction(v.dcCurve, 0.85)).toBeLessThan(0.6);
      expect(dcCurveFraction(v.dcCurve, 1)).toBeLessThanOrEqual(0.1);
      expect(dcCurveFraction(v.dcCurve, 1)).toBeGreaterThan(0);
    }
  });

  it('follows the notes shape for the long-range car', () => {
    const curve = BUILTIN_VEHICLES.longrange.dcCurve;
    expect(dcCurveFraction(curve, 0)).toBe(1);
    expect(dcCurveFraction(curve, 0.5)).toBeCloseTo(0.85);
    expect(dcCurveFraction(curve, 0.8)).toBeCloseTo(0.45);
    expect(dcCurveFraction(curve, 1)).toBeCloseTo(0.05);
  });

  it('cannot be mutated by a consumer', () => {
    expect(() => {
      (BUILTIN_VEHICLES.city as { batteryKwh: number }).batteryKwh = 1;
    }).toThrow();
  });
});

describe('power model', () => {
  it('limits AC by connector, on-board charger and phases the car uses', () => {
    const { city, midsize } = BUILTIN_VEHICLES;
    expect(acPowerW(AC3_32, midsize, 0.5, null)).toBeCloseTo(11_000);
    expect(acPowerW(AC1_16, midsize, 0.5, null)).toBeCloseTo(3_700);
    // single-phase car on a 3-phase 11 kW point: the rated ~16 A on one phase only
    expect(acPowerW(AC3_16, city, 0.5, null)).toBeCloseTo(11_000 / 3);
    expect(acPowerW(AC1_32, city, 0.5, null)).toBeCloseTo(7_400);
    // smart-charging limit: 6 A per phase on a 3-phase point
    expect(acPowerW(AC3_32, midsize, 0.5, 6 * 230 * 3)).toBeCloseTo(4_140);
    expect(acPowerW(AC3_32, midsize, 0.5, 0)).toBe(0);
  });

  it('tapers AC over the last few percent', () => {
    const { midsize } = BUILTIN_VEHICLES;
    expect(acPowerW(AC3_16, midsize, 0.96, null)).toBeCloseTo(11_000);
    const p98 = acPowerW(AC3_16, midsize, 0.985, null);
    expect(p98).toBeLessThan(11_000);
    expect(p98).toBeGreaterThan(1_100);
    expect(acPowerW(AC3_16, midsize, 1, null)).toBeCloseTo(1_100);
  });

  it('interpolates the DC curve and caps by station and limit', () => {
    const { longrange } = BUILTIN_VEHICLES;
    expect(dcPowerW(DC350, longrange, 0.5, null)).toBeCloseTo(170_000);
    expect(dcPowerW(DC350, longrange, 0.75, null)).toBeCloseTo(200_000 * (0.62 + 0.45) / 2);
    expect(dcPowerW(DC50, longrange, 0.5, null)).toBe(50_000);
    expect(dcPowerW(DC350, longrange, 0.2, 80_000)).toBe(80_000);
  });
});

interface SessionTrace {
  readings: MeterReading[];
  vehicle: VehicleProfile;
  socTarget: number;
}

/** Runs one session on `meter`, reading at random intervals until the plug-out time. */
function runSession(
  meter: ReturnType<typeof createConnectorMeter>,
  rng: Rng,
  start: number,
): { trace: SessionTrace; end: number } {
  const vehicle = VEHICLES[Math.floor(rng() * VEHICLES.length)];
  const socStart = uniform(rng, 0.02, 0.8);
  const socTarget = rng() < 0.25 ? 1 : Math.min(1, socStart + uniform(rng, 0.05, 0.6));
  const plugMs = uniform(rng, 0.3, 30) * HOUR;
  const maxStep = meter.rating.current === 'DC' ? 120_000 : 900_000;
  meter.plugIn({ profile: vehicle, socStart, socTarget }, start);
  const readings: MeterReading[] = [];
  let t = start;
  let suspendedReads = 0;
  while (t < start + plugMs && suspendedReads < 3) {
    t += uniform(rng, 1_000, maxStep);
    const reading = meter.read(t);
    readings.push(reading);
    if (reading.state === 'SuspendedEV') suspendedReads++;
  }
  meter.unplug(t);
  return { trace: { readings, vehicle, socTarget }, end: t };
}

function checkReading(r: MeterReading, rating: ConnectorConfig, vehicle: VehicleProfile, socTarget: number): void {
  expect(r.socPercent).not.toBeNull();
  expect(r.socPercent!).toBeLessThanOrEqual(socTarget * 100 + 1e-9);
  const sumVI = r.voltageV.reduce((sum, v, i) => sum + v * r.currentA[i], 0);
  expect(Math.abs(sumVI - r.powerW)).toBeLessThan(1e-6 * Math.max(1, r.powerW));
  for (const v of r.voltageV) {
    const nominal = rating.current === 'AC' ? 230 : v;
    expect(Math.abs(v / nominal - 1)).toBeLessThanOrEqual(0.01);
  }
  if (rating.current === 'AC') {
    expect(r.powerW).toBeLessThanOrEqual(vehicle.onboardChargerKw * 1000 + 1e-6);
    expect(r.powerW).toBeLessThanOrEqual(rating.maxPowerKw * 1000 + 1e-6);
    expect(r.voltageV).toHaveLength(rating.phases);
  } else {
    expect(r.powerW).toBeLessThanOrEqual(Math.min(rating.maxPowerKw, vehicle.dcMaxKw) * 1000 + 1e-6);
    expect(r.voltageV[0]).toBeGreaterThanOrEqual(350 * 0.99);
    expect(r.voltageV[0]).toBeLessThanOrEqual(400 * 1.01);
  }
  if (r.state === 'Charging') expect(r.powerW).toBeGreaterThan(0);
  else expect(r.powerW).toBe(0);
}

function checkSession(trace: SessionTrace, rating: ConnectorConfig, registerBefore: number): void {
  const { readings, vehicle, socTarget } = trace;
  let prev: MeterReading | null = null;
  let firstSoc: number | null = null;
  for (const r of readings) {
    checkReading(r, rating, vehicle, socTarget);
    firstSoc ??= r.socPercent!;
    expect(r.energyWh).toBeGreaterThanOrEqual(prev?.energyWh ?? registerBefore);
    if (prev) {
      expect(r.socPercent!).toBeGreaterThanOrEqual(prev.socPercent!);
      // energy into the battery = energy through the register (no losses modelled)
      const dSocWh = ((r.socPercent! - prev.socPercent!) / 100) * vehicle.batteryKwh * 1000;
      expect(Math.abs(dSocWh - (r.energyWh - prev.energyWh))).toBeLessThan(1e-6 * Math.max(1, dSocWh));
      checkEnergyIntegral(prev, r, rating, vehicle, socTarget);
    }
    prev = r;
  }
  const last = readings[readings.length - 1];
  if (last.state === 'SuspendedEV') expect(last.socPercent!).toBeCloseTo(socTarget * 100, 9);
  if (last.socPercent! < socTarget * 100 - 1e-9) expect(last.state).toBe('Charging');
}

/**
 * ΔE between two reads equals ∫P·dt: an independent fourth-order Runge-Kutta integration of the power
 * model from the first read's SoC (2 s steps, stopping at the target) must agree within 0.1 % + 0.5 Wh.
 */
function checkEnergyIntegral(
  a: MeterReading,
  b: MeterReading,
  rating: ConnectorConfig,
  vehicle: VehicleProfile,
  socTarget: number,
): void {
  if (a.state !== 'Charging') return;
  const capWh = vehicle.batteryKwh * 1000;
  const dSoc = (soc: number) => (soc >= socTarget ? 0 : chargePowerW(rating, vehicle, soc, null) / capWh);
  const steps = Math.ceil((b.at - a.at) / 2_000);
  const h = (b.at - a.at) / HOUR / steps;
  let soc = a.socPercent! / 100;
  for (let i = 0; i < steps && soc < socTarget; i++) {
    const k1 = dSoc(soc);
    const k2 = dSoc(soc + (h * k1) / 2);
    const k3 = dSoc(soc + (h * k2) / 2);
    const k4 = dSoc(soc + h * k3);
    soc = Math.min(socTarget, soc + (h * (k1 + 2 * k2 + 2 * k3 + k4)) / 6);
  }
  const expected = (soc - a.socPercent! / 100) * capWh;
  const dE = b.energyWh - a.energyWh;
  expect(Math.abs(dE - expected)).toBeLessThanOrEqual(0.5 + 0.001 * expected);
  if (b.state === 'Charging' && a.powerW === b.powerW) {
    // constant power: exactly P·Δt
    expect(dE).toBeCloseTo(a.powerW * ((b.at - a.at) / HOUR), 6);
  }
}

describe('connector meter over many seeded sessions', () => {
  it('keeps every invariant across 200 consecutive sessions on 20 meters', () => {
    const root = createRngRoot(4242);
    let sessions = 0;
    let reachedTarget = 0;
    let dcHighSocChecked = 0;
    for (let m = 0; m < 20; m++) {
      const rating = CONNECTORS[m % CONNECTORS.length];
      const initialWh = m * 1_000_003;
      const meter = createConnectorMeter(rating, root.stream(`meter/${m}`), initialWh);
      const rng = root.stream(`sessions/${m}`);
      let t = T0 + m * 60_000;
      let register = initialWh;
      for (let s = 0; s < 10; s++) {
        t += uniform(rng, 0, 2 * HOUR);
        const idle = meter.read(t);
        expect(idle.state).toBe('Idle');
        expect(idle.powerW).toBe(0);
        expect(idle.socPercent).toBeNull();
        expect(idle.energyWh).toBeGreaterThanOrEqual(register);
        const { trace, end } = runSession(meter, rng, t);
        checkSession(trace, rating, register);
        register = meter.registerWh;
        t = end;
        sessions++;
        if (trace.readings.at(-1)!.state === 'SuspendedEV') reachedTarget++;
        if (rating.current === 'DC') dcHighSocChecked += checkDcHighSoc(trace, rating);
      }
    }
    expect(sessions).toBe(200);
    expect(reachedTarget).toBeGreaterThan(100);
    expect(dcHighSocChecked).toBeGreaterThan(5);
  });
});

/** Above 80 % SoC a DC car draws markedly less than its peak. Returns 1 if the session was checked. */
function checkDcHighSoc(trace: SessionTrace, rating: ConnectorConfig): number {
  const high = trace.readings.filter((r) => r.socPercent! > 81 && r.state === 'Charging');
  const low = trace.readings.filter((r) => r.socPercent! < 60 && r.state === 'Charging');
  if (high.length === 0 || low.length === 0) return 0;
  const maxHigh = Math.max(...high.map((r) => r.powerW));
  const peak = Math.max(...low.map((r) => r.powerW));
  expect(maxHigh).toBeLessThan(0.6 * trace.vehicle.dcMaxKw * 1000);
  if (rating.maxPowerKw >= trace.vehicle.dcMaxKw) expect(maxHigh).toBeLessThan(0.7 * peak);
  return 1;
}

describe('connector meter behaviour', () => {
  const rng = () => createRngRoot(7).stream('meter');

  it('integrates ΔE = P·Δt exactly at constant power and starts from the initial register', () => {
    const meter = createConnectorMeter(AC3_16, rng(), 12_345);
    meter.plugIn({ profile: BUILTIN_VEHICLES.midsize, socStart: 0.2, socTarget: 0.9 }, T0);
    expect(meter.read(T0).energyWh).toBe(12_345);
    const r = meter.read(T0 + HOUR);
    expect(r.energyWh - 12_345).toBeCloseTo(11_000, 6);
    expect(r.socPercent!).toBeCloseTo(20 + (11 / 77) * 100, 6);
    expect(r.currentA.every((a) => Math.abs(a - 11_000 / 3 / 230) < 0.2)).toBe(true);
  });

  it('matches a fine-grained reference integration of the DC curve', () => {
    const profile = BUILTIN_VEHICLES.longrange;
    const meter = createConnectorMeter(DC350, rng(), 0);
    meter.plugIn({ profile, socStart: 0.05, socTarget: 0.95 }, T0);
    let soc = 0.05;
    let energy = 0;
    const dtMs = 50;
    for (let t = 0; t < 40 * 60_000; t += dtMs) {
      const p = chargePowerW(DC350, profile, soc, null);
      energy += (p * dtMs) / HOUR;
      soc += (p * dtMs) / HOUR / (profile.batteryKwh * 1000);
      if ((t + dtMs) % 300_000 === 0) {
        const r = meter.read(T0 + t + dtMs);
        expect(Math.abs(r.energyWh - energy)).toBeLessThan(0.001 * energy + 1);
      }
    }
  });

  it('stops at the target SoC: SuspendedEV, no power, register frozen', () => {
    const meter = createConnectorMeter(DC150, rng(), 500);
    meter.plugIn({ profile: BUILTIN_VEHICLES.city, socStart: 0.5, socTarget: 0.8 }, T0);
    const done = meter.read(T0 + 4 * HOUR);
    expect(done.state).toBe('SuspendedEV');
    expect(done.powerW).toBe(0);
    expect(done.socPercent).toBeCloseTo(80, 9);
    expect(done.energyWh - 500).toBeCloseTo(0.3 * 37_000, 6);
    expect(done.offeredA).toBeGreaterThan(0);
    const later = meter.read(T0 + 6 * HOUR);
    expect(later.energyWh).toBe(done.energyWh);
    expect(later.state).toBe('SuspendedEV');
  });

  it('is SuspendedEV at once when the car arrives at or above its target', () => {
    const meter = createConnectorMeter(AC3_32, rng(), 0);
    meter.plugIn({ profile: BUILTIN_VEHICLES.van, socStart: 0.9, socTarget: 0.8 }, T0);
    const r = meter.read(T0 + HOUR);
    expect(r.state).toBe('SuspendedEV');
    expect(r.energyWh).toBe(0);
    expect(r.socPercent).toBeCloseTo(90);
  });

  it('suspends at limit 0 (SuspendedEVSE) and resumes when the limit is lifted', () => {
    const meter = createConnectorMeter(AC3_32, rng(), 0);
    meter.plugIn({ profile: BUILTIN_VEHICLES.midsize, socStart: 0.3, socTarget: 1 }, T0);
    meter.setLimitW(0, T0 + HOUR);
    const paused = meter.read(T0 + 2 * HOUR);
    expect(paused.state).toBe('SuspendedEVSE');
    expect(paused.powerW).toBe(0);
    expect(paused.offeredA).toBe(0);
    expect(paused.currentA.every((a) => a === 0)).toBe(true);
    expect(paused.energyWh).toBeCloseTo(11_000, 6);
    meter.setLimitW(6 * 230 * 3, T0 + 3 * HOUR);
    const limited = meter.read(T0 + 4 * HOUR);
    expect(limited.state).toBe('Charging');
    expect(limited.powerW).toBeCloseTo(4_140, 6);
    expect(limited.offeredA).toBeCloseTo(6, 9);
    expect(limited.energyWh).toBeCloseTo(11_000 + 4_140, 6);
    meter.setLimitW(null, T0 + 4 * HOUR);
    expect(meter.read(T0 + 5 * HOUR).powerW).toBeCloseTo(11_000, 6);
  });

  it('draws on L1 only for a single-phase car on a 3-phase connector', () => {
    const meter = createConnectorMeter(AC3_16, rng(), 0);
    meter.plugIn({ profile: BUILTIN_VEHICLES.city, socStart: 0.3, socTarget: 0.9 }, T0);
    const r = meter.read(T0 + 60_000);
    expect(r.powerW).toBeCloseTo(11_000 / 3, 6);
    expect(r.currentA[0]).toBeGreaterThan(15.5);
    expect(r.currentA.slice(1)).toEqual([0, 0]);
  });

  it('heats up while charging and cools back to ambient', () => {
    const meter = createConnectorMeter(DC150, rng(), 0);
    const ambient = meter.read(T0).temperatureC;
    expect(ambient).toBeGreaterThanOrEqual(10);
    expect(ambient).toBeLessThanOrEqual(25);
    meter.plugIn({ profile: BUILTIN_VEHICLES.midsize, socStart: 0.1, socTarget: 0.5 }, T0);
    const hot = meter.read(T0 + 15 * 60_000).temperatureC;
    expect(hot).toBeGreaterThan(ambient + 10);
    meter.unplug(T0 + 15 * 60_000);
    expect(meter.read(T0 + 5 * HOUR).temperatureC).toBeCloseTo(ambient, 3);
  });

  it('reproduces the same readings from the same seed', () => {
    const run = () => {
      const meter = createConnectorMeter(AC3_32, createRngRoot(99).stream('m'), 0);
      meter.plugIn({ profile: BUILTIN_VEHICLES.van, socStart: 0.1, socTarget: 0.8 }, T0);
      return [1, 2, 3].map((i) => meter.read(T0 + i * 600_000));
    };
    expect(run()).toEqual(run());
  });

  it('never goes back in time', () => {
    const meter = createConnectorMeter(AC3_16, rng(), 0);
    meter.plugIn({ profile: BUILTIN_VEHICLES.midsize, socStart: 0.2, socTarget: 0.9 }, T0);
    const a = meter.read(T0 + HOUR);
    const b = meter.read(T0 + HOUR / 2);
    expect(b.energyWh).toBe(a.energyWh);
    expect(b.at).toBe(a.at);
  });
});
