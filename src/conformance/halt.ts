/**
 * Ending a case early from deep inside a step: a step throws `CaseHalt` with the verdict and reason,
 * the runner turns it into the case's outcome. Keeps case code a straight line of steps.
 */
import type { Outcome, Verdict } from './types.js';

export class CaseHalt extends Error {
  constructor(
    readonly verdict: Exclude<Verdict, 'pass'>,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'CaseHalt';
  }

  get outcome(): Outcome {
    return { verdict: this.verdict, reason: this.reason };
  }
}

/** Ends the case as failed. */
export function failCase(reason: string): never {
  throw new CaseHalt('fail', reason);
}

/** Ends the case as skipped (a precondition the suite cannot meet, not a CSMS fault). */
export function skipCase(reason: string): never {
  throw new CaseHalt('skipped', reason);
}

/** Fails the case with `reason` unless `condition` holds. */
export function check(condition: boolean, reason: string): asserts condition {
  if (!condition) failCase(reason);
}
