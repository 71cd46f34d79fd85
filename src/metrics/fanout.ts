import type { FleetObserver } from './types.js';

/** One observer that passes every event on to each of `sinks`, in order. */
export function fanOut(...sinks: FleetObserver[]): FleetObserver {
  return {
    call: (direction, action, latencyMs, error) => {
      for (const s of sinks) s.call(direction, action, latencyMs, error);
    },
    session: (record) => {
      for (const s of sinks) s.session(record);
    },
    sessionPlugged: (stationId, connectorId) => {
      for (const s of sinks) s.sessionPlugged(stationId, connectorId);
    },
    txMessage: (event) => {
      for (const s of sinks) s.txMessage(event);
    },
    connection: (stationId, state) => {
      for (const s of sinks) s.connection(stationId, state);
    },
    sendDelay: (action, delayMs) => {
      for (const s of sinks) s.sendDelay?.(action, delayMs);
    },
  };
}
