/**
 * Is a time the CSMS reported plausible? A charger sets its clock from BootNotification and Heartbeat
 * replies, so a CSMS clock far off (or an unparseable time) corrupts every timestamp the charger sends.
 */

/** How far the CSMS's currentTime may be from ev-sim's clock. */
export const CLOCK_TOLERANCE_MS = 5 * 60_000;

/** Null when `value` is an ISO time within the tolerance of `now`; otherwise what is wrong. */
export function clockProblem(what: string, value: unknown, now: number): string | null {
  if (typeof value !== 'string') return `${what} has no currentTime`;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return `${what} currentTime "${value}" is not a date-time`;
  const offsetS = Math.round((at - now) / 1000);
  if (Math.abs(at - now) > CLOCK_TOLERANCE_MS) {
    return `${what} currentTime ${value} is ${offsetS} s away from now (more than ±${CLOCK_TOLERANCE_MS / 60_000} min)`;
  }
  return null;
}

/** Signed offset in seconds, for notes. */
export function offsetSeconds(value: unknown, now: number): number | null {
  const at = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(at) ? null : Math.round((at - now) / 1000);
}
