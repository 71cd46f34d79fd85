import { describe, expect, it } from 'vitest';
import { BUILTIN_VEHICLES } from '../src/meter/vehicles.js';
import type { PluggedVehicle } from '../src/meter/types.js';
import { isoTime } from '../src/util/clock.js';
import { waitFor } from './support/station-csms.js';
import { planSession, type TestStation } from './support/station-fixture.js';
import { MIN, stationTestbed } from './support/station-testbed.js';

const bed = stationTestbed();
const { started, statusesOf } = bed;

/** A car whose 22 kW on-board charger can take all a 22 kW three-phase connector gives. */
const FAST_AC_CAR: PluggedVehicle = {
  profile: { ...BUILTIN_VEHICLES.midsize, onboardChargerKw: 22 },
  socStart: 0.2,
  socTarget: 0.9,
};

/** W on a three-phase AC connector for a per-phase limit in A (230 V). */
const watts = (amps: number) => amps * 3 * 230;

function profile(id: number, purpose: string, stackLevel: number, periods: [number, number][], extra: object = {}) {
  return {
    chargingProfileId: id,
    stackLevel,
    chargingProfilePurpose: purpose,
    chargingProfileKind: 'Relative',
    chargingSchedule: {
      chargingRateUnit: 'A',
      chargingSchedulePeriod: periods.map(([startPeriod, limit]) => ({ startPeriod, limit })),
    },
    ...extra,
  };
}

/** Power.Active.Import (W) of each MeterValues of connector 1 sampled after `after` (and before `before`). */
function powersAfter(after: number, before = Infinity): number[] {
  const within = (ts: string) => Date.parse(ts) > after && Date.parse(ts) < before;
  return bed.csms
    .calls('MeterValues')
    .filter((mv) => mv.connectorId === 1 && within(mv.meterValue[0].timestamp))
    .map((mv) => Number(mv.meterValue[0].sampledValue.find((v: any) => v.measurand === 'Power.Active.Import').value));
}

/** Waits for two samples taken after `after` and returns their power. */
async function nextPowers(after: number): Promise<number[]> {
  await waitFor(() => powersAfter(after).length >= 2, 'two MeterValues after the change', 3000);
  return powersAfter(after).slice(0, 2);
}

/** Starts a long session with FAST_AC_CAR on connector 1 and waits for Charging; returns its transactionId. */
async function chargingFast(t: TestStation): Promise<number> {
  t.station.schedule([planSession(t, 1, 0, 600 * MIN, 'TAG-OK', FAST_AC_CAR)]);
  await waitFor(() => statusesOf(1).includes('Charging'), 'charging');
  return bed.csms.transactions[0];
}

