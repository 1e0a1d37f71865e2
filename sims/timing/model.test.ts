import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { loadConfig } from "../config.ts";
import { loadConstants } from "../constants.ts";
import { crossover, crossoverAt } from "./model.ts";
import { buildModel } from "./run.ts";

const cfgFile = join(new URL("../configs/", import.meta.url).pathname, "timing.json");

describe("opML vs zkML timing", () => {
  it("finds the crossover where two increasing curves meet (bisection on log P)", () => {
    const P = crossover(
      (x) => (4800 * x) / 1e6,
      () => 3600,
      1e4,
      1e11,
    );
    expect(P).toBeCloseTo(750_000, 0);
    expect(
      crossover(
        (x) => x,
        () => 1,
        10,
        100,
      ),
    ).toBe(10);
    expect(
      Number.isNaN(
        crossover(
          () => 0,
          () => 1,
          10,
          100,
        ),
      ),
    ).toBe(true);
  });
  it("reports a crossing below the grid by bisecting below it, not the grid's lower edge", () => {
    const r = crossoverAt(
      (x) => x,
      () => 326,
      1e4,
      1e11,
    );
    expect(r.where).toBe("below grid");
    expect(r.P).toBeCloseTo(326, 6);
    expect(
      crossoverAt(
        (x) => x,
        () => 0.5,
        1e4,
        1e11,
      ),
    ).toEqual({ P: 1, where: "at floor" });
    expect(
      crossoverAt(
        (x) => x,
        () => 1e6,
        1e4,
        1e11,
      ).where,
    ).toBe("in grid");
    expect(
      crossoverAt(
        () => 0,
        () => 1,
        10,
        100,
      ).where,
    ).toBe("none");
  });
  it("puts a challenge at the end of the window: disputed finality is W + D, worst case W + both clocks", () => {
    const ac = loadConfig(cfgFile, "timing");
    if (ac.kind !== "timing") throw new Error("kind");
    const M = buildModel(ac.cfg, loadConstants(join(new URL("../", import.meta.url).pathname, "no-bench-here")));
    const o = { k: 7, m: 16, phases: 2 as const };
    for (const P of [1e5, 7e9]) {
      expect(M.opDisputedS(P, o, 24) - M.opUndisputedS(P, 24)).toBeCloseTo(M.disputeS(P, o), 6);
      expect(M.opWorstS(P, 168) - M.opUndisputedS(P, 168)).toBeCloseTo(2 * ac.cfg.opml.clockH * 3600, 6);
    }
  });
  it("at the EZKL crossover zk proving takes exactly the window, and opML wins beyond it", () => {
    const ac = loadConfig(cfgFile, "timing");
    if (ac.kind !== "timing") throw new Error("kind");
    const M = buildModel(ac.cfg, loadConstants(join(new URL("../", import.meta.url).pathname, "no-bench-here")));
    const i = ac.cfg.zkml.backends.findIndex((b) => b.name.startsWith("EZKL"));
    const P = crossover(
      (x) => M.zkFinalityS(i, x),
      (x) => M.opUndisputedS(x, 1),
      1e4,
      1e11,
    );
    expect(M.zkFinalityS(i, P) / M.opUndisputedS(P, 1)).toBeCloseTo(1, 6);
    expect(M.zkFinalityS(i, P * 2)).toBeGreaterThan(M.opUndisputedS(P * 2, 1));
  });
  it("more checkpoints per move never add dispute rounds", () => {
    const ac = loadConfig(cfgFile, "timing");
    if (ac.kind !== "timing") throw new Error("kind");
    const M = buildModel(ac.cfg, loadConstants(join(new URL("../", import.meta.url).pathname, "no-bench-here")));
    for (const P of [1e5, 1e7, 7e9]) {
      let prev = Infinity;
      for (const k of [1, 3, 7, 15, 63]) {
        const r = M.disputeRounds(P, { k, m: 16, phases: 1 });
        expect(r).toBeLessThanOrEqual(prev);
        prev = r;
      }
    }
  });
});
