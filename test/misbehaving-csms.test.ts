import { once } from 'node:events';
import ocppRpc from 'ocpp-rpc';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultPlan } from './support/fault-plan.js';
import {
  DROP_CLOSE_CODE,
  startMisbehavingCsms,
  type CsmsOptions,
  type LedgerRow,
  type MisbehavingCsms,
} from './support/misbehaving-csms.js';

const { RPCClient } = ocppRpc;
type Client = InstanceType<typeof RPCClient>;
type ClientOptions = ConstructorParameters<typeof RPCClient>[0];

const T0 = '2025-01-01T10:00:00.000Z';
const T1 = '2025-01-01T11:00:00.000Z';

let csms: MisbehavingCsms | undefined;
const clients: Client[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close({ force: true })));
  await csms?.close();
  csms = undefined;
});

async function startCsms(m: CsmsOptions = {}): Promise<MisbehavingCsms> {
  csms = await startMisbehavingCsms(m);
  return csms;
}

async function connect(identity: string, callTimeoutMs = 5000, protocol = 'ocpp1.6'): Promise<Client> {
  const options = { endpoint: csms!.url, identity, protocols: [protocol], strictMode: true, reconnect: false, callTimeoutMs };
  const client = new RPCClient(options as ClientOptions);
  clients.push(client);
  await client.connect();
  return client;
}

const boot = (c: Client) => c.call('BootNotification', { chargePointVendor: 'ev-sim', chargePointModel: 'test' }) as Promise<{ status: string; interval: number }>;

const startTx = (c: Client, connectorId: number, idTag = 'TAG-1', meterStart = 1000) =>
  c.call('StartTransaction', { connectorId, idTag, meterStart, timestamp: T0 }) as Promise<{
    transactionId: number;
    idTagInfo: { status: string };
  }>;

const stopTx = (c: Client, transactionId: number, meterStop = 5000) =>
  c.call('StopTransaction', { transactionId, meterStop, timestamp: T1, reason: 'EVDisconnected' });

