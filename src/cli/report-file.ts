import { readFile } from 'node:fs/promises';
import type { RunReport } from '../report/types.js';
import { CliError, EXIT } from './exit-codes.js';

/** Reads an ev-sim JSON run report, or throws a CliError (103) saying what is wrong with it. */
export async function readRunReport(path: string): Promise<RunReport> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, EXIT.INVALID_REPORT);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${path}: not JSON (${(err as Error).message})`, EXIT.INVALID_REPORT);
  }
  const r = data as Partial<RunReport> | null;
  if (!r || typeof r !== 'object' || r.tool?.name !== 'ev-sim' || !r.scenario || !r.latency) {
    throw new CliError(`${path}: not an ev-sim run report`, EXIT.INVALID_REPORT);
  }
  if (r.schemaVersion !== 1) {
    throw new CliError(`${path}: report schemaVersion ${String(r.schemaVersion)} is not supported (this ev-sim reads 1)`, EXIT.INVALID_REPORT);
  }
  // Reports written before a field existed: give the additive fields their empty values.
  return { reconciliation: null, duplicates: null, shard: null, faults: [], thresholds: [], timeSeries: null, health: null, ...r } as RunReport;
}
