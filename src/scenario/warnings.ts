import type { Scenario } from './types.js';
import type { ScenarioFile } from './raw.js';
import { issue, type Issue } from './issues.js';
import { faultWarnings } from './warnings-faults.js';

/**
 * Valid but probably not what the author meant. Reported next to the Scenario; they never stop a run.
 */
export function scenarioWarnings(scenario: Scenario, file: ScenarioFile, builtins: readonly string[]): Issue[] {
  const out: Issue[] = [];
  if (scenario.target.url === null && scenario.target.passwordEnv !== null) {
    out.push(issue(['target', 'passwordEnv'], 'is ignored: without target.url the run uses the embedded CSMS'));
  }
  (file.vehicles?.custom ?? []).forEach((c, i) => {
    if (builtins.includes(c.name)) out.push(issue(['vehicles', 'custom', i, 'name'], `replaces the built-in profile "${c.name}"`));
  });
  const s = scenario.sessions;
  if (s.arrivalSoc.max > s.targetSoc.min) {
    out.push(issue(['sessions', 'arrivalSoc'], 'can be above targetSoc; such cars stay plugged in without charging'));
  }
  const expected = expectedArrivals(scenario);
  if (s.arrivalsPerHour > 0 && expected < 1) {
    out.push(issue(['duration'], `expect only ${expected.toFixed(2)} car arrivals in the whole run; raise duration, arrivalsPerHour or stations`));
  }
  if (scenario.ledger !== null && scenario.ledger.url === null && scenario.target.url !== null) {
    out.push(issue(['ledger'], 'has no url: only the embedded CSMS has a built-in ledger; set ledger.url to read your CSMS\'s records'));
  }
  return [...out, ...faultWarnings(scenario)];
}

/** Mean arrivals over the run with a flat rate (the hourly profile is mean-normalised). */
function expectedArrivals(s: Scenario): number {
  const connectors = s.fleet.stations * s.fleet.connectors.length;
  return connectors * s.sessions.arrivalsPerHour * (s.durationMs / 3_600_000);
}
