/**
 * Splitting one scenario's fleet across machines. Shard i of n (1-based) runs the stations whose
 * 1-based index satisfies (index − 1) mod n = i − 1: identities never overlap, all n shards together
 * cover the fleet exactly, and because the slice is strided each station keeps the ramp-up offset and
 * session plan it has in an unsharded run (plans are drawn per station identity).
 */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard | { error: string } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return { error: `"${text}" is not i/n (e.g. 1/4)` };
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) return { error: `"${text}": need 1 <= i <= n` };
  return { index, count };
}

/** Whether station `stationIndex` (1-based) belongs to `shard`. */
export function inShard(stationIndex: number, shard: Shard | null): boolean {
  return shard === null || (stationIndex - 1) % shard.count === shard.index - 1;
}

/** The stations (1-based indices) of a shard of a fleet of `total`. */
export function shardIndices(total: number, shard: Shard | null): number[] {
  const out: number[] = [];
  for (let i = 1; i <= total; i++) if (inShard(i, shard)) out.push(i);
  return out;
}
