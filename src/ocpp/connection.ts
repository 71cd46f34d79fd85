/**
 * One charge point's OCPP-J connection: a thin wrapper over ocpp-rpc's RPCClient that times every
 * call, reports it to the fleet observer and turns failures into a `CallFailure` with a single error
 * label. This file and the embedded CSMS are the only places that import ocpp-rpc.
 *
 * Timing (coordinated omission): a call's latency runs from when it was due, not from when it went
 * on the wire. The caller passes the simulated time the message was due (a sampling tick, a heartbeat
 * tick, a queued message's creation); without one, the call was due when it was requested. The due
 * time becomes wall time as `performance.now() − (clock.now() − due) / clock.speed`. When the CALL
 * finally goes on the wire (its turn in the one-at-a-time call queue), the slip is reported as
 * `observer.sendDelay` and the optional trace hook sees the CALL.
 */
import ocppRpc from 'ocpp-rpc';
import { DISCONNECTED, TIMEOUT, type CallError, type FleetObserver } from '../metrics/types.js';
import type { CallTraceEvent } from '../station/types.js';
import type { Clock } from '../util/clock.js';

const { RPCClient, RPCError, TimeoutError, createRPCError } = ocppRpc;

/**
 * A call that did not get a CALLRESULT: `code` is the CALLERROR code, 'Timeout' or 'Disconnected'.
 * `msgId` is the message id the CALL went out with (null if it never reached the socket).
 */
export class CallFailure extends Error {
  constructor(
    readonly action: string,
    readonly code: CallError,
    readonly msgId: string | null = null,
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
  /** The station's simulated clock: due times and trace timestamps are simulated epoch ms. */
  clock: Clock;
  /** Sees every CALL as it goes on the wire. */
  trace?: (event: CallTraceEvent) => void;
  onOpen(): void;
  onDisconnect(): void;
  /** A CALLRESULT arrived for a call that had already failed (timed out): its message id and payload. */
  onLateReply(msgId: string, result: unknown): void;
}

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

/** Marks errors the handler wrapper has already reported, so the 'callError' listener skips them. */
const REPORTED = Symbol('reported');

type CallImpl = (method: string, params: unknown, options?: object) => Promise<unknown>;

/**
 * Per-call options handed through ocpp-rpc's call queue to the moment the CALL goes on the wire
 * (ocpp-rpc reads only its own option names from the object and ignores these).
 */
class CallTiming {
  constructor(
    /** performance.now() time the message was due. */
    readonly dueWall: number,
    readonly retry: boolean,
  ) {}
}

/** Called as a CALL goes on the wire. */
type OnWire = (method: string, params: object, timing: CallTiming) => void;

class StationClient extends RPCClient {
  onWire: OnWire | null = null;

  constructor(options: ConstructorParameters<typeof RPCClient>[0]) {
    super(options);
    // ocpp-rpc buffers a CALL made while it reconnects and sends it once the socket is back, even if
    // the call timed out meanwhile: a message the station already decided to resend would then arrive
    // twice. Calls (queued behind others, one at a time) check the socket when their turn comes and
    // fail at once instead. `_call` is the per-call step of ocpp-rpc's call queue.
    const self = this as unknown as { _call: CallImpl };
    const base = self._call;
    self._call = (method, params, options) => {
      if (this.state !== RPCClient.OPEN) return Promise.reject(new Error('socket not open'));
      if (options instanceof CallTiming && this.onWire !== null) this.onWire(method, params as object, options);
      return base.call(this, method, params, options);
    };
  }

