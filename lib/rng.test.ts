import { describe, expect, it } from "vitest";
import { Rng, RngError } from "./rng.ts";

describe("Rng", () => {
  it("is the stream ml/models/mnist was trained with (sfc32, 15 warm-up draws; pinned values)", () => {
    const r = new Rng(1);
    expect(Array.from({ length: 4 }, () => r.u32())).toEqual([473542192, 3964317691, 2295682031, 2113742504]);
    const s = new Rng(0x7a6b6670);
    expect([s.u32(), s.int(-5, 5), s.uniform(), s.normal()]).toEqual([
      3654690370, -1, 0.7052834387868643, -0.5466431879712624,
    ]);
    expect(new Rng(3).shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual([5, 4, 3, 1, 7, 9, 8, 0, 2, 6]);
  });

  it("repeats the same sequence for the same seed and differs across seeds and tasks", () => {
    const a = new Rng(42),
      b = new Rng(42),
      c = new Rng(43);
    const sa = Array.from({ length: 100 }, () => a.u32());
    expect(Array.from({ length: 100 }, () => b.u32())).toEqual(sa);
    expect(Array.from({ length: 100 }, () => c.u32())).not.toEqual(sa);
    const firsts = new Set(Array.from({ length: 64 }, (_, i) => Rng.forTask(1, i).u32()));
    expect(firsts.size).toBe(64);
    expect(Rng.forTask(1, 0).u32()).toBe(Rng.forTask(1, 0).u32());
    expect(Rng.forTask(1, 0).u32()).not.toBe(Rng.forTask(2, 0).u32());
  });

  it("draws uniforms, Bernoullis, normals and exponentials with the right means (6 SE)", () => {
    const r = new Rng(7),
      n = 200_000;
    let u = 0,
      b = 0,
      e = 0,
      z = 0;
    for (let i = 0; i < n; i++) {
      u += r.uniform();
      b += r.bernoulli(0.3) ? 1 : 0;
      e += r.exponential(2);
      z += r.normal();
    }
    expect(Math.abs(u / n - 0.5)).toBeLessThan(6 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(b / n - 0.3)).toBeLessThan(6 * Math.sqrt(0.21 / n));
    expect(Math.abs(e / n - 2)).toBeLessThan((6 * 2) / Math.sqrt(n));
    expect(Math.abs(z / n)).toBeLessThan(6 / Math.sqrt(n));
  });

  it("keeps integers in range and reaches both ends", () => {
    const r = new Rng(11);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const x = r.int(-3, 3),
        y = r.below(5);
      expect(x >= -3 && x <= 3 && Number.isInteger(x)).toBe(true);
      expect(y >= 0 && y < 5 && Number.isInteger(y)).toBe(true);
      seen.add(x);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
  });

  it("draws bigints below any bound, canonical field elements included, and refuses an empty range", () => {
    const p = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
    const r = new Rng(5);
    let top = 0n;
    for (let i = 0; i < 500; i++) {
      const x = r.bigBelow(p);
      expect(x >= 0n && x < p).toBe(true);
      if (x > top) top = x;
    }
    expect(top > p / 2n).toBe(true);
    for (let i = 0; i < 100; i++) expect(r.bigBelow(3n) < 3n).toBe(true);
    expect(r.bigBelow(1n)).toBe(0n);
    expect(() => r.bigBelow(0n)).toThrow(RngError);
  });
});
