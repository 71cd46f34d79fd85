/** Helpers for assertions on the transaction-message events a test station reported. */
import type { TxAction, TxMessageEvent } from '../../src/metrics/types.js';
import { waitFor } from './station-csms.js';
import type { TestStation } from './station-fixture.js';

/** The station's TxMessageEvents, optionally of one kind and/or action. */
export function txEvents(t: TestStation, kind?: TxMessageEvent['kind'], action?: TxAction): TxMessageEvent[] {
  return t.observer.txMessages.filter((e) => (!kind || e.kind === kind) && (!action || e.action === action));
}

/** Waits until the station saw its connection drop (its last reported state is 'disconnected'). */
export async function waitOffline(t: TestStation): Promise<void> {
  await waitFor(() => t.observer.connections.at(-1)?.state === 'disconnected', 'station offline');
}

/** Waits until the last reported connection state is 'accepted' again. */
export async function waitOnline(t: TestStation, timeoutMs = 8000): Promise<void> {
  await waitFor(() => t.observer.connections.at(-1)?.state === 'accepted', 'station back online', timeoutMs);
}

/** Seq numbers of the events of one kind, in the order they were reported. */
export function seqs(events: TxMessageEvent[]): number[] {
  return events.map((e) => e.seq);
}
