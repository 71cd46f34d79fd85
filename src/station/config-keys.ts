/**
 * The OCPP 1.6 configuration keys a virtual charge point reports (Core profile, plus the Local Auth
 * List and Smart Charging keys), how each value is validated, and their initial values. Static data:
 * shared by every station; only the values live per station.
 */
import type { Measurand, MeterConfig } from '../scenario/types.js';

export type KeyKind = 'bool' | 'int' | 'measurands' | 'phaseRotation' | 'text';

export interface KeyDef {
  readonly key: string;
  readonly readonly: boolean;
  readonly kind: KeyKind;
}

const def = (key: string, kind: KeyKind, readonly = false): KeyDef => ({ key, kind, readonly });

export const KEY_DEFS: readonly KeyDef[] = [
  def('AllowOfflineTxForUnknownId', 'bool'),
  def('AuthorizationCacheEnabled', 'bool'),
  def('AuthorizeRemoteTxRequests', 'bool'),
  def('ClockAlignedDataInterval', 'int'),
  def('ConnectionTimeOut', 'int'),
  def('ConnectorPhaseRotation', 'phaseRotation'),
  def('GetConfigurationMaxKeys', 'int', true),
  def('HeartbeatInterval', 'int'),
  def('LocalAuthorizeOffline', 'bool'),
  def('LocalPreAuthorize', 'bool'),
  def('MeterValuesAlignedData', 'measurands'),
  def('MeterValuesSampledData', 'measurands'),
  def('MeterValueSampleInterval', 'int'),
  def('NumberOfConnectors', 'int', true),
  def('ResetRetries', 'int'),
  def('StopTransactionOnEVSideDisconnect', 'bool'),
  def('StopTransactionOnInvalidId', 'bool'),
  def('StopTxnAlignedData', 'measurands'),
  def('StopTxnSampledData', 'measurands'),
  def('SupportedFeatureProfiles', 'text', true),
  def('TransactionMessageAttempts', 'int'),
  def('TransactionMessageRetryInterval', 'int'),
  def('UnlockConnectorOnEVSideDisconnect', 'bool'),
  def('WebSocketPingInterval', 'int'),
  def('LocalAuthListEnabled', 'bool'),
  def('LocalAuthListMaxLength', 'int', true),
  def('SendLocalListMaxLength', 'int', true),
  def('ChargeProfileMaxStackLevel', 'int', true),
  def('ChargingScheduleAllowedChargingRateUnit', 'text', true),
  def('ChargingScheduleMaxPeriods', 'int', true),
  def('MaxChargingProfilesInstalled', 'int', true),
];

/** Key name → position in KEY_DEFS (and in a store's value array). */
export const KEY_INDEX: ReadonlyMap<string, number> = new Map(KEY_DEFS.map((d, i) => [d.key, i]));

/** Measurands the meter model can produce; MeterValues*Data / StopTxn*Data accept only these. */
export const SUPPORTED_MEASURANDS: ReadonlySet<string> = new Set<Measurand>([
  'Energy.Active.Import.Register',
  'Power.Active.Import',
  'Current.Import',
  'Current.Offered',
  'Voltage',
  'SoC',
  'Temperature',
]);

const PHASE_ROTATION = /^\d+\.(NotApplicable|Unknown|RST|RTS|SRT|STR|TRS|TSR)$/;
const MAX_INT_VALUE = 2_147_483;

/** The normalised value if `value` is valid for `kind`, else null. */
export function normaliseValue(kind: KeyKind, value: string): string | null {
  const text = value.trim();
  switch (kind) {
    case 'bool': {
      const lower = text.toLowerCase();
      return lower === 'true' || lower === 'false' ? lower : null;
    }
    case 'int':
      return /^\d+$/.test(text) && Number(text) <= MAX_INT_VALUE ? String(Number(text)) : null;
    case 'measurands':
      return normaliseList(text, (item) => SUPPORTED_MEASURANDS.has(item));
    case 'phaseRotation':
      return normaliseList(text, (item) => PHASE_ROTATION.test(item));
    case 'text':
      return text;
  }
}

function normaliseList(text: string, valid: (item: string) => boolean): string | null {
  if (text === '') return '';
  const items = text.split(',').map((s) => s.trim());
  return items.every(valid) ? items.join(',') : null;
}

export interface InitialConfig {
  connectors: number;
  heartbeatIntervalS: number;
  meter: MeterConfig;
}

/** The initial value of every key, in KEY_DEFS order. */
export function initialValues(init: InitialConfig): string[] {
  const seconds = (ms: number) => String(Math.max(0, Math.round(ms / 1000)));
  const values: Record<string, string> = {
    AllowOfflineTxForUnknownId: 'false',
    AuthorizationCacheEnabled: 'true',
    AuthorizeRemoteTxRequests: 'false',
    ClockAlignedDataInterval: seconds(init.meter.clockAlignedIntervalMs),
    ConnectionTimeOut: '60',
    ConnectorPhaseRotation: '0.RST',
    GetConfigurationMaxKeys: String(KEY_DEFS.length),
    HeartbeatInterval: String(Math.max(0, Math.round(init.heartbeatIntervalS))),
    LocalAuthorizeOffline: 'true',
    LocalPreAuthorize: 'false',
    MeterValuesAlignedData: init.meter.alignedMeasurands.join(','),
    MeterValuesSampledData: init.meter.measurands.join(','),
    MeterValueSampleInterval: seconds(init.meter.sampleIntervalMs),
    NumberOfConnectors: String(init.connectors),
    ResetRetries: '3',
    StopTransactionOnEVSideDisconnect: 'true',
    StopTransactionOnInvalidId: 'true',
    StopTxnAlignedData: '',
    StopTxnSampledData: 'Energy.Active.Import.Register',
    SupportedFeatureProfiles: 'Core,RemoteTrigger,SmartCharging',
    TransactionMessageAttempts: '3',
    TransactionMessageRetryInterval: '60',
    UnlockConnectorOnEVSideDisconnect: 'true',
    WebSocketPingInterval: '30',
    LocalAuthListEnabled: 'false',
    LocalAuthListMaxLength: '0',
    SendLocalListMaxLength: '0',
    ChargeProfileMaxStackLevel: '8',
    ChargingScheduleAllowedChargingRateUnit: 'Current,Power',
    ChargingScheduleMaxPeriods: '24',
    MaxChargingProfilesInstalled: '16',
  };
  return KEY_DEFS.map((d) => values[d.key]);
}
