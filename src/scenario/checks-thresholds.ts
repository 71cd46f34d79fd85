import { issue, type Issue } from './issues.js';
import { suggestion } from './suggest.js';
import { parseThreshold } from '../metrics/thresholds.js';

/**
 * The top-level sections of the JSON run report a threshold can name. `energyWh` is a number itself;
 * every other section holds the numbers.
 */
export const REPORT_SECTIONS: readonly string[] = [
  'latency',
  'incoming',
  'sessions',
  'sessionStats',
  'health',
  'messages',
  'stations',
  'energyWh',
  'reconciliation',
  'duplicates',
  'run',
  'csms',
];

const NUMERIC_SECTIONS = new Set(['energyWh']);

/** Every threshold must parse (the run's own parser) and start with a report section. */
export function thresholdIssues(thresholds: unknown): Issue[] {
  if (!Array.isArray(thresholds)) return [];
  const out: Issue[] = [];
  thresholds.forEach((text: unknown, i) => {
    if (typeof text !== 'string' || text.trim() === '') return;
    const message = thresholdProblem(text);
    if (message !== null) out.push(issue(['thresholds', i], message));
  });
  return out;
}

function thresholdProblem(text: string): string | null {
  const parsed = parseThreshold(text);
  if ('error' in parsed) return parsed.error;
  const [root, ...rest] = parsed.path;
  if (!REPORT_SECTIONS.includes(root)) {
    return `"${root}" is not a section of the report${suggestion(root, REPORT_SECTIONS)}; sections: ${REPORT_SECTIONS.join(', ')}`;
  }
  if (NUMERIC_SECTIONS.has(root) && rest.length > 0) return `"${root}" is a number; it has no fields (write "${root} ${parsed.op} ...")`;
  if (!NUMERIC_SECTIONS.has(root) && rest.length === 0) return `"${root}" is a section, not a number; name a metric in it, e.g. ${root}.<name>`;
  return null;
}
