import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeReports } from '../report/merge.js';
import type { MergeInput } from '../report/merge-validate.js';
import type { RunReport } from '../report/types.js';
import type { Target } from './embedded.js';
import { readRunReport } from './report-file.js';
import { TOOL_VERSION } from './version.js';

const BIN = fileURLToPath(new URL('../../bin/ev-sim.js', import.meta.url));

export interface WorkerRun {
  file: string;
  workers: number;
  target: Target;
  /** Flags every worker gets as they are (overrides, quiet). */
  passThrough: string[];
  ledgerUrl: string | null;
}

/**
 * `run --workers n`: the fleet split into n shards, each in its own ev-sim process (its own event loop
 * and core), all against one target; the parent merges their reports exactly as `ev-sim merge` does.
 * Workers run in their own process group; the parent passes each SIGINT/SIGTERM on to them, so the first
 * Ctrl-C makes every worker finish gracefully and write its partial report, and a second stops them.
 */
export async function runInWorkers(w: WorkerRun): Promise<RunReport> {
  const dir = mkdtempSync(join(tmpdir(), 'ev-sim-workers-'));
  const children: ChildProcess[] = [];
  const forward = (signal: NodeJS.Signals) => {
    for (const c of children) if (c.exitCode === null) c.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  try {
    const outs = Array.from({ length: w.workers }, (_, i) => join(dir, `shard-${i + 1}.json`));
    await Promise.all(outs.map((out, i) => runWorker(w, i + 1, out, children)));
    const inputs: MergeInput[] = [];
    for (const out of outs) if (existsSync(out)) inputs.push({ file: out, report: await readRunReport(out) });
    if (inputs.length === 0) throw new Error('no worker wrote a report');
    const merged = mergeReports(inputs, { allowPartial: inputs.length < w.workers, toolVersion: TOOL_VERSION });
    merged.target = { url: w.target.url, embedded: w.target.embedded };
    merged.csms = await w.target.stats();
    delete merged.merged;
    merged.mergeNotes = [`ran in ${w.workers} worker processes`, ...(merged.mergeNotes ?? [])];
    return merged;
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
    rmSync(dir, { recursive: true, force: true });
  }
}

function runWorker(w: WorkerRun, index: number, out: string, children: ChildProcess[]): Promise<number | null> {
  const args = [BIN, 'run', w.file, '--csms', w.target.url, '--shard', `${index}/${w.workers}`, '--out', out, ...w.passThrough];
  if (w.ledgerUrl) args.push('--ledger', w.ledgerUrl);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  children.push(child);
  let pending = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line) process.stderr.write(`[worker ${index}] ${line}\n`);
  });
  return new Promise((resolve) => child.on('close', (code) => resolve(code)));
}
