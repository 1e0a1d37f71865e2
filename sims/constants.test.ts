import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConstants, readBenchResults, storiesParams, TABLE_PROVE_PREFIX } from "./constants.ts";
import { BenchFileError } from "./errors.ts";
import { readCalibration, toBenchResults } from "./km/calibrate.ts";
import { toCsv } from "./csv.ts";

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
    for (const k of c.list) {
      expect(k.source.kind).toBe("cited");
      if (k.source.kind === "cited") expect(k.source.ref.length).toBeGreaterThan(10);
    }
    expect(c.value("groth16VerifyGas")).toBe(220_000);
  });
  it("reads results by name and fits move gas and prove time lines", () => {
    const d = benchDir({
      "game.json": {
        machine: {},
        results: [
          r("game.move_gas.k=1", 71_000),
          r("game.move_gas.k=7", 77_000),
          r("game.move_gas.k=15", 85_000),
          r("game.select_gas", 44_000),
        ],
      },
      "zk.json": {
        machine: {},
        results: [
          r("zk.groth16.verify_gas", 231_000),
          r("zk.groth16.prove_s.m=1", 3, "s"),
          r("zk.groth16.prove_s.m=16", 18, "s"),
        ],
      },
    });
    try {
      const c = loadConstants(d);
      expect(c.moveGas(0)).toBeCloseTo(70_000, 6);
      expect(c.value("movePerCheckpointGas")).toBeCloseTo(1_000, 6);
      expect(c.get("selectGas").source).toEqual({
        kind: "measured",
        file: expect.stringContaining("game.json"),
        name: "game.select_gas",
      });
      expect(c.arbitrationGas(16)).toBe(231_000);
      expect(c.proveSeconds(16)).toBeCloseTo(18, 9);
      expect(c.proveSeconds(1)).toBe(0);
      expect(c.get("oneStepGas").source.kind).toBe("cited");
    } finally {
      rmSync(d, { recursive: true });
    }
  });
  it("rejects a malformed bench file naming it", () => {
    const d = benchDir({ "bad.json": { machine: {}, results: [{ name: "x", value: "fast" }] } });
    try {
      expect(() => readBenchResults(d)).toThrow(BenchFileError);
      try {
        readBenchResults(d);
      } catch (e) {
        expect(String((e as BenchFileError).detail.file)).toContain("bad.json");
      }
    } finally {
      rmSync(d, { recursive: true });
    }
    const d2 = benchDir({ "notjson.json": "{" });
    try {
      expect(() => readBenchResults(d2)).toThrow(BenchFileError);
    } finally {
      rmSync(d2, { recursive: true });
    }
  });
  it("reads the universal-setup benchmark's rows under zk.universal.* names and rejects a row without circuit", () => {
    const d = benchDir({
      "zk-universal.json": {
        rows: [
          {
            step: "run fflonk counter 2",
            backend: "fflonk",
            circuit: "counter",
            m: 2,
            constraints: 720,
            setupSeconds: 22.5,
            proveSeconds: 36,
            verifyGasTx: 201_799,
          },
          { step: "gates rv32im 4", circuit: "rv32im", m: 4, constraints: 70_214, plonkGates: 1_284_780 },
          { step: "run plonk rv32im 1", backend: "plonk", circuit: "rv32im", m: 1, error: "ptau too small" },
          { step: "setup fflonk rv32im 1 some.ptau", error: "ptau too small", stoppedBy: "needs 2^22" },
        ],
      },
    });
    try {
      const got = Object.fromEntries(readBenchResults(d).map((x) => [x.name, x.value]));
      expect(got).toEqual({
        "zk.universal.counter.fflonk.constraints.m=2": 720,
        "zk.universal.counter.fflonk.setup_s.m=2": 22.5,
        "zk.universal.counter.fflonk.prove_s.m=2": 36,
        "zk.universal.counter.fflonk.verify_gas.m=2": 201_799,
        "zk.universal.rv32im.gates.constraints.m=4": 70_214,
        "zk.universal.rv32im.gates.plonk_gates.m=4": 1_284_780,
      });
    } finally {
      rmSync(d, { recursive: true });
    }
    const bad = benchDir({ "zk-universal.json": { rows: [{ backend: "plonk", m: 2 }] } });
    try {
      expect(() => readBenchResults(bad)).toThrow(BenchFileError);
    } finally {
      rmSync(bad, { recursive: true });
    }
  });
  it("fills gaps from an anvil calibration, but committed bench series win", () => {
    const calib = toBenchResults([
      { op: "checkpoints", k: 1, c: 1, gas: 45_000 },
      { op: "checkpoints", k: 3, c: 3, gas: 48_000 },
      { op: "checkpoints", k: 3, c: 3, gas: 50_000 },
      { op: "select", k: 1, c: 1, gas: 44_000 },
      { op: "select", k: 3, c: 3, gas: 46_000 },
      { op: "claim", k: 1, c: 0, gas: 180_000 },
    ]);
    expect(calib.find((r) => r.name === "game.move_gas.k=3")!.value).toBe(49_000);
    const empty = benchDir({});
    const withBench = benchDir({
      "game.json": { machine: {}, results: [r("game.move_gas.k=1", 70_000), r("game.move_gas.k=2", 71_000)] },
    });
    try {
      const a = loadConstants(empty, { file: "papers/data/anvil_moves.csv", results: calib });
      expect(a.moveGas(0)).toBeCloseTo(43_000, 6);
      expect(a.value("movePerCheckpointGas")).toBeCloseTo(2_000, 6);
      expect(a.get("claimGas").source).toEqual({
        kind: "measured",
        file: "papers/data/anvil_moves.csv",
        name: "game.claim_gas",
      });
      expect(a.selectGas(3) - a.selectGas(1)).toBeCloseTo(2_000, 6);
      const b = loadConstants(withBench, { file: "papers/data/anvil_moves.csv", results: calib });
      expect(b.value("movePerCheckpointGas")).toBeCloseTo(1_000, 6);
      const src = b.get("moveBaseGas").source;
      expect(src.kind === "measured" ? src.file : "").toContain("game.json");
    } finally {
      rmSync(empty, { recursive: true });
      rmSync(withBench, { recursive: true });
    }
  });
  it("derives VM steps per parameter: int8 from the MNIST bench, float32 from the stories260K bench", () => {
    const sp = storiesParams();
    expect(sp).toBe(260_032);
    const d = benchDir({
      "ml.json": {
        machine: {},
        results: [
          r("mnist_vm_steps_per_image", 50_890 * 7, "steps"),
          r("stories_vm_steps_per_token", 260_032 * 203, "steps"),
        ],
      },
    });
    try {
      const c = loadConstants(d);
      expect(c.value("stepsPerParamInt8")).toBeCloseTo(7, 12);
      expect(c.get("stepsPerParamInt8").source.kind).toBe("measured");
      expect(c.value("stepsPerParam")).toBeCloseTo(203, 12);
      expect(c.get("stepsPerParam").source.kind).toBe("measured");
    } finally {
      rmSync(d, { recursive: true });
    }
  });
  it("never reads all.json and counts a result repeated across files once (fit points not duplicated)", () => {
    const zk = {
      machine: {},
      results: [
        r("zk.groth16.prove_s.m=1", 10, "s"),
        r("zk.groth16.prove_s.m=2", 12, "s"),
        r("zk.groth16.prove_s.m=4", 14, "s"),
        r("vm.steps_per_s.checkpoint_2^16", 1.2e7, "steps/s"),
      ],
    };
    const d = benchDir({
      "zk.json": zk,
      "all.json": { machine: {}, results: [...zk.results, r("zk.groth16.prove_s.m=8", 99, "s")] },
      "zz.json": { machine: {}, results: [r("zk.groth16.prove_s.m=2", 50, "s")] },
    });
    try {
      const c = loadConstants(d);
      expect(c.benchFiles.some((f) => f.endsWith("all.json"))).toBe(false);
      expect(c.provePoints.map((p) => p.m)).toEqual([1, 2, 4]);
      expect(c.value("mMeasuredMax")).toBe(4);
      expect(c.value("proveSecondsPerStep")).toBeCloseTo(9 / 7, 9); // least squares through (1,10), (2,12), (4,14)
      expect(c.measuredM(4)).toBe(true);
      expect(c.measuredM(8)).toBe(false);
      expect(c.value("vmStepsPerSec")).toBe(1.2e7);
      expect(c.withValues({ vmStepsPerSec: 1 }).value("vmStepsPerSec")).toBe(1);
      expect(() => c.withValues({ noSuchConstant: 1 })).toThrow(BenchFileError);
    } finally {
      rmSync(d, { recursive: true });
    }
  });
  it("fits prove time over the table circuit's measured m when it has two, else over RvSteps'", () => {
    const zk = { machine: {}, results: [r("zk.groth16.prove_s.m=1", 10, "s"), r("zk.groth16.prove_s.m=2", 12, "s")] };
    const one = { machine: {}, results: [r(`${TABLE_PROVE_PREFIX}prove_s.m=16`, 11, "s")] };
    const d1 = benchDir({ "zk.json": zk, "zk-prove.json": one });
    const d2 = benchDir({
      "zk.json": zk,
      "zk-prove.json": {
        machine: {},
        results: [
          ...one.results,
          r(`${TABLE_PROVE_PREFIX}prove_s.m=64`, 35, "s"),
          r(`${TABLE_PROVE_PREFIX}prove_rss_mb.m=16`, 800, "MB"),
          r(`${TABLE_PROVE_PREFIX}prove_rss_mb.m=64`, 2000, "MB"),
        ],
      },
    });
    try {
      const c1 = loadConstants(d1);
      expect(c1.provePoints.map((p) => p.m)).toEqual([1, 2]);
      expect(c1.value("mMeasuredMax")).toBe(2);
      const c2 = loadConstants(d2);
      expect(c2.provePoints.map((p) => [p.m, p.prefix])).toEqual([
        [16, TABLE_PROVE_PREFIX],
        [64, TABLE_PROVE_PREFIX],
      ]);
      expect(c2.value("mMeasuredMax")).toBe(64);
      expect(c2.value("proveSecondsPerStep")).toBeCloseTo(24 / 48, 12);
      expect(c2.value("proveRssMbPerStep")).toBeCloseTo(1200 / 48, 12);
      expect(c2.measuredM(64)).toBe(true);
      expect(c2.measuredM(65)).toBe(false);
    } finally {
      rmSync(d1, { recursive: true });
      rmSync(d2, { recursive: true });
    }
  });
  it("reads a committed calibration back and rejects a malformed one", () => {
    const d = benchDir({});
    try {
      const rows = [
        { op: "checkpoints", k: 7, c: 7, gas: 55_000 },
        { op: "select", k: 7, c: 7, gas: 50_000 },
      ];
      writeFileSync(join(d, "a.csv"), toCsv({ name: "anvil_moves", columns: ["op", "k", "c", "gas"], rows }));
      expect(readCalibration(join(d, "a.csv"))).toEqual(rows);
      expect(readCalibration(join(d, "missing.csv"))).toBeNull();
      writeFileSync(join(d, "b.csv"), "op,k,c,gas\ncheckpoints,7,x,1\n");
      expect(() => readCalibration(join(d, "b.csv"))).toThrow(BenchFileError);
    } finally {
      rmSync(d, { recursive: true });
    }
  });
});
