/**
 * The largest value seen over any span of time, in bounded memory: time is cut into buckets (1 s of
 * simulated time by default) held in a growable segment tree supporting "raise every bucket of a span
 * to at least v" and "largest value over a span", both O(log n). Used for queue depths, so that a fault
 * window asked about after the run still sees a queue that stood still all through it.
 */

export interface MaxTimeline {
  /** Every instant of [fromMs, toMs] had a value of at least `value`. */
  raise(fromMs: number, toMs: number, value: number): void;
  /** The largest value raised anywhere within [fromMs, toMs]; 0 when nothing was. */
  max(fromMs: number, toMs: number): number;
}

const INITIAL_BUCKETS = 1024;
/** 2^22 buckets: 48 days at 1 s, 64 MB at most. */
const MAX_LEAVES = 1 << 22;

export function createMaxTimeline(bucketMs = 1000): MaxTimeline {
  /** The bucket number (time / bucketMs) of leaf 0; null before the first raise. */
  let base: number | null = null;
  let cap = INITIAL_BUCKETS;
  // Node 1 covers leaves [0, cap); node i has children 2i and 2i+1. `tag`: a value that applies to the
  // node's whole span; `top`: the largest value anywhere in the node's span.
  let tag = new Uint32Array(2 * cap);
  let top = new Uint32Array(2 * cap);

  const leafOf = (ms: number) => Math.floor(ms / bucketMs) - (base ?? 0);

  /** Doubles the span: the old tree becomes the left (`right` false) or right half of a new root. */
  function double(right: boolean): void {
    const nextTag = new Uint32Array(4 * cap);
    const nextTop = new Uint32Array(4 * cap);
    // Node i at depth d (first index 2^d) moves to i + 2^d as a left half, i + 2^(d+1) as a right half.
    for (let first = 1; first < 2 * cap; first *= 2) {
      const shift = right ? 2 * first : first;
      for (let i = first; i < 2 * first; i++) {
        nextTag[i + shift] = tag[i];
        nextTop[i + shift] = top[i];
      }
    }
    nextTop[1] = top[1];
    tag = nextTag;
    top = nextTop;
    if (right) base = (base ?? 0) - cap;
    cap *= 2;
  }

  /** Grows the tree until the buckets of fromMs..toMs exist (up to MAX_LEAVES; beyond, times are clamped). */
  function cover(fromMs: number, toMs: number): void {
    base ??= Math.floor(fromMs / bucketMs);
    while (leafOf(fromMs) < 0 && cap < MAX_LEAVES) double(true);
    while (leafOf(toMs) >= cap && cap < MAX_LEAVES) double(false);
  }

  const clamp = (leaf: number) => Math.min(cap - 1, Math.max(0, leaf));

  function update(node: number, lo: number, hi: number, l: number, r: number, v: number): void {
    if (r < lo || hi < l) return;
    if (top[node] < v) top[node] = v;
    if (l <= lo && hi <= r) {
      if (tag[node] < v) tag[node] = v;
      return;
    }
    const mid = (lo + hi) >>> 1;
    update(2 * node, lo, mid, l, r, v);
    update(2 * node + 1, mid + 1, hi, l, r, v);
  }

  function query(node: number, lo: number, hi: number, l: number, r: number): number {
    if (r < lo || hi < l) return 0;
    if (l <= lo && hi <= r) return top[node];
    const mid = (lo + hi) >>> 1;
    return Math.max(tag[node], query(2 * node, lo, mid, l, r), query(2 * node + 1, mid + 1, hi, l, r));
  }

  return {
    raise(fromMs, toMs, value) {
      if (!(value > 0) || !(toMs >= fromMs)) return;
      cover(fromMs, toMs);
      update(1, 0, cap - 1, clamp(leafOf(fromMs)), clamp(leafOf(toMs)), Math.min(Math.round(value), 0xffffffff));
    },
    max(fromMs, toMs) {
      if (base === null || !(toMs >= fromMs)) return 0;
      const l = Math.max(0, leafOf(fromMs));
      const r = Math.min(cap - 1, leafOf(toMs));
      return l > r ? 0 : query(1, 0, cap - 1, l, r);
    },
  };
}
