/**
 * Connector faults (StationOptions.connectorFaults): each connector fails as a Poisson process of
 * `perHour` faults per simulated hour, drawn from its own seeded stream `faults/<identity>/<connectorId>`
 * on the run clock's axis (simulated ms since the clock started), so a seed gives every connector the
 * same fault times whatever else the station does. At a fault the connector reports StatusNotification
 * Faulted with an errorCode drawn from the same stream, a running session is stopped with reason
 * 'Other' (its StopTransaction goes through the transaction queue), and new sessions are refused;
 * `recoveryMs` later it reports Available (NoError) again. A fault that comes while the connector is
 * still faulted is absorbed by the ongoing one. Faults are physical: they happen offline too, and the
 * Faulted status goes out with the statuses sent after the reconnect.
 */
import type { ChargePointErrorCode } from '../ocpp/payloads.js';
import type { Timer } from '../util/clock.js';
import { exponential, weightedPick, type Rng } from '../util/rng.js';
import type { Connector, StationContext } from './context.js';
import { idleStatus, notifyStatus } from './connector.js';
import { requestStop } from './session-signals.js';

const MS_PER_HOUR = 3_600_000;

/** The errorCodes a connector fault reports (hardware faults; not NoError, LocalListConflict, ResetFailure). */
export type FaultErrorCode = Exclude<ChargePointErrorCode, 'NoError' | 'LocalListConflict' | 'ResetFailure'>;

/**
 * Relative frequency of the errorCodes a faulted connector reports: an illustrative mix in which
 * vehicle communication and insulation / residual-current trips dominate, as field reports describe.
 */
export const FAULT_ERROR_WEIGHTS: Readonly<Record<FaultErrorCode, number>> = {
  EVCommunicationError: 25,
  GroundFailure: 15,
  ConnectorLockFailure: 10,
  OverCurrentFailure: 10,
  HighTemperature: 8,
  PowerMeterFailure: 6,
  PowerSwitchFailure: 5,
  OverVoltage: 4,
  UnderVoltage: 4,
  InternalError: 4,
  ReaderFailure: 2,
  WeakSignal: 1,
  OtherError: 6,
};

/** Detail of a session that ended before its transaction began because the connector faulted. */
export const FAULTED_DETAIL = 'connector faulted';

/** One connector's fault process. */
export interface FaultProcess {
  readonly rng: Rng;
  /** Mean simulated ms between faults. */
  readonly meanMs: number;
  readonly recoveryMs: number;
  /** The next fault: simulated ms since the clock started, and the errorCode it will report. */
  nextAt: number;
  nextCode: ChargePointErrorCode;
  timer: Timer | undefined;
}

/** One fault draw: the gap to it, then its errorCode (the order the stream is consumed in). */
export function drawFault(rng: Rng, meanMs: number): { gapMs: number; code: FaultErrorCode } {
  const gapMs = exponential(rng, meanMs);
  return { gapMs, code: weightedPick(rng, FAULT_ERROR_WEIGHTS) };
}

/** Starts every connector's fault process (once; no-op when faults are off). */
export function startConnectorFaults(ctx: StationContext): void {
  const cfg = ctx.opts.connectorFaults;
  if (!cfg || !(cfg.perHour > 0)) return;
  const now = ctx.clock.elapsed();
  for (const c of ctx.connectors) {
    if (c.faults) continue;
    const p: FaultProcess = {
      rng: ctx.opts.rng.stream(`faults/${ctx.identity}/${c.id}`),
      meanMs: MS_PER_HOUR / cfg.perHour,
      recoveryMs: Math.max(0, cfg.recoveryMs),
      nextAt: 0,
      nextCode: 'OtherError',
      timer: undefined,
    };
    // Faults drawn for before the station started did not happen to it.
    do advance(p);
    while (p.nextAt < now);
    c.faults = p;
    arm(ctx, c, p);
  }
}

function advance(p: FaultProcess): void {
  const { gapMs, code } = drawFault(p.rng, p.meanMs);
  p.nextAt += gapMs;
  p.nextCode = code;
}

function arm(ctx: StationContext, c: Connector, p: FaultProcess): void {
  p.timer = ctx.timers.after(Math.max(0, p.nextAt - ctx.clock.elapsed()), () => onFault(ctx, c, p));
}

function onFault(ctx: StationContext, c: Connector, p: FaultProcess): void {
  p.timer = undefined;
  // Timers may fire a hair early (Node's millisecond timer clock): the fault waits for its time.
  if (ctx.clock.elapsed() < p.nextAt) return arm(ctx, c, p);
  const at = p.nextAt;
  const code = p.nextCode;
  advance(p);
  arm(ctx, c, p);
  if (c.faultCode !== null || ctx.phase === 'closed') return;
  c.faultCode = code;
  const s = c.session;
  if (s && s.phase !== 'ended') {
    if (s.startState === 'none') s.failure ??= FAULTED_DETAIL;
    requestStop(s, 'Other');
  }
  const epochAt = epochOf(ctx, at);
  void notifyStatus(ctx, c.id, 'Faulted', epochAt);
  armRecovery(ctx, c, at + p.recoveryMs);
}

function armRecovery(ctx: StationContext, c: Connector, at: number): void {
  ctx.timers.after(Math.max(0, at - ctx.clock.elapsed()), () => recover(ctx, c, at));
}

/** The fault is repaired; a connector whose session is still finishing reports its status when that ends. */
function recover(ctx: StationContext, c: Connector, at: number): void {
  if (ctx.clock.elapsed() < at) return armRecovery(ctx, c, at);
  c.faultCode = null;
  if (c.session === null && ctx.phase !== 'closed') void notifyStatus(ctx, c.id, idleStatus(c), epochOf(ctx, at));
}

/** Simulated epoch ms of `elapsedMs` on the station's clock. */
function epochOf(ctx: StationContext, elapsedMs: number): number {
  return ctx.clock.origin + elapsedMs;
}
