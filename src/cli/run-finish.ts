import { evaluateThresholds, parseThreshold, type Threshold } from '../metrics/thresholds.js';
import { fetchCsmsLedger, type CsmsLedger } from '../reconcile/csms-source.js';
import { reconcile } from '../reconcile/findings.js';
import { buildReport } from '../report/build.js';
import type { RunReport } from '../report/types.js';
import type { LedgerSourceConfig, Scenario } from '../scenario/types.js';
import type { Shard } from '../fleet/shard.js';
import type { Target } from './embedded.js';
import { DEFAULTS } from '../scenario/defaults.js';
import type { Executed } from './run-exec.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { TOOL_VERSION } from './version.js';

/** The embedded CSMS serves its ledger in the default shape of a scenario's `ledger` section. */
const EMBEDDED_LEDGER: LedgerSourceConfig = { url: null, itemsPath: DEFAULTS.ledger.itemsPath, fields: { ...DEFAULTS.ledger.fields } };

/** Reconciles, evaluates thresholds and assembles the report of a finished (or interrupted) run. */
export async function finishRun(file: string, scenario: Scenario, target: Target, shard: Shard | null, ran: Executed): Promise<RunReport> {
  const { outcome } = ran;
  const csmsLedger = await readCsmsLedger(scenario, target);
  const findings = reconcile(ran.ledger, {
    runStartMs: outcome.startedAt.getTime(),
    faults: scenario.faults,
    csms: csmsLedger ? { ledger: csmsLedger, identities: outcome.identities } : null,
  });
  const report = buildReport({
    metrics: ran.metrics,
    scenario,
    scenarioFile: file,
    targetUrl: target.url,
    embedded: target.embedded,
    plannedSessions: outcome.plannedSessions,
    plannedStations: outcome.plannedStations,
    startedAt: outcome.startedAt,
    endedAt: outcome.endedAt,
    simulatedMs: outcome.simulatedMs,
    partialReason: outcome.partialReason,
    csms: await target.stats(),
    toolVersion: TOOL_VERSION,
    reconciliation: findings,
    shard,
    timeSeries: ran.timeSeries,
    processHealth: ran.processHealth,
  });
  report.thresholds = evaluateThresholds(scenario.thresholds.map(parsed), report);
  return report;
}

/** The CSMS's own records: the scenario's ledger source, or the embedded CSMS's ledger by default. */
async function readCsmsLedger(scenario: Scenario, target: Target): Promise<CsmsLedger | null> {
  const config = scenario.ledger ?? (target.embedded ? EMBEDDED_LEDGER : null);
  if (!config) return null;
  const url = config.url ?? (target.httpUrl ? `${target.httpUrl}/transactions` : null);
  if (!url) return null;
  try {
    return await fetchCsmsLedger(config, { url });
  } catch (err) {
    process.stderr.write(`warning: CSMS ledger not compared: ${(err as Error).message}\n`);
    return null;
  }
}

function parsed(expression: string): Threshold {
  const t = parseThreshold(expression);
  if ('error' in t) throw new Error(`threshold passed validation but does not parse: ${t.error}`);
  return t;
}

/** The exit code a finished run deserves; the order says which failure wins. */
export function exitCodeFor(report: RunReport): ExitCode {
  if (report.partial) return EXIT.ABORTED;
  if (report.stations.planned > 0 && report.stations.connectedPeak === 0) {
    process.stderr.write(`error: no station could connect to ${report.target.url}\n`);
    return EXIT.TARGET_UNREACHABLE;
  }
  if (report.thresholds.some((t) => !t.pass)) return EXIT.THRESHOLDS_FAILED;
  return EXIT.OK;
}
