/**
 * `runConformance`: runs the selected catalogue cases against a CSMS, a few at a time (each case has
 * its own stations, so they do not interfere), every case bounded by a deadline, and returns the
 * neutral result model. Cases marked `last` run after all others.
 */
import { randomInt } from 'node:crypto';
import { createRngRoot } from '../util/rng.js';
import type { ConformanceCase } from './case.js';
import { selectCases } from './catalogue.js';
import { CaseContext, type RunShared } from './context.js';
import { CaseHalt } from './halt.js';
import { randomUnknownIdTag } from './identity.js';
import { ledgerReader } from './ledger.js';
import { CsmsCallLog } from './responder.js';
import { createReplyChecker } from './schema.js';
import { MAX_BOOT_ATTEMPTS, MAX_PENDING_WAIT_MS } from './station.js';
import { TxRegistry } from './tx-registry.js';
import { fail, type CaseResult, type ConformanceOptions, type ConformanceResult, type Outcome } from './types.js';

export const DEFAULT_CALL_TIMEOUT_MS = 10_000;
export const DEFAULT_CONCURRENCY = 4;
/** Replies a case may wait for, at most, besides a Pending boot. */
const CALLS_PER_CASE_BUDGET = 12;

function sharedFor(opts: ConformanceOptions, seed: number, callTimeoutMs: number): RunShared {
  const rng = createRngRoot(seed);
  return {
    csmsUrl: opts.csmsUrl,
    idTag: opts.idTag ?? null,
    unknownIdTag: opts.unknownIdTag ?? randomUnknownIdTag(rng),
    ledger: opts.ledgerUrl ? ledgerReader(opts.ledgerUrl, callTimeoutMs) : null,
    callTimeoutMs,
    rng,
    txs: new TxRegistry(),
    csmsCalls: new CsmsCallLog(),
    replies: createReplyChecker(),
  };
}

/** Resolves with `work`'s outcome, or a failure once `ms` have passed. */
function withDeadline(work: Promise<Outcome>, ms: number): Promise<Outcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve(fail(`the case did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** A pass or skip turns into a failure when the case noticed defects along the way. */
function withProblems(outcome: Outcome, problems: readonly string[]): Outcome {
  if (problems.length === 0 || outcome.verdict === 'fail') return outcome;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return fail(`${problems[0]}${more}`);
}

async function runCase(c: ConformanceCase, shared: RunShared, deadlineMs: number): Promise<CaseResult> {
  const ctx = new CaseContext(c.id, shared);
  const t0 = performance.now();
  let outcome: Outcome;
  try {
    outcome = await withDeadline(c.run(ctx), deadlineMs);
  } catch (err) {
    outcome = err instanceof CaseHalt ? err.outcome : fail(`internal error: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await ctx.close();
  }
  outcome = withProblems(outcome, ctx.problems());
  return {
    id: c.id,
    title: c.title,
    reference: c.reference,
    verdict: outcome.verdict,
    reason: outcome.reason,
    durationMs: Math.round(performance.now() - t0),
    evidence: ctx.evidence.toEvidence(),
  };
}

/** Runs `work` over `items` with at most `limit` at once. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/**
 * Runs the conformance catalogue (or the cases `only` names) against `opts.csmsUrl`. Throws
 * `UnknownCaseError` for ids not in the catalogue; otherwise resolves with every case's verdict (a
 * CSMS that cannot be reached fails the cases, it does not reject).
 */
export async function runConformance(opts: ConformanceOptions): Promise<ConformanceResult> {
  const cases = selectCases(opts.only);
  const seed = opts.seed ?? randomInt(1, 2 ** 31 - 1);
  const callTimeoutMs = opts.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const shared = sharedFor(opts, seed, callTimeoutMs);
  const deadlineMs = MAX_BOOT_ATTEMPTS * MAX_PENDING_WAIT_MS + CALLS_PER_CASE_BUDGET * callTimeoutMs;
  const startedAt = new Date();
  const t0 = performance.now();
  const results = new Map<string, CaseResult>();
  const run = async (c: ConformanceCase) => void results.set(c.id, await runCase(c, shared, deadlineMs));
  await eachLimited(cases.filter((c) => !c.last), opts.concurrency ?? DEFAULT_CONCURRENCY, run);
  await eachLimited(cases.filter((c) => c.last), 1, run);
  return {
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    target: opts.csmsUrl,
    seed,
    ledgerUrl: opts.ledgerUrl ?? null,
    cases: cases.map((c) => results.get(c.id)!),
  };
}
