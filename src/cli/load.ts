import { loadScenario } from '../scenario/load.js';
import { formatScenarioError } from '../scenario/errors.js';
import type { Scenario } from '../scenario/types.js';
import { CliError, EXIT } from './exit-codes.js';

/** Loads and validates a scenario, or throws a CliError (104) listing every problem found. */
export async function loadOrThrow(file: string): Promise<{ scenario: Scenario; warnings: string[] }> {
  const result = await loadScenario(file);
  if (result.ok) return result;
  const lines = result.errors.map(formatScenarioError);
  const count = lines.length === 1 ? '1 problem' : `${lines.length} problems`;
  throw new CliError(`${lines.join('\n')}\n${file}: invalid scenario (${count})`, EXIT.INVALID_SCENARIO);
}
