/**
 * `zkfp dispute --config` and `--out`, through the real entry point (a child process per case, real
 * anvil): a 2x2 alphabet grid writes 4 CSV rows won by the honest side, config errors name the field
 * before any game, and an unwritable --out fails before any game.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadDisputeGrid, pointPhases } from "./disputeGrid.ts";
import { SimConfigError } from "../sims/errors.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const BIN = join(ROOT, "bin", "zkfp.js");
const dir = mkdtempSync(join(tmpdir(), "zkfp-dgrid-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function zkfp(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", timeout: 180_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
function config(name: string, cfg: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(cfg));
  return p;
}
/** a minimal CSV reader: the grid's cells hold no commas or quotes */
function csv(path: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path, "utf8").trim().split("\n");
  const cols = head!.split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i], v])));
}

describe("dispute --config (grid)", () => {
  it("plays a 2x2 alphabet grid on one anvil: 4 rows, honest side wins each, expected rounds", () => {
    const cfg = config("sweep.json", {
      grid: { k: [1, 3], liar: ["claimer", "challenger"], steps: ["2^5"], gasPriceGwei: [10] },
    });
    const out = join(dir, "r.csv");
    const r = zkfp(["dispute", "--config", cfg, "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const rows = csv(out);
    expect(rows).toHaveLength(4);
    expect(rows.map((x) => [x.k, x.liar])).toEqual([
      ["1", "claimer"],
      ["1", "challenger"],
      ["3", "claimer"],
      ["3", "challenger"],
    ]);
    for (const x of rows) {
      expect(x.winner).toBe(x.liar === "claimer" ? "challenger" : "claimer");
      expect(x.honestWon).toBe("true");
      expect(x.rounds).toBe(x.expectedRounds);
      expect(Number(x.gasClaimer)).toBeGreaterThan(0);
      expect(Number(x.ethClaimer)).toBeCloseTo((Number(x.gasClaimer) * 10) / 1e9, 12);
    }
    // ceil(log_(k+1) 32): 5 rounds at k = 1, 3 at k = 3
    expect(rows.map((x) => x.expectedRounds)).toEqual(["5", "5", "3", "3"]);
    // one progress line per point on stderr
    for (let i = 1; i <= 4; i++) expect(r.stderr).toContain(`point ${i}/4`);
    // one chain for the whole grid
    expect(r.stdout).toMatch(/^4 games on http:\/\/127\.0\.0\.1:\d+; honest side won 4\/4/);
  }, 180_000);

  it("a bad config field exits 65 naming it, before any game and without writing --out", () => {
    const out = join(dir, "bad.csv");
    for (const [cfg, field] of [
      [{ grid: { k: [1, 0] } }, "grid.k[1]"],
      [{ grid: { kk: [1] } }, "grid.kk"],
      [{ grid: { steps: ["2^x"] } }, "grid.steps[0]"],
      [{ grid: { liar: ["both"] } }, "grid.liar[0]"],
      [{ grid: { k: [1] }, keepGoing: "yes" }, "keepGoing"],
      [{ grid: { steps: [8], phases: ["4,4"] } }, "grid.phases"],
    ] as const) {
      const r = zkfp(["dispute", "--config", config("bad.json", cfg), "--out", out, "--json"]);
      expect(r.code, r.stderr).toBe(65);
      const e = JSON.parse(r.stdout).error;
      expect(e.name).toBe("SimConfigError");
      expect(e.detail.field).toBe(field);
      expect(r.stderr).not.toContain("point 1/");
      expect(existsSync(out)).toBe(false);
    }
  }, 120_000);

  it("an unwritable --out, a missing --out or a game option next to --config fail before any game (exit 64)", () => {
    const cfg = config("ok.json", { grid: { k: [1] } });
    for (const args of [
      ["--config", cfg, "--out", "/dev/null/x.csv"],
      ["--config", cfg, "--out", join(dir, "r.txt")],
      ["--config", cfg],
      ["--config", cfg, "--out", join(dir, "y.csv"), "--k", "3"],
      ["--out", "/dev/null/x.csv"],
    ]) {
      const r = zkfp(["dispute", ...args, "--json"]);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(64);
      expect(r.stderr).not.toContain("point 1/");
      expect(r.stderr).not.toContain("deploying");
    }
  }, 120_000);

  it("--out without --config writes the single game as one row", () => {
    const out = join(dir, "one.json");
    const r = zkfp(["dispute", "--steps", "16", "--k", "3", "--liar", "challenger", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const t = JSON.parse(readFileSync(out, "utf8"));
    expect(t.rows).toHaveLength(1);
    expect(t.rows[0]).toMatchObject({ layout: "16:3:1", liar: "challenger", winner: "claimer", honestWon: true });
  }, 120_000);
});

describe("loadDisputeGrid", () => {
  it("checks every point's phase layout before any game", () => {
    const p = config("lay.json", { grid: { k: [3], phases: ["4:2,4"] } });
    expect(pointPhases(loadDisputeGrid(p).points[0]!)).toEqual([
      { steps: 4n, k: 2, m: 1n },
      { steps: 4n, k: 3, m: 1n },
    ]);
    const bad = config("lay2.json", { grid: { k: [3, 256] } });
    expect(() => loadDisputeGrid(bad)).toThrow(SimConfigError);
  });
});
