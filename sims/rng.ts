/**
 * Seeded pseudo-random numbers for every simulation: xoshiro128** (Blackman & Vigna, 2018) seeded
 * through splitmix32, so a (seed, stream) pair always yields the same sequence on every machine and
 * in every worker thread. No Math.random anywhere in sims/.
 *
 * Streams: `Rng.forTask(seed, index)` derives an independent generator per sweep task, so results
 * do not depend on how tasks are spread over worker threads (the determinism tests rely on it).
 * Pitfall: 32-bit state; uniform() has 2^-32 resolution, enough for Monte Carlo at the sample
 * sizes used here (≤ 1e7 draws per task), not for rare-event estimation below ~1e-9.
 */
function splitmix32(x: number): () => number {
  let s = x >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Rng {
  private a: number; private b: number; private c: number; private d: number;
  constructor(seed: number) {
    const sm = splitmix32(seed);
    this.a = sm(); this.b = sm(); this.c = sm(); this.d = sm();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }
  /** Independent stream for task `index` of a sweep seeded with `seed`. */
  static forTask(seed: number, index: number): Rng {
    const mix = splitmix32((seed >>> 0) ^ Math.imul(index + 1, 0x27d4eb2d));
    return new Rng(mix());
  }
  /** Next 32-bit unsigned integer (xoshiro128**). */
  nextU32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a; this.d ^= this.b; this.b ^= this.c; this.a ^= this.d;
    this.c ^= t; this.d = rotl(this.d, 11);
    return r;
  }
  /** Uniform in [0, 1). */
  uniform(): number { return this.nextU32() / 4294967296; }
  bernoulli(p: number): boolean { return this.uniform() < p; }
  /** Exponential with the given mean (inverse CDF; 1 - u avoids log(0)). */
  exponential(mean: number): number { return -mean * Math.log(1 - this.uniform()); }
  /** Binomial(n, p) by direct summation; n is small (validator counts) wherever this is used. */
  binomial(n: number, p: number): number {
    let k = 0;
    for (let i = 0; i < n; i++) if (this.uniform() < p) k++;
    return k;
  }
}

function rotl(x: number, k: number): number { return ((x << k) | (x >>> (32 - k))) >>> 0; }
