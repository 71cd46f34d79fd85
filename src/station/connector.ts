/**
 * Connectors: creation, availability and the StatusNotifications that report them.
 */
import type { ChargeState } from '../meter/types.js';
import { statusNotification, type ChargePointErrorCode, type ChargePointStatus } from '../ocpp/payloads.js';
import { isOnline, type Connector, type StationContext } from './context.js';
import type { StationOptions } from './types.js';

export function createConnectors(opts: StationOptions): Connector[] {
  return opts.spec.connectors.map((rating, i) => ({
    id: i + 1,
    meter: opts.createMeter(rating, `station/${opts.spec.identity}/connector/${i + 1}/meter`, 0),
    status: 'Available' as ChargePointStatus,
    sessionCount: 0,
    inoperative: false,
    pendingInoperative: false,
    session: null,
    limitTimer: undefined,
    faultCode: null,
    faults: null,
  }));
}

/** The connector with this 1-based id, or undefined. */
export function connectorById(ctx: StationContext, connectorId: number): Connector | undefined {
  return Number.isInteger(connectorId) && connectorId >= 1 ? ctx.connectors[connectorId - 1] : undefined;
}

/** Whether a new session may begin on the connector. */
export function isFree(c: Connector): boolean {
  return c.session === null && !c.inoperative && !c.pendingInoperative && c.faultCode === null && c.status !== 'Faulted';
}

/** Status of a connector without a session. */
export function idleStatus(c: Connector): ChargePointStatus {
  if (c.faultCode !== null) return 'Faulted';
  return c.inoperative ? 'Unavailable' : 'Available';
}

/** OCPP status matching what the meter reports during a transaction. */
export function statusForCharge(state: ChargeState): ChargePointStatus {
  switch (state) {
    case 'SuspendedEV':
      return 'SuspendedEV';
    case 'SuspendedEVSE':
      return 'SuspendedEVSE';
    default:
      return 'Charging';
  }
}

/**
 * Records a connector's status (connectorId 0: the charge point) and sends it when online. Status
 * notifications are not queued: offline, or when the call fails, this one is dropped (the current
 * status of every connector goes out again after a reconnect). A Faulted connector reports its
 * fault's errorCode. `at`: simulated epoch ms the status began (default now). Never rejects.
 */
export async function notifyStatus(
  ctx: StationContext,
  connectorId: number,
  status: ChargePointStatus,
  at = ctx.clock.now(),
): Promise<void> {
  let errorCode: ChargePointErrorCode = 'NoError';
  if (connectorId === 0) ctx.status0 = status;
  else {
    const c = ctx.connectors[connectorId - 1];
    c.status = status;
    if (status === 'Faulted') errorCode = c.faultCode ?? 'OtherError';
  }
  if (!isOnline(ctx)) return;
  const payload = statusNotification(connectorId, status, at, errorCode);
  await ctx.conn.call('StatusNotification', payload).catch(() => undefined);
}

/** Sends the current status of connector 0 and of every connector, in order; failures are ignored. */
export async function notifyAllStatuses(ctx: StationContext): Promise<void> {
  const sends = [notifyStatus(ctx, 0, ctx.status0)];
  for (const c of ctx.connectors) sends.push(notifyStatus(ctx, c.id, c.session ? c.status : idleStatus(c)));
  await Promise.all(sends);
}

/** Runs `fn` once the reply to the CALL being handled has gone out (a zero-delay station timer). */
export function afterReply(ctx: StationContext, fn: () => void): void {
  ctx.timers.after(0, fn);
}
