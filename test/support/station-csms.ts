/**
 * A scriptable OCPP 1.6J central system for station tests: an ocpp-rpc RPCServer in strict mode on
 * 127.0.0.1 port 0 that records every CALL the stations send, answers with replaceable responders,
 * and collects every schema violation or malformed frame it sees (tests assert there are none).
 */
import type { AddressInfo } from 'node:net';
import { CHARGE_POINT_ACTIONS } from '../../src/csms/ocpp16.js';
import { RPCServer, type RPCClient } from 'ocpp-rpc';

/** The server side of one station's connection (ocpp-rpc's RPCServerClient extends RPCClient). */
type ServerClient = RPCClient & { identity: string };
type ClientOptions = ConstructorParameters<typeof RPCClient>[0];

export interface ReceivedCall {
  identity: string;
  action: string;
  params: any;
}

export type Responder = (params: any, identity: string) => object | Promise<object>;

/** The actions a 1.6J charge point sends; the same list the embedded CSMS answers. */
const STATION_ACTIONS = CHARGE_POINT_ACTIONS;

export interface StationCsms {
  url: string;
  /** Every CALL received from any station, in arrival order. */
  received: ReceivedCall[];
  /** Schema violations and bad frames seen in either direction. */
  problems: string[];
  /** Replies by action; replace entries to script the CSMS. */
  responders: Record<string, Responder>;
  /** Transaction ids handed out so far. */
  transactions: number[];
  /** CALLs of one action (optionally from one station). */
  calls(action: string, identity?: string): any[];
  /** Action names received (optionally from one station), in order. */
  actions(identity?: string): string[];
  /** Sends a CALL to a connected station and returns its reply (rejects on CALLERROR). */
  call(identity: string, action: string, params: object): Promise<any>;
  /** Same, without strict-mode validation of the request (to send actions the schema lacks). */
  callUnchecked(identity: string, action: string, params: object): Promise<any>;
  /** Drops a station's socket from the server side. */
  drop(identity: string): void;
  /** While true, every new connection is refused (HTTP 503): the stations stay offline. */
  refuse(on: boolean): void;
  /** Drops the station and refuses it until `refuse(false)`: the station is offline. */
  cutOff(identity: string): void;
  /** Connection attempts refused so far. */
  readonly refusals: number;
  connected(identity: string): boolean;
  close(): Promise<void>;
}

export async function startStationCsms(): Promise<StationCsms> {
  const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true, callTimeoutMs: 5000 });
  const clients = new Map<string, ServerClient>();
  const received: ReceivedCall[] = [];
  const problems: string[] = [];
  const transactions: number[] = [];
  let nextTx = 100;
  let refusing = false;
  let refusals = 0;
  const now = () => new Date().toISOString();

  const responders: Record<string, Responder> = {
    BootNotification: () => ({ status: 'Accepted', currentTime: now(), interval: 3600 }),
    Heartbeat: () => ({ currentTime: now() }),
    StatusNotification: () => ({}),
    Authorize: (p) => ({ idTagInfo: { status: String(p.idTag).startsWith('BLOCKED') ? 'Blocked' : 'Accepted' } }),
    StartTransaction: () => {
      const transactionId = nextTx++;
      transactions.push(transactionId);
      return { transactionId, idTagInfo: { status: 'Accepted' } };
    },
    StopTransaction: () => ({ idTagInfo: { status: 'Accepted' } }),
    MeterValues: () => ({}),
    DiagnosticsStatusNotification: () => ({}),
    FirmwareStatusNotification: () => ({}),
    DataTransfer: () => ({ status: 'UnknownVendorId' }),
  };

  server.auth((accept, reject) => {
    if (!refusing) return accept();
    refusals++;
    reject(503, 'Service Unavailable');
  });
  server.on('client', (raw: unknown) => {
    const client = raw as ServerClient;
    clients.set(client.identity, client);
    client.on('close', () => {
      if (clients.get(client.identity) === client) clients.delete(client.identity);
    });
    client.on('badMessage', (ev: { error: Error }) => problems.push(`badMessage: ${ev.error?.message}`));
    client.on('strictValidationFailure', (ev: { method: string; outbound: boolean; error: Error }) =>
      problems.push(`strict ${ev.outbound ? 'out' : 'in'} ${ev.method}: ${ev.error?.message}`),
    );
    for (const action of STATION_ACTIONS) {
      client.handle(action, async ({ params }) => {
        received.push({ identity: client.identity, action, params });
        return responders[action](params, client.identity) as Record<string, unknown>;
      });
    }
  });

  const http = await server.listen(0, '127.0.0.1');
  const { port } = http.address() as AddressInfo;
  const clientOf = (identity: string): ServerClient => {
    const client = clients.get(identity);
    if (!client) throw new Error(`station ${identity} is not connected`);
    return client;
  };

  return {
    url: `ws://127.0.0.1:${port}`,
    received,
    problems,
    responders,
    transactions,
    calls: (action, identity) =>
      received.filter((c) => c.action === action && (!identity || c.identity === identity)).map((c) => c.params),
    actions: (identity) => received.filter((c) => !identity || c.identity === identity).map((c) => c.action),
    call: (identity, action, params) => clientOf(identity).call(action, params),
    callUnchecked: async (identity, action, params) => {
      const client = clientOf(identity);
      client.reconfigure({ strictMode: false } as ClientOptions);
      try {
        return await client.call(action, params);
      } finally {
        client.reconfigure({ strictMode: true } as ClientOptions);
      }
    },
    drop: (identity) => {
      void clientOf(identity).close({ force: true });
    },
    refuse: (on) => {
      refusing = on;
    },
    get refusals() {
      return refusals;
    },
    cutOff: (identity) => {
      refusing = true;
      void clientOf(identity).close({ force: true });
    },
    connected: (identity) => clients.has(identity),
    close: async () => {
      await server.close({ force: true });
      http.close();
    },
  };
}

/** Polls `condition` every 5 ms until it holds; fails after `timeoutMs` wall ms with `what`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
