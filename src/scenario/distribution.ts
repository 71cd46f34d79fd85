import type { Distribution } from './types.js';
import type { DistKind } from './raw.js';
import { issue, type Issue, type PathSegment } from './issues.js';
import { DISTRIBUTION_DEFAULT_KIND } from './defaults.js';

/** Converts one written value (a duration, a fraction) into the unit of the Scenario; null if invalid. */
export type ValueParser = (v: unknown) => number | null;

/** Keys each kind of distribution uses; any other key is an error rather than silently ignored. */
const KEYS: Record<DistKind, string[]> = {
  uniform: ['dist', 'min', 'max'],
  lognormal: ['dist', 'min', 'max', 'median', 'sigma'],
  fixed: ['dist', 'value'],
};

/** A schema-valid distribution (single value or object) in the Scenario's form. */
export function normaliseDistribution(value: unknown, parse: ValueParser): Distribution {
  if (!isRecord(value)) {
    const v = mustParse(value, parse);
    return { dist: 'fixed', min: v, max: v, value: v };
  }
  const kind = kindOf(value);
  if (kind === 'fixed') {
    const v = mustParse(value.value, parse);
    return { dist: 'fixed', min: v, max: v, value: v };
  }
  const range = { min: mustParse(value.min, parse), max: mustParse(value.max, parse) };
  if (kind === 'uniform') return { dist: 'uniform', ...range };
  return { dist: 'lognormal', ...range, median: mustParse(value.median, parse), sigma: Number(value.sigma) };
}

/**
 * What the schema cannot say about a distribution: min <= max, a lognormal median inside min..max,
 * no keys the chosen kind ignores, and (for `positive`) a strictly positive upper end.
 */
export function distributionIssues(value: unknown, path: PathSegment[], parse: ValueParser, positive: boolean): Issue[] {
  if (!isRecord(value)) {
    return positive && parse(value) === 0 ? [issue(path, 'must be > 0')] : [];
  }
  const kind = kindOf(value);
  if (!(kind in KEYS)) return [];
  const out: Issue[] = Object.keys(value)
    .filter((k) => KEYS.lognormal.includes(k) || k === 'value')
    .filter((k) => !KEYS[kind].includes(k))
    .map((k) => issue([...path, k], `is not used by dist: ${kind} (it takes ${KEYS[kind].filter((x) => x !== 'dist').join(', ')})`, 'key'));
  const [min, max, median] = [parse(value.min), parse(value.max), parse(value.median)];
  if (kind !== 'fixed' && min !== null && max !== null && min > max) {
    out.push(issue([...path, 'min'], `must not exceed max (${String(value.min)} > ${String(value.max)})`));
  }
  if (kind === 'lognormal' && median !== null && min !== null && max !== null && (median < min || median > max)) {
    out.push(issue([...path, 'median'], 'must lie between min and max'));
  }
  const top = kind === 'fixed' ? parse(value.value) : max;
  if (positive && top === 0) out.push(issue([...path, kind === 'fixed' ? 'value' : 'max'], 'must be > 0'));
  return out;
}

function kindOf(value: Record<string, unknown>): DistKind {
  return (typeof value.dist === 'string' ? value.dist : DISTRIBUTION_DEFAULT_KIND) as DistKind;
}

function mustParse(v: unknown, parse: ValueParser): number {
  const n = parse(v);
  if (n === null) throw new Error(`invalid value ${JSON.stringify(v)} reached normalisation`);
  return n;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
