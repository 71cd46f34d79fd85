/**
 * The queue of transaction-related messages (StartTransaction, StopTransaction, MeterValues of a
 * transaction), OCPP 1.6 §3.7 and §4.8: one FIFO per station, delivered strictly in order with one
 * message in flight, kept while the station is offline.
 *
 * - CALLERROR is a processing failure: retry after TransactionMessageRetryInterval × n seconds (n = the
 *   failures so far), give up after TransactionMessageAttempts ('discarded').
 * - Timeout or lost connection is not: the message stays at the head and goes out again once the
 *   connection is usable (at once after a reconnect, or after RESEND_WAIT_MS if the socket stayed up).
 * - A CALLRESULT that comes after its StartTransaction timed out is reported as 'lateReply'.
 * Every step is reported to the observer as a TxMessageEvent.
 *
 * Latency is measured from when an attempt was due (see ocpp/connection.ts): the first attempt when
 * the message was produced (a periodic sample at its grid time), a retry when its wait ended (or the
 * reconnect that cut the wait short). A message cannot be due while the station is offline: an
 * attempt is due no earlier than the moment the station could deliver again (`readyAt`), so a
 * partition shows up as a queue, not as CSMS latency; waiting behind the queue once online counts.
 */
import { CallFailure } from '../ocpp/connection.js';
import { DISCONNECTED, TIMEOUT, type TxAction, type TxMessageEvent } from '../metrics/types.js';
import type { Timer } from '../util/clock.js';
import { isOnline, type Session, type StationContext } from './context.js';
import { wakeTx } from './session-signals.js';
import { onTxSettled } from './tx-outcome.js';

/** Simulated ms before an unanswered message goes out again over a socket that stayed up (black hole). */
const RESEND_WAIT_MS = 10_000;
/** Timed-out StartTransactions a station remembers, to recognise their late replies. */
const MAX_LATE = 8;

/** A transaction message's payload; `transactionId` is -1 until the StartTransaction reply came. */
export type TxPayload = Record<string, unknown> & { transactionId?: number };

export interface TxEntry {
  /** Per-station message number (TxMessageEvent.seq). */
  readonly seq: number;
  readonly action: TxAction;
  readonly session: Session;
  readonly payload: TxPayload;
  /** Simulated epoch ms the charger produced the message. */
  readonly createdAt: number;
  /** Simulated epoch ms the next attempt is due (createdAt, or the end of a retry wait). */
  dueAt: number;
  /** Attempts answered with CALLERROR. */
  callErrors: number;
  /** Times the message went on the wire. */
  sends: number;
}

export interface TxQueue {
  /** Oldest first; entries[0] is the head (in flight, waiting, or next). */
  readonly entries: TxEntry[];
  inFlight: TxEntry | null;
  /** 'retry': the wait after a CALLERROR; 'resend': after a timeout or lost connection (a reconnect cuts it short). */
  waiting: 'retry' | 'resend' | null;
  timer: Timer | undefined;
  nextSeq: number;
  /** Simulated epoch ms the station last became able to deliver (boot accepted or reconnected). */
  readyAt: number;
  /** Message id of a timed-out StartTransaction → its entry; created on first use. */
  late: Map<string, TxEntry> | null;
  drainWaiters: (() => void)[] | null;
  closed: boolean;
}

type EventExtra = Partial<Pick<TxMessageEvent, 'transactionId' | 'errorCode' | 'idTagStatus'>>;

export function createTxQueue(): TxQueue {
  return {
    entries: [],
    inFlight: null,
    waiting: null,
    timer: undefined,
    nextSeq: 0,
    readyAt: 0,
    late: null,
    drainWaiters: null,
    closed: false,
  };
}

/**
 * Appends a message (after every older one) and sends it if it is the head and the station is online.
 * `createdAt`: the simulated time the charger produced it (its timestamp / meter reading); `dueAt`: when
 * it was due to be produced (a sampling tick's grid time; default createdAt).
 */
