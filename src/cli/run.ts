import type { Command } from 'commander';
import { runScenario } from '../api.js';
import { createMetrics } from '../metrics/collector.js';
import { buildReport } from '../report/build.js';
import { defaultReportPath, writeJsonReport } from '../report/json.js';
import { renderSummary } from '../report/summary.js';
import type { RunReport } from '../report/types.js';
import type { Scenario } from '../scenario/types.js';
import { CliError, EXIT, type ExitCode } from './exit-codes.js';
import { loadOrThrow } from './load.js';
import { applyOverrides, type RunFlags } from './overrides.js';
import { startEmbeddedCsms, type Target, externalTarget } from './embedded.js';
import { startProgress } from './progress.js';
import { colorEnabled, terminalWidth } from './terminal.js';
import { interruptOnSignals } from './signals.js';
import { TOOL_VERSION } from './version.js';
import { parseShard, shardIndices, type Shard } from '../fleet/shard.js';

interface RunCliFlags extends RunFlags {
  shard?: string;
  quiet?: boolean;
  color?: boolean;
}

export function registerRun(program: Command, setExit: (code: ExitCode) => void): void {
  program
    .command('run')
    .description('run a scenario against a CSMS (ev-sim\'s embedded CSMS unless a target is given)')
    .argument('<scenario>', 'scenario file (YAML)')
    .option('--csms <ws-url>', 'CSMS WebSocket URL; overrides target.url (identity is appended)')
    .option('--out <file>', 'JSON report path (default reports/<scenario>-<timestamp>.json)')
    .option('--seed <n>', 'random seed; overrides the scenario\'s seed')
    .option('--stations <n>', 'number of stations; overrides fleet.stations')
    .option('--duration <time>', 'how long sessions may start, e.g. 90s, 5m; overrides duration')
    .option('--shard <i/n>', 'run only the i-th of n deterministic slices of the fleet (1-based)')
    .option('-q, --quiet', 'no progress lines on stderr')
    .option('--no-color', 'no colours in the summary (NO_COLOR is honoured too)')
    .action(async (file: string, flags: RunCliFlags) => setExit(await runCommand(file, flags)));
}

async function runCommand(file: string, flags: RunCliFlags): Promise<ExitCode> {
  const loaded = await loadOrThrow(file);
  for (const w of loaded.warnings) process.stderr.write(`warning: ${w}\n`);
  const scenario = applyOverrides(loaded.scenario, flags);
  const password = readPassword(scenario);
  const target = scenario.target.url ? externalTarget(scenario.target.url) : await startEmbeddedCsms(scenario);
  try {
    return await runAgainst(file, scenario, flags, target, password);
  } finally {
    await target.close();
  }
}

async function runAgainst(file: string, scenario: Scenario, flags: RunCliFlags, target: Target, password: string | null): Promise<ExitCode> {
  const shard = shardFlag(flags.shard);
  const metrics = createMetrics();
  const interrupt = interruptOnSignals((msg) => process.stderr.write(msg));
  const stations = shardIndices(scenario.fleet.stations, shard).length;
  const progress = flags.quiet ? null : startProgress(metrics, scenario, stations, process.stderr);
  process.stderr.write(`ev-sim ${TOOL_VERSION}: ${scenario.name}, ${scenario.fleet.stations} stations → ${target.url}${target.embedded ? ' (embedded CSMS)' : ''}\n`);
  try {
    const outcome = await runScenario(scenario, { targetUrl: target.url, password, observer: metrics, signal: interrupt.signal, shard });
    progress?.stop();
    const report = buildReport({
      metrics,
      scenario,
      scenarioFile: file,
      targetUrl: target.url,
      embedded: target.embedded,
      plannedSessions: outcome.plannedSessions,
      plannedStations: outcome.plannedStations,
      startedAt: outcome.startedAt,
      endedAt: outcome.endedAt,
      simulatedMs: outcome.simulatedMs,
      partialReason: outcome.partialReason,
      csms: await target.stats(),
      toolVersion: TOOL_VERSION,
    });
    const reportPath = flags.out ?? defaultReportPath('reports', scenario.name, outcome.startedAt);
    await writeJsonReport(reportPath, report);
    const color = colorEnabled(process.stdout, flags.color);
    process.stdout.write(renderSummary(report, { color, width: terminalWidth(process.stdout), reportPath }));
    return exitCodeFor(report);
  } finally {
    progress?.stop();
    interrupt.dispose();
  }
}

function exitCodeFor(report: RunReport): ExitCode {
  if (report.partial) return EXIT.ABORTED;
  if (report.stations.planned > 0 && report.stations.connectedPeak === 0) {
    process.stderr.write(`error: no station could connect to ${report.target.url}\n`);
    return EXIT.TARGET_UNREACHABLE;
  }
  return EXIT.OK;
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