describe('smart charging', () => {
  it('TxDefaultProfile 16 A, then a TxProfile 6 A on a higher stack level, limit the power; clearing restores it', async () => {
    const t = await started();
    const txId = await chargingFast(t);
    const now = () => t.opts.clock.now();
    expect(await nextPowers(now())).toEqual([22_000, 22_000]);

    const set = (p: object) => bed.csms.call('CP-1', 'SetChargingProfile', { connectorId: 1, csChargingProfiles: p });
    expect(await set(profile(1, 'TxDefaultProfile', 0, [[0, 16]]))).toEqual({ status: 'Accepted' });
    expect(await nextPowers(now())).toEqual([watts(16), watts(16)]);

    expect(await set(profile(2, 'TxProfile', 1, [[0, 6]], { transactionId: txId }))).toEqual({ status: 'Accepted' });
    expect(await nextPowers(now())).toEqual([watts(6), watts(6)]);

    const clear = (p: object) => bed.csms.call('CP-1', 'ClearChargingProfile', p);
    expect(await clear({ id: 99 })).toEqual({ status: 'Unknown' });
    expect(await clear({ id: 2 })).toEqual({ status: 'Accepted' });
    expect(await nextPowers(now())).toEqual([watts(16), watts(16)]);
    expect(await clear({})).toEqual({ status: 'Accepted' });
    expect(await nextPowers(now())).toEqual([22_000, 22_000]);
    expect(bed.csms.problems).toEqual([]);
  });

  it('rejects a TxProfile without a matching transaction and a profile for an unknown connector', async () => {
    const t = await started();
    const set = (connectorId: number, p: object) =>
      bed.csms.call('CP-1', 'SetChargingProfile', { connectorId, csChargingProfiles: p });
    expect(await set(1, profile(1, 'TxProfile', 0, [[0, 6]]))).toEqual({ status: 'Rejected' });
    const txId = await chargingFast(t);
    expect(await set(1, profile(1, 'TxProfile', 0, [[0, 6]], { transactionId: txId + 1 }))).toEqual({ status: 'Rejected' });
    expect(await set(3, profile(2, 'TxDefaultProfile', 0, [[0, 6]]))).toEqual({ status: 'Rejected' });
    expect(await set(1, profile(3, 'TxProfile', 0, [[0, 6]], { transactionId: txId }))).toEqual({ status: 'Accepted' });
  });

  it('a limit of 0 suspends charging (SuspendedEVSE) until the schedule lifts it', async () => {
    const t = await started();
    await chargingFast(t);
    const from = t.opts.clock.now();
    // Absolute schedule: 0 A for the next two simulated minutes, then 10 A.
    const p = {
      ...profile(1, 'TxDefaultProfile', 0, [[0, 0], [120, 10]]),
      chargingProfileKind: 'Absolute',
    };
    p.chargingSchedule = { ...p.chargingSchedule, startSchedule: isoTime(from) } as typeof p.chargingSchedule;
    expect(await bed.csms.call('CP-1', 'SetChargingProfile', { connectorId: 0, csChargingProfiles: p })).toEqual({
      status: 'Accepted',
    });
    const applied = t.opts.clock.now();
    await waitFor(() => statusesOf(1).at(-1) === 'SuspendedEVSE', 'SuspendedEVSE');
    // The timer armed for the schedule's next period lifts the limit.
    await waitFor(() => statusesOf(1).filter((s) => s === 'Charging').length === 2, 'Charging again', 3000);
    expect(statusesOf(1)).toEqual(['Available', 'Preparing', 'Charging', 'SuspendedEVSE', 'Charging']);
    // Samples inside the 0 A period report no power (the grid can put one right at its end: excluded).
    const suspended = powersAfter(applied, from + 2 * MIN - 1000);
    expect(suspended.length).toBeGreaterThan(0);
    expect(new Set(suspended)).toEqual(new Set([0]));
    await waitFor(() => powersAfter(from + 2 * MIN).length >= 1, 'a sample after the lift', 3000);
    expect(powersAfter(from + 2 * MIN)[0]).toBe(watts(10));
    expect(bed.csms.problems).toEqual([]);
  });

  it('GetCompositeSchedule answers the merged limits, and Rejected for an unknown connector', async () => {
    const t = await started();
    const set = (p: object) => bed.csms.call('CP-1', 'SetChargingProfile', { connectorId: 1, csChargingProfiles: p });
    expect(await set({ ...profile(1, 'TxDefaultProfile', 0, [[0, 16], [600, 8]]) })).toEqual({ status: 'Accepted' });
    const get = (p: object) => bed.csms.call('CP-1', 'GetCompositeSchedule', p);
    const amps = await get({ connectorId: 1, duration: 3600 });
    expect(amps).toMatchObject({ status: 'Accepted', connectorId: 1 });
    // Relative profiles apply only during a transaction: without one the rating (31.9 A) is the limit.
    expect(amps.chargingSchedule).toMatchObject({ duration: 3600, chargingRateUnit: 'A' });
    expect(amps.chargingSchedule.chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 31.9, numberPhases: 3 }]);

    const base = profile(2, 'TxDefaultProfile', 1, [[0, 16], [600, 8]]);
    const startSchedule = isoTime(t.opts.clock.now());
    const absolute = { ...base, chargingProfileKind: 'Absolute', chargingSchedule: { ...base.chargingSchedule, startSchedule } };
    expect(await set(absolute)).toEqual({ status: 'Accepted' });
    const w = await get({ connectorId: 1, duration: 3600, chargingRateUnit: 'W' });
    expect(w.chargingSchedule.chargingRateUnit).toBe('W');
    const periods = w.chargingSchedule.chargingSchedulePeriod;
    expect(periods.map((x: any) => x.limit)).toEqual([watts(16), watts(8)]);
    expect(periods[0].startPeriod).toBe(0);
    expect(periods[1].startPeriod).toBeGreaterThan(590);
    expect(periods[1].startPeriod).toBeLessThanOrEqual(600);
    expect(await get({ connectorId: 5, duration: 60 })).toEqual({ status: 'Rejected' });
    expect(bed.csms.problems).toEqual([]);
  });

  it('RemoteStartTransaction with a TxProfile limits that transaction; the profile ends with it', async () => {
    const t = await started({ planRemoteSession: () => ({ plugDurationMs: 3 * MIN, vehicle: FAST_AC_CAR }) });
    const remote = (chargingProfile: object) =>
      bed.csms.call('CP-1', 'RemoteStartTransaction', { connectorId: 1, idTag: 'REMOTE', chargingProfile });
    expect(await remote(profile(7, 'TxDefaultProfile', 0, [[0, 10]]))).toEqual({ status: 'Rejected' });
    expect(await remote(profile(7, 'TxProfile', 0, [[0, 10]]))).toEqual({ status: 'Accepted' });
    const from = t.opts.clock.now();
    expect(await nextPowers(from)).toEqual([watts(10), watts(10)]);
    await waitFor(() => t.observer.sessions.length === 1, 'session end', 3000);
    expect(t.observer.sessions[0]).toMatchObject({ outcome: 'completed', origin: 'remote' });
    const after = await bed.csms.call('CP-1', 'GetCompositeSchedule', { connectorId: 1, duration: 60 });
    expect(after.chargingSchedule.chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 31.9, numberPhases: 3 }]);
    expect(await bed.csms.call('CP-1', 'ClearChargingProfile', { id: 7 })).toEqual({ status: 'Unknown' });
    expect(bed.csms.problems).toEqual([]);
  });
});
