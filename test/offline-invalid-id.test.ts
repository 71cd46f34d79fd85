import { describe, expect, it } from 'vitest';
import { waitFor } from './support/station-csms.js';
import { planSession, type TestStation } from './support/station-fixture.js';
import { MIN, stationTestbed } from './support/station-testbed.js';
import { txEvents, waitOffline, waitOnline } from './support/station-tx.js';

const bed = stationTestbed();

/** Runs a short online session so the station's authorisation cache learns `idTag`. */
async function learn(t: TestStation, idTag: string, connectorId = 1): Promise<void> {
  const n = t.observer.sessions.length;
  t.station.schedule([planSession(t, connectorId, 0, MIN / 2, idTag)]);
  await waitFor(() => t.observer.sessions.length === n + 1, `session of ${idTag}`);
}

/** Cuts the station off and schedules `idTags` (one per connector, in order) while it is offline. */
async function arriveOffline(t: TestStation, idTags: string[], plugMs = 2 * MIN): Promise<void> {
  bed.csms.cutOff(t.station.identity);
  await waitOffline(t);
  t.station.schedule(idTags.map((idTag, i) => planSession(t, i + 1, 5_000, plugMs, idTag)));
}

const record = (t: TestStation, idTag: string) => t.observer.sessions.find((r) => r.idTag === idTag);

describe('idTag refused after the fact', () => {
  /** A station that admits unknown tags offline, and a CSMS that refuses STOLEN in StartTransaction. */
  async function chargeStolenOffline(configuration: Record<string, string>): Promise<TestStation> {
    bed.csms.responders.StartTransaction = (p) => {
      const transactionId = 500 + bed.csms.transactions.length;
      bed.csms.transactions.push(transactionId);
      return { transactionId, idTagInfo: { status: p.idTag === 'STOLEN' ? 'Invalid' : 'Accepted' } };
    };
    const t = await bed.started({ configuration: { AllowOfflineTxForUnknownId: 'true', ...configuration } });
    await arriveOffline(t, ['STOLEN'], 600 * MIN);
    await waitFor(() => txEvents(t, 'queued', 'MeterValues').length >= 2, 'charging offline');
    bed.csms.refuse(false);
    await waitOnline(t);
    return t;
  }

  it('StopTransactionOnInvalidId stops the running transaction with DeAuthorized once the reply comes', async () => {
    const t = await chargeStolenOffline({});
    await waitFor(() => t.observer.sessions.length === 1, 'session record');
    const [start] = txEvents(t, 'acked', 'StartTransaction');
    expect(start).toMatchObject({ transactionId: 500, idTagStatus: 'Invalid' });
    expect(bed.csms.calls('StopTransaction')).toEqual([expect.objectContaining({ transactionId: 500, reason: 'DeAuthorized' })]);
    expect(t.observer.sessions[0]).toMatchObject({
      outcome: 'rejected',
      detail: 'rejected after the fact',
      stopReason: 'DeAuthorized',
      transactionId: 500,
    });
    expect(bed.csms.problems).toEqual([]);
  });

  it('without StopTransactionOnInvalidId the transaction runs on without power until it ends', async () => {
    const t = await chargeStolenOffline({ StopTransactionOnInvalidId: 'false' });
    await waitFor(() => bed.statusesOf(1).includes('SuspendedEVSE'), 'power cut');
    const verdictAt = txEvents(t, 'acked', 'StartTransaction')[0].at;
    const power = (mv: any) => Number(mv.meterValue[0].sampledValue.find((v: any) => v.measurand === 'Power.Active.Import').value);
    const sampledAt = (mv: any) => Date.parse(mv.meterValue[0].timestamp);
    const afterVerdict = () => bed.csms.calls('MeterValues').filter((mv) => sampledAt(mv) > verdictAt);
    await waitFor(() => afterVerdict().length >= 2, 'samples after the verdict');
    const beforeVerdict = bed.csms.calls('MeterValues').filter((mv) => sampledAt(mv) < verdictAt);
    expect(beforeVerdict.length).toBeGreaterThanOrEqual(2); // produced offline
    expect(beforeVerdict.every((mv) => power(mv) > 0)).toBe(true);
    expect(afterVerdict().map(power)).toEqual(afterVerdict().map(() => 0));
    expect(bed.csms.calls('StopTransaction')).toHaveLength(0);

    await t.station.finishSessions('Local');
    expect(bed.csms.calls('StopTransaction')).toEqual([expect.objectContaining({ transactionId: 500, reason: 'Local' })]);
    expect(t.observer.sessions[0]).toMatchObject({ outcome: 'rejected', detail: 'rejected after the fact' });
  });
});
