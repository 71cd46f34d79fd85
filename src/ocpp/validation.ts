/**
 * Schema validation of OCPP 1.6J payloads with ocpp-rpc's own validator (ajv + formats over the OCA
 * JSON schemas that ship with ocpp-rpc), so a station in strict mode accepts and rejects exactly what an
 * ocpp-rpc strict-mode client would, with the same error codes.
 *
 * The schema set is compiled once per process and shared by every connection (ajv compiles each
 * `urn:<Action>.req|conf` schema on first use and caches it): a fleet of 10,000 stations holds one
 * validator, not 10,000.
 */
import { createRequire } from 'node:module';
import ocppRpc from 'ocpp-rpc';

const { createValidator, RPCError } = ocppRpc;

/** Validates one payload against `urn:<Action>.req` or `urn:<Action>.conf`; throws an RPCError if invalid. */
export interface SchemaValidator {
  validate(schemaId: string, payload: unknown): unknown;
}

let shared: SchemaValidator | undefined;

/** The process-wide OCPP 1.6J validator, compiled on first use. */
export function sharedValidator(): SchemaValidator {
  if (shared === undefined) {
    // Loaded with require: no JSON-module import warning on any Node 20.
    const schemas = createRequire(import.meta.url)('ocpp-rpc/lib/schemas/ocpp1_6.json') as object;
    shared = createValidator('ocpp1.6', schemas) as SchemaValidator;
  }
  return shared;
}

/** The error's OCPP-J error code when it is an ocpp-rpc RPCError (a validation failure, `callError`), else null. */
export function rpcErrorCode(err: unknown): string | null {
  return err instanceof RPCError ? err.rpcErrorCode || 'GenericError' : null;
}

/**
 * The code to put on the wire in OCPP 1.6J: ocpp-rpc's validator uses the OCPP 2.0.1 spellings
 * FormatViolation and OccurenceConstraintViolation, which the OCPP-J 1.6 errata (section 5) name
 * FormationViolation and OccurrenceConstraintViolation.
 */
export function wireErrorCode16(code: string): string {
  if (code === 'FormatViolation') return 'FormationViolation';
  if (code === 'OccurenceConstraintViolation') return 'OccurrenceConstraintViolation';
  return code;
}

/** CALLERROR codes a CALLERROR we receive may carry; any other code counts as GenericError (as in ocpp-rpc). */
const KNOWN_ERROR_CODES: ReadonlySet<string> = new Set([
  'GenericError',
  'NotImplemented',
  'NotSupported',
  'InternalError',
  'ProtocolError',
  'SecurityError',
  'FormationViolation',
  'FormatViolation',
  'PropertyConstraintViolation',
  'OccurenceConstraintViolation',
  'OccurrenceConstraintViolation',
  'TypeConstraintViolation',
  'MessageTypeNotSupported',
  'RpcFrameworkError',
]);

/** The error code a received CALLERROR counts as. */
export function receivedErrorCode(code: unknown): string {
  return typeof code === 'string' && KNOWN_ERROR_CODES.has(code) ? code : 'GenericError';
}

/** The CALLERROR description and details ocpp-rpc would send for `err`. */
export function errorText(err: unknown): { description: string; details: object } {
  const e = (err ?? {}) as { message?: unknown; rpcErrorMessage?: unknown; details?: unknown };
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : e.rpcErrorMessage;
  const details = e.details !== null && typeof e.details === 'object' ? e.details : {};
  return { description: typeof message === 'string' ? message : '', details };
}
