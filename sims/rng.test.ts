import { describe, expect, it } from "vitest";
import { Rng } from "./rng.ts";

describe("Rng", () => {
  it("repeats the same sequence for the same seed and differs across seeds and tasks", () => {
    const a = new Rng(42), b = new Rng(42), c = new Rng(43);
    const sa = Array.from({ length: 100 }, () => a.nextU32());
    expect(Array.from({ length: 100 }, () => b.nextU32())).toEqual(sa);
    expect(Array.from({ length: 100 }, () => c.nextU32())).not.toEqual(sa);
    const t0 = Rng.forTask(1, 0), t1 = Rng.forTask(1, 1);
    expect(t0.nextU32()).not.toBe(t1.nextU32());
  });
  it("draws uniforms, Bernoullis and exponentials with the right means (6 SE)", () => {
    const r = new Rng(7), n = 200_000;
    let u = 0, b = 0, e = 0;
    for (let i = 0; i < n; i++) { u += r.uniform(); b += r.bernoulli(0.3) ? 1 : 0; e += r.exponential(2); }
    expect(Math.abs(u / n - 0.5)).toBeLessThan(6 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(b / n - 0.3)).toBeLessThan(6 * Math.sqrt(0.21 / n));
    expect(Math.abs(e / n - 2)).toBeLessThan(6 * 2 / Math.sqrt(n));
  });
});
