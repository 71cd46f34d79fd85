/**
 * The OCPP 1.6J actions the misbehaving CSMS answers. Each handler records what arrived in the truth,
 * asks the fault plan whether to misbehave, and returns the reply (or NOREPLY, or throws a CALLERROR).
 * Strict mode has validated every request against the OCA schema before a handler runs.
 */
import ocppRpc from 'ocpp-rpc';
import type { FaultPlan } from './fault-plan.js';
import {
  isKnownTransaction,
  storeStop,
  type StartReceived,
  type StopInput,
  type TagStatus,
  type Truth,
} from './truth.js';

const { NOREPLY, createRPCError } = ocppRpc;

/** Symbol that tells ocpp-rpc to send no reply at all. */
export type NoReply = typeof NOREPLY;

/** Mutable state shared by all connections of one misbehaving CSMS instance. */
export interface CsmsState {
  readonly plan: FaultPlan;
  readonly truth: Truth;
  nextTransactionId: number;
  starts: number;
  stops: number;
  meterValues: number;
  /** BootNotifications per station identity. */
  readonly boots: Map<string, number>;
}

export function createState(plan: FaultPlan, truth: Truth): CsmsState {
  return { plan, truth, nextTransactionId: 1, starts: 0, stops: 0, meterValues: 0, boots: new Map() };
}

export interface Call {
  identity: string;
  params: Record<string, unknown>;
  /** Aborted by ocpp-rpc when the connection goes away. */
  signal: AbortSignal;
}

export type Reply = object | NoReply;
export type ActionHandler = (state: CsmsState, call: Call) => Reply | Promise<Reply>;

interface StartReq {
  connectorId: number;
  idTag: string;
  meterStart: number;
  timestamp: string;
}

interface MeterValuesReq {
  connectorId: number;
  transactionId?: number;
}

const BOOT_ACCEPTED_INTERVAL_S = 60;
const BOOT_PENDING_INTERVAL_S = 1;

function injectedFailure(what: string): Error {
  return createRPCError('InternalError', `misbehaving CSMS: injected failure (${what})`) as unknown as Error;
}

function bootNotification(state: CsmsState, call: Call): Reply {
  const number = (state.boots.get(call.identity) ?? 0) + 1;
  state.boots.set(call.identity, number);
  const pending = state.plan.bootIsPending(number);
  if (pending) state.truth.faults.bootPending++;
  const status = pending ? 'Pending' : 'Accepted';
  state.truth.boots.push({ identity: call.identity, number, status });
  const interval = pending ? BOOT_PENDING_INTERVAL_S : BOOT_ACCEPTED_INTERVAL_S;
  return { status, currentTime: new Date().toISOString(), interval };
}

function tagStatus(state: CsmsState, idTag: string): TagStatus {
  return state.plan.authorizes(idTag) ? 'Accepted' : 'Invalid';
}

function authorize(state: CsmsState, call: Call): Reply {
  const idTag = call.params.idTag as string;
  const status = tagStatus(state, idTag);
  state.truth.authorizes.push({ identity: call.identity, idTag, status });
  return { idTagInfo: { status } };
}

function issueTransactionId(state: CsmsState, count: number): number {
  if (state.plan.reusesTransactionId(count)) {
    const source = state.truth.starts.find((s) => s.count === state.plan.reuseSource());
    if (source) {
      state.truth.faults.reusedTransactionId++;
      return source.transactionId;
    }
  }
  return state.nextTransactionId++;
}

function startStatus(state: CsmsState, idTag: string): TagStatus {
  if (state.plan.rejectsOnStart(idTag)) {
    state.truth.faults.rejectedOnStart++;
    return 'Invalid';
  }
  return tagStatus(state, idTag);
}

/** Resolves to `value` after `ms`, or to NOREPLY at once if the connection goes away first. */
function holdReply(ms: number, signal: AbortSignal, value: object, onSent: () => void): Promise<Reply> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(NOREPLY);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(NOREPLY);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      onSent();
      resolve(value);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function recordStart(state: CsmsState, call: Call, req: StartReq, count: number): StartReceived {
  const transactionId = issueTransactionId(state, count);
  const idTagStatus = startStatus(state, req.idTag);
  const reply = state.plan.startReplyFate(count);
  const { connectorId, idTag, meterStart, timestamp } = req;
  const start: StartReceived = {
    count, identity: call.identity, connectorId, idTag, meterStart, timestamp,
    transactionId, idTagStatus, reply, lateReplySent: false,
  };
  state.truth.starts.push(start);
  state.truth.transactions.push({
    transactionId, chargePointId: call.identity, connectorId, idTag, meterStart,
    meterStop: null, startTimestamp: timestamp, stopTimestamp: null, stopReason: null, status: idTagStatus,
  });
  return start;
}

function startTransaction(state: CsmsState, call: Call): Reply | Promise<Reply> {
  const start = recordStart(state, call, call.params as unknown as StartReq, ++state.starts);
  const answer = { transactionId: start.transactionId, idTagInfo: { status: start.idTagStatus } };
  if (start.reply === 'dropped') {
    state.truth.faults.droppedStartReply++;
    return NOREPLY;
  }
  if (start.reply === 'delayed') {
    state.truth.faults.delayedStartReply++;
    return holdReply(state.plan.holdMs, call.signal, answer, () => (start.lateReplySent = true));
  }
  return answer;
}

function meterValues(state: CsmsState, call: Call): Reply {
  const req = call.params as unknown as MeterValuesReq;
  const count = ++state.meterValues;
  const fails = state.plan.meterValuesFails(count);
  state.truth.meterValues.push({
    count,
    identity: call.identity,
    connectorId: req.connectorId,
    transactionId: req.transactionId ?? null,
    knownTransaction: isKnownTransaction(state.truth, req.transactionId),
    answer: fails ? 'callError' : 'result',
  });
  if (!fails) return {};
  state.truth.meterValuesErrored++;
  state.truth.faults.meterValuesError++;
  throw injectedFailure(`MeterValues #${count}`);
}

function stopTransaction(state: CsmsState, call: Call): Reply {
  const req = call.params as unknown as StopInput & { idTag?: string };
  const count = ++state.stops;
  const fails = state.plan.stopFails(count);
  const knownTransaction = isKnownTransaction(state.truth, req.transactionId);
  const stored = fails ? 0 : storeStop(state.truth, req, state.plan.stopCopies(count));
  if (stored === 2) state.truth.faults.stopStoredTwice++;
  const { transactionId, meterStop, timestamp } = req;
  state.truth.stops.push({
    count, identity: call.identity, transactionId, meterStop, timestamp, reason: req.reason ?? null,
    knownTransaction, answer: fails ? 'callError' : 'result', stored,
  });
  if (fails) {
    state.truth.faults.stopError++;
    throw injectedFailure(`StopTransaction #${count}`);
  }
  return req.idTag === undefined ? {} : { idTagInfo: { status: tagStatus(state, req.idTag) } };
}

const empty: ActionHandler = () => ({});

/** Every action a 1.6J charge point may send. */
export const HANDLERS: Record<string, ActionHandler> = {
  Authorize: authorize,
  BootNotification: bootNotification,
  DataTransfer: () => ({ status: 'UnknownVendorId' }),
  DiagnosticsStatusNotification: empty,
  FirmwareStatusNotification: empty,
  Heartbeat: () => ({ currentTime: new Date().toISOString() }),
  MeterValues: meterValues,
  StartTransaction: startTransaction,
  StatusNotification: empty,
  StopTransaction: stopTransaction,
};
