/**
 * Transactions the way a healthy charger runs them, and the repeats a real one produces: a full
 * session, and a StopTransaction sent twice (a retry after a lost reply, or a charger that resends
 * its queue after a reboot).
 */
import type { ConformanceCase } from './case.js';
import type { CaseContext } from './context.js';
import { ledgerSuffix, storedOnceProblem } from './ledger-checks.js';
import type { TestStation } from './station.js';
import { expectAccepted, sendMeterValues, startTx, stopPayload, stopTx, type StartedTransaction } from './transactions.js';
import { fail, pass } from './types.js';

export const CONNECTOR = 1;
const METER_START_WH = 1000;

/** A booted station with an Accepted transaction on connector 1. */
export async function openSession(ctx: CaseContext, at = ctx.now()): Promise<{ st: TestStation; idTag: string; tx: StartedTransaction }> {
  const idTag = ctx.knownIdTag();
  const st = ctx.station();
  await st.ready();
  const tx = await startTx(ctx, st, { connectorId: CONNECTOR, idTag, meterStartWh: METER_START_WH, at });
  expectAccepted(tx);
  return { st, idTag, tx };
}

const fullSession: ConformanceCase = {
  id: 'session-full',
  title: 'A full session: StartTransaction gives a transactionId, MeterValues and StopTransaction with it are accepted',
  reference: 'OCPP 1.6 §4.8, §4.7, §4.10',
  run: async (ctx) => {
    const at = ctx.now();
    const { st, idTag, tx } = await openSession(ctx, at);
    await sendMeterValues(st, CONNECTOR, tx.transactionId, at, METER_START_WH + 500);
    const meterStopWh = METER_START_WH + 1000;
    await stopTx(ctx, st, { transactionId: tx.transactionId, idTag, meterStopWh, at, reason: 'Local' });
    const problem = await storedOnceProblem(ctx, st.identity, {
      transactionId: tx.transactionId,
      meterStart: METER_START_WH,
      meterStop: meterStopWh,
      startAt: at,
      stopAt: at,
    });
    if (problem) return fail(problem);
    return pass(`transactionId ${tx.transactionId}: started, MeterValues and StopTransaction answered${ledgerSuffix(ctx)}`);
  },
};

const stopTwice: ConformanceCase = {
  id: 'stop-twice-not-stored-twice',
  title: 'A StopTransaction sent twice is answered both times and stored once',
  reference: 'OCPP 1.6 §4.10, §3.7',
  run: async (ctx) => {
    const at = ctx.now();
    const { st, idTag, tx } = await openSession(ctx, at);
    const meterStopWh = METER_START_WH + 800;
    const input = { transactionId: tx.transactionId, idTag, meterStopWh, at, reason: 'Local' as const };
    const payload = stopPayload(input);
    await stopTx(ctx, st, input, payload);
    ctx.note('sending the identical StopTransaction again, as a charger does when the reply did not reach it');
    await stopTx(ctx, st, input, payload);
    const problem = await storedOnceProblem(ctx, st.identity, { transactionId: tx.transactionId, meterStop: meterStopWh });
    if (problem) return fail(problem);
    const judged = ctx.shared.ledger ? 'the ledger holds the stop once' : 'no ledger given, so whether it was stored once is not checked';
    return pass(`both StopTransactions for ${tx.transactionId} answered with CALLRESULT; ${judged}`);
  },
};

export const SESSION_CASES: readonly ConformanceCase[] = [fullSession, stopTwice];
