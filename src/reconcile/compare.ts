/**
 * The station ledger against the CSMS's own records: transactions the CSMS is missing, holds open or
 * meters differently (gaps), and rows no session has or that repeat one transactionId (duplicates).
 * Only rows whose chargePointId belongs to the fleet are considered.
 */
import type { Finding } from '../report/types.js';
import type { CsmsTransaction } from './csms-source.js';
import { sessionFinding, sessionTransactionId } from './finding.js';
import type { Ledger, SessionEntry } from './ledger.js';

export interface CsmsComparison {
  findings: Finding[];
  /** CSMS rows that belong to the fleet (the ones compared). */
  fleetRows: number;
}

const keyOf = (stationId: string, transactionId: number) => `${stationId}\u0000${transactionId}`;
const isIssued = (id: number | null): id is number => id !== null && id !== -1;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** Every (station, transactionId) a session of the fleet received or used, with the session. */
function knownIds(sessions: readonly SessionEntry[]): Map<string, SessionEntry> {
  const known = new Map<string, SessionEntry>();
  for (const s of sessions) {
    const ids = [...s.transactionIds, s.stopTransactionId, s.facts?.transactionId ?? null];
    for (const id of ids) if (isIssued(id) && !known.has(keyOf(s.stationId, id))) known.set(keyOf(s.stationId, id), s);
  }
  return known;
}

/** The id the CSMS got in the session's acknowledged StopTransaction (or, failing that, the session's id). */
function stoppedId(s: SessionEntry): number | null {
  if (s.stopAcks === 0) return null;
  if (isIssued(s.stopTransactionId)) return s.stopTransactionId;
  const id = sessionTransactionId(s);
  return isIssued(id) ? id : null;
}

function stationEnergy(s: SessionEntry): number | null {
  const f = s.facts;
  if (f === null) return null;
  if (f.meterStartWh !== null && f.meterStopWh !== null) return f.meterStopWh - f.meterStartWh;
  return f.energyWh;
}

/** The row that best matches the session: same meterStart first, stopped rows before open ones. */
function matchRow(s: SessionEntry, rows: readonly CsmsTransaction[]): CsmsTransaction {
  const start = s.facts?.meterStartWh ?? null;
  const score = (r: CsmsTransaction) => (r.meterStart !== null && r.meterStart === start ? 2 : 0) + (r.meterStop !== null ? 1 : 0);
  return rows.reduce((best, r) => (score(r) > score(best) ? r : best));
}

function sessionVsCsms(s: SessionEntry, id: number, rows: readonly CsmsTransaction[] | undefined): Finding | null {
  const extra = { transactionId: id };
  if (rows === undefined) {
    return sessionFinding('missingInCsms', s, `the station completed transaction ${id}; the CSMS has no such transaction`, extra);
  }
  const row = matchRow(s, rows);
  if (row.meterStop === null) {
    return sessionFinding('openInCsms', s, `StopTransaction for ${id} was acknowledged; the CSMS still has it open (no meterStop)`, extra);
  }
  const stationWh = stationEnergy(s);
  if (stationWh === null || row.meterStart === null) return null;
  const csmsWh = row.meterStop - row.meterStart;
  if (Math.round(csmsWh) === Math.round(stationWh)) return null;
  return sessionFinding('energyMismatch', s, `transaction ${id}: station ${Math.round(stationWh)} Wh, CSMS ${Math.round(csmsWh)} Wh`, {
    ...extra,
    stationWh: Math.round(stationWh),
    csmsWh: Math.round(csmsWh),
  });
}

function rowFinding(kind: 'phantom' | 'duplicateInCsms', row: CsmsTransaction, session: SessionEntry | undefined, detail: string): Finding {
  return {
    kind,
    stationId: row.chargePointId,
    connectorId: row.connectorId,
    sessionId: session?.sessionId ?? null,
    transactionId: row.transactionId,
    transactionIds: [row.transactionId],
    detail,
  };
}

function csmsDuplicates(byId: Map<number, CsmsTransaction[]>, known: Map<string, SessionEntry>): Finding[] {
  const out: Finding[] = [];
  for (const [id, rows] of byId) {
    if (rows.length < 2) continue;
    const stations = [...new Set(rows.map((r) => r.chargePointId))];
    const where = stations.length > 1 ? ` (stations ${stations.join(', ')})` : '';
    const first = rows[0];
    out.push(rowFinding('duplicateInCsms', first, known.get(keyOf(first.chargePointId, id)), `the CSMS holds ${rows.length} rows for transactionId ${id}${where}`));
  }
  return out;
}

function phantoms(rows: readonly CsmsTransaction[], known: Map<string, SessionEntry>): Finding[] {
  const out: Finding[] = [];
  for (const r of rows) {
    if (known.has(keyOf(r.chargePointId, r.transactionId))) continue;
    const state = r.meterStop === null ? 'open' : 'stopped';
    const tag = r.idTag === null ? '' : `, idTag ${r.idTag}`;
    out.push(rowFinding('phantom', r, undefined, `CSMS transaction ${r.transactionId} (${state}${tag}) belongs to no session of the station`));
  }
  return out;
}

export function compareWithCsms(ledger: Ledger, transactions: readonly CsmsTransaction[], identities: Iterable<string>): CsmsComparison {
  const fleet = new Set(identities);
  const rows = transactions.filter((r) => fleet.has(r.chargePointId));
  const byKey = new Map<string, CsmsTransaction[]>();
  const byId = new Map<number, CsmsTransaction[]>();
  for (const r of rows) {
    push(byKey, keyOf(r.chargePointId, r.transactionId), r);
    push(byId, r.transactionId, r);
  }
  const sessions = [...ledger.sessions()];
  const known = knownIds(sessions);
  const findings: Finding[] = [];
  for (const s of sessions) {
    const id = stoppedId(s);
    if (id === null) continue;
    const f = sessionVsCsms(s, id, byKey.get(keyOf(s.stationId, id)));
    if (f !== null) findings.push(f);
  }
  findings.push(...phantoms(rows, known), ...csmsDuplicates(byId, known));
  return { findings, fleetRows: rows.length };
}
