/**
 * The one-way flow of observations out of the fleet: stations report what happened, a sink
 * (metrics, progress, ledger) records it. Stations never read metrics back.
 */

/** `sent`: a CALL the station made to the CSMS. `received`: a CALL the CSMS made to the station. */
export type Direction = 'sent' | 'received';

/** Error label for a call: a CALLERROR code from the peer, or one of ev-sim's own outcomes. */
export type CallError = string; // e.g. 'NotImplemented', 'FormationViolation', 'Timeout', 'Disconnected'

export const TIMEOUT: CallError = 'Timeout';
export const DISCONNECTED: CallError = 'Disconnected';

export type SessionOutcome =
  /** Started (transactionId received) and stopped with an accepted StopTransaction. */
  | 'completed'
  /** The CSMS refused the idTag (Authorize or StartTransaction idTagInfo not Accepted). */
  | 'rejected'
  /** Anything else: a call failed or timed out, the station went down, the run was aborted. */
  | 'failed';

/** Ground truth of one session as the station saw it. */
export interface SessionRecord {
  stationId: string;
  connectorId: number;
  /** Unique within the station, `<connectorId>/<n>`; links the session to its TxMessageEvents. */
  sessionId: string;
  idTag: string;
  /** How the session began: a planned arrival or a RemoteStartTransaction from the CSMS. */
  origin: 'arrival' | 'remote';
  vehicle: string | null;
  transactionId: number | null;
  /** Simulated epoch ms. */
  pluggedAt: number;
  startedAt: number | null;
  stoppedAt: number | null;
  unpluggedAt: number | null;
  meterStartWh: number | null;
  meterStopWh: number | null;
  energyWh: number;
  /** Simulated ms during which energy actually flowed (the rest of the plugged time was idle). */
  chargingMs: number;
  socStart: number | null;
  socEnd: number | null;
  stopReason: string | null;
  outcome: SessionOutcome;
  /** Why a rejected or failed session ended that way. */
  detail: string | null;
}

/** Transaction-related messages: the ones a charger queues while offline (OCPP 1.6 §3.7). */
export type TxAction = 'StartTransaction' | 'StopTransaction' | 'MeterValues';

/**
 * One step in the life of one transaction-related message, for the ledger that reconciles what each
 * station did with what the CSMS acknowledged. Every message is `queued` exactly once, then `sent`
 * (once per attempt), and ends `acked`, `discarded` (given up after CALLERRORs), or `lost` (queue dropped
 * in a reboot); a message with none of those at the end of the run is still queued.
 */
export interface TxMessageEvent {
  kind: 'queued' | 'sent' | 'acked' | 'callerror' | 'timeout' | 'disconnected' | 'discarded' | 'lost' | 'lateReply';
  stationId: string;
  connectorId: number;
  /** Unique within the station: `<connectorId>/<n>`, shared by every message of one session. */
  sessionId: string;
  action: TxAction;
  /** Per-station message number, stable across retries of the same message. */
  seq: number;
  /** Simulated epoch ms the message was created (when the charger produced it). */
  createdAt: number;
  /** Simulated epoch ms of this event. */
  at: number;
  /**
   * StartTransaction `acked`/`lateReply`: the transactionId the CSMS issued. Other actions: the id the
   * message carried when sent (-1 when the StartTransaction reply had not come). null before sending.
   */
  transactionId: number | null;
  /** `callerror`: the CALLERROR code. */
  errorCode?: string;
  /** `acked` StartTransaction / StopTransaction: idTagInfo.status of the reply, if present. */
  idTagStatus?: string;
  /** Messages waiting in this station's queue after this event (the one in flight included). */
  queueDepth: number;
}

export type ConnectionState = 'connected' | 'accepted' | 'disconnected' | 'closed';

export interface FleetObserver {
  /**
   * One finished call: latency in ms (wall), error undefined on success. For calls the stations send,
   * latency runs from when the message was due (its sampling tick, heartbeat tick, creation in the
   * transaction queue, or the request), not from when it went on the wire: a slow CSMS that makes
   * messages queue up cannot hide the wait (coordinated omission).
   */
  call(direction: Direction, action: string, latencyMs: number, error?: CallError): void;
  /**
   * A station's CALL went on the wire `delayMs` (wall) after it was due: timer lateness plus waiting
   * behind the call in flight or the transaction queue. Optional: sinks that ignore it need not implement it.
   */
  sendDelay?(action: string, delayMs: number): void;
  /** A session ended (in any outcome). */
  session(record: SessionRecord): void;
  /** A transaction-related message changed state (see TxMessageEvent). */
  txMessage(event: TxMessageEvent): void;
  /** A session began (the car is plugged in and the station is about to authorise). */
  sessionPlugged(stationId: string, connectorId: number): void;
  /**
   * Connection state of a station changed: `accepted` once its BootNotification was Accepted,
   * `disconnected` when the connection was lost, `closed` when the station closed it on purpose.
   */
  connection(stationId: string, state: ConnectionState): void;
}
