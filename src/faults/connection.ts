/**
 * One station connection through the fault proxy: the accepted station socket, the upstream socket
 * to the CSMS (opened only once the upgrade request has arrived and is allowed through), and for each
 * direction a frame splitter feeding a delivery lane. Fault decisions are taken when a head or frame
 * is complete; what passes is delivered in order, delayed if latency rules are active.
 */
import net, { type Socket } from 'node:net';
import { Lane, type LaneTarget } from './lane.js';
import {
  NO_FAULTS,
  delayFor,
  frameDropped,
  type ConnectionFaults,
  type FaultDirection,
  type MessageState,
} from './rules.js';
import { WsStreamSplitter, upgradeIdentity, type WsStreamSink } from './ws-frames.js';

export interface ProxyCounters {
  connections: number;
  framesDropped: { toCsms: number; toStation: number };
  connectionsRefused: number;
  connectionsReset: number;
}

export interface ConnectionEnv {
  upstream: { host: string; port: number };
  counters: ProxyCounters;
  /** The faults that apply to `identity` right now. */
  faultsFor(identity: string): ConnectionFaults;
  /** Called once, when both sockets have closed. */
  onClosed(conn: ProxiedConnection): void;
}

interface Side extends MessageState {
  readonly name: FaultDirection;
  readonly splitter: WsStreamSplitter;
  readonly lane: Lane;
  /** A FIN or RST that arrived during a blackhole, passed on when it ends. */
  pendingClose: 'end' | 'reset' | null;
}

export class ProxiedConnection {
  /** Known once the upgrade request has arrived. */
  identity: string | null = null;
  private faults: ConnectionFaults = NO_FAULTS;
  private upstream: Socket | null = null;
  /** The CSMS's upgrade response has been let through to the station. */
  private upgraded = false;
  private dead = false;
  private finalised = false;
  private readonly toCsms: Side;
  private readonly toStation: Side;

  constructor(
    private readonly station: Socket,
    private readonly env: ConnectionEnv,
  ) {
    this.toCsms = makeSide('toCsms', {
      head: (bytes) => this.onRequestHead(bytes),
      frame: (bytes) => this.admit(this.toCsms, bytes, true),
      raw: (bytes) => this.admit(this.toCsms, bytes, false),
    });
    this.toStation = makeSide('toStation', {
      head: (bytes) => {
        if (this.admit(this.toStation, bytes, false)) this.upgraded = true;
      },
      frame: (bytes) => this.admit(this.toStation, bytes, true),
      raw: (bytes) => this.admit(this.toStation, bytes, false),
    });
    this.toStation.lane.attach(writerTo(station, () => this.upstream));
    this.wire(station, this.toCsms);
  }

  /** Applies a new set of faults (rules were added or cleared). */
  updateFaults(next: ConnectionFaults): void {
    if (this.dead) return;
    const previous = this.faults;
    this.faults = next;
    if (next.cut) {
      this.env.counters.connectionsReset++;
      this.reset();
    } else if (previous.blackhole && !next.blackhole) {
      this.resumeAfterBlackhole();
    }
  }

  /** Resets (RST) both sockets. */
  reset(): void {
    this.kill();
    resetSocket(this.station);
    if (this.upstream) resetSocket(this.upstream);
  }

  /** Closes both sockets without ceremony (the proxy is shutting down). */
  destroy(): void {
    this.kill();
    this.station.destroy();
    this.upstream?.destroy();
  }

  private kill(): void {
    this.dead = true;
    this.toCsms.lane.stop();
    this.toStation.lane.stop();
  }

  private wire(socket: Socket, from: Side): void {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.feed(from, chunk));
    socket.on('end', () => this.onEnd(from));
    socket.on('error', () => {
      /* followed by 'close' with hadError set */
    });
    socket.on('close', (hadError: boolean) => this.onClose(from, hadError));
  }

  private feed(side: Side, chunk: Buffer): void {
    if (this.dead) return;
    try {
      side.splitter.push(chunk);
    } catch {
      this.reset();
    }
  }

  private onRequestHead(head: Buffer): void {
    this.identity = upgradeIdentity(head) ?? '';
    this.faults = this.env.faultsFor(this.identity);
    if (this.faults.cut) {
      this.env.counters.connectionsRefused++;
      this.reset();
      return;
    }
    // Under a blackhole the request is discarded and no upstream connection is made.
    if (!this.admit(this.toCsms, head, false)) return;
    this.connectUpstream();
  }

  private connectUpstream(): void {
    const upstream = net.connect({ ...this.env.upstream, allowHalfOpen: true });
    this.upstream = upstream;
    upstream.once('connect', () => this.toCsms.lane.attach(writerTo(upstream, () => this.station)));
    this.wire(upstream, this.toStation);
  }

  /** Runs the fault decisions for one piece; returns true when it was queued for delivery. */
  private admit(side: Side, bytes: Buffer, isFrame: boolean): boolean {
    if (this.dead) return false;
    const dropped = isFrame ? frameDropped(this.faults, side.name, bytes, side) : this.faults.blackhole;
    if (dropped) {
      if (isFrame) this.env.counters.framesDropped[side.name]++;
      return false;
    }
    side.lane.send(bytes, delayFor(this.faults));
    return true;
  }

  private onEnd(from: Side): void {
    if (this.dead) return;
    if (this.faults.blackhole) from.pendingClose ??= 'end';
    else from.lane.finish();
  }

  private onClose(from: Side, hadError: boolean): void {
    if (!this.dead) {
      if (hadError && this.faults.blackhole) from.pendingClose = 'reset';
      else if (hadError) this.reset();
      else if (!this.faults.blackhole) from.lane.finish();
    }
    this.finaliseIfClosed();
  }

  /**
   * A blackhole ended. A connection whose WebSocket handshake never got through has nothing to resume
   * (its upgrade request or response was discarded), so it is reset and the station reconnects. The
   * others pass bytes again; a FIN or RST held back during the blackhole is passed on now.
   */
  private resumeAfterBlackhole(): void {
    if (!this.upgraded) {
      this.env.counters.connectionsReset++;
      this.reset();
      return;
    }
    for (const side of [this.toCsms, this.toStation]) {
      const pending = side.pendingClose;
      side.pendingClose = null;
      if (pending === 'reset') {
        this.reset();
        return;
      }
      if (pending === 'end') side.lane.finish();
    }
  }

  private finaliseIfClosed(): void {
    if (this.finalised || !this.station.destroyed) return;
    if (this.upstream && !this.upstream.destroyed) return;
    this.finalised = true;
    this.kill();
    this.env.onClosed(this);
  }
}

function makeSide(name: FaultDirection, sink: WsStreamSink): Side {
  return { name, splitter: new WsStreamSplitter(sink), lane: new Lane(), droppingMessage: false, pendingClose: null };
}

/** Writes to `dest`, pausing the socket feeding it while `dest` is congested. */
function writerTo(dest: Socket, source: () => Socket | null): LaneTarget {
  let paused = false;
  return {
    write(bytes) {
      if (dest.destroyed || dest.write(bytes) || paused) return;
      const src = source();
      if (!src) return;
      paused = true;
      src.pause();
      dest.once('drain', () => {
        paused = false;
        src.resume();
      });
    },
    end() {
      if (!dest.destroyed) dest.end();
    },
  };
}

/** RST when connected; a socket still connecting is simply destroyed. */
function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.connecting) socket.destroy();
  else socket.resetAndDestroy();
}
