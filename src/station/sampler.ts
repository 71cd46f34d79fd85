/**
 * MeterValues: periodic samples of a running transaction (MeterValueSampleInterval, which also paces
 * the check for charge-state changes) and clock-aligned samples of every connector
 * (ClockAlignedDataInterval). Values come from the connector's meter. Samples of a transaction go
 * through the transaction queue; others are sent when online and skipped offline.
 */
import { toSampledValues } from '../meter/sampling.js';
import type { Measurand, MeterReading, ReadingContext } from '../meter/types.js';
import { meterValue, meterValues } from '../ocpp/payloads.js';
import { isOnline, type Connector, type Session, type StationContext } from './context.js';
import { notifyStatus, statusForCharge } from './connector.js';
import { enqueueTx, type TxPayload } from './tx-queue.js';

/** How often a running session checks its charge state when periodic sampling is off (sim ms). */
const STATE_CHECK_MS = 60_000;

/** Reading contexts of MeterValues; 'Trigger' answers a TriggerMessage (OCPP 1.6 ReadingContext). */
export type SampleContext = ReadingContext | 'Trigger';

/**
 * Sends one MeterValues for the connector with the measurands configured under `measurandKey`, now
 * (not queued); skipped offline. `dueAt`: simulated epoch ms the sample was due (default: now).
 */
export async function sendMeterValues(
  ctx: StationContext,
  c: Connector,
  transactionId: number | null,
  reading: MeterReading,
  context: SampleContext,
  measurandKey: string,
  dueAt?: number,
): Promise<void> {
  const payload = buildMeterValues(ctx, c, transactionId, reading, context, measurandKey);
  if (payload && isOnline(ctx)) await ctx.conn.call('MeterValues', payload, dueAt);
}

/**
 * Queues one MeterValues of the session's transaction (transactionId -1 until the StartTransaction
 * reply). `dueAt`: the sampling tick's grid time (latency is measured from it).
 */
function queueMeterValues(
  ctx: StationContext,
  s: Session,
  reading: MeterReading,
  context: ReadingContext,
  measurandKey: string,
  dueAt: number,
): void {
  const payload = buildMeterValues(ctx, s.connector, s.transactionId ?? -1, reading, context, measurandKey);
  if (payload) enqueueTx(ctx, s, 'MeterValues', payload as TxPayload, reading.at, Math.min(dueAt, reading.at));
}

/** The MeterValues payload, or null when no measurands are configured under `measurandKey`. */
function buildMeterValues(
  ctx: StationContext,
  c: Connector,
  transactionId: number | null,
  reading: MeterReading,
  context: SampleContext,
  measurandKey: string,
): object | null {
  const measurands = ctx.config.getMeasurands(measurandKey);
  if (measurands.length === 0) return null;
  const meterContext = context === 'Trigger' ? 'Sample.Periodic' : context;
  const sampled = toSampledValues(reading, measurands as Measurand[], meterContext, c.meter.rating);
  // The meter's ReadingContext type has no 'Trigger'; the OCPP value is set on the built samples.
  if (context === 'Trigger') for (const v of sampled) (v as { context?: string }).context = 'Trigger';
  return meterValues(c.id, transactionId, [meterValue(reading.at, sampled)]);
}

/**
 * Arms the session's next periodic tick, on the grid of whole intervals since the transaction started
 * (so late timers do not make the samples drift).
 */
export function armTick(ctx: StationContext, s: Session): void {
  const intervalS = ctx.config.getInt('MeterValueSampleInterval');
  const intervalMs = intervalS > 0 ? intervalS * 1000 : STATE_CHECK_MS;
  const now = ctx.clock.now();
  let delay = intervalMs - ((now - (s.record.startedAt ?? now)) % intervalMs);
  // A timer that fired a hair early must not produce a second sample straight away.
  if (delay < intervalMs / 10) delay += intervalMs;
  s.tickDue = now + delay;
  s.tickTimer = ctx.timers.after(delay, () => onTick(ctx, s));
}

function onTick(ctx: StationContext, s: Session): void {
  s.tickTimer = undefined;
  if (s.phase !== 'running' || s.stopReason !== null) return;
  const due = s.tickDue;
  armTick(ctx, s);
  const c = s.connector;
  const reading = c.meter.read(ctx.clock.now());
  const status = statusForCharge(reading.state);
  if (status !== c.status) void notifyStatus(ctx, c.id, status);
  if (ctx.config.getInt('MeterValueSampleInterval') > 0) {
    queueMeterValues(ctx, s, reading, 'Sample.Periodic', 'MeterValuesSampledData', due);
  }
}

/** MeterValueSampleInterval changed: every running session samples on the new interval from now. */
export function rescheduleTicks(ctx: StationContext): void {
  for (const c of ctx.connectors) {
    const s = c.session;
    if (!s || s.phase !== 'running' || s.tickTimer === undefined) continue;
    ctx.timers.cancel(s.tickTimer);
    armTick(ctx, s);
  }
}

/** (Re)arms the clock-aligned sampler for the next multiple of ClockAlignedDataInterval. */
export function restartAligned(ctx: StationContext): void {
  ctx.timers.cancel(ctx.alignedTimer);
  ctx.alignedTimer = undefined;
  const intervalMs = ctx.config.getInt('ClockAlignedDataInterval') * 1000;
  if (intervalMs <= 0 || ctx.phase !== 'accepted') return;
  armAligned(ctx, (Math.floor(ctx.clock.now() / intervalMs) + 1) * intervalMs);
}

/** Arms the aligned sampler for the simulated epoch ms `due` (the next due time follows from it). */
function armAligned(ctx: StationContext, due: number): void {
  ctx.alignedTimer = ctx.timers.after(Math.max(0, due - ctx.clock.now()), () => onAligned(ctx, due));
}

function onAligned(ctx: StationContext, due: number): void {
  ctx.alignedTimer = undefined;
  const intervalMs = ctx.config.getInt('ClockAlignedDataInterval') * 1000;
  if (ctx.phase !== 'accepted' || intervalMs <= 0) return;
  armAligned(ctx, due + intervalMs);
  for (const c of ctx.connectors) {
    const s = c.session;
    const reading = c.meter.read(ctx.clock.now());
    if (s && s.phase === 'running') queueMeterValues(ctx, s, reading, 'Sample.Clock', 'MeterValuesAlignedData', due);
    else sendMeterValues(ctx, c, null, reading, 'Sample.Clock', 'MeterValuesAlignedData', due).catch(() => undefined);
  }
}
