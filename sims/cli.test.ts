/** CLI tests for `zkfp sim` (cli/commands/sim.ts). */
import { describe, expect, it, vi, afterEach } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../cli/main.ts";

const cfgDir = new URL("./configs/", import.meta.url).pathname;

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "",
    err = "";
  const o = vi.spyOn(process.stdout, "write").mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, "write").mockImplementation((s) => {
    err += String(s);
    return true;
  });
  try {
    return { code: await main(argv), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}
afterEach(() => vi.restoreAllMocks());

describe("zkfp sim", () => {
  it("runs the timing model and prints exactly one JSON object with --json", async () => {
    const r = await run(["sim", "timing", "--config", join(cfgDir, "timing.json"), "--json"]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split("\n");
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]!);
    expect(j.kind).toBe("timing");
    expect(j.constants.length).toBeGreaterThan(5);
    expect(typeof j.summary["crossover.EZKL (1M nanoGPT = 80 min, linear).W=1h"]).toBe("number");
  });
  it("writes CSV, JSON and SVG outputs and shows progress on stderr", async () => {
    const d = mkdtempSync(join(tmpdir(), "zkfp-sim-"));
    const cfg = JSON.parse(readFileSync(join(cfgDir, "km.json"), "utf8"));
    cfg.kMax = 8;
    cfg.mMaxLog2 = 4;
    cfg.games.count = 200;
    cfg.games.batches = 2;
    cfg.N = [65536];
    writeFileSync(join(d, "km.json"), JSON.stringify(cfg));
    try {
      const r = await run([
        "sim",
        "km",
        "--config",
        join(d, "km.json"),
        "--seed",
        "5",
        "--threads",
        "1",
        "--out",
        join(d, "out"),
      ]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/checks: (\d+)\/\1 passed/);
      expect(r.err).toContain("sim km");
      const files = readdirSync(join(d, "out"));
      expect(files).toEqual(
        expect.arrayContaining(["km_grid.csv", "km_optima.csv", "km_checks.csv", "km_summary.json", "km_gas.svg"]),
      );
      expect(readFileSync(join(d, "out", "km_gas.svg"), "utf8")).toMatch(/^<svg/);
    } finally {
      rmSync(d, { recursive: true });
    }
  });
  it("names the bad config field in the JSON error", async () => {
    const d = mkdtempSync(join(tmpdir(), "zkfp-sim-"));
    const cfg = JSON.parse(readFileSync(join(cfgDir, "km.json"), "utf8"));
    cfg.kMax = -3;
    writeFileSync(join(d, "bad.json"), JSON.stringify(cfg));
    try {
      const r = await run(["sim", "km", "--config", join(d, "bad.json"), "--json"]);
      expect(r.code).toBe(65); // bad input data (cli/exit.ts)
      const j = JSON.parse(r.out);
      expect(j.error.name).toBe("SimConfigError");
      expect(j.error.detail.field).toBe("kMax");
    } finally {
      rmSync(d, { recursive: true });
    }
  });
  it("rejects a missing simulation name or config as usage errors", async () => {
    expect((await run(["sim", "--config", "x.json"])).code).toBe(64);
    expect((await run(["sim", "km"])).code).toBe(64);
    expect((await run(["sim", "km", "--config", join(cfgDir, "km.json"), "--seed", "-1"])).code).toBe(64);
  });
});
