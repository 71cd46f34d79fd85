/**
 * One charging session on one connector, from plug-in to unplug:
 * Preparing → authorisation → StartTransaction → Charging (+ MeterValues, state changes) →
 * StopTransaction → Finishing → unplug → Available. Emits exactly one SessionRecord, once the
 * session's StopTransaction is settled (acknowledged, discarded or lost): offline, the connector is
 * free again long before that.
 */
import type { SessionRecord } from '../metrics/types.js';
import type { PluggedVehicle } from '../meter/types.js';
import { authoriseSession } from './authorisation.js';
import type { Connector, Session, StationContext } from './context.js';
import { connectorById, idleStatus, notifyStatus, statusForCharge } from './connector.js';
import { armTick } from './sampler.js';
import { failureDetail } from './session-control.js';
import { nextTxEvent, requestStop } from './session-signals.js';
import { applyLimit } from './smart-charging.js';
import { startTx, stopTx } from './transaction.js';

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
    record: newRecord(ctx, c.id, `${c.id}/${++c.sessionCount}`, plan, origin),
    phase: 'starting',
    transactionId: null,
    startState: 'none',
    stopState: 'none',
    stopReason: null,
    aborted: false,
    failure: null,
    rejection: null,
    wake: null,
    txWake: null,
    plugTimer: undefined,
    tickTimer: undefined,
    tickDue: 0,
    pendingProfile: null,
    beginValue: null,
    powerCut: false,
    energised: false,
    plugged: false,
    flowBaseMs: 0,
    done,
    settle,
  };
  c.session = s;
  ctx.sessions.add(s);
  void runSession(ctx, s, plan, afterReply);
  return s;
}

/** The record of a planned arrival that never began (busy connector, station not accepted, …). */
export function skippedRecord(
  ctx: StationContext,
  plan: SessionPlan & { connectorId: number },
  detail: string,
): SessionRecord {
  const c = connectorById(ctx, plan.connectorId);
  // An unknown connector has no session counter: its skipped arrivals share n = 0.
  const n = c ? ++c.sessionCount : 0;
  const r = newRecord(ctx, plan.connectorId, `${plan.connectorId}/${n}`, plan, 'arrival');
  r.unpluggedAt = r.pluggedAt;
  r.detail = detail;
  return r;
}

function newRecord(
  ctx: StationContext,
  connectorId: number,
  sessionId: string,
  plan: SessionPlan,
  origin: SessionRecord['origin'],
): SessionRecord {
  return {
    stationId: ctx.identity,
    connectorId,
    sessionId,
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
    } else if (!s.aborted) {
      plugIn(ctx, s, plan);
      if ((await prepare(ctx, s)) && (await begin(ctx, s))) await charge(ctx, s);
    }
  } catch (err) {
    s.failure ??= failureDetail(err);
  }
  try {
    // Exactly one StopTransaction for a started transaction, whatever ended it (none if the station
    // closed under it; a reboot has queued its own).
    if (!s.aborted) stopTx(ctx, s, s.stopReason ?? 'Other');
  } catch (err) {
    s.failure ??= failureDetail(err);
  }
  await finish(ctx, s);
}

function plugIn(ctx: StationContext, s: Session, plan: SessionPlan): void {
  const at = ctx.clock.now();
  s.record.pluggedAt = at;
  ctx.observer.sessionPlugged(ctx.identity, s.connector.id);
  s.connector.meter.plugIn(plan.vehicle, at);
  s.plugged = true;
  applyLimit(ctx, s.connector); // not energised yet: no power until the transaction starts
  s.flowBaseMs = s.connector.meter.chargingMs;
  s.plugTimer = ctx.timers.after(plan.plugDurationMs, () => {
    s.plugTimer = undefined;
    requestStop(s, 'EVDisconnected');
  });
}

/**
 * Preparing and, when required, authorisation. False when the idTag was refused, the station closed,
 * or the session had to stop meanwhile (a connector fault): no transaction then.
 */
async function prepare(ctx: StationContext, s: Session): Promise<boolean> {
  await notifyStatus(ctx, s.connector.id, 'Preparing');
  const needsAuthorisation = s.record.origin === 'arrival' || ctx.config.getBool('AuthorizeRemoteTxRequests');
  if (needsAuthorisation && !(await authoriseSession(ctx, s))) return false;
  return !s.aborted && s.connector.faultCode === null;
}

/** StartTransaction. False when the transaction must stop at once (refused idTag, stop requested, closed). */
async function begin(ctx: StationContext, s: Session): Promise<boolean> {
  await startTx(ctx, s);
  return !s.aborted && s.stopReason === null;
}

/** Charging until something asks the transaction to stop. */
async function charge(ctx: StationContext, s: Session): Promise<void> {
  const c = s.connector;
  s.phase = 'running';
  await notifyStatus(ctx, c.id, statusForCharge(c.meter.read(ctx.clock.now()).state));
  armTick(ctx, s);
  if (s.stopReason === null) await new Promise<void>((resolve) => (s.wake = resolve));
  ctx.timers.cancel(s.tickTimer);
  s.tickTimer = undefined;
}

/**
 * Finishing, unplug, Available (or Unavailable); frees the connector, then waits for the
 * StopTransaction to settle (or the station to close) and emits the record.
 */
async function finish(ctx: StationContext, s: Session): Promise<void> {
  s.phase = 'ended';
  s.wake = null;
  ctx.timers.cancel(s.plugTimer);
  ctx.timers.cancel(s.tickTimer);
  const c = s.connector;
  const live = !s.aborted && ctx.phase !== 'closed';
  try {
    // A faulted connector stays Faulted (already reported) until it recovers.
    if (live && s.record.stoppedAt !== null && c.faultCode === null) await notifyStatus(ctx, c.id, 'Finishing');
    if (s.plugged) unplug(ctx, s);
  } catch (err) {
    s.failure ??= failureDetail(err);
  }
  if (c.pendingInoperative) {
    c.inoperative = true;
    c.pendingInoperative = false;
  }
  if (live && c.status !== idleStatus(c)) await notifyStatus(ctx, c.id, idleStatus(c));
  c.session = null;
  while (s.stopState === 'queued' && !ctx.txq.closed) await nextTxEvent(s);
  if (s.stopState === 'queued') s.failure ??= 'StopTransaction still queued at close';
  settleOutcome(s);
  ctx.sessions.delete(s);
  ctx.observer.session(s.record);
  s.settle();
}

function unplug(ctx: StationContext, s: Session): void {
  const c = s.connector;
  const r = s.record;
  const at = ctx.clock.now();
  if (r.socEnd === null) {
    const soc = c.meter.read(at).socPercent;
    r.socEnd = soc === null ? null : soc / 100;
  }
  c.meter.unplug(at);
  r.chargingMs = c.meter.chargingMs - s.flowBaseMs;
  if (s.powerCut) {
    // The cut power ends with the session; the charging profiles' limit applies again.
    s.powerCut = false;
    applyLimit(ctx, c);
  }
  r.unpluggedAt = at;
}

function settleOutcome(s: Session): void {
  const r = s.record;
  if (s.failure !== null) {
    r.outcome = 'failed';
    r.detail = s.failure;
  } else if (s.rejection !== null) {
    r.outcome = 'rejected';
    r.detail = s.rejection;
  } else if (s.stopState === 'acked') {
    r.outcome = 'completed';
    r.detail = null;
  } else {
    r.outcome = 'failed';
    r.detail = 'transaction not started';
  }
}
