import { createRequire } from 'node:module';
import { beforeEach, describe, expect, it } from 'vitest';
import { createValidator } from 'ocpp-rpc';
import { ChargingProfileStore } from '../src/meter/charging-profiles.js';
import type { ChargingProfile, ChargingRateUnit } from '../src/meter/charging-schedule.js';
import { createConnectorMeter } from '../src/meter/connector-meter.js';
import { BUILTIN_VEHICLES } from '../src/meter/vehicles.js';
import type { ConnectorConfig, VehicleProfile } from '../src/scenario/types.js';
import { createRngRoot } from '../src/util/rng.js';
import { isoTime } from '../src/util/clock.js';

const validator = createValidator('ocpp1.6', createRequire(import.meta.url)('ocpp-rpc/lib/schemas/ocpp1_6.json'));

const AC3_32: ConnectorConfig = { type: 'Type2', current: 'AC', maxPowerKw: 22, phases: 3 };
const AC1_16: ConnectorConfig = { type: 'Type2', current: 'AC', maxPowerKw: 3.7, phases: 1 };
const DC150: ConnectorConfig = { type: 'CCS2', current: 'DC', maxPowerKw: 150, phases: 1 };
/** Monday 2025-01-06 00:00 UTC. */
const T0 = Date.UTC(2025, 0, 6);
const MIN = 60_000;
const HOUR = 60 * MIN;
const W_PER_A_3PH = 3 * 230;

let nextId = 1;
function profile(
  purpose: ChargingProfile['chargingProfilePurpose'],
  periods: [number, number, number?][],
  extra: Partial<Omit<ChargingProfile, 'chargingSchedule'>> & {
    unit?: ChargingRateUnit;
    startSchedule?: string;
    duration?: number;
  } = {},
): ChargingProfile {
  const { unit = 'A', startSchedule, duration, ...rest } = extra;
  return {
    chargingProfileId: nextId++,
    stackLevel: 0,
    chargingProfilePurpose: purpose,
    chargingProfileKind: startSchedule ? 'Absolute' : 'Relative',
    ...rest,
    chargingSchedule: {
      chargingRateUnit: unit,
      ...(startSchedule ? { startSchedule } : {}),
      ...(duration !== undefined ? { duration } : {}),
      chargingSchedulePeriod: periods.map(([startPeriod, limit, numberPhases]) =>
        numberPhases ? { startPeriod, limit, numberPhases } : { startPeriod, limit },
      ),
    },
  };
}

