import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadScenario, parseScenario, type ScenarioResult } from '../src/scenario/load.js';
import { formatScenarioError } from '../src/scenario/errors.js';
import { DURATION_PATTERN, formatDuration, parseDuration } from '../src/scenario/duration.js';
import { STARTER_SCENARIO } from '../src/scenario/starter.js';
import { CONNECTOR_PRESETS, CUSTOM_VEHICLE_DEFAULTS, DEFAULTS, DISTRIBUTION_DEFAULT_KIND } from '../src/scenario/defaults.js';
import { readScenarioSchema, type JsonSchema } from '../src/scenario/schema.js';
import { didYouMean, editDistance } from '../src/scenario/suggest.js';
import { BUILTIN_VEHICLES } from '../src/meter/vehicles.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/scenarios/${name}`, import.meta.url));
const scenariosDir = fileURLToPath(new URL('../scenarios/', import.meta.url));
const schema = readScenarioSchema();

function errorsOf(result: ScenarioResult): string[] {
  if (result.ok) throw new Error('expected the scenario to be invalid');
  return result.errors.map(formatScenarioError);
}

function scenarioOf(result: ScenarioResult) {
  if (!result.ok) throw new Error(`expected a valid scenario:\n${result.errors.map(formatScenarioError).join('\n')}`);
  return result;
}

describe('durations', () => {
  it.each([
    [30, 30_000], [0, 0], [1.5, 1_500], ['90', 90_000], ['500ms', 500], ['30s', 30_000], ['5m', 300_000],
    ['1.5h', 5_400_000], ['1h30m', 5_400_000], ['2d', 172_800_000], ['1d2h3m4s5ms', 93_784_005],
  ])('parses %j as %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each([-1, Infinity, '', 'abc', '5 m', '30m1h', '1h30', '-5s', '1.s', '5x', true, null, {}])('rejects %j', (input) => {
    expect(parseDuration(input)).toBeNull();
  });

  it('formats compactly and round-trips', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(0)).toBe('0s');
    for (const ms of [1, 999, 61_001, 3_600_000, 90_061_001]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });

  it('uses the same pattern as the published schema', () => {
    expect((schema.definitions as Record<string, JsonSchema>).duration.pattern).toBe(DURATION_PATTERN);
  });
});

describe('did you mean', () => {
  it('counts a transposition as one edit and finds case-insensitive matches', () => {
    expect(editDistance('sesions', 'sessions')).toBe(1);
    expect(editDistance('fleet', 'flete')).toBe(1);
    expect(didYouMean('Fleet', ['fleet', 'meter'])).toBe('fleet');
    expect(didYouMean('sesions', ['sessions', 'seed'])).toBe('sessions');
    expect(didYouMean('zzzzzz', ['sessions', 'seed'])).toBeNull();
  });
});

