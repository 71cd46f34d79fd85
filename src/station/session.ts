/**
 * One charging session on one connector, from plug-in to unplug:
 * Preparing → Authorize → StartTransaction → Charging (+ MeterValues, state changes) →
 * StopTransaction → Finishing → unplug → Available. Emits exactly one SessionRecord.
 */
import type { SessionRecord } from '../metrics/types.js';
import {
  authorize,
  meterValue,
  startTransaction,
  stopTransaction,
  type AuthorizeConf,
  type MeterValue,
  type StartTransactionConf,
  type StopReason,
} from '../ocpp/payloads.js';
import { toSampledValues, wholeRegisterWh } from '../meter/sampling.js';
import type { Measurand, MeterReading, PluggedVehicle, ReadingContext } from '../meter/types.js';
import type { Connector, Session, StationContext } from './context.js';
import { idleStatus, notifyStatus, statusForCharge } from './connector.js';
import { armTick } from './sampler.js';
import { failureDetail, requestStop } from './session-control.js';

export interface SessionPlan {
  plugDurationMs: number;
  idTag: string;
  vehicle: PluggedVehicle;
}

/**
 * Reserves the connector and runs the session. With `afterReply` the first step waits for a zero-delay
 * timer, so the reply to the CALL that asked for the session goes out first.
 */
export function beginSession(
  ctx: StationContext,
  c: Connector,
  plan: SessionPlan,
  origin: SessionRecord['origin'],
  afterReply = false,
): Session {
  let settle!: () => void;
  const done = new Promise<void>((resolve) => (settle = resolve));
  const s: Session = {
    connector: c,
    record: newRecord(ctx, c.id, plan, origin),
    phase: 'starting',
    transactionId: null,
    stopReason: null,
    aborted: false,
    failure: null,
    rejection: null,
    wake: null,
    plugTimer: undefined,
    tickTimer: undefined,
    beginValue: null,
    powerCut: false,
    plugged: false,
    flowBaseMs: 0,
    stopConfirmed: false,
    done,
    settle,
  };
  c.session = s;
  void runSession(ctx, s, plan, afterReply);
  return s;
}

/** The record of a planned arrival that never began (busy connector, station not accepted, …). */
export function skippedRecord(
  ctx: StationContext,
  plan: SessionPlan & { connectorId: number },
  detail: string,
): SessionRecord {
  const r = newRecord(ctx, plan.connectorId, plan, 'arrival');
  r.unpluggedAt = r.pluggedAt;
  r.detail = detail;
  return r;
}

function newRecord(
  ctx: StationContext,
  connectorId: number,
  plan: SessionPlan,
  origin: SessionRecord['origin'],
): SessionRecord {
  return {
    stationId: ctx.identity,
    connectorId,
    idTag: plan.idTag,
    origin,
    vehicle: plan.vehicle.profile.name,
    transactionId: null,
    pluggedAt: ctx.clock.now(),
    startedAt: null,
    stoppedAt: null,
    unpluggedAt: null,
    meterStartWh: null,
    meterStopWh: null,
    energyWh: 0,
    chargingMs: 0,
    socStart: plan.vehicle.socStart,
    socEnd: null,
    stopReason: null,
    outcome: 'failed',
    detail: null,
  };
}

async function runSession(ctx: StationContext, s: Session, plan: SessionPlan, afterReply: boolean): Promise<void> {
  try {
    if (afterReply && !(await ctx.timers.sleep(0))) {
      s.aborted = true;
      s.failure ??= 'station closed';
      return;
    }
    plugIn(ctx, s, plan);
    if ((await prepare(ctx, s)) && (await begin(ctx, s))) await charge(ctx, s);
    if (s.transactionId !== null && !s.aborted) await stop(ctx, s, s.stopReason ?? 'Other');
  } catch (err) {
    s.failure ??= failureDetail(err);
    if (s.transactionId !== null && s.record.stoppedAt === null && !s.aborted) {
      await stop(ctx, s, s.stopReason ?? 'Other').catch(() => undefined);
    }
  } finally {
    await finish(ctx, s);
  }
}

function plugIn(ctx: StationContext, s: Session, plan: SessionPlan): void {
  const at = ctx.clock.now();
  s.record.pluggedAt = at;
  ctx.observer.sessionPlugged(ctx.identity, s.connector.id);
  s.connector.meter.plugIn(plan.vehicle, at);
  s.plugged = true;
  s.flowBaseMs = s.connector.meter.chargingMs;
  s.plugTimer = ctx.timers.after(plan.plugDurationMs, () => {
    s.plugTimer = undefined;
    requestStop(s, 'EVDisconnected');
  });
}

/** Preparing and, when required, Authorize. False when the idTag was refused or the station closed. */
async function prepare(ctx: StationContext, s: Session): Promise<boolean> {
  await notifyStatus(ctx, s.connector.id, 'Preparing');
  if (s.record.origin === 'arrival' || ctx.config.getBool('AuthorizeRemoteTxRequests')) {
    const conf = await ctx.conn.call<AuthorizeConf>('Authorize', authorize(s.record.idTag));
    if (conf.idTagInfo.status !== 'Accepted') {
      s.rejection = `Authorize ${conf.idTagInfo.status}`;
      return false;
    }
  }
  return !s.aborted;
}