const meterValues = (c: Client, transactionId: number) =>
  c.call('MeterValues', {
    connectorId: 1,
    transactionId,
    meterValue: [{ timestamp: T0, sampledValue: [{ value: '1500', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
  });

async function ledger(): Promise<LedgerRow[]> {
  const res = await fetch(csms!.ledgerUrl);
  expect(res.status).toBe(200);
  return ((await res.json()) as { transactions: LedgerRow[] }).transactions;
}

function rpcCode(result: PromiseSettledResult<unknown>): string | undefined {
  return result.status === 'rejected' ? (result.reason as { rpcErrorCode?: string }).rpcErrorCode : undefined;
}

async function settleInOrder(calls: (() => Promise<unknown>)[]): Promise<PromiseSettledResult<unknown>[]> {
  const out: PromiseSettledResult<unknown>[] = [];
  for (const call of calls) out.push((await Promise.allSettled([call()]))[0]);
  return out;
}

describe('misbehaving CSMS, clean configuration', () => {
  it('behaves like a correct CSMS and serves the ledger', async () => {
    await startCsms();
    expect(csms!.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ocpp$/);
    const a = await connect('CP-A');
    const b = await connect('CP-B');
    expect((await boot(a)).status).toBe('Accepted');
    expect(await a.call('Authorize', { idTag: 'ANY-TAG' })).toEqual({ idTagInfo: { status: 'Accepted' } });
    const ids = [(await startTx(a, 1)).transactionId, (await startTx(b, 1)).transactionId, (await startTx(a, 2)).transactionId];
    expect(ids).toEqual([1, 2, 3]);
    expect(await meterValues(a, 1)).toEqual({});
    for (const id of ids) expect(await stopTx(id === 2 ? b : a, id, 4000 + id)).toEqual({});
    expect(await stopTx(a, 1, 9999)).toEqual({}); // a resent stop is answered but not stored again

    const t = csms!.truth;
    expect(Object.values(t.faults).every((n) => n === 0)).toBe(true);
    expect(t.connectionsDropped).toEqual([]);
    expect(t.starts.map((s) => s.reply)).toEqual(['sent', 'sent', 'sent']);
    expect(t.stops.map((s) => s.stored)).toEqual([1, 1, 1, 0]);
    expect(t.meterValues).toMatchObject([{ transactionId: 1, knownTransaction: true, answer: 'result' }]);
    expect(t.calls).toMatchObject({ BootNotification: 1, Authorize: 1, StartTransaction: 3, StopTransaction: 4 });
    expect(await ledger()).toEqual([
      row(1, 'CP-A', 1, 4001),
      row(2, 'CP-B', 1, 4002),
      row(3, 'CP-A', 2, 4003),
    ]);
    expect((await fetch(csms!.ledgerUrl.replace('/transactions', '/other'))).status).toBe(404);
  });

  it('answers unknown and -1 transaction ids normally without storing them', async () => {
    await startCsms();
    const a = await connect('CP-A');
    expect(await meterValues(a, -1)).toEqual({});
    expect(await stopTx(a, -1)).toEqual({});
    expect(await stopTx(a, 77)).toEqual({});
    expect(csms!.truth.meterValues[0].knownTransaction).toBe(false);
    expect(csms!.truth.stops.map((s) => [s.knownTransaction, s.stored])).toEqual([[false, 0], [false, 0]]);
    expect(await ledger()).toEqual([]);
  });

  it('refuses a connection without the ocpp1.6 subprotocol', async () => {
    await startCsms();
    await expect(connect('CP-X', 5000, 'ocpp2.0.1')).rejects.toThrow();
  });

  it('sends CSMS-initiated calls to the connected station', async () => {
    await startCsms();
    const a = await connect('CP-A');
    let received: unknown;
    a.handle('RemoteStartTransaction', async ({ params }) => {
      received = params;
      return { status: 'Accepted' };
    });
    expect(await csms!.sendCall('CP-A', 'RemoteStartTransaction', { idTag: 'T', connectorId: 1 })).toEqual({ status: 'Accepted' });
    expect(received).toEqual({ idTag: 'T', connectorId: 1 });
    await expect(csms!.sendCall('CP-NONE', 'Reset', { type: 'Soft' })).rejects.toThrow(/CP-NONE/);
  });
});

function row(transactionId: number, chargePointId: string, connectorId: number, meterStop: number | null): LedgerRow {
  const stopped = meterStop !== null;
  return {
    transactionId, chargePointId, connectorId, idTag: 'TAG-1', meterStart: 1000, meterStop,
    startTimestamp: T0, stopTimestamp: stopped ? T1 : null, stopReason: stopped ? 'EVDisconnected' : null, status: 'Accepted',
  };
}

describe('misbehaving CSMS, StartTransaction faults', () => {
  it('reuses one transactionId for the configured starts only', async () => {
    await startCsms({ reuseTransactionIdOn: [2, 3] });
    const a = await connect('CP-A');
    const ids: number[] = [];
    for (const connector of [1, 2, 3, 4]) ids.push((await startTx(a, connector)).transactionId);
    expect(ids).toEqual([1, 2, 2, 3]);
    expect(csms!.truth.faults.reusedTransactionId).toBe(1);
    expect((await ledger()).map((r) => [r.transactionId, r.connectorId])).toEqual([[1, 1], [2, 2], [2, 3], [3, 4]]);
  });

  it('holds a reply past the station timeout, stores the transaction at once and sends the reply late', async () => {
    await startCsms({ delayStartReplyOn: [1], holdMs: 1000 });
    const a = await connect('CP-A', 100);
    const b = await connect('CP-B');
    const late = once(a, 'badMessage');
    await expect(startTx(a, 1)).rejects.toThrow(/timeout/i);
    expect(await ledger()).toEqual([row(1, 'CP-A', 1, null)]);
    expect((await startTx(b, 1)).transactionId).toBe(2); // other calls are not held up
    expect(csms!.truth.starts[0]).toMatchObject({ reply: 'delayed', lateReplySent: false });

    const [{ buffer }] = (await late) as [{ buffer: Buffer }];
    const message = JSON.parse(buffer.toString()) as [number, string, { transactionId: number }];
    expect(message[0]).toBe(3); // a CALLRESULT the station no longer waits for
    expect(message[2]).toEqual({ transactionId: 1, idTagInfo: { status: 'Accepted' } });
    expect(csms!.truth.starts[0].lateReplySent).toBe(true);
    expect(csms!.truth.faults.delayedStartReply).toBe(1);
  });

  it('abandons a held reply when the connection closes, without blocking close()', async () => {
    await startCsms({ delayStartReplyOn: [1], holdMs: 60_000 });
    const a = await connect('CP-A', 100);
    await expect(startTx(a, 1)).rejects.toThrow(/timeout/i);
    await csms!.close();
    expect(csms!.truth.starts[0]).toMatchObject({ reply: 'delayed', lateReplySent: false });
  });

  it('never answers a dropped start, so the retry becomes a phantom transaction', async () => {
    await startCsms({ dropStartReplyOn: [1] });
    const a = await connect('CP-A', 200);
    let lateReplies = 0;
    a.on('badMessage', () => lateReplies++);
    await expect(startTx(a, 1)).rejects.toThrow(/timeout/i);
    expect((await startTx(a, 1)).transactionId).toBe(2);
    expect(await a.call('Heartbeat', {})).toHaveProperty('currentTime');
    expect(lateReplies).toBe(0);
    expect(csms!.truth.starts.map((s) => [s.transactionId, s.reply])).toEqual([[1, 'dropped'], [2, 'sent']]);
    expect(csms!.truth.faults.droppedStartReply).toBe(1);
    expect(await ledger()).toEqual([row(1, 'CP-A', 1, null), row(2, 'CP-A', 1, null)]);
  });

  it('rejects listed tags on StartTransaction after Authorize accepted them', async () => {
    await startCsms({ rejectOnStart: ['BAD'] });
    const a = await connect('CP-A');
    expect(await a.call('Authorize', { idTag: 'BAD' })).toEqual({ idTagInfo: { status: 'Accepted' } });
    expect((await startTx(a, 1, 'BAD')).idTagInfo.status).toBe('Invalid');
    expect((await startTx(a, 2, 'GOOD')).idTagInfo.status).toBe('Accepted');
    expect(csms!.truth.faults.rejectedOnStart).toBe(1);
    expect((await ledger()).map((r) => [r.idTag, r.status])).toEqual([['BAD', 'Invalid'], ['GOOD', 'Accepted']]);
  });

  it('answers unknown tags Invalid everywhere when acceptedIdTags is a list (not a fault)', async () => {
    await startCsms({ acceptedIdTags: ['KNOWN'] });
    const a = await connect('CP-A');
    expect(await a.call('Authorize', { idTag: 'STRANGER' })).toEqual({ idTagInfo: { status: 'Invalid' } });
    expect((await startTx(a, 1, 'STRANGER')).idTagInfo.status).toBe('Invalid');
    expect((await startTx(a, 2, 'KNOWN')).idTagInfo.status).toBe('Accepted');
    expect(csms!.truth.faults.rejectedOnStart).toBe(0);
  });
});

describe('misbehaving CSMS, MeterValues and StopTransaction faults', () => {
  it('answers every k-th MeterValues with CALLERROR InternalError', async () => {
    await startCsms({ meterValuesErrorShare: 0.25 });
    const a = await connect('CP-A');
    const results = await settleInOrder(Array.from({ length: 8 }, () => () => meterValues(a, 1)));
    expect(results.map(rpcCode)).toEqual([undefined, undefined, undefined, 'InternalError', undefined, undefined, undefined, 'InternalError']);
    expect(csms!.truth.meterValuesErrored).toBe(2);
    expect(csms!.truth.meterValues.filter((m) => m.answer === 'callError').map((m) => m.count)).toEqual([4, 8]);
  });

  it('fails the configured stops and stores the configured ones twice', async () => {
    await startCsms({ stopErrorOn: [2], storeStopTwiceOn: [3] });
    const a = await connect('CP-A');
    for (const connector of [1, 2, 3]) await startTx(a, connector);
    const results = await settleInOrder([() => stopTx(a, 1, 4001), () => stopTx(a, 2, 4002), () => stopTx(a, 3, 4003)]);
    expect(results.map(rpcCode)).toEqual([undefined, 'InternalError', undefined]);
    expect(await ledger()).toEqual([row(1, 'CP-A', 1, 4001), row(2, 'CP-A', 2, null), row(3, 'CP-A', 3, 4003), row(3, 'CP-A', 3, 4003)]);

    await stopTx(a, 2, 4002); // the station's retry is stop #4: stored normally
    expect((await ledger())[1]).toEqual(row(2, 'CP-A', 2, 4002));
    expect(csms!.truth.stops.map((s) => [s.answer, s.stored])).toEqual([['result', 1], ['callError', 0], ['result', 2], ['result', 1]]);
    expect(csms!.truth.faults).toMatchObject({ stopError: 1, stopStoredTwice: 1 });
  });
});

describe('misbehaving CSMS, connection and boot faults', () => {
  it('drops each station once, right after answering its N-th message', async () => {
    await startCsms({ dropConnectionAfter: 3 });
    for (const identity of ['CP-A', 'CP-B']) {
      const first = await connect(identity);
      const closed = once(first, 'close');
      await boot(first);
      await first.call('Heartbeat', {});
      expect(await first.call('Heartbeat', {})).toHaveProperty('currentTime');
      const [{ code }] = (await closed) as [{ code: number }];
      expect(code).toBe(DROP_CLOSE_CODE);
    }
    const again = await connect('CP-A');
    for (let i = 0; i < 5; i++) expect(await again.call('Heartbeat', {})).toHaveProperty('currentTime');
    expect(again.state).toBe(RPCClient.OPEN);
    expect(csms!.truth.connectionsDropped).toEqual([
      { identity: 'CP-A', afterMessages: 3 },
      { identity: 'CP-B', afterMessages: 3 },
    ]);
    expect(csms!.truth.faults.connectionDropped).toBe(2);
  });

  it('answers the first BootNotifications of each station Pending', async () => {
    await startCsms({ bootPending: 2 });
    const a = await connect('CP-A');
    const b = await connect('CP-B');
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await boot(a)).status);
    statuses.push((await boot(b)).status);
    expect(statuses).toEqual(['Pending', 'Pending', 'Accepted', 'Pending']);
    expect(csms!.truth.faults.bootPending).toBe(3);
  });
});

describe('FaultPlan', () => {
  it('turns a share into every k-th message, k = round(1/share)', () => {
    const hits = (share: number) => [1, 2, 3, 4, 5, 6].filter((n) => new FaultPlan({ meterValuesErrorShare: share }).meterValuesFails(n));
    expect(hits(0.3)).toEqual([3, 6]);
    expect(hits(1)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(hits(0)).toEqual([]);
  });
});
