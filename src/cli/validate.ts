import type { Command } from 'commander';
import { formatDuration } from '../scenario/duration.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { loadOrThrow } from './load.js';

export function registerValidate(program: Command, setExit: (code: ExitCode) => void): void {
  program
    .command('validate')
    .description('check a scenario file without running it (exit 104 if invalid)')
    .argument('<scenario>', 'scenario file (YAML)')
    .action(async (file: string) => {
      const { scenario, warnings } = await loadOrThrow(file);
      for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
      const target = scenario.target.url ?? 'embedded CSMS';
      const connectors = scenario.fleet.connectors.length;
      process.stdout.write(
        `${file}: valid — "${scenario.name}", ${scenario.fleet.stations} stations × ${connectors} connectors, ` +
          `duration ${formatDuration(scenario.durationMs)}, target ${target}\n`,
      );
      setExit(EXIT.OK);
    });
}
