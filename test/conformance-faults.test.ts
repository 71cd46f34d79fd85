/**
 * The conformance catalogue against the misbehaving CSMS, one fault at a time: the cases that exercise
 * the fault fail, and only those. Cases run one at a time here (concurrency 1) so the CSMS's global
 * message counts are deterministic; which count belongs to which case is read from a fault-free run.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { caseIds } from '../src/conformance/catalogue.js';
import { IDENTITY_PREFIX } from '../src/conformance/identity.js';
import { runConformance } from '../src/conformance/run.js';
import type { ConformanceOptions, ConformanceResult } from '../src/conformance/types.js';
import { startMisbehavingCsms, type CsmsOptions, type MisbehavingCsms } from './support/misbehaving-csms.js';

const KNOWN = 'KNOWN-TAG-1';
const SEED = 4242;
/** The informational case only lingers; it judges nothing a fault changes. */
const CASES = caseIds().filter((id) => id !== 'csms-initiated-calls');

/**
 * What the misbehaving CSMS gets wrong with no fault configured: it stores a resent StartTransaction as
 * a second transaction (documented in misbehaving-csms.ts), accepts a second start on a busy connector
 * as a new open transaction, and answers an unknown action ProtocolError (ocpp-rpc strict mode with a
 * catch-all handler reports the missing schema) instead of NotImplemented.
 */
const BASELINE_FAILS = ['call-unknown-action', 'start-busy-connector', 'start-retransmit-no-duplicate'];
const METER_VALUES_CASES = [
  'meter-values-transaction-minus-one',
  'meter-values-unknown-transaction',
  'offline-start',
  'offline-stop',
  'offline-whole-transaction',
  'session-full',
];

const opened: MisbehavingCsms[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
});

async function runAgainst(m: CsmsOptions, extra: Partial<ConformanceOptions> = {}) {
  const csms = await startMisbehavingCsms({ acceptedIdTags: [KNOWN], ...m });
  opened.push(csms);
  const result = await runConformance({
    csmsUrl: csms.url,
    idTag: KNOWN,
    ledgerUrl: csms.ledgerUrl,
    seed: SEED,
    callTimeoutMs: 1000,
    concurrency: 1,
    only: CASES,
    ...extra,
  });
  return { csms, result };
}

const failing = (r: ConformanceResult) => r.cases.filter((c) => c.verdict === 'fail').map((c) => c.id).sort();
const byId = (r: ConformanceResult, id: string) => r.cases.find((c) => c.id === id)!;
const withBaseline = (...ids: string[]) => [...new Set([...BASELINE_FAILS, ...ids])].sort();

/** Station identity behind each StartTransaction / StopTransaction count of the fault-free run. */
let startIdentities: string[] = [];
let stopIdentities: string[] = [];
let baseline: ConformanceResult;

/** The CSMS-wide 1-based count of the `nth` message of a case in the fault-free run. */
function countOf(identities: string[], caseId: string, nth = 1): number {
  const mine = identities.flatMap((identity, i) => (identity.startsWith(`${IDENTITY_PREFIX}${caseId}-`) ? [i + 1] : []));
  expect(mine.length, `${caseId} sent no such message`).toBeGreaterThanOrEqual(nth);
  return mine[nth - 1];
}

beforeAll(async () => {
  const { csms, result } = await runAgainst({});
  startIdentities = csms.truth.starts.map((s) => s.identity);
  stopIdentities = csms.truth.stops.map((s) => s.identity);
  baseline = result;
  await csms.close();
});

describe('conformance against the misbehaving CSMS', () => {
  it('with no fault configured only its built-in defects fail', () => {
    expect(failing(baseline)).toEqual(BASELINE_FAILS);
    expect(baseline.cases.filter((c) => c.verdict === 'skipped')).toEqual([]);
    expect(byId(baseline, 'start-retransmit-no-duplicate').reason).toMatch(/left 2 transactions in the ledger/);
    expect(byId(baseline, 'start-busy-connector').reason).toMatch(/2 open transactions on connector 1/);
    expect(byId(baseline, 'call-unknown-action').reason).toMatch(/CALLERROR ProtocolError.*NotImplemented/);
  });

  it('without a ledger, the resent start is judged by the two transactionIds; the busy connector cannot be judged', async () => {
    const only = ['start-retransmit-no-duplicate', 'start-busy-connector'];
    const { result } = await runAgainst({}, { ledgerUrl: undefined, only });
    expect(byId(result, 'start-retransmit-no-duplicate')).toMatchObject({ verdict: 'fail', reason: expect.stringMatching(/the resend got transactionId \d+, the original \d+/) });
    expect(byId(result, 'start-busy-connector')).toMatchObject({ verdict: 'skipped', reason: expect.stringMatching(/--ledger/) });
  });

  it('a dropped StartTransaction reply fails the case whose start it was', async () => {
    const { result } = await runAgainst({ dropStartReplyOn: [countOf(startIdentities, 'session-full')] });
    expect(failing(result)).toEqual(withBaseline('session-full'));
    expect(byId(result, 'session-full').reason).toMatch(/no reply to StartTransaction within 1 s/);
  });

  it('a transactionId issued twice fails the case that received it the second time', async () => {
    const reuse = [countOf(startIdentities, 'session-full'), countOf(startIdentities, 'offline-start')];
    const { csms, result } = await runAgainst({ reuseTransactionIdOn: reuse });
    expect(csms.truth.faults.reusedTransactionId).toBe(1);
    expect(failing(result)).toEqual(withBaseline('offline-start'));
    expect(byId(result, 'offline-start').reason).toMatch(/transactionId \d+ was already issued to .*session-full.*already stopped/);
  });

  it('a StopTransaction stored twice fails the double-stop case (judged by the ledger)', async () => {
    const { csms, result } = await runAgainst({ storeStopTwiceOn: [countOf(stopIdentities, 'stop-twice-not-stored-twice')] });
    expect(csms.truth.faults.stopStoredTwice).toBe(1);
    expect(failing(result)).toEqual(withBaseline('stop-twice-not-stored-twice'));
    expect(byId(result, 'stop-twice-not-stored-twice').reason).toMatch(/holds transactionId \d+ 2 times/);
  });

  it('a StopTransaction answered with CALLERROR fails the case whose stop it was', async () => {
    const { result } = await runAgainst({ stopErrorOn: [countOf(stopIdentities, 'session-full')] });
    expect(failing(result)).toEqual(withBaseline('session-full'));
    expect(byId(result, 'session-full').reason).toMatch(/StopTransaction answered CALLERROR InternalError/);
  });

  it('MeterValues answered with CALLERROR fail exactly the cases that send MeterValues', async () => {
    const { result } = await runAgainst({ meterValuesErrorShare: 1 });
    expect(failing(result)).toEqual(withBaseline(...METER_VALUES_CASES));
    expect(byId(result, 'meter-values-transaction-minus-one').reason).toMatch(/MeterValues answered CALLERROR InternalError/);
  });

  it('a station kept Pending is retried after the interval given and then passes', async () => {
    const { csms, result } = await runAgainst({ bootPending: 1 }, { only: ['boot-accepted'] });
    expect(byId(result, 'boot-accepted')).toMatchObject({ verdict: 'pass', reason: expect.stringMatching(/^Accepted after 1 Pending reply;/) });
    expect(csms.truth.boots.map((b) => b.status)).toEqual(['Pending', 'Accepted']);
  });
});
