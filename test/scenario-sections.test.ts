import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadScenario, parseScenario, type ScenarioResult } from '../src/scenario/load.js';
import { formatScenarioError } from '../src/scenario/errors.js';
import { DEFAULTS, FAULT_DEFAULTS } from '../src/scenario/defaults.js';
import { FAULT_KEYS } from '../src/scenario/checks-faults.js';
import { REPORT_SECTIONS } from '../src/scenario/checks-thresholds.js';
import { fleetIdentities, globToRegExp, SELECTOR_KEYS } from '../src/scenario/selectors.js';
import { readScenarioSchema, type JsonSchema } from '../src/scenario/schema.js';
import { STARTER_SCENARIO } from '../src/scenario/starter.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/scenarios/${name}`, import.meta.url));
const schema = readScenarioSchema();
const defs = schema.definitions as Record<string, JsonSchema>;
const props = (s: JsonSchema) => (s.properties ?? {}) as Record<string, JsonSchema>;

function scenarioOf(result: ScenarioResult) {
  if (!result.ok) throw new Error(`expected a valid scenario:\n${result.errors.map(formatScenarioError).join('\n')}`);
  return result;
}

function errorsOf(result: ScenarioResult): string[] {
  if (result.ok) throw new Error('expected the scenario to be invalid');
  return result.errors.map(formatScenarioError);
}

/** Parses `version: 1`, `name: x` plus `yaml`; errors and warnings without the file name. */
function check(yaml: string): { errors: string[]; warnings: string[] } {
  const r = parseScenario(`version: 1\nname: x\n${yaml}\n`, 'x.yaml');
  const strip = (list: string[]) => list.map((e) => e.replace(/^x\.yaml:/, ''));
  return r.ok ? { errors: [], warnings: strip(r.warnings) } : { errors: strip(r.errors.map(formatScenarioError)), warnings: [] };
}

describe('the new sections of a valid file', () => {
  it('normalise groups, faults, thresholds, ledger and fleet.configuration', async () => {
    const { scenario, warnings } = scenarioOf(await loadScenario(fixture('sections.yaml')));
    expect(warnings).toEqual([]);
    expect(scenario.fleet.configuration).toEqual({
      TransactionMessageAttempts: '5',
      TransactionMessageRetryInterval: '30',
      LocalAuthorizeOffline: 'true',
      StopTransactionOnInvalidId: 'false',
      ConnectorPhaseRotation: '0.RST,1.RTS',
    });
    expect(scenario.groups).toEqual({ rural: { share: 0.3 }, first: { list: ['EVSIM-0001', 'EVSIM-0002'] } });
    expect(scenario.faults).toEqual([
      { kind: 'partition', atMs: 120_000, durationMs: 180_000, mode: 'blackhole', stations: { share: 0.2 } },
      { kind: 'flapping', atMs: 360_000, durationMs: 120_000, mode: 'refuse', downMs: 10_000, upMs: 20_000, stations: { group: 'rural' } },
      { kind: 'latency', atMs: 0, durationMs: 600_000, ms: 200, jitterMs: 50, stations: { all: true } },
      {
        kind: 'loss', atMs: 60_000, durationMs: 60_000, share: 0.1, direction: 'toStation', messages: ['CALLRESULT'],
        stations: { pattern: 'EVSIM-00*' },
      },
      { kind: 'outage', atMs: 480_000, durationMs: 30_000 },
      { kind: 'reboot', atMs: 240_000, durationMs: 0, keepQueue: false, stations: { list: ['EVSIM-0003'] } },
    ]);
    expect(scenario.thresholds).toEqual([
      'latency.StartTransaction.p95 < 800', 'reconciliation.gapCount == 0', 'duplicates.count == 0', 'sessions.failed < 1%',
    ]);
    expect(scenario.ledger).toEqual({
      url: 'http://127.0.0.1:9000/transactions',
      itemsPath: 'transactions',
      fields: {
        transactionId: 'id', chargePointId: 'station', connectorId: 'connectorId', idTag: 'idTag',
        meterStart: 'meterStart', meterStop: 'meterStop', startTimestamp: 'startTimestamp', stopTimestamp: 'stopTimestamp',
      },
    });
  });

  it('default to nothing when absent', () => {
    const { scenario } = scenarioOf(parseScenario('version: 1\nname: tiny\n', 'tiny.yaml'));
    expect([scenario.groups, scenario.faults, scenario.thresholds, scenario.ledger]).toEqual([{}, [], [], null]);
    expect(scenario.fleet.configuration).toEqual({});
  });

  it('fill in fault defaults and an empty ledger', () => {
    const { scenario } = scenarioOf(parseScenario([
      'version: 1', 'name: d', 'ledger: {}', 'faults:',
      '  - { kind: partition, at: 0, duration: 1m }',
      '  - { kind: flapping, at: 0, duration: 1m, down: 5s, up: 5s }',
      '  - { kind: latency, at: 0, duration: 1m, ms: 0 }',
      '  - { kind: loss, at: 0, duration: 1m, share: 1 }',
      '  - { kind: reboot, at: 30s }',
    ].join('\n'), 'd.yaml'));
    const all = { all: true };
    expect(scenario.faults).toEqual([
      { kind: 'partition', atMs: 0, durationMs: 60_000, mode: 'refuse', stations: all },
      { kind: 'flapping', atMs: 0, durationMs: 60_000, mode: 'refuse', downMs: 5_000, upMs: 5_000, stations: all },
      { kind: 'latency', atMs: 0, durationMs: 60_000, ms: 0, jitterMs: 0, stations: all },
      { kind: 'loss', atMs: 0, durationMs: 60_000, share: 1, direction: 'both', messages: null, stations: all },
      { kind: 'reboot', atMs: 30_000, durationMs: 0, keepQueue: true, stations: all },
    ]);
    expect(scenario.ledger).toEqual({ url: null, itemsPath: 'transactions', fields: DEFAULTS.ledger.fields });
  });

  it('accept "" as the ledger items path (the body is the array)', () => {
    const { scenario } = scenarioOf(parseScenario('version: 1\nname: l\nledger: { url: "https://csms.example/tx?all=1", itemsPath: "" }\n', 'l.yaml'));
    expect(scenario.ledger).toMatchObject({ url: 'https://csms.example/tx?all=1', itemsPath: '' });
  });
});

