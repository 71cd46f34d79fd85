/**
 * What a settled transaction message means for its session: a StartTransaction reply brings the
 * transactionId (patched into the session's queued messages) and the CSMS's verdict on the idTag; a
 * discarded or lost message makes the session fail; an acknowledged StopTransaction completes it.
 */
import type { StartTransactionConf } from '../ocpp/payloads.js';
import { learnIdTag } from './authorisation.js';
import type { Session, StationContext } from './context.js';
import { requestStop } from './session-signals.js';
import type { TxEntry } from './tx-queue.js';

export type TxSettlement =
  | { kind: 'acked'; reply: unknown }
  | { kind: 'discarded'; errorCode: string; attempts: number }
  | { kind: 'lost' };

/** Detail of a session whose StartTransaction the CSMS refused only once the transaction was running. */
export const REJECTED_AFTER_THE_FACT = 'rejected after the fact';

export function onTxSettled(ctx: StationContext, e: TxEntry, how: TxSettlement): void {
  const s = e.session;
  if (e.action === 'StartTransaction') startSettled(ctx, s, how);
  else if (e.action === 'StopTransaction') stopSettled(s, how);
}

function startSettled(ctx: StationContext, s: Session, how: TxSettlement): void {
  s.startState = how.kind;
  if (how.kind !== 'acked') {
    s.failure ??= unsettledDetail('StartTransaction', how);
    return;
  }
  const conf = how.reply as StartTransactionConf;
  s.transactionId = conf.transactionId;
  s.record.transactionId = conf.transactionId;
  // Messages produced before the reply carry the placeholder -1 (errata 3.18): give them the real id.
  for (const q of ctx.txq.entries) {
    if (q.session === s && q.payload.transactionId === -1) q.payload.transactionId = conf.transactionId;
  }
  learnIdTag(ctx, s.record.idTag, conf.idTagInfo);
  if (conf.idTagInfo.status !== 'Accepted') refused(ctx, s, conf.idTagInfo.status);
}

/**
 * The CSMS refused the idTag in its StartTransaction reply. A transaction that still runs is stopped
 * (StopTransactionOnInvalidId) or keeps running without energy until the car leaves.
 */
function refused(ctx: StationContext, s: Session, status: string): void {
  s.rejection ??= s.phase === 'starting' ? `StartTransaction ${status}` : REJECTED_AFTER_THE_FACT;
  if (s.stopState !== 'none' || s.phase === 'ended' || s.aborted) return;
  if (ctx.config.getBool('StopTransactionOnInvalidId')) {
    requestStop(s, 'DeAuthorized');
    return;
  }
  s.connector.meter.setLimitW(0, ctx.clock.now());
  s.powerCut = true;
}

function stopSettled(s: Session, how: TxSettlement): void {
  s.stopState = how.kind;
  if (how.kind !== 'acked') s.failure ??= unsettledDetail('StopTransaction', how);
}

function unsettledDetail(action: string, how: TxSettlement): string {
  if (how.kind === 'discarded') return `${action} ${how.errorCode}, discarded after ${how.attempts} attempts`;
  return `${action} lost in reboot`;
}
