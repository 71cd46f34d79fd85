/**
 * StopTransaction and MeterValues naming a transaction the CSMS never issued: an id it does not know
 * (the charger's local id, or one from before a CSMS migration) and -1 (the start's reply never came,
 * errata 3.18). The CSMS must answer with a CALLRESULT, not a CALLERROR (which tells the charger to
 * give up on the message), and keep serving the connection.
 */
import { heartbeat } from '../ocpp/payloads.js';
import type { ConformanceCase } from './case.js';
import { CONNECTOR } from './cases-session.js';
import type { CaseContext } from './context.js';
import { meterValuesPayload, stopPayload } from './transactions.js';
import { pass } from './types.js';

type Action = 'StopTransaction' | 'MeterValues';
type Which = 'unknown' | 'minus-one';

/** An id far above what a CSMS has issued in a test run, drawn from the case's stream. */
function unknownTransactionId(ctx: CaseContext): number {
  return 1_900_000_000 + Math.floor(ctx.rng('transaction-id')() * 100_000_000);
}

function payloadFor(ctx: CaseContext, action: Action, transactionId: number): object {
  const at = ctx.now();
  if (action === 'MeterValues') return meterValuesPayload(CONNECTOR, transactionId, at, 1500);
  return stopPayload({ transactionId, idTag: null, meterStopWh: 1500, at, reason: 'Local' });
}

function orphanCase(action: Action, which: Which): ConformanceCase {
  const noun = which === 'unknown' ? 'an unknown transactionId' : 'transactionId -1';
  const prefix = action === 'StopTransaction' ? 'stop' : 'meter-values';
  return {
    id: `${prefix}-${which === 'unknown' ? 'unknown-transaction' : 'transaction-minus-one'}`,
    title: `${action} with ${noun} is answered with CALLRESULT and the connection keeps working`,
    reference: which === 'unknown' ? `OCPP 1.6 ${action === 'StopTransaction' ? '§4.10' : '§4.7'}` : 'OCPP 1.6 errata 3.18',
    run: async (ctx) => {
      const st = ctx.station();
      await st.ready();
      const transactionId = which === 'unknown' ? unknownTransactionId(ctx) : -1;
      await st.request(action, payloadFor(ctx, action, transactionId));
      await st.request('Heartbeat', heartbeat());
      return pass(`${action} for transactionId ${transactionId} answered with CALLRESULT; a Heartbeat afterwards was answered`);
    },
  };
}

export const ORPHAN_CASES: readonly ConformanceCase[] = [
  orphanCase('StopTransaction', 'unknown'),
  orphanCase('StopTransaction', 'minus-one'),
  orphanCase('MeterValues', 'unknown'),
  orphanCase('MeterValues', 'minus-one'),
];
