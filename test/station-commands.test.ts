import { describe, expect, it } from 'vitest';
import { waitFor } from './support/station-csms.js';
import { planSession } from './support/station-fixture.js';
import { MIN, stationTestbed } from './support/station-testbed.js';

const bed = stationTestbed();
const { started, charging, statusesOf } = bed;

/** The rpcErrorCode of a CALL the station answered with CALLERROR. */
async function callErrorCode(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (err) {
    return (err as { rpcErrorCode: string }).rpcErrorCode;
  }
  throw new Error('expected a CALLERROR');
}

describe('Reset', () => {
  it('stops the running transaction with SoftReset, reconnects and boots again', async () => {
    const t = await started();
    const txId = await charging(t, 1);
    expect(await bed.csms.call('CP-1', 'Reset', { type: 'Soft' })).toEqual({ status: 'Accepted' });
    await waitFor(() => bed.csms.calls('BootNotification').length === 2, 'second boot');
    await waitFor(() => statusesOf(2).length === 2, 'statuses after the reboot');

    expect(bed.csms.calls('StopTransaction')).toEqual([expect.objectContaining({ transactionId: txId, reason: 'SoftReset' })]);
    const tail = bed.csms.actions().filter((a) => a !== 'MeterValues' && a !== 'Heartbeat');
    expect(tail.slice(tail.indexOf('StopTransaction'))).toEqual([
      'StopTransaction',
      'StatusNotification',
      'StatusNotification',
      'BootNotification',
      'StatusNotification',
      'StatusNotification',
      'StatusNotification',
    ]);
    expect(statusesOf(1).slice(-3)).toEqual(['Finishing', 'Available', 'Available']);
    expect(t.observer.sessions[0]).toMatchObject({ outcome: 'completed', stopReason: 'SoftReset' });
    expect(t.observer.connections.map((c) => c.state)).toEqual([
      'connected',
      'accepted',
      'disconnected',
      'connected',
      'accepted',
    ]);
    // Still operational: a new session runs after the reset.
    t.station.schedule([planSession(t, 2, 0, MIN)]);
    await waitFor(() => t.observer.sessions.length === 2, 'session after reset');
    expect(t.observer.sessions[1].outcome).toBe('completed');
    expect(bed.csms.problems).toEqual([]);
  });

  it('a Hard reset uses reason HardReset', async () => {
    const t = await started();
    await charging(t, 2);
    expect(await bed.csms.call('CP-1', 'Reset', { type: 'Hard' })).toEqual({ status: 'Accepted' });
    await waitFor(() => bed.csms.calls('BootNotification').length === 2, 'second boot');
    expect(bed.csms.calls('StopTransaction').map((p) => p.reason)).toEqual(['HardReset']);
  });
});

describe('TriggerMessage', () => {
  it('answers Accepted and then sends each requested message', async () => {
    const t = await started();
    const txId = await charging(t, 1);
    const trigger = (requestedMessage: string, connectorId?: number) =>
      bed.csms.call('CP-1', 'TriggerMessage', connectorId === undefined ? { requestedMessage } : { requestedMessage, connectorId });
    const count = (action: string) => bed.csms.calls(action).length;

    const before = {
      boot: count('BootNotification'),
      heartbeat: count('Heartbeat'),
      status: count('StatusNotification'),
    };
    expect(await trigger('Heartbeat')).toEqual({ status: 'Accepted' });
    await waitFor(() => count('Heartbeat') === before.heartbeat + 1, 'Heartbeat');
    expect(await trigger('BootNotification')).toEqual({ status: 'Accepted' });
    await waitFor(() => count('BootNotification') === before.boot + 1, 'BootNotification');
    expect(await trigger('StatusNotification', 1)).toEqual({ status: 'Accepted' });
    await waitFor(() => count('StatusNotification') === before.status + 1, 'one StatusNotification');
    expect(bed.csms.calls('StatusNotification').at(-1)).toMatchObject({ connectorId: 1, status: 'Charging' });
    expect(await trigger('StatusNotification')).toEqual({ status: 'Accepted' });
    await waitFor(() => count('StatusNotification') === before.status + 4, 'all StatusNotifications');
    expect(await trigger('MeterValues', 1)).toEqual({ status: 'Accepted' });
    const triggered = () =>
      bed.csms.calls('MeterValues').filter((mv) => mv.meterValue[0].sampledValue[0].context === 'Trigger');
    await waitFor(() => triggered().length === 1, 'triggered MeterValues');
    expect(triggered()[0]).toMatchObject({ connectorId: 1, transactionId: txId });
    expect(await trigger('DiagnosticsStatusNotification')).toEqual({ status: 'Accepted' });
    expect(await trigger('FirmwareStatusNotification')).toEqual({ status: 'Accepted' });
    await waitFor(() => count('FirmwareStatusNotification') === 1, 'FirmwareStatusNotification');
    expect(bed.csms.calls('DiagnosticsStatusNotification')).toEqual([{ status: 'Idle' }]);
    expect(bed.csms.calls('FirmwareStatusNotification')).toEqual([{ status: 'Idle' }]);

    expect(await trigger('StatusNotification', 3)).toEqual({ status: 'Rejected' });
    expect(bed.csms.problems).toEqual([]);
  });
});