export function enqueueTx(
  ctx: StationContext,
  s: Session,
  action: TxAction,
  payload: TxPayload,
  createdAt = ctx.clock.now(),
  dueAt = createdAt,
): TxEntry {
  const q = ctx.txq;
  const e: TxEntry = { seq: ++q.nextSeq, action, session: s, payload, createdAt, dueAt, callErrors: 0, sends: 0 };
  q.entries.push(e);
  emit(ctx, e, 'queued');
  pump(ctx);
  return e;
}

export function isInFlight(ctx: StationContext, e: TxEntry): boolean {
  return ctx.txq.inFlight === e;
}

/** The connection is usable again (reconnected, or booted): deliver now, cutting a resend wait short. */
export function resumeTx(ctx: StationContext): void {
  const q = ctx.txq;
  const now = ctx.clock.now();
  q.readyAt = now;
  if (q.waiting === 'resend') {
    cancelWait(ctx);
    if (q.entries.length > 0) q.entries[0].dueAt = now;
  }
  pump(ctx);
}

/** Resolves once the queue is empty (or closed). */
export function txDrained(ctx: StationContext): Promise<void> {
  const q = ctx.txq;
  if (q.closed || q.entries.length === 0) return Promise.resolve();
  return new Promise<void>((resolve) => (q.drainWaiters ??= []).push(resolve));
}

/** Forgets every queued message ('lost'), as a charger without persistent storage does in a reboot. */
export function dropTx(ctx: StationContext): void {
  const q = ctx.txq;
  cancelWait(ctx);
  while (q.entries.length > 0) {
    const e = q.entries.shift() as TxEntry;
    emit(ctx, e, 'lost');
    settle(ctx, e, { kind: 'lost' });
  }
}

/** The station closes: nothing more is sent; what is still queued stays queued. Wakes every waiter. */
export function closeTx(ctx: StationContext): void {
  const q = ctx.txq;
  q.closed = true;
  cancelWait(ctx);
  for (const s of ctx.sessions) wakeTx(s);
  notifyDrained(q);
}

/** A CALLRESULT arrived for message `msgId` after its call had failed. */
export function onLateReply(ctx: StationContext, msgId: string, result: unknown): void {
  const e = ctx.txq.late?.get(msgId);
  if (!e) return;
  ctx.txq.late?.delete(msgId);
  const id = (result as { transactionId?: unknown } | null)?.transactionId;
  emit(ctx, e, 'lateReply', { transactionId: typeof id === 'number' ? id : null });
}

function pump(ctx: StationContext): void {
  const q = ctx.txq;
  if (q.closed || q.inFlight !== null || q.waiting !== null || q.entries.length === 0 || !isOnline(ctx)) return;
  void send(ctx, q.entries[0]);
}

async function send(ctx: StationContext, e: TxEntry): Promise<void> {
  const q = ctx.txq;
  q.inFlight = e;
  e.sends++;
  emit(ctx, e, 'sent');
  let reply: unknown;
  let failure: CallFailure | null = null;
  try {
    reply = await ctx.conn.call(e.action, e.payload, Math.max(e.dueAt, q.readyAt), e.sends > 1);
  } catch (err) {
    failure = err instanceof CallFailure ? err : new CallFailure(e.action, DISCONNECTED);
  }
  q.inFlight = null;
  if (q.closed) return;
  // A message dropped meanwhile (reboot without persistent queue) has no say any more.
  if (q.entries[0] === e) {
    if (failure === null) acked(ctx, e, reply);
    else if (failure.code === TIMEOUT || failure.code === DISCONNECTED) unanswered(ctx, e, failure);
    else callErrored(ctx, e, failure.code);
  }
  pump(ctx);
}

