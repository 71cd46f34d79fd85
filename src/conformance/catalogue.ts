/**
 * Every conformance case, in the order they are reported. Ids are stable: CI configurations select
 * cases by them (`--only`), and JUnit reports name test cases by them.
 */
import type { ConformanceCase } from './case.js';
import { BOOT_AUTH_CASES } from './cases-boot-auth.js';
import { CSMS_CALL_CASES } from './cases-csms-calls.js';
import { DUPLICATE_CASES } from './cases-duplicates.js';
import { FRAMING_CASES } from './cases-framing.js';
import { OFFLINE_CASES } from './cases-offline.js';
import { ORPHAN_CASES } from './cases-orphans.js';
import { SESSION_CASES } from './cases-session.js';

export const CATALOGUE: readonly ConformanceCase[] = [
  ...BOOT_AUTH_CASES,
  ...SESSION_CASES,
  ...DUPLICATE_CASES,
  ...ORPHAN_CASES,
  ...OFFLINE_CASES,
  ...FRAMING_CASES,
  ...CSMS_CALL_CASES,
];

/** Every case id, in catalogue order. */
export function caseIds(): string[] {
  return CATALOGUE.map((c) => c.id);
}

/** `only` names a case that does not exist. */
export class UnknownCaseError extends Error {
  constructor(
    readonly unknown: readonly string[],
    readonly valid: readonly string[],
  ) {
    super(`unknown conformance case id${unknown.length === 1 ? '' : 's'}: ${unknown.join(', ')}. Valid ids: ${valid.join(', ')}`);
    this.name = 'UnknownCaseError';
  }
}

/** The cases to run, in catalogue order: all of them, or those `only` names. */
export function selectCases(only?: readonly string[]): ConformanceCase[] {
  if (only === undefined || only.length === 0) return [...CATALOGUE];
  const valid = caseIds();
  const unknown = only.filter((id) => !valid.includes(id));
  if (unknown.length > 0) throw new UnknownCaseError(unknown, valid);
  return CATALOGUE.filter((c) => only.includes(c.id));
}
