import type { ErrorObject } from 'ajv';
import { issue, type Issue, type PathSegment } from './issues.js';
import { didYouMean, suggestion } from './suggest.js';
import { DURATION_PATTERN } from './duration.js';

type AjvError = ErrorObject<string, Record<string, unknown>, unknown>;
type SchemaNode = Record<string, unknown> | undefined;

/**
 * Turns ajv's errors (allErrors, verbose) into one readable issue per problem. `anyOf` alternatives in
 * the schema have disjoint types (a duration is a number or a string, its distribution form an
 * object), so the alternative whose type does not fit the value is noise and is dropped; when no
 * alternative fits, a single "must be X or Y" remains.
 */
export function schemaIssues(errors: readonly AjvError[]): Issue[] {
  const alternatives = new Set(errors.filter(isAlternative).map((e) => e.instancePath));
  const mismatched = errors.filter((e) => e.keyword === 'type' && alternatives.has(e.instancePath));
  const noise = (e: AjvError) =>
    isAlternative(e) || e.keyword === 'if' || mismatched.some((t) => sameBranch(t, e));
  const kept = errors.filter((e) => !noise(e));
  const out = kept.map(toIssue);
  for (const at of alternatives) {
    if (kept.some((e) => e.instancePath === at || e.instancePath.startsWith(`${at}/`))) continue;
    const types = mismatched.filter((e) => e.instancePath === at);
    out.push(issue(pointerToPath(at), `must be ${joinOr(types.flatMap(typeNouns))}${got(types[0]?.data)}`));
  }
  return dedupe(out);
}

function isAlternative(e: AjvError): boolean {
  return e.keyword === 'anyOf' || e.keyword === 'oneOf';
}

/**
 * Same value, same alternative of an anyOf: both errors come from one schema object (an enum next to
 * the `type` it assumed). Schema paths cannot tell, as they restart at `#` inside referenced schemas.
 */
function sameBranch(typeError: AjvError, e: AjvError): boolean {
  return e.instancePath === typeError.instancePath && e.parentSchema === typeError.parentSchema;
}

function toIssue(e: AjvError): Issue {
  const path = pointerToPath(e.instancePath);
  const p = e.params;
  switch (e.keyword) {
    case 'additionalProperties':
      return unknownKey([...path, String(p.additionalProperty)], propertyNames(e.parentSchema as SchemaNode));
    case 'required':
      return issue([...path, String(p.missingProperty)], 'missing required key');
    case 'uniqueItems':
      return issue([...path, Number(p.i)], `repeats entry [${String(p.j)}]`);
    default:
      return issue(path, valueMessage(e));
  }
}

/** Keys that people reach for but must not use, with what to do instead. */
const KEY_HINTS: Record<string, string> = {
  password:
    'not allowed: keep the password out of the file; put it in an environment variable and set "passwordEnv" to that variable\'s name',
};

function unknownKey(path: PathSegment[], known: string[]): Issue {
  const key = String(path[path.length - 1]);
  const hint = KEY_HINTS[key.toLowerCase()];
  return issue(path, hint ?? `unknown key${suggestion(key, known)}`, 'key');
}

function valueMessage(e: AjvError): string {
  const p = e.params;
  switch (e.keyword) {
    case 'type':
      return `must be ${joinOr(typeNouns(e))}${got(e.data)}`;
    case 'enum': {
      const allowed = p.allowedValues as unknown[];
      const list = allowed.map((v) => JSON.stringify(v)).join(', ');
      const hint = typeof e.data === 'string' ? didYouMean(e.data, allowed.map(String)) : null;
      if (hint === null) return `must be one of ${list}${got(e.data)}`;
      return `must be one of ${list} (got ${JSON.stringify(e.data)}; did you mean "${hint}"?)`;
    }
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}${got(e.data)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(p.comparison)} ${String(p.limit)}${got(e.data)}`;
    case 'pattern':
      return `${patternMessage(e.parentSchema as SchemaNode, String(p.pattern))}${got(e.data)}`;
    default:
      return otherMessage(e);
  }
}

function otherMessage(e: AjvError): string {
  const p = e.params;
  switch (e.keyword) {
    case 'minItems':
      return `must have at least ${String(p.limit)} ${plural(p.limit, 'entry', 'entries')}`;
    case 'maxItems':
      return `must have at most ${String(p.limit)} ${plural(p.limit, 'entry', 'entries')}`;
    case 'minLength':
      return p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long`;
    case 'maxLength':
      return `must be at most ${String(p.limit)} characters long${got(e.data)}`;
    case 'minProperties':
      return 'must not be empty';
    default:
      return e.message ?? `fails ${e.keyword}`;
  }
}

function patternMessage(schema: SchemaNode, pattern: string): string {
  const custom = schema?.patternErrorMessage;
  return typeof custom === 'string' ? custom : `must match ${pattern}`;
}

const NOUNS: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  object: 'a mapping',
  array: 'a list',
  boolean: 'true or false',
  null: 'empty',
};

function typeNouns(e: AjvError): string[] {
  const schema = e.parentSchema as SchemaNode;
  if (schema?.pattern === DURATION_PATTERN) return ['a duration (seconds, or a string such as "30s", "5m", "1h30m")'];
  return String(e.params.type).split(',').map((t) => NOUNS[t] ?? t);
}

function joinOr(words: string[]): string {
  const unique = [...new Set(words)];
  if (unique.length <= 1) return unique[0] ?? 'something else';
  // Among several alternatives, "true or false" would read as two more: "a string, a number or true/false".
  const named = unique.length > 2 ? unique.map((w) => (w === NOUNS.boolean ? 'true/false' : w)) : unique;
  return `${named.slice(0, -1).join(', ')} or ${named[named.length - 1]}`;
}

/** ` (got "abc")` for scalars; nothing for mappings and lists, whose position says enough. */
function got(data: unknown): string {
  if (data === null) return ' (got an empty value)';
  if (typeof data === 'object' || data === undefined) return '';
  const text = typeof data === 'number' ? String(data) : JSON.stringify(data);
  return ` (got ${text.length > 40 ? `${text.slice(0, 37)}...` : text})`;
}

function plural(n: unknown, one: string, many: string): string {
  return n === 1 ? one : many;
}

function propertyNames(schema: SchemaNode): string[] {
  const props = schema?.properties;
  return props && typeof props === 'object' ? Object.keys(props) : [];
}

/** `/fleet/connectors/1/maxPowerKw` → `['fleet', 'connectors', 1, 'maxPowerKw']`. */
export function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${JSON.stringify(i.path)}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