describe('a valid file', () => {
  it('normalises every section, with durations in ms', async () => {
    const { scenario, warnings } = scenarioOf(await loadScenario(fixture('full.yaml')));
    expect(warnings).toEqual([]);
    expect(scenario).toMatchObject({ version: 1, name: 'full-example', seed: 7, durationMs: 7_200_000, gracePeriodMs: 500, timeScale: 120 });
    expect(scenario.target).toEqual({
      url: 'ws://127.0.0.1:9000/ocpp', protocol: 'ocpp1.6', passwordEnv: 'CSMS_PASSWORD', callTimeoutMs: 90_000, validate: false,
    });
    expect(scenario.fleet).toMatchObject({ stations: 20, identity: 'CP-{index:3}', vendor: 'acme', heartbeatIntervalS: 300 });
    expect(scenario.fleet.connectors).toEqual([
      { type: 'Type2', current: 'AC', maxPowerKw: 7.4, phases: 1 },
      { type: 'CCS2', current: 'DC', maxPowerKw: 150, phases: 1 },
      { type: 'CHAdeMO', current: 'DC', maxPowerKw: 50, phases: 1 },
    ]);
    const s = scenario.sessions;
    expect(s.hourlyProfile).toHaveLength(24);
    expect(s.plugDurationMs).toEqual({ dist: 'lognormal', median: 12_240_000, sigma: 0.9, min: 300_000, max: 43_200_000 });
    expect(s.arrivalSoc).toEqual({ dist: 'uniform', min: 0.1, max: 0.5 });
    expect(s.targetSoc).toEqual({ dist: 'fixed', min: 0.9, max: 0.9, value: 0.9 });
    expect(s.idTags.known).toHaveLength(50);
    expect([s.idTags.known[0], s.idTags.known[49]]).toEqual(['TAG-0001', 'TAG-0050']);
    expect(s.idTags).toMatchObject({ blocked: ['BLOCKED-01'], unknownShare: 0.05, blockedShare: 0.02 });
    expect([s.faultsPerHour, s.faultRecoveryMs]).toEqual([0.1, 5_400_000]);
    expect(scenario.vehicles.mix).toEqual({ city: 2, midsize: 5, truck: 1 });
    expect(Object.keys(scenario.vehicles.profiles).sort()).toEqual([...Object.keys(BUILTIN_VEHICLES), 'tiny', 'truck'].sort());
    expect(scenario.vehicles.profiles.truck.dcCurve[1]).toEqual([0.6, 0.8]);
    expect(scenario.vehicles.profiles.tiny).toMatchObject({ acPhases: 1, dcMaxKw: 0, dcCurve: CUSTOM_VEHICLE_DEFAULTS.dcCurve });
    expect(scenario.meter).toEqual({
      sampleIntervalMs: 10_000, clockAlignedIntervalMs: 900_000,
      measurands: ['Energy.Active.Import.Register', 'Power.Active.Import', 'Current.Import', 'SoC'],
      alignedMeasurands: ['Energy.Active.Import.Register'],
    });
    expect(scenario.rampUp).toEqual({ stationsPerSecond: 5 });
  });

  it('fills every default into a minimal file', () => {
    const { scenario } = scenarioOf(parseScenario('version: 1\nname: tiny\n', 'tiny.yaml'));
    expect(scenario.target).toEqual({ url: null, protocol: 'ocpp1.6', passwordEnv: null, callTimeoutMs: 30_000, validate: true });
    expect(scenario.fleet.connectors).toEqual([CONNECTOR_PRESETS.Type2, CONNECTOR_PRESETS.Type2]);
    expect(scenario.fleet.heartbeatIntervalS).toBe(300);
    expect(scenario.sessions.idTags.known).toHaveLength(100);
    expect(scenario.sessions.idTags.known.slice(0, 2)).toEqual(['EVSIM-TAG-0001', 'EVSIM-TAG-0002']);
    expect(scenario.sessions.idTags.known[99]).toBe('EVSIM-TAG-0100');
    expect(scenario.sessions.plugDurationMs).toMatchObject({ dist: 'lognormal', median: 12_240_000, min: 300_000 });
    expect(scenario.vehicles.mix).toEqual({ city: 2, midsize: 5, longrange: 2, van: 1 });
    expect(scenario).toMatchObject({ seed: 1, durationMs: 300_000, gracePeriodMs: 10_000, timeScale: 1 });
  });
});

describe('warnings', () => {
  it('flags valid but doubtful settings, positioned like errors', () => {
    const text = [
      'version: 1', 'name: w', 'target:', '  passwordEnv: CSMS_PASSWORD', 'duration: 1m',
      'vehicles:', '  custom: [{ name: van, batteryKwh: 60, onboardChargerKw: 11, dcMaxKw: 80 }]',
    ].join('\n');
    const { warnings, scenario } = scenarioOf(parseScenario(text, 'w.yaml'));
    expect(warnings).toEqual([
      'w.yaml:4:16 target.passwordEnv: is ignored: without target.url the run uses the embedded CSMS',
      'w.yaml:7:20 vehicles.custom[0].name: replaces the built-in profile "van"',
      'w.yaml:5:11 duration: expect only 0.33 car arrivals in the whole run; raise duration, arrivalsPerHour or stations',
    ]);
    expect(scenario.vehicles.profiles.van.batteryKwh).toBe(60);
  });
});

