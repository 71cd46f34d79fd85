import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createValidator } from 'ocpp-rpc';
import { createConnectorMeter } from '../src/meter/connector-meter.js';
import { toSampledValues, wholeRegisterWh } from '../src/meter/sampling.js';
import { BUILTIN_VEHICLES } from '../src/meter/vehicles.js';
import type { ConnectorConfig, Measurand } from '../src/scenario/types.js';
import type { MeterReading, ReadingContext, SampledValue } from '../src/meter/types.js';
import { createRngRoot } from '../src/util/rng.js';
import { isoTime } from '../src/util/clock.js';

// ocpp-rpc's own ajv-based validator over the OCA schemas: exactly what its strict mode applies.
const schemas = createRequire(import.meta.url)('ocpp-rpc/lib/schemas/ocpp1_6.json');
const validator = createValidator('ocpp1.6', schemas);

const MEASURANDS: Measurand[] = [
  'Energy.Active.Import.Register',
  'Power.Active.Import',
  'Current.Import',
  'Current.Offered',
  'Voltage',
  'SoC',
  'Temperature',
];
const CONTEXTS: ReadingContext[] = ['Sample.Periodic', 'Sample.Clock', 'Transaction.Begin', 'Transaction.End'];
const RATINGS: Record<string, ConnectorConfig> = {
  ac1: { type: 'Type2', current: 'AC', maxPowerKw: 7.4, phases: 1 },
  ac3: { type: 'Type2', current: 'AC', maxPowerKw: 22, phases: 3 },
  dc: { type: 'CCS2', current: 'DC', maxPowerKw: 150, phases: 1 },
};
const T0 = Date.UTC(2025, 2, 3, 9, 30, 0);

function readings(rating: ConnectorConfig): { idle: MeterReading; charging: MeterReading } {
  const meter = createConnectorMeter(rating, createRngRoot(3).stream('sampling'), 1_234_567.89);
  const idle = meter.read(T0);
  meter.plugIn({ profile: BUILTIN_VEHICLES.midsize, socStart: 0.314, socTarget: 0.9 }, T0);
  return { idle, charging: meter.read(T0 + 600_000) };
}

function validate(values: SampledValue[], at: number): void {
  const payload = { connectorId: 1, transactionId: 42, meterValue: [{ timestamp: isoTime(at), sampledValue: values }] };
  expect(() => validator.validate('urn:MeterValues.req', payload)).not.toThrow();
}

describe('toSampledValues', () => {
  it('is schema-valid MeterValues.req for every measurand, context, connector and car state', () => {
    let checked = 0;
    for (const rating of Object.values(RATINGS)) {
      for (const reading of Object.values(readings(rating))) {
        for (const context of CONTEXTS) {
          validate(toSampledValues(reading, MEASURANDS, context, rating), reading.at);
          for (const measurand of MEASURANDS) {
            const values = toSampledValues(reading, [measurand], context, rating);
            for (const v of values) {
              expect(v.measurand).toBe(measurand);
              expect(v.context).toBe(context);
              expect(v.unit).toBeDefined();
            }
            validate(values, reading.at);
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(3 * 2 * CONTEXTS.length * MEASURANDS.length);
  });

  it('reports per-phase current and voltage on 3-phase AC, P = Σ V·I within rounding', () => {
    const rating = RATINGS.ac3;
    const { charging } = readings(rating);
    const values = toSampledValues(charging, MEASURANDS, 'Sample.Periodic', rating);
    const byMeasurand = (m: Measurand) => values.filter((v) => v.measurand === m);
    const currents = byMeasurand('Current.Import');
    const volts = byMeasurand('Voltage');
    expect(currents.map((v) => v.phase)).toEqual(['L1', 'L2', 'L3']);
    expect(volts.map((v) => v.phase)).toEqual(['L1-N', 'L2-N', 'L3-N']);
    expect(currents.every((v) => v.unit === 'A')).toBe(true);
    expect(volts.every((v) => v.unit === 'V')).toBe(true);
    const power = Number(byMeasurand('Power.Active.Import')[0].value);
    expect(power).toBe(11_000);
    const sumVI = currents.reduce((sum, c, i) => sum + Number(c.value) * Number(volts[i].value), 0);
    expect(Math.abs(sumVI - power)).toBeLessThan(3 * (0.005 * 235 + 0.05 * 17) + 0.5);
    const [energy] = byMeasurand('Energy.Active.Import.Register');
    expect(energy).toMatchObject({ unit: 'Wh', value: String(wholeRegisterWh(charging.energyWh)) });
    expect(energy.value).toMatch(/^\d+$/);
    expect(Number(energy.value)).toBe(Math.floor(1_234_567.89 + 11_000 / 6));
    expect(byMeasurand('SoC')).toEqual([
      { value: String(Math.floor(31.4 + (1_833.33 / 77_000) * 100)), context: 'Sample.Periodic', measurand: 'SoC', location: 'EV', unit: 'Percent' },
    ]);
    expect(byMeasurand('Temperature')[0]).toMatchObject({ location: 'Body', unit: 'Celsius' });
    expect(Number(byMeasurand('Current.Offered')[0].value)).toBeCloseTo(22_000 / 3 / 230, 2);
  });

  it('reports DC current and voltage without a phase, and P = V·I within rounding', () => {
    const rating = RATINGS.dc;
    const { charging } = readings(rating);
    const values = toSampledValues(charging, ['Power.Active.Import', 'Current.Import', 'Voltage'], 'Sample.Clock', rating);
    expect(values).toHaveLength(3);
    expect(values.every((v) => v.phase === undefined)).toBe(true);
    const [p, i, v] = values.map((x) => Number(x.value));
    expect(v).toBeGreaterThan(340);
    expect(v).toBeLessThan(410);
    expect(Math.abs(p - v * i)).toBeLessThan(0.005 * v + 0.05 * i + 0.5);
  });

  it('leaves SoC out when no car is plugged and keeps the register', () => {
    for (const rating of Object.values(RATINGS)) {
      const { idle } = readings(rating);
      const values = toSampledValues(idle, MEASURANDS, 'Sample.Clock', rating);
      expect(values.find((v) => v.measurand === 'SoC')).toBeUndefined();
      expect(values.find((v) => v.measurand === 'Energy.Active.Import.Register')?.value).toBe('1234567');
      expect(values.find((v) => v.measurand === 'Power.Active.Import')?.value).toBe('0');
    }
  });

  it('keeps the requested order and single-phase AC uses L1', () => {
    const rating = RATINGS.ac1;
    const { charging } = readings(rating);
    const values = toSampledValues(charging, ['Voltage', 'Energy.Active.Import.Register', 'Current.Import'], 'Transaction.End', rating);
    expect(values.map((v) => [v.measurand, v.phase])).toEqual([
      ['Voltage', 'L1-N'],
      ['Energy.Active.Import.Register', undefined],
      ['Current.Import', 'L1'],
    ]);
  });
});
