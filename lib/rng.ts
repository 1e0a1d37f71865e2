/**
 * The seeded pseudo-random generator of zkfp (simulations, model training, test and fixture
 * generators, benches): sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, PractRand),
 * 32-bit words, state (0x9e3779b9, 0x243f6a88, 0xb7e15162, seed) followed by 15 discarded draws.
 * A seed always yields the same sequence on every machine and in every worker. No Math.random.
 *
 * The stream is the one ml/models/mnist was trained with (the committed .zkg weights): changing the
 * algorithm, the seeding or the warm-up, or the draws a method makes, changes what those scripts
 * reproduce. lib/rng.test.ts pins it.
 *
 * Streams: `Rng.forTask(seed, index)` derives an independent generator per sweep task, so results
 * do not depend on how tasks are spread over worker threads.
 * Pitfall: uniform() has 2^-32 resolution (one word per draw): enough for Monte Carlo at the sample
 * sizes used here (<= 1e7 draws per task) and for test-case generation, not for rare-event
 * estimates below ~1e-9; below(n) is exact only for n <= 2^32.
 */
import { ZkfpError } from "./errors.ts";

export class RngError extends ZkfpError {
  override readonly name = "RngError";
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.u32();
  }

  /** An independent generator for task `index` of a sweep seeded with `seed`. */
  static forTask(seed: number, index: number): Rng {
    return new Rng(new Rng((seed ^ Math.imul(index + 1, 0x27d4eb2d)) >>> 0).u32());
  }

  /** Next 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.u32() / 4294967296;
  }

  /** Integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Integer in [lo, hi] (both included). */
  int(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }

  /** true with probability p. */
  bernoulli(p = 0.5): boolean {
    return this.uniform() < p;
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)]!;
  }

  /** In-place Fisher-Yates shuffle; returns `a`. */
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }

  /** Standard normal (Box-Muller; 1 - u avoids log(0)). */
  normal(): number {
    const u = 1 - this.uniform(),
      v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Exponential with the given mean (inverse CDF; 1 - u avoids log(0)). */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.uniform());
  }

  /** Binomial(n, p) by direct summation (n small wherever this is used). */
  binomial(n: number, p: number): number {
    let k = 0;
    for (let i = 0; i < n; i++) if (this.uniform() < p) k++;
    return k;
  }

  /** Uniform bigint in [0, bound) for bound >= 1 (rejection sampling on bitLength(bound - 1) bits). */
  bigBelow(bound: bigint): bigint {
    if (bound < 1n) throw new RngError("bigBelow needs a bound >= 1", { bound: bound.toString() });
    const bits = (bound - 1n).toString(2).length;
    const mask = (1n << BigInt(bits)) - 1n;
    for (;;) {
      let x = 0n;
      for (let i = 0; i < bits; i += 32) x = (x << 32n) | BigInt(this.u32());
      x &= mask;
      if (x < bound) return x;
    }
  }
}
