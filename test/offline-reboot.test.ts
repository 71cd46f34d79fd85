import { describe, expect, it } from 'vitest';
import { waitFor } from './support/station-csms.js';
import { planSession, type TestStation } from './support/station-fixture.js';
import { MIN, stationTestbed } from './support/station-testbed.js';
import { seqs, txEvents, waitOffline } from './support/station-tx.js';

const bed = stationTestbed();

/** A station charging on connector 1 that lost its connection and has sampled offline for a while. */
async function chargingOffline(): Promise<{ t: TestStation; txId: number; cutAt: number }> {
  const t = await bed.started();
  const txId = await bed.charging(t, 1);
  bed.csms.cutOff('CP-1');
  await waitOffline(t);
  const cutAt = bed.csms.received.length;
  const queued = txEvents(t, 'queued').length;
  await waitFor(() => txEvents(t, 'queued').length >= queued + 2, 'samples queued offline');
  return { t, txId, cutAt };
}

describe('reboot', () => {
  it('keepQueue: the PowerLoss StopTransaction and the offline samples are delivered once after the boot', async () => {
    const { t, txId, cutAt } = await chargingOffline();
    const rebooted = t.station.reboot(true);
    const stop = txEvents(t, 'queued', 'StopTransaction');
    expect(stop).toHaveLength(1);
    expect(t.station.reboot(true)).toBe(rebooted); // one power cycle at a time
    bed.csms.refuse(false);
    await rebooted;
    await waitFor(() => t.observer.sessions.length === 1, 'session record');

    expect(bed.csms.calls('BootNotification')).toHaveLength(2);
    const after = bed.csms.received.slice(cutAt).map((c) => c.action);
    expect(after.indexOf('BootNotification')).toBeLessThan(after.indexOf('MeterValues'));
    expect(after.filter((a) => a === 'StopTransaction')).toHaveLength(1);
    expect(after.lastIndexOf('MeterValues')).toBeLessThan(after.indexOf('StopTransaction'));
    expect(bed.csms.calls('StopTransaction')).toEqual([expect.objectContaining({ transactionId: txId, reason: 'PowerLoss' })]);
    // The meter reading of the moment of the reboot.
    expect(bed.csms.calls('StopTransaction')[0].timestamp).toBe(new Date(Math.round(stop[0].createdAt)).toISOString());
    expect(seqs(txEvents(t, 'acked'))).toEqual(seqs(txEvents(t, 'queued')));
    expect(txEvents(t, 'lost')).toHaveLength(0);
    expect(t.observer.sessions[0]).toMatchObject({ outcome: 'completed', stopReason: 'PowerLoss', transactionId: txId });
    expect(t.observer.connections.map((c) => c.state).slice(-3)).toEqual(['disconnected', 'connected', 'accepted']);

    // Nothing is sent again later, and the station works as before.
    const stops = txEvents(t, 'sent', 'StopTransaction').length;
    t.station.schedule([planSession(t, 2, 0, MIN)]);
    await waitFor(() => t.observer.sessions.length === 2, 'session after the reboot');
    expect(t.observer.sessions[1].outcome).toBe('completed');
    expect(bed.csms.calls('StopTransaction')).toHaveLength(2);
    expect(txEvents(t, 'sent', 'StopTransaction')).toHaveLength(stops + 1);
    expect(bed.csms.problems).toEqual([]);
  });

  it('without keepQueue every queued message is lost: the CSMS never hears of the stop', async () => {
    const { t, txId, cutAt } = await chargingOffline();
    const queued = txEvents(t, 'queued').filter((e) => !txEvents(t, 'acked').some((a) => a.seq === e.seq));
    const refusals = bed.csms.refusals;
    const rebooted = t.station.reboot(false);
    // Still unreachable after the power-on: the station keeps trying (back-off) until it gets through.
    await waitFor(() => bed.csms.refusals > refusals, 'a refused reconnect after the reboot');
    bed.csms.refuse(false);
    await rebooted;
    await waitFor(() => t.observer.sessions.length === 1, 'session record');

    const lost = txEvents(t, 'lost');
    // The samples queued offline plus the PowerLoss StopTransaction queued at the reboot.
    expect(seqs(lost).slice(0, queued.length)).toEqual(seqs(queued));
    expect(lost.at(-1)).toMatchObject({ action: 'StopTransaction', queueDepth: 0 });
    expect(lost.map((e) => e.queueDepth)).toEqual(lost.map((_, i) => lost.length - i - 1));
    expect(bed.csms.received.slice(cutAt).filter((c) => c.action === 'MeterValues' || c.action === 'StopTransaction')).toEqual([]);
    expect(t.observer.sessions[0]).toMatchObject({
      outcome: 'failed',
      detail: 'StopTransaction lost in reboot',
      transactionId: txId,
      stopReason: 'PowerLoss',
    });

    t.station.schedule([planSession(t, 1, 0, MIN)]);
    await waitFor(() => t.observer.sessions.length === 2, 'session after the reboot');
    expect(t.observer.sessions[1].outcome).toBe('completed');
    expect(bed.csms.problems).toEqual([]);
  });

  it('an online reboot interrupts the transaction and delivers its StopTransaction after booting again', async () => {
    const t = await bed.started();
    const txId = await bed.charging(t, 2);
    await t.station.reboot(true);
    await waitFor(() => t.observer.sessions.length === 1, 'session record');
    const actions = bed.csms.actions().filter((a) => a !== 'MeterValues' && a !== 'Heartbeat');
    expect(actions.slice(actions.lastIndexOf('BootNotification'))).toEqual([
      'BootNotification',
      'StatusNotification',
      'StatusNotification',
      'StatusNotification',
      'StopTransaction',
    ]);
    expect(bed.csms.calls('StopTransaction')).toEqual([expect.objectContaining({ transactionId: txId, reason: 'PowerLoss' })]);
    expect(bed.statusesOf(2).slice(-2)).toEqual(['Charging', 'Available']);
  });
});
