import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { loadConfig, type AnyConfig } from "./config.ts";
import { loadConstants } from "./constants.ts";
import { runSim } from "./run.ts";
import { toCsv } from "./csv.ts";
import { runSweep } from "./pool.ts";

const dir = new URL("./configs/", import.meta.url).pathname;
const constants = loadConstants(join(dir, "no-bench-here"));

function smallEconomics(): AnyConfig {
  const ac = loadConfig(join(dir, "economics.json"), "economics");
  if (ac.kind !== "economics") throw new Error("kind");
  const c = structuredClone(ac.cfg);
  c.felten.rounds = 2000;
  c.felten.fpRounds = 1000;
  c.felten.xGrid.steps = 5;
  c.validators.rounds = 1000;
  c.validators.n = [1, 3];
  c.validators.S = [100];
  c.stake.trials = 500;
  c.stake.watchers = [2];
  c.delay.trials = 20;
  c.delay.budgetEth = { from: 2, to: 20, perDecade: 1 };
  return { kind: "economics", cfg: c };
}
const csvs = (o: Awaited<ReturnType<typeof runSim>>) => o.tables.map((t) => toCsv(t)).join("\n#\n");

describe("determinism", () => {
  it("the same seed gives byte-identical CSVs, inline or over 2 worker threads", async () => {
    const ac = smallEconomics();
    const a = await runSim(ac, constants, { seed: 99, threads: 1 });
    const b = await runSim(ac, constants, { seed: 99, threads: 2 });
    expect(csvs(b)).toBe(csvs(a));
    const c = await runSim(ac, constants, { seed: 100, threads: 1 });
    expect(csvs(c)).not.toBe(csvs(a));
  });
  it("worker threads report a failing task as a typed error", async () => {
    await expect(runSweep("no.such.task", [1, 2], { threads: 2 })).rejects.toThrow(/no.such.task/);
    await expect(runSweep("no.such.task", [1], { threads: 1 })).rejects.toThrow(/unknown sweep task/);
  });
  it("reports progress for every task", async () => {
    const seen: number[] = [];
    await runSweep(
      "felten.mc",
      [0, 1, 2].map((i) => ({
        f: { C: 1, R: 1, L: 1, G: 1, P: 1, q: 0, A: 0, p: 0, J: 0 },
        mode: "plain",
        X: 0.1,
        rounds: 10,
        seed: 1,
        index: i,
      })),
      { threads: 2, onProgress: (d) => seen.push(d) },
    );
    expect(seen.sort()).toEqual([1, 2, 3]);
  });
});
