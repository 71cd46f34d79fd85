/**
 * Connection state of every station, tracked per identity so repeated or out-of-order events cannot
 * skew the counts (a 'disconnected' for a station that is not connected changes nothing).
 */
import type { ConnectionState } from './types.js';

const CONNECTED = 1;
const ACCEPTED = 2;

export interface ConnectionCounts {
  /** Stations connected now. */
  connected: number;
  /** Stations connected now whose BootNotification was Accepted. */
  accepted: number;
  /** Most stations connected at the same time. */
  connectedPeak: number;
  /** Distinct stations whose BootNotification was Accepted at least once. */
  bootAccepted: number;
  /** Times a connected station lost its connection (a station closing at the end of a run is not one). */
  disconnects: number;
}

export interface ConnectionTracker {
  update(stationId: string, state: ConnectionState): void;
  counts(): ConnectionCounts;
}

export function createConnectionTracker(): ConnectionTracker {
  /** Bit flags of the stations connected now. */
  const flags = new Map<string, number>();
  const everAccepted = new Set<string>();
  const c: ConnectionCounts = { connected: 0, accepted: 0, connectedPeak: 0, bootAccepted: 0, disconnects: 0 };

  function connect(f: number): number {
    if (f & CONNECTED) return f;
    c.connected++;
    if (c.connected > c.connectedPeak) c.connectedPeak = c.connected;
    return f | CONNECTED;
  }

  function update(id: string, state: ConnectionState): void {
    let f = flags.get(id) ?? 0;
    if (state === 'connected') {
      f = connect(f);
    } else if (state === 'accepted') {
      f = connect(f);
      if (!(f & ACCEPTED)) c.accepted++;
      f |= ACCEPTED;
      if (!everAccepted.has(id)) {
        everAccepted.add(id);
        c.bootAccepted++;
      }
    } else {
      if (f & CONNECTED) {
        c.connected--;
        if (state === 'disconnected') c.disconnects++;
        if (f & ACCEPTED) c.accepted--;
      }
      flags.delete(id);
      return;
    }
    flags.set(id, f);
  }

  return { update, counts: () => ({ ...c }) };
}
