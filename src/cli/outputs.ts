import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { renderHtmlReport } from '../report/html.js';
import { writeJsonReport } from '../report/json.js';
import { renderSummary } from '../report/summary.js';
import type { RunReport } from '../report/types.js';
import { colorEnabled, terminalWidth } from './terminal.js';

export interface OutputFlags {
  junit?: string;
  html?: string;
  color?: boolean;
}

/** Writes the report's files (JSON always; JUnit and HTML when asked) and prints the summary. */
export async function writeOutputs(report: RunReport, jsonPath: string | null, flags: OutputFlags): Promise<void> {
  if (jsonPath) await writeJsonReport(jsonPath, report);
  if (flags.html) await writeText(flags.html, renderHtmlReport(report));
  if (flags.junit) {
    const { runReportToJUnit } = await import('../report/junit-run.js');
    await writeText(flags.junit, runReportToJUnit(report));
  }
  const color = colorEnabled(process.stdout, flags.color);
  process.stdout.write(renderSummary(report, { color, width: terminalWidth(process.stdout), reportPath: jsonPath ?? undefined }));
  for (const [what, path] of [['HTML report', flags.html], ['JUnit XML', flags.junit]] as const) {
    if (path) process.stdout.write(`${what.padEnd(12)}${path}\n`);
  }
}

export async function writeText(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text, 'utf8');
}