function acked(ctx: StationContext, e: TxEntry, reply: unknown): void {
  ctx.txq.entries.shift();
  const conf = (reply ?? {}) as { transactionId?: number; idTagInfo?: { status?: string } };
  const extra: EventExtra = {};
  if (e.action === 'StartTransaction') extra.transactionId = conf.transactionId ?? null;
  if (e.action !== 'MeterValues' && conf.idTagInfo?.status !== undefined) extra.idTagStatus = conf.idTagInfo.status;
  emit(ctx, e, 'acked', extra);
  settle(ctx, e, { kind: 'acked', reply });
}

function unanswered(ctx: StationContext, e: TxEntry, failure: CallFailure): void {
  const timedOut = failure.code === TIMEOUT;
  emit(ctx, e, timedOut ? 'timeout' : 'disconnected');
  if (timedOut && e.action === 'StartTransaction' && failure.msgId !== null) rememberLate(ctx.txq, failure.msgId, e);
  wakeTx(e.session);
  wait(ctx, 'resend', RESEND_WAIT_MS);
}

function callErrored(ctx: StationContext, e: TxEntry, code: string): void {
  e.callErrors++;
  emit(ctx, e, 'callerror', { errorCode: code });
  const attempts = Math.max(1, ctx.config.getInt('TransactionMessageAttempts'));
  if (e.callErrors >= attempts) {
    ctx.txq.entries.shift();
    emit(ctx, e, 'discarded', { errorCode: code });
    settle(ctx, e, { kind: 'discarded', errorCode: code, attempts: e.callErrors });
    return;
  }
  wakeTx(e.session);
  wait(ctx, 'retry', ctx.config.getInt('TransactionMessageRetryInterval') * 1000 * e.callErrors);
}

function settle(ctx: StationContext, e: TxEntry, how: Parameters<typeof onTxSettled>[2]): void {
  onTxSettled(ctx, e, how);
  wakeTx(e.session);
  if (ctx.txq.entries.length === 0) notifyDrained(ctx.txq);
}

/** Waits before the head's next attempt, which is due when the wait ends. */
function wait(ctx: StationContext, kind: 'retry' | 'resend', simMs: number): void {
  const q = ctx.txq;
  q.waiting = kind;
  if (q.entries.length > 0) q.entries[0].dueAt = ctx.clock.now() + simMs;
  q.timer = ctx.timers.after(simMs, () => {
    q.timer = undefined;
    q.waiting = null;
    pump(ctx);
  });
}

function cancelWait(ctx: StationContext): void {
  ctx.timers.cancel(ctx.txq.timer);
  ctx.txq.timer = undefined;
  ctx.txq.waiting = null;
}

function rememberLate(q: TxQueue, msgId: string, e: TxEntry): void {
  const late = (q.late ??= new Map());
  if (late.size >= MAX_LATE) late.delete(late.keys().next().value as string);
  late.set(msgId, e);
}

function notifyDrained(q: TxQueue): void {
  const waiters = q.drainWaiters;
  q.drainWaiters = null;
  if (waiters) for (const resolve of waiters) resolve();
}

function emit(ctx: StationContext, e: TxEntry, kind: TxMessageEvent['kind'], extra: EventExtra = {}): void {
  const event: TxMessageEvent = {
    kind,
    stationId: ctx.identity,
    connectorId: e.session.connector.id,
    sessionId: e.session.record.sessionId,
    action: e.action,
    seq: e.seq,
    createdAt: e.createdAt,
    at: ctx.clock.now(),
    transactionId: extra.transactionId !== undefined ? extra.transactionId : carriedId(e),
    queueDepth: ctx.txq.entries.length,
  };
  if (extra.errorCode !== undefined) event.errorCode = extra.errorCode;
  if (extra.idTagStatus !== undefined) event.idTagStatus = extra.idTagStatus;
  ctx.observer.txMessage(event);
}

/** The transactionId the message carried on the wire; null for StartTransaction or before sending. */
function carriedId(e: TxEntry): number | null {
  if (e.action === 'StartTransaction' || e.sends === 0) return null;
  return e.payload.transactionId ?? null;
}
