import { describe, expect, it } from 'vitest';
import { waitFor } from './support/station-csms.js';
import type { TestStation } from './support/station-fixture.js';
import { MIN, stationTestbed } from './support/station-testbed.js';
import { txEvents, waitOnline } from './support/station-tx.js';
import { arriveOffline as cutOffAndArrive } from './support/station-offline.js';

const bed = stationTestbed();
const arriveOffline = (t: TestStation, idTags: string[], plugMs?: number) => cutOffAndArrive(bed, t, idTags, plugMs);


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
