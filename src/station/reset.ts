/**
 * Reset (Soft or Hard) from the CSMS: stop every transaction with reason SoftReset / HardReset (their
 * StopTransactions delivered first, for a bounded time), drop the connection, reconnect and boot again.
 * Also the power-cycle steps a reboot shares: the guard against overlapping cycles, and restarting.
 */
import type { StationContext } from './context.js';
import { bootUntilAccepted, stopPeriodic } from './boot.js';
import { finishAll } from './session-control.js';

/** Simulated ms a Reset waits for its StopTransactions before restarting anyway (they stay queued). */
const RESET_STOP_WAIT_MS = 120_000;
/** Simulated ms between power-off and power-on (boot time of the charger). */
const POWER_OFF_MS = 10_000;
/**
 * Reconnect back-off of the station's own reconnect loop, in wall ms (it paces real sockets): the same
 * schedule as the connection's automatic reconnects (see ocpp/reconnect.ts), but with the jitter drawn
 * from the station's seeded stream.
 */
const RECONNECT_MIN_WALL_MS = 1000;
const RECONNECT_MAX_WALL_MS = 40_000;
const RECONNECT_JITTER = 0.5;

export type ResetType = 'Hard' | 'Soft';

/** Whether a Reset can begin now: only once accepted, and not while another reset or reboot runs. */
export function canReset(ctx: StationContext): boolean {
  return ctx.phase === 'accepted' && ctx.powerCycle === null;
}

/** Runs the whole reset; resolves once the station is Accepted again (or closed meanwhile). */
export function performReset(ctx: StationContext, type: ResetType): Promise<void> {
  if (!canReset(ctx)) return Promise.resolve();
  return runPowerCycle(ctx, async () => {
    stopPeriodic(ctx);
    const stopped = finishAll(ctx, type === 'Hard' ? 'HardReset' : 'SoftReset');
    await Promise.race([stopped, ctx.timers.sleep(RESET_STOP_WAIT_MS)]);
    if (ctx.phase !== 'accepted') return;
    ctx.phase = 'resetting';
    await ctx.conn.close();
    await restart(ctx);
  });
}

/**
 * Runs `cycle` as the station's one power cycle: `ctx.powerCycle` is set before it begins and cleared
 * when it ends (new sessions, Resets and reboots wait for that). Never rejects.
 */
export function runPowerCycle(ctx: StationContext, cycle: () => Promise<void>): Promise<void> {
  let ended!: () => void;
  const tracked = new Promise<void>((resolve) => (ended = resolve));
  ctx.powerCycle = tracked;
  cycle()
    .catch(() => undefined)
    .finally(() => {
      if (ctx.powerCycle === tracked) ctx.powerCycle = null;
      ended();
    });
  return tracked;
}

/** After the socket was closed: power-off time, reconnect (with back-off), boot until Accepted. */
export async function restart(ctx: StationContext): Promise<void> {
  if (!(await ctx.timers.sleep(POWER_OFF_MS))) return;
  if (!(await reconnect(ctx))) return;
  await bootUntilAccepted(ctx).catch(() => undefined);
}

async function reconnect(ctx: StationContext): Promise<boolean> {
  const closed = () => ctx.phase === 'closed';
  for (let attempt = 0; ; attempt++) {
    if (closed()) return false;
    try {
      await ctx.conn.connect();
      return !closed();
    } catch {
      if (!(await ctx.timers.sleep(reconnectWaitWallMs(ctx, attempt) * ctx.clock.speed))) return false;
    }
  }
}

/** Wall ms before reconnect attempt `attempt + 1`: doubling from 1 s to 40 s, each stretched by 0-50 %. */
function reconnectWaitWallMs(ctx: StationContext, attempt: number): number {
  const rng = (ctx.reconnectRng ??= ctx.opts.rng.stream(`station/${ctx.identity}/reconnect`));
  const base = Math.min(RECONNECT_MAX_WALL_MS, RECONNECT_MIN_WALL_MS * 2 ** Math.min(attempt, 16));
  return base * (1 + RECONNECT_JITTER * rng());
}