describe('errors in the new sections', () => {
  it('are all reported at once, each at its line:column', async () => {
    const file = fixture('invalid-sections.yaml');
    expect(errorsOf(await loadScenario(file)).map((e) => e.slice(file.length + 1))).toEqual([
      '7:5 fleet.configuration.TransactionMessageAttemps: unknown OCPP 1.6 configuration key (did you mean "TransactionMessageAttempts"?)',
      '8:5 fleet.configuration.HeartbeatInterval: is set by fleet.heartbeatInterval; set it there',
      '9:5 fleet.configuration.NumberOfConnectors: is read-only: the station reports its own value',
      '10:28 fleet.configuration.LocalAuthorizeOffline: must be true or false (got "yes")',
      '11:19 fleet.configuration.ResetRetries: must be a string, a number or true/false',
      '14:20 groups.nested.group: a group cannot refer to another group; give its selection here instead',
      '15:23 groups.both.pattern: choose one of share, list, pattern, group (this selection already has "share")',
      '17:52 faults[0].mode: must be one of "refuse", "blackhole" (got "sideways")',
      '17:81 faults[0].stations.group: unknown group "rurl" (did you mean "rural"?); groups: rural, nested, both',
      '18:41 faults[1].duration: must hold at least one down + up cycle (0 + 30s)',
      '18:52 faults[1].down: must be longer than 0',
      '19:47 faults[2].ms: must be >= 0 (got -5)',
      '20:48 faults[3].share: must be <= 1 (got 1.5)',
      '20:84 faults[3].stations.list[1]: no station of the fleet is "EVSIM-0042" (the fleet\'s identities are EVSIM-0001 to EVSIM-0005)',
      '21:29 faults[4].duration: not allowed: a reboot happens at one instant (at) and has no duration',
      '22:44 faults[5].stations: is not used by kind: outage (it takes at, duration)',
      '23:13 faults[6].kind: must be one of "partition", "flapping", "latency", "loss", "outage", "reboot" (got "partiton"; did you mean "partition"?)',
      '24:5 faults[7].duration: missing required key',
      '24:5 faults[7].ms: missing required key',
      expect.stringMatching(/^27:5 thresholds\[1\]: "latncy" is not a section of the report \(did you mean "latency"\?\); sections: latency, /),
      '28:5 thresholds[2]: "sessions.failed is small" is not "<metric> <op> <number>" (op one of < <= > >= == !=)',
      '29:5 thresholds[3]: "stations.disconnects < 5%": a % value is only allowed for sessions.* and messages.*',
      '31:8 ledger.url: must be an http:// or https:// URL (got "ftp://example.com/tx")',
      '32:14 ledger.itemsPath: must be a dotted path such as data.transactions, or "" for the body itself (got "data..rows")',
      '33:13 ledger.fields.transactionID: unknown key (did you mean "transactionId"?)',
    ]);
  });

  it.each([
    ['faults:\n  - { kind: latency, at: 0, duration: 1m, ms: 5, stations: { group: any } }', '4:69 faults[0].stations.group: unknown group "any": no groups are defined'],
    ['faults:\n  - { kind: partition, at: 1m, duration: 0 }', '4:42 faults[0].duration: must be longer than 0'],
    ['faults:\n  - { kind: flapping, at: 1m, duration: 1m, down: 40s, up: 30s }', '4:41 faults[0].duration: must hold at least one down + up cycle (40s + 30s)'],
    ['faults:\n  - { kind: partition, at: 1m, duration: 1m, ms: 5 }', '4:46 faults[0].ms: is not used by kind: partition'],
    ['faults:\n  - { kind: loss, at: 1m, duration: 1m, share: 0.1, mdoe: refuse }', '4:53 faults[0].mdoe: unknown key (did you mean "mode"?)'],
    ['faults:\n  - { kind: loss, at: 1m, duration: 1m, share: 0.1, direction: out }', '4:64 faults[0].direction: must be one of "toCsms", "toStation", "both"'],
    ['faults:\n  - { kind: loss, at: 1m, duration: 1m, share: 0.1, messages: [CALL, CALL] }', '4:70 faults[0].messages[1]: repeats entry [0]'],
    ['faults:\n  - { at: 1m, duration: 1m }', '4:5 faults[0].kind: missing required key'],
    ['faults:\n  - { kind: reboot, at: 1m, stations: everyone }', '4:39 faults[0].stations: must be one of "all" (got "everyone")'],
    ['faults:\n  - { kind: reboot, at: 1m, stations: { shar: 0.5 } }', '4:41 faults[0].stations.shar: unknown key (did you mean "share"?)'],
    ['faults:\n  - { kind: reboot, at: 1m, stations: {} }', '4:39 faults[0].stations: must not be empty'],
    ['thresholds: ["energyWh.total > 5"]', '3:14 thresholds[0]: "energyWh" is a number; it has no fields'],
    ['thresholds: ["sessions < 5"]', '3:14 thresholds[0]: "sessions" is a section, not a number'],
    ['fleet:\n  configuration: { TransactionMessageAttempts: 1.5 }', '4:48 fleet.configuration.TransactionMessageAttempts: must be a whole number >= 0 (got 1.5)'],
    ['fleet:\n  configuration: { MeterValuesSampledData: "Energy.Active.Import.Register,Power" }', '4:20 fleet.configuration.MeterValuesSampledData: is set by meter.measurands'],
    ['ledger: { url: "http://[::1" }', '3:16 ledger.url: is not a valid URL'],
  ])('rejects %j', (yaml, expected) => {
    const { errors } = check(yaml);
    expect(errors, errors.join('\n')).toHaveLength(1);
    expect(errors[0].startsWith(expected), errors[0]).toBe(true);
  });

  it('checks list identities against the fleet size and padding', () => {
    const { errors } = check('fleet:\n  identity: "CP-{index}"\n  stations: 12\ngroups:\n  g: { list: [CP-12, CP-012, CP-13, EVSIM-0001, CP-0] }');
    expect(errors.map((e) => e.split(' ')[1])).toEqual(['groups.g.list[1]:', 'groups.g.list[2]:', 'groups.g.list[3]:', 'groups.g.list[4]:']);
    expect(errors[0]).toBe('7:22 groups.g.list[1]: no station of the fleet is "CP-012" (the fleet\'s identities are CP-1 to CP-12)');
  });
});