describe('UnlockConnector', () => {
  it('stops the transaction with UnlockCommand and answers Unlocked; unknown connectors NotSupported', async () => {
    const t = await started();
    const txId = await charging(t, 2);
    expect(await bed.csms.call('CP-1', 'UnlockConnector', { connectorId: 3 })).toEqual({ status: 'NotSupported' });
    expect(await bed.csms.call('CP-1', 'UnlockConnector', { connectorId: 2 })).toEqual({ status: 'Unlocked' });
    await waitFor(() => t.observer.sessions.length === 1, 'session record');
    expect(bed.csms.calls('StopTransaction')).toEqual([expect.objectContaining({ transactionId: txId, reason: 'UnlockCommand' })]);
    expect(await bed.csms.call('CP-1', 'UnlockConnector', { connectorId: 1 })).toEqual({ status: 'Unlocked' });
    expect(bed.csms.calls('StopTransaction')).toHaveLength(1);
  });
});

describe('ChangeAvailability', () => {
  it('Inoperative makes an idle connector Unavailable and blocks arrivals; Operative restores it', async () => {
    const t = await started();
    const change = (connectorId: number, type: string) => bed.csms.call('CP-1', 'ChangeAvailability', { connectorId, type });
    expect(await change(2, 'Inoperative')).toEqual({ status: 'Accepted' });
    await waitFor(() => statusesOf(2).at(-1) === 'Unavailable', 'Unavailable');
    t.station.schedule([planSession(t, 2, 0, MIN)]);
    await waitFor(() => t.observer.sessions.length === 1, 'skipped arrival');
    expect(t.observer.sessions[0]).toMatchObject({ outcome: 'failed', detail: 'connector busy' });
    expect(await bed.csms.call('CP-1', 'RemoteStartTransaction', { connectorId: 2, idTag: 'X' })).toEqual({ status: 'Rejected' });

    expect(await change(2, 'Operative')).toEqual({ status: 'Accepted' });
    await waitFor(() => statusesOf(2).at(-1) === 'Available', 'Available');
    expect(await change(5, 'Operative')).toEqual({ status: 'Rejected' });
    expect(bed.csms.calls('StartTransaction')).toHaveLength(0);
    expect(bed.csms.problems).toEqual([]);
  });

  it('is Scheduled during a transaction and applied when the session ends', async () => {
    const t = await started();
    const txId = await charging(t, 1);
    expect(await bed.csms.call('CP-1', 'ChangeAvailability', { connectorId: 0, type: 'Inoperative' })).toEqual({
      status: 'Scheduled',
    });
    await waitFor(() => statusesOf(2).at(-1) === 'Unavailable' && statusesOf(0).at(-1) === 'Unavailable', 'idle parts Unavailable');
    expect(statusesOf(1).at(-1)).toBe('Charging');
    expect(await bed.csms.call('CP-1', 'RemoteStopTransaction', { transactionId: txId })).toEqual({ status: 'Accepted' });
    await waitFor(() => t.observer.sessions.length === 1, 'session record');
    expect(statusesOf(1).slice(-2)).toEqual(['Finishing', 'Unavailable']);
  });
});

describe('other CSMS calls', () => {
  it('ClearCache is Accepted, DataTransfer gets UnknownVendorId', async () => {
    await started();
    expect(await bed.csms.call('CP-1', 'ClearCache', {})).toEqual({ status: 'Accepted' });
    expect(await bed.csms.call('CP-1', 'DataTransfer', { vendorId: 'com.example' })).toEqual({ status: 'UnknownVendorId' });
  });

  it('an unsupported OCPP 1.6 action gets NotSupported, an unknown action NotImplemented', async () => {
    const t = await started();
    const reserve = { connectorId: 1, expiryDate: new Date().toISOString(), idTag: 'X', reservationId: 1 };
    expect(await callErrorCode(bed.csms.call('CP-1', 'ReserveNow', reserve))).toBe('NotSupported');
    expect(await callErrorCode(bed.csms.call('CP-1', 'GetLocalListVersion', {}))).toBe('NotSupported');
    expect(await callErrorCode(bed.csms.callUnchecked('CP-1', 'PlayMusic', { volume: 11 }))).toBe('NotImplemented');
    const received = t.observer.calls.filter((c) => c.direction === 'received');
    expect(received).toEqual([
      expect.objectContaining({ action: 'ReserveNow', error: 'NotSupported' }),
      expect.objectContaining({ action: 'GetLocalListVersion', error: 'NotSupported' }),
      expect.objectContaining({ action: 'PlayMusic', error: 'NotImplemented' }),
    ]);
    expect(bed.csms.problems).toEqual([]);
  });
});
