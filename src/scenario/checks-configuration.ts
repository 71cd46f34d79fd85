import { issue, type Issue } from './issues.js';
import { isRecord } from './distribution.js';
import { suggestion } from './suggest.js';
import { KEY_DEFS, normaliseValue, type KeyKind } from '../station/config-keys.js';

/** Keys whose initial value another scenario setting gives; one place for each value. */
const SET_ELSEWHERE: Readonly<Record<string, string>> = {
  HeartbeatInterval: 'fleet.heartbeatInterval',
  MeterValueSampleInterval: 'meter.sampleInterval',
  ClockAlignedDataInterval: 'meter.clockAlignedInterval',
  MeterValuesSampledData: 'meter.measurands',
  MeterValuesAlignedData: 'meter.alignedMeasurands',
};

const VALUE_RULE: Readonly<Record<KeyKind, string>> = {
  bool: 'must be true or false',
  int: 'must be a whole number >= 0',
  measurands: 'must be a comma-separated list of measurands (e.g. "Energy.Active.Import.Register,SoC")',
  phaseRotation: 'must be a comma-separated list of <connector>.<rotation> (e.g. "0.RST,1.RST")',
  text: 'must be text',
};

/**
 * `fleet.configuration`: keys the virtual charge point supports (src/station/config-keys.ts), writable,
 * not set by another section, each value valid for its key. Non-scalar values are the schema's.
 */
export function configurationIssues(fleet: unknown): Issue[] {
  const config = isRecord(fleet) && isRecord(fleet.configuration) ? fleet.configuration : {};
  const out: Issue[] = [];
  for (const [key, value] of Object.entries(config)) {
    const message = keyProblem(key);
    if (message !== null) {
      out.push(issue(['fleet', 'configuration', key], message, 'key'));
      continue;
    }
    const kind = KEY_DEFS.find((d) => d.key === key)?.kind ?? 'text';
    if (isScalar(value) && normaliseValue(kind, String(value)) === null) {
      out.push(issue(['fleet', 'configuration', key], `${VALUE_RULE[kind]} (got ${JSON.stringify(value)})`));
    }
  }
  return out;
}

function keyProblem(key: string): string | null {
  const def = KEY_DEFS.find((d) => d.key === key);
  if (!def) return `unknown OCPP 1.6 configuration key${suggestion(key, KEY_DEFS.map((d) => d.key))}`;
  if (def.readonly) return 'is read-only: the station reports its own value';
  const owner = SET_ELSEWHERE[key];
  return owner ? `is set by ${owner}; set it there` : null;
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}
