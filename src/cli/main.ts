import { Command, CommanderError } from 'commander';
import { CliError, EXIT, type ExitCode } from './exit-codes.js';
import { registerRun } from './run.js';
import { registerValidate } from './validate.js';
import { registerCsms } from './csms.js';
import { registerInit } from './init.js';
import { registerReport } from './report.js';
import { registerMerge } from './merge.js';
import { registerConformance } from './conformance.js';
import { TOOL_VERSION } from './version.js';

/** The only place that decides the process's exit code. */
async function main(argv: string[]): Promise<ExitCode> {
  let code: ExitCode = EXIT.OK;
  const setExit = (c: ExitCode) => (code = c);
  const program = new Command('ev-sim')
    .description('Load-test and conformance-test OCPP 1.6J charging back ends with fleets of virtual charge points')
    .version(TOOL_VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError('(run ev-sim --help for usage)');
  registerRun(program, setExit);
  registerValidate(program, setExit);
  registerCsms(program, setExit);
  registerInit(program, setExit);
  registerReport(program, setExit);
  registerMerge(program, setExit);
  registerConformance(program, setExit);
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    return exitCodeForError(err);
  }
}

function exitCodeForError(err: unknown): ExitCode {
  if (err instanceof CommanderError) {
    // --help and --version end through here with exit code 0.
    return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  }
  if (err instanceof CliError) {
    process.stderr.write(`${err.message}\n`);
    return err.exitCode;
  }
  process.stderr.write(`ev-sim: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return EXIT.INTERNAL;
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
    // A socket or child the run forgot to close must not keep a finished command alive.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (err) => {
    process.stderr.write(`ev-sim: ${String(err)}\n`);
    process.exitCode = EXIT.INTERNAL;
  },
);
