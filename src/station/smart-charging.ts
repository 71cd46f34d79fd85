/**
 * OCPP 1.6 Smart Charging on the virtual charge point: SetChargingProfile, ClearChargingProfile and
 * GetCompositeSchedule (handlers for REMOTE_HANDLERS), and the link from the installed profiles to the
 * power model. The limit a connector's profiles impose (ChargingProfileStore.limitW) is applied to its
 * meter whenever a profile is set or cleared, a transaction starts or ends, and at the next instant the
 * profiles say it changes (a station timer). A limit of 0 suspends charging: the meter reports
 * SuspendedEVSE and the station sends StatusNotification SuspendedEVSE (Charging again once lifted).
 */
import { ChargingProfileStore, type ClearCriteria } from '../meter/charging-profiles.js';
import { installProfile, type ChargingProfile, type ChargingRateUnit } from '../meter/charging-schedule.js';
import type { Connector, Session, StationContext } from './context.js';
import { afterReply, connectorById, notifyStatus, statusForCharge } from './connector.js';

const reply = (status: string) => Object.freeze({ status });
const ACCEPTED = reply('Accepted');
const REJECTED = reply('Rejected');

interface SetChargingProfileReq {
  connectorId: number;
  csChargingProfiles: ChargingProfile;
}

interface GetCompositeScheduleReq {
  connectorId: number;
  duration: number;
  chargingRateUnit?: ChargingRateUnit;
}

/** The station's profile store, created on first use (most stations never receive a profile). */
export function profileStore(ctx: StationContext): ChargingProfileStore {
  return (ctx.profiles ??= new ChargingProfileStore({
    connectorCount: ctx.connectors.length,
    hasTransaction: (connectorId, transactionId) => {
      const s = connectorById(ctx, connectorId)?.session;
      if (!s || !hasTransaction(s)) return false;
      return transactionId === undefined || s.transactionId === transactionId;
    },
    maxStackLevel: ctx.config.getInt('ChargeProfileMaxStackLevel'),
    maxPeriods: ctx.config.getInt('ChargingScheduleMaxPeriods'),
    maxProfiles: ctx.config.getInt('MaxChargingProfilesInstalled'),
  }));
}

export function setChargingProfile(ctx: StationContext, p: SetChargingProfileReq): object {
  const status = profileStore(ctx).set(p.connectorId, p.csChargingProfiles);
  if (status === 'Accepted') limitsChanged(ctx, p.connectorId);
  return status === 'Accepted' ? ACCEPTED : REJECTED;
}

export function clearChargingProfile(ctx: StationContext, p: ClearCriteria): object {
  const criteria: ClearCriteria = {};
  if (p.id !== undefined) criteria.id = p.id;
  if (p.connectorId !== undefined) criteria.connectorId = p.connectorId;
  if (p.chargingProfilePurpose !== undefined) criteria.chargingProfilePurpose = p.chargingProfilePurpose;
  if (p.stackLevel !== undefined) criteria.stackLevel = p.stackLevel;
  const status = profileStore(ctx).clear(criteria);
  if (status === 'Accepted') limitsChanged(ctx, 0);
  return reply(status);
}

export function getCompositeSchedule(ctx: StationContext, p: GetCompositeScheduleReq): object {
  // Connector 0 (the charge point as a whole) is reported against the first connector's rating.
  const c = p.connectorId === 0 ? ctx.connectors[0] : connectorById(ctx, p.connectorId);
  if (!c) return REJECTED;
  const now = ctx.clock.now();
  return profileStore(ctx).compositeSchedule(p.connectorId, p.duration, p.chargingRateUnit, now, c.meter.rating, txStartedAt(c));
}

/**
 * Whether a RemoteStartTransaction's `chargingProfile` may be used for the new transaction: a valid
 * TxProfile without a transactionId (OCPP 1.6 §5.11).
 */
export function acceptableRemoteStartProfile(ctx: StationContext, connectorId: number, profile: ChargingProfile): boolean {
  if (profile.chargingProfilePurpose !== 'TxProfile' || profile.transactionId !== undefined) return false;
  const limits = { maxStackLevel: ctx.config.getInt('ChargeProfileMaxStackLevel'), maxPeriods: ctx.config.getInt('ChargingScheduleMaxPeriods') };
  return typeof installProfile(connectorId, profile, limits) !== 'string';
}

/** The session's transaction has begun: install its RemoteStartTransaction TxProfile, apply the limit. */
export function transactionStarted(ctx: StationContext, s: Session): void {
  const profile = s.pendingProfile;
  s.pendingProfile = null;
  if (profile) profileStore(ctx).set(s.connector.id, profile);
  if (ctx.profiles) applyLimit(ctx, s.connector);
}

/** The transaction on `c` ended (its StopTransaction is queued): its TxProfiles go. */
export function transactionEnded(ctx: StationContext, c: Connector): void {
  if (!ctx.profiles) return;
  ctx.profiles.transactionEnded(c.id);
  applyLimit(ctx, c);
}

/**
 * Applies the current limit to the connector's meter and arms the timer for its next change. A
 * session whose power the station cut (idTag refused) stays at 0 whatever the profiles say.
 * Returns whether a running transaction's charge state changed (its status needs sending).
 */
export function applyLimit(ctx: StationContext, c: Connector): boolean {
  ctx.timers.cancel(c.limitTimer);
  c.limitTimer = undefined;
  const now = ctx.clock.now();
  const s = c.session;
  const txStart = txStartedAt(c);
  const store = ctx.profiles;
  const limit = s && (s.powerCut || !s.energised) ? 0 : store ? store.limitW(c.id, now, c.meter.rating, txStart) : null;
  c.meter.setLimitW(limit, now);
  const next = store ? store.nextChangeAt(c.id, now, txStart) : null;
  if (next !== null) c.limitTimer = ctx.timers.after(Math.max(0, next - now), () => onLimitTimer(ctx, c));
  return s !== null && isCharging(s) && statusForCharge(c.meter.read(now).state) !== c.status;
}

function onLimitTimer(ctx: StationContext, c: Connector): void {
  c.limitTimer = undefined;
  if (applyLimit(ctx, c)) sendChargeStatus(ctx, c);
}

/** Profiles on `connectorId` (0: every connector) changed: new limits now, statuses once the reply is out. */
function limitsChanged(ctx: StationContext, connectorId: number): void {
  const targets = connectorId === 0 ? ctx.connectors : [ctx.connectors[connectorId - 1]];
  const changed = targets.filter((c) => applyLimit(ctx, c));
  if (changed.length > 0) afterReply(ctx, () => changed.forEach((c) => sendChargeStatus(ctx, c)));
}

function sendChargeStatus(ctx: StationContext, c: Connector): void {
  const s = c.session;
  if (!s || !isCharging(s)) return;
  const status = statusForCharge(c.meter.read(ctx.clock.now()).state);
  if (status !== c.status) void notifyStatus(ctx, c.id, status);
}

/** A transaction is under way on the session (started, not stopped yet). */
function hasTransaction(s: Session): boolean {
  return s.startState !== 'none' && s.stopState === 'none' && s.phase !== 'ended';
}

/** The session reports its charge state (Charging / SuspendedEV / SuspendedEVSE) as the status. */
function isCharging(s: Session): boolean {
  return s.phase === 'running' && s.stopReason === null;
}

/** Start of the transaction on `c` (anchors Relative profiles), or null without one. */
function txStartedAt(c: Connector): number | null {
  const s = c.session;
  return s && hasTransaction(s) ? s.record.startedAt : null;
}
