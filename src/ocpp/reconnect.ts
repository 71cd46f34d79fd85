/**
 * Reconnect back-off after a lost connection (wall time: it paces real sockets against a real CSMS).
 * In the spirit of OCPP 2.0.1's RetryBackOffWaitMinimum / RetryBackOffRandomRange /
 * RetryBackOffRepeatTimes, and the schedule the station used with ocpp-rpc: the first retry after 1 s,
 * each later wait doubled, capped at 40 s, and each stretched by a random 0-50 % so a fleet cut off at
 * once does not reconnect in lockstep and stampede the recovering CSMS (waits of 1-1.5 s, 2-3 s,
 * 4-6 s, ..., 40-60 s). The counter restarts after every successful connection.
 */

const INITIAL_MS = 1000;
const MAX_MS = 40_000;
const FACTOR = 2;
const JITTER = 0.5;

/**
 * Wall ms before reconnect attempt `attempt + 1` (attempt 0 is the first after a drop). The stretch
 * comes from `random` (the station's labelled stream); without one, from a hash of the identity and
 * the attempt, which still spreads a fleet without drawing from any random source.
 */
export function reconnectDelayMs(attempt: number, random: (() => number) | undefined, identity: string): number {
  const base = Math.min(MAX_MS, INITIAL_MS * FACTOR ** Math.min(attempt, 16));
  const u = random !== undefined ? random() : hashFraction(identity, attempt);
  return Math.round(base * (1 + JITTER * u));
}

/** FNV-1a of `identity` and `attempt`, as a fraction in [0, 1). */
function hashFraction(identity: string, attempt: number): number {
  let h = 0x811c9dc5 ^ attempt;
  for (let i = 0; i < identity.length; i++) {
    h ^= identity.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 0x1_0000_0000;
}
