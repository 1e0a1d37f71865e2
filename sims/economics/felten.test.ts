import { describe, expect, it } from "vitest";
import {
  advantage,
  empiricalThreshold,
  equilibrium,
  fictitiousPlay,
  mcAdvantage,
  threshold,
  type FeltenParams,
} from "./felten.ts";

const f: FeltenParams = { C: 1, R: 10, L: 40, G: 100, P: 1000, q: 0.1, A: 20, p: 0.02, J: 25 };

describe("Felten's checker game", () => {
  it("reproduces Felten's threshold X* = C / (R + L)", () => {
    expect(threshold(f, "plain")).toBe(1 / 50);
    expect(threshold({ ...f, C: 3, R: 2, L: 4 }, "plain")).toBe(0.5);
    expect(advantage(f, "plain", threshold(f, "plain"))).toBeCloseTo(0, 12);
  });
  it("attention challenges with q·A ≥ C make checking dominant; forced errors lower X*", () => {
    expect(threshold(f, "attention")).toBe(0);
    expect(equilibrium(f, "attention")).toEqual({ X: 0, Y: 1, subsidyPerAssertion: 0 });
    expect(threshold({ ...f, A: 5 }, "attention")).toBeCloseTo((1 - 0.5) / 50, 12);
    expect(threshold(f, "forced")).toBeCloseTo((1 - 0.5) / 50, 12);
    expect(equilibrium(f, "forced").subsidyPerAssertion).toBeCloseTo(0.5, 12);
  });
  it("simulated advantage matches the closed form within 4.5 SE and crosses zero at X* (tolerance 4.5 SE/(R+L))", () => {
    const xs = Array.from({ length: 13 }, (_, i) => i * 0.005);
    const rows = xs.map((X, i) => mcAdvantage({ f, mode: "plain", X, rounds: 40_000, seed: 11, index: i }));
    for (const r of rows) expect(Math.abs(r.mean - r.closed)).toBeLessThanOrEqual(4.5 * r.se);
    const se = Math.max(...rows.map((r) => r.se));
    expect(Math.abs(empiricalThreshold(rows) - 0.02)).toBeLessThanOrEqual((4.5 * se) / 50);
  });
  it("fictitious play converges to the mixed equilibrium (X*, Y* = G/(G+P)) within 0.02", () => {
    const fp = fictitiousPlay(f, "plain", 100_000);
    expect(Math.abs(fp.X - 0.02)).toBeLessThan(0.02);
    expect(Math.abs(fp.Y - 100 / 1100)).toBeLessThan(0.02);
  });
});
