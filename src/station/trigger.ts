/**
 * TriggerMessage: answer Accepted, then send the requested message once the reply is out.
 */
import {
  diagnosticsStatusNotification,
  firmwareStatusNotification,
} from '../ocpp/payloads.js';
import type { StationContext } from './context.js';
import { sendHeartbeat, triggeredBoot } from './boot.js';
import { afterReply, notifyAllStatuses, notifyStatus } from './connector.js';
import { sendMeterValues } from './sampler.js';

export type TriggerStatus = 'Accepted' | 'Rejected' | 'NotImplemented';

type Send = (ctx: StationContext, connectorId: number | undefined) => Promise<unknown>;

const SENDERS: Readonly<Record<string, Send>> = {
  BootNotification: (ctx) => triggeredBoot(ctx),
  Heartbeat: (ctx) => sendHeartbeat(ctx),
  StatusNotification: (ctx, id) =>
    id === undefined
      ? notifyAllStatuses(ctx)
      : notifyStatus(ctx, id, id === 0 ? ctx.status0 : ctx.connectors[id - 1].status),
  MeterValues: (ctx, id) => triggeredMeterValues(ctx, id),
  DiagnosticsStatusNotification: (ctx) =>
    ctx.conn.call('DiagnosticsStatusNotification', diagnosticsStatusNotification('Idle')),
  FirmwareStatusNotification: (ctx) =>
    ctx.conn.call('FirmwareStatusNotification', firmwareStatusNotification('Idle')),
};

export function triggerMessage(
  ctx: StationContext,
  requestedMessage: string,
  connectorId: number | undefined,
): TriggerStatus {
  const send = Object.hasOwn(SENDERS, requestedMessage) ? SENDERS[requestedMessage] : undefined;
  if (!send) return 'NotImplemented';
  if (connectorId !== undefined && !(Number.isInteger(connectorId) && connectorId >= 0 && connectorId <= ctx.connectors.length)) {
    return 'Rejected';
  }
  afterReply(ctx, () => {
    send(ctx, connectorId).catch(() => undefined);
  });
  return 'Accepted';
}

/** MeterValues of one connector, or of every connector for connectorId 0 / none. */
async function triggeredMeterValues(ctx: StationContext, connectorId: number | undefined): Promise<void> {
  const targets = connectorId ? [ctx.connectors[connectorId - 1]] : ctx.connectors;
  const sends = targets.map((c) => {
    const s = c.session;
    const transactionId = s && s.phase === 'running' ? s.transactionId : null;
    return sendMeterValues(ctx, c, transactionId, c.meter.read(ctx.clock.now()), 'Trigger', 'MeterValuesSampledData');
  });
  await Promise.allSettled(sends);
}
