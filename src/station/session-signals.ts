/**
 * Wake-ups of a session's flow: a stop request, or progress of its transaction messages. Only set
 * state and resolve the waiting promise; the flow in session.ts reacts.
 */
import type { StopReason } from '../ocpp/payloads.js';
import type { Session } from './context.js';

/** Asks the session to stop its transaction for `reason` (the first request wins). */
export function requestStop(s: Session, reason: StopReason): void {
  if (s.stopReason !== null || s.phase === 'ended') return;
  s.stopReason = reason;
  const wake = s.wake;
  s.wake = null;
  wake?.();
}

/** Resolves at the next event of one of the session's transaction messages (see wakeTx). */
export function nextTxEvent(s: Session): Promise<void> {
  return new Promise<void>((resolve) => (s.txWake = resolve));
}

/** Something happened to one of the session's transaction messages (or the queue closed). */
export function wakeTx(s: Session): void {
  const wake = s.txWake;
  s.txWake = null;
  wake?.();
}