describe('an invalid file', () => {
  it('reports every problem at once with line:column', async () => {
    const file = fixture('invalid.yaml');
    expect(errorsOf(await loadScenario(file)).map((e) => e.slice(file.length + 1))).toEqual([
      '1:1 name: missing required key',
      '3:1 sesions: unknown key (did you mean "sessions"?)',
      expect.stringMatching(/^7:3 target\.password: not allowed: .*passwordEnv/),
      '9:13 fleet.stations: must be an integer (got "twenty")',
      '11:34 fleet.connectors[0].maxPowerKw: must be > 0 (got -11)',
      expect.stringMatching(/^12:22 fleet\.heartbeatInterval: must be a duration: .*\(got "5 minutes"\)$/),
      '14:24 sessions.plugDuration.min: must not exceed max (30m > 10m)',
      expect.stringMatching(/^16:10 vehicles\.mix\.midsze: unknown vehicle profile \(did you mean "midsize"\?\)/),
    ]);
  });

  it('gives structured errors', () => {
    const result = parseScenario('version: 1\nname: x\nfleet:\n  stations: 0\n', 'x.yaml');
    expect(result).toEqual({ ok: false, errors: [{ file: 'x.yaml', line: 4, column: 13, path: 'fleet.stations', message: 'must be >= 1 (got 0)' }] });
  });

  it.each([
    ['fleet:\n  connectors: [Type3]', '4:16 fleet.connectors[0]: must be one of', 'did you mean "Type2"?'],
    ['fleet:\n  connectors:\n    - { type: Type2, phases: 1, maxPowerKw: 11 }', '5:45 fleet.connectors[0].maxPowerKw', 'must be <= 7.4 for a single-phase'],
    ['fleet:\n  connectors: [{ type: CHAdeMO, phases: 3 }]', '4:41 fleet.connectors[0].phases', 'DC connector'],
    ['fleet:\n  identity: "CP-1"', '4:13 fleet.identity', 'must contain {index}'],
    ['sessions:\n  plugDuration: { dist: lognormal, median: 1h, min: 5m, max: 2h }', '4:17 sessions.plugDuration.sigma', 'missing required key'],
    ['sessions:\n  plugDuration: { min: 5m, max: 1h, sigma: 2 }', '4:37 sessions.plugDuration.sigma', 'is not used by dist: uniform'],
    ['sessions:\n  idTags: { unknownShare: 0.7, blockedShare: 0.5, blocked: [B] }', '4:46 sessions.idTags.blockedShare', 'must not exceed 1'],
    ['vehicles:\n  custom: [{ name: x, batteryKwh: 50, onboardChargerKw: 11, dcMaxKw: 50, dcCurve: [[0, 1], [0.6, 0.2], [0.5, 0.5], [1, 0]] }]', '4:105 vehicles.custom[0].dcCurve[2][0]', 'soc must increase'],
    ['target:\n  passwordEnv: csms-pw', '4:16 target.passwordEnv', 'environment variable name'],
    ['meter:\n  sampleInterval: 2500ms', '4:19 meter.sampleInterval', 'whole number of seconds'],
    ['vehicles:\n  mix: { van: 0 }', '4:8 vehicles.mix', 'at least one profile a weight above 0'],
  ])('rejects %j', (yaml, where, message) => {
    const [error, ...rest] = errorsOf(parseScenario(`version: 1\nname: x\n${yaml}\n`, 'x.yaml'));
    expect(rest).toEqual([]);
    expect(error.startsWith(`x.yaml:${where}`)).toBe(true);
    expect(error).toContain(message);
  });

  it('accepts only version 1', () => {
    expect(errorsOf(parseScenario('version: 2\nname: x\n', 'v.yaml'))).toEqual(['v.yaml:1:10 version: must be 1 (got 2)']);
  });

  it('reports a YAML syntax error with its position', () => {
    expect(errorsOf(parseScenario('version: 1\nname: x\nfleet:\n  stations: [2\n\n', 'y.yaml'))).toEqual([
      expect.stringMatching(/^y\.yaml:4:15 YAML: Flow sequence .* end with a \]$/),
    ]);
    expect(errorsOf(parseScenario('version: 1\nname: a\nname: b\n', 'y.yaml'))).toEqual(['y.yaml:3:1 YAML: Map keys must be unique']);
  });

  it('reports an unreadable file', async () => {
    expect(errorsOf(await loadScenario(fixture('does-not-exist.yaml')))).toEqual([
      `${fixture('does-not-exist.yaml')}:1:1 cannot read scenario: file not found`,
    ]);
  });
});

