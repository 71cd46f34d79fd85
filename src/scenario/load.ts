import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, type Document, type YAMLError } from 'yaml';
import type { ValidateFunction } from 'ajv';
import type { Scenario } from './types.js';
import type { ScenarioFile } from './raw.js';
import { formatScenarioError, type ScenarioError } from './errors.js';
import { formatPath, type Issue } from './issues.js';
import { locateIssue } from './locate.js';
import { compileScenarioSchema } from './schema.js';
import { schemaIssues } from './schema-issues.js';
import { semanticIssues } from './checks.js';
import { normaliseScenario } from './normalise.js';
import { scenarioWarnings } from './warnings.js';
import { BUILTIN_VEHICLES } from '../meter/vehicles.js';

export type ScenarioResult =
  | { ok: true; scenario: Scenario; warnings: string[] }
  | { ok: false; errors: ScenarioError[] };

let validator: ValidateFunction | undefined;

/** Compiled once per process: the schema is fixed, and compiling is the slow part of validation. */
function validate(data: unknown): Issue[] {
  validator ??= compileScenarioSchema();
  return validator(data) ? [] : schemaIssues(validator.errors ?? []);
}

/**
 * Parses, validates and normalises a scenario. Every problem is collected and returned at once, each
 * with its line and column in `text`; `file` only labels them.
 */
export function parseScenario(text: string, file: string): ScenarioResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) return { ok: false, errors: doc.errors.map((e) => syntaxError(e, lines, file, text)) };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    return { ok: false, errors: [{ file, line: 1, column: 1, path: '', message: (err as Error).message }] };
  }
  if (data === null || data === undefined) {
    return { ok: false, errors: [{ file, line: 1, column: 1, path: '', message: 'empty scenario: expected at least "version: 1" and "name"' }] };
  }
  const builtins = Object.keys(BUILTIN_VEHICLES);
  const issues = [...validate(data), ...semanticIssues(data, builtins)];
  const located = (list: Issue[]) => list.map((i) => toError(i, doc, lines, file));
  if (issues.length > 0) return { ok: false, errors: sortErrors(located(issues)) };
  const raw = data as ScenarioFile;
  const scenario = normaliseScenario(raw, BUILTIN_VEHICLES);
  const yamlWarnings = doc.warnings.map((w) => formatScenarioError(syntaxError(w, lines, file, text)));
  const warnings = located(scenarioWarnings(scenario, raw, builtins)).map(formatScenarioError);
  return { ok: true, scenario, warnings: [...yamlWarnings, ...warnings] };
}

/** Reads `file` and parses it; an unreadable file is one error at 1:1. */
export async function loadScenario(file: string): Promise<ScenarioResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    return { ok: false, errors: [{ file, line: 1, column: 1, path: '', message: `cannot read scenario: ${reason}` }] };
  }
  return parseScenario(text, file);
}

/** Errors found at the end of input (an unclosed bracket) point just after the last character, not past it. */
function syntaxError(e: YAMLError, lines: LineCounter, file: string, text: string): ScenarioError {
  const pos = lines.linePos(Math.min(e.pos[0], text.trimEnd().length));
  const message = e.message.split('\n')[0];
  return { file, line: pos.line, column: pos.col, path: '', message: `YAML: ${message}` };
}

function toError(i: Issue, doc: Document, lines: LineCounter, file: string): ScenarioError {
  const { line, column } = locateIssue(doc, lines, i);
  return { file, line, column, path: formatPath(i.path), message: i.message };
}

function sortErrors(errors: ScenarioError[]): ScenarioError[] {
  return errors.sort((a, b) => a.line - b.line || a.column - b.column || a.path.localeCompare(b.path));
}
