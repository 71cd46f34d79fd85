/**
 * Building findings about one station session (shared by the station-side checks and the CSMS
 * comparison).
 */
import type { Finding, FindingKind } from '../report/types.js';
import type { SessionEntry } from './ledger.js';

/** The transactionId a session ended up with, as far as the station knows. */
export function sessionTransactionId(s: SessionEntry): number | null {
  return s.facts?.transactionId ?? s.transactionIds.at(-1) ?? null;
}

export function sessionFinding(kind: FindingKind, s: SessionEntry, detail: string, extra: Partial<Finding> = {}): Finding {
  return {
    kind,
    stationId: s.stationId,
    connectorId: s.connectorId,
    sessionId: s.sessionId,
    transactionId: sessionTransactionId(s),
    ...extra,
    detail,
  };
}
