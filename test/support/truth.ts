/**
 * What the misbehaving CSMS really received, stored and did. Tests compare ev-sim's findings with this.
 * The arrays are live: they grow while the CSMS runs.
 */
import type { ReplyFate } from './fault-plan.js';

export type TagStatus = 'Accepted' | 'Invalid';
export type Answer = 'result' | 'callError';

export type FaultKind =
  | 'reusedTransactionId'
  | 'delayedStartReply'
  | 'droppedStartReply'
  | 'meterValuesError'
  | 'stopError'
  | 'stopStoredTwice'
  | 'connectionDropped'
  | 'rejectedOnStart'
  | 'bootPending';

/** One stored transaction; the row shape GET /transactions serves. */
export interface LedgerRow {
  transactionId: number;
  chargePointId: string;
  connectorId: number;
  idTag: string;
  meterStart: number;
  meterStop: number | null;
  startTimestamp: string;
  stopTimestamp: string | null;
  stopReason: string | null;
  status: TagStatus;
}

export interface StartReceived {
  /** 1-based across the CSMS. */
  count: number;
  identity: string;
  connectorId: number;
  idTag: string;
  meterStart: number;
  timestamp: string;
  transactionId: number;
  idTagStatus: TagStatus;
  reply: ReplyFate;
  /** Delayed replies only: true once the late reply was handed to the socket (false if the connection closed first). */
  lateReplySent: boolean;
}

export interface StopReceived {
  count: number;
  identity: string;
  transactionId: number;
  meterStop: number;
  timestamp: string;
  reason: string | null;
  /** A transaction with this id was stored. */
  knownTransaction: boolean;
  answer: Answer;
  /** Ledger rows this stop closed or added: 0 (CALLERROR, unknown id or already stopped), 1, or 2 (stored twice). */
  stored: 0 | 1 | 2;
}

export interface MeterValuesReceived {
  count: number;
  identity: string;
  connectorId: number;
  transactionId: number | null;
  knownTransaction: boolean;
  answer: Answer;
}

export interface BootReceived {
  identity: string;
  /** 1-based per station. */
  number: number;
  status: 'Accepted' | 'Pending';
}

export interface AuthorizeReceived {
  identity: string;
  idTag: string;
  status: TagStatus;
}

export interface ConnectionDrop {
  identity: string;
  afterMessages: number;
}

export interface Truth {
  /** CALLs received per action (after strict-mode validation). */
  calls: Record<string, number>;
  boots: BootReceived[];
  authorizes: AuthorizeReceived[];
  starts: StartReceived[];
  /** Every row the CSMS stored, in the order stored (what GET /transactions returns). */
  transactions: LedgerRow[];
  stops: StopReceived[];
  meterValues: MeterValuesReceived[];
  meterValuesErrored: number;
  faults: Record<FaultKind, number>;
  connectionsDropped: ConnectionDrop[];
}

export function emptyTruth(): Truth {
  return {
    calls: {},
    boots: [],
    authorizes: [],
    starts: [],
    transactions: [],
    stops: [],
    meterValues: [],
    meterValuesErrored: 0,
    faults: {
      reusedTransactionId: 0,
      delayedStartReply: 0,
      droppedStartReply: 0,
      meterValuesError: 0,
      stopError: 0,
      stopStoredTwice: 0,
      connectionDropped: 0,
      rejectedOnStart: 0,
      bootPending: 0,
    },
    connectionsDropped: [],
  };
}

export interface StopInput {
  transactionId: number;
  meterStop: number;
  timestamp: string;
  reason?: string;
}

/**
 * Stores a stop: closes the oldest open row with the id, then (copies 2) appends a second closed copy
 * of it. A stop for an unknown id or for rows that are all closed stores nothing (a lenient CSMS).
 * Returns the number of rows written.
 */
export function storeStop(truth: Truth, req: StopInput, copies: 1 | 2): 0 | 1 | 2 {
  const row = truth.transactions.find((r) => r.transactionId === req.transactionId && r.meterStop === null);
  if (!row) return 0;
  row.meterStop = req.meterStop;
  row.stopTimestamp = req.timestamp;
  row.stopReason = req.reason ?? 'Local';
  if (copies === 1) return 1;
  truth.transactions.push({ ...row });
  return 2;
}

export function isKnownTransaction(truth: Truth, transactionId: number | undefined): boolean {
  return transactionId !== undefined && truth.transactions.some((r) => r.transactionId === transactionId);
}
