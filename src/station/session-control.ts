/**
 * Requests that end a session from outside its own flow: a stop reason, a failed call, the station
 * closing. The flow in session.ts reacts; these functions only set state and wake it.
 */
import { CallFailure } from '../ocpp/connection.js';
import type { StopReason } from '../ocpp/payloads.js';
import type { Session, StationContext } from './context.js';

/** Asks the session to stop its transaction for `reason` (the first request wins). */
export function requestStop(s: Session, reason: StopReason): void {
  if (s.stopReason !== null || s.phase === 'ended') return;
  s.stopReason = reason;
  const wake = s.wake;
  s.wake = null;
  wake?.();
}

/** A call of the session failed: the session ends as 'failed' (its transaction is still stopped). */
export function failSession(s: Session, err: unknown): void {
  s.failure ??= failureDetail(err);
  requestStop(s, 'Other');
}

/** The station is going away under the session: end it without further wire traffic. */
export function abortSession(s: Session, detail: string): void {
  s.aborted = true;
  s.failure ??= detail;
  requestStop(s, 'Other');
}

export function failureDetail(err: unknown): string {
  if (err instanceof CallFailure) return `${err.action} ${err.code}`;
  return err instanceof Error ? err.message : String(err);
}

/** Stops every session with exactly one StopTransaction each and waits until all have ended. */
export async function finishAll(ctx: StationContext, reason: StopReason): Promise<void> {
  const pending: Promise<void>[] = [];
  for (const c of ctx.connectors) {
    if (!c.session) continue;
    requestStop(c.session, reason);
    pending.push(c.session.done);
  }
  await Promise.all(pending);
}
