/**
 * Registration with the CSMS: BootNotification until Accepted (waiting the interval the CSMS gives
 * while Pending or Rejected), then the connector statuses, the queued transaction messages and the
 * heartbeat.
 */
import { CallFailure } from '../ocpp/connection.js';
import { bootNotification, heartbeat, type BootNotificationConf } from '../ocpp/payloads.js';
import { isOnline, type StationContext } from './context.js';
import { notifyAllStatuses } from './connector.js';
import { restartAligned } from './sampler.js';
import { resumeTx } from './tx-queue.js';

/** Wait before the next BootNotification when the CSMS gives no interval or the call failed (s). */
const DEFAULT_RETRY_S = 30;

/** Sends BootNotification until Accepted; rejects if the station closes first. */
export async function bootUntilAccepted(ctx: StationContext): Promise<void> {
  if (ctx.phase === 'closed') throw new Error(`${ctx.identity}: closed before boot was accepted`);
  ctx.phase = 'booting';
  for (;;) {
    const waitS = await bootOnce(ctx);
    if (waitS === null) return;
    const waited = await ctx.timers.sleep(waitS * 1000);
    if (!waited || isClosed(ctx)) throw new Error(`${ctx.identity}: closed before boot was accepted`);
  }
}

function isClosed(ctx: StationContext): boolean {
  return ctx.phase === 'closed';
}

/** One BootNotification: null once Accepted, else the seconds to wait before trying again. */
async function bootOnce(ctx: StationContext): Promise<number | null> {
  let conf: BootNotificationConf;
  try {
    conf = await ctx.conn.call<BootNotificationConf>('BootNotification', bootNotification(ctx.opts.spec));
  } catch (err) {
    if (err instanceof CallFailure) return DEFAULT_RETRY_S;
    throw err;
  }
  if (ctx.phase === 'closed') throw new Error(`${ctx.identity}: closed before boot was accepted`);
  if (conf.status !== 'Accepted') return conf.interval > 0 ? conf.interval : DEFAULT_RETRY_S;
  await onAccepted(ctx, conf.interval);
  return null;
}

async function onAccepted(ctx: StationContext, intervalS: number): Promise<void> {
  ctx.phase = 'accepted';
  if (intervalS > 0) ctx.config.set('HeartbeatInterval', String(intervalS));
  ctx.observer.connection(ctx.identity, 'accepted');
  await backOnline(ctx);
  restartHeartbeat(ctx);
  restartAligned(ctx);
}

/**
 * The station can talk to the CSMS again (boot accepted, or a dropped connection came back): the
 * current status of every connector once (statuses are not queued while offline), then the queued
 * transaction messages.
 */
export async function backOnline(ctx: StationContext): Promise<void> {
  const statuses = notifyAllStatuses(ctx);
  resumeTx(ctx);
  await statuses;
}

/** A BootNotification the CSMS asked for with TriggerMessage; an Accepted reply updates the interval. */
export async function triggeredBoot(ctx: StationContext): Promise<void> {
  const conf = await ctx.conn.call<BootNotificationConf>('BootNotification', bootNotification(ctx.opts.spec));
  if (conf.status === 'Accepted' && conf.interval > 0) ctx.config.set('HeartbeatInterval', String(conf.interval));
}

/** (Re)arms the heartbeat for HeartbeatInterval seconds from now (0 disables it). */
export function restartHeartbeat(ctx: StationContext): void {
  ctx.timers.cancel(ctx.heartbeatTimer);
  ctx.heartbeatTimer = undefined;
  const intervalS = ctx.config.getInt('HeartbeatInterval');
  if (intervalS <= 0 || ctx.phase !== 'accepted') return;
  const due = ctx.clock.now() + intervalS * 1000;
  ctx.heartbeatTimer = ctx.timers.after(intervalS * 1000, () => {
    ctx.heartbeatTimer = undefined;
    restartHeartbeat(ctx);
    sendHeartbeat(ctx, due).catch(() => undefined);
  });
}

/** Heartbeat; skipped offline. `dueAt`: the heartbeat tick (simulated epoch ms; default now). */
export async function sendHeartbeat(ctx: StationContext, dueAt?: number): Promise<void> {
  if (isOnline(ctx)) await ctx.conn.call('Heartbeat', heartbeat(), dueAt);
}

/** Stops the station-wide periodic work (heartbeat, clock-aligned samples). */
export function stopPeriodic(ctx: StationContext): void {
  ctx.timers.cancel(ctx.heartbeatTimer);
  ctx.timers.cancel(ctx.alignedTimer);
  ctx.heartbeatTimer = undefined;
  ctx.alignedTimer = undefined;
}
