/**
 * End-of-run reconciliation: what each station did against what the CSMS acknowledged (and, with the
 * CSMS's own records, what it stored), as findings grouped by kind plus time to reconcile and queue
 * depths overall and per fault window.
 */
import type {
  DuplicateKind,
  DuplicatesReport,
  Finding,
  GapKind,
  ReconciliationReport,
} from '../report/types.js';
import type { FaultConfig } from '../scenario/types.js';
import { compareWithCsms } from './compare.js';
import type { CsmsLedger } from './csms-source.js';
import { sessionFinding, sessionTransactionId } from './finding.js';
import { groupFindings } from './group.js';
import type { Ledger, MessageEntry, SessionEntry } from './ledger.js';
import { faultWindows } from './windows.js';

export const GAP_KINDS: readonly GapKind[] = [
  'unacknowledged', 'discarded', 'callerror', 'lost', 'noTransactionId', 'rejectedAfterTheFact',
  'missingInCsms', 'openInCsms', 'energyMismatch',
];

export const DUPLICATE_KINDS: readonly DuplicateKind[] = [
  'transactionIdReused', 'sessionGotTwoIds', 'stopAcceptedTwice', 'phantom', 'duplicateInCsms',
];

export interface ReconcileOptions {
  /** Simulated epoch ms of the run's start: the origin of the fault timeline. */
  runStartMs: number;
  /** The scenario's fault timeline (one window each). */
  faults: readonly FaultConfig[];
  /** The CSMS's own records and the fleet's identities (only their rows are compared); null = none. */
  csms?: { ledger: CsmsLedger; identities: Iterable<string> } | null;
  /** Findings listed per kind (all are counted); default 100. */
  maxItems?: number;
}

export interface ReconcileResult {
  reconciliation: ReconciliationReport;
  duplicates: DuplicatesReport;
  /**
   * The distinct transactionIds each station's sessions received, by station identity (stations that
   * received none are left out). A shard report carries it (`reconciliation.transactionIds`) so that
   * `ev-sim merge` can find ids issued in two shards; the ledger holds these ids anyway.
   */
  transactionIds: Record<string, number[]>;
}

const seconds = (ms: number) => `${Math.round(Math.max(0, ms) / 1000)} s`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function messageFinding(kind: GapKind, s: SessionEntry, m: MessageEntry, what: string): Finding {
  const tries = m.attempts === 0 ? 'never sent' : plural(m.attempts, 'attempt');
  const error = m.lastError === null ? '' : `, last CALLERROR ${m.lastError}`;
  return sessionFinding(kind, s, `${m.action} seq ${m.seq} ${what} (${tries}${error})`, {
    transactionId: m.transactionId,
    action: m.action,
    seq: m.seq,
  });
}

function messageGaps(s: SessionEntry): Finding[] {
  const out: Finding[] = [];
  for (const m of s.pending?.values() ?? []) {
    if (m.callerrors > 0) out.push(messageFinding('callerror', s, m, 'was never acknowledged'));
    else out.push(messageFinding('unacknowledged', s, m, 'was still queued at the end'));
  }
  for (const m of s.ended ?? []) {
    if (m.state === 'discarded') out.push(messageFinding('discarded', s, m, 'was discarded'));
    else if (m.state === 'lost') out.push(messageFinding('lost', s, m, 'was lost in a reboot'));
  }
  return out;
}

/**
 * True when the station began the transaction without waiting for the StartTransaction reply: the
 * message was created offline or behind others, or its first attempt got no answer or a CALLERROR.
 * (Online, with nothing queued, the station waits for the reply, and a refusal is an ordinary rejection.)
 */
function startedWithoutReply(m: MessageEntry): boolean {
  return m.queuedOffline || m.queuedBehind > 0 || m.interruptions > 0 || m.callerrors > 0;
}

