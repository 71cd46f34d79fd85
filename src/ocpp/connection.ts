/**
 * One charge point's OCPP-J connection, as the station sees it: calls that are timed and reported to
 * the fleet observer and fail with a `CallFailure` carrying a single error label, incoming CALLs
 * routed to the station, reconnects and keep-alive pings. The implementation is a lean framing layer
 * over `ws` (wire-connection.ts, socket-link.ts) that keeps ocpp-rpc's schemas (validation.ts) and
 * error semantics without ocpp-rpc's per-call timers, error objects and event fan-out.
 *
 * Timing (coordinated omission): a call's latency runs from when it was due, not from when it went
 * on the wire. The caller passes the simulated time the message was due (a sampling tick, a heartbeat
 * tick, a queued message's creation); without one, the call was due when it was requested. When the
 * CALL finally goes on the wire (its turn in the one-at-a-time call queue), the slip is reported as
 * `observer.sendDelay` and the optional trace hook sees the CALL.
 */
import ocppRpc from 'ocpp-rpc';
import { DISCONNECTED, TIMEOUT, type CallError } from '../metrics/types.js';
import { CallFailure } from './call-failure.js';
import type { Dispatch } from './inbound.js';
import { rpcErrorCode } from './validation.js';
import { WireConnection, type WireOptions } from './wire-connection.js';

export { CallFailure } from './call-failure.js';
export type { Dispatch } from './inbound.js';

const { TimeoutError, createRPCError } = ocppRpc;

/** An error a handler throws to answer an incoming CALL with CALLERROR `code`. */
export function callError(code: string, message = ''): Error {
  return createRPCError(code, message) as Error;
}

/** What a connection is built from (documented field by field in wire-connection.ts and socket-link.ts). */
export type ConnectionOptions = WireOptions;

export interface OcppConnection {
  /** Opens the socket; rejects if the first attempt fails. Later drops reconnect on their own. */
  connect(): Promise<void>;
  /** The socket is open (calls can go out now). */
  isOpen(): boolean;
  /**
   * Sends a CALL and resolves with the CALLRESULT payload; rejects with `CallFailure`. While the socket
   * is not open the call fails at once with 'Disconnected' (it is never buffered for a later connection).
   * `dueAt`: simulated epoch ms the message was due (default: now); its latency is measured from then.
   * `retry`: the message is sent again after a failed attempt (marked in the trace).
   */
  call<T = unknown>(action: string, payload: object, dueAt?: number, retry?: boolean): Promise<T>;
  /** Routes incoming CALLs of the listed actions to `dispatch`; other actions get NotImplemented. */
  serve(actions: readonly string[], dispatch: Dispatch): void;
  setPingInterval(seconds: number): void;
  /** Closes the socket; terminates it if the closing handshake takes longer than `graceMs` (wall). */
  close(graceMs?: number): Promise<void>;
}

/** The error label of a failed call: CALLERROR code, 'Timeout' or 'Disconnected'. */
export function classifyError(err: unknown): CallError {
  if (err instanceof CallFailure) return err.code;
  if (err instanceof TimeoutError) return TIMEOUT;
  return rpcErrorCode(err) ?? DISCONNECTED;
}

export function createConnection(opts: ConnectionOptions): OcppConnection {
  return new WireConnection(opts);
}
