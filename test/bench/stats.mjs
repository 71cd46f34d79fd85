/** Small statistics and formatting helpers for the benchmark. */

/** Median of the finite numbers in `xs`; null when there are none. */
export function median(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Smallest and largest finite number in `xs`, or null. */
export function range(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  return v.length === 0 ? null : [Math.min(...v), Math.max(...v)];
}

/** `a / b`, or null when either is missing or b is 0. */
export function ratio(a, b) {
  return a === null || b === null || b === 0 ? null : a / b;
}

/** A number with `digits` decimals, or '-' when it is missing. */
export function fmt(x, digits = 0) {
  return x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits);
}

/** Microseconds of CPU (user + system) between two `process.cpuUsage()` readings. */
export function cpuMicros(before, after) {
  return after.user - before.user + (after.system - before.system);
}
