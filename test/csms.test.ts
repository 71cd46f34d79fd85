import { afterEach, describe, expect, it } from 'vitest';
import { RPCClient } from 'ocpp-rpc';
import { startCsms, type CsmsHandle } from '../src/csms/server.js';
import type { CsmsOptions } from '../src/csms/options.js';
import type { CsmsStats, TransactionRecord } from '../src/csms/store.js';

type ClientOptions = ConstructorParameters<typeof RPCClient>[0];

const servers: CsmsHandle[] = [];
const clients: RPCClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close({ force: true })));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function csms(opts: Partial<CsmsOptions> = {}): Promise<CsmsHandle> {
  const handle = await startCsms({ port: 0, acceptedIdTags: ['TAG-OK'], blockedIdTags: ['TAG-BLOCKED'], ...opts });
  servers.push(handle);
  return handle;
}

async function connect(endpoint: string, identity: string, extra: Partial<ClientOptions> = {}): Promise<RPCClient> {
  const client = new RPCClient({
    endpoint,
    identity,
    protocols: ['ocpp1.6'],
    strictMode: true,
    reconnect: false,
    ...extra,
  } as ClientOptions);
  clients.push(client);
  await client.connect();
  return client;
}

const BOOT = { chargePointVendor: 'ev-sim', chargePointModel: 'test' };

async function booted(endpoint: string, identity: string): Promise<RPCClient> {
  const client = await connect(endpoint, identity);
  const reply = (await client.call('BootNotification', BOOT)) as { status: string };
  expect(reply.status).toBe('Accepted');
  return client;
}

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as T };
}

const transactions = async (h: CsmsHandle) =>
  (await getJson<{ transactions: TransactionRecord[] }>(`${h.httpUrl}/transactions`)).body.transactions;
const stats = async (h: CsmsHandle) => (await getJson<CsmsStats>(`${h.httpUrl}/stats`)).body;
const authStatus = async (c: RPCClient, idTag: string) =>
  ((await c.call('Authorize', { idTag })) as { idTagInfo: { status: string } }).idTagInfo.status;
const startTx = async (c: RPCClient, req: { connectorId: number; idTag: string; meterStart: number; timestamp: string }) =>
  ((await c.call('StartTransaction', req)) as { transactionId: number }).transactionId;

const T0 = '2025-03-01T10:00:00.000Z';
const T1 = '2025-03-01T10:30:00.000Z';
const T2 = '2025-03-01T11:00:00.000Z';

function energySample(timestamp: string, value: string, unit?: string) {
  return { timestamp, sampledValue: [{ value, measurand: 'Energy.Active.Import.Register', ...(unit ? { unit } : {}) }] };
}

describe('embedded CSMS: boot', () => {
  it('accepts a boot with the configured interval and a current time', async () => {
    const h = await csms({ heartbeatIntervalS: 42 });
    expect(h.url).toBe(`ws://127.0.0.1:${h.port}/ocpp`);
    expect(h.httpUrl).toBe(`http://127.0.0.1:${h.port}`);
    const client = await connect(h.url, 'CP-BOOT');
    const reply = (await client.call('BootNotification', BOOT)) as Record<string, unknown>;
    expect(reply.status).toBe('Accepted');
    expect(reply.interval).toBe(42);
    expect(Number.isNaN(Date.parse(reply.currentTime as string))).toBe(false);
    const s = await stats(h);
    expect(s).toMatchObject({ connected: 1, boots: 1, schemaViolations: 0, messages: { BootNotification: 1 } });
    expect(h.store.findStation('CP-BOOT')?.lastBootStatus).toBe('Accepted');
  });

  it('answers Pending for the first N boots of each station, then Accepted', async () => {
    const h = await csms({ bootPendingCount: 2, heartbeatIntervalS: 60, bootRetryIntervalS: 5 });
    const a = await connect(h.url, 'CP-A');
    const b = await connect(h.url, 'CP-B');
    const replies: Record<string, unknown>[] = [];
    for (let i = 0; i < 3; i++) replies.push((await a.call('BootNotification', BOOT)) as Record<string, unknown>);
    expect(replies.map((r) => r.status)).toEqual(['Pending', 'Pending', 'Accepted']);
    expect(replies.map((r) => r.interval)).toEqual([5, 5, 60]);
    // Counted per station: B's first boot is still Pending.
    expect(((await b.call('BootNotification', BOOT)) as { status: string }).status).toBe('Pending');
    // A Heartbeat from the Pending station is answered but counted.
    await b.call('Heartbeat', {});
    expect(await stats(h)).toMatchObject({ boots: 1, messagesBeforeAccepted: 1, messages: { BootNotification: 4 } });
  });

  it('rejects the boots of listed identities only', async () => {
    const h = await csms({ rejectIdentities: ['CP-BAD'], heartbeatIntervalS: 30 });
    const bad = await connect(h.url, 'CP-BAD');
    const bootBad = (await bad.call('BootNotification', BOOT)) as Record<string, unknown>;
    expect(bootBad.status).toBe('Rejected');
    expect(bootBad.interval).toBe(30);
    expect(((await bad.call('BootNotification', BOOT)) as { status: string }).status).toBe('Rejected');
    await booted(h.url, 'CP-GOOD');
    expect((await stats(h)).boots).toBe(1);
  });

  it('takes the identity from the last path segment, with or without a prefix path', async () => {
    const h = await csms();
    await booted(`ws://127.0.0.1:${h.port}`, 'CP-ROOT');
    await booted(`ws://127.0.0.1:${h.port}/some/deep/path`, 'CP-DEEP');
    expect(h.store.findStation('CP-ROOT')?.boots).toBe(1);
    expect(h.store.findStation('CP-DEEP')?.boots).toBe(1);
  });

  it('refuses a connection without the ocpp1.6 subprotocol', async () => {
    const h = await csms();
    const refused = await connect(h.url, 'CP-201', { protocols: ['ocpp2.0.1'], strictMode: false }).catch((e) => e);
    expect((refused as { code?: unknown }).code).toBe(400);
    expect((await stats(h)).connected).toBe(0);
  });
});

