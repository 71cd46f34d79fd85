import { describe, expect, it } from 'vitest';
import { createLedger, type Ledger } from '../src/reconcile/ledger.js';
import { DUPLICATE_KINDS, GAP_KINDS, reconcile, type ReconcileResult } from '../src/reconcile/findings.js';
import type { Finding } from '../src/report/types.js';
import type { FaultConfig } from '../src/scenario/types.js';
import { sessionRecord, stationScript } from './reconcile-events.js';

const T0 = Date.UTC(2025, 0, 1, 8);

function run(ledger: Ledger, faults: FaultConfig[] = [], maxItems?: number): ReconcileResult {
  return reconcile(ledger, { runStartMs: T0, faults, maxItems });
}

/** Every kind's count, so a test can say "this one, and nothing else". */
function counts(r: ReconcileResult): Record<string, number> {
  return { ...r.reconciliation.gapCounts, ...r.duplicates.counts };
}

function only(r: ReconcileResult, expected: Record<string, number>): void {
  const all = Object.fromEntries([...GAP_KINDS, ...DUPLICATE_KINDS].map((k) => [k, expected[k] ?? 0]));
  expect(counts(r)).toEqual(all);
}

const findingsOf = (r: ReconcileResult, kind: string): Finding[] =>
  (r.reconciliation.gaps as Record<string, Finding[]>)[kind] ?? (r.duplicates.items as Record<string, Finding[]>)[kind];

describe('reconcile: a clean run', () => {
  it('finds nothing and measures every acknowledgement', () => {
    const ledger = createLedger();
    const a = stationScript(ledger, 'CP-1');
    const b = stationScript(ledger, 'CP-2');
    a.cleanSession('1/1', T0, 1);
    b.cleanSession('1/1', T0 + 10, 2);
    a.cleanSession('1/2', T0 + 200_000, 3);
    for (const [st, s, id] of [['CP-1', '1/1', 1], ['CP-2', '1/1', 2], ['CP-1', '1/2', 3]] as const) {
      ledger.session(sessionRecord(st, s, { transactionId: id }));
    }
    // A session refused at Authorize never queues anything: nothing to reconcile.
    ledger.session(sessionRecord('CP-2', '2/1', { outcome: 'rejected', transactionId: null }));
    const r = run(ledger);
    only(r, {});
    expect(r.reconciliation.gapCount).toBe(0);
    expect(r.duplicates.count).toBe(0);
    expect(r.reconciliation.truncated).toBe(0);
    expect(r.reconciliation.maxQueueDepth).toBe(1);
    expect(r.reconciliation.timeToReconcile).toEqual({ count: 9, p50: 40, p95: 50, max: 50, histogram: expect.any(String) });
    expect(r.reconciliation.csmsLedger).toBeNull();
    expect(r.reconciliation.windows).toEqual([]);
    expect([...ledger.sessions()].map((s) => `${s.stationId} ${s.sessionId}`)).toEqual(['CP-1 1/1', 'CP-1 1/2', 'CP-2 1/1']);
  });
});

