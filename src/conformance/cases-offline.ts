/**
 * Transactions that happened while the charge point had no connection (OCA TC_037, TC_038, TC_039):
 * the station really disconnects, then reconnects (a network outage, so no new BootNotification) and
 * delivers its queued transaction messages in chronological order, back to back, with their original
 * timestamps in the past; queued messages carry the transactionId the late StartTransaction reply gave.
 * The CSMS must accept every one, and, with a ledger, store the transaction once with the timestamps
 * and meter readings the station sent, not the time they arrived.
 */
import type { ConformanceCase } from './case.js';
import { CONNECTOR } from './cases-session.js';
import type { CaseContext } from './context.js';
import { ledgerSuffix, storedOnceProblem, type ExpectedRow } from './ledger-checks.js';
import type { TestStation } from './station.js';
import { expectAccepted, MINUTE_MS, sendMeterValues, startTx, stopTx, type StartedTransaction } from './transactions.js';
import { fail, pass, type Outcome } from './types.js';

async function goOffline(ctx: CaseContext, st: TestStation, what: string): Promise<void> {
  await st.disconnect();
  ctx.note(`offline: ${what}`);
}

async function comeBack(ctx: CaseContext, st: TestStation): Promise<void> {
  await st.connect();
  ctx.note('back online: delivering the queued transaction messages in order, back to back');
}

async function start(ctx: CaseContext, st: TestStation, idTag: string, meterStartWh: number, at: number): Promise<StartedTransaction> {
  const tx = await startTx(ctx, st, { connectorId: CONNECTOR, idTag, meterStartWh, at });
  expectAccepted(tx);
  return tx;
}

async function verdict(ctx: CaseContext, st: TestStation, want: ExpectedRow, story: string): Promise<Outcome> {
  const problem = await storedOnceProblem(ctx, st.identity, want);
  return problem ? fail(problem) : pass(`transactionId ${want.transactionId}: ${story}, every message answered${ledgerSuffix(ctx)}`);
}

const offlineStart: ConformanceCase = {
  id: 'offline-start',
  title: 'A transaction started while offline is accepted when its messages arrive late',
  reference: 'OCA TC_037 (OCPP 1.6 §3.7, §4.8)',
  run: async (ctx) => {
    const idTag = ctx.knownIdTag();
    const st = ctx.station();
    await st.ready();
    await goOffline(ctx, st, 'a transaction starts 40 min ago while the station has no connection');
    const t0 = ctx.now() - 40 * MINUTE_MS;
    await comeBack(ctx, st);
    const tx = await start(ctx, st, idTag, 5000, t0);
    await sendMeterValues(st, CONNECTOR, tx.transactionId, t0 + 10 * MINUTE_MS, 5600);
    await sendMeterValues(st, CONNECTOR, tx.transactionId, t0 + 20 * MINUTE_MS, 6200);
    ctx.note('queue delivered; the transaction continues online');
    const end = ctx.now();
    await sendMeterValues(st, CONNECTOR, tx.transactionId, end, 7000);
    await stopTx(ctx, st, { transactionId: tx.transactionId, idTag, meterStopWh: 7100, at: end, reason: 'Local' });
    const want = { transactionId: tx.transactionId, meterStart: 5000, meterStop: 7100, startAt: t0, stopAt: end };
    return verdict(ctx, st, want, 'start delivered 40 min late, then stopped online');
  },
};

const offlineStop: ConformanceCase = {
  id: 'offline-stop',
  title: 'A transaction stopped while offline is closed when its messages arrive late',
  reference: 'OCA TC_038 (OCPP 1.6 §3.7, §4.10)',
  run: async (ctx) => {
    const t0 = ctx.now() - 30 * MINUTE_MS;
    const idTag = ctx.knownIdTag();
    const st = ctx.station();
    await st.ready();
    const tx = await start(ctx, st, idTag, 3000, t0);
    await sendMeterValues(st, CONNECTOR, tx.transactionId, t0 + 5 * MINUTE_MS, 3300);
    await goOffline(ctx, st, 'the transaction goes on and ends while the station has no connection');
    await comeBack(ctx, st);
    await sendMeterValues(st, CONNECTOR, tx.transactionId, t0 + 10 * MINUTE_MS, 3600);
    const stopAt = t0 + 15 * MINUTE_MS;
    await stopTx(ctx, st, { transactionId: tx.transactionId, idTag, meterStopWh: 3900, at: stopAt, reason: 'Local' });
    const want = { transactionId: tx.transactionId, meterStart: 3000, meterStop: 3900, startAt: t0, stopAt };
    return verdict(ctx, st, want, 'stop delivered 15 min late');
  },
};

const offlineWhole: ConformanceCase = {
  id: 'offline-whole-transaction',
  title: 'A whole transaction held offline (stop reason Local) is accepted when delivered in one burst',
  reference: 'OCA TC_039 (OCPP 1.6 §3.7, §4.8, §4.10)',
  run: async (ctx) => {
    const idTag = ctx.knownIdTag();
    const st = ctx.station();
    await st.ready();
    await goOffline(ctx, st, 'a whole transaction starts and ends while the station has no connection');
    const t0 = ctx.now() - 50 * MINUTE_MS;
    await comeBack(ctx, st);
    const tx = await start(ctx, st, idTag, 1000, t0);
    await sendMeterValues(st, CONNECTOR, tx.transactionId, t0 + 5 * MINUTE_MS, 1400);
    const stopAt = t0 + 10 * MINUTE_MS;
    await stopTx(ctx, st, { transactionId: tx.transactionId, idTag, meterStopWh: 1800, at: stopAt, reason: 'Local' });
    const want = { transactionId: tx.transactionId, meterStart: 1000, meterStop: 1800, startAt: t0, stopAt };
    return verdict(ctx, st, want, 'start, meter values and stop delivered 50 min late in one burst');
  },
};

export const OFFLINE_CASES: readonly ConformanceCase[] = [offlineStart, offlineStop, offlineWhole];
