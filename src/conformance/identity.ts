/**
 * Names the suite makes up: station identities and the unknown idTag. Each comes from its own seeded
 * stream, so parallel runs (different seeds) against one CSMS never share a station, and a seed
 * reproduces a run's identities exactly.
 */
import type { RngRoot } from '../util/rng.js';

export const IDENTITY_PREFIX = 'EVSIM-CT-';
/** Longest identity the suite uses (OCPP 1.6 allows chargeBoxIdentity up to 48 characters in practice). */
export const MAX_IDENTITY_CHARS = 48;
const SUFFIX_CHARS = 6;
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

function randomChars(rng: () => number, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += ALPHABET[Math.floor(rng() * ALPHABET.length)];
  return out;
}

/** `EVSIM-CT-<caseId>[-<n>]-<suffix>`, at most 48 characters; `n` numbers a case's stations from 1. */
export function stationIdentity(rng: RngRoot, caseId: string, n = 1): string {
  const suffix = randomChars(rng.stream(`conformance/identity/${caseId}/${n}`), SUFFIX_CHARS);
  const tail = n > 1 ? `-${n}-${suffix}` : `-${suffix}`;
  const room = MAX_IDENTITY_CHARS - IDENTITY_PREFIX.length - tail.length;
  return `${IDENTITY_PREFIX}${caseId.slice(0, room)}${tail}`;
}

/** An idTag no CSMS has heard of: `EVSIM-UNK-` and 8 random characters (18 of the 20 allowed). */
export function randomUnknownIdTag(rng: RngRoot): string {
  return `EVSIM-UNK-${randomChars(rng.stream('conformance/unknown-id-tag'), 8).toUpperCase()}`;
}
