import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ocppRpc from 'ocpp-rpc';
import { runScenario } from '../src/api.js';
import { createMetrics } from '../src/metrics/collector.js';
import { fastScenario } from './support/scenario.js';

/**
 * Any OCPP 1.6J server must find nothing wrong in what ev-sim sends: a bare ocpp-rpc RPCServer in
 * strict mode validates every payload against the OCA schemas and counts what fails.
 */
describe('against a third-party strict OCPP 1.6J server', () => {
  const { RPCServer } = ocppRpc as unknown as { RPCServer: new (o: object) => any };
  const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
  const violations: string[] = [];
  const seen = new Map<string, number>();
  let nextTx = 1;
  let url = '';

  beforeAll(async () => {
    server.on('client', (client: any) => {
      client.on('badMessage', (e: { error: Error }) => violations.push(String(e.error)));
      client.on('strictValidationFailure', (e: { error: Error }) => violations.push(String(e.error)));
      const now = () => new Date().toISOString();
      const answer: Record<string, (p: any) => object> = {
        BootNotification: () => ({ status: 'Accepted', currentTime: now(), interval: 30 }),
        Heartbeat: () => ({ currentTime: now() }),
        StatusNotification: () => ({}),
        Authorize: () => ({ idTagInfo: { status: 'Accepted' } }),
        StartTransaction: () => ({ transactionId: nextTx++, idTagInfo: { status: 'Accepted' } }),
        MeterValues: () => ({}),
        StopTransaction: () => ({ idTagInfo: { status: 'Accepted' } }),
      };
      client.handle(({ method, params }: { method: string; params: unknown }) => {
        seen.set(method, (seen.get(method) ?? 0) + 1);
        const fn = answer[method];
        if (!fn) throw new Error(`unexpected ${method}`);
        return fn(params);
      });
    });
    const http = await server.listen(0, '127.0.0.1');
    url = `ws://127.0.0.1:${http.address().port}/ocpp`;
  });
  afterAll(() => server.close({ force: true }));

  it('sends only schema-valid messages across sessions, heartbeats and status changes', async () => {
    const scenario = fastScenario();
    scenario.fleet.heartbeatIntervalS = 60;
    const metrics = createMetrics();
    await runScenario(scenario, { targetUrl: url, password: null, observer: metrics });
    expect(violations).toEqual([]);
    for (const action of ['BootNotification', 'Heartbeat', 'StatusNotification', 'Authorize', 'StartTransaction', 'MeterValues', 'StopTransaction']) {
      expect(seen.get(action) ?? 0, action).toBeGreaterThan(0);
    }
    expect(metrics.toReportParts().sessions.completed).toBeGreaterThan(5);
  });
});
