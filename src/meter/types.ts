import type { ConnectorConfig, Measurand, VehicleProfile } from '../scenario/types.js';

/** One OCPP 1.6 SampledValue, as sent in MeterValues / StopTransaction.transactionData. */
export interface SampledValue {
  value: string;
  context?: ReadingContext;
  measurand?: Measurand;
  phase?: 'L1' | 'L2' | 'L3' | 'L1-N' | 'L2-N' | 'L3-N';
  location?: 'Outlet' | 'EV' | 'Body';
  unit?: 'Wh' | 'kWh' | 'W' | 'kW' | 'A' | 'V' | 'Percent' | 'Celsius';
}

export type ReadingContext =
  | 'Sample.Periodic'
  | 'Sample.Clock'
  | 'Transaction.Begin'
  | 'Transaction.End';

/** What the connector's charging electronics are doing, as far as OCPP status is concerned. */
export type ChargeState = 'Idle' | 'Charging' | 'SuspendedEV' | 'SuspendedEVSE';

/** The car plugged into a connector for one session. */
export interface PluggedVehicle {
  profile: VehicleProfile;
  /** State of charge on arrival, 0..1. */
  socStart: number;
  /** State of charge at which the car stops drawing power (it stays plugged: SuspendedEV). */
  socTarget: number;
}

/** An instantaneous reading of one connector's meter. */
export interface MeterReading {
  /** Simulated epoch ms of the reading. */
  at: number;
  /** Energy register, Wh. Never decreases over the meter's life. */
  energyWh: number;
  /** Active power, W (sum of phases). */
  powerW: number;
  /** Per-phase current, A (one entry for single phase / DC). */
  currentA: number[];
  /** Per-phase (AC, line-to-neutral) or DC voltage, V. */
  voltageV: number[];
  /** Current the EVSE offers the car, A (after any smart-charging limit). */
  offeredA: number;
  /** Car state of charge, 0..100 %, when a car is plugged. */
  socPercent: number | null;
  temperatureC: number;
  state: ChargeState;
}

/**
 * The meter and power electronics of one connector. Time only moves forward: every call passes the
 * current simulated epoch ms and the meter integrates energy up to it (ΔE = P·Δt).
 */
export interface ConnectorMeter {
  readonly rating: ConnectorConfig;
  /** Energy register in Wh (carries over from session to session). */
  readonly registerWh: number;
  /** Simulated ms during which energy flowed, over the meter's life (like the register, never decreases). */
  readonly chargingMs: number;
  plugIn(vehicle: PluggedVehicle, at: number): void;
  unplug(at: number): void;
  /** Smart-charging limit in W (null = no limit). 0 suspends charging (SuspendedEVSE). */
  setLimitW(limitW: number | null, at: number): void;
  /** Integrates up to `at` and returns the reading there. */
  read(at: number): MeterReading;
}

export type { Measurand, VehicleProfile, ConnectorConfig };
