/**
 * The transaction messages a session produces: StartTransaction and StopTransaction (with the meter
 * readings of that moment), both through the station's transaction queue.
 */
import { toSampledValues, wholeRegisterWh } from '../meter/sampling.js';
import type { Measurand, MeterReading, ReadingContext } from '../meter/types.js';
import { meterValue, startTransaction, stopTransaction, type MeterValue, type StopReason } from '../ocpp/payloads.js';
import type { Session, StationContext } from './context.js';
import { nextTxEvent } from './session-signals.js';
import { applyLimit, transactionEnded, transactionStarted } from './smart-charging.js';
import { enqueueTx, isInFlight, type TxPayload } from './tx-queue.js';

/**
 * Queues the StartTransaction. When it went on the wire at once (online, nothing queued ahead) this
 * waits for that first attempt, so an idTag the CSMS refuses stops the transaction before it reports
 * Charging; otherwise the transaction starts charging at once and the reply is handled when it comes.
 */
export async function startTx(ctx: StationContext, s: Session): Promise<void> {
  const c = s.connector;
  const at = ctx.clock.now();
  const reading = c.meter.read(at);
  const meterStart = wholeRegisterWh(c.meter.registerWh);
  s.record.startedAt = at;
  s.record.meterStartWh = meterStart;
  s.beginValue = transactionSample(ctx, s, reading, 'Transaction.Begin');
  s.startState = 'queued';
  s.energised = true;
  transactionStarted(ctx, s);
  if (!ctx.profiles) applyLimit(ctx, c);
  const payload = startTransaction(c.id, s.record.idTag, meterStart, at) as TxPayload;
  const e = enqueueTx(ctx, s, 'StartTransaction', payload, at);
  if (isInFlight(ctx, e)) await nextTxEvent(s);
}

/** Queues the session's StopTransaction with the meter reading of now; at most once, only once started. */
export function stopTx(ctx: StationContext, s: Session, reason: StopReason): void {
  if (s.startState === 'none' || s.stopState !== 'none') return;
  if (s.phase !== 'ended') s.phase = 'stopping';
  const c = s.connector;
  // The transaction is over: the EVSE opens its contactor, so nothing flows until the next one starts.
  // First, so the meterStop read below includes every Wh that flowed (the meter integrates up to now).
  s.energised = false;
  applyLimit(ctx, c);
  const at = ctx.clock.now();
  const reading = c.meter.read(at);
  const meterStop = wholeRegisterWh(c.meter.registerWh);
  const r = s.record;
  r.stoppedAt = at;
  r.meterStopWh = meterStop;
  r.energyWh = meterStop - (r.meterStartWh ?? meterStop);
  r.socEnd = reading.socPercent === null ? null : reading.socPercent / 100;
  r.stopReason = reason;
  const end = transactionSample(ctx, s, reading, 'Transaction.End');
  const transactionData = s.beginValue && end ? [s.beginValue, end] : null;
  s.stopState = 'queued';
  const payload = stopTransaction({
    transactionId: s.transactionId ?? -1,
    idTag: r.idTag,
    meterStopWh: meterStop,
    at,
    reason,
    transactionData,
  }) as TxPayload;
  enqueueTx(ctx, s, 'StopTransaction', payload, at);
  transactionEnded(ctx, c);
}

function transactionSample(
  ctx: StationContext,
  s: Session,
  reading: MeterReading,
  context: ReadingContext,
): MeterValue | null {
  const measurands = ctx.config.getMeasurands('StopTxnSampledData');
  if (measurands.length === 0) return null;
  return meterValue(reading.at, toSampledValues(reading, measurands as Measurand[], context, s.connector.meter.rating));
}
