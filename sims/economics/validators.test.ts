import { describe, expect, it } from "vitest";
import { mcValidators, validatorEquilibrium } from "./validators.ts";

const base = { S: 1000, G: 1000, C: 1, L: 0 };

describe("rollup validators' mixed equilibrium", () => {
  it("satisfies both indifference conditions exactly", () => {
    for (const n of [1, 2, 5, 20]) {
      const e = validatorEquilibrium({ n, ...base });
      expect(e.interior).toBe(true);
      const none = (1 - e.p) ** n;
      expect(base.G * none - base.S * (1 - none)).toBeCloseTo(0, 9); // asserter
      const phi = (1 - none) / (n * e.p);
      expect(e.q * base.S * phi - base.C).toBeCloseTo(0, 12); // validator
    }
  });
  it("fails more often with more validators when L = 0 (C·n·p/G, rising to C·ln(1+G/S)/G)", () => {
    const fs = [1, 2, 4, 8, 16, 64].map((n) => validatorEquilibrium({ n, ...base }).failure);
    for (let i = 1; i < fs.length; i++) expect(fs[i]!).toBeGreaterThan(fs[i - 1]!);
    expect(fs[fs.length - 1]!).toBeLessThan(Math.log(2) / 1000);
    expect(validatorEquilibrium({ n: 1, ...base }).failure).toBeCloseTo(1 / 2 / 1000, 12);
  });
  it("simulated failure rate and indifference match the closed form within 4.5 SE", () => {
    const r = mcValidators({ v: { n: 4, S: 100, G: 1000, C: 1, L: 5 }, rounds: 100_000, seed: 3, index: 0 });
    expect(Math.abs(r.failureMc - r.failure)).toBeLessThanOrEqual(4.5 * r.failureSe);
    expect(Math.abs(r.checkAdvMc)).toBeLessThanOrEqual(4.5 * r.checkAdvSe);
    expect(Math.abs(r.cheatPayoffMc)).toBeLessThanOrEqual(4.5 * r.cheatPayoffSe);
  });
  it("falls back to an always-cheating asserter when no interior equilibrium exists", () => {
    const e = validatorEquilibrium({ n: 3, S: 1, G: 1000, C: 5, L: 0 });
    expect(e.interior).toBe(false);
    expect(e.q).toBe(1);
  });
});
