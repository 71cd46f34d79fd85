/**
 * A power cycle seen in the field (a fault, not a CSMS command): running transactions are interrupted
 * (StopTransaction, reason PowerLoss, queued with the meter reading of that moment), the socket goes
 * down, and the station boots again after a few simulated seconds. Chargers with persistent storage
 * (`keepQueue`) deliver the queued transaction messages after the boot; others lose them ('lost').
 * Each message is still sent until acknowledged once: no StopTransaction is sent twice.
 */
import type { StationContext } from './context.js';
import { stopPeriodic } from './boot.js';
import { restart, runPowerCycle } from './reset.js';
import { abortSession } from './session-control.js';
import { requestStop } from './session-signals.js';
import { stopTx } from './transaction.js';
import { dropTx } from './tx-queue.js';

export const REBOOT_DETAIL = 'station rebooted';

/**
 * Reboots an accepted station (online or not); resolves once it is Accepted again or closed. While a
 * Reset or reboot is already running, returns that one; before the first boot or after close, no-op.
 */
export function rebootStation(ctx: StationContext, keepQueue: boolean): Promise<void> {
  if (ctx.powerCycle) return ctx.powerCycle;
  if (ctx.phase !== 'accepted') return Promise.resolve();
  return runPowerCycle(ctx, async () => {
    ctx.phase = 'resetting';
    stopPeriodic(ctx);
    interruptSessions(ctx);
    await ctx.conn.close();
    if (!keepQueue) dropTx(ctx);
    await restart(ctx);
  });
}

/** Power loss: each started transaction gets its PowerLoss StopTransaction; sessions end silently. */
function interruptSessions(ctx: StationContext): void {
  for (const c of ctx.connectors) {
    const s = c.session;
    if (!s || s.phase === 'ended') continue;
    if (s.startState === 'none') {
      abortSession(s, REBOOT_DETAIL);
      continue;
    }
    stopTx(ctx, s, 'PowerLoss');
    s.aborted = true;
    requestStop(s, 'PowerLoss');
  }
}
