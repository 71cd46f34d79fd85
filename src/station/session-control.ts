/**
 * Ending sessions from outside their own flow: the station closing under them, or the end of a run.
 * The flow in session.ts reacts; these functions set state and wake it.
 */
import { CallFailure } from '../ocpp/connection.js';
import type { StopReason } from '../ocpp/payloads.js';
import type { Session, StationContext } from './context.js';
import { requestStop } from './session-signals.js';
import { txDrained } from './tx-queue.js';

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

/**
 * Stops every running transaction with exactly one StopTransaction each (queued like every
 * transaction message) and resolves once every session has ended and the queue is empty. Offline,
 * that is after the reconnect: callers bound the wait.
 */
export async function finishAll(ctx: StationContext, reason: StopReason): Promise<void> {
  for (const c of ctx.connectors) if (c.session) requestStop(c.session, reason);
  await Promise.all(Array.from(ctx.sessions, (s) => s.done));
  await txDrained(ctx);
}