describe('the starter scenario', () => {
  it('is valid, warning-free and sized for a 30-60 s run against the embedded CSMS', () => {
    const { scenario, warnings } = scenarioOf(parseScenario(STARTER_SCENARIO, 'starter.yaml'));
    expect(warnings).toEqual([]);
    expect(scenario.target.url).toBeNull();
    expect(scenario.fleet.stations).toBeGreaterThanOrEqual(5);
    expect(scenario.fleet.stations).toBeLessThanOrEqual(20);
    const wallMs = scenario.durationMs / scenario.timeScale;
    expect(wallMs).toBeGreaterThanOrEqual(30_000);
    expect(wallMs).toBeLessThanOrEqual(60_000);
    const connectors = scenario.fleet.stations * scenario.fleet.connectors.length;
    const arrivals = connectors * scenario.sessions.arrivalsPerHour * (scenario.durationMs / 3_600_000);
    expect(arrivals).toBeGreaterThan(10);
    expect(scenario.sessions.plugDurationMs.max).toBeLessThan(scenario.durationMs / 2);
  });

  it('explains each section in comments', () => {
    for (const key of ['target', 'fleet', 'sessions', 'vehicles', 'meter', 'rampUp', 'duration', 'timeScale']) {
      expect(STARTER_SCENARIO).toMatch(new RegExp(`#.*\\n${key}:|^${key}:.*#`, 'm'));
    }
  });
});

describe('every scenario in scenarios/', () => {
  const files = readdirSync(scenariosDir).filter((f) => /\.ya?ml$/.test(f));
  it.each(files.map((f) => [f]))('%s is valid', async (f) => {
    scenarioOf(await loadScenario(`${scenariosDir}${f}`));
  });
  it('the list is readable (it may be empty)', () => expect(Array.isArray(files)).toBe(true));
});

describe('the published schema', () => {
  const props = (s: JsonSchema) => (s.properties ?? {}) as Record<string, JsonSchema>;
  const defs = schema.definitions as Record<string, JsonSchema>;
  const resolve = (s: JsonSchema): JsonSchema =>
    typeof s.$ref === 'string' ? resolve({ ...defs[s.$ref.replace('#/definitions/', '')], ...s, $ref: undefined }) : s;

  it('has the same defaults as defaults.ts, both ways', () => {
    const walk = (defaults: Record<string, unknown>, node: JsonSchema, path: string) => {
      for (const [key, sub] of Object.entries(props(node))) {
        const s = resolve(sub);
        if ('default' in s) expect([`${path}${key}`, s.default]).toEqual([`${path}${key}`, defaults[key]]);
        else if (s.type === 'object') walk((defaults[key] ?? {}) as Record<string, unknown>, s, `${path}${key}.`);
      }
      for (const key of Object.keys(defaults)) expect(props(node), `${path}${key} in schema`).toHaveProperty([key]);
    };
    walk(DEFAULTS as Record<string, unknown>, schema, '');
    expect(props(defs.customVehicle).acPhases.default).toBe(CUSTOM_VEHICLE_DEFAULTS.acPhases);
    expect(props(defs.customVehicle).dcCurve.default).toEqual(CUSTOM_VEHICLE_DEFAULTS.dcCurve);
    expect(props(defs.durationDistributionObject).dist.default).toBe(DISTRIBUTION_DEFAULT_KIND);
  });

  it('documents every property and closes every fixed-shape object', () => {
    const seen: string[] = [];
    const visit = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${path}/${i}`));
      if (typeof node !== 'object' || node === null) return;
      const s = node as JsonSchema;
      if (s.properties) {
        const closed = s.additionalProperties === false || path.endsWith('/mix'); // mix is a name → weight map
        expect([path, closed]).toEqual([path, true]);
        for (const [k, p] of Object.entries(props(s))) {
          const sub = p as JsonSchema;
          expect([k, typeof sub.title, typeof sub.description]).toEqual([k, 'string', 'string']);
          seen.push(k);
        }
      }
      for (const [k, v] of Object.entries(s)) if (!['default', 'examples', 'if'].includes(k)) visit(v, `${path}/${k}`);
    };
    visit(schema, '#');
    expect(seen.length).toBeGreaterThan(50);
    expect(schema.additionalProperties).toBe(false);
  });

  it('lists the connector presets and built-in vehicles the code knows', () => {
    const preset = (defs.connector.anyOf as JsonSchema[])[0];
    expect(preset.enum).toEqual(Object.keys(CONNECTOR_PRESETS));
    const mix = props(resolve(props(props(schema).vehicles).mix));
    expect(Object.keys(mix).sort()).toEqual(Object.keys(BUILTIN_VEHICLES).sort());
  });
});
