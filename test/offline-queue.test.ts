import { describe, expect, it } from 'vitest';
import { createRPCError } from 'ocpp-rpc';
import { waitFor } from './support/station-csms.js';
import { planSession } from './support/station-fixture.js';
import { MIN, stationTestbed } from './support/station-testbed.js';
import { seqs, txEvents, waitOffline, waitOnline } from './support/station-tx.js';

const bed = stationTestbed();

const TX_ACTIONS = new Set(['StartTransaction', 'StopTransaction', 'MeterValues']);

describe('transaction message queue while offline', () => {
  it('queues while the socket is down, then delivers in order (real id patched over -1) before newer messages', async () => {
    const t = await bed.started();
    const txId = await bed.charging(t, 1); // TAG-OK is now in the authorisation cache
    bed.csms.cutOff('CP-1');
    await waitOffline(t);
    const cutAt = bed.csms.received.length;
    const queuedBefore = txEvents(t, 'queued').length;
    const ackedBefore = new Set(seqs(txEvents(t, 'acked')));

    // Offline: connector 1 keeps sampling; a driver with a cached tag charges on connector 2 and leaves.
    t.station.schedule([planSession(t, 2, 10_000, 2 * MIN)]);
    await waitFor(
      () => txEvents(t, 'queued', 'StopTransaction').some((e) => e.connectorId === 2),
      'the offline session stopped',
    );
    const offline = txEvents(t, 'queued').slice(queuedBefore);
    const depth0 = offline[0].queueDepth;
    expect(offline.map((e) => e.queueDepth)).toEqual(offline.map((_, i) => depth0 + i));
    expect(bed.csms.received.length).toBe(cutAt);
    expect(t.observer.sessions).toHaveLength(0); // the record waits for the StopTransaction's fate

    bed.csms.refuse(false);
    await waitOnline(t);
    await waitFor(() => t.observer.sessions.length === 1, 'offline session record');
    await t.station.finishSessions('Local');

    // Every message queued was acknowledged once, in the order it was produced.
    expect(seqs(txEvents(t, 'acked'))).toEqual(seqs(txEvents(t, 'queued')));
    expect(txEvents(t, 'sent')).toHaveLength(txEvents(t, 'queued').length);
    const offlineTx = bed.csms.transactions[1];
    const afterCut = bed.csms.received.slice(cutAt).filter((c) => TX_ACTIONS.has(c.action));
    const key = (action: string, connectorId: number) => `${action}@${connectorId}`;
    // StopTransaction names no connector: its transactionId tells.
    const connectorOf = (p: any): number => p.connectorId ?? (p.transactionId === offlineTx ? 2 : 1);
    // What was not acknowledged at the cut (a message caught in flight included), in production order.
    const pending = txEvents(t, 'queued').filter((e) => !ackedBefore.has(e.seq));
    expect(afterCut.map((c) => key(c.action, connectorOf(c.params)))).toEqual(pending.map((e) => key(e.action, e.connectorId)));
    expect(pending.length).toBeGreaterThan(offline.length); // newer samples came after the backlog

    // Connector 2's messages were produced before its StartTransaction reply (transactionId -1) and
    // went out with the id the CSMS issued.
    const second = afterCut.filter((c) => c.params.connectorId === 2 || c.params.transactionId === offlineTx);
    expect(second[0].action).toBe('StartTransaction');
    expect(second.slice(1).every((c) => c.params.transactionId === offlineTx)).toBe(true);
    expect(second.filter((c) => c.action === 'MeterValues').length).toBeGreaterThanOrEqual(1);
    expect(bed.csms.calls('MeterValues').concat(bed.csms.calls('StopTransaction')).some((p) => p.transactionId === -1)).toBe(false);
    const mvSent = txEvents(t, 'sent', 'MeterValues').filter((e) => e.connectorId === 2);
    expect(mvSent.every((e) => e.transactionId === offlineTx)).toBe(true);
    expect(txEvents(t, 'queued', 'MeterValues').every((e) => e.transactionId === null)).toBe(true);
    expect(txEvents(t, 'acked', 'StartTransaction').map((e) => [e.transactionId, e.idTagStatus])).toEqual([
      [txId, 'Accepted'],
      [offlineTx, 'Accepted'],
    ]);

    const offlineRecord = t.observer.sessions.find((r) => r.connectorId === 2);
    expect(offlineRecord).toMatchObject({ outcome: 'completed', transactionId: offlineTx, stopReason: 'EVDisconnected' });
    expect(txEvents(t).filter((e) => e.connectorId === 2).every((e) => e.sessionId === offlineRecord?.sessionId)).toBe(true);
    // After the reconnect every connector's current status went out once.
    const statusesAfter = bed.csms.received.slice(cutAt).filter((c) => c.action === 'StatusNotification').slice(0, 3);
    expect(statusesAfter.map((c) => [c.params.connectorId, c.params.status])).toEqual([
      [0, 'Available'],
      [1, 'Charging'],
      [2, 'Available'],
    ]);
    expect(bed.csms.problems).toEqual([]);
  });

  it('retries a CALLERROR after interval × n, discards after TransactionMessageAttempts, then moves on', async () => {
    const configuration = { TransactionMessageAttempts: '4', TransactionMessageRetryInterval: '30' };
    const t = await bed.started({ configuration });
    bed.csms.responders.StopTransaction = () => {
      throw createRPCError('InternalError', 'cannot store');
    };
    t.station.schedule([planSession(t, 1, 0, 2 * MIN)]);
    await waitFor(() => t.observer.sessions.length === 1, 'session record', 8000);

    const sent = txEvents(t, 'sent', 'StopTransaction');
    expect(sent).toHaveLength(4);
    expect(new Set(sent.map((e) => e.seq)).size).toBe(1);
    // Simulated waits before retry n: at least 30 s × n (timers never fire early).
    for (let n = 1; n < sent.length; n++) expect(sent[n].at - sent[n - 1].at).toBeGreaterThanOrEqual(30_000 * n);
    expect(txEvents(t, 'callerror', 'StopTransaction').map((e) => e.errorCode)).toEqual(Array(4).fill('InternalError'));
    const [discarded] = txEvents(t, 'discarded');
    expect(discarded).toMatchObject({ action: 'StopTransaction', errorCode: 'InternalError', queueDepth: 0 });
    expect(discarded.transactionId).toBe(bed.csms.transactions[0]);
    expect(t.observer.sessions[0]).toMatchObject({
      outcome: 'failed',
      detail: 'StopTransaction InternalError, discarded after 4 attempts',
    });

    // The queue is not stuck behind the discarded message.
    bed.csms.responders.StopTransaction = () => ({ idTagInfo: { status: 'Accepted' } });
    t.station.schedule([planSession(t, 2, 0, MIN)]);
    await waitFor(() => t.observer.sessions.length === 2, 'second session');
    expect(t.observer.sessions[1].outcome).toBe('completed');
    expect(bed.csms.problems).toEqual([]);
  });

  it('a timeout is resent over the same socket and does not count as an attempt', async () => {
    const t = await bed.started({ callTimeoutMs: 250 });
    let stops = 0;
    bed.csms.responders.StopTransaction = () => {
      stops++;
      if (stops === 1) return new Promise(() => undefined); // a black hole for this one call
      if (stops <= 3) throw createRPCError('InternalError', 'busy');
      return { idTagInfo: { status: 'Accepted' } };
    };
    t.station.schedule([planSession(t, 1, 0, MIN)]);
    await waitFor(() => t.observer.sessions.length === 1, 'session record', 8000);

    expect(txEvents(t, undefined, 'StopTransaction').map((e) => e.kind)).toEqual([
      'queued',
      'sent',
      'timeout',
      'sent',
      'callerror',
      'sent',
      'callerror',
      'sent',
      'acked',
    ]);
    // TransactionMessageAttempts is 3: counting the timeout, the second CALLERROR would have been the last.
    expect(t.observer.sessions[0]).toMatchObject({ outcome: 'completed', stopReason: 'EVDisconnected' });
    expect(t.observer.connections.map((c) => c.state)).toEqual(['connected', 'accepted']);
    expect(t.observer.calls).toContainEqual(expect.objectContaining({ action: 'StopTransaction', error: 'Timeout' }));
  });
});

describe('station configuration from the scenario', () => {
  it('applies initial values and rejects unknown keys, read-only keys and invalid values by name', async () => {
    const t = await bed.started({ configuration: { TransactionMessageAttempts: '5', AllowOfflineTxForUnknownId: 'TRUE' } });
    const conf = await bed.csms.call('CP-1', 'GetConfiguration', {
      key: ['TransactionMessageAttempts', 'AllowOfflineTxForUnknownId', 'TransactionMessageRetryInterval', 'AuthorizationCacheEnabled'],
    });
    expect(conf.configurationKey.map((k: { value: string }) => k.value)).toEqual(['5', 'true', '60', 'true']);
    expect(t.station.identity).toBe('CP-1');
    expect(() => bed.station({ configuration: { NoSuchKey: '1' } }, 'CP-2')).toThrow(/NoSuchKey/);
    expect(() => bed.station({ configuration: { TransactionMessageAttempts: 'many' } }, 'CP-3')).toThrow(
      /TransactionMessageAttempts/,
    );
    expect(() => bed.station({ configuration: { NumberOfConnectors: '4' } }, 'CP-4')).toThrow(/NumberOfConnectors.*read-only/);
  });
});
