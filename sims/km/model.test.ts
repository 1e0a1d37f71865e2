import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { kStarClosed, kStarMathjs, lambertW, mStarClosed, rounds } from "./model.ts";
import { checkpoints, play } from "./game.ts";

describe("k/m model", () => {
  it("Lambert W inverts w·e^w", () => {
    for (const x of [-0.3, 0.01, 1, Math.E, 50, 1e8]) {
      const w = lambertW(x);
      expect(w * Math.exp(w)).toBeCloseTo(x, 9 - Math.max(0, Math.log10(Math.abs(x))));
    }
  });
  it("the Lambert-W optimum of k equals the root of mathjs's symbolic derivative (relative 1e-6)", () => {
    for (const [G0, g, Gs] of [
      [60_000, 1_000, 50_000],
      [30_000, 5_000, 25_000],
      [100_000, 300, 40_000],
    ] as const) {
      const a = kStarClosed(G0, g, Gs),
        b = kStarMathjs(G0, g, Gs, 2 ** 30, 16);
      expect(Math.abs(a - b) / a).toBeLessThan(1e-6);
      // and it minimises the continuous objective: neighbours are not better
      const f = (k: number) => (G0 + Gs + g * k) / Math.log(k + 1);
      expect(f(a)).toBeLessThanOrEqual(f(a * 0.99));
      expect(f(a)).toBeLessThanOrEqual(f(a * 1.01));
    }
  });
  it("the latency optimum m* = 2τ/(b ln(k+1)) minimises 2τ·log_(k+1)(N/m) + b·m", () => {
    const tau = 60,
      b = 1.1,
      k = 7,
      N = 2 ** 30;
    const m = mStarClosed(tau, b, k);
    const L = (x: number) => (2 * tau * Math.log(N / x)) / Math.log(k + 1) + b * x;
    expect(L(m)).toBeLessThan(L(m * 0.9));
    expect(L(m)).toBeLessThan(L(m * 1.1));
  });
  it("checkpoints follow the contract's aligned tree (clamped on the right spine)", () => {
    expect(checkpoints(0, 16, 2, 3, 1)).toEqual([4, 8, 12]);
    expect(checkpoints(0, 5, 3, 1, 1)).toEqual([4]);
    expect(checkpoints(4, 5, 2, 1, 1)).toEqual([]);
  });
  it("replayed games: the honest party wins in exactly ⌈log_(k+1)(N/m)⌉ rounds (fast-check)", () => {
    const gas = {
      moveGas: (k: number) => 60_000 + 1_000 * k,
      selectGas: () => 50_000,
      arbitrationGas: (m: number) => (m === 1 ? 1_400_000 : 220_000),
      linkGas: 0,
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 63 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 40 }),
        (k, m, j, claimerLies, u, extra) => {
          const exactN = m * (k + 1) ** j;
          fc.pre(exactN <= 2 ** 45);
          for (const N of [exactN, exactN + extra]) {
            const lieFrom = 1 + Math.floor(u * (N - 1));
            const liar = claimerLies ? "claimer" : "challenger";
            const r = play({ phases: [{ size: N, k, m }], liar, lieFrom: [lieFrom], ...gas });
            expect(r.winner).toBe(claimerLies ? "challenger" : "claimer");
            expect(r.finalSpan).toBeGreaterThanOrEqual(1);
            expect(r.finalSpan).toBeLessThanOrEqual(m);
            expect(r.rounds[0]).toBe(rounds(N, k, m));
            if (N === exactN) {
              expect(r.rounds[0]).toBe(j);
              expect(r.checkpoints).toBe(j * k);
            }
          }
        },
      ),
      { numRuns: 2000, seed: 20261125 },
    );
  });
  it("a two-phase game sums the phases' rounds and lets the honest side win", () => {
    const r = play({
      phases: [
        { size: 1000, k: 9, m: 1 },
        { size: 2 ** 20, k: 3, m: 16 },
      ],
      liar: "claimer",
      lieFrom: [500, 12345],
      moveGas: (k) => 1000 * k,
      selectGas: () => 0,
      arbitrationGas: () => 0,
      linkGas: 7,
    });
    expect(r.winner).toBe("challenger");
    expect(r.rounds).toEqual([3, 8]);
  });
});
