/**
 * A virtual OCPP 1.6J charge point: wires the connection, configuration, connectors, transaction
 * queue and timers together and exposes the Station lifecycle (start, schedule, stopArrivals,
 * finishSessions, close, reboot).
 */
import { OCPP16_ACTIONS } from '../ocpp/actions.js';
import { createConnection, type OcppConnection } from '../ocpp/connection.js';
import { createArrivalQueue, type ArrivalQueue } from './arrivals.js';
import { backOnline, bootUntilAccepted, restartHeartbeat } from './boot.js';
import { applyConfiguration, createConfigStore } from './config-store.js';
import type { StationContext } from './context.js';
import { connectorById, createConnectors, isFree } from './connector.js';
import { FAULTED_DETAIL, startConnectorFaults } from './connector-faults.js';
import { rebootStation } from './reboot.js';
import { dispatchRemote } from './remote.js';
import { rescheduleTicks, restartAligned } from './sampler.js';
import { beginSession, skippedRecord } from './session.js';
import { abortSession, finishAll } from './session-control.js';
import { createTimerSet } from './timers.js';
import { closeTx, createTxQueue, onLateReply } from './tx-queue.js';
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
    reboot: (keepQueue) => rebootStation(ctx, keepQueue),
  };
}

function createContext(opts: StationOptions): StationContext {
  const identity = opts.spec.identity;
  const config = createConfigStore({
    connectors: opts.spec.connectors.length,
    heartbeatIntervalS: opts.heartbeatIntervalS,
    meter: opts.meter,
  });
  applyConfiguration(config, opts.configuration);
  // The connection's callbacks need the context, which needs the connection.
  let ctx: StationContext | undefined;
  // Jitter of the connection's own reconnect back-off; the stream is created on the first reconnect.
  let reconnectJitter: (() => number) | undefined;
  const conn: OcppConnection = createConnection({
    identity,
    url: opts.url,
    password: opts.password,
    callTimeoutMs: opts.callTimeoutMs,
    strict: opts.validate,
    pingIntervalS: config.getInt('WebSocketPingInterval'),
    observer: opts.observer,
    clock: opts.clock,
    trace: opts.trace,
    onOpen: () => {
      opts.observer.connection(identity, 'connected');
      // A dropped connection came back without a reboot: the registration still stands.
      if (ctx?.phase === 'accepted') onReconnected(ctx);
    },
    // A close the station asked for (end of run) is not a lost connection.
    onDisconnect: () => opts.observer.connection(identity, ctx?.phase === 'closed' ? 'closed' : 'disconnected'),
    onLateReply: (msgId, result) => {
      if (ctx) onLateReply(ctx, msgId, result);
    },
    reconnectRandom: () => (reconnectJitter ??= opts.rng.stream(`station/${identity}/connection-reconnect`))(),
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
    txq: createTxQueue(),
    authCache: null,
    sessions: new Set(),
    powerCycle: null,
    reconnectRng: null,
    status0: 'Available',
    heartbeatTimer: undefined,
    alignedTimer: undefined,
    profiles: null,
  };
  ctx = built;
  conn.serve(OCPP16_ACTIONS, (action, params) => dispatchRemote(built, action, params));
  config.onChange((key) => onConfigChange(built, key));
  return built;
}

function onReconnected(ctx: StationContext): void {
  ctx.observer.connection(ctx.identity, 'accepted');
  void backOnline(ctx);
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
  startConnectorFaults(ctx);
  await ctx.conn.connect();
  await bootUntilAccepted(ctx);
}

function onArrival(ctx: StationContext, plan: PlannedSession): void {
  const c = connectorById(ctx, plan.connectorId);
  let skip: string | null = null;
  if (!c) skip = 'unknown connector';
  else if (ctx.phase !== 'accepted' || ctx.powerCycle !== null) skip = 'station not accepted';
  else if (c.faultCode !== null) skip = FAULTED_DETAIL;
  else if (!isFree(c)) skip = 'connector busy';
  if (skip !== null || !c) {
    ctx.observer.session(skippedRecord(ctx, plan, skip ?? 'unknown connector'));
    return;
  }
  beginSession(ctx, c, plan, 'arrival');
}

/** Ends sessions without further wire traffic; queued transaction messages stay queued (undelivered). */
async function close(ctx: StationContext, arrivals: ArrivalQueue): Promise<void> {
  ctx.phase = 'closed';
  arrivals.stop();
  ctx.timers.clearAll();
  for (const c of ctx.connectors) {
    // An ended session is only finishing up; it reports what became of its StopTransaction.
    if (c.session && c.session.phase !== 'ended') abortSession(c.session, 'station closed');
  }
  closeTx(ctx);
  await ctx.conn.close();
  await Promise.all(Array.from(ctx.sessions, (s) => s.done));
}
