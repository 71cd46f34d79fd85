import { describe, expect, it } from 'vitest';
import { waitFor } from './support/station-csms.js';
import { stationTestbed } from './support/station-testbed.js';

const bed = stationTestbed();
const { started, charging, statusesOf } = bed;

describe('remote start and stop', () => {
  it('RemoteStartTransaction starts a real session on the first free connector', async () => {
    const t = await started();
    await charging(t, 1);
    const reply = await bed.csms.call('CP-1', 'RemoteStartTransaction', { idTag: 'REMOTE-1' });
    expect(reply).toEqual({ status: 'Accepted' });
    await waitFor(() => t.observer.sessions.length === 1, 'remote session record');
    const start = bed.csms.calls('StartTransaction')[1];
    expect(start).toMatchObject({ connectorId: 2, idTag: 'REMOTE-1' });
    // AuthorizeRemoteTxRequests is false: the remote start is not authorised again.
    expect(bed.csms.calls('Authorize').map((p) => p.idTag)).toEqual(['TAG-OK']);
    expect(t.observer.sessions[0]).toMatchObject({
      origin: 'remote',
      connectorId: 2,
      outcome: 'completed',
      stopReason: 'EVDisconnected',
      transactionId: bed.csms.transactions[1],
    });
    expect(bed.csms.problems).toEqual([]);
  });

  it('authorises a remote start first when AuthorizeRemoteTxRequests is true', async () => {
    const t = await started();
    expect(await bed.csms.call('CP-1', 'ChangeConfiguration', { key: 'AuthorizeRemoteTxRequests', value: 'true' })).toEqual({
      status: 'Accepted',
    });
    expect(await bed.csms.call('CP-1', 'RemoteStartTransaction', { connectorId: 2, idTag: 'REMOTE-2' })).toEqual({
      status: 'Accepted',
    });
    await waitFor(() => bed.csms.calls('StartTransaction').length === 1, 'StartTransaction');
    const actions = bed.csms.actions().filter((a) => a === 'Authorize' || a === 'StartTransaction');
    expect(actions).toEqual(['Authorize', 'StartTransaction']);
    expect(bed.csms.calls('Authorize')[0]).toEqual({ idTag: 'REMOTE-2' });
    await t.station.finishSessions('Local');
  });

  it('rejects a remote start on a busy or unknown connector, or without a session planner', async () => {
    const t = await started();
    await charging(t, 1);
    expect(await bed.csms.call('CP-1', 'RemoteStartTransaction', { connectorId: 1, idTag: 'X' })).toEqual({ status: 'Rejected' });
    expect(await bed.csms.call('CP-1', 'RemoteStartTransaction', { connectorId: 3, idTag: 'X' })).toEqual({ status: 'Rejected' });

    await started({ planRemoteSession: undefined }, 'CP-2');
    expect(await bed.csms.call('CP-2', 'RemoteStartTransaction', { idTag: 'X' })).toEqual({ status: 'Rejected' });
    expect(bed.csms.calls('StartTransaction')).toHaveLength(1);
  });

  it('RemoteStopTransaction stops the running transaction with reason Remote; unknown ids are Rejected', async () => {
    const t = await started();
    const txId = await charging(t, 1);
    expect(await bed.csms.call('CP-1', 'RemoteStopTransaction', { transactionId: txId + 1000 })).toEqual({ status: 'Rejected' });
    expect(await bed.csms.call('CP-1', 'RemoteStopTransaction', { transactionId: txId })).toEqual({ status: 'Accepted' });
    await waitFor(() => t.observer.sessions.length === 1, 'session record');
    expect(bed.csms.calls('StopTransaction')).toEqual([expect.objectContaining({ transactionId: txId, reason: 'Remote' })]);
    expect(statusesOf(1).slice(-2)).toEqual(['Finishing', 'Available']);
    expect(t.observer.sessions[0]).toMatchObject({ outcome: 'completed', stopReason: 'Remote' });
  });
});

