/**
 * Answers the CALLs a CSMS sends to the station, with ocpp-rpc's semantics: an action nobody serves
 * gets NotImplemented; in strict mode a payload that breaks its `<Action>.req` schema gets the
 * validator's code (FormationViolation, TypeConstraintViolation, PropertyConstraintViolation,
 * OccurrenceConstraintViolation, ProtocolError, in their OCPP 1.6J spellings); a handler that throws
 * `callError(code)` gets that code, any other exception InternalError; a reply that breaks its
 * `<Action>.conf` schema is replaced by InternalError. Every answered CALL is reported to the observer.
 */
import WebSocket from 'ws';
import type { FleetObserver } from '../metrics/types.js';
import { errorFrame, resultFrame } from './framing.js';
import { errorText, rpcErrorCode, wireErrorCode16, type SchemaValidator } from './validation.js';

/** Answers one incoming CALL: returns the CALLRESULT payload or throws (see `callError`). */
export type Dispatch = (action: string, params: any) => object | Promise<object>;

export interface Served {
  readonly actions: readonly string[];
  readonly dispatch: Dispatch;
}

/** What answering needs from the connection. */
export interface InboundHost {
  readonly served: Served | null;
  readonly validator: SchemaValidator | null;
  readonly observer: FleetObserver;
}

const INTERNAL_ERROR_TEXT =
  'An internal error occurred and the receiver was not able to process the requested method successfully';

/** Handles CALL `[2, id, action, params]` that arrived on `ws`; the answer goes back on the same socket. */
export function answerCall(host: InboundHost, ws: WebSocket, id: string, action: string, params: unknown): void {
  const served = host.served;
  if (served === null || !served.actions.includes(action)) {
    host.observer.call('received', action, 0, 'NotImplemented');
    send(ws, errorFrame(id, 'NotImplemented', `Unable to handle '${action}' calls`, {}));
    return;
  }
  if (host.validator !== null) {
    try {
      host.validator.validate(`urn:${action}.req`, params);
    } catch (err) {
      const code = rpcErrorCode(err) ?? 'FormatViolation';
      host.observer.call('received', action, 0, code);
      sendError(ws, id, code, err);
      return;
    }
  }
  const t0 = performance.now();
  let result: object | Promise<object>;
  try {
    result = served.dispatch(action, params);
  } catch (err) {
    failed(host, ws, id, action, t0, err);
    return;
  }
  if (isThenable(result)) {
    result.then(
      (value) => succeeded(host, ws, id, action, t0, value),
      (err: unknown) => failed(host, ws, id, action, t0, err),
    );
  } else {
    succeeded(host, ws, id, action, t0, result);
  }
}

function succeeded(host: InboundHost, ws: WebSocket, id: string, action: string, t0: number, result: unknown): void {
  host.observer.call('received', action, performance.now() - t0);
  if (host.validator !== null) {
    try {
      host.validator.validate(`urn:${action}.conf`, result);
    } catch {
      send(ws, errorFrame(id, 'InternalError', INTERNAL_ERROR_TEXT, {}));
      return;
    }
  }
  send(ws, resultFrame(id, result));
}

function failed(host: InboundHost, ws: WebSocket, id: string, action: string, t0: number, err: unknown): void {
  const code = rpcErrorCode(err) ?? 'InternalError';
  host.observer.call('received', action, performance.now() - t0, code);
  sendError(ws, id, code, err);
}

function sendError(ws: WebSocket, id: string, code: string, err: unknown): void {
  const { description, details } = errorText(err);
  send(ws, errorFrame(id, wireErrorCode16(code), description, details));
}

/** Sends on the socket the CALL came on, if it is still open (never on a later connection). */
export function send(ws: WebSocket, text: string): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(text);
}

function isThenable(v: unknown): v is Promise<object> {
  return v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';
}
