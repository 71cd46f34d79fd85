/**
 * One charge point's OCPP-J connection: a thin wrapper over ocpp-rpc's RPCClient that times every
 * call, reports it to the fleet observer and turns failures into a `CallFailure` with a single error
 * label. This file and the embedded CSMS are the only places that import ocpp-rpc.
 */
import ocppRpc from 'ocpp-rpc';
import { DISCONNECTED, TIMEOUT, type CallError, type FleetObserver } from '../metrics/types.js';

const { RPCClient, RPCError, TimeoutError, createRPCError } = ocppRpc;

/** A call that did not get a CALLRESULT: `code` is the CALLERROR code, 'Timeout' or 'Disconnected'. */
export class CallFailure extends Error {
  constructor(
    readonly action: string,
    readonly code: CallError,
  ) {
    super(`${action} ${code}`);
    this.name = 'CallFailure';
  }
}

/** An error a handler throws to answer an incoming CALL with CALLERROR `code`. */
export function callError(code: string, message = ''): Error {
  return createRPCError(code, message) as Error;
}

/** Answers one incoming CALL: returns the CALLRESULT payload or throws (see `callError`). */
export type Dispatch = (action: string, params: any) => object | Promise<object>;

export interface ConnectionOptions {
  identity: string;
  /** CSMS base URL; ocpp-rpc appends the identity as the last path segment. */
  url: string;
  password: string | null;
  callTimeoutMs: number;
  /** ocpp-rpc strict mode: validate both directions against the OCA schemas. */
  strict: boolean;
  /** WebSocket ping interval, wall seconds (0 disables). */
  pingIntervalS: number;
  observer: FleetObserver;
  onOpen(): void;
  onDisconnect(): void;
}

export interface OcppConnection {
  /** Opens the socket; rejects if the first attempt fails. Later drops reconnect on their own. */
  connect(): Promise<void>;
  /** Sends a CALL and resolves with the CALLRESULT payload; rejects with `CallFailure`. */
  call<T = unknown>(action: string, payload: object): Promise<T>;
  /** Routes incoming CALLs of the listed actions to `dispatch`; other actions get NotImplemented. */
  serve(actions: readonly string[], dispatch: Dispatch): void;
  setPingInterval(seconds: number): void;
  /** Closes the socket; terminates it if the closing handshake takes longer than `graceMs` (wall). */
  close(graceMs?: number): Promise<void>;
}

/** Marks errors the handler wrapper has already reported, so the 'callError' listener skips them. */
const REPORTED = Symbol('reported');

class StationClient extends RPCClient {
  /** Drops the TCP socket without a closing handshake. */
  terminate(): void {
    this._ws?.terminate();
  }
}

export function classifyError(err: unknown): CallError {
  if (err instanceof TimeoutError) return TIMEOUT;
  if (err instanceof RPCError) return err.rpcErrorCode || 'GenericError';
  return DISCONNECTED;
}

export function createConnection(opts: ConnectionOptions): OcppConnection {
  const { observer } = opts;
  const rpc = new StationClient({
    identity: opts.identity,
    endpoint: opts.url.replace(/\/+$/, ''),
    password: opts.password,
    protocols: ['ocpp1.6'],
    strictMode: opts.strict,
    callTimeoutMs: opts.callTimeoutMs,
    callConcurrency: 1,
    reconnect: true,
    pingIntervalMs: opts.pingIntervalS * 1000,
  } as ConstructorParameters<typeof RPCClient>[0]);

  rpc.on('open', () => opts.onOpen());
  rpc.on('disconnect', () => opts.onDisconnect());
  // ws 'error' events are surfaced as 'socketError'; without a listener EventEmitter would throw.
  rpc.on('socketError', () => undefined);
  // Incoming CALLs that never reached a handler: unknown actions (NotImplemented) and strict-mode
  // validation failures. Handled calls report themselves in `serve`.
  rpc.on('callError', (ev: { outbound: boolean; method: string; error: any }) => {
    if (ev.outbound || ev.error?.[REPORTED]) return;
    observer.call('received', ev.method, 0, classifyError(ev.error));
  });

  return {
    connect: async () => {
      await rpc.connect();
    },
    call: async <T>(action: string, payload: object): Promise<T> => {
      const t0 = performance.now();
      try {
        const result = (await rpc.call(action, payload)) as T;
        observer.call('sent', action, performance.now() - t0);
        return result;
      } catch (err) {
        const code = classifyError(err);
        observer.call('sent', action, performance.now() - t0, code);
        throw new CallFailure(action, code);
      }
    },
    serve: (actions, dispatch) => {
      const handler = async ({ method, params }: { method?: string; params?: any }) => {
        const action = method ?? '';
        const t0 = performance.now();
        try {
          const result = await dispatch(action, params);
          observer.call('received', action, performance.now() - t0);
          return result as Record<string, any>;
        } catch (err) {
          observer.call('received', action, performance.now() - t0, classifyError(err));
          if (err !== null && typeof err === 'object') (err as any)[REPORTED] = true;
          throw err;
        }
      };
      for (const action of actions) rpc.handle(action, handler);
    },
    setPingInterval: (seconds) => {
      rpc.reconfigure({ pingIntervalMs: seconds * 1000 } as ConstructorParameters<typeof RPCClient>[0]);
    },
    close: (graceMs = 1000) => closeClient(rpc, graceMs),
  };
}

async function closeClient(rpc: StationClient, graceMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const forced = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      rpc.terminate();
      resolve();
    }, graceMs);
  });
  try {
    await Promise.race([rpc.close({ code: 1000, reason: 'Station closing' }), forced]);
  } finally {
    clearTimeout(timer);
  }
}
