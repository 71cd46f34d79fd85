import type { ConnectorConfig, Measurand } from '../scenario/types.js';
import type { MeterReading, ReadingContext, SampledValue } from './types.js';

/**
 * Turns a meter reading into OCPP 1.6 SampledValues, one or more per requested measurand, in the
 * order requested. Precision: energy register in whole Wh (truncated, so a register never shows energy
 * not yet delivered), power in whole W, current in 0.01 A, voltage in 0.1 V, SoC in whole percent
 * (truncated), temperature in 0.1 °C. Electrical values carry no location (OCPP's default is Outlet).
 *
 * AC connectors report current and voltage per phase (L1, L2, L3 / L1-N, L2-N, L3-N; a single-phase
 * connector reports L1 / L1-N); DC connectors report one value without a phase. SoC is only reported
 * while a car is plugged in.
 */
export function toSampledValues(
  reading: MeterReading,
  measurands: Measurand[],
  context: ReadingContext,
  rating: ConnectorConfig,
): SampledValue[] {
  const out: SampledValue[] = [];
  for (const measurand of measurands) appendMeasurand(out, measurand, reading, context, rating);
  return out;
}

const CURRENT_PHASES = ['L1', 'L2', 'L3'] as const;
const VOLTAGE_PHASES = ['L1-N', 'L2-N', 'L3-N'] as const;

function appendMeasurand(
  out: SampledValue[],
  measurand: Measurand,
  reading: MeterReading,
  context: ReadingContext,
  rating: ConnectorConfig,
): void {
  switch (measurand) {
    case 'Energy.Active.Import.Register':
      out.push({ value: formatRegisterWh(reading.energyWh), context, measurand, unit: 'Wh' });
      return;
    case 'Power.Active.Import':
      out.push({ value: Math.round(reading.powerW).toFixed(0), context, measurand, unit: 'W' });
      return;
    case 'Current.Offered':
      out.push({ value: reading.offeredA.toFixed(2), context, measurand, unit: 'A' });
      return;
    case 'Current.Import':
      appendPhases(out, reading.currentA, 2, CURRENT_PHASES, context, measurand, 'A', rating);
      return;
    case 'Voltage':
      appendPhases(out, reading.voltageV, 1, VOLTAGE_PHASES, context, measurand, 'V', rating);
      return;
    case 'SoC':
      if (reading.socPercent === null) return;
      out.push({ value: formatSoc(reading.socPercent), context, measurand, location: 'EV', unit: 'Percent' });
      return;
    case 'Temperature':
      out.push({
        value: reading.temperatureC.toFixed(1),
        context,
        measurand,
        location: 'Body',
        unit: 'Celsius',
      });
      return;
  }
}

/** Literal objects with the keys in wire order (context, measurand, unit, value, phase): no spread per sample. */
function appendPhases(
  out: SampledValue[],
  values: number[],
  digits: number,
  phases: readonly ('L1' | 'L2' | 'L3' | 'L1-N' | 'L2-N' | 'L3-N')[],
  context: ReadingContext,
  measurand: Measurand,
  unit: 'A' | 'V',
  rating: ConnectorConfig,
): void {
  if (rating.current === 'DC') {
    out.push({ context, measurand, unit, value: (values[0] ?? 0).toFixed(digits) });
    return;
  }
  for (let i = 0; i < values.length && i < phases.length; i++) {
    out.push({ context, measurand, unit, value: values[i].toFixed(digits), phase: phases[i] });
  }
}

/**
 * The register in whole Wh as OCPP carries it (meterStart, meterStop, the register measurand):
 * truncated, tolerant of float error just below an integer. Use this everywhere so values agree.
 */
export function wholeRegisterWh(energyWh: number): number {
  return Math.floor(energyWh + 1e-6);
}

function formatRegisterWh(energyWh: number): string {
  return wholeRegisterWh(energyWh).toFixed(0);
}

function formatSoc(percent: number): string {
  return Math.min(100, Math.floor(percent + 1e-9)).toFixed(0);
}
