/**
 * A test-only OCPP 1.6J CSMS that gets things wrong on purpose, exactly as configured, so tests can
 * prove ev-sim notices. With no misbehaviour configured it is a correct CSMS: unique increasing
 * transaction ids, Accepted for accepted tags. It does not deduplicate resent StartTransactions: a
 * station that retries after a lost reply gets a second (phantom) transaction, as with real back ends.
 *
 * One port serves both the WebSocket (`ws://127.0.0.1:<port>/ocpp/<identity>`, subprotocol ocpp1.6,
 * strict schema validation both ways) and the HTTP ledger (`GET /transactions`, see ledger-http.ts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import ocppRpc, { type IHandlersOption } from 'ocpp-rpc';
import type * as ServerClientModule from 'ocpp-rpc/lib/server-client.js';
import { createState, HANDLERS, type CsmsState, type Reply } from './csms-handlers.js';
import { FaultPlan, type CsmsOptions } from './fault-plan.js';
import { ledgerListener } from './ledger-http.js';
import { emptyTruth, type Truth } from './truth.js';

export type { CsmsOptions, Misbehaviour, ReplyFate } from './fault-plan.js';
export type { FaultKind, LedgerRow, Truth } from './truth.js';

const { RPCServer, createRPCError } = ocppRpc;

/** ocpp-rpc's server-side connection (a CommonJS default export, hence the detour). */
type RpcServerClient = ServerClientModule.default;

/** WebSocket close code used when the CSMS drops a station's connection on purpose. */
export const DROP_CLOSE_CODE = 1012;

export interface MisbehavingCsms {
  /** ws://127.0.0.1:<port>/ocpp; stations connect to `${url}/${identity}`. */
  url: string;
  /** http://127.0.0.1:<port>/transactions */
  ledgerUrl: string;
  /** What the CSMS really received, stored and did (live). */
  truth: Truth;
  /** Sends a CSMS-initiated call to the station's newest open connection; rejects if it is not connected. */
  sendCall(identity: string, action: string, payload: object): Promise<unknown>;
  /** Closes every station connection and the port. Safe to call twice. */
  close(): Promise<void>;
}

interface Wiring {
  readonly state: CsmsState;
  readonly open: Set<RpcServerClient>;
  /** Newest open connection per identity. */
  readonly byIdentity: Map<string, RpcServerClient>;
  /** CALLs received per identity, across reconnects. */
  readonly messagesSent: Map<string, number>;
}

function dropConnection(wiring: Wiring, client: RpcServerClient, identity: string, afterMessages: number): void {
  wiring.state.truth.connectionsDropped.push({ identity, afterMessages });
  wiring.state.truth.faults.connectionDropped++;
  // After the current reply has gone out (replies are sent within the microtasks of this message).
  setImmediate(() => void client.close({ code: DROP_CLOSE_CODE, reason: 'misbehaving CSMS drops the connection' }));
}

async function dispatch(wiring: Wiring, client: RpcServerClient, call: IHandlersOption): Promise<Reply> {
  const identity = client.identity ?? '';
  const method = call.method ?? '';
  const { truth, plan } = wiring.state;
  truth.calls[method] = (truth.calls[method] ?? 0) + 1;
  const sent = (wiring.messagesSent.get(identity) ?? 0) + 1;
  wiring.messagesSent.set(identity, sent);
  if (plan.dropsConnectionAt(sent)) dropConnection(wiring, client, identity, sent);
  const handler = HANDLERS[method];
  if (!handler) throw createRPCError('NotImplemented', `Unable to handle '${method}' calls`);
  return handler(wiring.state, { identity, params: call.params ?? {}, signal: call.signal ?? new AbortController().signal });
}

function attach(wiring: Wiring, client: RpcServerClient): void {
  const identity = client.identity ?? '';
  wiring.open.add(client);
  wiring.byIdentity.set(identity, client);
  client.once('close', () => {
    wiring.open.delete(client);
    if (wiring.byIdentity.get(identity) === client) wiring.byIdentity.delete(identity);
  });
  // ocpp-rpc's handler type says Record<string, any>; NOREPLY (a symbol) is also a valid result.
  client.handle((call: IHandlersOption) => dispatch(wiring, client, call) as Promise<Record<string, unknown>>);
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function shutdown(wiring: Wiring, rpc: InstanceType<typeof RPCServer>, http: Server): Promise<void> {
  await Promise.all(Array.from(wiring.open, (client) => client.close({ force: true })));
  await rpc.close({ force: true });
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
}

export async function startMisbehavingCsms(m: CsmsOptions = {}): Promise<MisbehavingCsms> {
  const truth = emptyTruth();
  const wiring: Wiring = {
    state: createState(new FaultPlan(m), truth),
    open: new Set(),
    byIdentity: new Map(),
    messagesSent: new Map(),
  };
  const rpc = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
  rpc.auth((accept, reject, handshake) => {
    if (handshake.protocols.has('ocpp1.6')) accept();
    else reject(400, 'subprotocol ocpp1.6 required');
  });
  rpc.on('client', (client: RpcServerClient) => attach(wiring, client));
  const http = createServer(ledgerListener(truth));
  http.on('upgrade', rpc.handleUpgrade);
  const port = await listen(http);
  let closing: Promise<void> | undefined;
  return {
    url: `ws://127.0.0.1:${port}/ocpp`,
    ledgerUrl: `http://127.0.0.1:${port}/transactions`,
    truth,
    sendCall: async (identity, action, payload) => {
      const client = wiring.byIdentity.get(identity);
      if (!client) throw new Error(`misbehaving CSMS: no station connected as '${identity}'`);
      return client.call(action, payload);
    },
    close: () => (closing ??= shutdown(wiring, rpc, http)),
  };
}
