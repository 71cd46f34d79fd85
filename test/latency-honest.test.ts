import { afterEach, describe, expect, it } from 'vitest';
import type { StationCsms } from './support/station-csms.js';
import { waitFor } from './support/station-csms.js';
import { planSession, TEST_SPEED } from './support/station-fixture.js';
import { MIN, stationTestbed } from './support/station-testbed.js';

const bed = stationTestbed();

/** Wall ms the slow CSMS takes to answer every CALL. */
const DELAY_MS = 300;
/** Wall ms between periodic MeterValues (MeterValueSampleInterval 60 s at the test speed). */
const SAMPLE_WALL_MS = 60_000 / TEST_SPEED;

const pending = new Set<ReturnType<typeof setTimeout>>();
afterEach(() => {
  for (const timer of pending) clearTimeout(timer);
  pending.clear();
});

/**
 * Makes the CSMS answer every CALL `DELAY_MS` late from now on. Returns one entry per MeterValues it
 * delays (to tell them from any answered before).
 */
function slowDown(csms: StationCsms): true[] {
  const delayed: true[] = [];
  for (const [action, respond] of Object.entries(csms.responders)) {
    csms.responders[action] = (params, identity) => {
      if (action === 'MeterValues') delayed.push(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(timer);
          resolve(respond(params, identity));
        }, DELAY_MS);
        pending.add(timer);
      });
    };
  }
  return delayed;
}

describe('honest latency (coordinated omission)', () => {
  it('measures MeterValues from their grid time: against a slow CSMS the latency grows with the backlog', async () => {
    expect(SAMPLE_WALL_MS).toBeLessThan(DELAY_MS / 2);
    const t = await bed.started();
    t.station.schedule([planSession(t, 1, 0, 600 * MIN)]);
    await waitFor(() => bed.statusesOf(1).includes('Charging'), 'charging');
    // Normally before the first sample is due (one interval after the transaction began).
    const delayed = slowDown(bed.csms);

    // Samples answered before the CSMS turned slow (if any) are left out.
    const fast = () => bed.csms.calls('MeterValues').length - delayed.length;
    const meterCalls = () => t.observer.calls.filter((c) => c.action === 'MeterValues' && c.error === undefined).slice(fast());
    await waitFor(() => meterCalls().length >= 5, 'five slow MeterValues answered', 5000);
    const latency = meterCalls().map((c) => c.latencyMs);
    const slip = t.observer.sendDelays
      .filter((d) => d.action === 'MeterValues')
      .map((d) => d.delayMs)
      .slice(fast(), fast() + latency.length);

    // Never below the CSMS's own delay; the median is not the ~300 ms a send-to-reply clock would show.
    const sorted = [...latency].sort((a, b) => a - b);
    expect(sorted[0]).toBeGreaterThanOrEqual(DELAY_MS);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeGreaterThan(DELAY_MS + SAMPLE_WALL_MS);
    // Samples fall due faster than they are answered: each waits longer than the one before.
    for (let i = 1; i < latency.length; i++) expect(latency[i]).toBeGreaterThan(latency[i - 1]);
    expect(latency.at(-1)! - latency[0]).toBeGreaterThanOrEqual(DELAY_MS);

    // sendDelay shows the slip: how late each sample went on the wire against its grid time.
    for (let i = 1; i < slip.length; i++) expect(slip[i]).toBeGreaterThan(slip[i - 1]);
    expect(slip.at(-1)).toBeGreaterThanOrEqual(DELAY_MS);
    // Latency = slip + the time on the wire, which is at least the CSMS's delay.
    latency.forEach((l, i) => expect(l - slip[i]).toBeGreaterThanOrEqual(DELAY_MS - 1));
    expect(bed.csms.problems).toEqual([]);
  });

  it('other calls are measured from when they were requested, a heartbeat from its tick', async () => {
    const t = await bed.started();
    slowDown(bed.csms);
    const answered = (action: string) => t.observer.calls.filter((c) => c.action === action && c.error === undefined);
    // Three StatusNotifications requested at once go out one after the other: each waits for those ahead.
    await bed.csms.call('CP-1', 'TriggerMessage', { requestedMessage: 'StatusNotification' });
    await waitFor(() => answered('StatusNotification').length === 6, 'three triggered statuses', 5000);
    const statuses = answered('StatusNotification').slice(3).map((c) => c.latencyMs).sort((a, b) => a - b);
    statuses.forEach((ms, i) => expect(ms).toBeGreaterThanOrEqual((i + 1) * DELAY_MS - 1));

    // Heartbeats every 200 wall ms, each answered after 300: the second one goes out late.
    const intervalWallMs = 200;
    const interval = String((intervalWallMs * TEST_SPEED) / 1000);
    expect(await bed.csms.call('CP-1', 'ChangeConfiguration', { key: 'HeartbeatInterval', value: interval })).toEqual({
      status: 'Accepted',
    });
    await waitFor(() => answered('Heartbeat').length >= 2, 'two heartbeats', 3000);
    const [hb1, hb2] = answered('Heartbeat').map((c) => c.latencyMs);
    const [slip1, slip2] = t.observer.sendDelays.filter((d) => d.action === 'Heartbeat').map((d) => d.delayMs);
    expect(hb1).toBeGreaterThanOrEqual(DELAY_MS);
    expect(slip1).toBeGreaterThanOrEqual(0);
    // The second tick came while the first heartbeat was still in flight.
    expect(slip2).toBeGreaterThanOrEqual(DELAY_MS - intervalWallMs - 1);
    expect(hb2).toBeGreaterThanOrEqual(2 * DELAY_MS - intervalWallMs - 1);
    expect(bed.csms.problems).toEqual([]);
  });
});