describe('embedded CSMS: authorisation and transactions', () => {
  it('authorises accepted, unknown and blocked tags', async () => {
    const h = await csms();
    const c = await booted(h.url, 'CP-AUTH');
    expect(await authStatus(c, 'TAG-OK')).toBe('Accepted');
    expect(await authStatus(c, 'TAG-NOBODY')).toBe('Invalid');
    expect(await authStatus(c, 'TAG-BLOCKED')).toBe('Blocked');
  });

  it("accepts any tag that is not blocked with acceptedIdTags: 'any'", async () => {
    const h = await csms({ acceptedIdTags: 'any' });
    const c = await booted(h.url, 'CP-ANY');
    expect(await authStatus(c, 'WHATEVER')).toBe('Accepted');
    expect(await authStatus(c, 'TAG-BLOCKED')).toBe('Blocked');
  });

  it('records a full transaction and serves it on GET /transactions', async () => {
    const h = await csms();
    const c = await booted(h.url, 'CP-TX');
    await c.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging', timestamp: T0 });
    const start = (await c.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TAG-OK',
      meterStart: 1000,
      timestamp: T0,
    })) as { transactionId: number; idTagInfo: { status: string } };
    expect(start).toEqual({ transactionId: 1, idTagInfo: { status: 'Accepted' } });
    expect((await stats(h)).openTransactions).toBe(1);

    const open = (await transactions(h))[0];
    expect(open).toMatchObject({ meterStop: null, stopTimestamp: null, stopReason: null, stopCount: 0 });

    const mv = (tx: number, sample: ReturnType<typeof energySample>) =>
      c.call('MeterValues', { connectorId: 1, transactionId: tx, meterValue: [sample] });
    expect(await mv(1, energySample(T1, '2500'))).toEqual({});
    expect(await mv(1, energySample(T1, '4.75', 'kWh'))).toEqual({});
    const stop = await c.call('StopTransaction', {
      transactionId: 1,
      idTag: 'TAG-OK',
      meterStop: 5000,
      timestamp: T2,
      reason: 'EVDisconnected',
    });
    expect(stop).toEqual({ idTagInfo: { status: 'Accepted' } });

    expect(await transactions(h)).toEqual([
      {
        transactionId: 1,
        chargePointId: 'CP-TX',
        connectorId: 1,
        idTag: 'TAG-OK',
        meterStart: 1000,
        meterStop: 5000,
        startTimestamp: T0,
        stopTimestamp: T2,
        stopReason: 'EVDisconnected',
        status: 'Accepted',
        meterValuesCount: 2,
        lastMeterWh: 4750,
        stopCount: 1,
        startCount: 1,
        implicitStop: false,
      },
    ]);
    expect(await stats(h)).toMatchObject({ transactions: 1, openTransactions: 0, schemaViolations: 0 });
    expect(h.store.findStation('CP-TX')?.connectors.get(1)).toEqual({ status: 'Charging', errorCode: 'NoError', timestamp: T0 });
  });

  it('issues transactionIds unique and increasing across stations', async () => {
    const h = await csms();
    const a = await booted(h.url, 'CP-1');
    const b = await booted(h.url, 'CP-2');
    const start = (c: RPCClient, connectorId: number, timestamp: string) =>
      startTx(c, { connectorId, idTag: 'TAG-OK', meterStart: 0, timestamp });
    const ids = [await start(a, 1, T0), await start(b, 1, T0), await start(a, 2, T0), await start(b, 1, T1)];
    expect(ids).toEqual([1, 2, 3, 4]);
    const list = await transactions(h);
    expect(list.map((t) => [t.transactionId, t.chargePointId, t.connectorId])).toEqual([
      [1, 'CP-1', 1],
      [2, 'CP-2', 1],
      [3, 'CP-1', 2],
      [4, 'CP-2', 1],
    ]);
  });

  it('records a start with a refused tag as rejected but still gives it a transactionId', async () => {
    const h = await csms();
    const c = await booted(h.url, 'CP-REJ');
    const invalid = await c.call('StartTransaction', { connectorId: 1, idTag: 'TAG-NOBODY', meterStart: 0, timestamp: T0 });
    const blocked = await c.call('StartTransaction', { connectorId: 2, idTag: 'TAG-BLOCKED', meterStart: 0, timestamp: T0 });
    expect(invalid).toEqual({ transactionId: 1, idTagInfo: { status: 'Invalid' } });
    expect(blocked).toEqual({ transactionId: 2, idTagInfo: { status: 'Blocked' } });
    expect((await transactions(h)).map((t) => t.status)).toEqual(['Invalid', 'Blocked']);
    expect((await stats(h)).openTransactions).toBe(0);
  });

  it('gives a resent StartTransaction the same transactionId', async () => {
    const h = await csms();
    const c = await booted(h.url, 'CP-RESEND');
    const req = { connectorId: 1, idTag: 'TAG-OK', meterStart: 10, timestamp: T0 };
    expect([await startTx(c, req), await startTx(c, req), await startTx(c, { ...req, timestamp: T1 })]).toEqual([1, 1, 2]);
    expect((await transactions(h))[0].startCount).toBe(2);
    expect((await stats(h)).duplicateStarts).toBe(1);
  });

  it('answers MeterValues and StopTransaction for -1 or unknown transactions without CALLERROR', async () => {
    const h = await csms();
    const c = await booted(h.url, 'CP-ORPHAN');
    const sample = energySample(T1, '100');
    expect(await c.call('MeterValues', { connectorId: 1, transactionId: -1, meterValue: [sample] })).toEqual({});
    expect(await c.call('MeterValues', { connectorId: 1, transactionId: 999, meterValue: [sample] })).toEqual({});
    expect(await c.call('MeterValues', { connectorId: 0, meterValue: [sample] })).toEqual({});
    expect(await c.call('StopTransaction', { transactionId: -1, meterStop: 100, timestamp: T2 })).toEqual({});
    expect(
      await c.call('StopTransaction', { transactionId: 12345, idTag: 'TAG-BLOCKED', meterStop: 100, timestamp: T2 }),
    ).toEqual({ idTagInfo: { status: 'Blocked' } });
    expect(await stats(h)).toMatchObject({ transactions: 0, orphanMeterValues: 3, orphanStops: 2, schemaViolations: 0 });
  });

  it('answers a second stop of a transaction but records it as a duplicate', async () => {
    const h = await csms();
    const c = await booted(h.url, 'CP-DUP');
    await c.call('StartTransaction', { connectorId: 1, idTag: 'TAG-OK', meterStart: 0, timestamp: T0 });
    await c.call('StopTransaction', { transactionId: 1, meterStop: 700, timestamp: T1 });
    const second = await c.call('StopTransaction', { transactionId: 1, meterStop: 900, timestamp: T2, reason: 'Other' });
    expect(second).toEqual({});
    const [tx] = await transactions(h);
    expect(tx).toMatchObject({ stopCount: 2, meterStop: 700, stopTimestamp: T1, stopReason: 'Local' });
    expect(await stats(h)).toMatchObject({ openTransactions: 0, duplicateStops: 1 });
  });
});

