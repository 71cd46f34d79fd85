/**
 * What `ev-sim merge` accepts: ev-sim run reports (schemaVersion 1) of one scenario (name, seed,
 * duration), each a different shard of the same count, together covering every shard (unless partial
 * merges are allowed). A single whole-fleet report is accepted too (it counts as shard 1 of 1).
 */
import { decodeHistogram } from '../metrics/histogram.js';
import type { ActionReport, RunReport } from './types.js';

/**
 * `invalid-report`: a report is unreadable or not an ev-sim run report (exit 103 in the CLI);
 * `mismatch`: the reports do not belong together or shards are missing (a usage error, exit 2).
 */
export class MergeError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid-report' | 'mismatch',
  ) {
    super(message);
  }
}

/** A report to merge and the name it was given by (a file path). */
export interface MergeInput {
  file: string;
  report: RunReport;
}

/** The shard each input covers, in shard order. */
export interface ShardEntry {
  index: number;
  count: number;
  file: string;
  report: RunReport;
}

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function requireNumbers(obj: unknown, path: string, keys: readonly string[], fail: (why: string) => never): void {
  if (!isObject(obj)) fail(`${path} is missing`);
  for (const k of keys) if (!isNum(obj[k])) fail(`${path}.${k} is not a number`);
}

function checkActions(table: unknown, path: string, fail: (why: string) => never): void {
  if (!isObject(table)) fail(`${path} is missing`);
  for (const [name, a] of Object.entries(table)) {
    requireNumbers(a, `${path}.${name}`, ['count', 'timeouts', 'max'], fail);
    const action = a as unknown as ActionReport;
    if (!isObject(action.errors)) fail(`${path}.${name}.errors is missing`);
    if (typeof action.histogram !== 'string') fail(`${path}.${name}.histogram is missing`);
    try {
      decodeHistogram(action.histogram);
    } catch {
      fail(`${path}.${name}.histogram is not an encoded HdrHistogram`);
    }
  }
}

/**
 * The report parsed from one input file, checked for every field the merge reads; fields added to the
 * report after its first version get their empty values when absent.
 */
export function asRunReport(file: string, data: unknown): RunReport {
  const fail = (why: string): never => {
    throw new MergeError(`${file}: ${why}`, 'invalid-report');
  };
  if (!isObject(data) || !isObject(data.tool) || data.tool.name !== 'ev-sim') fail('not an ev-sim run report');
  const r = data as Json;
  if (r.schemaVersion !== 1) fail(`report schemaVersion ${String(r.schemaVersion)} is not supported (this ev-sim reads 1)`);
  if (!isObject(r.scenario) || typeof r.scenario.name !== 'string') fail('scenario is missing');
  requireNumbers(r.scenario, 'scenario', ['seed', 'durationMs'], fail);
  const run = r.run as Json | undefined;
  if (!isObject(run) || [run.startedAt, run.endedAt].some((t) => typeof t !== 'string' || Number.isNaN(Date.parse(t)))) {
    fail('run.startedAt / run.endedAt are not ISO times');
  }
  requireNumbers(r.run, 'run', ['simulatedMs'], fail);
  requireNumbers(r.stations, 'stations', ['planned', 'connectedPeak', 'bootAccepted', 'disconnects'], fail);
  requireNumbers(r.sessions, 'sessions', ['planned', 'started', 'completed', 'rejected', 'failed'], fail);
  requireNumbers(r.messages, 'messages', ['sent', 'received', 'errors', 'timeouts'], fail);
  if (!isNum(r.energyWh)) fail('energyWh is not a number');
  const stats = r.sessionStats as Json | undefined;
  for (const k of ['energyWh', 'pluggedMinutes', 'chargingMinutes']) requireNumbers(stats?.[k], `sessionStats.${k}`, ['mean', 'p50', 'p90', 'max'], fail);
  checkActions(r.latency, 'latency', fail);
  checkActions(r.incoming, 'incoming', fail);
  return {
    reconciliation: null, duplicates: null, shard: null, faults: [], thresholds: [], timeSeries: null, csms: null,
    ...r,
  } as unknown as RunReport;
}

const describe = (r: RunReport) =>
  `scenario "${r.scenario.name}" seed ${r.scenario.seed} duration ${r.scenario.durationMs} ms`;

function checkSameScenario(inputs: readonly MergeInput[]): void {
  const first = inputs[0];
  const faults = (r: RunReport) => JSON.stringify(r.faults.map((f) => [f.kind, f.atMs, f.durationMs]));
  for (const x of inputs.slice(1)) {
    if (describe(x.report) !== describe(first.report)) {
      throw new MergeError(`${x.file}: ${describe(x.report)} differs from ${first.file}: ${describe(first.report)}`, 'mismatch');
    }
    if (faults(x.report) !== faults(first.report)) {
      throw new MergeError(`${x.file}: its fault timeline differs from ${first.file}'s (not the same scenario)`, 'mismatch');
    }
  }
}

function entries(inputs: readonly MergeInput[]): ShardEntry[] {
  const unsharded = inputs.filter((x) => x.report.shard === null);
  if (unsharded.length > 0 && inputs.length > 1) {
    const names = unsharded.map((x) => x.file).join(', ');
    throw new MergeError(`${names}: not a shard report (a whole-fleet or merged report); only the shard reports of one fleet merge`, 'mismatch');
  }
  return inputs
    .map((x) => ({ index: x.report.shard?.index ?? 1, count: x.report.shard?.count ?? 1, file: x.file, report: x.report }))
    .sort((a, b) => a.index - b.index);
}

/**
 * The inputs as shards, after checking they belong together; `missing` lists the shards not given
 * ("2/4"), an error unless `allowPartial`.
 */
export function planShards(inputs: readonly MergeInput[], allowPartial: boolean): { shards: ShardEntry[]; missing: string[] } {
  if (inputs.length === 0) throw new MergeError('no reports to merge', 'mismatch');
  checkSameScenario(inputs);
  const shards = entries(inputs);
  const count = shards[0].count;
  const other = shards.find((s) => s.count !== count);
  if (other) throw new MergeError(`${other.file}: shard ${other.index}/${other.count}, but ${shards[0].file} is shard ${shards[0].index}/${count}`, 'mismatch');
  for (let i = 1; i < shards.length; i++) {
    if (shards[i].index === shards[i - 1].index) {
      throw new MergeError(`shard ${shards[i].index}/${count} given twice: ${shards[i - 1].file} and ${shards[i].file}`, 'mismatch');
    }
  }
  const have = new Set(shards.map((s) => s.index));
  const missing: string[] = [];
  for (let i = 1; i <= count; i++) if (!have.has(i)) missing.push(`${i}/${count}`);
  if (missing.length > 0 && !allowPartial) {
    throw new MergeError(`shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')} missing: give every shard's report, or --allow-partial`, 'mismatch');
  }
  return { shards, missing };
}
