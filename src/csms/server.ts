/**
 * The embedded OCPP 1.6J central system: an ocpp-rpc RPCServer in strict mode behind a plain HTTP
 * server that also answers the ledger endpoints (http.ts). Stations connect to
 * `ws://host:port/<identity>` or `ws://host:port/<any/path>/<identity>`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { RPCServer } from 'ocpp-rpc';
import type { IHandshakeInterface } from 'ocpp-rpc/lib/server-client.js';
import { attachStation, StationConnections } from './connection.js';
import type { HandlerContext } from './handlers.js';
import { createHttpHandler } from './http.js';
import { resolveCsmsOptions, type CsmsOptions, type ResolvedCsmsOptions } from './options.js';
import { CsmsStore } from './store.js';

export type { CsmsOptions } from './options.js';

export interface CsmsHandle {
  /** Base WebSocket URL, `ws://127.0.0.1:<port>/ocpp`; stations append `/<identity>`. */
  url: string;
  /** `http://127.0.0.1:<port>`; GET /transactions, /stats, /health. */
  httpUrl: string;
  port: number;
  /** In-process access to what the CSMS recorded. */
  store: CsmsStore;
  /** A CSMS-initiated call (RemoteStartTransaction, ...) to a connected station; resolves to its reply. */
  sendCall(identity: string, action: string, payload: object): Promise<unknown>;
  /** Closes every station connection and the server. Idempotent. */
  close(): Promise<void>;
}

export const OCPP_SUBPROTOCOL = 'ocpp1.6';
/** Wall ms to wait for stations to complete the WebSocket close handshake before cutting them off. */
const CLOSE_GRACE_MS = 2000;

type Accept = (session?: Record<string, unknown>, protocol?: string | false) => void;
type Reject = (code: number, message: string) => void;

function passwordMatches(given: Buffer | undefined, expected: string): boolean {
  const want = Buffer.from(expected, 'utf8');
  return given !== undefined && given.length === want.length && timingSafeEqual(given, want);
}

function authenticate(options: ResolvedCsmsOptions) {
  return (accept: Accept, reject: Reject, handshake: IHandshakeInterface): void => {
    if (!handshake.identity) return reject(400, 'Missing charge point identity in the URL path');
    if (!handshake.protocols.has(OCPP_SUBPROTOCOL)) return reject(400, `Subprotocol ${OCPP_SUBPROTOCOL} required`);
    if (options.password !== null && !passwordMatches(handshake.password, options.password)) {
      return reject(401, 'Unauthorized');
    }
    accept();
  };
}

/** Host as it appears in a URL: wildcard binds are reached via loopback, IPv6 gets brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeHttp(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Closes the OCPP side: a clean WebSocket close for every station, then a hard cut after a grace period. */
async function closeRpc(rpc: RPCServer, connections: StationConnections): Promise<void> {
  const closed = rpc.close({ code: 1001, reason: 'CSMS shutting down' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CLOSE_GRACE_MS);
  });
  await Promise.race([closed, grace]);
  clearTimeout(timer);
  // Clients already closing ignore a second close(), so stragglers are cut at the socket.
  for (const client of connections.all()) client.handshake.request.socket.destroy();
  await closed;
}

export async function startCsms(opts: CsmsOptions): Promise<CsmsHandle> {
  const options = resolveCsmsOptions(opts);
  const store = new CsmsStore();
  const ctx: HandlerContext = { store, options, now: Date.now };
  const connections = new StationConnections();

  const rpc = new RPCServer({ protocols: [OCPP_SUBPROTOCOL], strictMode: true });
  rpc.auth(authenticate(options));
  rpc.on('client', (client) => attachStation(client, ctx, connections));
  // The WebSocketServer runs without its own HTTP server; its rare errors concern one upgrade only.
  rpc.on('error', () => {});

  const http = createServer({ noDelay: true }, createHttpHandler(store));
  http.on('upgrade', rpc.handleUpgrade);
  const port = await listen(http, options.port, options.host);
  const base = `${urlHost(options.host)}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: `ws://${base}/ocpp`,
    httpUrl: `http://${base}`,
    port,
    store,
    async sendCall(identity, action, payload) {
      const client = connections.get(identity);
      if (!client) throw new Error(`station ${identity} is not connected`);
      return client.call(action, payload);
    },
    close() {
      closing ??= closeRpc(rpc, connections).then(() => closeHttp(http));
      return closing;
    },
  };
}