describe('reconcile: gaps', () => {
  it('unacknowledged: still queued at the end', () => {
    const ledger = createLedger();
    const cp = stationScript(ledger, 'CP-1');
    cp.cleanSession('1/1', T0, 7);
    const stop = cp.queue('StopTransaction', '1/2', T0 + 300_000);
    cp.sent(stop, T0 + 300_001, -1);
    cp.timeout(stop, T0 + 330_000);
    const r = run(ledger);
    only(r, { unacknowledged: 1 });
    expect(r.reconciliation.gaps.unacknowledged[0]).toMatchObject({
      kind: 'unacknowledged', stationId: 'CP-1', connectorId: 1, sessionId: '1/2', action: 'StopTransaction', seq: 4,
      transactionId: -1,
    });
    expect(r.reconciliation.gaps.unacknowledged[0].detail).toBe('StopTransaction seq 4 was still queued at the end (1 attempt)');
  });

  it('callerror: answered CALLERROR and never acknowledged, but not given up', () => {
    const ledger = createLedger();
    const cp = stationScript(ledger, 'CP-1');
    const start = cp.queue('StartTransaction', '1/1', T0);
    cp.sent(start, T0);
    cp.acked(start, T0 + 10, { transactionId: 3, idTagStatus: 'Accepted' });
    const mv = cp.queue('MeterValues', '1/1', T0 + 1000);
    cp.sent(mv, T0 + 1001, 3);
    cp.callerror(mv, T0 + 1002, 'InternalError');
    const r = run(ledger);
    only(r, { callerror: 1 });
    expect(r.reconciliation.gaps.callerror[0]).toMatchObject({ action: 'MeterValues', seq: 2, transactionId: 3 });
    expect(r.reconciliation.gaps.callerror[0].detail).toContain('InternalError');
  });

  it('callerror then acknowledged on a retry is no gap', () => {
    const ledger = createLedger();
    const cp = stationScript(ledger, 'CP-1');
    const start = cp.queue('StartTransaction', '1/1', T0);
    cp.sent(start, T0);
    cp.callerror(start, T0 + 5);
    cp.sent(start, T0 + 60_000);
    cp.acked(start, T0 + 60_010, { transactionId: 3, idTagStatus: 'Accepted' });
    only(run(ledger), {});
  });

  it('discarded: given up after the last attempt (and not also a callerror)', () => {
    const ledger = createLedger();
    const cp = stationScript(ledger, 'CP-1');
    cp.cleanSession('1/1', T0, 1);
    const mv = cp.queue('MeterValues', '2/1', T0 + 500);
    for (let i = 0; i < 3; i++) {
      cp.sent(mv, T0 + 600 + i * 1000, 1);
      cp.callerror(mv, T0 + 601 + i * 1000, 'FormationViolation');
    }
    cp.discarded(mv, T0 + 3000);
    const r = run(ledger);
    only(r, { discarded: 1 });
    expect(r.reconciliation.gaps.discarded[0]).toMatchObject({ sessionId: '2/1', connectorId: 2, action: 'MeterValues' });
    expect(r.reconciliation.gaps.discarded[0].detail).toBe('MeterValues seq 4 was discarded (3 attempts, last CALLERROR FormationViolation)');
  });

  it('lost: dropped from the queue in a reboot; the session then has no transactionId', () => {
    const ledger = createLedger();
    const cp = stationScript(ledger, 'CP-1');
    const start = cp.queue('StartTransaction', '1/1', T0);
    const stop = cp.queue('StopTransaction', '1/1', T0 + 1000);
    cp.lost(start, T0 + 2000);
    cp.lost(stop, T0 + 2000);
    const r = run(ledger);
    only(r, { lost: 2, noTransactionId: 1 });
    expect(r.reconciliation.gaps.lost.map((f) => f.detail)).toEqual([
      'StartTransaction seq 1 was lost in a reboot (never sent)',
      'StopTransaction seq 2 was lost in a reboot (never sent)',
    ]);
    expect(r.reconciliation.gapCount).toBe(3);
  });

  it('noTransactionId: StartTransaction never acknowledged, even with a late reply', () => {
    const ledger = createLedger();
    const cp = stationScript(ledger, 'CP-1');
    const start = cp.queue('StartTransaction', '1/1', T0);
    cp.sent(start, T0 + 1);
    cp.timeout(start, T0 + 30_000);
    cp.lateReply(start, T0 + 40_000, 12);
    cp.sent(start, T0 + 60_000);
    cp.disconnected(start, T0 + 61_000);
    const r = run(ledger);
    only(r, { noTransactionId: 1, unacknowledged: 1 });
    expect(r.reconciliation.gaps.noTransactionId[0].detail).toMatch(/never acknowledged \(2 attempts\); a late reply carried 12/);
  });

  it('rejectedAfterTheFact: a queued StartTransaction answered Invalid', () => {
    const ledger = createLedger();
    const cp = stationScript(ledger, 'CP-1');
    const earlier = cp.queue('StopTransaction', '2/1', T0);
    const start = cp.queue('StartTransaction', '1/1', T0 + 1000);
    cp.sent(earlier, T0 + 600_000, 4);
    cp.acked(earlier, T0 + 600_010, { transactionId: 4 });
    cp.sent(start, T0 + 600_020);
    cp.acked(start, T0 + 600_030, { transactionId: 9, idTagStatus: 'Invalid' });
    const r = run(ledger);
    only(r, { rejectedAfterTheFact: 1 });
    const f = r.reconciliation.gaps.rejectedAfterTheFact[0];
    expect(f).toMatchObject({ stationId: 'CP-1', sessionId: '1/1', transactionId: 9 });
    expect(f.detail).toBe('StartTransaction Invalid after the transaction began (queued behind 1 message, answered 599 s after it was created)');
    expect(r.reconciliation.maxQueueDepth).toBe(2);
  });

  it('rejectedAfterTheFact: created offline, or the first attempt unanswered; not an online refusal', () => {
    const ledger = createLedger();
    const cp = stationScript(ledger, 'CP-1');
    ledger.connection('CP-1', 'accepted');
    // Online, sent at once, refused: the station never charged. An ordinary rejection.
    const online = cp.queue('StartTransaction', '1/1', T0);
    cp.sent(online, T0);
    cp.acked(online, T0 + 20, { transactionId: 1, idTagStatus: 'Invalid' });
    // Created while the station was offline.
    ledger.connection('CP-1', 'disconnected');
    const offline = cp.queue('StartTransaction', '1/2', T0 + 10_000);
    ledger.connection('CP-1', 'connected');
    ledger.connection('CP-1', 'accepted');
    cp.sent(offline, T0 + 70_000);
    cp.acked(offline, T0 + 70_020, { transactionId: 2, idTagStatus: 'Blocked' });
    // Online, but the first attempt timed out, so the transaction went ahead.
    const slow = cp.queue('StartTransaction', '2/1', T0 + 100_000);
    cp.sent(slow, T0 + 100_000);
    cp.timeout(slow, T0 + 130_000);
    cp.sent(slow, T0 + 140_000);
    cp.acked(slow, T0 + 140_020, { transactionId: 3, idTagStatus: 'Invalid' });
    const r = run(ledger);
    only(r, { rejectedAfterTheFact: 2 });
    expect(r.reconciliation.gaps.rejectedAfterTheFact.map((f) => [f.sessionId, f.detail])).toEqual([
      ['1/2', 'StartTransaction Blocked after the transaction began (created offline, answered 60 s after it was created)'],
      ['2/1', 'StartTransaction Invalid after the transaction began (first attempt failed, answered 40 s after it was created)'],
    ]);
  });

  it('lists at most maxItems per kind but counts them all', () => {
    const ledger = createLedger();
    const cp = stationScript(ledger, 'CP-1');
    for (let i = 1; i <= 7; i++) cp.lost(cp.queue('MeterValues', `1/${i}`, T0 + i), T0 + 100);
    const r = run(ledger, [], 5);
    expect(r.reconciliation.gapCounts.lost).toBe(7);
    expect(r.reconciliation.gapCount).toBe(7);
    expect(r.reconciliation.gaps.lost.map((f) => f.sessionId)).toEqual(['1/1', '1/2', '1/3', '1/4', '1/5']);
    expect(r.reconciliation.truncated).toBe(2);
  });
});

