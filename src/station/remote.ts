/**
 * Answers to the CALLs a CSMS sends to the charge point. One handler per action in REMOTE_HANDLERS;
 * every other OCPP 1.6 action is answered with CALLERROR NotSupported (unknown actions never reach
 * this module: the connection answers them NotImplemented). Smart Charging lives in smart-charging.ts.
 */
import type { ChargingProfile } from '../meter/charging-schedule.js';
import { callError } from '../ocpp/connection.js';
import { clearAuthCache } from './authorisation.js';
import type { StationContext } from './context.js';
import { changeAvailability, type AvailabilityType } from './availability.js';
import { afterReply, connectorById, isFree } from './connector.js';
import { performReset, canReset, type ResetType } from './reset.js';
import { beginSession } from './session.js';
import { requestStop } from './session-signals.js';
import {
  acceptableRemoteStartProfile,
  clearChargingProfile,
  getCompositeSchedule,
  setChargingProfile,
} from './smart-charging.js';
import { triggerMessage } from './trigger.js';

/** Handles one incoming CALL's payload (already schema-checked in strict mode); returns the reply. */
export type RemoteHandler = (ctx: StationContext, params: any) => object | Promise<object>;

const reply = (status: string) => Object.freeze({ status });
const ACCEPTED = reply('Accepted');
const REJECTED = reply('Rejected');

export const REMOTE_HANDLERS: ReadonlyMap<string, RemoteHandler> = new Map<string, RemoteHandler>([
  ['RemoteStartTransaction', remoteStart],
  ['RemoteStopTransaction', remoteStop],
  ['GetConfiguration', (ctx, p: { key?: string[] }) => ctx.config.getConfiguration(p?.key)],
  ['ChangeConfiguration', (ctx, p: { key: string; value: string }) => reply(ctx.config.change(p.key, p.value))],
  ['Reset', reset],
  ['TriggerMessage', (ctx, p: { requestedMessage: string; connectorId?: number }) =>
    reply(triggerMessage(ctx, p.requestedMessage, p.connectorId))],
  ['UnlockConnector', unlockConnector],
  ['ChangeAvailability', (ctx, p: { connectorId: number; type: AvailabilityType }) =>
    reply(changeAvailability(ctx, p.connectorId, p.type))],
  ['ClearCache', (ctx) => {
    clearAuthCache(ctx);
    return ACCEPTED;
  }],
  ['DataTransfer', () => reply('UnknownVendorId')],
  ['SetChargingProfile', setChargingProfile],
  ['ClearChargingProfile', clearChargingProfile],
  ['GetCompositeSchedule', getCompositeSchedule],
]);

/** Routes an incoming CALL to its handler; OCPP 1.6 actions without one get NotSupported. */
export function dispatchRemote(ctx: StationContext, action: string, params: unknown): object | Promise<object> {
  const handler = REMOTE_HANDLERS.get(action);
  if (!handler) throw callError('NotSupported', `${action} is not supported by this charge point`);
  return handler(ctx, params);
}

interface RemoteStartReq {
  connectorId?: number;
  idTag: string;
  /** A TxProfile for the transaction this starts. */
  chargingProfile?: ChargingProfile;
}

function remoteStart(ctx: StationContext, p: RemoteStartReq): object {
  const plan = ctx.opts.planRemoteSession;
  if (ctx.phase !== 'accepted' || ctx.powerCycle !== null || !plan) return REJECTED;
  const c = p.connectorId === undefined ? ctx.connectors.find(isFree) : connectorById(ctx, p.connectorId);
  if (!c || !isFree(c)) return REJECTED;
  if (p.chargingProfile && !acceptableRemoteStartProfile(ctx, c.id, p.chargingProfile)) return REJECTED;
  const { plugDurationMs, vehicle } = plan(c.id);
  const s = beginSession(ctx, c, { plugDurationMs, vehicle, idTag: p.idTag }, 'remote', true);
  s.pendingProfile = p.chargingProfile ?? null;
  return ACCEPTED;
}

function remoteStop(ctx: StationContext, p: { transactionId: number }): object {
  const s = ctx.connectors.find((c) => c.session?.transactionId === p.transactionId)?.session;
  if (!s || s.stopReason !== null || s.phase === 'ended') return REJECTED;
  afterReply(ctx, () => requestStop(s, 'Remote'));
  return ACCEPTED;
}

function reset(ctx: StationContext, p: { type: ResetType }): object {
  if (!canReset(ctx)) return REJECTED;
  afterReply(ctx, () => {
    performReset(ctx, p.type).catch(() => undefined);
  });
  return ACCEPTED;
}

function unlockConnector(ctx: StationContext, p: { connectorId: number }): object {
  const c = connectorById(ctx, p.connectorId);
  if (!c) return reply('NotSupported');
  const s = c.session;
  if (s) afterReply(ctx, () => requestStop(s, 'UnlockCommand'));
  return reply('Unlocked');
}
