/**
 * Durations in scenario files: a number of seconds, or a string of one or more `<number><unit>` parts
 * in descending unit order (`500ms`, `30s`, `5m`, `1.5h`, `1h30m`, `2d`). A bare numeric string
 * (`"90"`) is seconds too. Normalised to milliseconds.
 */

const NUM = '\\d+(?:\\.\\d+)?';

/**
 * The string form, exactly as published in the JSON Schema (`definitions.duration.pattern`); a test
 * keeps the two identical. The lookahead rules out the empty string.
 */
export const DURATION_PATTERN =
  `^(?=\\d)(?:${NUM}|(?:${NUM}d)?(?:${NUM}h)?(?:${NUM}m)?(?:${NUM}s)?(?:${NUM}ms)?)$`;

const DURATION_RE = new RegExp(DURATION_PATTERN);
const PART_RE = /(\d+(?:\.\d+)?)(ms|d|h|m|s)?/g;

const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/** Milliseconds for a duration value, or null when `v` is not a valid, non-negative duration. */
export function parseDuration(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.round(v * 1000) : null;
  if (typeof v !== 'string' || !DURATION_RE.test(v)) return null;
  let total = 0;
  for (const [, amount, unit] of v.matchAll(PART_RE)) total += Number(amount) * UNIT_MS[unit ?? 's'];
  return Number.isFinite(total) ? Math.round(total) : null;
}

const FORMAT_UNITS: [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

/** Compact text for milliseconds, largest units first: 5_400_000 → "1h30m", 45_000 → "45s", 250 → "250ms". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  let rest = Math.round(Math.abs(ms));
  if (rest === 0) return '0s';
  let text = '';
  for (const [unit, size] of FORMAT_UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) text += `${n}${unit}`;
    rest -= n * size;
  }
  return ms < 0 ? `-${text}` : text;
}
