import { describe, expect, it } from 'vitest';
import { waitFor } from './support/station-csms.js';
import { stationTestbed } from './support/station-testbed.js';

const bed = stationTestbed();

const now = () => new Date().toISOString();

describe('station boot', () => {
  it('boots, reports every connector Available and heartbeats on the interval from the reply', async () => {
    bed.csms.responders.BootNotification = () => ({ status: 'Accepted', currentTime: now(), interval: 60 });
    const t = bed.station();
    await t.station.start();

    expect(bed.csms.actions()).toEqual(['BootNotification', 'StatusNotification', 'StatusNotification', 'StatusNotification']);
    expect(bed.csms.calls('BootNotification')[0]).toEqual({
      chargePointVendor: 'ev-sim',
      chargePointModel: 'virtual-ac-22',
      chargePointSerialNumber: 'SN-CP-1',
      chargeBoxSerialNumber: 'SN-CP-1',
      firmwareVersion: '0.1.0',
    });
    const statuses = bed.csms.calls('StatusNotification').map((p) => [p.connectorId, p.status, p.errorCode]);
    expect(statuses).toEqual([
      [0, 'Available', 'NoError'],
      [1, 'Available', 'NoError'],
      [2, 'Available', 'NoError'],
    ]);
    expect(t.observer.connections.map((c) => c.state)).toEqual(['connected', 'accepted']);

    await waitFor(() => bed.csms.calls('Heartbeat').length >= 2, 'two heartbeats');
    const conf = await bed.csms.call('CP-1', 'GetConfiguration', { key: ['HeartbeatInterval'] });
    expect(conf).toEqual({ configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '60' }] });
    expect(t.observer.calls.filter((c) => c.direction === 'sent' && c.action === 'Heartbeat').length).toBeGreaterThanOrEqual(2);
    expect(bed.csms.problems).toEqual([]);
  });

  it('waits the interval while Pending, answers the CSMS meanwhile, then boots again', async () => {
    const t = bed.station();
    const bootAt: number[] = [];
    bed.csms.responders.BootNotification = () => {
      bootAt.push(t.opts.clock.elapsed());
      return { status: bootAt.length === 1 ? 'Pending' : 'Accepted', currentTime: now(), interval: 120 };
    };
    const started = t.station.start();
    await waitFor(() => bootAt.length === 1, 'first boot');

    const conf = await bed.csms.call('CP-1', 'GetConfiguration', { key: ['NumberOfConnectors'] });
    expect(conf.configurationKey).toEqual([{ key: 'NumberOfConnectors', readonly: true, value: '2' }]);
    expect(bed.csms.actions()).toEqual(['BootNotification']);

    await started;
    expect(bed.csms.actions()).toEqual([
      'BootNotification',
      'BootNotification',
      'StatusNotification',
      'StatusNotification',
      'StatusNotification',
    ]);
    // The retry waited the 120 simulated seconds the CSMS asked for (timers never fire early).
    expect(bootAt[1] - bootAt[0]).toBeGreaterThanOrEqual(119_000);
    expect(t.observer.connections.map((c) => c.state)).toEqual(['connected', 'accepted']);
    expect(bed.csms.problems).toEqual([]);
  });

  it('retries after Rejected (interval 0 means the default wait) and sends nothing else meanwhile', async () => {
    const t = bed.station();
    let boots = 0;
    bed.csms.responders.BootNotification = () => ({
      status: ++boots < 3 ? 'Rejected' : 'Accepted',
      currentTime: now(),
      interval: 0,
    });
    await t.station.start();
    expect(bed.csms.actions().slice(0, 4)).toEqual(['BootNotification', 'BootNotification', 'BootNotification', 'StatusNotification']);
    // Interval 0 on acceptance keeps the configured heartbeat interval.
    const conf = await bed.csms.call('CP-1', 'GetConfiguration', { key: ['HeartbeatInterval'] });
    expect(conf.configurationKey[0].value).toBe('3600');
    expect(bed.csms.problems).toEqual([]);
  });

  it('rejects start() when the CSMS cannot be reached, and close() before acceptance rejects start()', async () => {
    const unreachable = bed.station({ url: 'ws://127.0.0.1:1' });
    await expect(unreachable.station.start()).rejects.toThrow();

    bed.csms.responders.BootNotification = () => ({ status: 'Pending', currentTime: now(), interval: 3600 });
    const pending = bed.station({}, 'CP-2');
    const started = pending.station.start();
    await waitFor(() => bed.csms.calls('BootNotification').length === 1, 'boot');
    const outcome = expect(started).rejects.toThrow(/closed before boot/);
    await pending.station.close();
    await outcome;
    expect(pending.observer.connections.map((c) => c.state)).toEqual(['connected', 'closed']);
  });

  it('reports accepted again after a dropped connection comes back, without booting again', async () => {
    const t = bed.station();
    await t.station.start();
    bed.csms.drop('CP-1');
    await waitFor(() => t.observer.connections.length >= 4, 'reconnect', 8000);
    expect(t.observer.connections.map((c) => c.state)).toEqual(['connected', 'accepted', 'disconnected', 'connected', 'accepted']);
    expect(bed.csms.calls('BootNotification')).toHaveLength(1);
    const conf = await bed.csms.call('CP-1', 'GetConfiguration', { key: ['NumberOfConnectors'] });
    expect(conf.configurationKey[0].value).toBe('2');
  });
});
