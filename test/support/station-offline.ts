/** Helpers for the offline-authorisation tests: teach the cache a tag, then arrive while cut off. */
import { waitFor } from './station-csms.js';
import { planSession, type TestStation } from './station-fixture.js';
import { MIN, type StationTestbed } from './station-testbed.js';
import { waitOffline } from './station-tx.js';

/** Runs a short online session so the station's authorisation cache learns `idTag`. */
export async function learn(t: TestStation, idTag: string, connectorId = 1): Promise<void> {
  const n = t.observer.sessions.length;
  t.station.schedule([planSession(t, connectorId, 0, MIN / 2, idTag)]);
  await waitFor(() => t.observer.sessions.length === n + 1, `session of ${idTag}`);
}

/** Cuts the station off and schedules `idTags` (one per connector, in order) while it is offline. */
export async function arriveOffline(bed: StationTestbed, t: TestStation, idTags: string[], plugMs = 2 * MIN): Promise<void> {
  bed.csms.cutOff(t.station.identity);
  await waitOffline(t);
  t.station.schedule(idTags.map((idTag, i) => planSession(t, i + 1, 5_000, plugMs, idTag)));
}

export const record = (t: TestStation, idTag: string) => t.observer.sessions.find((r) => r.idTag === idTag);