describe('embedded CSMS: protocol', () => {
  it('answers a schema-violating payload with a CALLERROR and counts violations', async () => {
    const h = await csms();
    // A non-strict client, so the bad payload actually leaves the station.
    const c = await connect(h.url, 'CP-LAX', { strictMode: false });
    await c.call('BootNotification', BOOT);
    const err = await c.call('StartTransaction', { connectorId: 1, idTag: 'TAG-OK' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as { rpcErrorCode?: string }).rpcErrorCode).toBe('OccurrenceConstraintViolation');
    const typeErr = await c.call('Heartbeat', { extra: true }).catch((e: unknown) => e);
    expect((typeErr as { rpcErrorCode?: string }).rpcErrorCode).toBe('PropertyConstraintViolation');
    expect(await stats(h)).toMatchObject({ schemaViolations: 2, transactions: 0, messages: { StartTransaction: 1, Heartbeat: 1 } });

    // A frame that is not OCPP-J at all is a violation too; the connection stays usable.
    c.sendRaw('this is not json');
    expect(await c.call('Heartbeat', {})).toHaveProperty('currentTime');
    expect((await stats(h)).schemaViolations).toBe(3);
  });

  it('answers DataTransfer with UnknownVendorId, status notifications with {}, unknown actions with NotImplemented', async () => {
    const h = await csms();
    const c = await booted(h.url, 'CP-MISC');
    expect(await c.call('DataTransfer', { vendorId: 'acme', data: 'x' })).toEqual({ status: 'UnknownVendorId' });
    expect(await c.call('FirmwareStatusNotification', { status: 'Idle' })).toEqual({});
    expect(await c.call('DiagnosticsStatusNotification', { status: 'Idle' })).toEqual({});
    const hb = (await c.call('Heartbeat', {})) as { currentTime: string };
    expect(Number.isNaN(Date.parse(hb.currentTime))).toBe(false);
    const lax = await connect(h.url, 'CP-MISC-2', { strictMode: false });
    const err = await lax.call('MakeCoffee', {}).catch((e: unknown) => e);
    expect((err as { rpcErrorCode?: string }).rpcErrorCode).toBe('NotImplemented');
    expect((await stats(h)).schemaViolations).toBe(0);
  });

  it('sendCall reaches the station handler and returns its reply', async () => {
    const h = await csms();
    const c = await booted(h.url, 'CP-REMOTE');
    const seen: unknown[] = [];
    c.handle('RemoteStartTransaction', async ({ params }) => {
      seen.push(params);
      return { status: 'Accepted' };
    });
    const reply = await h.sendCall('CP-REMOTE', 'RemoteStartTransaction', { connectorId: 1, idTag: 'TAG-OK' });
    expect(reply).toEqual({ status: 'Accepted' });
    expect(seen).toEqual([{ connectorId: 1, idTag: 'TAG-OK' }]);
    await expect(h.sendCall('CP-NOT-THERE', 'Reset', { type: 'Soft' })).rejects.toThrow(/not connected/);
  });

  it('counts a station reply that breaks the schema as a violation', async () => {
    const h = await csms();
    const c = await connect(h.url, 'CP-BADREPLY', { strictMode: false });
    c.handle('Reset', async () => ({ status: 'Maybe' }));
    await expect(h.sendCall('CP-BADREPLY', 'Reset', { type: 'Soft' })).rejects.toThrow();
    expect((await stats(h)).schemaViolations).toBe(1);
  });

  it('requires the Basic-auth password when one is configured', async () => {
    const h = await csms({ password: 's3cret' });
    const httpStatus = (p: Promise<unknown>) => p.then(() => 'connected', (e: { code?: unknown }) => e.code);
    expect(await httpStatus(connect(h.url, 'CP-PW', { password: 'wrong' }))).toBe(401);
    expect(await httpStatus(connect(h.url, 'CP-NOPW'))).toBe(401);
    expect((await stats(h)).connected).toBe(0);
    const ok = await connect(h.url, 'CP-PW', { password: 's3cret' });
    expect(((await ok.call('BootNotification', BOOT)) as { status: string }).status).toBe('Accepted');
  });
});

