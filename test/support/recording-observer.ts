/** A FleetObserver that keeps everything it is told, for assertions. */
import type { CallError, ConnectionState, Direction, FleetObserver, SessionRecord } from '../../src/metrics/types.js';

export interface ObservedCall {
  direction: Direction;
  action: string;
  latencyMs: number;
  error?: CallError;
}

export interface RecordingObserver extends FleetObserver {
  calls: ObservedCall[];
  sessions: SessionRecord[];
  plugged: { stationId: string; connectorId: number }[];
  connections: { stationId: string; state: ConnectionState }[];
}

export function createRecordingObserver(): RecordingObserver {
  const calls: ObservedCall[] = [];
  const sessions: SessionRecord[] = [];
  const plugged: RecordingObserver['plugged'] = [];
  const connections: RecordingObserver['connections'] = [];
  return {
    calls,
    sessions,
    plugged,
    connections,
    call: (direction, action, latencyMs, error) => {
      calls.push(error === undefined ? { direction, action, latencyMs } : { direction, action, latencyMs, error });
    },
    session: (record) => {
      sessions.push(structuredClone(record));
    },
    sessionPlugged: (stationId, connectorId) => {
      plugged.push({ stationId, connectorId });
    },
    connection: (stationId, state) => {
      connections.push({ stationId, state });
    },
  };
}
