import { describe, expect, it } from 'vitest';
import { createRPCError } from 'ocpp-rpc';
import type { CallTraceEvent } from '../src/station/types.js';
import { waitFor } from './support/station-csms.js';
import { planSession } from './support/station-fixture.js';
import { MIN, stationTestbed } from './support/station-testbed.js';

const bed = stationTestbed();

describe('session trace', () => {
  it('sees every CALL the station sends, in order, with its payload; retries are marked', async () => {
    const trace: CallTraceEvent[] = [];
    const t = bed.station({ trace: (e) => trace.push(e) });
    const startedAt = t.opts.clock.now();
    await t.station.start();
    let failedOnce = false;
    bed.csms.responders.MeterValues = () => {
      if (failedOnce) return {};
      failedOnce = true;
      throw createRPCError('InternalError', 'try again');
    };
    t.station.schedule([planSession(t, 1, 0, 3 * MIN)]);
    await waitFor(() => t.observer.sessions.length === 1, 'session record', 3000);
    expect(t.observer.sessions[0].outcome).toBe('completed');

    const received = bed.csms.received.map((c) => ({ action: c.action, payload: c.params }));
    expect(trace.map((e) => ({ action: e.action, payload: e.payload }))).toEqual(received);
    expect(trace.map((e) => e.action)).toEqual(
      expect.arrayContaining(['BootNotification', 'StatusNotification', 'Authorize', 'StartTransaction', 'MeterValues', 'StopTransaction']),
    );
    // Simulated timestamps, in order, within the run.
    const ats = trace.map((e) => e.at);
    expect(ats).toEqual([...ats].sort((a, b) => a - b));
    expect(ats[0]).toBeGreaterThanOrEqual(startedAt);
    expect(ats.at(-1)).toBeLessThanOrEqual(t.opts.clock.now());
    // The first MeterValues was answered with CALLERROR and sent again: only that second send is a retry.
    const meterValues = trace.filter((e) => e.action === 'MeterValues');
    expect(meterValues[0].retry).toBeUndefined();
    expect(meterValues[1]).toMatchObject({ retry: true, payload: meterValues[0].payload });
    expect(trace.filter((e) => e.retry)).toEqual([meterValues[1]]);
  });
});
