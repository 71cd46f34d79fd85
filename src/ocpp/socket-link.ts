/**
 * The WebSocket under one station's OCPP connection: opens it (subprotocol ocpp1.6, Basic auth, no
 * compression, handshake timeout = call timeout), reconnects with back-off after an unexpected close,
 * pings at WebSocketPingInterval (a pong missing by the next ping drops the link, which reconnects),
 * and closes it for good on request, terminating it if the closing handshake outlasts the grace.
 *
 * The ws listeners are shared functions that find their link through the socket: no closures per
 * socket or per message. Pings ride on the process-wide `CallDeadlines` tick: no timer per link while
 * it is open.
 */
import WebSocket from 'ws';
import type { CallDeadlines, DeadlineWatch } from './call-timeouts.js';
import { reconnectDelayMs } from './reconnect.js';

/** What the link reports to the connection that owns it. */
export interface LinkOwner extends DeadlineWatch {
  /** The socket is open (first time or after a reconnect). */
  linkOpened(): void;
  /** close() began: nothing more goes out. */
  linkClosing(): void;
  /** The open socket closed; `wanted`: close() asked for it (else a reconnect follows). */
  linkClosed(wanted: boolean): void;
  received(ws: WebSocket, data: WebSocket.RawData): void;
}

export interface LinkOptions {
  identity: string;
  /** CSMS base URL; the identity is appended as the last path segment. */
  url: string;
  /** Basic auth password (user: the identity); null: no Authorization header. */
  password: string | null;
  /** Wall ms a call waits for its reply (checked every `CallDeadlines` tick); also the handshake timeout. */
  callTimeoutMs: number;
  /** WebSocket ping interval, wall seconds (0 disables). */
  pingIntervalS: number;
  /** Uniform [0, 1) source of the reconnect back-off's jitter (default: a hash of the identity). */
  reconnectRandom?: () => number;
}

const LINK = Symbol('socket link');
type LinkedSocket = WebSocket & { [LINK]: SocketLink };

type State = 'idle' | 'connecting' | 'open' | 'closing' | 'waiting';

interface Attempt {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(err: Error): void;
  /** Part of the reconnect loop: a failure schedules the next attempt. */
  readonly auto: boolean;
}

export class SocketLink {
  private state: State = 'idle';
  private ws: LinkedSocket | null = null;
  private attempt: Attempt | null = null;
  private reconnects = 0;
  /** The reconnect wait or the close grace. */
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closing: Promise<void> | null = null;
  private closed: (() => void) | null = null;
  private pingMs: number;
  private pingAt = Infinity;
  private awaitingPong = false;

  constructor(
    private readonly opts: LinkOptions,
    private readonly owner: LinkOwner,
    private readonly deadlines: CallDeadlines,
  ) {
    this.pingMs = pingMs(opts.pingIntervalS);
  }

  /** The socket while the link is open, else null. */
  get socket(): WebSocket | null {
    return this.state === 'open' ? this.ws : null;
  }

  isOpen(): boolean {
    return this.state === 'open';
  }

  connect(): Promise<void> {
    switch (this.state) {
      case 'open':
        return Promise.resolve();
      case 'closing':
        return Promise.reject(new Error('Cannot connect while closing'));
      case 'connecting':
        return (this.attempt as Attempt).promise;
      case 'waiting':
        clearTimeout(this.timer);
        this.timer = undefined;
        return this.open(true);
      default:
        return this.open(false);
    }
  }

  close(graceMs: number): Promise<void> {
    switch (this.state) {
      case 'open':
        return this.closeOpen(graceMs);
      case 'closing':
        return this.closing as Promise<void>;
      case 'waiting':
        clearTimeout(this.timer);
        this.timer = undefined;
        this.state = 'idle';
        return Promise.resolve();
      case 'connecting':
        this.abortAttempt(new Error('Connection aborted'), false);
        return Promise.resolve();
      default:
        return Promise.resolve();
    }
  }

  setPingInterval(seconds: number): void {
    this.pingMs = pingMs(seconds);
    this.awaitingPong = false;
    this.pingAt = this.state === 'open' && this.pingMs > 0 ? performance.now() + this.pingMs : Infinity;
  }

  /** Sends the ping that is due, or drops a link whose last ping got no pong. */
  checkPing(now: number): void {
    if (now < this.pingAt) return;
    const ws = this.ws;
    if (this.awaitingPong || ws === null) {
      this.pingAt = Infinity;
      ws?.terminate();
      return;
    }
    this.awaitingPong = true;
    this.pingAt = now + this.pingMs;
    try {
      ws.ping();
    } catch {
      ws.terminate();
    }
  }

