/**
 * A virtual OCPP 1.6J charge point: wires the connection, configuration, connectors and timers
 * together and exposes the Station lifecycle (start, schedule, stopArrivals, finishSessions, close).
 */
import { OCPP16_ACTIONS } from '../ocpp/actions.js';
import { createConnection, type OcppConnection } from '../ocpp/connection.js';
import { createArrivalQueue, type ArrivalQueue } from './arrivals.js';
import { bootUntilAccepted, restartHeartbeat } from './boot.js';
import { createConfigStore } from './config-store.js';
import type { StationContext } from './context.js';
import { connectorById, createConnectors, isFree } from './connector.js';
import { dispatchRemote } from './remote.js';
import { rescheduleTicks, restartAligned } from './sampler.js';
import { beginSession, skippedRecord } from './session.js';
import { abortSession, finishAll } from './session-control.js';
import { createTimerSet } from './timers.js';
import type { PlannedSession, Station, StationOptions } from './types.js';

export function createStation(opts: StationOptions): Station {
  const ctx = createContext(opts);
  const arrivals = createArrivalQueue(opts.clock, ctx.timers, (plan) => onArrival(ctx, plan));
  let closing: Promise<void> | undefined;
  return {
    identity: ctx.identity,
    start: () => start(ctx),
    schedule: (plans) => arrivals.add(plans),
    stopArrivals: () => arrivals.stop(),
    finishSessions: (reason) => finishAll(ctx, reason),
    close: () => (closing ??= close(ctx, arrivals)),
  };
}

function createContext(opts: StationOptions): StationContext {
  const identity = opts.spec.identity;
  const config = createConfigStore({
    connectors: opts.spec.connectors.length,
    heartbeatIntervalS: opts.heartbeatIntervalS,
    meter: opts.meter,
  });
  // The connection's callbacks need the context, which needs the connection.
  let ctx: StationContext | undefined;
  const conn: OcppConnection = createConnection({
    identity,
    url: opts.url,
    password: opts.password,
    callTimeoutMs: opts.callTimeoutMs,
    strict: opts.validate,
    pingIntervalS: config.getInt('WebSocketPingInterval'),
    observer: opts.observer,
    onOpen: () => {
      opts.observer.connection(identity, 'connected');
      // A dropped connection came back without a reboot: the registration still stands.
      if (ctx?.phase === 'accepted') opts.observer.connection(identity, 'accepted');
    },
    // A close the station asked for (end of run) is not a lost connection.
    onDisconnect: () => opts.observer.connection(identity, ctx?.phase === 'closed' ? 'closed' : 'disconnected'),
  });
  const built: StationContext = {
    opts,
    identity,
    clock: opts.clock,
    observer: opts.observer,
    conn,
    config,
    timers: createTimerSet(opts.clock),
    connectors: createConnectors(opts),
    phase: 'new',
    status0: 'Available',
    heartbeatTimer: undefined,
    alignedTimer: undefined,
  };
  ctx = built;
  conn.serve(OCPP16_ACTIONS, (action, params) => dispatchRemote(built, action, params));
  config.onChange((key) => onConfigChange(built, key));
  return built;
}

function onConfigChange(ctx: StationContext, key: string): void {
  switch (key) {
    case 'HeartbeatInterval':
      return restartHeartbeat(ctx);
    case 'MeterValueSampleInterval':
      return rescheduleTicks(ctx);
    case 'ClockAlignedDataInterval':
      return restartAligned(ctx);
    case 'WebSocketPingInterval':
      return ctx.conn.setPingInterval(ctx.config.getInt(key));
  }
}

async function start(ctx: StationContext): Promise<void> {
  if (ctx.phase !== 'new') throw new Error(`${ctx.identity}: start() called twice or after close()`);
  ctx.phase = 'booting';
  await ctx.conn.connect();
  await bootUntilAccepted(ctx);
}

function onArrival(ctx: StationContext, plan: PlannedSession): void {
  const c = connectorById(ctx, plan.connectorId);
  let skip: string | null = null;
  if (!c) skip = 'unknown connector';
  else if (ctx.phase !== 'accepted') skip = 'station not accepted';
  else if (!isFree(c)) skip = 'connector busy';
  if (skip !== null || !c) {
    ctx.observer.session(skippedRecord(ctx, plan, skip ?? 'unknown connector'));
    return;
  }
  beginSession(ctx, c, plan, 'arrival');
}

async function close(ctx: StationContext, arrivals: ArrivalQueue): Promise<void> {
  ctx.phase = 'closed';
  arrivals.stop();
  ctx.timers.clearAll();
  const ending: Promise<void>[] = [];
  for (const c of ctx.connectors) {
    if (!c.session) continue;
    abortSession(c.session, 'station closed');
    ending.push(c.session.done);
  }
  await ctx.conn.close();
  await Promise.all(ending);
}
