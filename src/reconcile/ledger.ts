/**
 * The station-side ledger: the ground truth of every session's transaction messages, fed by the same
 * observer calls as the metrics (`txMessage`, `session`). It keeps one small entry per session and one
 * per message only while the message is pending or once it ended badly (discarded, lost); a message
 * acknowledged cleanly leaves nothing behind but a counter and its time to reconcile.
 */
import type { FleetObserver, SessionRecord, TxAction, TxMessageEvent } from '../metrics/types.js';
import { createQueueDepthTracker, type QueueDepthTracker } from './queue-depth.js';
import { createReconcileTimes, type ReconcileTimes } from './reconcile-times.js';

/** Where a message stands: `queued` = not yet finished (the station still holds it). */
export type MessageState = 'queued' | 'acked' | 'discarded' | 'lost';

export interface MessageEntry {
  readonly action: TxAction;
  readonly seq: number;
  readonly createdAt: number;
  state: MessageState;
  /** Simulated epoch ms it was acknowledged, discarded or lost. */
  endedAt: number | null;
  /** Times it was sent. */
  attempts: number;
  /** Attempts answered with a CALLERROR, and the last code. */
  callerrors: number;
  lastError: string | null;
  /** Attempts that timed out or lost the connection. */
  interruptions: number;
  /** Messages queued ahead of it when it was created. */
  queuedBehind: number;
  /** The station was offline (not connected with an Accepted boot) when the message was created. */
  queuedOffline: boolean;
  /** The transactionId it carried when last sent (-1 = placeholder); null before sending. */
  transactionId: number | null;
}

/** What the station's SessionRecord says, once the session ended. */
export type SessionFacts = Pick<
  SessionRecord,
  'idTag' | 'outcome' | 'transactionId' | 'meterStartWh' | 'meterStopWh' | 'energyWh' | 'startedAt' | 'stoppedAt'
>;

export interface SessionEntry {
  readonly stationId: string;
  readonly connectorId: number;
  readonly sessionId: string;
  /** null until the station reports the session ended. */
  facts: SessionFacts | null;
  /** The session's first StartTransaction (kept after it is acknowledged); null if none was queued. */
  start: MessageEntry | null;
  /** StartTransaction messages queued for the session. */
  startMessages: number;
  /** StartTransaction acknowledgements received. */
  startAcks: number;
  /** Distinct transactionIds the CSMS issued to the session (acknowledgements and late replies), in order. */
  transactionIds: number[];
  /** Simulated epoch ms the first transactionId arrived. */
  firstIdAt: number | null;
  /** idTagInfo.status of the first acknowledged StartTransaction. */
  startStatus: string | null;
  /** StopTransaction acknowledgements (and late replies) received. */
  stopAcks: number;
  /** The transactionId the acknowledged StopTransaction carried. */
  stopTransactionId: number | null;
  /** Messages acknowledged (first acknowledgement of each). */
  acked: number;
  /** Messages not yet finished, by seq. */
  pending: Map<number, MessageEntry> | null;
  /** Messages that ended discarded or lost. */
  ended: MessageEntry[] | null;
}

/**
 * A FleetObserver: the run fans every observer call out to the metrics and the ledger. The ledger uses
 * `txMessage`, `session` and `connection` (to know whether a message was created offline).
 */
export interface Ledger extends FleetObserver {
  /** Every session that queued a transaction message or got a transactionId, station by station. */
  sessions(): IterableIterator<SessionEntry>;
  readonly queueDepth: Pick<QueueDepthTracker, 'max' | 'maxBetween'>;
  readonly timeToReconcile: Pick<ReconcileTimes, 'stats' | 'statsDuring'>;
}

const isIssuedId = (id: number | null | undefined): id is number => typeof id === 'number' && Number.isFinite(id) && id !== -1;

function newSession(stationId: string, connectorId: number, sessionId: string): SessionEntry {
  return {
    stationId, connectorId, sessionId, facts: null, start: null, startMessages: 0, startAcks: 0,
    transactionIds: [], firstIdAt: null, startStatus: null, stopAcks: 0, stopTransactionId: null,
    acked: 0, pending: null, ended: null,
  };
}

function newMessage(e: TxMessageEvent): MessageEntry {
  return {
    action: e.action, seq: e.seq, createdAt: e.createdAt, state: 'queued', endedAt: null, attempts: 0,
    callerrors: 0, lastError: null, interruptions: 0, queuedBehind: 0, queuedOffline: false, transactionId: null,
  };
}