describe('reconcile: duplicates', () => {
  it('transactionIdReused: one id issued to sessions of two stations, reported on the later one', () => {
    const ledger = createLedger();
    stationScript(ledger, 'CP-2').cleanSession('1/1', T0 + 5, 7);
    stationScript(ledger, 'CP-1').cleanSession('1/1', T0, 7);
    stationScript(ledger, 'CP-3').cleanSession('1/1', T0, 8);
    const r = run(ledger);
    only(r, { transactionIdReused: 1 });
    expect(r.duplicates.items.transactionIdReused[0]).toMatchObject({
      stationId: 'CP-2', sessionId: '1/1', transactionId: 7, transactionIds: [7],
    });
    expect(r.duplicates.items.transactionIdReused[0].detail).toContain('CP-1 session 1/1');
  });

  it('sessionGotTwoIds: a late reply and the retry acknowledged with another id', () => {
    const ledger = createLedger();
    const cp = stationScript(ledger, 'CP-1');
    const start = cp.queue('StartTransaction', '1/1', T0);
    cp.sent(start, T0 + 1);
    cp.timeout(start, T0 + 30_000);
    cp.sent(start, T0 + 30_001);
    cp.lateReply(start, T0 + 31_000, 5);
    cp.acked(start, T0 + 31_001, { transactionId: 6, idTagStatus: 'Accepted' });
    const r = run(ledger);
    only(r, { sessionGotTwoIds: 1 });
    expect(r.duplicates.items.sessionGotTwoIds[0]).toMatchObject({ transactionIds: [5, 6], transactionId: 6 });
  });

  it('sessionGotTwoIds: two StartTransactions of one session acknowledged with different ids', () => {
    const ledger = createLedger();
    const cp = stationScript(ledger, 'CP-1');
    const first = cp.queue('StartTransaction', '1/1', T0);
    cp.acked(first, T0 + 10, { transactionId: 1, idTagStatus: 'Accepted' });
    cp.ackedAgain(first, T0 + 20, { transactionId: 2, idTagStatus: 'Accepted' });
    // The same id twice is no duplicate.
    const other = cp.queue('StartTransaction', '2/1', T0 + 30);
    cp.acked(other, T0 + 40, { transactionId: 3, idTagStatus: 'Accepted' });
    cp.ackedAgain(other, T0 + 50, { transactionId: 3, idTagStatus: 'Accepted' });
    const r = run(ledger);
    only(r, { sessionGotTwoIds: 1 });
    expect(r.duplicates.items.sessionGotTwoIds[0].sessionId).toBe('1/1');
    expect(r.reconciliation.timeToReconcile.count).toBe(2);
  });

  it('stopAcceptedTwice: a StopTransaction acknowledged, then its late reply too', () => {
    const ledger = createLedger();
    const cp = stationScript(ledger, 'CP-1');
    const start = cp.queue('StartTransaction', '1/1', T0);
    cp.acked(start, T0 + 10, { transactionId: 4, idTagStatus: 'Accepted' });
    const stop = cp.queue('StopTransaction', '1/1', T0 + 100);
    cp.sent(stop, T0 + 101, 4);
    cp.timeout(stop, T0 + 30_000);
    cp.lateReply(stop, T0 + 31_000, 4);
    cp.sent(stop, T0 + 32_000, 4);
    cp.acked(stop, T0 + 32_010, { transactionId: 4 });
    const r = run(ledger);
    only(r, { stopAcceptedTwice: 1 });
    expect(r.duplicates.items.stopAcceptedTwice[0]).toMatchObject({ transactionId: 4, sessionId: '1/1' });
    expect(r.duplicates.items.stopAcceptedTwice[0].detail).toContain('2 times');
  });
});

