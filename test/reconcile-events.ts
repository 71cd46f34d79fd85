/**
 * Test helper for the reconcile tests: plays one station's transaction messages into a ledger the way
 * the station reports them (TxMessageEvents with a running queue depth), and its SessionRecords.
 */
import type { SessionRecord, TxAction, TxMessageEvent } from '../src/metrics/types.js';
import type { Ledger } from '../src/reconcile/ledger.js';

export interface Msg {
  action: TxAction;
  seq: number;
  sessionId: string;
  connectorId: number;
  createdAt: number;
}

type Extra = Partial<Pick<TxMessageEvent, 'transactionId' | 'errorCode' | 'idTagStatus'>>;

export function stationScript(ledger: Ledger, stationId: string) {
  let seq = 0;
  let depth = 0;
  const emit = (kind: TxMessageEvent['kind'], m: Msg, at: number, extra: Extra = {}) =>
    ledger.txMessage({
      kind, stationId, connectorId: m.connectorId, sessionId: m.sessionId, action: m.action, seq: m.seq,
      createdAt: m.createdAt, at, transactionId: null, queueDepth: depth, ...extra,
    });
  return {
    get depth() {
      return depth;
    },
    queue(action: TxAction, sessionId: string, at: number): Msg {
      depth++;
      const m = { action, seq: ++seq, sessionId, connectorId: Number(sessionId.split('/')[0]), createdAt: at };
      emit('queued', m, at);
      return m;
    },
    sent: (m: Msg, at: number, transactionId: number | null = null) => emit('sent', m, at, { transactionId }),
    timeout: (m: Msg, at: number) => emit('timeout', m, at),
    disconnected: (m: Msg, at: number) => emit('disconnected', m, at),
    callerror: (m: Msg, at: number, errorCode = 'InternalError') => emit('callerror', m, at, { errorCode }),
    lateReply: (m: Msg, at: number, transactionId: number | null) => emit('lateReply', m, at, { transactionId }),
    /** Acknowledged: a StartTransaction gets `transactionId` (and a status), others carried it. */
    acked(m: Msg, at: number, extra: Extra = {}) {
      depth--;
      emit('acked', m, at, extra);
    },
    /** A second acknowledgement of a message that already left the queue. */
    ackedAgain: (m: Msg, at: number, extra: Extra = {}) => emit('acked', m, at, extra),
    discarded(m: Msg, at: number) {
      depth--;
      emit('discarded', m, at);
    },
    lost(m: Msg, at: number) {
      depth--;
      emit('lost', m, at);
    },
    /** Start → MeterValues → Stop, every one sent at once and acknowledged. */
    cleanSession(sessionId: string, at: number, transactionId: number) {
      const start = this.queue('StartTransaction', sessionId, at);
      this.sent(start, at + 1);
      this.acked(start, at + 50, { transactionId, idTagStatus: 'Accepted' });
      const mv = this.queue('MeterValues', sessionId, at + 60_000);
      this.sent(mv, at + 60_001, transactionId);
      this.acked(mv, at + 60_040, { transactionId });
      const stop = this.queue('StopTransaction', sessionId, at + 120_000);
      this.sent(stop, at + 120_001, transactionId);
      this.acked(stop, at + 120_030, { transactionId, idTagStatus: 'Accepted' });
    },
  };
}

export function sessionRecord(stationId: string, sessionId: string, over: Partial<SessionRecord> = {}): SessionRecord {
  return {
    stationId, connectorId: Number(sessionId.split('/')[0]), sessionId, idTag: 'TAG-1', origin: 'arrival',
    vehicle: null, transactionId: null, pluggedAt: 0, startedAt: 0, stoppedAt: 120_000, unpluggedAt: 130_000,
    meterStartWh: 1_000, meterStopWh: 2_000, energyWh: 1_000, chargingMs: 120_000, socStart: 0.2, socEnd: 0.3,
    stopReason: 'Local', outcome: 'completed', detail: null, ...over,
  };
}
