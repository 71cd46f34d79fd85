import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { compareWithCsms } from '../src/reconcile/compare.js';
import { CsmsSourceError, fetchCsmsLedger, normaliseCsmsRecords } from '../src/reconcile/csms-source.js';
import { reconcile } from '../src/reconcile/findings.js';
import { createLedger, type Ledger } from '../src/reconcile/ledger.js';
import type { LedgerSourceConfig } from '../src/scenario/types.js';
import { sessionRecord, stationScript } from './reconcile-events.js';

const T0 = Date.UTC(2025, 0, 1, 8);

/** A CSMS whose export names things its own way, nested under data.items. */
const CUSTOM: LedgerSourceConfig = {
  url: null,
  itemsPath: 'data.items',
  fields: {
    transactionId: 'txn',
    chargePointId: 'cp.id',
    connectorId: 'conn',
    idTag: 'tag',
    meterStart: 'whStart',
    meterStop: 'whStop',
    startTimestamp: 'began',
    stopTimestamp: 'ended',
  },
};

const row = (txn: number | string, cp: string, whStart: number | string, whStop: number | string | null, conn = 1) => ({
  txn, cp: { id: cp }, conn, tag: 'TAG-1', whStart, whStop, began: '2025-01-01T08:00:00Z', ended: whStop === null ? null : '2025-01-01T09:00:00Z',
});

let servers: Server[] = [];

