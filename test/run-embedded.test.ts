import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../src/api.js';
import { createMetrics } from '../src/metrics/collector.js';
import { startCsms, type CsmsHandle } from '../src/csms/server.js';
import type { SessionRecord } from '../src/metrics/types.js';
import { fastScenario } from './support/scenario.js';

interface LedgerRow {
  transactionId: number;
  chargePointId: string;
  connectorId: number;
  meterStart: number;
  meterStop: number | null;
  status: string;
  stopCount: number;
}

describe('a fleet against the embedded CSMS', () => {
  let csms: CsmsHandle;
  const records: SessionRecord[] = [];
  let outcome: Awaited<ReturnType<typeof runScenario>>;
  const metrics = createMetrics();

  beforeAll(async () => {
    const scenario = fastScenario();
    csms = await startCsms({ port: 0, acceptedIdTags: scenario.sessions.idTags.known });
    const observer = { ...metrics, session: (r: SessionRecord) => (records.push(r), metrics.session(r)) };
    outcome = await runScenario(scenario, { targetUrl: csms.url, password: null, observer });
  });
  afterAll(() => csms?.close());

  it('completes the planned sessions, each with a transaction the CSMS stored', async () => {
    const completed = records.filter((r) => r.outcome === 'completed');
    expect(outcome.plannedSessions).toBeGreaterThan(5);
    expect(completed.length).toBeGreaterThan(5);
    expect(records.length).toBe(outcome.plannedSessions);
    const { transactions } = (await (await fetch(`${csms.httpUrl}/transactions`)).json()) as { transactions: LedgerRow[] };
    for (const r of completed) {
      const row = transactions.find((t) => t.transactionId === r.transactionId);
      expect(row, `transaction ${r.transactionId}`).toBeDefined();
      expect(row).toMatchObject({ chargePointId: r.stationId, connectorId: r.connectorId, meterStart: r.meterStartWh, meterStop: r.meterStopWh, status: 'Accepted', stopCount: 1 });
      expect(r.energyWh).toBe((r.meterStopWh ?? 0) - (r.meterStartWh ?? 0));
    }
  });

  it('carries each connector\'s meter register from one session to the next, with no energy outside transactions', () => {
    const byConnector = new Map<string, SessionRecord[]>();
    for (const r of records.filter((x) => x.outcome === 'completed')) {
      const key = `${r.stationId}/${r.connectorId}`;
      byConnector.set(key, [...(byConnector.get(key) ?? []), r]);
    }
    let pairs = 0;
    for (const list of byConnector.values()) {
      list.sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0));
      for (let i = 1; i < list.length; i++, pairs++) expect(list[i].meterStartWh).toBe(list[i - 1].meterStopWh);
    }
    expect(pairs).toBeGreaterThan(0);
  });

  it('leaves no transaction open and sees no schema violation', async () => {
    const stats = (await (await fetch(`${csms.httpUrl}/stats`)).json()) as { openTransactions: number; schemaViolations: number };
    expect(stats.openTransactions).toBe(0);
    expect(stats.schemaViolations).toBe(0);
  });

  it('measures latency for every action the stations used', () => {
    const parts = metrics.toReportParts();
    for (const action of ['BootNotification', 'StatusNotification', 'Authorize', 'StartTransaction', 'MeterValues', 'StopTransaction']) {
      expect(parts.latency[action]?.count, action).toBeGreaterThan(0);
      expect(parts.latency[action].errors, action).toEqual({});
      expect(parts.latency[action].p50, action).toBeGreaterThan(0);
    }
    expect(parts.stations.bootAccepted).toBe(3);
  });
});
