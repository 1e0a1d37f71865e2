/**
 * A zk leaf is proven on the proving party's chess clock, and a lying challenger picks the leaf: it
 * can steer the bisection of a TRUE claim to a window that only the complete key proves (the costliest
 * proof). If that proof takes longer than the clock allows, the honest claimer loses on time. So a
 * game whose worst-case leaf proof (SnarkLeaf.worstProveSeconds, the estimate model) exceeds half the
 * clock budget is refused before any setup or deployment, by the demo, `zkfp dispute` and deployGame.
 */
import { describe, expect, it } from "vitest";
import { runDemo, DEMO_GAME } from "../../../demo/run.ts";
import { ClockBudgetError, checkLeafFitsClock } from "../../chain/claims.ts";
import { SnarkLeaf } from "../../trace/leaf.ts";

describe("a zk leaf slower than the chess clock", () => {
  it("half the clock is the bound", () => {
    expect(() => checkLeafFitsClock(3_600, 1_800)).not.toThrow();
    expect(() => checkLeafFitsClock(3_600, 1_801)).toThrow(ClockBudgetError);
    expect(() => checkLeafFitsClock(3_600, Number.NaN)).toThrow(ClockBudgetError);
  });

  it("the worst case counts the complete key after a refused table key", () => {
    const one = new SnarkLeaf("groth16", 16, { keys: ["rv32im"] }).worstProveSeconds();
    const two = new SnarkLeaf("groth16", 16, { keys: ["rv32im_blkio", "rv32im"] }).worstProveSeconds();
    expect(two).toBeGreaterThan(one);
  });

  it("the demo refuses PLONK / FFLONK leaves its 1-hour clock cannot fit, before loading anything", async () => {
    for (const [backend, m] of [
      ["plonk", 4],
      ["fflonk", 2],
    ] as const) {
      const leaf = new SnarkLeaf(backend, m, { keys: ["rv32im"] });
      expect(leaf.worstProveSeconds()).toBeGreaterThan(DEMO_GAME.clockBudget / 2);
      await expect(
        runDemo({ model: "mnist", liar: "challenger", k: 3, m, phases: 2, backend, keys: ["rv32im"] }),
      ).rejects.toBeInstanceOf(ClockBudgetError); // before the model run and any setup (which would take hours)
    }
    // a clock long enough for the same leaf passes the check (it would go on to set up: not run here)
    const slow = new SnarkLeaf("plonk", 4, { keys: ["rv32im"] }).worstProveSeconds();
    expect(() => checkLeafFitsClock(2 * Math.ceil(slow), slow)).not.toThrow();
  });
});
