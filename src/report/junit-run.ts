/**
 * A run report as JUnit XML, so a CI page lists what a load test checked: each threshold, each kind of
 * reconciliation finding (gap or duplicate), and whether the run itself ran its course.
 */
import { renderJUnit, type JUnitCase, type JUnitReport, type JUnitSuite } from './junit.js';
import type { Finding, RunReport } from './types.js';

const EXAMPLES = 10;

export function runReportToJUnit(report: RunReport): string {
  return renderJUnit(runReportToJUnitModel(report));
}

export function runReportToJUnitModel(report: RunReport): JUnitReport {
  // Only the run suite carries the run's time, so the total at the top is the run's duration.
  const suite = (name: string, cases: JUnitCase[]): JUnitSuite => ({
    name: `ev-sim ${report.scenario.name} ${name}`,
    timestamp: report.run.startedAt,
    time: name === 'run' ? report.run.wallMs / 1000 : 0,
    properties: { scenario: report.scenario.name, seed: String(report.scenario.seed), target: report.target.url },
    cases,
  });
  return {
    name: `ev-sim run ${report.scenario.name}`,
    suites: [suite('run', runCases(report)), suite('thresholds', thresholdCases(report)), suite('findings', findingCases(report))],
  };
}

function runCases(report: RunReport): JUnitCase[] {
  const completed: JUnitCase = { classname: 'ev-sim.run', name: 'ran its full course', time: report.run.wallMs / 1000 };
  if (report.partial) completed.error = { message: `partial run: ${report.partialReason}`, type: 'aborted', body: '' };
  const reached: JUnitCase = { classname: 'ev-sim.run', name: 'stations reached the CSMS', time: 0 };
  if (report.stations.planned > 0 && report.stations.connectedPeak === 0) {
    reached.failure = { message: `no station could connect to ${report.target.url}`, type: 'unreachable', body: '' };
  }
  return [completed, reached];
}

function thresholdCases(report: RunReport): JUnitCase[] {
  return report.thresholds.map((t) => {
    const c: JUnitCase = { classname: 'ev-sim.thresholds', name: t.expression, time: 0, systemOut: t.detail };
    if (!t.pass) c.failure = { message: t.detail, type: 'threshold', body: `${t.expression}\nactual: ${t.actual ?? 'no data'}` };
    return c;
  });
}

function findingCases(report: RunReport): JUnitCase[] {
  const cases: JUnitCase[] = [];
  const add = (group: 'gaps' | 'duplicates', kind: string, count: number, items: Finding[]) => {
    const c: JUnitCase = { classname: `ev-sim.findings.${group}`, name: kind, time: 0 };
    if (count > 0) {
      const lines = items.slice(0, EXAMPLES).map((f) => `${f.stationId} connector ${f.connectorId ?? '-'} session ${f.sessionId ?? '-'} tx ${f.transactionId ?? '-'}: ${f.detail}`);
      const more = count > lines.length ? [`… and ${count - lines.length} more (see the JSON report)`] : [];
      c.failure = { message: `${count} ${kind} ${group === 'gaps' ? 'gap' : 'duplicate'}${count === 1 ? '' : 's'}`, type: group, body: [...lines, ...more].join('\n') };
    }
    cases.push(c);
  };
  const r = report.reconciliation;
  if (r) for (const kind of Object.keys(r.gapCounts)) add('gaps', kind, r.gapCounts[kind as keyof typeof r.gapCounts], r.gaps[kind as keyof typeof r.gaps]);
  const d = report.duplicates;
  if (d) for (const kind of Object.keys(d.counts)) add('duplicates', kind, d.counts[kind as keyof typeof d.counts], d.items[kind as keyof typeof d.items]);
  return cases;
}