/** StartTransaction. False when the CSMS refused the idTag and the transaction must stop at once. */
async function begin(ctx: StationContext, s: Session): Promise<boolean> {
  const c = s.connector;
  const at = ctx.clock.now();
  const reading = c.meter.read(at);
  const meterStart = wholeRegisterWh(c.meter.registerWh);
  s.record.startedAt = at;
  s.record.meterStartWh = meterStart;
  s.beginValue = transactionSample(ctx, s, reading, 'Transaction.Begin');
  const conf = await ctx.conn.call<StartTransactionConf>(
    'StartTransaction',
    startTransaction(c.id, s.record.idTag, meterStart, at),
  );
  s.transactionId = conf.transactionId;
  s.record.transactionId = conf.transactionId;
  if (conf.idTagInfo.status === 'Accepted') return !s.aborted;
  s.rejection = `StartTransaction ${conf.idTagInfo.status}`;
  if (ctx.config.getBool('StopTransactionOnInvalidId')) {
    s.stopReason = 'DeAuthorized';
    return false;
  }
  // Without StopTransactionOnInvalidId the transaction runs on but delivers no energy.
  c.meter.setLimitW(0, ctx.clock.now());
  s.powerCut = true;
  return !s.aborted;
}

/** Charging until something asks the transaction to stop. */
async function charge(ctx: StationContext, s: Session): Promise<void> {
  const c = s.connector;
  await notifyStatus(ctx, c.id, statusForCharge(c.meter.read(ctx.clock.now()).state));
  s.phase = 'running';
  armTick(ctx, s);
  if (s.stopReason === null) await new Promise<void>((resolve) => (s.wake = resolve));
  ctx.timers.cancel(s.tickTimer);
  s.tickTimer = undefined;
}

/** StopTransaction, sent at most once per session. */
async function stop(ctx: StationContext, s: Session, reason: StopReason): Promise<void> {
  if (s.record.stoppedAt !== null || s.transactionId === null) return;
  s.phase = 'stopping';
  const c = s.connector;
  const at = ctx.clock.now();
  const reading = c.meter.read(at);
  const meterStop = wholeRegisterWh(c.meter.registerWh);
  const r = s.record;
  r.stoppedAt = at;
  r.meterStopWh = meterStop;
  r.energyWh = meterStop - (r.meterStartWh ?? meterStop);
  r.socEnd = reading.socPercent === null ? null : reading.socPercent / 100;
  r.stopReason = reason;
  const end = transactionSample(ctx, s, reading, 'Transaction.End');
  const transactionData = s.beginValue && end ? [s.beginValue, end] : null;
  await ctx.conn.call(
    'StopTransaction',
    stopTransaction({ transactionId: s.transactionId, idTag: r.idTag, meterStopWh: meterStop, at, reason, transactionData }),
  );
  s.stopConfirmed = true;
}

function transactionSample(
  ctx: StationContext,
  s: Session,
  reading: MeterReading,
  context: ReadingContext,
): MeterValue | null {
  const measurands = ctx.config.getMeasurands('StopTxnSampledData');
  if (measurands.length === 0) return null;
  return meterValue(reading.at, toSampledValues(reading, measurands as Measurand[], context, s.connector.meter.rating));
}

/** Finishing, unplug, Available (or Unavailable); emits the record and frees the connector. */
async function finish(ctx: StationContext, s: Session): Promise<void> {
  s.phase = 'ended';
  s.wake = null;
  ctx.timers.cancel(s.plugTimer);
  ctx.timers.cancel(s.tickTimer);
  const c = s.connector;
  const r = s.record;
  const online = !s.aborted && ctx.phase !== 'closed';
  try {
    if (online && r.stoppedAt !== null && s.failure === null) {
      await notifyStatus(ctx, c.id, 'Finishing').catch(() => undefined);
    }
    if (s.plugged) {
      const at = ctx.clock.now();
      if (r.socEnd === null) {
        const soc = c.meter.read(at).socPercent;
        r.socEnd = soc === null ? null : soc / 100;
      }
      c.meter.unplug(at);
      r.chargingMs = c.meter.chargingMs - s.flowBaseMs;
      if (s.powerCut) c.meter.setLimitW(null, at);
      r.unpluggedAt = at;
    }
  } catch (err) {
    s.failure ??= failureDetail(err);
  }
  if (c.pendingInoperative) {
    c.inoperative = true;
    c.pendingInoperative = false;
  }
  if (online) await notifyStatus(ctx, c.id, idleStatus(c)).catch(() => undefined);
  settleOutcome(s);
  c.session = null;
  ctx.observer.session(r);
  s.settle();
}

function settleOutcome(s: Session): void {
  const r = s.record;
  if (s.failure !== null) {
    r.outcome = 'failed';
    r.detail = s.failure;
  } else if (s.rejection !== null) {
    r.outcome = 'rejected';
    r.detail = s.rejection;
  } else if (s.stopConfirmed) {
    r.outcome = 'completed';
    r.detail = null;
  } else {
    r.outcome = 'failed';
    r.detail = 'transaction not started';
  }
}
