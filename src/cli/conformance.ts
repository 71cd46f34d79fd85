import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { Chalk } from 'chalk';
import { caseIds, UnknownCaseError } from '../conformance/catalogue.js';
import { runConformance } from '../conformance/run.js';
import type { ConformanceOptions, ConformanceResult, Verdict } from '../conformance/types.js';
import { startCsms, type CsmsHandle } from '../csms/server.js';
import { conformanceToJUnit, renderJUnit } from '../report/junit.js';
import { reportTimestamp } from '../report/json.js';
import { CliError, EXIT, type ExitCode } from './exit-codes.js';
import { colorEnabled } from './terminal.js';
import { TOOL_VERSION } from './version.js';

/** The idTag the embedded CSMS is started with (and the suite uses) when --id-tag is not given. */
export const EMBEDDED_ID_TAG = 'EVSIM-TAG-0001';

interface ConformanceFlags {
  csms?: string;
  only?: string;
  junit?: string;
  out?: string;
  idTag?: string;
  unknownIdTag?: string;
  ledger?: string;
  seed?: string;
  callTimeout?: string;
  list?: boolean;
  color?: boolean;
}

export function registerConformance(program: Command, setExit: (code: ExitCode) => void): void {
  program
    .command('conformance')
    .description('check a CSMS against the OCPP 1.6J conformance cases (ev-sim\'s embedded CSMS unless --csms is given); exit 98 if any fails')
    .option('--csms <ws-url>', 'CSMS WebSocket URL; each station connects to <url>/<identity>')
    .option('--only <ids>', 'comma-separated case ids to run (see --list)')
    .option('--junit <file>', 'also write a JUnit XML report')
    .option('--out <file>', 'JSON result path (default reports/conformance-<timestamp>.json)')
    .option('--id-tag <tag>', `an idTag the CSMS accepts (embedded CSMS: ${EMBEDDED_ID_TAG}); without one, cases that need it are skipped`)
    .option('--unknown-id-tag <tag>', 'an idTag the CSMS does not know (default: a random EVSIM-UNK-… tag)')
    .option('--ledger <http-url>', 'URL of the CSMS\'s transaction list (JSON as GET /transactions of ev-sim csms)')
    .option('--seed <n>', 'seed of station identities (default: random, printed in the result)')
    .option('--call-timeout <s>', 'seconds to wait for any one reply', '10')
    .option('--list', 'list the case ids and exit')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .action(async (flags: ConformanceFlags) => setExit(await conformanceCommand(flags)));
}

async function conformanceCommand(flags: ConformanceFlags): Promise<ExitCode> {
  if (flags.list) {
    process.stdout.write(`${caseIds().join('\n')}\n`);
    return EXIT.OK;
  }
  const options = optionsFrom(flags);
  const embedded = flags.csms ? null : await startEmbedded(options.idTag ?? EMBEDDED_ID_TAG);
  try {
    // The embedded CSMS's own ledger lets the duplicate cases judge what it stored, not only its replies.
    if (embedded) Object.assign(options, { csmsUrl: embedded.url, idTag: options.idTag ?? EMBEDDED_ID_TAG, ledgerUrl: options.ledgerUrl ?? `${embedded.httpUrl}/transactions` });
    process.stderr.write(`ev-sim ${TOOL_VERSION}: conformance → ${options.csmsUrl}${embedded ? ' (embedded CSMS)' : ''}\n`);
    const result = await runConformance(options).catch((err: unknown) => {
      if (err instanceof UnknownCaseError) throw new CliError(`--only: ${err.message}`, EXIT.USAGE);
      throw err;
    });
    await writeOutputs(result, flags);
    return result.cases.some((c) => c.verdict === 'fail') ? EXIT.CONFORMANCE_FAILED : EXIT.OK;
  } finally {
    await embedded?.close();
  }
}

function optionsFrom(flags: ConformanceFlags): ConformanceOptions {
  if (flags.csms !== undefined && !/^wss?:\/\//.test(flags.csms)) throw new CliError(`--csms: "${flags.csms}" is not a ws:// or wss:// URL`, EXIT.USAGE);
  if (flags.ledger !== undefined && !/^https?:\/\//.test(flags.ledger)) throw new CliError(`--ledger: "${flags.ledger}" is not an http:// or https:// URL`, EXIT.USAGE);
  const only = flags.only?.split(',').map((s) => s.trim()).filter(Boolean);
  return {
    csmsUrl: flags.csms ?? '',
    only,
    idTag: flags.idTag,
    unknownIdTag: flags.unknownIdTag,
    ledgerUrl: flags.ledger,
    seed: flags.seed === undefined ? undefined : integerFlag('--seed', flags.seed, 0),
    callTimeoutMs: Math.round(numberFlag('--call-timeout', flags.callTimeout ?? '10') * 1000),
  };
}

function integerFlag(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new CliError(`${name}: "${value}" is not an integer >= ${min}`, EXIT.USAGE);
  return n;
}

function numberFlag(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`${name}: "${value}" is not a positive number`, EXIT.USAGE);
  return n;
}

async function startEmbedded(idTag: string): Promise<CsmsHandle> {
  return startCsms({ host: '127.0.0.1', port: 0, acceptedIdTags: [idTag] }).catch((err: Error) => {
    throw new CliError(`the embedded CSMS did not start: ${err.message}`, EXIT.TARGET_UNREACHABLE);
  });
}

async function writeOutputs(result: ConformanceResult, flags: ConformanceFlags): Promise<void> {
  const jsonPath = flags.out ?? join('reports', `conformance-${reportTimestamp(new Date(result.startedAt))}.json`);
  await writeText(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
  if (flags.junit) await writeText(flags.junit, renderJUnit(conformanceToJUnit(result)));
  const color = colorEnabled(process.stdout, flags.color);
  process.stdout.write(renderConformanceLines(result, color));
  process.stdout.write(`report: ${jsonPath}${flags.junit ? `, JUnit: ${flags.junit}` : ''}\n`);
}

async function writeText(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text, 'utf8');
}

const MARKS: Record<Verdict, { fancy: string; plain: string }> = {
  pass: { fancy: '✔', plain: '[pass]' },
  fail: { fancy: '✖', plain: '[FAIL]' },
  skipped: { fancy: '–', plain: '[skip]' },
};

/**
 * One line per case (mark, id, title; the reason below failed and skipped cases) and a total line.
 * Without colour the marks are plain ASCII.
 */
export function renderConformanceLines(result: ConformanceResult, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const paint: Record<Verdict, (s: string) => string> = { pass: c.green, fail: c.red, skipped: c.yellow };
  const width = Math.max(...result.cases.map((k) => k.id.length), 0);
  const lines = result.cases.map((k) => {
    const mark = color ? MARKS[k.verdict].fancy : MARKS[k.verdict].plain;
    const line = `${paint[k.verdict](mark)} ${k.id.padEnd(width)}  ${c.dim(k.title)}`;
    return k.verdict === 'pass' ? line : `${line}\n    ${paint[k.verdict](k.reason)}`;
  });
  const count = (v: Verdict) => result.cases.filter((k) => k.verdict === v).length;
  const failed = count('fail');
  const total = `${result.cases.length} cases: ${count('pass')} passed, ${failed} failed, ${count('skipped')} skipped in ${(result.durationMs / 1000).toFixed(1)} s (seed ${result.seed})`;
  return `${lines.join('\n')}\n${failed > 0 ? c.red(total) : c.green(total)}\n`;
}
