/**
 * Every exit code ev-sim uses, in one place. These are a public interface: CI pipelines branch on them.
 * Documented in README.md ("Exit codes"); change them only on purpose, with a note in the changelog.
 */
export const EXIT = {
  /** The command did what was asked (for `run`: the scenario ran its full course). */
  OK: 0,
  /** An unexpected internal error (a bug in ev-sim); the message says what happened. */
  INTERNAL: 1,
  /** Bad command-line usage: unknown option, malformed flag value, missing argument. */
  USAGE: 2,
  /** `conformance`: one or more conformance cases failed (skipped cases do not count). */
  CONFORMANCE_FAILED: 98,
  /** One or more thresholds failed. */
  THRESHOLDS_FAILED: 99,
  /** A report given to `merge` or `report` is unreadable or not an ev-sim report; the message says which and why. */
  INVALID_REPORT: 103,
  /** The scenario file is invalid (every problem is printed as file:line:column path: message). */
  INVALID_SCENARIO: 104,
  /** The run was interrupted (Ctrl-C / SIGTERM); the partial report was written. */
  ABORTED: 105,
  /** The CSMS could not be reached: no station connected, or the embedded CSMS failed to start. */
  TARGET_UNREACHABLE: 106,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error that ends the command with a given exit code and a message for the user (no stack trace). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}
