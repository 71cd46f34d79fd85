/**
 * Transaction steps shared by the cases: StartTransaction, MeterValues and StopTransaction built with
 * the station payload builders, each step ending the case when the CSMS does not answer with a
 * CALLRESULT. Every issued transactionId goes through the run's registry, so an id handed out twice is
 * caught whichever case receives it.
 */
import { meterValue, meterValues, startTransaction, stopTransaction } from '../ocpp/payloads.js';
import type { StartTransactionConf, StopReason } from '../ocpp/payloads.js';
import type { SampledValue } from '../meter/types.js';
import type { CaseContext } from './context.js';
import { check, failCase } from './halt.js';
import { describeOutcome, type TestStation } from './station.js';

export const MINUTE_MS = 60_000;

export interface StartInput {
  connectorId: number;
  idTag: string;
  meterStartWh: number;
  /** Epoch ms of the start (in the past for transactions that happened offline). */
  at: number;
}

export interface StartedTransaction {
  transactionId: number;
  /** idTagInfo.status of the reply. */
  status: string;
}

export interface StopInput {
  transactionId: number;
  /** Omitted from the request when null. */
  idTag: string | null;
  meterStopWh: number;
  at: number;
  reason: StopReason;
}

export function startPayload(input: StartInput): object {
  return startTransaction(input.connectorId, input.idTag, input.meterStartWh, input.at);
}

/** Sends a StartTransaction (`payload` to resend an earlier one byte for byte) and reads its reply. */
export async function startTx(ctx: CaseContext, st: TestStation, input: StartInput, payload = startPayload(input)): Promise<StartedTransaction> {
  const conf = await st.request<StartTransactionConf>('StartTransaction', payload);
  return readStartReply(ctx, st, input.connectorId, conf);
}

/** Checks a StartTransaction reply and records its transactionId in the run's registry. */
export function readStartReply(ctx: CaseContext, st: TestStation, connectorId: number, conf: StartTransactionConf): StartedTransaction {
  const transactionId = conf.transactionId;
  if (!Number.isInteger(transactionId)) failCase(`StartTransaction reply has no integer transactionId (${JSON.stringify(transactionId)})`);
  const status = String(conf.idTagInfo?.status);
  ctx.note(`${st.identity}: StartTransaction on connector ${connectorId} → transactionId ${transactionId}, ${status}`);
  const earlier = ctx.shared.txs.issue({ transactionId, caseId: ctx.caseId, station: st.identity, connectorId });
  if (earlier) {
    ctx.problem(
      `transactionId ${transactionId} was already issued to ${earlier.station} connector ${earlier.connectorId} ` +
        `(${earlier.stopped ? 'a transaction already stopped' : 'an open transaction'}, case ${earlier.caseId})`,
    );
  }
  return { transactionId, status };
}

/** Fails the case unless the start for the known idTag was Accepted. */
export function expectAccepted(started: StartedTransaction): void {
  check(started.status === 'Accepted', `StartTransaction for the known idTag answered idTagInfo ${started.status}, not Accepted`);
}

export function energySample(energyWh: number): SampledValue[] {
  return [{ value: String(Math.round(energyWh)), context: 'Sample.Periodic', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }];
}

export function meterValuesPayload(connectorId: number, transactionId: number, at: number, energyWh: number): object {
  return meterValues(connectorId, transactionId, [meterValue(at, energySample(energyWh))]);
}

/** Sends one MeterValues with an energy register reading; anything but a CALLRESULT fails the case. */
export async function sendMeterValues(st: TestStation, connectorId: number, transactionId: number, at: number, energyWh: number): Promise<void> {
  await st.request('MeterValues', meterValuesPayload(connectorId, transactionId, at, energyWh));
}

export function stopPayload(input: StopInput): object {
  const payload = stopTransaction({ ...input, idTag: input.idTag ?? '', transactionData: null }) as Record<string, unknown>;
  if (input.idTag === null) delete payload.idTag;
  return payload;
}

/** Sends a StopTransaction; anything but a CALLRESULT fails the case. */
export async function stopTx(ctx: CaseContext, st: TestStation, input: StopInput, payload = stopPayload(input)): Promise<void> {
  await st.request('StopTransaction', payload);
  ctx.shared.txs.stopped(input.transactionId, st.identity);
}

/**
 * Stops a transaction to leave the CSMS tidy after the case has judged; the outcome only goes into
 * the evidence (the case's verdict is already decided).
 */
export async function tidyStop(ctx: CaseContext, st: TestStation, transactionId: number, idTag: string, meterStopWh: number): Promise<void> {
  const outcome = await st.call('StopTransaction', stopPayload({ transactionId, idTag, meterStopWh, at: ctx.now(), reason: 'Local' }));
  ctx.shared.txs.stopped(transactionId, st.identity);
  ctx.note(`tidy-up: ${describeOutcome('StopTransaction', outcome, ctx.callTimeoutMs)}`);
}
