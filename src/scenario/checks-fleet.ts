import { issue, type Issue } from './issues.js';
import { isRecord } from './distribution.js';
import { AC_MAX_KW, DEFAULTS } from './defaults.js';
import { parseDuration } from './duration.js';

/** Longest charge point identity OCPP allows (the 2.0.1 security whitepaper limit; 1.6 CSMSes use it too). */
export const MAX_IDENTITY_LENGTH = 48;

/** Fleet rules beyond the schema: identity length, AC power against phases, whole-second heartbeat. */
export function fleetIssues(fleet: unknown): Issue[] {
  if (!isRecord(fleet)) return [];
  return [
    ...identityIssues(fleet),
    ...connectorIssues(fleet.connectors),
    ...wholeSecondsIssues(fleet.heartbeatInterval, ['fleet', 'heartbeatInterval'], 1),
  ];
}

function identityIssues(fleet: Record<string, unknown>): Issue[] {
  const pattern = fleet.identity;
  if (typeof pattern !== 'string') return [];
  const stations = Number.isInteger(fleet.stations) ? Number(fleet.stations) : DEFAULTS.fleet.stations;
  const digits = String(stations).length;
  const longest = pattern.replace(/\{index(?::(\d+))?\}/g, (_m, w?: string) => '9'.repeat(Math.max(digits, Number(w ?? 0))));
  if (longest.length <= MAX_IDENTITY_LENGTH) return [];
  return [issue(['fleet', 'identity'], `renders identities of up to ${longest.length} characters; OCPP allows at most ${MAX_IDENTITY_LENGTH}`)];
}

function connectorIssues(connectors: unknown): Issue[] {
  if (!Array.isArray(connectors)) return [];
  const out: Issue[] = [];
  connectors.forEach((c: unknown, i) => {
    if (!isRecord(c)) return;
    const path = ['fleet', 'connectors', i];
    if (c.type === 'Type2') {
      const phases = c.phases === 1 ? 1 : 3;
      if (typeof c.maxPowerKw === 'number' && c.maxPowerKw > AC_MAX_KW[phases]) {
        const what = phases === 1 ? 'single-phase' : 'three-phase';
        out.push(issue([...path, 'maxPowerKw'], `must be <= ${AC_MAX_KW[phases]} for a ${what} AC connector (230 V, 32 A)`));
      }
    } else if ((c.type === 'CCS2' || c.type === 'CHAdeMO') && c.phases === 3) {
      out.push(issue([...path, 'phases'], `a DC connector (${c.type}) has no AC phases; leave phases out`));
    }
  });
  return out;
}

/** OCPP configuration intervals are whole seconds. */
export function wholeSecondsIssues(value: unknown, path: (string | number)[], minSeconds: number): Issue[] {
  const ms = parseDuration(value);
  if (ms === null) return [];
  if (ms % 1000 !== 0) return [issue(path, `must be a whole number of seconds (got ${String(value)})`)];
  if (ms < minSeconds * 1000) return [issue(path, `must be at least ${minSeconds}s`)];
  return [];
}
