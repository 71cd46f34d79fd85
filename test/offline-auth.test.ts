import { describe, expect, it } from 'vitest';
import { waitFor } from './support/station-csms.js';
import { planSession, type TestStation } from './support/station-fixture.js';
import { MIN, stationTestbed } from './support/station-testbed.js';
import { txEvents } from './support/station-tx.js';
import { arriveOffline as cutOffAndArrive, learn, record } from './support/station-offline.js';

const bed = stationTestbed();
const arriveOffline = (t: TestStation, idTags: string[], plugMs?: number) => cutOffAndArrive(bed, t, idTags, plugMs);


describe('offline authorisation', () => {
  it('authorises a cached tag locally and refuses unknown and refused tags', async () => {
    const t = await bed.started();
    await learn(t, 'TAG-A');
    await learn(t, 'BLOCKED-1'); // Authorize said Blocked: cached as such
    const authorizeCalls = bed.csms.calls('Authorize').length;

    await arriveOffline(t, ['TAG-A', 'TAG-NEW']);
    await waitFor(() => record(t, 'TAG-NEW') !== undefined, 'unknown tag refused');
    expect(record(t, 'TAG-NEW')).toMatchObject({ outcome: 'rejected', detail: 'offline, not authorised', transactionId: null });
    t.station.schedule([planSession(t, 2, 0, MIN, 'BLOCKED-1')]);
    await waitFor(() => t.observer.sessions.filter((r) => r.idTag === 'BLOCKED-1').length === 2, 'blocked tag refused');
    expect(t.observer.sessions.at(-1)).toMatchObject({ outcome: 'rejected', detail: 'offline, not authorised' });
    await waitFor(() => txEvents(t, 'queued', 'StopTransaction').length === 2, 'the cached tag charged and left');

    bed.csms.refuse(false);
    await waitFor(() => record(t, 'TAG-A') !== undefined && t.observer.sessions.length === 5, 'offline session record', 8000);
    expect(t.observer.sessions.filter((r) => r.idTag === 'TAG-A').at(-1)).toMatchObject({ outcome: 'completed', stopReason: 'EVDisconnected' });
    expect(bed.csms.calls('StartTransaction').map((p) => p.idTag)).toEqual(['TAG-A', 'TAG-A']);
    expect(bed.csms.calls('Authorize')).toHaveLength(authorizeCalls);
    expect(bed.csms.problems).toEqual([]);
  });

  it('AllowOfflineTxForUnknownId admits unknown tags; LocalAuthorizeOffline false ignores the cache', async () => {
    const t = await bed.started({ configuration: { AllowOfflineTxForUnknownId: 'true', LocalAuthorizeOffline: 'false' } });
    await learn(t, 'TAG-A');
    await arriveOffline(t, ['TAG-A', 'TAG-NEW']);
    await waitFor(() => record(t, 'TAG-A') !== undefined && t.observer.sessions.length === 2, 'cached tag refused');
    expect(t.observer.sessions[1]).toMatchObject({ idTag: 'TAG-A', outcome: 'rejected', detail: 'offline, not authorised' });
    await waitFor(() => txEvents(t, 'queued', 'StopTransaction').length === 2, 'unknown tag charged');
    bed.csms.refuse(false);
    await waitFor(() => record(t, 'TAG-NEW') !== undefined, 'offline session record', 8000);
    expect(record(t, 'TAG-NEW')).toMatchObject({ outcome: 'completed', transactionId: bed.csms.transactions[1] });
  });

  it('ClearCache forgets what the station learnt', async () => {
    const t = await bed.started();
    await learn(t, 'TAG-A');
    expect(await bed.csms.call('CP-1', 'ClearCache', {})).toEqual({ status: 'Accepted' });
    await arriveOffline(t, ['TAG-A']);
    await waitFor(() => t.observer.sessions.length === 2, 'refused after ClearCache');
    expect(t.observer.sessions[1]).toMatchObject({ outcome: 'rejected', detail: 'offline, not authorised' });
    expect(txEvents(t, 'queued', 'StartTransaction')).toHaveLength(1);
  });
});
