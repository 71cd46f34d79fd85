/**
 * How a conformance station answers calls the CSMS sends it: as a simple charger that supports the
 * core profile only and starts nothing on request. Every answer validates against the OCA 1.6 schema.
 * Each call is logged so the `csms-initiated-calls` case can report them.
 */
import { CSMS_TO_CP_ACTIONS } from '../ocpp/actions.js';
import { trimText } from './evidence.js';
import type { CallAnswer } from './wire.js';

export interface CsmsCallRecord {
  /** The case whose station received the call. */
  caseId: string;
  station: string;
  action: string;
  /** The request payload as JSON, trimmed. */
  payload: string;
  /** What the station answered: a status, `{}` or `CALLERROR <code>`. */
  answer: string;
}

/** Every CSMS-initiated call of one conformance run (shared by its cases, in arrival order). */
export class CsmsCallLog {
  readonly records: CsmsCallRecord[] = [];

  add(record: CsmsCallRecord): void {
    this.records.push(record);
  }
}

const status = (s: string): CallAnswer => ({ result: { status: s } });

function getConfiguration(payload: unknown): CallAnswer {
  const keys = (payload as { key?: unknown })?.key;
  const unknownKey = Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string').slice(0, 100) : [];
  return { result: unknownKey.length > 0 ? { configurationKey: [], unknownKey } : { configurationKey: [] } };
}

/** Fixed answers of a simple charger, by action. */
const ANSWERS: Record<string, (payload: unknown) => CallAnswer> = {
  CancelReservation: () => status('Rejected'),
  ChangeAvailability: () => status('Accepted'),
  ChangeConfiguration: () => status('NotSupported'),
  ClearCache: () => status('Accepted'),
  ClearChargingProfile: () => status('Unknown'),
  DataTransfer: () => status('UnknownVendorId'),
  GetCompositeSchedule: () => status('Rejected'),
  GetConfiguration: getConfiguration,
  GetDiagnostics: () => ({ result: {} }),
  GetLocalListVersion: () => ({ result: { listVersion: -1 } }),
  RemoteStartTransaction: () => status('Rejected'),
  RemoteStopTransaction: () => status('Rejected'),
  ReserveNow: () => status('Rejected'),
  Reset: () => status('Accepted'),
  SendLocalList: () => status('NotSupported'),
  SetChargingProfile: () => status('NotSupported'),
  TriggerMessage: () => status('NotImplemented'),
  UnlockConnector: () => status('NotSupported'),
  UpdateFirmware: () => ({ result: {} }),
};

/** The answer to one CSMS call: known-but-unhandled actions get NotSupported, others NotImplemented (OCPP-J §4.2.3). */
export function answerCsmsCall(action: string, payload: unknown): CallAnswer {
  const answer = ANSWERS[action];
  if (answer) return answer(payload);
  if (CSMS_TO_CP_ACTIONS.includes(action)) return { error: 'NotSupported', description: `${action} is not supported` };
  return { error: 'NotImplemented', description: `Unknown action ${action}` };
}

/** A short text for the log: the status, `{}`, or `CALLERROR <code>`. */
export function describeAnswer(answer: CallAnswer): string {
  if ('error' in answer) return `CALLERROR ${answer.error}`;
  const s = (answer.result as { status?: unknown }).status;
  return typeof s === 'string' ? s : trimText(JSON.stringify(answer.result), 80);
}
