/**
 * `ev-sim merge`: the reports of n shards of one scenario (`run --shard i/n`) combined into one report
 * of the whole fleet. Latency, per-session and time-to-reconcile statistics merge losslessly from the
 * encoded histograms; counts add up; findings are unioned; thresholds are evaluated again on the merged
 * figures. Where a merged figure cannot be exact, `mergeNotes` says so.
 */
import { evaluateThresholds, parseThreshold, type Threshold } from '../metrics/thresholds.js';
import { mergeFindings } from './merge-findings.js';
import { mergeTimeSeries } from './merge-series.js';
import { mergeActionTables, mergeDistribution, sumRecords, type Notes } from './merge-stats.js';
import { planShards, type MergeInput, type ShardEntry } from './merge-validate.js';
import { mergeHealth } from '../metrics/health.js';
import { decodeHistogram, encodeHistogram, latencyStats, mergeHistograms } from '../metrics/histogram.js';
import type { RunReport, SessionStatsReport } from './types.js';

export interface MergeOptions {
  /** Merge what is there when shards are missing, and mark the report partial; default false. */
  allowPartial?: boolean;
  /** `tool.version` of the merged report; default the first shard's. */
  toolVersion?: string;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const label = (s: ShardEntry) => `${s.index}/${s.count}`;

/** Field-by-field sums of records with the same numeric fields. */
function sumFields<T extends object>(list: readonly T[]): T {
  const out = { ...list[0] } as Record<string, number>;
  for (const key of Object.keys(out)) out[key] = list.reduce((n, x) => n + ((x as Record<string, number>)[key] ?? 0), 0);
  return out as T;
}

function partialOf(shards: readonly ShardEntry[], missing: readonly string[]): Pick<RunReport, 'partial' | 'partialReason'> {
  const reasons = shards.filter((s) => s.report.partial).map((s) => `shard ${label(s)}: ${s.report.partialReason ?? 'partial'}`);
  if (missing.length > 0) reasons.push(`shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')} missing`);
  return { partial: reasons.length > 0, partialReason: reasons.length > 0 ? reasons.join('; ') : null };
}

function runOf(reports: readonly RunReport[]): RunReport['run'] {
  const started = Math.min(...reports.map((r) => Date.parse(r.run.startedAt)));
  const ended = Math.max(...reports.map((r) => Date.parse(r.run.endedAt)));
  return {
    startedAt: new Date(started).toISOString(),
    endedAt: new Date(ended).toISOString(),
    wallMs: Math.max(0, ended - started),
    simulatedMs: Math.max(...reports.map((r) => r.run.simulatedMs)),
  };
}

function targetOf(reports: readonly RunReport[], notes: Notes): RunReport['target'] {
  const urls = [...new Set(reports.map((r) => r.target.url))];
  if (urls.length > 1) notes.push(`target.url: the shards ran against ${urls.length} different URLs; the first shard's is shown`);
  return { url: reports[0].target.url, embedded: reports.every((r) => r.target.embedded) };
}

function sessionStatsOf(reports: readonly RunReport[], notes: Notes): SessionStatsReport {
  const field = (name: 'energyWh' | 'pluggedMinutes' | 'chargingMinutes') =>
    mergeDistribution(name, reports.map((r) => ({ distribution: r.sessionStats[name], weight: r.sessions.completed })), notes);
  return {
    energyWh: field('energyWh'),
    pluggedMinutes: field('pluggedMinutes'),
    chargingMinutes: field('chargingMinutes'),
    vehicles: sumRecords(reports.map((r) => r.sessionStats.vehicles)),
  };
}

function csmsOf(reports: readonly RunReport[]): RunReport['csms'] {
  const found = reports.flatMap((r) => (r.csms === null ? [] : [r.csms]));
  return found.length === 0 ? null : { schemaViolations: found.reduce((n, c) => n + c.schemaViolations, 0) };
}

/** Every threshold expression of the inputs (first appearance order), evaluated on the merged report. */
function thresholdsOf(reports: readonly RunReport[], merged: RunReport, notes: Notes): RunReport['thresholds'] {
  const expressions = [...new Set(reports.flatMap((r) => r.thresholds.map((t) => t.expression)))];
  const parsed: Threshold[] = [];
  for (const e of expressions) {
    const t = parseThreshold(e);
    if ('error' in t) notes.push(`thresholds: ${t.error} (not evaluated)`);
    else parsed.push(t);
  }
  return evaluateThresholds(parsed, merged);
}

/** Notes that hold for every merge of several shards. */
function standingNotes(shards: readonly ShardEntry[], merged: RunReport): Notes {
  if (shards.length < 2) return [];
  const notes = ["stations.connectedPeak is the sum of the shards' peaks (an upper bound: shards may peak at different times)"];
  if (merged.timeSeries !== null) notes.push("timeSeries p95Ms is the highest of the shards' p95s per interval (an upper bound of the fleet's p95)");
  return notes;
}

/** Whether transactionIds of different shards come from one CSMS (each shard's embedded CSMS has its own). */
function sharedCsms(reports: readonly RunReport[], notes: Notes): boolean {
  if (reports.length < 2 || !reports.some((r) => r.target.embedded)) return true;
  notes.push('duplicates: transactionIds are not compared across shards: each shard ran its own embedded CSMS');
  return false;
}

/** Merges shard reports (see MergeError for what is refused). */
export function mergeReports(inputs: readonly MergeInput[], opts: MergeOptions = {}): RunReport {
  const { shards, missing } = planShards(inputs, opts.allowPartial ?? false);
  const reports = shards.map((s) => s.report);
  const notes: Notes = [];
  const findingParts = shards.map((s) => ({ label: label(s), reconciliation: s.report.reconciliation, duplicates: s.report.duplicates }));
  const merged: RunReport = {
    schemaVersion: 1,
    tool: { name: 'ev-sim', version: opts.toolVersion ?? reports[0].tool.version },
    ...partialOf(shards, missing),
    scenario: { ...reports[0].scenario },
    target: targetOf(reports, notes),
    run: runOf(reports),
    stations: sumFields(reports.map((r) => r.stations)),
    sessions: sumFields(reports.map((r) => r.sessions)),
    energyWh: round3(reports.reduce((n, r) => n + r.energyWh, 0)),
    sessionStats: sessionStatsOf(reports, notes),
    messages: sumFields(reports.map((r) => r.messages)),
    latency: mergeActionTables(reports.map((r) => r.latency)),
    incoming: mergeActionTables(reports.map((r) => r.incoming)),
    csms: csmsOf(reports),
    ...mergeFindings(findingParts, notes, sharedCsms(reports, notes)),
    shard: null,
    faults: reports[0].faults.map((f) => ({ ...f })),
    thresholds: [],
    timeSeries: mergeTimeSeries(reports.map((r) => r.timeSeries)),
    health: mergeHealth(reports.map((r) => r.health), mergeEncoded),
    merged: { shards: shards.map((s) => ({ index: s.index, count: s.count, file: s.file })) },
  };
  merged.thresholds = thresholdsOf(reports, merged, notes);
  merged.mergeNotes = [...new Set([...standingNotes(shards, merged), ...notes])];
  return merged;
}

/** Statistics of several encoded histograms merged losslessly. */
function mergeEncoded(encoded: string[]) {
  const merged = mergeHistograms(encoded.map(decodeHistogram));
  return { ...latencyStats(merged), histogram: encodeHistogram(merged) };
}
