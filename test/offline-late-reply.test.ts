import { afterEach, describe, expect, it } from 'vitest';
import { startMisbehavingCsms, type MisbehavingCsms } from './support/misbehaving-csms.js';
import { waitFor } from './support/station-csms.js';
import { makeStation, planSession, type TestStation } from './support/station-fixture.js';
import { MIN } from './support/station-testbed.js';
import { txEvents } from './support/station-tx.js';

let csms: MisbehavingCsms | undefined;
let t: TestStation | undefined;

afterEach(async () => {
  await t?.station.close();
  await csms?.close();
  t = undefined;
  csms = undefined;
});

async function setUp(misbehaviour: Parameters<typeof startMisbehavingCsms>[0]): Promise<TestStation> {
  csms = await startMisbehavingCsms(misbehaviour);
  t = makeStation(csms.url, { callTimeoutMs: 250 });
  await t.station.start();
  return t;
}

describe('against the misbehaving CSMS', () => {
  it('reports a StartTransaction reply that comes after the timeout as lateReply: one session, two transactionIds', async () => {
    const st = await setUp({ delayStartReplyOn: [1], holdMs: 600 });
    st.station.schedule([planSession(st, 1, 0, 3 * MIN)]);
    await waitFor(() => txEvents(st, 'lateReply').length === 1, 'late reply', 8000);
    await waitFor(() => st.observer.sessions.length === 1, 'session record', 8000);

    const truth = csms!.truth;
    expect(truth.starts.map((s) => s.transactionId)).toEqual([1, 2]);
    expect(truth.starts[0].lateReplySent).toBe(true);
    const starts = txEvents(st, undefined, 'StartTransaction');
    expect(starts.map((e) => e.kind)).toEqual(['queued', 'sent', 'timeout', 'sent', 'acked', 'lateReply']);
    expect(new Set(starts.map((e) => e.seq)).size).toBe(1);
    const record = st.observer.sessions[0];
    expect(starts.find((e) => e.kind === 'acked')).toMatchObject({ transactionId: 2, idTagStatus: 'Accepted' });
    expect(starts.find((e) => e.kind === 'lateReply')).toMatchObject({ transactionId: 1, sessionId: record.sessionId });
    expect(record).toMatchObject({ outcome: 'completed', transactionId: 2 });
    // The late frame did not cost the connection.
    expect(st.observer.connections.map((c) => c.state)).toEqual(['connected', 'accepted']);
    expect(truth.stops.map((s) => s.transactionId)).toEqual([2]);
  });

  it('a StopTransaction answered with CALLERROR is sent again until acknowledged, and stored once', async () => {
    const st = await setUp({ stopErrorOn: [1] });
    st.station.schedule([planSession(st, 2, 0, MIN)]);
    await waitFor(() => st.observer.sessions.length === 1, 'session record', 8000);
    const truth = csms!.truth;
    expect(truth.stops.map((s) => [s.answer, s.stored])).toEqual([
      ['callError', 0],
      ['result', 1],
    ]);
    expect(txEvents(st, undefined, 'StopTransaction').map((e) => e.kind)).toEqual(['queued', 'sent', 'callerror', 'sent', 'acked']);
    expect(st.observer.sessions[0].outcome).toBe('completed');
  });
});
