/**
 * Per-test setup for station tests: a fresh strict-mode test CSMS before each test, and every station
 * and the server closed after it. Call `stationTestbed()` at the top of a test file.
 */
import { afterEach, beforeEach, expect } from 'vitest';
import type { Station, StationOptions } from '../../src/station/types.js';
import { startStationCsms, waitFor, type StationCsms } from './station-csms.js';
import { CHARGING_CAR, makeStation, planSession, type TestStation } from './station-fixture.js';

export const MIN = 60_000;

export interface StationTestbed {
  readonly csms: StationCsms;
  /** A station that is not started yet (closed after the test like every other). */
  station(overrides?: Partial<StationOptions>, identity?: string): TestStation;
  /** A started station (remote starts plan a 3-minute session with a charging car). */
  started(overrides?: Partial<StationOptions>, identity?: string): Promise<TestStation>;
  /** Starts a long session on `connectorId`, waits until it is Charging; returns its transactionId. */
  charging(t: TestStation, connectorId: number): Promise<number>;
  /** Statuses reported for one connector, in order. */
  statusesOf(connectorId: number, identity?: string): string[];
}

export function stationTestbed(): StationTestbed {
  let csms: StationCsms | undefined;
  const stations: Station[] = [];
  const server = (): StationCsms => {
    if (!csms) throw new Error('test CSMS not started');
    return csms;
  };

  beforeEach(async () => {
    csms = await startStationCsms();
  });

  afterEach(async () => {
    await Promise.all(stations.splice(0).map((s) => s.close()));
    await csms?.close();
    csms = undefined;
  });

  return {
    get csms() {
      return server();
    },
    station: (overrides = {}, identity = 'CP-1') => {
      const planRemoteSession = () => ({ plugDurationMs: 3 * MIN, vehicle: CHARGING_CAR });
      const t = makeStation(server().url, { planRemoteSession, ...overrides }, identity);
      stations.push(t.station);
      return t;
    },
    started: async (overrides = {}, identity = 'CP-1') => {
      const planRemoteSession = () => ({ plugDurationMs: 3 * MIN, vehicle: CHARGING_CAR });
      const t = makeStation(server().url, { planRemoteSession, ...overrides }, identity);
      stations.push(t.station);
      await t.station.start();
      return t;
    },
    charging: async (t, connectorId) => {
      const c = server();
      const count = c.transactions.length;
      t.station.schedule([planSession(t, connectorId, 0, 600 * MIN)]);
      await waitFor(
        () => c.calls('StatusNotification', t.station.identity).some((p) => p.connectorId === connectorId && p.status === 'Charging'),
        'charging',
      );
      expect(c.transactions.length).toBe(count + 1);
      return c.transactions[count];
    },
    statusesOf: (connectorId, identity) =>
      server()
        .calls('StatusNotification', identity)
        .filter((p) => p.connectorId === connectorId)
        .map((p) => p.status),
  };
}
