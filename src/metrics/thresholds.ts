/**
 * Pass/fail criteria over the run report, in the style load-testing users know:
 *   latency.StartTransaction.p95 < 800      (ms)
 *   reconciliation.gapCount == 0
 *   sessions.failed < 1%                    (share of the sessions that ended)
 * A threshold names a numeric field of the JSON report by its dotted path, an operator and a number.
 * A `%` value is allowed under `sessions.` (share of completed + rejected + failed sessions) and
 * `messages.` (share of messages sent).
 */

export type Operator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface Threshold {
  expression: string;
  path: string[];
  op: Operator;
  value: number;
  percent: boolean;
}

export interface ThresholdResult {
  expression: string;
  /** The measured value (a percentage when the threshold is one); null when the report lacks it. */
  actual: number | null;
  pass: boolean;
  /** Human-readable line, e.g. "p95 812.4 — expected < 800". */
  detail: string;
}

const PATTERN = /^\s*([A-Za-z][\w.]*)\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*(%?)\s*$/;
const PERCENT_ROOTS = new Set(['sessions', 'messages']);

export function parseThreshold(expression: string): Threshold | { error: string } {
  const m = PATTERN.exec(expression);
  if (!m) return { error: `"${expression}" is not "<metric> <op> <number>" (op one of < <= > >= == !=)` };
  const path = m[1].split('.');
  const percent = m[4] === '%';
  if (percent && !PERCENT_ROOTS.has(path[0])) {
    return { error: `"${expression}": a % value is only allowed for sessions.* and messages.*` };
  }
  return { expression: expression.trim(), path, op: m[2] as Operator, value: Number(m[3]), percent };
}

export function evaluateThresholds(thresholds: Threshold[], report: object): ThresholdResult[] {
  return thresholds.map((t) => evaluate(t, report));
}

function evaluate(t: Threshold, report: object): ThresholdResult {
  const raw = lookup(report, t.path);
  if (typeof raw !== 'number') {
    const why = raw === undefined ? 'not in the report (no such metric, or no data for it)' : 'not a number';
    return { expression: t.expression, actual: null, pass: false, detail: `${t.path.join('.')} is ${why}` };
  }
  const actual = t.percent ? share(report, t.path[0], raw) : raw;
  const pass = compare(actual, t.op, t.value);
  const unit = t.percent ? '%' : '';
  return {
    expression: t.expression,
    actual,
    pass,
    detail: `${t.path.join('.')} = ${round(actual)}${unit}, expected ${t.op} ${t.value}${unit}`,
  };
}

function share(report: object, root: string, count: number): number {
  const r = report as { sessions?: Record<string, number>; messages?: Record<string, number> };
  const whole =
    root === 'sessions'
      ? (r.sessions?.completed ?? 0) + (r.sessions?.rejected ?? 0) + (r.sessions?.failed ?? 0)
      : (r.messages?.sent ?? 0);
  return whole === 0 ? 0 : (100 * count) / whole;
}

function lookup(obj: unknown, path: string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function compare(a: number, op: Operator, b: number): boolean {
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    case '==': return a === b;
    case '!=': return a !== b;
  }
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
