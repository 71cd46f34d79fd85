/**
 * Reset (Soft or Hard): stop every transaction with reason SoftReset / HardReset, drop the connection,
 * reconnect and boot again.
 */
import type { StationContext } from './context.js';
import { bootUntilAccepted, stopPeriodic } from './boot.js';
import { finishAll } from './session-control.js';

/** Wait between reconnect attempts after a reset, simulated ms. */
const RECONNECT_WAIT_MS = 10_000;

export type ResetType = 'Hard' | 'Soft';

/** Whether a Reset can begin now: only once accepted (not while booting or resetting). */
export function canReset(ctx: StationContext): boolean {
  return ctx.phase === 'accepted';
}

/** Runs the whole reset; resolves once the station is Accepted again (or closed meanwhile). */
export async function performReset(ctx: StationContext, type: ResetType): Promise<void> {
  if (!canReset(ctx)) return;
  ctx.phase = 'resetting';
  stopPeriodic(ctx);
  await finishAll(ctx, type === 'Hard' ? 'HardReset' : 'SoftReset');
  if (ctx.phase !== 'resetting') return;
  await ctx.conn.close();
  if (!(await reconnect(ctx))) return;
  await bootUntilAccepted(ctx).catch(() => undefined);
}

async function reconnect(ctx: StationContext): Promise<boolean> {
  for (;;) {
    if (ctx.phase !== 'resetting') return false;
    try {
      await ctx.conn.connect();
      return ctx.phase === 'resetting';
    } catch {
      if (!(await ctx.timers.sleep(RECONNECT_WAIT_MS))) return false;
    }
  }
}
