/**
 * Writing the JSON run report.
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { RunReport } from './types.js';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYYMMDD-HHMMSS` in UTC. */
export function reportTimestamp(date: Date): string {
  const day = `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}`;
  const time = `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
  return `${day}-${time}`;
}

/** A scenario name made safe for a file name (letters, digits, '.', '_' and '-'). */
export function fileSafeName(name: string): string {
  const safe = name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '');
  return safe === '' ? 'run' : safe;
}

/** `<dir>/<scenario>-<YYYYMMDD-HHMMSS>.json` (UTC timestamp). */
export function defaultReportPath(dir: string, scenarioName: string, date: Date): string {
  return join(dir, `${fileSafeName(scenarioName)}-${reportTimestamp(date)}.json`);
}

/**
 * Writes the report as pretty JSON. Creates the directory; writes a temporary file beside the target
 * and renames it into place, so a reader never sees a half-written report.
 */
export async function writeJsonReport(path: string, report: RunReport): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmpDir = await mkdtemp(join(dir, `.${basename(path)}-`));
  try {
    const tmp = join(tmpDir, 'report.json');
    await writeFile(tmp, `${JSON.stringify(report, null, 2)}\n`, 'utf8');
    await rename(tmp, path);
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
}