function addId(s: SessionEntry, id: number | null, at: number): void {
  if (!isIssuedId(id)) return;
  if (!s.transactionIds.includes(id)) s.transactionIds.push(id);
  s.firstIdAt ??= at;
}

/** A reply that ends the message (the first acknowledgement) or arrives after all (a late reply). */
function onReply(s: SessionEntry, e: TxMessageEvent, first: boolean): void {
  if (e.action === 'StartTransaction') {
    addId(s, e.transactionId, e.at);
    if (e.kind === 'acked') {
      s.startAcks++;
      s.startStatus ??= e.idTagStatus ?? null;
    }
  } else if (e.action === 'StopTransaction') {
    s.stopAcks++;
    if (first || s.stopTransactionId === null) s.stopTransactionId = e.transactionId;
  }
}

export function createLedger(): Ledger {
  const stations = new Map<string, Map<string, SessionEntry>>();
  const depth = createQueueDepthTracker();
  /** Stations known to be offline: their last connection state was not 'accepted'. */
  const offline = new Set<string>();
  const times = createReconcileTimes();

  function sessionOf(stationId: string, connectorId: number, sessionId: string): SessionEntry {
    let bySession = stations.get(stationId);
    if (bySession === undefined) stations.set(stationId, (bySession = new Map()));
    let s = bySession.get(sessionId);
    if (s === undefined) bySession.set(sessionId, (s = newSession(stationId, connectorId, sessionId)));
    return s;
  }

  function messageOf(s: SessionEntry, e: TxMessageEvent): MessageEntry {
    s.pending ??= new Map();
    let m = s.pending.get(e.seq);
    if (m === undefined) {
      s.pending.set(e.seq, (m = newMessage(e)));
      if (e.action === 'StartTransaction') {
        s.startMessages++;
        s.start ??= m;
      }
    }
    return m;
  }

  function finish(s: SessionEntry, m: MessageEntry, state: MessageState, at: number): void {
    s.pending?.delete(m.seq);
    if (s.pending?.size === 0) s.pending = null;
    m.state = state;
    m.endedAt = at;
    if (state === 'acked') {
      s.acked++;
      times.record(m.createdAt, at);
    } else {
      (s.ended ??= []).push(m);
    }
  }

  function onEvent(s: SessionEntry, e: TxMessageEvent): void {
    const known = s.pending?.get(e.seq);
    // A reply to a message that is not pending (every message is queued first, so it has finished
    // already): a second acknowledgement or a late reply. Only its transactionId or acceptance counts.
    if (known === undefined && (e.kind === 'acked' || e.kind === 'lateReply')) {
      if (e.errorCode === undefined) onReply(s, e, false);
      return;
    }
    const m = known ?? messageOf(s, e);
    switch (e.kind) {
      case 'queued':
        m.queuedBehind = Math.max(0, e.queueDepth - 1);
        m.queuedOffline = offline.has(e.stationId);
        return;
      case 'sent':
        m.attempts++;
        m.transactionId = e.transactionId;
        return;
      case 'callerror':
        m.callerrors++;
        m.lastError = e.errorCode ?? 'CALLERROR';
        return;
      case 'timeout':
      case 'disconnected':
        m.interruptions++;
        return;
      case 'lateReply':
        if (e.errorCode === undefined) onReply(s, e, false);
        return;
      case 'acked':
        onReply(s, e, true);
        return finish(s, m, 'acked', e.at);
      case 'discarded':
      case 'lost':
        return finish(s, m, e.kind, e.at);
    }
  }

  return {
    txMessage(e) {
      depth.update(e.stationId, e.at, e.queueDepth);
      onEvent(sessionOf(e.stationId, e.connectorId, e.sessionId), e);
    },
    session(r) {
      const known = stations.get(r.stationId)?.get(r.sessionId);
      if (known === undefined && r.transactionId === null) return; // nothing to reconcile
      const s = known ?? sessionOf(r.stationId, r.connectorId, r.sessionId);
      const { idTag, outcome, transactionId, meterStartWh, meterStopWh, energyWh, startedAt, stoppedAt } = r;
      s.facts = { idTag, outcome, transactionId, meterStartWh, meterStopWh, energyWh, startedAt, stoppedAt };
    },
    connection(stationId, state) {
      if (state === 'accepted') offline.delete(stationId);
      else offline.add(stationId);
    },
    call: () => undefined,
    sessionPlugged: () => undefined,
    *sessions() {
      for (const bySession of stations.values()) yield* bySession.values();
    },
    queueDepth: depth,
    timeToReconcile: times,
  };
}
