/**
 * The state of one virtual charge point, shared by the modules that act on it (boot, sessions,
 * sampling, remote commands). Plain data: behaviour lives in those modules as functions.
 */
import type { Clock, Timer } from '../util/clock.js';
import type { Rng } from '../util/rng.js';
import type { FleetObserver, SessionRecord } from '../metrics/types.js';
import type { ChargingProfileStore } from '../meter/charging-profiles.js';
import type { ChargingProfile } from '../meter/charging-schedule.js';
import type { ConnectorMeter } from '../meter/types.js';
import type { OcppConnection } from '../ocpp/connection.js';
import type { ChargePointErrorCode, ChargePointStatus, MeterValue, StopReason } from '../ocpp/payloads.js';
import type { AuthCache } from './authorisation.js';
import type { ConfigStore } from './config-store.js';
import type { FaultProcess } from './connector-faults.js';
import type { TimerSet } from './timers.js';
import type { TxQueue } from './tx-queue.js';
import type { StationOptions } from './types.js';

/**
 * new → booting → accepted; Reset / reboot: accepted → resetting → booting → accepted; close(): → closed.
 * A dropped connection does not change the phase: an accepted station stays accepted while offline.
 */
export type StationPhase = 'new' | 'booting' | 'accepted' | 'resetting' | 'closed';

export interface StationContext {
  readonly opts: StationOptions;
  readonly identity: string;
  readonly clock: Clock;
  readonly observer: FleetObserver;
  readonly conn: OcppConnection;
  readonly config: ConfigStore;
  readonly timers: TimerSet;
  /** connectors[i] has connectorId i + 1. */
  readonly connectors: readonly Connector[];
  phase: StationPhase;
  /** Transaction-related messages waiting for delivery (OCPP 1.6 §3.7). */
  readonly txq: TxQueue;
  /** idTags the CSMS answered about (AuthorizationCacheEnabled); null until the first one. */
  authCache: AuthCache | null;
  /** Sessions whose record is not emitted yet (on a connector, or waiting for their StopTransaction). */
  readonly sessions: Set<Session>;
  /** A Reset or reboot in progress (resolves once accepted again or closed). */
  powerCycle: Promise<void> | null;
  /** Jitter of the station's own reconnect waits (after a Reset or reboot); created on first use. */
  reconnectRng: Rng | null;
  /** Last status reported for connector 0 (the charge point as a whole). */
  status0: ChargePointStatus;
  heartbeatTimer: Timer | undefined;
  alignedTimer: Timer | undefined;
  /** Installed charging profiles (Smart Charging); created by the first smart-charging request. */
  profiles: ChargingProfileStore | null;
}

export interface Connector {
  readonly id: number;
  readonly meter: ConnectorMeter;
  /** Last status reported to the CSMS. */
  status: ChargePointStatus;
  /** Sessions begun on this connector so far (the n of sessionId `<connectorId>/<n>`). */
  sessionCount: number;
  /** Set Inoperative by ChangeAvailability. */
  inoperative: boolean;
  /** ChangeAvailability Inoperative arrived during a session: applied when it ends. */
  pendingInoperative: boolean;
  session: Session | null;
  /** Fires when the charging-profile limit on this connector may change next. */
  limitTimer: Timer | undefined;
  /** While the connector is Faulted: the errorCode it reported; null when it works. */
  faultCode: ChargePointErrorCode | null;
  /** The connector's fault process (StationOptions.connectorFaults); null when faults are off. */
  faults: FaultProcess | null;
}

export type SessionPhase = 'starting' | 'running' | 'stopping' | 'ended';

/** Where a session's StartTransaction or StopTransaction is: not produced yet, queued, or settled. */
export type TxState = 'none' | 'queued' | 'acked' | 'discarded' | 'lost';

export interface Session {
  readonly connector: Connector;
  /** Filled in as the session goes; emitted once at the end. */
  readonly record: SessionRecord;
  phase: SessionPhase;
  /** The id from the StartTransaction reply; null until it came (queued messages then carry -1). */
  transactionId: number | null;
  startState: TxState;
  stopState: TxState;
  /** Why the transaction has to stop (the first request wins); null while it may run on. */
  stopReason: StopReason | null;
  /** The station closed or rebooted under the session: no further wire traffic from its flow. */
  aborted: boolean;
  /** Detail of the first failed call, e.g. 'MeterValues Timeout'. */
  failure: string | null;
  /** Detail of an authorisation refusal, e.g. 'Authorize Blocked'. */
  rejection: string | null;
  /** Wakes the running session's wait for a stop request. */
  wake: (() => void) | null;
  /** Wakes the session's wait for progress of its transaction messages. */
  txWake: (() => void) | null;
  plugTimer: Timer | undefined;
  tickTimer: Timer | undefined;
  /** Simulated epoch ms the armed periodic tick is due (its grid time). */
  tickDue: number;
  /** TxProfile from RemoteStartTransaction, installed when the transaction starts. */
  pendingProfile: ChargingProfile | null;
  /** Transaction.Begin sample for StopTransaction.transactionData. */
  beginValue: MeterValue | null;
  /** The station cut the power (idTag refused without StopTransactionOnInvalidId); lifted at unplug. */
  powerCut: boolean;
  /**
   * The EVSE has closed its contactor: energy may flow. False from plug-in until the transaction starts
   * (Preparing, authorisation), so nothing reaches the car — or the meter — before it is authorised.
   */
  energised: boolean;
  /** The car is plugged in (meter.plugIn was called). */
  plugged: boolean;
  /** The meter's charging-time counter at plug-in. */
  flowBaseMs: number;
  /** Resolves once the record was emitted and the connector is free again. */
  readonly done: Promise<void>;
  /** Resolves `done` (called once, by the session flow). */
  readonly settle: () => void;
}

/** The station may send CALLs other than BootNotification: the socket is open and the boot accepted. */
export function isOnline(ctx: StationContext): boolean {
  return ctx.phase === 'accepted' && ctx.conn.isOpen();
}