  private open(auto: boolean): Promise<void> {
    let ws: WebSocket;
    try {
      ws = createSocket(this.opts);
    } catch (err) {
      this.state = 'idle'; // an unusable URL: nothing to retry
      return Promise.reject(err as Error);
    }
    (ws as LinkedSocket)[LINK] = this;
    ws.on('open', onSocketOpen);
    ws.on('message', onSocketMessage);
    ws.on('pong', onSocketPong);
    ws.on('error', onSocketError);
    ws.on('close', onSocketClose);
    this.ws = ws as LinkedSocket;
    this.state = 'connecting';
    let resolve!: () => void;
    let reject!: (err: Error) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.attempt = { promise, resolve, reject, auto };
    return promise;
  }

  opened(ws: LinkedSocket): void {
    if (ws !== this.ws || this.state !== 'connecting') return;
    this.state = 'open';
    this.reconnects = 0;
    this.awaitingPong = false;
    this.pingAt = this.pingMs > 0 ? performance.now() + this.pingMs : Infinity;
    this.deadlines.watch(this.owner);
    const attempt = this.attempt;
    this.attempt = null;
    this.owner.linkOpened();
    attempt?.resolve();
  }

  received(ws: LinkedSocket, data: WebSocket.RawData): void {
    if (ws === this.ws) this.owner.received(ws, data);
  }

  ponged(ws: LinkedSocket): void {
    if (ws === this.ws) this.awaitingPong = false;
  }

  failed(ws: LinkedSocket, err: Error): void {
    if (ws === this.ws && this.state === 'connecting') this.abortAttempt(err, true);
  }

  closedBy(ws: LinkedSocket): void {
    if (ws !== this.ws) return;
    if (this.state === 'connecting') {
      this.abortAttempt(new Error('WebSocket closed before the connection was established'), true);
      return;
    }
    this.ws = null;
    this.deadlines.unwatch(this.owner);
    this.pingAt = Infinity;
    const wanted = this.state === 'closing';
    this.state = wanted ? 'idle' : 'waiting';
    this.owner.linkClosed(wanted);
    if (!wanted) {
      this.waitToReconnect();
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    const closed = this.closed;
    this.closing = null;
    this.closed = null;
    closed?.();
  }

  /** Ends a connection attempt; `retry` continues the reconnect loop the attempt belonged to. */
  private abortAttempt(err: Error, retry: boolean): void {
    const ws = this.ws;
    const attempt = this.attempt;
    this.ws = null;
    this.attempt = null;
    ws?.terminate();
    if (retry && attempt?.auto) this.waitToReconnect();
    else this.state = 'idle';
    attempt?.reject(err);
  }

  private waitToReconnect(): void {
    this.state = 'waiting';
    const delay = reconnectDelayMs(this.reconnects++, this.opts.reconnectRandom, this.opts.identity);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.state === 'waiting') this.open(true).catch(() => undefined);
    }, delay);
  }

  private closeOpen(graceMs: number): Promise<void> {
    const ws = this.ws as LinkedSocket;
    this.state = 'closing';
    this.deadlines.unwatch(this.owner);
    this.pingAt = Infinity;
    this.owner.linkClosing();
    this.closing = new Promise<void>((resolve) => (this.closed = resolve));
    ws.close(1000, 'Station closing');
    this.timer = setTimeout(() => ws.terminate(), graceMs);
    return this.closing;
  }
}

function createSocket(o: LinkOptions): WebSocket {
  const url = `${o.url.replace(/\/+$/, '')}/${encodeURIComponent(o.identity)}`;
  const headers: Record<string, string> = {};
  if (o.password != null) headers.authorization = `Basic ${Buffer.from(`${o.identity}:${o.password}`).toString('base64')}`;
  return new WebSocket(url, ['ocpp1.6'], { perMessageDeflate: false, handshakeTimeout: o.callTimeoutMs, headers });
}

function onSocketOpen(this: WebSocket): void {
  (this as LinkedSocket)[LINK].opened(this as LinkedSocket);
}

function onSocketMessage(this: WebSocket, data: WebSocket.RawData): void {
  (this as LinkedSocket)[LINK].received(this as LinkedSocket, data);
}

function onSocketPong(this: WebSocket): void {
  (this as LinkedSocket)[LINK].ponged(this as LinkedSocket);
}

function onSocketError(this: WebSocket, err: Error): void {
  (this as LinkedSocket)[LINK].failed(this as LinkedSocket, err);
}

function onSocketClose(this: WebSocket): void {
  (this as LinkedSocket)[LINK].closedBy(this as LinkedSocket);
}

/** Ping interval in ms; 0 (off) for intervals a timer could not hold. */
function pingMs(seconds: number): number {
  const ms = seconds * 1000;
  return ms > 0 && ms <= 2_147_483_647 ? ms : 0;
}