async function serve(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/export`;
}

const json = (body: unknown): RequestListener => (_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
};

afterEach(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
  servers = [];
});

/** Six completed sessions on two stations; the CSMS export below gets five of them wrong. */
function fleetLedger(): Ledger {
  const ledger = createLedger();
  const cp1 = stationScript(ledger, 'CP-1');
  const cp2 = stationScript(ledger, 'CP-2');
  const done = (st: string, s: string, id: number, start: number, stop: number) =>
    ledger.session(sessionRecord(st, s, { transactionId: id, meterStartWh: start, meterStopWh: stop, energyWh: stop - start }));
  cp1.cleanSession('1/1', T0, 1);
  done('CP-1', '1/1', 1, 0, 1_000); // matches
  cp1.cleanSession('1/2', T0 + 200_000, 2);
  done('CP-1', '1/2', 2, 1_000, 3_000); // missing in the CSMS
  cp1.cleanSession('2/1', T0, 3);
  done('CP-1', '2/1', 3, 500, 900); // open in the CSMS
  cp2.cleanSession('1/1', T0, 4);
  done('CP-2', '1/1', 4, 0, 500); // the CSMS says 700 Wh
  cp2.cleanSession('2/1', T0, 6);
  done('CP-2', '2/1', 6, 100, 200); // stored twice
  // Still running at the end: the CSMS rightly holds it open.
  const start = cp2.queue('StartTransaction', '1/2', T0 + 300_000);
  cp2.acked(start, T0 + 300_010, { transactionId: 7, idTagStatus: 'Accepted' });
  return ledger;
}

const EXPORT = {
  data: {
    items: [
      row(1, 'CP-1', 0, 1_000),
      row('3', 'CP-1', '500', null, 2), // numbers as strings are read as numbers
      row(4, 'CP-2', 0, 700),
      row(5, 'CP-2', 40, null), // phantom: the unanswered first StartTransaction of a retried pair
      row(6, 'CP-2', 100, 200, 2),
      row(6, 'CP-2', 100, 200, 2),
      row(7, 'CP-2', 900, null),
      row(99, 'OTHER-9', 0, null), // another fleet's charger: ignored
    ],
  },
};

describe('compare with the CSMS ledger', () => {
  it('reads a custom export and reports each gap and duplicate once', async () => {
    const url = await serve(json(EXPORT));
    const csms = await fetchCsmsLedger({ ...CUSTOM, url });
    expect(csms.source).toBe(url);
    expect(csms.transactions).toHaveLength(8);
    expect(csms.transactions[1]).toEqual({
      transactionId: 3, chargePointId: 'CP-1', connectorId: 2, idTag: 'TAG-1', meterStart: 500, meterStop: null,
      startTimestamp: '2025-01-01T08:00:00Z', stopTimestamp: null,
    });
    const r = reconcile(fleetLedger(), { runStartMs: T0, faults: [], csms: { ledger: csms, identities: ['CP-1', 'CP-2'] } });
    const rec = r.reconciliation;
    expect(rec.csmsLedger).toEqual({ source: url, transactions: 7 });
    expect(rec.gapCounts).toMatchObject({ missingInCsms: 1, openInCsms: 1, energyMismatch: 1 });
    expect(rec.gapCount).toBe(3);
    expect(r.duplicates.counts).toMatchObject({ phantom: 1, duplicateInCsms: 1 });
    expect(r.duplicates.count).toBe(2);
    expect(rec.gaps.missingInCsms[0]).toMatchObject({ stationId: 'CP-1', sessionId: '1/2', transactionId: 2 });
    expect(rec.gaps.openInCsms[0]).toMatchObject({ stationId: 'CP-1', sessionId: '2/1', transactionId: 3 });
    expect(rec.gaps.energyMismatch[0]).toMatchObject({ stationId: 'CP-2', sessionId: '1/1', transactionId: 4, stationWh: 500, csmsWh: 700 });
    expect(rec.gaps.energyMismatch[0].detail).toBe('transaction 4: station 500 Wh, CSMS 700 Wh');
    expect(r.duplicates.items.phantom[0]).toMatchObject({ stationId: 'CP-2', connectorId: 1, sessionId: null, transactionId: 5 });
    expect(r.duplicates.items.duplicateInCsms[0]).toMatchObject({ stationId: 'CP-2', sessionId: '2/1', transactionId: 6 });
    expect(r.duplicates.items.duplicateInCsms[0].detail).toContain('2 rows');
  });

  it('matches rows by station: the same id at another station is a phantom there', () => {
    const ledger = createLedger();
    stationScript(ledger, 'CP-1').cleanSession('1/1', T0, 1);
    ledger.session(sessionRecord('CP-1', '1/1', { transactionId: 1, meterStartWh: 0, meterStopWh: 1_000 }));
    const rows = normaliseCsmsRecords(EXPORT, CUSTOM).filter((r) => r.transactionId === 1);
    const clean = compareWithCsms(ledger, rows, ['CP-1']);
    expect(clean).toEqual({ findings: [], fleetRows: 1 });
    const elsewhere = compareWithCsms(ledger, [{ ...rows[0], chargePointId: 'CP-2' }], ['CP-1', 'CP-2']);
    expect(elsewhere.findings.map((f) => `${f.kind} ${f.stationId}`)).toEqual(['missingInCsms CP-1', 'phantom CP-2']);
  });

  it('reads the body itself with itemsPath ""', () => {
    const rows = normaliseCsmsRecords([row(1, 'CP-1', 0, 5)], { ...CUSTOM, itemsPath: '' });
    expect(rows.map((r) => [r.transactionId, r.chargePointId, r.meterStop])).toEqual([[1, 'CP-1', 5]]);
  });
});

describe('CSMS ledger source errors', () => {
  const fetchWith = (url: string, over: Partial<LedgerSourceConfig> = {}, timeoutMs?: number) =>
    fetchCsmsLedger({ ...CUSTOM, url, ...over }, { timeoutMs });

  it('says the source is unreachable', async () => {
    const url = await serve(json({}));
    const server = servers.pop()!;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const err = await fetchWith(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CsmsSourceError);
    expect((err as Error).message).toMatch(new RegExp(`^CSMS ledger ${url} is unreachable: .*ECONNREFUSED`));
  });

  it('gives up after the timeout', async () => {
    const url = await serve(() => undefined); // never answers
    await expect(fetchWith(url, {}, 200)).rejects.toThrow(`CSMS ledger ${url} is unreachable: did not answer within 200 ms`);
  });

  it('rejects an HTTP error, a body that is not JSON, a missing items path and a missing field', async () => {
    const failing = await serve((_req, res) => {
      res.writeHead(503);
      res.end('busy');
    });
    await expect(fetchWith(failing)).rejects.toThrow('answered HTTP 503');
    const html = await serve((_req, res) => res.end('<html>hello</html>'));
    await expect(fetchWith(html)).rejects.toThrow(`CSMS ledger ${html} did not return JSON (body starts "<html>hello</html>")`);
    const wrongPath = await serve(json({ data: { rows: [] } }));
    await expect(fetchWith(wrongPath)).rejects.toThrow('expected an array of transactions at "data.items", found nothing');
    const badRow = await serve(json({ data: { items: [row(1, 'CP-1', 0, 1), { cp: { id: 'CP-1' } }] } }));
    await expect(fetchWith(badRow)).rejects.toThrow('transaction 1 has no numeric "txn" (the transactionId field)');
    await expect(fetchCsmsLedger(CUSTOM)).rejects.toThrow('no URL configured');
  });

  it('uses the fallback URL when the config has none', async () => {
    const url = await serve(json(EXPORT));
    const csms = await fetchCsmsLedger(CUSTOM, { url });
    expect(csms.transactions.map((t) => t.transactionId)).toEqual([1, 3, 4, 5, 6, 6, 7, 99]);
  });
});
