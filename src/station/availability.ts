/**
 * ChangeAvailability: connector 0 (the whole charge point) or one connector becomes Operative or
 * Inoperative. A connector with a session is Scheduled: it turns Unavailable when the session ends.
 */
import type { ChargePointStatus } from '../ocpp/payloads.js';
import type { Connector, StationContext } from './context.js';
import { afterReply, connectorById, idleStatus, notifyStatus } from './connector.js';

export type AvailabilityType = 'Inoperative' | 'Operative';
export type AvailabilityStatus = 'Accepted' | 'Rejected' | 'Scheduled';

export function changeAvailability(
  ctx: StationContext,
  connectorId: number,
  type: AvailabilityType,
): AvailabilityStatus {
  const one = connectorById(ctx, connectorId);
  if (connectorId !== 0 && !one) return 'Rejected';
  const targets = one ? [one] : ctx.connectors;
  const inoperative = type === 'Inoperative';
  const changed: Connector[] = [];
  let scheduled = false;
  for (const c of targets) {
    if (inoperative && c.session) {
      if (!c.inoperative) c.pendingInoperative = true;
      scheduled ||= c.pendingInoperative;
    } else if (c.inoperative !== inoperative || c.pendingInoperative) {
      c.pendingInoperative = false;
      if (c.inoperative !== inoperative) {
        c.inoperative = inoperative;
        if (!c.session) changed.push(c);
      }
    }
  }
  const status0: ChargePointStatus = inoperative ? 'Unavailable' : 'Available';
  const change0 = connectorId === 0 && ctx.status0 !== status0;
  if (change0 || changed.length > 0) {
    afterReply(ctx, () => {
      if (change0) notifyStatus(ctx, 0, status0).catch(() => undefined);
      for (const c of changed) notifyStatus(ctx, c.id, idleStatus(c)).catch(() => undefined);
    });
  }
  return scheduled ? 'Scheduled' : 'Accepted';
}
