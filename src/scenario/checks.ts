import { issue, type Issue, type PathSegment } from './issues.js';
import { distributionIssues, isRecord } from './distribution.js';
import { parseDuration } from './duration.js';
import { expandIdTags } from './id-tags.js';
import { fleetIssues, wholeSecondsIssues } from './checks-fleet.js';
import { suggestion } from './suggest.js';
import { configurationIssues } from './checks-configuration.js';
import { faultIssues } from './checks-faults.js';
import { thresholdIssues } from './checks-thresholds.js';
import type { IdTagPattern } from './raw.js';

/** OCPP idTag (IdToken) length limit. */
const MAX_ID_TAG_LENGTH = 20;
/** The schema's upper bound for a generated tag pool. */
const MAX_TAG_COUNT = 100_000;

/**
 * The rules a JSON Schema cannot express. They run on the raw parsed file even when the schema found
 * problems (every check skips values of the wrong type), so one pass reports everything.
 */
export function semanticIssues(raw: unknown, builtinVehicles: readonly string[]): Issue[] {
  if (!isRecord(raw)) return [];
  const section = (k: string) => (isRecord(raw[k]) ? raw[k] : {});
  return [
    ...targetIssues(section('target')),
    ...fleetIssues(raw.fleet),
    ...sessionsIssues(section('sessions')),
    ...vehiclesIssues(section('vehicles'), builtinVehicles),
    ...wholeSecondsIssues(section('meter').sampleInterval, ['meter', 'sampleInterval'], 0),
    ...wholeSecondsIssues(section('meter').clockAlignedInterval, ['meter', 'clockAlignedInterval'], 0),
    ...positiveDuration(raw.duration, ['duration']),
    ...configurationIssues(raw.fleet),
    ...faultIssues(raw),
    ...thresholdIssues(raw.thresholds),
    ...ledgerIssues(section('ledger')),
  ];
}

function positiveDuration(value: unknown, path: PathSegment[]): Issue[] {
  return parseDuration(value) === 0 ? [issue(path, 'must be longer than 0')] : [];
}

function targetIssues(target: Record<string, unknown>): Issue[] {
  const out = positiveDuration(target.callTimeout, ['target', 'callTimeout']);
  if (typeof target.url === 'string' && /^wss?:\/\/\S+$/.test(target.url) && !URL.canParse(target.url)) {
    out.push(issue(['target', 'url'], `is not a valid URL (got ${JSON.stringify(target.url)})`));
  }
  return out;
}

function ledgerIssues(ledger: Record<string, unknown>): Issue[] {
  const url = ledger.url;
  if (typeof url === 'string' && /^https?:\/\/\S+$/.test(url) && !URL.canParse(url)) {
    return [issue(['ledger', 'url'], `is not a valid URL (got ${JSON.stringify(url)})`)];
  }
  return [];
}

function sessionsIssues(s: Record<string, unknown>): Issue[] {
  const fraction = (v: unknown) => (typeof v === 'number' ? v : null);
  const out = [
    ...distributionIssues(s.plugDuration, ['sessions', 'plugDuration'], parseDuration, true),
    ...distributionIssues(s.arrivalSoc, ['sessions', 'arrivalSoc'], fraction, false),
    ...distributionIssues(s.targetSoc, ['sessions', 'targetSoc'], fraction, false),
    ...positiveDuration(s.faultRecovery, ['sessions', 'faultRecovery']),
    ...idTagIssues(isRecord(s.idTags) ? s.idTags : {}),
  ];
  const profile = s.hourlyProfile;
  if (Array.isArray(profile) && profile.length > 0 && profile.every((w) => w === 0)) {
    out.push(issue(['sessions', 'hourlyProfile'], 'must have at least one weight above 0'));
  }
  return out;
}

