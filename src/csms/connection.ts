/**
 * Wiring of one station's ocpp-rpc connection to the CSMS: registers the action handlers, counts the
 * traffic and schema violations it sees, and keeps the registry of connected stations that
 * CSMS-initiated calls look up by identity.
 */
import type { IHandlersOption } from 'ocpp-rpc';
import type * as ServerClientModule from 'ocpp-rpc/lib/server-client.js';
import { HANDLERS, type HandlerContext } from './handlers.js';
import { CHARGE_POINT_ACTIONS, type ChargePointAction } from './ocpp16.js';

/** ocpp-rpc's server-side connection class (a CommonJS default export, hence the detour). */
export type RpcServerClient = ServerClientModule.default;

/** The connected stations: every open connection, and the newest one per identity. */
export class StationConnections {
  private readonly open = new Set<RpcServerClient>();
  private readonly byIdentity = new Map<string, RpcServerClient>();

  add(client: RpcServerClient): void {
    this.open.add(client);
    this.byIdentity.set(client.identity ?? '', client);
  }

  remove(client: RpcServerClient): void {
    this.open.delete(client);
    const identity = client.identity ?? '';
    if (this.byIdentity.get(identity) === client) this.byIdentity.delete(identity);
  }

  get(identity: string): RpcServerClient | undefined {
    return this.byIdentity.get(identity);
  }

  all(): RpcServerClient[] {
    return Array.from(this.open);
  }
}

interface CallEvent {
  outbound: boolean;
  payload: unknown[];
}

interface ValidationFailureEvent {
  outbound: boolean;
}

/** Takes over a freshly accepted connection: handlers, counters, registry membership. */
export function attachStation(client: RpcServerClient, ctx: HandlerContext, connections: StationConnections): void {
  const { store } = ctx;
  const counters = store.counters;
  const station = store.station(client.identity ?? '');

  counters.connected++;
  connections.add(client);
  client.once('close', () => {
    counters.connected--;
    connections.remove(client);
  });

  client.on('call', ({ outbound, payload }: CallEvent) => {
    if (outbound) return;
    const action = payload[2] as string;
    counters.call(action);
    if (action !== 'BootNotification' && station.lastBootStatus !== 'Accepted') counters.messagesBeforeAccepted++;
  });
  // Framing errors (not JSON, not an OCPP-J array, unknown message id, ...).
  client.on('badMessage', () => {
    counters.schemaViolations++;
  });
  // Strict mode: a request or a reply from the station that breaks the OCA schema. Outbound failures
  // are this CSMS's own payloads and are not the station's violations.
  client.on('strictValidationFailure', (event: ValidationFailureEvent) => {
    if (!event.outbound) counters.schemaViolations++;
  });

  const dispatch = async ({ method, params }: IHandlersOption): Promise<Record<string, unknown>> =>
    HANDLERS[method as ChargePointAction](ctx, station, params as never) as Record<string, unknown>;
  for (const action of CHARGE_POINT_ACTIONS) client.handle(action, dispatch);
}