describe('station identities and globs', () => {
  it('knows which identities a fleet has without listing it', () => {
    const fleet = fleetIdentities({ identity: 'EVSIM-{index:4}', stations: 250_000 });
    expect(['EVSIM-0001', 'EVSIM-9999', 'EVSIM-10000', 'EVSIM-250000'].map((id) => fleet?.has(id))).toEqual([true, true, true, true]);
    expect(['EVSIM-0000', 'EVSIM-250001', 'EVSIM-001', 'EVSIM-00001', 'evsim-0001', 'EVSIM-0001x'].map((id) => fleet?.has(id))).toEqual([
      false, false, false, false, false, false,
    ]);
    const twice = fleetIdentities({ identity: 'X{index}{index}', stations: 20 });
    expect([twice?.has('X1212'), twice?.has('X11'), twice?.has('X1213'), twice?.has('X2121')]).toEqual([true, true, false, false]);
    expect(fleetIdentities({})?.has('EVSIM-0010')).toBe(true);
    expect(fleetIdentities({ stations: 'ten' })).toBeNull();
  });

  it('matches globs with * and ? and everything else literally', () => {
    expect(globToRegExp('EVSIM-00*').test('EVSIM-0042')).toBe(true);
    expect(globToRegExp('EVSIM-00*').test('EVSIM-0142')).toBe(false);
    expect(globToRegExp('CP-?').test('CP-7')).toBe(true);
    expect(globToRegExp('CP-?').test('CP-17')).toBe(false);
    expect(globToRegExp('CP.1+').test('CPx11')).toBe(false);
    expect(globToRegExp('CP.1+').test('CP.1+')).toBe(true);
  });
});

