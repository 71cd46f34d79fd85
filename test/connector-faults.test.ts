import { describe, expect, it } from 'vitest';
import { drawFault, FAULT_ERROR_WEIGHTS } from '../src/station/connector-faults.js';
import { createClock } from '../src/util/clock.js';
import { createRngRoot } from '../src/util/rng.js';
import { waitFor } from './support/station-csms.js';
import { CHARGING_CAR, TEST_SPEED } from './support/station-fixture.js';
import { MIN, stationTestbed } from './support/station-testbed.js';

const bed = stationTestbed();

/**
 * Chosen so both connectors first fault well after the boot (at 139 s and 171 s) and each has a later
 * fault that falls inside an earlier one's recovery.
 */
const IDENTITY = 'CP-F15';
const PER_HOUR = 30;
const RECOVERY_MS = MIN;
const ORIGIN = Date.UTC(2025, 0, 6, 8, 0, 0);

interface Fault {
  at: number;
  code: string;
}

/** The faults the seeded stream of one connector gives within `untilMs`, those during a recovery dropped. */
function expectedFaults(connectorId: number, untilMs: number): Fault[] {
  const rng = createRngRoot(42).stream(`faults/${IDENTITY}/${connectorId}`);
  const out: Fault[] = [];
  let at = 0;
  let busyUntil = -Infinity;
  for (;;) {
    const { gapMs, code } = drawFault(rng, 3_600_000 / PER_HOUR);
    at += gapMs;
    if (at > untilMs) return out;
    if (at < busyUntil) continue;
    out.push({ at, code });
    busyUntil = at + RECOVERY_MS;
  }
}

/** How far (ms) an OCPP timestamp lies from `elapsedMs` after the clock's origin (sub-ms jitter of the clock read). */
const msOff = (timestamp: string, elapsedMs: number) => Math.abs(Date.parse(timestamp) - Math.round(ORIGIN + elapsedMs));

/** StatusNotifications of one connector. */
const statuses = (connectorId: number) =>
  bed.csms.calls('StatusNotification', IDENTITY).filter((p) => p.connectorId === connectorId);

describe('connector faults', () => {
  it('fault at the seeded times with Faulted + errorCode, stop the running session and recover', async () => {
    const faults1 = expectedFaults(1, 420_000);
    const faults2 = expectedFaults(2, 420_000);
    expect(faults1.length).toBeGreaterThanOrEqual(2);
    expect(faults2.length).toBeGreaterThanOrEqual(2);
    const t = await bed.started(
      { clock: createClock(TEST_SPEED, ORIGIN), connectorFaults: { perHour: PER_HOUR, recoveryMs: RECOVERY_MS } },
      IDENTITY,
    );
    t.station.schedule([
      { connectorId: 1, arriveAtMs: t.opts.clock.elapsed(), plugDurationMs: 600 * MIN, idTag: 'TAG-OK', vehicle: CHARGING_CAR },
      // Arrives while connector 2 is faulted: skipped.
      { connectorId: 2, arriveAtMs: faults2[0].at + RECOVERY_MS / 2, plugDurationMs: 10 * MIN, idTag: 'TAG-OK', vehicle: CHARGING_CAR },
    ]);
    const recovered = (id: number, n: number) => statuses(id).filter((p) => p.status === 'Faulted').length >= n && statuses(id).at(-1)?.status === 'Available';
    await waitFor(() => recovered(1, 2) && recovered(2, 2), 'two faults and recoveries on each connector', 5000);

    for (const [id, faults] of [[1, faults1], [2, faults2]] as const) {
      const faulted = statuses(id).filter((p) => p.status === 'Faulted').slice(0, 2);
      expect(faulted.map((p) => p.errorCode)).toEqual(faults.slice(0, 2).map((f) => f.code));
      faulted.forEach((p, i) => expect(msOff(p.timestamp, faults[i].at)).toBeLessThanOrEqual(1));
      // Each fault is followed by Available (NoError) once it is repaired.
      const seq = statuses(id);
      for (const [i, f] of faulted.entries()) {
        const next = seq[seq.indexOf(f) + 1];
        expect(next).toMatchObject({ status: 'Available', errorCode: 'NoError' });
        expect(msOff(next.timestamp, faults[i].at + RECOVERY_MS)).toBeLessThanOrEqual(1);
      }
    }
    expect(statuses(1).map((p) => p.status).slice(0, 4)).toEqual(['Available', 'Preparing', 'Charging', 'Faulted']);
    expect(statuses(2).map((p) => p.status).slice(0, 3)).toEqual(['Available', 'Faulted', 'Available']);

    // The running session was stopped by the first fault, reason Other, through the transaction queue.
    await waitFor(() => t.observer.sessions.length === 2, 'both session records');
    const stop = bed.csms.calls('StopTransaction', IDENTITY);
    expect(stop).toEqual([expect.objectContaining({ reason: 'Other', transactionId: bed.csms.transactions[0] })]);
    expect(Date.parse(stop[0].timestamp)).toBeGreaterThanOrEqual(ORIGIN + faults1[0].at - 1);
    const [skipped, stopped] = [...t.observer.sessions].sort((a, b) => b.connectorId - a.connectorId);
    expect(stopped).toMatchObject({ connectorId: 1, outcome: 'completed', stopReason: 'Other' });
    expect(skipped).toMatchObject({ connectorId: 2, outcome: 'failed', detail: 'connector faulted' });
    expect(bed.csms.calls('StartTransaction')).toHaveLength(1);
    expect(bed.csms.problems).toEqual([]);
  });

  it('draws errorCodes from the realistic set, and no faults without connectorFaults', async () => {
    const rng = createRngRoot(7).stream('faults/X/1');
    const codes = new Set(Array.from({ length: 500 }, () => drawFault(rng, 1000).code));
    expect([...codes].every((c) => c in FAULT_ERROR_WEIGHTS)).toBe(true);
    expect(codes.size).toBeGreaterThanOrEqual(8);
    expect(codes.has('NoError' as never)).toBe(false);

    // With 30 per hour this station's connectors fault within 140 simulated s; with 0, never.
    await bed.started({ connectorFaults: { perHour: 0, recoveryMs: MIN } }, IDENTITY);
    await new Promise((resolve) => setTimeout(resolve, (200_000 / TEST_SPEED)));
    expect(bed.csms.calls('StatusNotification').map((p) => p.status)).toEqual(['Available', 'Available', 'Available']);
  });
});
