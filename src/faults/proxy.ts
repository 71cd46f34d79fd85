/**
 * A fault-injecting TCP proxy on 127.0.0.1 between virtual stations and the CSMS. Stations connect
 * to `url(path)` instead of the CSMS; the proxy forwards every byte to the upstream CSMS unchanged,
 * except where a fault rule matching the station's identity (the last path segment of its upgrade
 * request) says otherwise. Faults act on whole WebSocket frames, so the stream stays well-formed.
 *
 * Rules take effect immediately on open connections and on new ones, and last until cleared:
 * - partition refuse / outage: open connections are reset (RST); new ones are accepted, their
 *   upgrade request is read to learn the identity, and they are reset without reaching the CSMS.
 * - partition blackhole: connections stay open, every byte either way is discarded (frames, pings,
 *   HTTP heads; a FIN or RST from either side is held back). New connections are accepted but their
 *   upgrade request is discarded and the CSMS is never contacted. When the blackhole is cleared, the
 *   link comes back like a cellular link would: upgraded connections pass bytes again (what was
 *   discarded stays lost; the station's own timeouts or pings decide whether it keeps the
 *   connection) and a held-back FIN or RST is passed on. Connections whose handshake never got
 *   through are reset, since there is no WebSocket to resume.
 * - latency: each head and frame is delayed by ms ± jitter, order kept per direction.
 * - loss: whole data messages are dropped with the given probability; control frames never.
 * Several rules may apply to one connection at once (their latencies add up). Decisions are taken
 * when a frame has fully arrived at the proxy: frames already held back by a latency rule when a
 * partition starts are in flight and still delivered (unless the partition resets the connection).
 */
import net, { type Server, type Socket } from 'node:net';
import { ProxiedConnection, type ProxyCounters } from './connection.js';
import { checkRule, summariseFaults, type ConnectionFaults, type FaultRule } from './rules.js';

export type { FaultRule } from './rules.js';

export interface FaultProxyStats {
  /** TCP connections accepted since the proxy started. */
  connections: number;
  /** Connections currently open (station side). */
  openConnections: number;
  /** Frames discarded by loss rules or blackholes, per direction. */
  framesDropped: { toCsms: number; toStation: number };
  /** New connections reset before their upgrade (partition refuse, outage). */
  connectionsRefused: number;
  /** Open connections reset by a rule (partition refuse, outage, or the end of a blackhole before the handshake completed). */
  connectionsReset: number;
}

export interface FaultProxy {
  /** e.g. ws://127.0.0.1:<port><path> */
  url(path: string): string;
  readonly port: number;
  /**
   * Applies `rule` to the connections of every identity for which `match(identity)` is true, until
   * cleared. Returns an id for `clear`. `match` must not throw.
   */
  apply(rule: FaultRule, match: (identity: string) => boolean): number;
  clear(id: number): void;
  stats(): FaultProxyStats;
  /** Closes every connection and the listener; no timer survives. */
  close(): Promise<void>;
}

interface ActiveRule {
  rule: FaultRule;
  match: (identity: string) => boolean;
}

export async function startFaultProxy(upstream: { host: string; port: number }): Promise<FaultProxy> {
  const rules = new Map<number, ActiveRule>();
  const open = new Set<ProxiedConnection>();
  const counters: ProxyCounters = {
    connections: 0,
    framesDropped: { toCsms: 0, toStation: 0 },
    connectionsRefused: 0,
    connectionsReset: 0,
  };
  let nextId = 1;
  let closing: Promise<void> | null = null;

  const faultsFor = (identity: string): ConnectionFaults =>
    summariseFaults(matchingRules(rules.values(), identity));
  const env = {
    upstream: { host: upstream.host, port: upstream.port },
    counters,
    faultsFor,
    onClosed: (conn: ProxiedConnection) => open.delete(conn),
  };
  const refresh = () => {
    for (const conn of [...open]) if (conn.identity !== null) conn.updateFaults(faultsFor(conn.identity));
  };

  const server = net.createServer({ allowHalfOpen: true }, (socket: Socket) => {
    counters.connections++;
    open.add(new ProxiedConnection(socket, env));
  });
  const port = await listen(server);

  return {
    port,
    url: (path) => `ws://127.0.0.1:${port}${path.startsWith('/') ? path : `/${path}`}`,
    apply(rule, match) {
      checkRule(rule);
      const id = nextId++;
      rules.set(id, { rule, match });
      refresh();
      return id;
    },
    clear(id) {
      if (rules.delete(id)) refresh();
    },
    stats: () => ({
      connections: counters.connections,
      openConnections: open.size,
      framesDropped: { ...counters.framesDropped },
      connectionsRefused: counters.connectionsRefused,
      connectionsReset: counters.connectionsReset,
    }),
    close() {
      closing ??= shutDown(server, open, rules);
      return closing;
    },
  };
}

function* matchingRules(active: Iterable<ActiveRule>, identity: string): Iterable<FaultRule> {
  for (const { rule, match } of active) if (match(identity)) yield rule;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

function shutDown(server: Server, open: Set<ProxiedConnection>, rules: Map<number, ActiveRule>): Promise<void> {
  rules.clear();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const conn of open) conn.destroy();
  open.clear();
  return closed;
}
