import type { Clock } from '../util/clock.js';
import type { RngRoot } from '../util/rng.js';
import type { FleetObserver } from '../metrics/types.js';
import type { ConnectorConfig, MeterConfig } from '../scenario/types.js';
import type { ConnectorMeter, PluggedVehicle } from '../meter/types.js';

/** The identity and hardware of one virtual charge point. */
export interface StationSpec {
  identity: string;
  /** 1-based position in the fleet. */
  index: number;
  vendor: string;
  model: string;
  firmwareVersion: string;
  serialNumber: string;
  connectors: ConnectorConfig[];
}

/** One planned arrival of a car at a connector (decided up front from the seed). */
export interface PlannedSession {
  /** 1-based connector id. */
  connectorId: number;
  /** Simulated ms after the run's start at which the car plugs in. */
  arriveAtMs: number;
  /** Simulated ms the car stays plugged in. */
  plugDurationMs: number;
  idTag: string;
  vehicle: PluggedVehicle;
}

export interface StationOptions {
  spec: StationSpec;
  /** CSMS base URL; the identity is appended as the last path segment. */
  url: string;
  /** Basic-auth password, if the target needs one. */
  password: string | null;
  callTimeoutMs: number;
  /** ocpp-rpc strict mode on this station's connection (validates both directions). */
  validate: boolean;
  heartbeatIntervalS: number;
  meter: MeterConfig;
  clock: Clock;
  rng: RngRoot;
  observer: FleetObserver;
  /** Builds the meter of one connector; `initialWh` is the register's starting value. */
  createMeter(rating: ConnectorConfig, label: string, initialWh: number): ConnectorMeter;
  /**
   * The car and plug duration for a session the CSMS starts with RemoteStartTransaction on
   * `connectorId`. Absent: the station rejects remote starts.
   */
  planRemoteSession?: (connectorId: number) => { plugDurationMs: number; vehicle: PluggedVehicle };
  /**
   * Initial values of OCPP configuration keys (scenario fleet.configuration), applied over the
   * defaults. createStation throws an Error naming the key for an unknown or read-only key or an
   * invalid value.
   */
  configuration?: Record<string, string>;
  /**
   * Connector faults (scenario sessions.faultsPerHour / faultRecoveryMs): each connector faults as a
   * Poisson process of `perHour` faults per simulated hour (seeded stream
   * `faults/<identity>/<connectorId>`) and recovers `recoveryMs` simulated ms later. Absent or
   * perHour 0: no faults.
   */
  connectorFaults?: ConnectorFaultOptions;
  /** Called for every CALL the station sends, as it goes on the wire (retries included, marked). */
  trace?: (event: CallTraceEvent) => void;
}

export interface ConnectorFaultOptions {
  perHour: number;
  /** Simulated ms a faulted connector stays Faulted. */
  recoveryMs: number;
}

/** One CALL a station sent (see StationOptions.trace). */
export interface CallTraceEvent {
  /** Simulated epoch ms the CALL went on the wire. */
  at: number;
  action: string;
  payload: unknown;
  /** Present (true) when the CALL is a transaction message sent again after a failed attempt. */
  retry?: true;
}

export interface Station {
  readonly identity: string;
  /** Connects and boots. Resolves once the BootNotification was Accepted, rejects if the station gives up. */
  start(): Promise<void>;
  /** Adds planned arrivals; each runs at its arriveAtMs on the station's clock. */
  schedule(plans: PlannedSession[]): void;
  /** No new sessions: cancels arrivals that have not happened yet. */
  stopArrivals(): void;
  /** Ends every running session with exactly one StopTransaction (reason given), then resolves. */
  finishSessions(reason: 'Local' | 'Other'): Promise<void>;
  /** Closes the connection and clears every timer. */
  close(): Promise<void>;
  /**
   * Power-cycles the station (a reboot seen in the field, e.g. while offline): running transactions
   * are interrupted (their StopTransaction, reason PowerLoss, is queued), then it boots again. With
   * `keepQueue` false the queued transaction messages are lost, as on chargers without persistent storage.
   */
  reboot(keepQueue: boolean): Promise<void>;
}
