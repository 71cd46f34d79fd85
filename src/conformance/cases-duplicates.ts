/**
 * Starts that must not turn into two transactions: a StartTransaction resent after its reply was lost,
 * and a second start on a connector whose transaction the CSMS still holds open.
 */
import type { StartTransactionConf } from '../ocpp/payloads.js';
import type { ConformanceCase } from './case.js';
import { CONNECTOR, openSession } from './cases-session.js';
import type { CaseContext } from './context.js';
import { failCase } from './halt.js';
import { describeRows, openRows, settledRows, type LedgerRow } from './ledger.js';
import { describeOutcome } from './station.js';
import { readStartReply, startPayload, startTx, tidyStop, type StartedTransaction } from './transactions.js';
import { fail, pass, skipped, type Outcome } from './types.js';

const onConnector = (rows: LedgerRow[]) => rows.filter((r) => r.connectorId === CONNECTOR || r.connectorId === null);

async function connectorRows(ctx: CaseContext, identity: string, atLeast: number): Promise<LedgerRow[]> {
  const ledger = ctx.shared.ledger!;
  const rows = onConnector(await settledRows(ledger, identity, (all) => onConnector(all).length >= atLeast, (ms) => ctx.sleep(ms)));
  ctx.note(`ledger rows of ${identity} on connector ${CONNECTOR}: ${describeRows(rows)}`);
  return rows;
}

function judgeResend(first: number | undefined, second: StartedTransaction, rows: LedgerRow[] | null): Outcome {
  if (rows !== null) {
    if (rows.length <= 1) return pass(`the resend got transactionId ${second.transactionId}; the ledger holds one transaction`);
    const ids = rows.map((r) => r.transactionId).join(', ');
    return fail(`one StartTransaction sent twice left ${rows.length} transactions in the ledger (${ids}); all but one will never be stopped`);
  }
  if (first === undefined) return pass(`the resend got transactionId ${second.transactionId} (no ledger to count transactions)`);
  if (first === second.transactionId) return pass(`the resend got the same transactionId ${first}`);
  return fail(`the resend got transactionId ${second.transactionId}, the original ${first}: transaction ${first} stays open, no StopTransaction will ever name it`);
}

/**
 * The station sends a StartTransaction, treats the reply as lost (or really gets none) and sends the
 * identical request again under a new message id. Judged by the ledger's row count on the connector
 * when there is a ledger, else by the two replies' transactionIds.
 */
const startRetransmit: ConformanceCase = {
  id: 'start-retransmit-no-duplicate',
  title: 'A StartTransaction resent after a lost reply does not create a second transaction',
  reference: 'OCPP 1.6 §4.8, §3.7',
  run: async (ctx) => {
    const idTag = ctx.knownIdTag();
    const st = ctx.station();
    await st.ready();
    const input = { connectorId: CONNECTOR, idTag, meterStartWh: 1000, at: ctx.now() };
    const payload = startPayload(input);
    const reply = await st.call('StartTransaction', payload);
    let first: number | undefined;
    if (reply.kind === 'result') first = readStartReply(ctx, st, CONNECTOR, reply.payload as StartTransactionConf).transactionId;
    else if (reply.kind === 'timeout') ctx.problem(describeOutcome('StartTransaction', reply, ctx.callTimeoutMs));
    else failCase(describeOutcome('StartTransaction', reply, ctx.callTimeoutMs));
    ctx.note('treating the first reply as lost: sending the identical StartTransaction again');
    const second = await startTx(ctx, st, input, payload);
    const rows = ctx.shared.ledger ? await connectorRows(ctx, st.identity, 1) : null;
    const outcome = judgeResend(first, second, rows);
    await tidyStop(ctx, st, second.transactionId, idTag, 1500);
    return outcome;
  },
};

function judgeBusy(a: StartedTransaction, b: StartedTransaction, open: LedgerRow[] | null): Outcome {
  if (b.status !== 'Accepted') return pass(`the second start was answered ${b.status}, not Accepted`);
  if (b.transactionId === a.transactionId) return pass(`the second start was mapped to the open transaction ${a.transactionId}`);
  if (open === null) {
    return skipped(
      `the second start was Accepted as transaction ${b.transactionId} while ${a.transactionId} was open; ` +
        'whether the CSMS closed the first can only be seen in its ledger (--ledger)',
    );
  }
  if (open.length <= 1) return pass(`the second start became transaction ${b.transactionId}; the CSMS closed ${a.transactionId} (one open transaction on the connector)`);
  return fail(`${open.length} open transactions on connector ${CONNECTOR} (${open.map((r) => r.transactionId).join(', ')}): the charger will only ever stop ${b.transactionId}`);
}

/**
 * Rule: a connector has at most one transaction. After a second StartTransaction on a connector
 * whose transaction is open (the charger lost the first, e.g. in a reset), the CSMS passes when it
 * refuses the start (idTagInfo not Accepted, e.g. ConcurrentTx), maps it to the open transaction
 * (same transactionId), or, per its ledger, closed the first so one transaction is open on the
 * connector. A new Accepted transaction with no ledger to look into is skipped: the replies alone
 * cannot tell a CSMS that closed the first from one that left it open.
 */
const busyConnector: ConformanceCase = {
  id: 'start-busy-connector',
  title: 'A second StartTransaction on a busy connector does not leave two open transactions',
  reference: 'OCPP 1.6 §4.8 (ConcurrentTx)',
  run: async (ctx) => {
    const { st, idTag, tx: first } = await openSession(ctx, ctx.now() - 60_000);
    ctx.note(`starting a new transaction on connector ${CONNECTOR} while ${first.transactionId} is open`);
    const second = await startTx(ctx, st, { connectorId: CONNECTOR, idTag, meterStartWh: 1500, at: ctx.now() });
    const newOpen = second.status === 'Accepted' && second.transactionId !== first.transactionId;
    const open = newOpen && ctx.shared.ledger ? openRows(await connectorRows(ctx, st.identity, 2)) : null;
    const outcome = judgeBusy(first, second, open);
    await tidyStop(ctx, st, second.status === 'Accepted' ? second.transactionId : first.transactionId, idTag, 2000);
    return outcome;
  },
};

export const DUPLICATE_CASES: readonly ConformanceCase[] = [startRetransmit, busyConnector];
