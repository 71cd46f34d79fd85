/**
 * Builders for every OCPP 1.6J request a charge point sends, plus the reply shapes it reads. Each
 * builder produces a payload that validates against the OCA schema: ISO date-time strings, integers
 * where the schema says integer, strings clipped to their maximum length.
 */
import { isoTime } from '../util/clock.js';
import type { SampledValue } from '../meter/types.js';
import type { StationSpec } from '../station/types.js';

export type ChargePointStatus =
  | 'Available'
  | 'Preparing'
  | 'Charging'
  | 'SuspendedEVSE'
  | 'SuspendedEV'
  | 'Finishing'
  | 'Reserved'
  | 'Unavailable'
  | 'Faulted';

/** OCPP 1.6 ChargePointErrorCode (StatusNotification.req errorCode). */
export type ChargePointErrorCode =
  | 'ConnectorLockFailure'
  | 'EVCommunicationError'
  | 'GroundFailure'
  | 'HighTemperature'
  | 'InternalError'
  | 'LocalListConflict'
  | 'NoError'
  | 'OtherError'
  | 'OverCurrentFailure'
  | 'OverVoltage'
  | 'PowerMeterFailure'
  | 'PowerSwitchFailure'
  | 'ReaderFailure'
  | 'ResetFailure'
  | 'UnderVoltage'
  | 'WeakSignal';

export type StopReason =
  | 'EmergencyStop'
  | 'EVDisconnected'
  | 'HardReset'
  | 'Local'
  | 'Other'
  | 'PowerLoss'
  | 'Reboot'
  | 'Remote'
  | 'SoftReset'
  | 'UnlockCommand'
  | 'DeAuthorized';

export type AuthorizationStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx';
export type RegistrationStatus = 'Accepted' | 'Pending' | 'Rejected';

export interface IdTagInfo {
  status: AuthorizationStatus;
  expiryDate?: string;
  parentIdTag?: string;
}

export interface BootNotificationConf {
  status: RegistrationStatus;
  currentTime: string;
  /** Seconds: heartbeat interval when Accepted, retry wait when Pending or Rejected. */
  interval: number;
}

export interface AuthorizeConf {
  idTagInfo: IdTagInfo;
}

export interface StartTransactionConf {
  transactionId: number;
  idTagInfo: IdTagInfo;
}

export interface MeterValue {
  timestamp: string;
  sampledValue: SampledValue[];
}

const EMPTY: Readonly<Record<string, never>> = Object.freeze({});

function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}

export function bootNotification(spec: StationSpec): object {
  return {
    chargePointVendor: clip(spec.vendor, 20),
    chargePointModel: clip(spec.model, 20),
    chargePointSerialNumber: clip(spec.serialNumber, 25),
    chargeBoxSerialNumber: clip(spec.serialNumber, 25),
    firmwareVersion: clip(spec.firmwareVersion, 50),
  };
}

export function heartbeat(): object {
  return EMPTY;
}

export function statusNotification(
  connectorId: number,
  status: ChargePointStatus,
  at: number,
  errorCode: ChargePointErrorCode = 'NoError',
): object {
  return { connectorId, errorCode, status, timestamp: isoTime(at) };
}

export function authorize(idTag: string): object {
  return { idTag: clip(idTag, 20) };
}

export function startTransaction(connectorId: number, idTag: string, meterStartWh: number, at: number): object {
  return {
    connectorId,
    idTag: clip(idTag, 20),
    meterStart: Math.round(meterStartWh),
    timestamp: isoTime(at),
  };
}

export interface StopTransactionInput {
  transactionId: number;
  idTag: string;
  meterStopWh: number;
  at: number;
  reason: StopReason;
  transactionData: MeterValue[] | null;
}

export function stopTransaction(input: StopTransactionInput): object {
  const payload: Record<string, unknown> = {
    transactionId: input.transactionId,
    idTag: clip(input.idTag, 20),
    meterStop: Math.round(input.meterStopWh),
    timestamp: isoTime(input.at),
    reason: input.reason,
  };
  if (input.transactionData && input.transactionData.length > 0) payload.transactionData = input.transactionData;
  return payload;
}

export function meterValue(at: number, sampledValue: SampledValue[]): MeterValue {
  return { timestamp: isoTime(at), sampledValue };
}

export function meterValues(connectorId: number, transactionId: number | null, values: MeterValue[]): object {
  return transactionId === null
    ? { connectorId, meterValue: values }
    : { connectorId, transactionId, meterValue: values };
}

export type DiagnosticsStatus = 'Idle' | 'Uploaded' | 'UploadFailed' | 'Uploading';
export type FirmwareStatus =
  | 'Downloaded'
  | 'DownloadFailed'
  | 'Downloading'
  | 'Idle'
  | 'InstallationFailed'
  | 'Installing'
  | 'Installed';

export function diagnosticsStatusNotification(status: DiagnosticsStatus = 'Idle'): object {
  return { status };
}

export function firmwareStatusNotification(status: FirmwareStatus = 'Idle'): object {
  return { status };
}
