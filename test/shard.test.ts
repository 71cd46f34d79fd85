import { describe, expect, it } from 'vitest';
import { inShard, parseShard, shardIndices } from '../src/fleet/shard.js';

describe('shards', () => {
  it('parses i/n and rejects the rest', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', 'a/b', '1-4', '']) expect(parseShard(bad)).toHaveProperty('error');
  });

  it('covers every station exactly once across n shards, for many fleet sizes', () => {
    for (const total of [1, 2, 7, 100, 1001]) {
      for (const count of [1, 2, 3, 8]) {
        const seen = new Map<number, number>();
        for (let index = 1; index <= count; index++) {
          for (const s of shardIndices(total, { index, count })) seen.set(s, (seen.get(s) ?? 0) + 1);
        }
        expect(seen.size).toBe(total);
        expect([...seen.values()].every((n) => n === 1)).toBe(true);
      }
    }
  });

  it('without a shard every station is in', () => {
    expect(shardIndices(5, null)).toEqual([1, 2, 3, 4, 5]);
    expect(inShard(3, { index: 3, count: 4 })).toBe(true);
    expect(inShard(3, { index: 1, count: 4 })).toBe(false);
  });
});