function idTagIssues(t: Record<string, unknown>): Issue[] {
  const path = ['sessions', 'idTags'];
  const out: Issue[] = [];
  const unknown = typeof t.unknownShare === 'number' ? t.unknownShare : 0;
  const blockedShare = typeof t.blockedShare === 'number' ? t.blockedShare : 0;
  if (unknown + blockedShare > 1) {
    out.push(issue([...path, 'blockedShare'], `unknownShare + blockedShare must not exceed 1 (got ${unknown + blockedShare})`));
  }
  const known = tagsOf(t.known);
  const blocked = tagsOf(t.blocked);
  if (blockedShare > 0 && (blocked?.length ?? 0) === 0) {
    out.push(issue([...path, 'blockedShare'], 'is above 0 but sessions.idTags.blocked lists no tags'));
  }
  for (const [key, tags] of [['known', known], ['blocked', blocked]] as const) {
    const long = tags?.find((tag) => tag.length > MAX_ID_TAG_LENGTH);
    if (long && !Array.isArray(t[key])) {
      out.push(issue([...path, key, 'pattern'], `generates "${long}", longer than the ${MAX_ID_TAG_LENGTH} characters OCPP allows`));
    }
  }
  const knownSet = new Set(known ?? []);
  const both = blocked ? blocked.filter((tag) => knownSet.has(tag)) : [];
  if (both.length > 0) out.push(issue([...path, 'blocked'], `lists tags that are also known: ${both.slice(0, 5).join(', ')}`));
  return out;
}

/** Expanded tags when the value has a valid shape, else null (the schema reports the shape). */
function tagsOf(value: unknown): string[] | null {
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string') ? (value as string[]) : null;
  if (isRecord(value) && typeof value.pattern === 'string' && Number.isInteger(value.count) && Number(value.count) >= 1) {
    return expandIdTags({ pattern: value.pattern, count: Math.min(Number(value.count), MAX_TAG_COUNT) } as IdTagPattern);
  }
  return null;
}

function vehiclesIssues(v: Record<string, unknown>, builtins: readonly string[]): Issue[] {
  const out: Issue[] = [];
  const custom = Array.isArray(v.custom) ? v.custom : [];
  const names = new Set(builtins);
  custom.forEach((c: unknown, i) => {
    if (!isRecord(c)) return;
    if (typeof c.name === 'string') {
      if (custom.slice(0, i).some((o: unknown) => isRecord(o) && o.name === c.name)) {
        out.push(issue(['vehicles', 'custom', i, 'name'], `repeats the profile name "${c.name}"`));
      }
      names.add(c.name);
    }
    out.push(...curveIssues(c.dcCurve, ['vehicles', 'custom', i, 'dcCurve']));
  });
  if (isRecord(v.mix)) out.push(...mixIssues(v.mix, [...names]));
  return out;
}

function mixIssues(mix: Record<string, unknown>, names: string[]): Issue[] {
  const out: Issue[] = [];
  for (const key of Object.keys(mix)) {
    if (names.includes(key)) continue;
    const hint = suggestion(key, names);
    out.push(issue(['vehicles', 'mix', key], `unknown vehicle profile${hint}; profiles: ${names.join(', ')}`, 'key'));
  }
  const weights = Object.values(mix);
  if (weights.length > 0 && weights.every((w) => w === 0)) {
    out.push(issue(['vehicles', 'mix'], 'must give at least one profile a weight above 0'));
  }
  return out;
}

function curveIssues(curve: unknown, path: PathSegment[]): Issue[] {
  if (!Array.isArray(curve) || curve.length < 2) return [];
  const socs = curve.map((p: unknown) => (Array.isArray(p) && typeof p[0] === 'number' ? p[0] : null));
  if (socs.some((s) => s === null)) return [];
  const out: Issue[] = [];
  if (socs[0] !== 0) out.push(issue([...path, 0, 0], 'the first point must be at soc 0'));
  if (socs[socs.length - 1] !== 1) out.push(issue([...path, socs.length - 1, 0], 'the last point must be at soc 1'));
  const back = socs.findIndex((s, i) => i > 0 && (s as number) <= (socs[i - 1] as number));
  if (back > 0) out.push(issue([...path, back, 0], 'soc must increase from one point to the next'));
  return out;
}
