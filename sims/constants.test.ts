import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConstants, readBenchResults } from "./constants.ts";
import { BenchFileError } from "./errors.ts";

function benchDir(files: Record<string, unknown>): string {
  const d = mkdtempSync(join(tmpdir(), "zkfp-bench-"));
  for (const [n, v] of Object.entries(files)) writeFileSync(join(d, n), typeof v === "string" ? v : JSON.stringify(v));
  return d;
}
const r = (name: string, value: number, unit = "gas") => ({ name, compares: "test", value, unit });

describe("measured constants", () => {
  it("falls back to cited values, each with its source, when no bench results exist", () => {
    const c = loadConstants(join(tmpdir(), "zkfp-no-such-dir"));
    expect(c.benchFiles).toEqual([]);
    for (const k of c.list) { expect(k.source.kind).toBe("cited"); if (k.source.kind === "cited") expect(k.source.ref.length).toBeGreaterThan(10); }
    expect(c.value("groth16VerifyGas")).toBe(220_000);
  });
  it("reads results by name and fits move gas and prove time lines", () => {
    const d = benchDir({ "game.json": { machine: {}, results: [r("game.move_gas.k=1", 71_000), r("game.move_gas.k=7", 77_000), r("game.move_gas.k=15", 85_000), r("game.select_gas", 44_000)] },
      "zk.json": { machine: {}, results: [r("zk.groth16.verify_gas", 231_000), r("zk.groth16.prove_s.m=1", 3, "s"), r("zk.groth16.prove_s.m=16", 18, "s")] } });
    try {
      const c = loadConstants(d);
      expect(c.moveGas(0)).toBeCloseTo(70_000, 6);
      expect(c.value("movePerCheckpointGas")).toBeCloseTo(1_000, 6);
      expect(c.get("selectGas").source).toEqual({ kind: "measured", file: expect.stringContaining("game.json"), name: "game.select_gas" });
      expect(c.arbitrationGas(16)).toBe(231_000);
      expect(c.proveSeconds(16)).toBeCloseTo(18, 9);
      expect(c.proveSeconds(1)).toBe(0);
      expect(c.get("oneStepGas").source.kind).toBe("cited");
    } finally { rmSync(d, { recursive: true }); }
  });
  it("rejects a malformed bench file naming it", () => {
    const d = benchDir({ "bad.json": { machine: {}, results: [{ name: "x", value: "fast" }] } });
    try {
      expect(() => readBenchResults(d)).toThrow(BenchFileError);
      try { readBenchResults(d); } catch (e) { expect(String((e as BenchFileError).detail.file)).toContain("bad.json"); }
    } finally { rmSync(d, { recursive: true }); }
    const d2 = benchDir({ "notjson.json": "{" });
    try { expect(() => readBenchResults(d2)).toThrow(BenchFileError); } finally { rmSync(d2, { recursive: true }); }
  });
});