  /** Drops the TCP socket without a closing handshake. */
  terminate(): void {
    this._ws?.terminate();
  }
}

/**
 * Reconnect back-off after a lost connection (wall time: it paces real sockets against a real CSMS).
 * In the spirit of OCPP 2.0.1's RetryBackOffWaitMinimum / RetryBackOffRandomRange /
 * RetryBackOffRepeatTimes: the first retry after 1 s, each later wait doubled, capped at 40 s, and each
 * stretched by a random 0-50 % so a fleet cut off at once does not reconnect in lockstep and stampede
 * the recovering CSMS (waits of 1-1.5 s, 2-3 s, 4-6 s, ..., 40-60 s). ocpp-rpc draws that jitter from
 * Math.random: acceptable here, since it only moves wall-clock reconnect times and never the seeded
 * session plan.
 */
const RECONNECT_BACKOFF = { initialDelay: 1000, maxDelay: 40_000, factor: 2, randomisationFactor: 0.5 };

export function classifyError(err: unknown): CallError {
  if (err instanceof TimeoutError) return TIMEOUT;
  if (err instanceof RPCError) return err.rpcErrorCode || 'GenericError';
  return DISCONNECTED;
}

export function createConnection(opts: ConnectionOptions): OcppConnection {
  const { observer, clock } = opts;
  const rpc = new StationClient({
    identity: opts.identity,
    endpoint: opts.url.replace(/\/+$/, ''),
    password: opts.password,
    protocols: ['ocpp1.6'],
    strictMode: opts.strict,
    callTimeoutMs: opts.callTimeoutMs,
    callConcurrency: 1,
    reconnect: true,
    backoff: RECONNECT_BACKOFF,
    pingIntervalMs: opts.pingIntervalS * 1000,
    // A link that swallows the upgrade request (black hole) must fail the attempt, not hang it.
    wsOpts: { handshakeTimeout: opts.callTimeoutMs },
  } as ConstructorParameters<typeof RPCClient>[0]);
  /** Message ids of failed outbound calls, by payload, read once by `call`. */
  const failedIds = new WeakMap<object, string>();

  rpc.onWire = wireReporter(opts);
  rpc.on('open', () => opts.onOpen());
  rpc.on('disconnect', () => opts.onDisconnect());
  // ws 'error' events are surfaced as 'socketError'; without a listener EventEmitter would throw.
  rpc.on('socketError', () => undefined);
  // Incoming CALLs that never reached a handler: unknown actions (NotImplemented) and strict-mode
  // validation failures. Handled calls report themselves in `serve`.
  rpc.on('callError', (ev: { outbound: boolean; messageId: string; method: string; params: any; error: any }) => {
    if (ev.outbound) {
      if (ev.params !== null && typeof ev.params === 'object') failedIds.set(ev.params, ev.messageId);
      return;
    }
    if (ev.error?.[REPORTED]) return;
    observer.call('received', ev.method, 0, classifyError(ev.error));
  });
  // A CALLRESULT for an unknown message id (the call timed out before it came): ocpp-rpc reports it as
  // a bad message carrying { msgId, result } and keeps the connection (maxBadMessages is Infinity).
  rpc.on('badMessage', (ev: { error?: { details?: { msgId?: unknown; result?: unknown } } }) => {
    const details = ev.error?.details;
    if (details && typeof details.msgId === 'string' && 'result' in details) opts.onLateReply(details.msgId, details.result);
  });

  return {
    connect: async () => {
      // A reconnect loop cut short by close() can leave ocpp-rpc CONNECTING; start from a clean slate.
      if (rpc.state === RPCClient.CONNECTING) await rpc.close({ code: 1000 });
      await rpc.connect();
    },
    isOpen: () => rpc.state === RPCClient.OPEN,
    call: async <T>(action: string, payload: object, dueAt?: number, retry = false): Promise<T> => {
      const timing = new CallTiming(dueWall(clock, dueAt), retry);
      try {
        const result = (await rpc.call(action, payload, timing)) as T;
        observer.call('sent', action, performance.now() - timing.dueWall);
        return result;
      } catch (err) {
        const code = classifyError(err);
        observer.call('sent', action, performance.now() - timing.dueWall, code);
        const msgId = failedIds.get(payload) ?? null;
        failedIds.delete(payload);
        throw new CallFailure(action, code, msgId);
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

/** performance.now() time of the simulated epoch ms `dueAt` (now when absent; never later than now). */
function dueWall(clock: Clock, dueAt: number | undefined): number {
  const now = performance.now();
  if (dueAt === undefined) return now;
  const lateMs = (clock.now() - dueAt) / clock.speed;
  return lateMs > 0 ? now - lateMs : now;
}

/** Reports how late each CALL went on the wire, and traces it. */
function wireReporter(opts: ConnectionOptions): OnWire {
  const { observer, clock, trace } = opts;
  return (method, params, timing) => {
    observer.sendDelay?.(method, performance.now() - timing.dueWall);
    if (trace === undefined) return;
    const event: CallTraceEvent = { at: clock.now(), action: method, payload: params };
    if (timing.retry) event.retry = true;
    trace(event);
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
