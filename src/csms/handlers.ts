/**
 * One function per OCPP 1.6J action a charge point sends. Each takes the CSMS context, the sending
 * station's record and the (already schema-validated) request, and returns the reply payload.
 * Nothing here throws for a well-formed request: unknown or -1 transaction ids are answered normally.
 */
import type { ResolvedCsmsOptions } from './options.js';
import {
  lastEnergyRegisterWh,
  type AuthorizeReq,
  type BootNotificationReq,
  type ChargePointAction,
  type IdTagInfo,
  type MeterValuesReq,
  type StartTransactionReq,
  type StatusNotificationReq,
  type StopTransactionReq,
} from './ocpp16.js';
import { authorizeIdTag, decideBoot } from './policy.js';
import type { CsmsStore, StationRecord } from './store.js';

export interface HandlerContext {
  readonly store: CsmsStore;
  readonly options: ResolvedCsmsOptions;
  /** Epoch ms for currentTime fields. */
  now(): number;
}

export type Handler = (ctx: HandlerContext, station: StationRecord, params: never) => object;

function currentTime(ctx: HandlerContext): string {
  return new Date(ctx.now()).toISOString();
}

function idTagInfo(ctx: HandlerContext, idTag: string): IdTagInfo {
  return { status: authorizeIdTag(ctx.options, idTag) };
}

export function bootNotification(ctx: HandlerContext, station: StationRecord, _req: BootNotificationReq): object {
  ctx.store.countBoot(station);
  const decision = decideBoot(ctx.options, station);
  ctx.store.recordBoot(station, decision.status);
  return { status: decision.status, currentTime: currentTime(ctx), interval: decision.interval };
}

export function heartbeat(ctx: HandlerContext): object {
  return { currentTime: currentTime(ctx) };
}

export function statusNotification(ctx: HandlerContext, station: StationRecord, req: StatusNotificationReq): object {
  ctx.store.setConnectorStatus(station, req);
  return {};
}

export function authorize(ctx: HandlerContext, _station: StationRecord, req: AuthorizeReq): object {
  return { idTagInfo: idTagInfo(ctx, req.idTag) };
}

export function startTransaction(ctx: HandlerContext, station: StationRecord, req: StartTransactionReq): object {
  const status = authorizeIdTag(ctx.options, req.idTag);
  const record = ctx.store.startTransaction(station, req, status);
  return { idTagInfo: { status: record.status }, transactionId: record.transactionId };
}

export function meterValues(ctx: HandlerContext, _station: StationRecord, req: MeterValuesReq): object {
  ctx.store.meterValues(req.transactionId, lastEnergyRegisterWh(req.meterValue));
  return {};
}

export function stopTransaction(ctx: HandlerContext, _station: StationRecord, req: StopTransactionReq): object {
  ctx.store.stopTransaction(req);
  return req.idTag === undefined ? {} : { idTagInfo: idTagInfo(ctx, req.idTag) };
}

export function dataTransfer(): object {
  return { status: 'UnknownVendorId' };
}

export function notificationAck(): object {
  return {};
}

/** The handler of every action; the server registers exactly these. */
export const HANDLERS: Record<ChargePointAction, Handler> = {
  Authorize: authorize,
  BootNotification: bootNotification,
  DataTransfer: dataTransfer,
  DiagnosticsStatusNotification: notificationAck,
  FirmwareStatusNotification: notificationAck,
  Heartbeat: heartbeat,
  MeterValues: meterValues,
  StartTransaction: startTransaction,
  StatusNotification: statusNotification,
  StopTransaction: stopTransaction,
};