describe('configuration', () => {
  it('GetConfiguration lists every key, or the requested ones plus unknownKey', async () => {
    await started();
    const all = await bed.csms.call('CP-1', 'GetConfiguration', {});
    const keys = all.configurationKey.map((k: any) => k.key);
    expect(keys).toHaveLength(31);
    expect(keys).toEqual(expect.arrayContaining(['HeartbeatInterval', 'MeterValuesSampledData', 'MaxChargingProfilesInstalled']));
    const readonly = all.configurationKey.filter((k: any) => k.readonly).map((k: any) => k.key);
    expect(readonly.sort()).toEqual(
      [
        'ChargeProfileMaxStackLevel',
        'ChargingScheduleAllowedChargingRateUnit',
        'ChargingScheduleMaxPeriods',
        'GetConfigurationMaxKeys',
        'LocalAuthListMaxLength',
        'MaxChargingProfilesInstalled',
        'NumberOfConnectors',
        'SendLocalListMaxLength',
        'SupportedFeatureProfiles',
      ].sort(),
    );
    const some = await bed.csms.call('CP-1', 'GetConfiguration', { key: ['MeterValueSampleInterval', 'NoSuchKey'] });
    expect(some).toEqual({
      configurationKey: [{ key: 'MeterValueSampleInterval', readonly: false, value: '60' }],
      unknownKey: ['NoSuchKey'],
    });
    expect(bed.csms.problems).toEqual([]);
  });

  it('ChangeConfiguration: readonly Rejected, unknown NotSupported, invalid values Rejected', async () => {
    await started();
    const change = (key: string, value: string) => bed.csms.call('CP-1', 'ChangeConfiguration', { key, value });
    expect(await change('NumberOfConnectors', '4')).toEqual({ status: 'Rejected' });
    expect(await change('NoSuchKey', '1')).toEqual({ status: 'NotSupported' });
    expect(await change('HeartbeatInterval', 'soon')).toEqual({ status: 'Rejected' });
    expect(await change('StopTransactionOnInvalidId', 'maybe')).toEqual({ status: 'Rejected' });
    expect(await change('MeterValuesSampledData', 'Energy.Active.Import.Register,Frequency')).toEqual({ status: 'Rejected' });
    expect(await change('HeartbeatInterval', '120')).toEqual({ status: 'Accepted' });
    const conf = await bed.csms.call('CP-1', 'GetConfiguration', { key: ['HeartbeatInterval', 'NumberOfConnectors'] });
    expect(conf.configurationKey.map((k: any) => k.value)).toEqual(['120', '2']);
  });

  it('MeterValueSampleInterval and MeterValuesSampledData changes take effect in a running session', async () => {
    const t = await started({
      meter: {
        sampleIntervalMs: 3_600_000,
        clockAlignedIntervalMs: 0,
        measurands: ['Energy.Active.Import.Register', 'Power.Active.Import'],
        alignedMeasurands: [],
      },
    });
    const txId = await charging(t, 1);
    expect(bed.csms.calls('MeterValues')).toHaveLength(0);
    const change = (key: string, value: string) => bed.csms.call('CP-1', 'ChangeConfiguration', { key, value });
    expect(await change('MeterValuesSampledData', 'Energy.Active.Import.Register')).toEqual({ status: 'Accepted' });
    expect(await change('MeterValueSampleInterval', '30')).toEqual({ status: 'Accepted' });
    // An hour-long interval would take 6 wall seconds; 30 s takes 50 ms.
    await waitFor(() => bed.csms.calls('MeterValues').length >= 2, 'MeterValues on the new interval', 3000);
    const [mv] = bed.csms.calls('MeterValues');
    expect(mv.transactionId).toBe(txId);
    expect(mv.meterValue[0].sampledValue.map((v: any) => v.measurand)).toEqual(['Energy.Active.Import.Register']);
    expect(bed.csms.problems).toEqual([]);
  });

  it('ClockAlignedDataInterval turns on clock-aligned samples for every connector', async () => {
    const t = await started();
    const txId = await charging(t, 1);
    expect(await bed.csms.call('CP-1', 'ChangeConfiguration', { key: 'ClockAlignedDataInterval', value: '60' })).toEqual({
      status: 'Accepted',
    });
    const aligned = () =>
      bed.csms.calls('MeterValues').filter((mv) => mv.meterValue[0].sampledValue[0].context === 'Sample.Clock');
    await waitFor(() => aligned().length >= 2, 'aligned samples', 3000);
    const byConnector = new Map(aligned().map((mv) => [mv.connectorId, mv]));
    expect(byConnector.get(1)?.transactionId).toBe(txId);
    expect(byConnector.get(2)?.transactionId).toBeUndefined();
    expect(bed.csms.problems).toEqual([]);
  });
});
