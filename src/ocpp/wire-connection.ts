/**
 * A lean OCPP-J 1.6 client: the station's `OcppConnection`, framing its calls over a `SocketLink`.
 *
 * - One CALL in flight; further calls wait in a small FIFO array and go out when the head settles. A
 *   call made while the link is not open fails at once with 'Disconnected' (never buffered).
 * - No timer and no error object per successful call: the in-flight call stores a deadline that the
 *   process-wide `CallDeadlines` tick checks; a failed call rejects with a `CallFailure`.
 * - Each incoming frame is parsed once; a reply is matched against the in-flight call by id; a
 *   CALLRESULT for any other id is a late reply (its call timed out) and goes to `onLateReply`.
 * - Strict mode validates outgoing requests and the replies to them with the shared validator, as
 *   ocpp-rpc's strict mode does; incoming CALLs are answered in inbound.ts.
 *
 * Timing (coordinated omission): a call's latency runs from when it was due (`dueAt`, simulated ms),
 * converted to wall time as `performance.now() − (clock.now() − due) / clock.speed`. When the CALL goes
 * on the wire (its turn in the queue) the slip is reported as `observer.sendDelay` and the trace hook
 * sees the CALL.
 */
import type WebSocket from 'ws';
import { DISCONNECTED, TIMEOUT, type FleetObserver } from '../metrics/types.js';
import type { CallTraceEvent } from '../station/types.js';
import type { Clock } from '../util/clock.js';
import { CallFailure } from './call-failure.js';
import { sharedCallDeadlines, type CallDeadlines } from './call-timeouts.js';
import type { OcppConnection } from './connection.js';
import { answerableId, CALL, CALLRESULT, callFrame, errorFrame, frameProblem, type Frame } from './framing.js';
import { answerCall, send, type Dispatch, type InboundHost, type Served } from './inbound.js';
import { SocketLink, type LinkOptions, type LinkOwner } from './socket-link.js';
import { receivedErrorCode, rpcErrorCode, sharedValidator, type SchemaValidator } from './validation.js';

/** What a connection is built from (`ConnectionOptions` in connection.ts). */
export interface WireOptions extends LinkOptions {
  /** Strict mode (as ocpp-rpc's): validate both directions against the OCA schemas. */
  strict: boolean;
  observer: FleetObserver;
  /** The station's simulated clock: due times and trace timestamps are simulated epoch ms. */
  clock: Clock;
  /** Sees every CALL as it goes on the wire. */
  trace?: (event: CallTraceEvent) => void;
  onOpen(): void;
  onDisconnect(): void;
  /** A CALLRESULT arrived for a call that had already failed (timed out): its message id and payload. */
  onLateReply(msgId: string, result: unknown): void;
  /** The deadline check this connection joins (default: the process-wide one). */
  deadlines?: CallDeadlines;
}

/** One call from `call()` until it settles. */
class PendingCall {
  msgId: string | null = null;
  deadline = Infinity;
  constructor(
    readonly action: string,
    readonly payload: object,
    /** performance.now() time the message was due. */
    readonly dueWall: number,
    readonly retry: boolean,
    readonly resolve: (value: unknown) => void,
    readonly reject: (err: CallFailure) => void,
  ) {}
}

export class WireConnection implements OcppConnection, LinkOwner, InboundHost {
  readonly observer: FleetObserver;
  readonly validator: SchemaValidator | null;
  served: Served | null = null;
  private readonly link: SocketLink;
  /** Message ids: a per-station counter, unique across the station's connections. */
  private seq = 0;
  private inFlight: PendingCall | null = null;
  private readonly queue: PendingCall[] = [];

  constructor(private readonly opts: WireOptions) {
    this.observer = opts.observer;
    this.validator = opts.strict ? sharedValidator() : null;
    this.link = new SocketLink(opts, this, opts.deadlines ?? sharedCallDeadlines());
  }

  connect(): Promise<void> {
    return this.link.connect();
  }

  isOpen(): boolean {
    return this.link.isOpen();
  }

