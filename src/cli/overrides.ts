import type { Scenario } from '../scenario/types.js';
import { parseDuration } from '../scenario/duration.js';
import { DEFAULTS } from '../scenario/defaults.js';
import { CliError, EXIT } from './exit-codes.js';

export interface RunFlags {
  csms?: string;
  out?: string;
  seed?: string;
  stations?: string;
  duration?: string;
  ledger?: string;
}

/** Applies command-line overrides to a loaded scenario; flags win over the file. */
export function applyOverrides(scenario: Scenario, flags: RunFlags): Scenario {
  const s: Scenario = { ...scenario, fleet: { ...scenario.fleet }, target: { ...scenario.target } };
  if (flags.seed !== undefined) s.seed = integerFlag('--seed', flags.seed, 0);
  if (flags.stations !== undefined) s.fleet.stations = integerFlag('--stations', flags.stations, 1);
  if (flags.duration !== undefined) {
    const ms = parseDuration(flags.duration);
    if (ms === null || ms <= 0) throw new CliError(`--duration: "${flags.duration}" is not a positive duration (e.g. 90s, 5m, 1h)`, EXIT.USAGE);
    s.durationMs = ms;
  }
  if (flags.csms !== undefined) s.target.url = checkTargetUrl(flags.csms);
  if (flags.ledger !== undefined) s.ledger = { ...(s.ledger ?? defaultLedger()), url: checkLedgerUrl(flags.ledger) };
  return s;
}

function defaultLedger(): NonNullable<Scenario['ledger']> {
  return { url: null, itemsPath: DEFAULTS.ledger.itemsPath, fields: { ...DEFAULTS.ledger.fields } };
}

function checkLedgerUrl(url: string): string {
  if (!/^https?:\/\/\S+$/.test(url)) throw new CliError(`--ledger: "${url}" is not an http:// or https:// URL`, EXIT.USAGE);
  return url;
}

function integerFlag(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new CliError(`${name}: "${value}" is not an integer >= ${min}`, EXIT.USAGE);
  return n;
}

function checkTargetUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`--csms: "${url}" is not a URL (expected ws://host:port/path)`, EXIT.USAGE);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new CliError(`--csms: "${url}" must start with ws:// or wss://`, EXIT.USAGE);
  }
  return url.replace(/\/+$/, '');
}
