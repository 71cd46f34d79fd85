/** One problem found in a scenario file, positioned for an editor (1-based line and column). */
export interface ScenarioError {
  file: string;
  line: number;
  column: number;
  /** Field path such as `fleet.connectors[1].maxPowerKw`; empty for whole-file problems (YAML syntax). */
  path: string;
  message: string;
}

/** `file:line:column path: message`, the shape editors and CI log parsers recognise. */
export function formatScenarioError(e: ScenarioError): string {
  const where = `${e.file}:${e.line}:${e.column}`;
  return e.path ? `${where} ${e.path}: ${e.message}` : `${where} ${e.message}`;
}
