/**
 * Checkpoint spacing of the k-ary game. Twin: contracts/src/game/LibSpacing.sol (same formulas).
 *
 * A phase of N >= 1 steps is an aligned, clamped (k+1)-ary tree with leaves of at most m steps:
 *
 *   R      = min { r >= 0 : m (k+1)^r >= N }            = ceil(log_(k+1)(N/m)), 0 if N <= m
 *   s(l)   = m (k+1)^(l-1)                              segment width at level l >= 1
 *   c(l)   = min(k, ceil((hi - lo) / s(l)) - 1)         checkpoints posted at level l
 *   cp_j   = lo + j s(l), j = 1..c(l)
 *   seg_i  = [lo + i s(l), min(lo + (i+1) s(l), hi)],   i = 0..c(l)
 *
 * The game starts at [0, N] on level R; each round descends exactly one level, so every path of a
 * phase has exactly R rounds. Invariant 1 <= hi - lo <= (k+1) s(l): every segment is non-empty.
 * Pitfall: on the right spine of a tree with N < m (k+1)^R an interval can fit in one segment, so
 * c = 0 (a round without roots); no spacing avoids this and keeps exactly R rounds on all paths
 * (k = 1, N = 5 has no tree with every leaf at depth 3 and two non-empty children per node).
 */
export type Interval = { lo: bigint; hi: bigint; level: number };

export function rounds(n: bigint, k: number, m: bigint): number {
  let cap = m;
  let r = 0;
  const b = BigInt(k + 1);
  while (cap < n) {
    cap *= b;
    r++;
  }
  return r;
}

export function width(level: number, k: number, m: bigint): bigint {
  return m * BigInt(k + 1) ** BigInt(level - 1);
}

export function checkpointCount(len: bigint, s: bigint, k: number): number {
  const c = (len + s - 1n) / s - 1n;
  return c < BigInt(k) ? Number(c) : k;
}

/** Step indices of the checkpoints of the round at `iv` (empty at a leaf). */
export function checkpointIndices(iv: Interval, k: number, m: bigint): bigint[] {
  if (iv.level === 0) return [];
  const s = width(iv.level, k, m);
  const c = checkpointCount(iv.hi - iv.lo, s, k);
  const out: bigint[] = [];
  for (let j = 1; j <= c; j++) out.push(iv.lo + BigInt(j) * s);
  return out;
}

/** The interval after choosing segment `index` of the round at `iv`. */
export function segment(iv: Interval, index: number, k: number, m: bigint): Interval {
  const s = width(iv.level, k, m);
  const lo = iv.lo + BigInt(index) * s;
  const hi = lo + s < iv.hi ? lo + s : iv.hi;
  return { lo, hi, level: iv.level - 1 };
}
