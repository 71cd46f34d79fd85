/**
 * The OCPP 1.6J requests a charge point sends and the replies the CSMS gives, as far as the embedded
 * CSMS reads or writes them. Strict mode has already validated every request against the OCA schema
 * before a handler sees it, so these types describe valid payloads only.
 */

export type AuthorizationStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx';
export type RegistrationStatus = 'Accepted' | 'Pending' | 'Rejected';

export interface IdTagInfo {
  status: AuthorizationStatus;
}

export interface SampledValue {
  value: string;
  context?: string;
  format?: 'Raw' | 'SignedData';
  measurand?: string;
  phase?: string;
  location?: string;
  unit?: string;
}

export interface MeterValue {
  timestamp: string;
  sampledValue: SampledValue[];
}

export interface BootNotificationReq {
  chargePointVendor: string;
  chargePointModel: string;
  firmwareVersion?: string;
}

export interface StatusNotificationReq {
  connectorId: number;
  errorCode: string;
  status: string;
  timestamp?: string;
}

export interface AuthorizeReq {
  idTag: string;
}

export interface StartTransactionReq {
  connectorId: number;
  idTag: string;
  meterStart: number;
  reservationId?: number;
  timestamp: string;
}

export interface MeterValuesReq {
  connectorId: number;
  transactionId?: number;
  meterValue: MeterValue[];
}

export interface StopTransactionReq {
  idTag?: string;
  meterStop: number;
  timestamp: string;
  transactionId: number;
  reason?: string;
  transactionData?: MeterValue[];
}

/** The actions a 1.6J charge point may send to a central system; all of them are handled. */
export const CHARGE_POINT_ACTIONS = [
  'Authorize',
  'BootNotification',
  'DataTransfer',
  'DiagnosticsStatusNotification',
  'FirmwareStatusNotification',
  'Heartbeat',
  'MeterValues',
  'StartTransaction',
  'StatusNotification',
  'StopTransaction',
] as const;

export type ChargePointAction = (typeof CHARGE_POINT_ACTIONS)[number];

/**
 * The energy register (Wh) in a list of meter values: the last `Energy.Active.Import.Register` sample
 * (a sample without measurand means that register, per the spec) that is not per phase and not signed.
 * kWh values are converted. Null when there is none.
 */
export function lastEnergyRegisterWh(meterValues: MeterValue[]): number | null {
  for (let i = meterValues.length - 1; i >= 0; i--) {
    const samples = meterValues[i].sampledValue;
    for (let j = samples.length - 1; j >= 0; j--) {
      const wh = energyWh(samples[j]);
      if (wh !== null) return wh;
    }
  }
  return null;
}

function energyWh(s: SampledValue): number | null {
  if (s.measurand !== undefined && s.measurand !== 'Energy.Active.Import.Register') return null;
  if (s.phase !== undefined || s.format === 'SignedData') return null;
  const v = Number(s.value);
  if (!Number.isFinite(v)) return null;
  return s.unit === 'kWh' ? v * 1000 : v;
}
