import { afterEach, describe, expect, it } from 'vitest';
import { RPCClient } from 'ocpp-rpc';
import { startCsms, type CsmsHandle } from '../src/csms/server.js';
import type { TransactionRecord } from '../src/csms/store.js';

type ClientOptions = ConstructorParameters<typeof RPCClient>[0];
let csms: CsmsHandle | undefined;
let client: RPCClient | undefined;

afterEach(async () => {
  await client?.close({ force: true });
  await csms?.close();
});

async function setup(): Promise<RPCClient> {
  csms = await startCsms({ port: 0, acceptedIdTags: 'any' });
  client = new RPCClient({ endpoint: csms.url, identity: 'BUSY-1', protocols: ['ocpp1.6'], strictMode: true, reconnect: false } as ClientOptions);
  await client.connect();
  await client.call('BootNotification', { chargePointVendor: 'ev-sim', chargePointModel: 'test' });
  return client;
}

const rows = async () => ((await (await fetch(`${csms!.httpUrl}/transactions`)).json()) as { transactions: TransactionRecord[] }).transactions;
const start = async (c: RPCClient, meterStart: number, timestamp: string) =>
  ((await c.call('StartTransaction', { connectorId: 1, idTag: 'A', meterStart, timestamp })) as { transactionId: number }).transactionId;

describe('embedded CSMS: one transaction per connector', () => {
  it('closes a still-open transaction when its connector starts another, never leaving two open', async () => {
    const c = await setup();
    const first = await start(c, 1000, '2025-03-01T10:00:00.000Z');
    const second = await start(c, 4000, '2025-03-01T11:00:00.000Z');
    expect(second).not.toBe(first);
    const [a, b] = await rows();
    expect(a).toMatchObject({ transactionId: first, meterStop: 4000, stopReason: 'Other', implicitStop: true });
    expect(b).toMatchObject({ transactionId: second, meterStop: null });
    const stats = (await (await fetch(`${csms!.httpUrl}/stats`)).json()) as { openTransactions: number; implicitStops: number };
    expect(stats).toMatchObject({ openTransactions: 1, implicitStops: 1 });
  });

  it("lets the station's own late StopTransaction replace the assumed stop, without counting a duplicate", async () => {
    const c = await setup();
    const first = await start(c, 1000, '2025-03-01T10:00:00.000Z');
    await start(c, 4000, '2025-03-01T11:00:00.000Z');
    await c.call('StopTransaction', { transactionId: first, meterStop: 3500, timestamp: '2025-03-01T10:50:00.000Z', reason: 'Local' });
    const [a] = await rows();
    expect(a).toMatchObject({ meterStop: 3500, stopReason: 'Local', implicitStop: false, stopCount: 1 });
  });
});
