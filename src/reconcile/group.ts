/**
 * Findings grouped by kind for the report: every kind present, lists sorted (station, session,
 * message) and capped so a report stays readable, every finding counted.
 */
import type { Finding } from '../report/types.js';

export const DEFAULT_MAX_ITEMS = 100;

export interface Grouped<K extends string> {
  /** At most `maxItems` findings per kind. */
  lists: Record<K, Finding[]>;
  counts: Record<K, number>;
  total: number;
  /** Findings left out of the lists. */
  truncated: number;
}

const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** Station, then session, then message order; CSMS-only findings after the sessions of their station. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    byName(a.stationId, b.stationId) ||
    byName(a.sessionId ?? '\uffff', b.sessionId ?? '\uffff') ||
    (a.seq ?? 0) - (b.seq ?? 0) ||
    (a.transactionId ?? 0) - (b.transactionId ?? 0)
  );
}

export function groupFindings<K extends string>(findings: readonly Finding[], kinds: readonly K[], maxItems = DEFAULT_MAX_ITEMS): Grouped<K> {
  const lists = {} as Record<K, Finding[]>;
  const counts = {} as Record<K, number>;
  for (const k of kinds) {
    lists[k] = [];
    counts[k] = 0;
  }
  let truncated = 0;
  const known = new Set<string>(kinds);
  for (const f of [...findings].sort(compareFindings)) {
    if (!known.has(f.kind)) continue;
    const k = f.kind as K;
    counts[k]++;
    if (lists[k].length < maxItems) lists[k].push(f);
    else truncated++;
  }
  const total = kinds.reduce((n, k) => n + counts[k], 0);
  return { lists, counts, total, truncated };
}