function startFindings(s: SessionEntry): Finding[] {
  const out: Finding[] = [];
  const start = s.start;
  if (s.startMessages > 0 && s.startAcks === 0) {
    const late = s.transactionIds.length > 0 ? `; a late reply carried ${s.transactionIds.join(', ')}` : '';
    out.push(sessionFinding('noTransactionId', s, `StartTransaction never acknowledged (${plural(start?.attempts ?? 0, 'attempt')})${late}`));
  }
  if (s.startStatus !== null && s.startStatus !== 'Accepted' && start !== null && startedWithoutReply(start)) {
    const how = [
      start.queuedOffline ? 'created offline' : '',
      start.queuedBehind > 0 ? `queued behind ${plural(start.queuedBehind, 'message')}` : '',
      start.interruptions + start.callerrors > 0 ? `first attempt failed` : '',
      start.endedAt === null ? '' : `answered ${seconds(start.endedAt - start.createdAt)} after it was created`,
    ].filter((x) => x !== '');
    out.push(sessionFinding('rejectedAfterTheFact', s, `StartTransaction ${s.startStatus} after the transaction began (${how.join(', ')})`));
  }
  return out;
}

function sessionDuplicates(s: SessionEntry): Finding[] {
  const out: Finding[] = [];
  if (s.transactionIds.length > 1) {
    const ids = [...s.transactionIds];
    out.push(sessionFinding('sessionGotTwoIds', s, `received transactionIds ${ids.join(' and ')}`, { transactionIds: ids }));
  }
  if (s.stopAcks > 1) {
    out.push(sessionFinding('stopAcceptedTwice', s, `StopTransaction accepted ${s.stopAcks} times`, { transactionId: s.stopTransactionId ?? sessionTransactionId(s) }));
  }
  return out;
}

/** One finding per session that received an id an earlier session (by first arrival) already had. */
function reusedIds(sessions: readonly SessionEntry[]): Finding[] {
  const ordered = sessions.filter((s) => s.firstIdAt !== null).sort((a, b) => (a.firstIdAt ?? 0) - (b.firstIdAt ?? 0));
  const firstHolder = new Map<number, SessionEntry>();
  const out: Finding[] = [];
  for (const s of ordered) {
    for (const id of s.transactionIds) {
      const holder = firstHolder.get(id);
      if (holder === undefined) firstHolder.set(id, s);
      else if (holder !== s) {
        out.push(sessionFinding('transactionIdReused', s, `transactionId ${id} was issued before to ${holder.stationId} session ${holder.sessionId}`, {
          transactionId: id,
          transactionIds: [id],
        }));
      }
    }
  }
  return out;
}

/** Every finding the station-side ledger alone supports. */
export function stationFindings(ledger: Ledger): Finding[] {
  const sessions = [...ledger.sessions()];
  const out: Finding[] = [];
  for (const s of sessions) out.push(...messageGaps(s), ...startFindings(s), ...sessionDuplicates(s));
  out.push(...reusedIds(sessions));
  return out;
}

/** Distinct transactionIds per station, ascending; stations sorted by name. */
export function transactionIdsByStation(ledger: Ledger): Record<string, number[]> {
  const byStation = new Map<string, Set<number>>();
  for (const s of ledger.sessions()) {
    if (s.transactionIds.length === 0) continue;
    let ids = byStation.get(s.stationId);
    if (ids === undefined) byStation.set(s.stationId, (ids = new Set()));
    for (const id of s.transactionIds) ids.add(id);
  }
  const out: Record<string, number[]> = {};
  const names = [...byStation.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  for (const name of names) out[name] = [...byStation.get(name)!].sort((a, b) => a - b);
  return out;
}

export function reconcile(ledger: Ledger, opts: ReconcileOptions): ReconcileResult {
  const findings = stationFindings(ledger);
  const csms = opts.csms ?? null;
  let csmsLedger: ReconciliationReport['csmsLedger'] = null;
  if (csms !== null) {
    const compared = compareWithCsms(ledger, csms.ledger.transactions, csms.identities);
    findings.push(...compared.findings);
    csmsLedger = { source: csms.ledger.source, transactions: compared.fleetRows };
  }
  const gaps = groupFindings(findings, GAP_KINDS, opts.maxItems);
  const dups = groupFindings(findings, DUPLICATE_KINDS, opts.maxItems);
  return {
    reconciliation: {
      gapCount: gaps.total,
      gaps: gaps.lists,
      gapCounts: gaps.counts,
      truncated: gaps.truncated,
      timeToReconcile: ledger.timeToReconcile.stats(),
      maxQueueDepth: ledger.queueDepth.max(),
      windows: faultWindows(ledger, opts.faults, opts.runStartMs),
      csmsLedger,
    },
    duplicates: { count: dups.total, items: dups.lists, counts: dups.counts, truncated: dups.truncated },
    transactionIds: transactionIdsByStation(ledger),
  };
}
