/**
 * The first-run experience of the zk path (issue 13): a witness the inputs do not satisfy is a
 * typed WitnessUnsatisfiable with nothing raw on the console; the cost model matches the measured
 * circuit sizes; a huge `zkfp prove` is refused with its estimate (exit 64) unless --yes; a compile
 * shows progress lines with an estimate on stderr (spawned CLI); the demo's leaf choice.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { counterCircuit, counterInput, REPO_ROOT } from "./circuits.ts";
import { cacheRoot, compileCircuit } from "./snark.ts";
import { confirmLarge, constraintsOf, estimate, LargeRequestError } from "./estimate.ts";
import { chooseLeaf } from "./leaf.ts";
import { parseWitnessError, WitnessUnsatisfiable } from "./witness.ts";
import { snarkjs, terminateCurve } from "../snarkjs.ts";

const tmp = mkdtempSync(join(tmpdir(), "zkfp-firstrun-"));
afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await terminateCurve();
});

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, "bin", "zkfp.js"), ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("WitnessUnsatisfiable", () => {
  it("a false post-root is a typed error naming template and line, and no ERROR line reaches the console", async () => {
    const dir = await compileCircuit(counterCircuit(1));
    const input = await counterInput(3, 1);
    const s = await snarkjs();
    const err = vi.spyOn(console, "error");
    const log = vi.spyOn(console, "log");
    try {
      // the honest input has a witness ...
      await s.wtns.calculate(input, join(dir, "circuit.wasm"), { type: "mem" });
      // ... the liar's post-root has none
      const e = await s.wtns
        .calculate({ ...input, postRoot: (BigInt(input.postRoot!) + 1n).toString() }, join(dir, "circuit.wasm"), {
          type: "mem",
        })
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(WitnessUnsatisfiable);
      expect((e as WitnessUnsatisfiable).name).toBe("WitnessUnsatisfiable");
      expect((e as WitnessUnsatisfiable).detail).toMatchObject({ kind: "Assert Failed", code: 4 });
      expect((e as WitnessUnsatisfiable).detail.template).toMatch(/^CounterChain/);
      expect((e as WitnessUnsatisfiable).detail.line).toBeGreaterThan(0);
      const raw = [...err.mock.calls, ...log.mock.calls].filter((a) => String(a[0]).startsWith("ERROR"));
      expect(raw).toEqual([]);
    } finally {
      err.mockRestore();
      log.mockRestore();
    }
  });

  it("a malformed input (a caller bug) is not reported as unsatisfiable", async () => {
    const dir = await compileCircuit(counterCircuit(1));
    const e = await (await snarkjs()).wtns
      .calculate({ preRoot: "1" }, join(dir, "circuit.wasm"), { type: "mem" })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(WitnessUnsatisfiable);
  });

  it("parses circom_runtime's message", () => {
    expect(
      parseWitnessError("Assert Failed. Error in template RvSteps_162 line: 616\n", [
        ["ERROR: ", 4, "Error in template RvSteps_162 line: 616\n"],
      ]),
    ).toMatchObject({ kind: "Assert Failed", template: "RvSteps_162", line: 616, code: 4 });
  });
});

describe("cost model", () => {
  it("circuit sizes are the measured ones (zk/CONSTRAINTS.md, zk-universal.json)", () => {
    expect([1, 2, 4, 8, 16].map((m) => constraintsOf("rv32im", m))).toEqual([31_574, 44_454, 70_214, 121_734, 224_774]);
    expect(constraintsOf("counter", 2)).toBe(720);
    expect(estimate({ backend: "groth16", circuit: "rv32im", m: 2 }).power).toBe(16);
    expect(estimate({ backend: "plonk", circuit: "rv32im", m: 1 }).power).toBe(19);
    expect(estimate({ backend: "plonk", circuit: "rv32im", m: 2 }).power).toBe(20);
    // FFLONK: 9 * 2^cirPower + 18 tau powers, PLONK's power + 3 (snarkjs refused RvSteps(1) at 2^19; counter m = 2 took 2^16)
    expect(estimate({ backend: "fflonk", circuit: "rv32im", m: 1 }).power).toBe(22);
    expect(estimate({ backend: "fflonk", circuit: "counter", m: 2 }).power).toBe(16);
    expect(estimate({ backend: "fflonk", circuit: "rv32im", m: 1 }).gates).toBe(476_541);
    expect(estimate({ backend: "groth16", circuit: "rv32im", m: 1000 }).constraints).toBe(12_898_694);
  });

  it("cached parts cost nothing; limits refuse unless confirmed", () => {
    // m = 32: cold ~36 min (compile ~18 min + dev ptau 2^19 + known-tau setup), over the 30-min limit
    const cold = estimate({ backend: "groth16", circuit: "rv32im", m: 32 });
    const warm = estimate({ backend: "groth16", circuit: "rv32im", m: 32, cached: { setup: true } });
    expect(warm.seconds.total).toBeLessThan(cold.seconds.total / 20);
    expect(warm.seconds.setup + warm.seconds.ptau + warm.seconds.compile).toBe(0);
    expect(() => confirmLarge(cold, { confirmLarge: false })).toThrow(LargeRequestError);
    expect(() => confirmLarge(cold, { confirmLarge: true })).not.toThrow();
    expect(() => confirmLarge(warm, { confirmLarge: false })).not.toThrow();
  });
});

describe("zkfp prove: estimate first, refusal, progress", () => {
  it("--steps 1000 is refused with its estimate and exit 64, naming --yes, before anything runs", () => {
    const r = cli(["prove", "--elf", "nonexistent.elf", "--steps", "1000"], { ZKFP_CACHE_DIR: join(tmp, "empty") });
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/12\.9M constraints/);
    expect(r.stderr).toMatch(/peak memory ~\d+ GB/);
    expect(r.stderr).toMatch(/--yes/);
    expect(r.stdout).toBe("");
    const j = cli(["prove", "--backend", "plonk", "--steps", "1", "--json"], { ZKFP_CACHE_DIR: join(tmp, "empty") });
    expect(j.code).toBe(64);
    const out = JSON.parse(j.stdout) as {
      error: { name: string; detail: { estimate: { power: number; gates: number }; flag: string } };
    };
    expect(out.error).toMatchObject({
      name: "LargeRequestError",
      detail: { flag: "--yes", estimate: { power: 19, gates: 476_541 } },
    });
    const f = cli(["prove", "--backend", "fflonk", "--steps", "1", "--json"], { ZKFP_CACHE_DIR: join(tmp, "empty") });
    expect(f.code).toBe(64);
    expect(JSON.parse(f.stdout)).toMatchObject({
      error: { name: "LargeRequestError", detail: { estimate: { backend: "fflonk", power: 22 } } },
    });
  });

  it("a cold compile and setup show progress lines with estimates on stderr; stdout stays the result", () => {
    // fresh cache (so the circuit compiles); the dev ptau files are shared with the default cache
    const cache = join(tmp, "cache");
    mkdirSync(join(cacheRoot(), "ptau"), { recursive: true });
    mkdirSync(cache, { recursive: true });
    symlinkSync(join(cacheRoot(), "ptau"), join(cache, "ptau"));
    const r = cli(["prove", "--circuit", "counter", "--steps", "1", "--json"], { ZKFP_CACHE_DIR: cache });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^zkfp: prove groth16 counter m=1: 480 constraints, ptau 2\^9; estimate ~/m);
    expect(r.stderr).toMatch(/^zkfp: circom compile counter m=1 \(~480 constraints\) \.\.\. \(estimate ~[\d.]+s\)$/m);
    expect(r.stderr).toMatch(/^zkfp: circom compile counter m=1 \(~480 constraints\) done in /m);
    expect(r.stderr).toMatch(/^zkfp: groth16 setup: zkey new .* \(estimate ~/m);
    expect(r.stderr).toMatch(/^zkfp: witness counter m=1 \.\.\./m);
    expect(r.stderr).toMatch(/^zkfp: groth16 prove counter m=1 done in /m);
    expect(JSON.parse(r.stdout)).toMatchObject({ backend: "groth16", circuit: "counter", steps: 1 });
  });
});

describe("chooseLeaf", () => {
  it("without a cached setup whose build exceeds the budget: the one-step leaf, saying why and what --m costs", async () => {
    const prev = process.env.ZKFP_CACHE_DIR;
    process.env.ZKFP_CACHE_DIR = join(tmp, "empty");
    try {
      const c = await chooseLeaf({ m: 2, budgetSeconds: 120 });
      expect(c).toMatchObject({ m: 1, kind: "one-step" });
      expect(c.zk!.cached).toEqual({ compiled: false, ptau: false, setup: false });
      expect(c.reason).toMatch(/--m 2/);
      expect(c.reason).toMatch(/44k constraints/);
      // asked for explicitly: kept (its cost is under the limits), or refused above them
      expect(await chooseLeaf({ m: 2, budgetSeconds: 120, explicit: true })).toMatchObject({ m: 2, kind: "zk" });
      await expect(chooseLeaf({ m: 16, budgetSeconds: 120, explicit: true })).rejects.toBeInstanceOf(LargeRequestError);
      expect(await chooseLeaf({ m: 16, budgetSeconds: 120, explicit: true, confirmLarge: true })).toMatchObject({
        m: 16,
        kind: "zk",
      });
      expect(await chooseLeaf({ m: 1, budgetSeconds: 120 })).toMatchObject({ m: 1, kind: "one-step", zk: null });
    } finally {
      if (prev === undefined) delete process.env.ZKFP_CACHE_DIR;
      else process.env.ZKFP_CACHE_DIR = prev;
    }
  });
});

describe("zkfp demo: leaf choice wired", () => {
  it("an explicit huge --m / PLONK is refused with its estimate (exit 64) before anything runs", () => {
    const r = cli(["demo", "--m", "2", "--backend", "plonk", "--json"], { ZKFP_CACHE_DIR: join(tmp, "empty") });
    expect(r.code).toBe(64);
    const out = JSON.parse(r.stdout) as {
      error: { name: string; message: string; detail: { estimate: { power: number } } };
    };
    expect(out.error).toMatchObject({ name: "LargeRequestError", detail: { estimate: { power: 20 } } });
    expect(out.error.message).toMatch(/--yes/);
  });
});
