/**
 * The shape of one catalogue entry. A case opens its own stations (fresh identities), talks to the
 * CSMS, and returns a verdict; it may also end early by throwing through `failCase` / `skipCase`.
 */
import type { CaseContext } from './context.js';
import type { Outcome } from './types.js';

export interface ConformanceCase {
  /** Stable id: CI configurations and `--only` name cases by it. */
  readonly id: string;
  readonly title: string;
  /** The OCPP specification section or OCA test case the case follows. */
  readonly reference: string;
  /** Runs after every other selected case (it reads what they observed). */
  readonly last?: boolean;
  run(ctx: CaseContext): Promise<Outcome>;
}