  call<T = unknown>(action: string, payload: object, dueAt?: number, retry = false): Promise<T> {
    const due = dueWall(this.opts.clock, dueAt);
    if (!this.link.isOpen()) {
      this.observer.call('sent', action, performance.now() - due, DISCONNECTED);
      return Promise.reject(new CallFailure(action, DISCONNECTED));
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push(new PendingCall(action, payload, due, retry, resolve as (v: unknown) => void, reject));
      if (this.inFlight === null) this.sendNext();
    });
  }

  serve(actions: readonly string[], dispatch: Dispatch): void {
    this.served = { actions, dispatch };
  }

  setPingInterval(seconds: number): void {
    this.link.setPingInterval(seconds);
  }

  close(graceMs = 1000): Promise<void> {
    return this.link.close(graceMs);
  }

  checkDeadlines(now: number): void {
    const p = this.inFlight;
    if (p !== null && now >= p.deadline) {
      this.inFlight = null;
      this.fail(p, TIMEOUT);
      this.sendNext();
    }
    this.link.checkPing(now);
  }

  linkOpened(): void {
    this.opts.onOpen();
  }

  linkClosing(): void {
    this.failPending();
  }

  linkClosed(): void {
    this.opts.onDisconnect();
    this.failPending();
  }

  received(ws: WebSocket, data: WebSocket.RawData): void {
    const text = data.toString();
    if (text.length === 0) return; // empty frames are ignored, as ocpp-rpc does
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.malformed(ws, text, undefined, 'Message must be a JSON structure');
      return;
    }
    const problem = frameProblem(msg);
    if (problem !== null) return this.malformed(ws, text, msg, problem);
    const frame = msg as Frame;
    const id = frame[1] as string;
    if (frame[0] === CALL) answerCall(this, ws, id, frame[2] as string, frame[3]);
    else if (frame[0] === CALLRESULT) this.onResult(id, frame[2]);
    else this.onCallError(id, frame[2]);
  }

  private sendNext(): void {
    while (this.inFlight === null && this.queue.length > 0) {
      const p = this.queue.shift() as PendingCall;
      const ws = this.link.socket;
      if (ws === null) {
        this.fail(p, DISCONNECTED);
        continue;
      }
      this.onWire(p);
      if (this.validator !== null) {
        try {
          this.validator.validate(`urn:${p.action}.req`, p.payload);
        } catch (err) {
          this.fail(p, rpcErrorCode(err) ?? 'GenericError');
          continue;
        }
      }
      p.msgId = (++this.seq).toString(36);
      const timeout = this.opts.callTimeoutMs;
      if (timeout > 0 && timeout < Infinity) p.deadline = performance.now() + timeout;
      this.inFlight = p;
      ws.send(callFrame(p.msgId, p.action, p.payload));
    }
  }

  /** Reports how late the CALL goes on the wire, and traces it. */
  private onWire(p: PendingCall): void {
    this.observer.sendDelay?.(p.action, performance.now() - p.dueWall);
    const trace = this.opts.trace;
    if (trace === undefined) return;
    const event: CallTraceEvent = { at: this.opts.clock.now(), action: p.action, payload: p.payload };
    if (p.retry) event.retry = true;
    trace(event);
  }

  private fail(p: PendingCall, code: string): void {
    this.observer.call('sent', p.action, performance.now() - p.dueWall, code);
    p.reject(new CallFailure(p.action, code, p.msgId));
  }

  /** Fails the call in flight and every queued one with 'Disconnected'. */
  private failPending(): void {
    const head = this.inFlight;
    this.inFlight = null;
    const rest = this.queue.length > 0 ? this.queue.splice(0) : null;
    if (head !== null) this.fail(head, DISCONNECTED);
    if (rest !== null) for (const p of rest) this.fail(p, DISCONNECTED);
  }

  /** OCPP-J 1.6 §4.2.3: a message that is not a valid frame is answered FormationViolation if its id can be read. */
  private malformed(ws: WebSocket, text: string, msg: unknown, problem: string): void {
    const id = answerableId(text, msg);
    if (id !== null) send(ws, errorFrame(id, 'FormationViolation', problem, {}));
  }

  private onResult(id: string, result: unknown): void {
    const p = this.inFlight;
    if (p === null || p.msgId !== id) {
      this.opts.onLateReply(id, result);
      return;
    }
    this.inFlight = null;
    let invalid: string | null = null;
    if (this.validator !== null) {
      try {
        this.validator.validate(`urn:${p.action}.conf`, result);
      } catch (err) {
        invalid = rpcErrorCode(err) ?? 'GenericError';
      }
    }
    if (invalid !== null) this.fail(p, invalid);
    else {
      this.observer.call('sent', p.action, performance.now() - p.dueWall);
      p.resolve(result);
    }
    this.sendNext();
  }

  private onCallError(id: string, code: unknown): void {
    const p = this.inFlight;
    if (p === null || p.msgId !== id) return; // for a call that already failed: nothing to do
    this.inFlight = null;
    this.fail(p, receivedErrorCode(code));
    this.sendNext();
  }
}

/** performance.now() time of the simulated epoch ms `dueAt` (now when absent; never later than now). */
function dueWall(clock: Clock, dueAt: number | undefined): number {
  const now = performance.now();
  if (dueAt === undefined) return now;
  const lateMs = (clock.now() - dueAt) / clock.speed;
  return lateMs > 0 ? now - lateMs : now;
}
