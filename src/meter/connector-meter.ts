import type { Rng } from '../util/rng.js';
import { uniform } from '../util/rng.js';
import type { ConnectorConfig } from '../scenario/types.js';
import type { ChargeState, ConnectorMeter, MeterReading, PluggedVehicle } from './types.js';
import {
  AC_NOMINAL_V,
  acOfferedA,
  acPhasesUsed,
  chargePowerW,
  dcAvailableW,
  dcPackVoltage,
} from './power.js';

/**
 * One connector's meter: integrates the power model over simulated time.
 *
 * - Energy: ΔE = P·Δt in sub-steps of at most STEP_MS, P taken at the step's midpoint state of charge
 *   (second-order), so SoC follows the DC curve and the AC taper closely. The step that reaches the
 *   target SoC is cut at the exact moment the target is reached.
 * - No losses: the energy added to the battery equals the energy the register counts.
 * - Noise: each read draws a small random walk on every phase's voltage (bounded to ±1 %); the reported
 *   current is derived as I = P / (V × phases in use), so P = Σ V·I holds for the reported values and P
 *   itself stays noise-free (the charger behaves as a constant-power load), keeping ΔE = ∫P·dt exact.
 * - Temperature: ambient (drawn once per meter, 10–25 °C) plus up to TEMP_RISE_C at rated power, with a
 *   first-order lag of time constant TEMP_TAU_MS.
 */

/** Longest integration sub-step, simulated ms. */
export const STEP_MS = 10_000;
/** Temperature rise above ambient at the connector's rated power, °C. */
export const TEMP_RISE_C = 20;
/** Thermal time constant, simulated ms. */
export const TEMP_TAU_MS = 10 * 60_000;
const MS_PER_HOUR = 3_600_000;
const NOISE_SPAN = 0.01;

export function createConnectorMeter(
  rating: ConnectorConfig,
  rng: Rng,
  initialWh: number,
): ConnectorMeter {
  return new SimulatedMeter(rating, rng, initialWh);
}

class SimulatedMeter implements ConnectorMeter {
  private energyWh: number;
  private flowMs = 0;
  private lastAt: number | null = null;
  private vehicle: PluggedVehicle | null = null;
  private capacityWh = 0;
  private soc = 0;
  private target = 0;
  private limitW: number | null = null;
  private temperatureC: number;
  private readonly ambientC: number;
  private readonly ratedW: number;
  private readonly voltageNoise: Float64Array;

  constructor(
    readonly rating: ConnectorConfig,
    private readonly rng: Rng,
    initialWh: number,
  ) {
    this.energyWh = Math.max(0, initialWh);
    this.ratedW = rating.maxPowerKw * 1000;
    this.ambientC = uniform(rng, 10, 25);
    this.temperatureC = this.ambientC;
    this.voltageNoise = new Float64Array(rating.current === 'DC' ? 1 : rating.phases);
  }

  get registerWh(): number {
    return this.energyWh;
  }

  get chargingMs(): number {
    return this.flowMs;
  }

  plugIn(vehicle: PluggedVehicle, at: number): void {
    this.advance(at);
    this.vehicle = vehicle;
    this.capacityWh = Math.max(1, vehicle.profile.batteryKwh * 1000);
    this.soc = clamp01(vehicle.socStart);
    this.target = clamp01(vehicle.socTarget);
  }

  unplug(at: number): void {
    this.advance(at);
    this.vehicle = null;
  }

  setLimitW(limitW: number | null, at: number): void {
    this.advance(at);
    this.limitW = limitW === null || Number.isNaN(limitW) ? null : Math.max(0, limitW);
  }

  read(at: number): MeterReading {
    this.advance(at);
    this.stepNoise();
    const demandW = this.vehicle && this.limitW !== 0 && this.soc < this.target ? this.powerAt(this.soc) : 0;
    const state = this.state(demandW);
    const powerW = state === 'Charging' ? demandW : 0;
    const reading: MeterReading = {
      at: this.lastAt ?? at,
      energyWh: this.energyWh,
      powerW,
      currentA: [],
      voltageV: [],
      offeredA: this.offeredA(state),
      socPercent: this.vehicle ? this.soc * 100 : null,
      temperatureC: this.temperatureC,
      state,
    };
    this.fillElectrical(reading, powerW);
    return reading;
  }

