import { describe, expect, it } from 'vitest';
import { createRPCError } from 'ocpp-rpc';
import { waitFor, type ReceivedCall } from './support/station-csms.js';
import { NEARLY_FULL_CAR, planSession } from './support/station-fixture.js';
import { MIN, stationTestbed } from './support/station-testbed.js';

const bed = stationTestbed();
const { started } = bed;
const csms = () => bed.csms;

/** 'Status:<status>@<connector>' for StatusNotification, the action name otherwise; no heartbeats. */
function flow(calls: ReceivedCall[]): string[] {
  return calls
    .filter((c) => c.action !== 'Heartbeat')
    .map((c) => (c.action === 'StatusNotification' ? `Status:${c.params.status}@${c.params.connectorId}` : c.action));
}

describe('station sessions', () => {
  it('runs a full session: exact message sequence, MeterValues with the transactionId, one record', async () => {
    const t = await started();
    const before = bed.csms.received.length;
    t.station.schedule([planSession(t, 1, 0, 5 * MIN)]);
    await waitFor(() => t.observer.sessions.length === 1, 'session record');

    const seq = flow(bed.csms.received.slice(before));
    expect(seq.slice(0, 4)).toEqual(['Status:Preparing@1', 'Authorize', 'StartTransaction', 'Status:Charging@1']);
    expect(seq.slice(-3)).toEqual(['StopTransaction', 'Status:Finishing@1', 'Status:Available@1']);
    const middle = seq.slice(4, -3);
    expect(middle.length).toBeGreaterThanOrEqual(3);
    expect(new Set(middle)).toEqual(new Set(['MeterValues']));

    const start = bed.csms.calls('StartTransaction')[0];
    expect(start).toMatchObject({ connectorId: 1, idTag: 'TAG-OK' });
    expect(Number.isInteger(start.meterStart)).toBe(true);
    const txId = bed.csms.transactions[0];
    for (const mv of bed.csms.calls('MeterValues')) {
      expect(mv.transactionId).toBe(txId);
      expect(mv.connectorId).toBe(1);
      const measurands = mv.meterValue[0].sampledValue.map((v: any) => v.measurand);
      expect(measurands).toContain('Energy.Active.Import.Register');
      expect(mv.meterValue[0].sampledValue.every((v: any) => v.context === 'Sample.Periodic')).toBe(true);
    }

    const stop = bed.csms.calls('StopTransaction')[0];
    expect(stop).toMatchObject({ transactionId: txId, idTag: 'TAG-OK', reason: 'EVDisconnected' });
    expect(stop.meterStop).toBeGreaterThan(start.meterStart);
    expect(stop.transactionData.map((mv: any) => mv.sampledValue[0].context)).toEqual([
      'Transaction.Begin',
      'Transaction.End',
    ]);
    expect(Number(stop.transactionData[0].sampledValue[0].value)).toBe(start.meterStart);
    expect(Number(stop.transactionData[1].sampledValue[0].value)).toBe(stop.meterStop);

    const [record] = t.observer.sessions;
    expect(record).toMatchObject({
      stationId: 'CP-1',
      connectorId: 1,
      idTag: 'TAG-OK',
      origin: 'arrival',
      vehicle: 'midsize',
      transactionId: txId,
      meterStartWh: start.meterStart,
      meterStopWh: stop.meterStop,
      energyWh: stop.meterStop - start.meterStart,
      stopReason: 'EVDisconnected',
      outcome: 'completed',
      detail: null,
    });
    // About 11 kW for 5 simulated minutes.
    expect(record.energyWh).toBeGreaterThan(500);
    expect(record.unpluggedAt! - record.pluggedAt).toBeGreaterThanOrEqual(5 * MIN - 1);
    expect(t.observer.plugged).toEqual([{ stationId: 'CP-1', connectorId: 1 }]);
    expect(bed.csms.problems).toEqual([]);
  });

  it('reports SuspendedEV once the car reaches its target', async () => {
    const t = await started();
    t.station.schedule([planSession(t, 2, 0, 4 * MIN, 'TAG-OK', NEARLY_FULL_CAR)]);
    await waitFor(() => t.observer.sessions.length === 1, 'session record');
    const statuses = flow(bed.csms.received).filter((a) => a.endsWith('@2'));
    expect(statuses).toEqual([
      'Status:Available@2',
      'Status:Preparing@2',
      'Status:Charging@2',
      'Status:SuspendedEV@2',
      'Status:Finishing@2',
      'Status:Available@2',
    ]);
    expect(t.observer.sessions[0].outcome).toBe('completed');
    expect(bed.csms.problems).toEqual([]);
  });

  it('a refused idTag never starts a transaction', async () => {
    const t = await started();
    const before = bed.csms.received.length;
    t.station.schedule([planSession(t, 1, 0, 5 * MIN, 'BLOCKED-1')]);
    await waitFor(() => t.observer.sessions.length === 1, 'session record');
    expect(flow(bed.csms.received.slice(before))).toEqual(['Status:Preparing@1', 'Authorize', 'Status:Available@1']);
    expect(t.observer.sessions[0]).toMatchObject({ outcome: 'rejected', detail: 'Authorize Blocked', transactionId: null });
    expect(bed.csms.problems).toEqual([]);
  });

  it('StartTransaction refusing the idTag stops the transaction with DeAuthorized', async () => {
    const t = await started();
    bed.csms.responders.StartTransaction = () => ({ transactionId: 7, idTagInfo: { status: 'Invalid' } });
    const before = bed.csms.received.length;
    t.station.schedule([planSession(t, 1, 0, 5 * MIN)]);
    await waitFor(() => t.observer.sessions.length === 1, 'session record');
    expect(flow(bed.csms.received.slice(before))).toEqual([
      'Status:Preparing@1',
      'Authorize',
      'StartTransaction',
      'StopTransaction',
      'Status:Finishing@1',
      'Status:Available@1',
    ]);
    expect(bed.csms.calls('StopTransaction')[0]).toMatchObject({ transactionId: 7, reason: 'DeAuthorized' });
    expect(t.observer.sessions[0]).toMatchObject({ outcome: 'rejected', detail: 'StartTransaction Invalid' });
  });

  it('a StartTransaction answered only with CALLERRORs is discarded: the session charges on with -1 and fails', async () => {
    const t = await started();
    bed.csms.responders.StartTransaction = () => {
      throw createRPCError('InternalError', 'database down');
    };
    const before = bed.csms.received.length;
    t.station.schedule([planSession(t, 1, 0, 5 * MIN)]);
    await waitFor(() => t.observer.sessions.length === 1, 'session record');
    const seq = flow(bed.csms.received.slice(before));
    // TransactionMessageAttempts 3: three tries, then the charger gives up on the message.
    expect(seq.filter((a) => a === 'StartTransaction')).toHaveLength(3);
    expect(seq.slice(0, 4)).toEqual(['Status:Preparing@1', 'Authorize', 'StartTransaction', 'Status:Charging@1']);
    expect(seq.at(-1)).toBe('Status:Available@1');
    const stops = bed.csms.calls('StopTransaction');
    expect(stops).toHaveLength(1);
    expect(stops[0]).toMatchObject({ transactionId: -1, reason: 'EVDisconnected' });
    expect(bed.csms.calls('MeterValues').every((mv) => mv.transactionId === -1)).toBe(true);
    expect(t.observer.sessions[0]).toMatchObject({
      outcome: 'failed',
      detail: 'StartTransaction InternalError, discarded after 3 attempts',
      transactionId: null,
    });
    expect(t.observer.sessions[0].energyWh).toBeGreaterThan(0);
    expect(t.observer.calls).toContainEqual(expect.objectContaining({ direction: 'sent', action: 'StartTransaction', error: 'InternalError' }));
    expect(bed.csms.problems).toEqual([]);
  });

  it('classifies an unanswered call as Timeout and a dropped connection as Disconnected (then offline rules apply)', async () => {
    const t = await started({ callTimeoutMs: 200 });
    csms().responders.Authorize = () => new Promise(() => undefined);
    t.station.schedule([planSession(t, 1, 0, 5 * MIN)]);
    await waitFor(() => t.observer.sessions.length === 1, 'timed-out session');
    // No answer means offline: an unknown idTag is not authorised (AllowOfflineTxForUnknownId false).
    expect(t.observer.sessions[0]).toMatchObject({ outcome: 'rejected', detail: 'offline, not authorised' });
    expect(t.observer.calls).toContainEqual(expect.objectContaining({ action: 'Authorize', error: 'Timeout' }));

    csms().responders.Authorize = (_params, identity) => {
      csms().drop(identity);
      return new Promise(() => undefined);
    };
    t.station.schedule([planSession(t, 2, 0, 5 * MIN)]);
    await waitFor(() => t.observer.sessions.length === 2, 'disconnected session');
    expect(t.observer.sessions[1]).toMatchObject({ outcome: 'rejected', detail: 'offline, not authorised' });
    expect(t.observer.calls).toContainEqual(expect.objectContaining({ action: 'Authorize', error: 'Disconnected' }));
    expect(csms().calls('StartTransaction')).toHaveLength(0);
  });

  it('a MeterValues answered with CALLERROR is retried, then discarded; the session runs on and completes', async () => {
    const t = await started();
    bed.csms.responders.MeterValues = () => {
      throw createRPCError('GenericError', 'nope');
    };
    // Unplugged between two ticks, so a busy machine cannot let a third sample in before the stop.
    t.station.schedule([planSession(t, 1, 0, 2.5 * MIN)]);
    await waitFor(() => t.observer.sessions.length === 1, 'session record');
    const mvEvents = t.observer.txMessages.filter((e) => e.action === 'MeterValues');
    const discarded = mvEvents.filter((e) => e.kind === 'discarded');
    // Samples at 1 and 2 minutes, each tried TransactionMessageAttempts (3) times.
    expect(discarded).toHaveLength(2);
    expect(discarded.every((e) => e.errorCode === 'GenericError')).toBe(true);
    expect(bed.csms.calls('MeterValues')).toHaveLength(6);
    expect(bed.csms.calls('StopTransaction')).toHaveLength(1);
    expect(bed.csms.calls('StopTransaction')[0].reason).toBe('EVDisconnected');
    // Strictly in order: the StopTransaction only after both samples were given up.
    const stopSent = t.observer.txMessages.findIndex((e) => e.action === 'StopTransaction' && e.kind === 'sent');
    expect(stopSent).toBeGreaterThan(t.observer.txMessages.indexOf(discarded[1]));
    expect(t.observer.sessions[0]).toMatchObject({ outcome: 'completed', detail: null });
    // Status notifications are not queued: the connector was free while the backlog drained.
    expect(bed.statusesOf(1).slice(-2)).toEqual(['Finishing', 'Available']);
    expect(flow(bed.csms.received).at(-1)).toBe('StopTransaction');
  });

  it('skips an arrival on a busy connector without touching the wire', async () => {
    const t = await started();
    t.station.schedule([planSession(t, 1, 0, 3 * MIN), planSession(t, 1, MIN, 3 * MIN)]);
    await waitFor(() => t.observer.sessions.length === 2, 'two records');
    const skipped = t.observer.sessions.find((r) => r.detail === 'connector busy');
    expect(skipped).toMatchObject({ outcome: 'failed', connectorId: 1, transactionId: null });
    expect(bed.csms.calls('Authorize')).toHaveLength(1);
    expect(t.observer.plugged).toHaveLength(1);
  });

  it('stopArrivals cancels arrivals that have not happened yet', async () => {
    const t = await started();
    t.station.schedule([planSession(t, 1, 2 * MIN, MIN)]);
    t.station.stopArrivals();
    t.station.schedule([planSession(t, 2, 0, MIN)]);
    await waitFor(() => t.observer.sessions.length === 1, 'session record');
    await new Promise((resolve) => setTimeout(resolve, 300)); // 3 simulated minutes
    expect(t.observer.sessions.map((r) => r.connectorId)).toEqual([2]);
  });

  it('finishSessions sends exactly one StopTransaction per transaction, including one still starting', async () => {
    const t = await started();
    t.station.schedule([planSession(t, 1, 0, 600 * MIN)]);
    await waitFor(() => bed.csms.calls('StatusNotification').some((p) => p.connectorId === 1 && p.status === 'Charging'), 'charging');

    let releaseAuthorize!: () => void;
    const authorizeHeld = new Promise<void>((resolve) => (releaseAuthorize = resolve));
    bed.csms.responders.Authorize = async () => {
      await authorizeHeld;
      return { idTagInfo: { status: 'Accepted' } };
    };
    t.station.schedule([planSession(t, 2, 0, 600 * MIN)]);
    await waitFor(() => bed.csms.calls('Authorize').length === 2, 'second Authorize');

    const finished = Promise.all([t.station.finishSessions('Local'), t.station.finishSessions('Local')]);
    releaseAuthorize();
    await finished;

    const stops = bed.csms.calls('StopTransaction');
    expect(stops).toHaveLength(2);
    expect(stops.map((s) => s.reason)).toEqual(['Local', 'Local']);
    expect(new Set(stops.map((s) => s.transactionId))).toEqual(new Set(bed.csms.transactions));
    expect(bed.csms.transactions).toHaveLength(2);
    expect(t.observer.sessions.map((r) => r.outcome)).toEqual(['completed', 'completed']);
    expect(t.observer.sessions.every((r) => r.stopReason === 'Local')).toBe(true);

    await t.station.finishSessions('Other');
    expect(bed.csms.calls('StopTransaction')).toHaveLength(2);
    expect(bed.csms.problems).toEqual([]);
  });

  it('close() ends running sessions as failed, and no timer fires afterwards', async () => {
    bed.csms.responders.BootNotification = () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 60 });
    const t = await started();
    t.station.schedule([planSession(t, 1, 0, 600 * MIN), planSession(t, 2, 2 * MIN, MIN)]);
    await waitFor(() => bed.csms.calls('MeterValues').length >= 1, 'a sample');
    await t.station.close();
    expect(t.observer.sessions).toHaveLength(1);
    expect(t.observer.sessions[0]).toMatchObject({ outcome: 'failed', detail: 'station closed' });
    const received = bed.csms.received.length;
    const observed = t.observer.calls.length;
    // Three simulated minutes: the pending arrival, the heartbeat and the sampler would all be due.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bed.csms.received.length).toBe(received);
    expect(t.observer.calls.length).toBe(observed);
    expect(t.observer.sessions).toHaveLength(1);
    expect(bed.csms.calls('StopTransaction')).toHaveLength(0);
  });
});
