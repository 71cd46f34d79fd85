import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STARTER_SCENARIO } from '../scenario/starter.js';
import { CliError, EXIT, type ExitCode } from './exit-codes.js';

const SCHEMA_PATH = fileURLToPath(new URL('../../scenarios/scenario.schema.json', import.meta.url));
const MODELINE = /^# yaml-language-server: \$schema=.*$/m;

export function registerInit(program: Command, setExit: (code: ExitCode) => void): void {
  program
    .command('init')
    .description('write a commented starter scenario (default scenario.yaml)')
    .argument('[file]', 'where to write it', 'scenario.yaml')
    .option('-f, --force', 'overwrite the file if it exists')
    .action(async (file: string, flags: { force?: boolean }) => {
      if (existsSync(file) && !flags.force) {
        throw new CliError(`${file} already exists (use --force to overwrite)`, EXIT.USAGE);
      }
      await writeFile(file, withSchemaPath(STARTER_SCENARIO, file), 'utf8');
      process.stdout.write(`wrote ${file}; run it with: npx ev-sim run ${file}\n`);
      setExit(EXIT.OK);
    });
}

/** Points the YAML language server's modeline at ev-sim's schema, relative to the new file. */
function withSchemaPath(text: string, file: string): string {
  let rel = relative(dirname(resolve(file)), SCHEMA_PATH).split('\\').join('/');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  const line = `# yaml-language-server: $schema=${rel}`;
  return MODELINE.test(text) ? text.replace(MODELINE, line) : `${line}\n${text}`;
}