describe('embedded CSMS: HTTP and lifecycle', () => {
  it('serves /health and answers unknown paths with a JSON 404', async () => {
    const h = await csms();
    const health = await fetch(`${h.httpUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok');
    const missing = await getJson<{ error: string }>(`${h.httpUrl}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('not found');
    const post = await fetch(`${h.httpUrl}/stats`, { method: 'POST' });
    expect(post.status).toBe(404);
    await post.body?.cancel();
  });

  it('counts connections as they open and close', async () => {
    const h = await csms();
    const a = await booted(h.url, 'CP-CONN-A');
    await booted(h.url, 'CP-CONN-B');
    expect((await stats(h)).connected).toBe(2);
    await a.close();
    for (let i = 0; i < 200 && h.store.counters.connected !== 1; i++) await new Promise((r) => setTimeout(r, 10));
    expect((await stats(h)).connected).toBe(1);
    await expect(h.sendCall('CP-CONN-A', 'Reset', { type: 'Soft' })).rejects.toThrow(/not connected/);
  });

  it('closes station connections on close()', async () => {
    const h = await startCsms({ port: 0, acceptedIdTags: 'any' });
    const c = new RPCClient({ endpoint: h.url, identity: 'CP-CLOSE', protocols: ['ocpp1.6'], reconnect: false } as ClientOptions);
    clients.push(c);
    await c.connect();
    const closed = new Promise<{ code: number }>((resolve) => c.once('close', resolve));
    await h.close();
    expect((await closed).code).toBe(1001);
    await expect(fetch(`${h.httpUrl}/health`)).rejects.toThrow();
  });
});