describe('ChargingProfileStore', () => {
  let transactions: Map<number, number>;
  let store: ChargingProfileStore;
  const txStart = T0 + 8 * HOUR;

  beforeEach(() => {
    transactions = new Map([[1, 77]]);
    store = new ChargingProfileStore({
      connectorCount: 2,
      hasTransaction: (connectorId, transactionId) =>
        transactions.has(connectorId) && (transactionId === undefined || transactions.get(connectorId) === transactionId),
    });
  });

  it('validates SetChargingProfile', () => {
    const valid = (p: Partial<ChargingProfile>) => ({ ...profile('TxDefaultProfile', [[0, 16]]), ...p });
    expect(store.set(2, profile('TxProfile', [[0, 16]]))).toBe('Rejected'); // no transaction on 2
    expect(store.set(0, profile('TxProfile', [[0, 16]]))).toBe('Rejected');
    expect(store.set(1, profile('TxProfile', [[0, 16]], { transactionId: 12 }))).toBe('Rejected');
    expect(store.set(1, profile('TxProfile', [[0, 16]], { transactionId: 77 }))).toBe('Accepted');
    expect(store.set(1, profile('ChargePointMaxProfile', [[0, 16]], { startSchedule: isoTime(T0) }))).toBe('Rejected');
    expect(store.set(0, profile('ChargePointMaxProfile', [[0, 16]]))).toBe('Rejected'); // Relative
    expect(store.set(0, profile('ChargePointMaxProfile', [[0, 16]], { startSchedule: isoTime(T0) }))).toBe('Accepted');
    expect(store.set(3, valid({}))).toBe('Rejected');
    expect(store.set(1, valid({ stackLevel: 11 }))).toBe('Rejected');
    expect(store.set(1, valid({ stackLevel: -1 }))).toBe('Rejected');
    expect(store.set(1, valid({ stackLevel: 10 }))).toBe('Accepted');
    expect(store.set(1, profile('TxDefaultProfile', [[60, 16]]))).toBe('Rejected');
    expect(store.set(1, profile('TxDefaultProfile', [[0, 16], [0, 8]]))).toBe('Rejected');
    expect(store.set(1, profile('TxDefaultProfile', []))).toBe('Rejected');
    expect(store.set(1, profile('TxDefaultProfile', [[0, -1]]))).toBe('Rejected');
    expect(store.set(1, profile('TxDefaultProfile', [[0, 16]], { unit: 'kW' as ChargingRateUnit }))).toBe('Rejected');
    expect(store.set(1, valid({ chargingProfileKind: 'Recurring' }))).toBe('Rejected');
    expect(store.set(1, profile('TxDefaultProfile', [[0, 16]], { startSchedule: 'yesterday' }))).toBe('Rejected');
    expect(store.list()).toHaveLength(3);
  });

  it('applies TxDefaultProfile 16 A, then a TxProfile 6 A on top, and the meter follows', () => {
    const fastAc: VehicleProfile = { ...BUILTIN_VEHICLES.midsize, name: 'fast-ac', onboardChargerKw: 22 };
    const meter = createConnectorMeter(AC3_32, createRngRoot(1).stream('m'), 0);
    meter.plugIn({ profile: fastAc, socStart: 0.2, socTarget: 0.9 }, txStart);
    const apply = (at: number) => meter.setLimitW(store.limitW(1, at, AC3_32, txStart), at);

    apply(txStart);
    expect(meter.read(txStart + MIN).powerW).toBeCloseTo(22_000);
    expect(store.set(1, profile('TxDefaultProfile', [[0, 16]], { stackLevel: 0 }))).toBe('Accepted');
    expect(store.limitW(1, txStart + MIN, AC3_32, txStart)).toBeCloseTo(16 * W_PER_A_3PH);
    apply(txStart + MIN);
    expect(meter.read(txStart + 2 * MIN).powerW).toBeCloseTo(16 * W_PER_A_3PH);
    expect(store.set(1, profile('TxProfile', [[0, 6]], { stackLevel: 1 }))).toBe('Accepted');
    apply(txStart + 2 * MIN);
    const limited = meter.read(txStart + 3 * MIN);
    expect(limited.powerW).toBeCloseTo(6 * W_PER_A_3PH);
    expect(limited.offeredA).toBeCloseTo(6);
    store.transactionEnded(1);
    expect(store.list().map((p) => p.profile.chargingProfilePurpose)).toEqual(['TxDefaultProfile']);
    expect(store.limitW(1, txStart + 4 * MIN, AC3_32, txStart)).toBeCloseTo(16 * W_PER_A_3PH);
  });

  it('lets TxProfile override TxDefaultProfile whatever the stack levels', () => {
    store.set(1, profile('TxDefaultProfile', [[0, 6]], { stackLevel: 5 }));
    store.set(1, profile('TxProfile', [[0, 20]], { stackLevel: 0 }));
    expect(store.limitW(1, txStart, AC3_32, txStart)).toBeCloseTo(20 * W_PER_A_3PH);
  });

  it('uses the highest stack level and falls back when its duration runs out', () => {
    // installed highest first, so "last one wins" would be caught
    store.set(0, profile('TxDefaultProfile', [[0, 10]], { stackLevel: 1, startSchedule: isoTime(T0), duration: 3600 }));
    store.set(0, profile('TxDefaultProfile', [[0, 32]], { stackLevel: 0, startSchedule: isoTime(T0) }));
    expect(store.limitW(1, T0 + 30 * MIN, AC3_32, null)).toBeCloseTo(10 * W_PER_A_3PH);
    expect(store.limitW(1, T0 + 2 * HOUR, AC3_32, null)).toBeCloseTo(32 * W_PER_A_3PH);
    expect(store.nextChangeAt(1, T0 + 30 * MIN, null)).toBe(T0 + HOUR);
    expect(store.limitW(1, T0 - MIN, AC3_32, null)).toBeNull();
  });

  it('lets a connector TxDefaultProfile override the one on connector 0', () => {
    store.set(0, profile('TxDefaultProfile', [[0, 10]], { stackLevel: 3 }));
    store.set(1, profile('TxDefaultProfile', [[0, 20]], { stackLevel: 0 }));
    expect(store.limitW(1, txStart, AC3_32, txStart)).toBeCloseTo(20 * W_PER_A_3PH);
    expect(store.limitW(2, txStart, AC3_32, txStart)).toBeCloseTo(10 * W_PER_A_3PH);
  });

  it('caps everything with ChargePointMaxProfile', () => {
    store.set(0, profile('ChargePointMaxProfile', [[0, 5000]], { unit: 'W', startSchedule: isoTime(T0) }));
    store.set(1, profile('TxProfile', [[0, 16]]));
    expect(store.limitW(1, txStart, AC3_32, txStart)).toBe(5000);
    expect(store.limitW(2, txStart, AC3_32, null)).toBe(5000);
    store.set(1, profile('TxProfile', [[0, 6]]));
    expect(store.limitW(1, txStart, AC3_32, txStart)).toBeCloseTo(6 * W_PER_A_3PH);
  });

  it('anchors Relative schedules at the transaction start', () => {
    store.set(1, profile('TxProfile', [[0, 10], [1800, 20]]));
    store.set(2, profile('TxDefaultProfile', [[0, 8]]));
    expect(store.limitW(1, txStart + 10 * MIN, AC3_32, txStart)).toBeCloseTo(10 * W_PER_A_3PH);
    expect(store.limitW(1, txStart + 40 * MIN, AC3_32, txStart)).toBeCloseTo(20 * W_PER_A_3PH);
    expect(store.nextChangeAt(1, txStart + 10 * MIN, txStart)).toBe(txStart + 30 * MIN);
    expect(store.limitW(2, txStart, AC3_32, null)).toBeNull(); // no transaction: nothing to anchor to
    expect(store.limitW(2, txStart, AC3_32, txStart - HOUR)).toBeCloseTo(8 * W_PER_A_3PH);
  });

  it('repeats Daily and Weekly recurring schedules', () => {
    const daily = profile('TxDefaultProfile', [[0, 32], [7 * 3600, 10], [19 * 3600, 32]], {
      chargingProfileKind: 'Recurring',
      recurrencyKind: 'Daily',
      startSchedule: isoTime(T0),
    });
    expect(store.set(1, daily)).toBe('Accepted');
    const at = (day: number, hour: number) => T0 + day * 24 * HOUR + hour * HOUR;
    expect(store.limitW(1, at(3, 8), AC3_32, null)).toBeCloseTo(10 * W_PER_A_3PH);
    expect(store.limitW(1, at(3, 20), AC3_32, null)).toBeCloseTo(32 * W_PER_A_3PH);
    expect(store.limitW(1, at(4, 3), AC3_32, null)).toBeCloseTo(32 * W_PER_A_3PH);
    expect(store.limitW(1, at(-1, 8), AC3_32, null)).toBeNull();
    expect(store.nextChangeAt(1, at(3, 20), null)).toBe(at(4, 0));

    const weekly = profile('TxDefaultProfile', [[0, 16], [5 * 86_400, 32]], {
      stackLevel: 1,
      chargingProfileKind: 'Recurring',
      recurrencyKind: 'Weekly',
      startSchedule: isoTime(T0),
    });
    expect(store.set(2, weekly)).toBe('Accepted');
    expect(store.limitW(2, at(15, 12), AC3_32, null)).toBeCloseTo(16 * W_PER_A_3PH); // Tuesday
    expect(store.limitW(2, at(19, 12), AC3_32, null)).toBeCloseTo(32 * W_PER_A_3PH); // Saturday
  });

  it('honours validFrom and validTo', () => {
    store.set(1, profile('TxDefaultProfile', [[0, 10]], { validFrom: isoTime(T0 + HOUR), validTo: isoTime(T0 + 2 * HOUR) }));
    expect(store.limitW(1, T0 + 30 * MIN, AC3_32, T0)).toBeNull();
    expect(store.limitW(1, T0 + 90 * MIN, AC3_32, T0)).toBeCloseTo(10 * W_PER_A_3PH);
    expect(store.limitW(1, T0 + 150 * MIN, AC3_32, T0)).toBeNull();
    expect(store.nextChangeAt(1, T0, T0)).toBe(T0 + HOUR);
  });

  it('converts amperes with the phases available, and with 400 V on DC', () => {
    store.set(1, profile('TxDefaultProfile', [[0, 16, 1]]));
    store.set(2, profile('TxDefaultProfile', [[0, 100]]));
    expect(store.limitW(1, txStart, AC3_32, txStart)).toBeCloseTo(16 * 230);
    expect(store.limitW(2, txStart, AC1_16, txStart)).toBeCloseTo(100 * 230);
    expect(store.limitW(2, txStart, DC150, txStart)).toBeCloseTo(100 * 400);
  });

  it('replaces by id and by connector, purpose and stack level', () => {
    const first = profile('TxDefaultProfile', [[0, 10]], { stackLevel: 2 });
    store.set(1, first);
    store.set(1, { ...first, stackLevel: 3, chargingSchedule: { ...first.chargingSchedule, chargingSchedulePeriod: [{ startPeriod: 0, limit: 12 }] } });
    expect(store.list()).toHaveLength(1);
    store.set(1, profile('TxDefaultProfile', [[0, 14]], { stackLevel: 3 }));
    expect(store.list()).toHaveLength(1);
    expect(store.limitW(1, txStart, AC3_32, txStart)).toBeCloseTo(14 * W_PER_A_3PH);
  });

  it('clears by id, by criteria, and all', () => {
    const a = profile('TxDefaultProfile', [[0, 10]], { stackLevel: 1 });
    store.set(1, a);
    store.set(2, profile('TxDefaultProfile', [[0, 10]], { stackLevel: 1 }));
    store.set(2, profile('TxDefaultProfile', [[0, 10]], { stackLevel: 2 }));
    store.set(0, profile('ChargePointMaxProfile', [[0, 30]], { startSchedule: isoTime(T0) }));
    expect(store.clear({ id: a.chargingProfileId, connectorId: 2 })).toBe('Accepted');
    expect(store.clear({ id: a.chargingProfileId })).toBe('Unknown');
    expect(store.clear({ connectorId: 2, stackLevel: 2 })).toBe('Accepted');
    expect(store.clear({ chargingProfilePurpose: 'TxProfile' })).toBe('Unknown');
    expect(store.list()).toHaveLength(2);
    expect(store.clear({ chargingProfilePurpose: 'ChargePointMaxProfile' })).toBe('Accepted');
    expect(store.clear()).toBe('Accepted');
    expect(store.list()).toHaveLength(0);
    expect(store.clear()).toBe('Unknown');
  });

  it('refuses more profiles than MaxChargingProfilesInstalled', () => {
    const small = new ChargingProfileStore({ connectorCount: 1, hasTransaction: () => false, maxProfiles: 2 });
    expect(small.set(1, profile('TxDefaultProfile', [[0, 10]], { stackLevel: 0 }))).toBe('Accepted');
    expect(small.set(1, profile('TxDefaultProfile', [[0, 10]], { stackLevel: 1 }))).toBe('Accepted');
    expect(small.set(1, profile('TxDefaultProfile', [[0, 10]], { stackLevel: 2 }))).toBe('Rejected');
    expect(small.set(1, profile('TxDefaultProfile', [[0, 12]], { stackLevel: 1 }))).toBe('Accepted'); // replaces
  });

  describe('compositeSchedule', () => {
    const validate = (payload: unknown) =>
      expect(() => validator.validate('urn:GetCompositeSchedule.conf', payload)).not.toThrow();

    it('combines default, transaction and charge-point profiles into merged periods', () => {
      store.set(1, profile('TxDefaultProfile', [[0, 16]], { startSchedule: isoTime(txStart - HOUR) }));
      store.set(1, profile('TxProfile', [[0, 6]], { stackLevel: 1, duration: 1800 }));
      store.set(0, profile('ChargePointMaxProfile', [[0, 22_000], [3600, 2760]], { unit: 'W', startSchedule: isoTime(txStart) }));
      const result = store.compositeSchedule(1, 7200, 'A', txStart, AC3_32, txStart);
      validate(result);
      expect(result).toMatchObject({ status: 'Accepted', connectorId: 1, scheduleStart: isoTime(txStart) });
      expect(result.chargingSchedule).toEqual({
        duration: 7200,
        startSchedule: isoTime(txStart),
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [
          { startPeriod: 0, limit: 6, numberPhases: 3 },
          { startPeriod: 1800, limit: 16, numberPhases: 3 },
          { startPeriod: 3600, limit: 4, numberPhases: 3 },
        ],
      });
      const watts = store.compositeSchedule(1, 7200, 'W', txStart, AC3_32, txStart);
      validate(watts);
      expect(watts.chargingSchedule?.chargingSchedulePeriod).toEqual([
        { startPeriod: 0, limit: 4140 },
        { startPeriod: 1800, limit: 11040 },
        { startPeriod: 3600, limit: 2760 },
      ]);
    });

    it('reports the connector rating where no profile applies, and rejects unknown connectors', () => {
      const result = store.compositeSchedule(2, 600, undefined, txStart, DC150, null);
      validate(result);
      expect(result.chargingSchedule).toMatchObject({
        chargingRateUnit: 'W',
        chargingSchedulePeriod: [{ startPeriod: 0, limit: 150_000 }],
      });
      expect(store.compositeSchedule(5, 600, 'A', txStart, AC3_32, null)).toEqual({ status: 'Rejected' });
    });

    it('follows a recurring schedule across midnight', () => {
      store.set(0, profile('TxDefaultProfile', [[0, 10], [6 * 3600, 32]], {
        chargingProfileKind: 'Recurring',
        recurrencyKind: 'Daily',
        startSchedule: isoTime(T0),
      }));
      const from = T0 + 2 * 86_400_000 + 22 * HOUR;
      const result = store.compositeSchedule(1, 12 * 3600, 'A', from, AC3_32, null);
      validate(result);
      expect(result.chargingSchedule?.chargingSchedulePeriod).toEqual([
        { startPeriod: 0, limit: 32, numberPhases: 3 },
        { startPeriod: 2 * 3600, limit: 10, numberPhases: 3 },
        { startPeriod: 8 * 3600, limit: 32, numberPhases: 3 },
      ]);
    });
  });
});
