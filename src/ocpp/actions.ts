/**
 * Action names of OCPP 1.6J. A CALL naming one of these that the station does not handle is answered
 * with CALLERROR NotSupported; any other name gets NotImplemented (OCPP-J 1.6 §4.2.3).
 */

/** Actions the central system sends to a charge point (OCPP 1.6 edition 2, §5). */
export const CSMS_TO_CP_ACTIONS: readonly string[] = [
  'CancelReservation',
  'ChangeAvailability',
  'ChangeConfiguration',
  'ClearCache',
  'ClearChargingProfile',
  'DataTransfer',
  'GetCompositeSchedule',
  'GetConfiguration',
  'GetDiagnostics',
  'GetLocalListVersion',
  'RemoteStartTransaction',
  'RemoteStopTransaction',
  'ReserveNow',
  'Reset',
  'SendLocalList',
  'SetChargingProfile',
  'TriggerMessage',
  'UnlockConnector',
  'UpdateFirmware',
  // Security extension (OCPP 1.6 security whitepaper), part of the OCA 1.6J schema set.
  'CertificateSigned',
  'DeleteCertificate',
  'ExtendedTriggerMessage',
  'GetInstalledCertificateIds',
  'GetLog',
  'InstallCertificate',
  'SignedUpdateFirmware',
];

/** Actions a charge point sends to the central system (OCPP 1.6 edition 2, §4). */
export const CP_TO_CSMS_ACTIONS: readonly string[] = [
  'Authorize',
  'BootNotification',
  'DiagnosticsStatusNotification',
  'FirmwareStatusNotification',
  'Heartbeat',
  'MeterValues',
  'StartTransaction',
  'StatusNotification',
  'StopTransaction',
  // Security extension.
  'LogStatusNotification',
  'SecurityEventNotification',
  'SignCertificate',
  'SignedFirmwareStatusNotification',
];

/** Every OCPP 1.6J action name, in either direction. */
export const OCPP16_ACTIONS: readonly string[] = [...CSMS_TO_CP_ACTIONS, ...CP_TO_CSMS_ACTIONS];
