import type { Command } from 'commander';
import { defaultReportPath } from '../report/json.js';
import { mergeReports } from '../report/merge.js';
import { asRunReport, MergeError, type MergeInput } from '../report/merge-validate.js';
import { CliError, EXIT, type ExitCode } from './exit-codes.js';
import { writeOutputs, type OutputFlags } from './outputs.js';
import { readRunReport } from './report-file.js';
import { exitCodeFor } from './run-finish.js';
import { TOOL_VERSION } from './version.js';

interface MergeFlags extends OutputFlags {
  out?: string;
  allowPartial?: boolean;
}

export function registerMerge(program: Command, setExit: (code: ExitCode) => void): void {
  program
    .command('merge')
    .description('combine the JSON reports of the shards of a run (run --shard i/n) into one report')
    .argument('<reports...>', 'the shard reports (JSON), one per shard')
    .option('--out <file>', 'merged JSON report path (default reports/<scenario>-merged-<timestamp>.json)')
    .option('--junit <file>', 'also write JUnit XML (thresholds and finding categories as test cases)')
    .option('--html <file>', 'also write a self-contained HTML report')
    .option('--allow-partial', 'merge the shards given even if some are missing (the report is marked partial: exit 105)')
    .option('--no-color', 'no colours in the summary (NO_COLOR is honoured too)')
    .action(async (files: string[], flags: MergeFlags) => setExit(await mergeCommand(files, flags)));
}

async function mergeCommand(files: string[], flags: MergeFlags): Promise<ExitCode> {
  const inputs: MergeInput[] = [];
  for (const file of files) inputs.push({ file, report: checked(file, await readRunReport(file)) });
  const report = withCliErrors(() => mergeReports(inputs, { allowPartial: Boolean(flags.allowPartial), toolVersion: TOOL_VERSION }));
  for (const note of report.mergeNotes ?? []) process.stderr.write(`note: ${note}\n`);
  const jsonPath = flags.out ?? defaultReportPath('reports', `${report.scenario.name}-merged`, new Date(report.run.startedAt));
  await writeOutputs(report, jsonPath, flags);
  return exitCodeFor(report);
}

function checked(file: string, data: unknown): MergeInput['report'] {
  return withCliErrors(() => asRunReport(file, data));
}

/** MergeError → exit 103 (a report is not usable) or 2 (the reports do not belong together). */
function withCliErrors<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (!(err instanceof MergeError)) throw err;
    throw new CliError(err.message, err.kind === 'invalid-report' ? EXIT.INVALID_REPORT : EXIT.USAGE);
  }
}