describe('warnings about the new sections', () => {
  it('flag faults past the end of the run, globs that select nobody and a ledger without a url for an external CSMS', () => {
    const { errors, warnings } = check([
      'duration: 10m', 'target: { url: ws://127.0.0.1:9000/ocpp }', 'groups:', '  nobody: { pattern: "CP-*" }', 'faults:',
      '  - { kind: partition, at: 8m, duration: 5m }',
      '  - { kind: reboot, at: 10m }',
      '  - { kind: latency, at: 0, duration: 10m, ms: 5, stations: { pattern: "EVSIM-00?1" } }',
      '  - { kind: loss, at: 1m, duration: 1m, share: 0.5, stations: { pattern: "EVSIM-1?" } }',
      'ledger: { itemsPath: rows }',
    ].join('\n'));
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      '12:9 ledger: has no url: only the embedded CSMS has a built-in ledger; set ledger.url to read your CSMS\'s records',
      '8:42 faults[0].duration: ends at 13m, after the run\'s duration (10m); the fault is cut at the end',
      '9:25 faults[1].at: is at or after the end of the run (duration 10m); this fault never happens',
      '11:74 faults[3].stations.pattern: matches no station of the fleet (identities look like EVSIM-0001)',
      '6:22 groups.nobody.pattern: matches no station of the fleet (identities look like EVSIM-0001)',
    ]);
  });
});

describe('the published schema for the new sections', () => {
  const fault = defs.fault;

  it('has the fault defaults of defaults.ts and the keys the checks know', () => {
    for (const [key, value] of Object.entries(FAULT_DEFAULTS)) expect([key, props(fault)[key].default]).toEqual([key, value]);
    const withDefault = Object.keys(props(fault)).filter((k) => 'default' in props(fault)[k]);
    expect(withDefault.sort()).toEqual(Object.keys(FAULT_DEFAULTS).sort());
    expect(props(fault).kind.enum).toEqual(Object.keys(FAULT_KEYS));
    expect(Object.keys(props(fault)).sort()).toEqual([...new Set(['kind', ...Object.values(FAULT_KEYS).flat()])].sort());
    expect(Object.keys(props(defs.stationSelectorObject))).toEqual([...SELECTOR_KEYS]);
  });

  it('describes the report sections thresholds may name', () => {
    const text = String((props(schema).thresholds.items as JsonSchema).description);
    for (const section of REPORT_SECTIONS) expect(text).toMatch(new RegExp(`\\b${section}\\b`));
  });
});

describe('the starter scenario', () => {
  /** Removes the `# ` in front of each commented-out example block of the new sections. */
  function uncommentExamples(text: string): string {
    let inBlock = false;
    return text
      .split('\n')
      .map((line) => {
        const m = /^(\s*)# (.*)$/.exec(line);
        if (m && /^(groups|faults|thresholds|ledger|configuration):/.test(m[2])) inBlock = true;
        else if (!(m && inBlock && m[2].startsWith('  '))) inBlock = false;
        return inBlock && m ? m[1] + m[2] : line;
      })
      .join('\n');
  }

  it('still validates, and its commented-out examples are valid too without changing the run', () => {
    const plain = scenarioOf(parseScenario(STARTER_SCENARIO, 'starter.yaml'));
    expect(plain.scenario.faults).toEqual([]);
    const text = uncommentExamples(STARTER_SCENARIO);
    expect(text).not.toBe(STARTER_SCENARIO);
    const { scenario, warnings } = scenarioOf(parseScenario(text, 'starter.yaml'));
    expect(warnings).toEqual([]);
    expect(scenario.faults.map((f) => f.kind)).toEqual(['partition', 'flapping', 'latency', 'loss', 'outage', 'reboot']);
    expect(scenario.thresholds).toHaveLength(2);
    expect(Object.keys(scenario.groups)).toEqual(['depot']);
    expect(scenario.ledger).toMatchObject({ url: null });
    expect(scenario.fleet.configuration).toEqual({ TransactionMessageAttempts: '5', TransactionMessageRetryInterval: '30' });
    const { groups, faults, thresholds, ledger, fleet, ...run } = scenario;
    const { groups: g0, faults: f0, thresholds: t0, ledger: l0, fleet: fleet0, ...run0 } = plain.scenario;
    expect(run).toEqual(run0);
    expect({ ...fleet, configuration: {} }).toEqual(fleet0);
  });
});
