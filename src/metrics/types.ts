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

export type ConnectionState = 'connected' | 'accepted' | 'disconnected' | 'closed';

export interface FleetObserver {
  /** One finished call: latency in ms (wall), error undefined on success. */
  call(direction: Direction, action: string, latencyMs: number, error?: CallError): void;
  /** A session ended (in any outcome). */
  session(record: SessionRecord): void;
  /** A session began (the car is plugged in and the station is about to authorise). */
  sessionPlugged(stationId: string, connectorId: number): void;
  /**
   * Connection state of a station changed: `accepted` once its BootNotification was Accepted,
   * `disconnected` when the connection was lost, `closed` when the station closed it on purpose.
   */
  connection(stationId: string, state: ConnectionState): void;
}
