/** A FleetObserver that keeps everything it is told, for assertions. */
import type {
  CallError,
  ConnectionState,
  Direction,
  FleetObserver,
  SessionRecord,
  TxMessageEvent,
} from '../../src/metrics/types.js';

export interface ObservedCall {
  direction: Direction;
  action: string;
  latencyMs: number;
  error?: CallError;
}

export interface RecordingObserver extends FleetObserver {
  calls: ObservedCall[];
  sessions: SessionRecord[];
  txMessages: TxMessageEvent[];
  plugged: { stationId: string; connectorId: number }[];
  connections: { stationId: string; state: ConnectionState }[];
  sendDelays: { action: string; delayMs: number }[];
}

export function createRecordingObserver(): RecordingObserver {
  const calls: ObservedCall[] = [];
  const sessions: SessionRecord[] = [];
  const txMessages: TxMessageEvent[] = [];
  const plugged: RecordingObserver['plugged'] = [];
  const connections: RecordingObserver['connections'] = [];
  const sendDelays: RecordingObserver['sendDelays'] = [];
  return {
    calls,
    sessions,
    txMessages,
    plugged,
    connections,
    sendDelays,
    call: (direction, action, latencyMs, error) => {
      calls.push(error === undefined ? { direction, action, latencyMs } : { direction, action, latencyMs, error });
    },
    session: (record) => {
      sessions.push(structuredClone(record));
    },
    txMessage: (event) => {
      txMessages.push({ ...event });
    },
    sessionPlugged: (stationId, connectorId) => {
      plugged.push({ stationId, connectorId });
    },
    connection: (stationId, state) => {
      connections.push({ stationId, state });
    },
    sendDelay: (action, delayMs) => {
      sendDelays.push({ action, delayMs });
    },
  };
}
