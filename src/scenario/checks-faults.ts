import { issue, type Issue, type PathSegment } from './issues.js';
import { isRecord } from './distribution.js';
import { parseDuration } from './duration.js';
import { fleetIdentities, selectorIssues, type SelectorContext } from './selectors.js';
import type { FaultKind } from './raw.js';

/** The keys each kind of fault takes besides `kind`; any other fault key is an error, not ignored. */
export const FAULT_KEYS: Readonly<Record<FaultKind, readonly string[]>> = {
  partition: ['at', 'duration', 'mode', 'stations'],
  flapping: ['at', 'duration', 'down', 'up', 'mode', 'stations'],
  latency: ['at', 'duration', 'ms', 'jitter', 'stations'],
  loss: ['at', 'duration', 'share', 'direction', 'messages', 'stations'],
  outage: ['at', 'duration'],
  reboot: ['at', 'keepQueue', 'stations'],
};

const ALL_FAULT_KEYS = new Set(Object.values(FAULT_KEYS).flat());

/** Group and fault rules beyond the schema. `raw` is the whole parsed file. */
export function faultIssues(raw: Record<string, unknown>): Issue[] {
  const fleet = fleetIdentities(raw.fleet);
  const groups = isRecord(raw.groups) ? raw.groups : {};
  const out: Issue[] = [];
  for (const [name, selector] of Object.entries(groups)) {
    out.push(...selectorIssues(selector, ['groups', name], { groups: null, fleet }));
  }
  const ctx: SelectorContext = { groups: Object.keys(groups), fleet };
  const faults = Array.isArray(raw.faults) ? raw.faults : [];
  faults.forEach((f: unknown, i) => {
    if (isRecord(f) && typeof f.kind === 'string' && f.kind in FAULT_KEYS) {
      out.push(...oneFaultIssues(f, f.kind as FaultKind, ['faults', i], ctx));
    }
  });
  return out;
}

function oneFaultIssues(f: Record<string, unknown>, kind: FaultKind, path: PathSegment[], ctx: SelectorContext): Issue[] {
  const out = unusedKeyIssues(f, kind, path);
  if (kind !== 'reboot' && parseDuration(f.duration) === 0) out.push(issue([...path, 'duration'], 'must be longer than 0'));
  if (kind === 'flapping') out.push(...flappingIssues(f, path));
  if (kind !== 'outage') out.push(...selectorIssues(f.stations, [...path, 'stations'], ctx));
  return out;
}

function unusedKeyIssues(f: Record<string, unknown>, kind: FaultKind, path: PathSegment[]): Issue[] {
  const takes = FAULT_KEYS[kind];
  return Object.keys(f)
    .filter((k) => ALL_FAULT_KEYS.has(k) && !takes.includes(k))
    .map((k) => {
      if (kind === 'reboot' && k === 'duration') {
        return issue([...path, k], 'not allowed: a reboot happens at one instant (at) and has no duration', 'key');
      }
      return issue([...path, k], `is not used by kind: ${kind} (it takes ${takes.join(', ')})`, 'key');
    });
}

/** down and up > 0, and at least one down + up cycle fits in the duration. */
function flappingIssues(f: Record<string, unknown>, path: PathSegment[]): Issue[] {
  const [down, up, duration] = [parseDuration(f.down), parseDuration(f.up), parseDuration(f.duration)];
  const out: Issue[] = [];
  if (down === 0) out.push(issue([...path, 'down'], 'must be longer than 0'));
  if (up === 0) out.push(issue([...path, 'up'], 'must be longer than 0'));
  if (down !== null && up !== null && duration !== null && duration > 0 && down + up > duration) {
    out.push(issue([...path, 'duration'], `must hold at least one down + up cycle (${String(f.down)} + ${String(f.up)})`));
  }
  return out;
}
