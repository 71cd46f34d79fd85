import { issue, type Issue, type PathSegment } from './issues.js';
import { isRecord } from './distribution.js';
import { suggestion } from './suggest.js';
import { DEFAULTS } from './defaults.js';
import { stationIdentity } from '../fleet/identity.js';

/** The keys of a selector mapping; exactly one of them. */
export const SELECTOR_KEYS = ['share', 'list', 'pattern', 'group'] as const;

const INDEX_TOKEN = /\{index(?::\d+)?\}/;

/** The identities of a fleet: its pattern, size, and a membership test. */
export interface FleetIdentities {
  pattern: string;
  stations: number;
  has(identity: string): boolean;
}

/**
 * The fleet as written (raw, possibly invalid): null when its identity pattern or station count is
 * not usable, in which case the schema reports that and identity checks are skipped.
 */
export function fleetIdentities(fleet: unknown): FleetIdentities | null {
  const f = isRecord(fleet) ? fleet : {};
  const pattern = f.identity ?? DEFAULTS.fleet.identity;
  const stations = f.stations ?? DEFAULTS.fleet.stations;
  if (typeof pattern !== 'string' || !INDEX_TOKEN.test(pattern)) return null;
  if (typeof stations !== 'number' || !Number.isInteger(stations) || stations < 1) return null;
  return { pattern, stations, has: identityTest(pattern, stations) };
}

/**
 * Whether `identity` is `stationIdentity(pattern, n)` for some n in 1..stations, without listing the
 * fleet: the digits where `{index}` stands give the candidate n, which is then rendered and compared.
 */
function identityTest(pattern: string, stations: number): (identity: string) => boolean {
  const parts = pattern.split(new RegExp(INDEX_TOKEN.source, 'g'));
  const re = new RegExp(`^${parts.map(escapeRegExp).join('(\\d+)')}$`);
  const renders = (n: number, id: string) => n >= 1 && n <= stations && stationIdentity(pattern, n) === id;
  return (identity) => {
    const m = re.exec(identity);
    if (!m) return false;
    if (m.slice(1).some((digits) => renders(Number(digits), identity))) return true;
    // Adjacent placeholders ({index}{index}) split the digits ambiguously: look the identity up.
    if (parts.length <= 2) return false;
    for (let n = 1; n <= stations; n++) if (stationIdentity(pattern, n) === identity) return true;
    return false;
  };
}

/** A glob on identities as a RegExp: `*` any run of characters, `?` exactly one, anything else literal. */
export function globToRegExp(glob: string): RegExp {
  const source = [...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escapeRegExp(c))).join('');
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Where a selector sits: among the groups (no group references) or in a fault (groups by name). */
export interface SelectorContext {
  /** Group names a `{ group }` selector may name; null inside `groups` itself. */
  groups: readonly string[] | null;
  fleet: FleetIdentities | null;
}

/** What the schema cannot say about a selector: one key only, group references, identities in lists. */
export function selectorIssues(value: unknown, path: PathSegment[], ctx: SelectorContext): Issue[] {
  if (!isRecord(value)) return [];
  const used = Object.keys(value).filter((k) => (SELECTOR_KEYS as readonly string[]).includes(k));
  const out = used.slice(1).map((k) =>
    issue([...path, k], `choose one of share, list, pattern, group (this selection already has "${used[0]}")`, 'key'),
  );
  if (typeof value.group === 'string') out.push(...groupIssues(value.group, [...path, 'group'], ctx.groups));
  if (Array.isArray(value.list) && ctx.fleet) out.push(...listIssues(value.list, [...path, 'list'], ctx.fleet));
  return out;
}

function groupIssues(name: string, path: PathSegment[], groups: readonly string[] | null): Issue[] {
  if (groups === null) return [issue(path, 'a group cannot refer to another group; give its selection here instead')];
  if (groups.includes(name)) return [];
  if (groups.length === 0) return [issue(path, `unknown group "${name}": no groups are defined (add them under groups)`)];
  return [issue(path, `unknown group "${name}"${suggestion(name, groups)}; groups: ${groups.join(', ')}`)];
}

function listIssues(list: unknown[], path: PathSegment[], fleet: FleetIdentities): Issue[] {
  const first = stationIdentity(fleet.pattern, 1);
  const last = stationIdentity(fleet.pattern, fleet.stations);
  const range = fleet.stations === 1 ? first : `${first} to ${last}`;
  const out: Issue[] = [];
  list.forEach((id, j) => {
    if (typeof id === 'string' && !fleet.has(id)) {
      out.push(issue([...path, j], `no station of the fleet is "${id}" (the fleet's identities are ${range})`));
    }
  });
  return out;
}