  /** `demandW`: the power model's output at the current SoC (0 when suspended or no car). */
  private state(demandW: number): ChargeState {
    if (!this.vehicle) return 'Idle';
    if (this.limitW === 0) return 'SuspendedEVSE';
    return demandW > 0 ? 'Charging' : 'SuspendedEV';
  }

  private powerAt(soc: number): number {
    const vehicle = this.vehicle;
    return vehicle ? chargePowerW(this.rating, vehicle.profile, soc, this.limitW) : 0;
  }

  /** Integrates energy, state of charge and temperature from the last time to `to`. */
  private advance(to: number): void {
    const from = this.lastAt;
    if (from === null || to <= from) {
      if (from === null) this.lastAt = to;
      return;
    }
    let t = from;
    if (this.vehicle && this.limitW !== 0) {
      t = this.charge(from, to);
      this.flowMs += t - from;
    }
    this.relaxTemperature(0, to - t);
    this.lastAt = to;
  }

  /** Charges from `from` towards `to`; returns the time charging stopped (target reached) or `to`. */
  private charge(from: number, to: number): number {
    let t = from;
    const target = this.target;
    const cap = this.capacityWh;
    while (t < to && this.soc < target) {
      const dtMs = Math.min(STEP_MS, to - t);
      const hours = dtMs / MS_PER_HOUR;
      const p0 = this.powerAt(this.soc);
      if (p0 <= 0) break;
      const p = this.powerAt(Math.min(target, this.soc + (p0 * hours) / (2 * cap)));
      if (p <= 0) break;
      const roomWh = (target - this.soc) * cap;
      if (p * hours >= roomWh) {
        const usedMs = (roomWh / p) * MS_PER_HOUR;
        this.energyWh += roomWh;
        this.soc = target;
        this.relaxTemperature(p, usedMs);
        return t + usedMs;
      }
      this.energyWh += p * hours;
      this.soc = Math.min(target, this.soc + (p * hours) / cap);
      this.relaxTemperature(p, dtMs);
      t += dtMs;
    }
    return t;
  }

  private relaxTemperature(powerW: number, dtMs: number): void {
    if (dtMs <= 0) return;
    const goal = this.ambientC + (TEMP_RISE_C * powerW) / this.ratedW;
    this.temperatureC = goal + (this.temperatureC - goal) * Math.exp(-dtMs / TEMP_TAU_MS);
  }

  /** Bounded random walk of each phase's relative voltage deviation (|deviation| ≤ 1 %). */
  private stepNoise(): void {
    const noise = this.voltageNoise;
    for (let i = 0; i < noise.length; i++) {
      noise[i] = 0.5 * noise[i] + 0.5 * uniform(this.rng, -NOISE_SPAN, NOISE_SPAN);
    }
  }

  private offeredA(state: ChargeState): number {
    if (!this.vehicle || state === 'SuspendedEVSE') return 0;
    if (this.rating.current === 'AC') return acOfferedA(this.rating, this.limitW);
    return dcAvailableW(this.rating, this.limitW) / dcPackVoltage(this.soc);
  }

  private fillElectrical(reading: MeterReading, powerW: number): void {
    const noise = this.voltageNoise;
    if (this.rating.current === 'DC') {
      const volts = this.vehicle ? dcPackVoltage(this.soc) * (1 + noise[0]) : 0;
      reading.voltageV.push(volts);
      reading.currentA.push(volts > 0 ? powerW / volts : 0);
      return;
    }
    const used = this.vehicle ? acPhasesUsed(this.rating, this.vehicle.profile) : 0;
    for (let i = 0; i < noise.length; i++) {
      const volts = AC_NOMINAL_V * (1 + noise[i]);
      reading.voltageV.push(volts);
      reading.currentA.push(i < used ? powerW / used / volts : 0);
    }
  }
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
