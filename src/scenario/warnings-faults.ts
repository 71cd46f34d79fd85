import type { Scenario, StationSelector } from './types.js';
import { issue, type Issue, type PathSegment } from './issues.js';
import { formatDuration } from './duration.js';
import { globToRegExp } from './selectors.js';
import { stationIdentity } from '../fleet/identity.js';

/** Fleets up to this size are listed to see whether a glob matches any station. */
const GLOB_CHECK_MAX_STATIONS = 100_000;

/** Faults that are valid but partly or wholly outside the run, and globs that select nobody. */
export function faultWarnings(s: Scenario): Issue[] {
  const out: Issue[] = [];
  s.faults.forEach((f, i) => {
    const end = f.atMs + f.durationMs;
    if (f.atMs >= s.durationMs) {
      out.push(issue(['faults', i, 'at'], `is at or after the end of the run (duration ${formatDuration(s.durationMs)}); this fault never happens`));
    } else if (end > s.durationMs) {
      out.push(issue(['faults', i, 'duration'], `ends at ${formatDuration(end)}, after the run's duration (${formatDuration(s.durationMs)}); the fault is cut at the end`));
    }
    if ('stations' in f) out.push(...emptyGlobWarnings(f.stations, ['faults', i, 'stations'], s));
  });
  for (const [name, selector] of Object.entries(s.groups)) out.push(...emptyGlobWarnings(selector, ['groups', name], s));
  return out;
}

function emptyGlobWarnings(selector: StationSelector, path: PathSegment[], s: Scenario): Issue[] {
  if (!('pattern' in selector) || s.fleet.stations > GLOB_CHECK_MAX_STATIONS) return [];
  const re = globToRegExp(selector.pattern);
  for (let n = 1; n <= s.fleet.stations; n++) if (re.test(stationIdentity(s.fleet.identity, n))) return [];
  const first = stationIdentity(s.fleet.identity, 1);
  return [issue([...path, 'pattern'], `matches no station of the fleet (identities look like ${first})`)];
}