describe('reconcile: fault windows', () => {
  const faults: FaultConfig[] = [
    { kind: 'partition', mode: 'refuse', atMs: 10_000, durationMs: 5_000, stations: { all: true } },
    { kind: 'reboot', keepQueue: true, atMs: 40_000, durationMs: 0, stations: { all: true } },
    { kind: 'outage', atMs: 100_000, durationMs: 10_000 },
  ];

  it('measures queue depth and time to reconcile per window', () => {
    const ledger = createLedger();
    const a = stationScript(ledger, 'CP-1');
    const b = stationScript(ledger, 'CP-2');
    const early = b.queue('MeterValues', '1/1', T0 + 1_000);
    b.acked(early, T0 + 1_500);
    // CP-1 queues three messages before the partition and holds them, untouched, until long after.
    const held = [a.queue('MeterValues', '1/1', T0 + 2_000), a.queue('MeterValues', '1/1', T0 + 2_100), a.queue('MeterValues', '1/1', T0 + 2_200)];
    // CP-2 queues one within the partition, acknowledged at 30 s.
    const inside = b.queue('MeterValues', '1/2', T0 + 11_000);
    b.acked(inside, T0 + 30_000);
    for (const m of held) a.acked(m, T0 + 45_000);
    // A deeper queue well after the windows.
    for (let i = 0; i < 5; i++) b.queue('MeterValues', '1/3', T0 + 60_000 + i);
    const r = run(ledger, faults);
    expect(r.reconciliation.maxQueueDepth).toBe(5);
    const [partition, reboot, outage] = r.reconciliation.windows;
    expect(partition).toMatchObject({ kind: 'partition', atMs: 10_000, durationMs: 5_000, maxQueueDepth: 3 });
    // Alive during the partition: CP-1's three held messages (43, 42.9, 42.8 s) and CP-2's (19 s),
    // not the early one. p50 is the second smallest, within HDR precision (0.1 %).
    expect(partition.timeToReconcile).toMatchObject({ count: 4, max: 43_000 });
    expect(partition.timeToReconcile.p50).toBeGreaterThanOrEqual(42_800);
    expect(partition.timeToReconcile.p50).toBeLessThan(42_850);
    expect(reboot).toMatchObject({ kind: 'reboot', maxQueueDepth: 3 });
    expect(reboot.timeToReconcile.count).toBe(3);
    expect(outage).toMatchObject({ kind: 'outage', maxQueueDepth: 5, timeToReconcile: { count: 0, p50: 0, p95: 0, max: 0 } });
    expect(r.reconciliation.timeToReconcile.count).toBe(5);
    expect(r.reconciliation.gapCounts.unacknowledged).toBe(5);
  });
});
