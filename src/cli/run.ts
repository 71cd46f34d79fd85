import type { Command } from 'commander';
import type { Scenario } from '../scenario/types.js';
import { defaultReportPath } from '../report/json.js';
import { parseShard, type Shard } from '../fleet/shard.js';
import { CliError, EXIT, type ExitCode } from './exit-codes.js';
import { loadOrThrow } from './load.js';
import { applyOverrides, type RunFlags } from './overrides.js';
import { startEmbeddedCsms, externalTarget, type Target } from './embedded.js';
import { runInWorkers } from './workers.js';
import { executeRun } from './run-exec.js';
import { exitCodeFor, finishRun } from './run-finish.js';
import { writeOutputs, type OutputFlags } from './outputs.js';
import { TOOL_VERSION } from './version.js';
import { createTraceWriter } from './trace.js';

interface RunCliFlags extends RunFlags, OutputFlags {
  shard?: string;
  workers: string;
  trace?: string;
  traceOut?: string;
  quiet?: boolean;
}

export function registerRun(program: Command, setExit: (code: ExitCode) => void): void {
  program
    .command('run')
    .description('run a scenario against a CSMS (ev-sim\'s embedded CSMS unless a target is given)')
    .argument('<scenario>', 'scenario file (YAML)')
    .option('--csms <ws-url>', 'CSMS WebSocket URL; overrides target.url (identity is appended)')
    .option('--out <file>', 'JSON report path (default reports/<scenario>-<timestamp>.json)')
    .option('--junit <file>', 'also write JUnit XML (thresholds and finding categories as test cases)')
    .option('--html <file>', 'also write a self-contained HTML report')
    .option('--seed <n>', 'random seed; overrides the scenario\'s seed')
    .option('--stations <n>', 'number of stations; overrides fleet.stations')
    .option('--duration <time>', 'how long sessions may start, e.g. 90s, 5m; overrides duration')
    .option('--trace <identity>', 'write every CALL of one station, meter readings spelled out, to a CSV file')
    .option('--trace-out <file>', 'where --trace writes (default reports/<scenario>-<identity>-trace.csv)')
    .option('--ledger <http-url>', 'the CSMS\'s transaction list (JSON) to reconcile against; overrides ledger.url')
    .option('--workers <n>', 'split the fleet over n ev-sim processes (one core each) and merge their reports', '1')
    .option('--shard <i/n>', 'run only the i-th of n deterministic slices of the fleet (1-based)')
    .option('-q, --quiet', 'no progress on stderr')
    .option('--no-color', 'no colours in the summary (NO_COLOR is honoured too)')
    .action(async (file: string, flags: RunCliFlags) => setExit(await runCommand(file, flags)));
}

async function runCommand(file: string, flags: RunCliFlags): Promise<ExitCode> {
  const loaded = await loadOrThrow(file);
  for (const w of loaded.warnings) process.stderr.write(`warning: ${w}\n`);
  const scenario = applyOverrides(loaded.scenario, flags);
  const shard = shardFlag(flags.shard);
  const password = readPassword(scenario);
  const workers = workersFlag(flags, shard);
  const target = scenario.target.url ? externalTarget(scenario.target.url) : await startEmbeddedCsms(scenario);
  try {
    if (workers > 1) return await runWorkers(file, scenario, flags, target, workers);
    const share = shard ? ` (shard ${shard.index}/${shard.count})` : '';
    process.stderr.write(
      `ev-sim ${TOOL_VERSION}: ${scenario.name}, ${scenario.fleet.stations} stations${share} → ${target.url}` +
        `${target.embedded ? ' (embedded CSMS)' : ''}\n`,
    );
    const trace = flags.trace ? await createTraceWriter(flags.traceOut ?? `reports/${scenario.name}-${flags.trace}-trace.csv`) : null;
    const ran = await executeRun(scenario, target, password, shard, Boolean(flags.quiet), trace && flags.trace ? { identity: flags.trace, write: trace.write } : undefined);
    await trace?.close();
    if (flags.trace) process.stderr.write(`trace of ${flags.trace}: ${flags.traceOut ?? `reports/${scenario.name}-${flags.trace}-trace.csv`}\n`);
    const report = await finishRun(file, scenario, target, shard, ran);
    const jsonPath = flags.out ?? defaultReportPath('reports', reportName(scenario, shard), ran.outcome.startedAt);
    await writeOutputs(report, jsonPath, flags);
    return exitCodeFor(report);
  } finally {
    await target.close();
  }
}

async function runWorkers(file: string, scenario: Scenario, flags: RunCliFlags, target: Target, workers: number): Promise<ExitCode> {
  process.stderr.write(`ev-sim ${TOOL_VERSION}: ${scenario.name}, ${scenario.fleet.stations} stations in ${workers} workers → ${target.url}\n`);
  const passThrough: string[] = [];
  for (const name of ['seed', 'stations', 'duration'] as const) if (flags[name] !== undefined) passThrough.push(`--${name}`, String(flags[name]));
  if (flags.quiet) passThrough.push('--quiet');
  const ledgerUrl = flags.ledger ?? (scenario.ledger?.url || (target.httpUrl ? `${target.httpUrl}/transactions` : null));
  const report = await runInWorkers({ file, workers, target, passThrough, ledgerUrl });
  const jsonPath = flags.out ?? defaultReportPath('reports', scenario.name, new Date(report.run.startedAt));
  await writeOutputs(report, jsonPath, flags);
  return exitCodeFor(report);
}

function workersFlag(flags: RunCliFlags, shard: Shard | null): number {
  const n = Number(flags.workers);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new CliError(`--workers: "${flags.workers}" is not an integer from 1 to 64`, EXIT.USAGE);
  if (n > 1 && (shard || flags.trace)) throw new CliError('--workers cannot be combined with --shard or --trace', EXIT.USAGE);
  return n;
}

function reportName(scenario: Scenario, shard: Shard | null): string {
  return shard ? `${scenario.name}-shard${shard.index}of${shard.count}` : scenario.name;
}

function shardFlag(text: string | undefined): Shard | null {
  if (text === undefined) return null;
  const shard = parseShard(text);
  if ('error' in shard) throw new CliError(`--shard: ${shard.error}`, EXIT.USAGE);
  return shard;
}

function readPassword(scenario: Scenario): string | null {
  const name = scenario.target.passwordEnv;
  if (!name) return null;
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new CliError(`target.passwordEnv names ${name}, but that environment variable is not set`, EXIT.INVALID_SCENARIO);
  }
  return value;
}
