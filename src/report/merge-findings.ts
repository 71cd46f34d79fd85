/**
 * Merging the reconciliation sections of shard reports: findings unioned per kind (lists capped again,
 * every finding counted), counts added, queue depths and times to reconcile merged overall and per
 * fault window, and transactionIds issued in two different shards reported as `transactionIdReused`.
 */
import { DUPLICATE_KINDS, GAP_KINDS } from '../reconcile/findings.js';
import { compareFindings, DEFAULT_MAX_ITEMS } from '../reconcile/group.js';
import { mergeReconcileTimes, type Notes } from './merge-stats.js';
import type { DuplicatesReport, FaultWindowReport, Finding, ReconciliationReport } from './types.js';

/** One shard's sections; `label` names the shard in findings and notes (e.g. "2/3"). */
export interface ShardFindings {
  label: string;
  reconciliation: ReconciliationReport | null;
  duplicates: DuplicatesReport | null;
}

interface Grouped<K extends string> {
  lists: Record<K, Finding[]>;
  counts: Record<K, number>;
  total: number;
  truncated: number;
}

/** Per kind: the shards' lists unioned, sorted and capped; the shards' counts added (plus `extra`). */
function mergeGroups<K extends string>(
  kinds: readonly K[],
  parts: readonly { lists: Partial<Record<K, Finding[]>>; counts: Partial<Record<K, number>> }[],
  extra: readonly Finding[] = [],
): Grouped<K> {
  const lists = {} as Record<K, Finding[]>;
  const counts = {} as Record<K, number>;
  let listed = 0;
  for (const k of kinds) {
    const more = extra.filter((f) => f.kind === k);
    const all = [...parts.flatMap((p) => p.lists[k] ?? []), ...more].sort(compareFindings);
    lists[k] = all.slice(0, DEFAULT_MAX_ITEMS);
    counts[k] = parts.reduce((n, p) => n + (p.counts[k] ?? 0), 0) + more.length;
    listed += lists[k].length;
  }
  const total = kinds.reduce((n, k) => n + counts[k], 0);
  return { lists, counts, total, truncated: total - listed };
}

/**
 * One finding per (id, shard) for every shard after the first (in shard order) whose stations received
 * a transactionId a station of an earlier shard received: with the shards' own findings (reuse within
 * a shard), the count equals that of an unsharded run. The session is not known (ids are kept per station).
 */
export function crossShardReuse(shards: readonly { label: string; ids: Record<string, number[]> }[]): Finding[] {
  const first = new Map<number, { label: string; station: string }>();
  const out: Finding[] = [];
  for (const shard of shards) {
    const reported = new Set<number>();
    for (const [station, ids] of Object.entries(shard.ids)) {
      for (const id of ids) {
        const holder = first.get(id);
        if (holder === undefined) first.set(id, { label: shard.label, station });
        else if (holder.label !== shard.label && !reported.has(id)) {
          reported.add(id);
          out.push({
            kind: 'transactionIdReused',
            stationId: station,
            connectorId: null,
            sessionId: null,
            transactionId: id,
            transactionIds: [id],
            detail: `transactionId ${id} was also issued to ${holder.station} (shard ${holder.label}); this station ran in shard ${shard.label}`,
          });
        }
      }
    }
  }
  return out;
}

function mergeWindows(parts: readonly ReconciliationReport[], notes: Notes): FaultWindowReport[] {
  return parts[0].windows.map((w, i) => {
    const same = parts.map((p) => p.windows[i]).filter((x): x is FaultWindowReport => x !== undefined);
    return {
      kind: w.kind,
      atMs: w.atMs,
      durationMs: w.durationMs,
      maxQueueDepth: Math.max(...same.map((x) => x.maxQueueDepth)),
      timeToReconcile: mergeReconcileTimes(`reconciliation.windows[${i}].timeToReconcile`, same.map((x) => x.timeToReconcile), notes),
    };
  });
}

function mergeCsmsLedger(parts: readonly ReconciliationReport[], notes: Notes): ReconciliationReport['csmsLedger'] {
  const read = parts.flatMap((p) => (p.csmsLedger === null ? [] : [p.csmsLedger]));
  if (read.length === 0) return null;
  if (read.length < parts.length) notes.push(`reconciliation.csmsLedger: only ${read.length} of ${parts.length} shards compared the CSMS's records`);
  return {
    source: [...new Set(read.map((l) => l.source))].join(', '),
    transactions: read.reduce((n, l) => n + l.transactions, 0),
  };
}

function reuseAcrossShards(parts: readonly ShardFindings[], notes: Notes): Finding[] {
  if (parts.length < 2) return [];
  const withIds = parts.flatMap((p) => (p.reconciliation?.transactionIds ? [{ label: p.label, ids: p.reconciliation.transactionIds }] : []));
  const kept = parts.filter((p) => p.reconciliation !== null);
  if (kept.length > 1 && withIds.length < kept.length) {
    const lacking = kept.filter((p) => !p.reconciliation?.transactionIds).map((p) => p.label);
    notes.push(
      `duplicates: a transactionId issued in two shards cannot be found; shard ${lacking.join(', ')} lists no transactionIds (reports of older ev-sim)`,
    );
    return [];
  }
  return crossShardReuse(withIds);
}

/**
 * The merged `reconciliation` and `duplicates` sections; null when no shard kept a ledger.
 * `compareIds`: the shards' transactionIds come from one CSMS, so an id in two shards is a duplicate.
 */
export function mergeFindings(
  parts: readonly ShardFindings[],
  notes: Notes,
  compareIds: boolean,
): Pick<ShardFindings, 'reconciliation' | 'duplicates'> {
  const recs = parts.flatMap((p) => (p.reconciliation === null ? [] : [p.reconciliation]));
  const dups = parts.flatMap((p) => (p.duplicates === null ? [] : [p.duplicates]));
  if (recs.length > 0 && recs.length < parts.length) notes.push(`reconciliation: only ${recs.length} of ${parts.length} shards kept a ledger`);
  const reused = compareIds ? reuseAcrossShards(parts, notes) : [];
  const reconciliation = recs.length === 0 ? null : mergeReconciliation(recs, notes);
  const dup = mergeGroups(DUPLICATE_KINDS, dups.map((d) => ({ lists: d.items, counts: d.counts })), reused);
  const duplicates = dups.length === 0 && reused.length === 0
    ? null
    : { count: dup.total, items: dup.lists, counts: dup.counts, truncated: dup.truncated };
  return { reconciliation, duplicates };
}

function mergeReconciliation(recs: readonly ReconciliationReport[], notes: Notes): ReconciliationReport {
  const gaps = mergeGroups(GAP_KINDS, recs.map((r) => ({ lists: r.gaps, counts: r.gapCounts })));
  return {
    gapCount: gaps.total,
    gaps: gaps.lists,
    gapCounts: gaps.counts,
    truncated: gaps.truncated,
    timeToReconcile: mergeReconcileTimes('reconciliation.timeToReconcile', recs.map((r) => r.timeToReconcile), notes),
    maxQueueDepth: Math.max(...recs.map((r) => r.maxQueueDepth)),
    windows: mergeWindows(recs, notes),
    csmsLedger: mergeCsmsLedger(recs, notes),
  };
}
