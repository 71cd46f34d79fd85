import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';

/**
 * The published JSON Schema (`scenarios/scenario.schema.json`) is the single source of truth for the
 * file's shape: editors read it for completion and hover help, and the loader validates with it.
 * The path resolves the same from src/scenario (tests) and dist/scenario (built CLI).
 */
export const SCENARIO_SCHEMA_URL = new URL('../../scenarios/scenario.schema.json', import.meta.url);

export type JsonSchema = Record<string, unknown>;

/** Reads and parses the published schema. */
export function readScenarioSchema(): JsonSchema {
  return JSON.parse(readFileSync(SCENARIO_SCHEMA_URL, 'utf8')) as JsonSchema;
}

/**
 * Compiles the schema with every error collected (`allErrors`) and `verbose` (errors carry the
 * offending data and schema, which the error messages use). Strict mode stays on except
 * `strictRequired`, which would reject the `if`/`then` blocks that make a distribution's keys required
 * by its `dist`. `patternErrorMessage` is the annotation
 * VS Code and the YAML language server show for a failed `pattern`; ajv only needs to accept it.
 */
export function compileScenarioSchema(schema: JsonSchema = readScenarioSchema()): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true });
  ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
  return ajv.compile(schema);
}
