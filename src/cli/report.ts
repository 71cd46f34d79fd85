import type { Command } from 'commander';
import { EXIT, type ExitCode } from './exit-codes.js';
import { writeOutputs, type OutputFlags } from './outputs.js';
import { readRunReport } from './report-file.js';

export function registerReport(program: Command, setExit: (code: ExitCode) => void): void {
  program
    .command('report')
    .description('turn a JSON run report into HTML and/or JUnit XML, and print its summary')
    .argument('<report.json>', 'a JSON report written by ev-sim run or ev-sim merge')
    .option('--html <file>', 'write a self-contained HTML report')
    .option('--junit <file>', 'write JUnit XML')
    .option('--no-color', 'no colours in the summary')
    .action(async (file: string, flags: OutputFlags) => {
      const report = await readRunReport(file);
      await writeOutputs(report, null, flags);
      setExit(EXIT.OK);
    });
}
