/** The benchmark's result shaping (the measurements themselves run in zk.bench.ts, not in the suite). */
import { describe, expect, it } from "vitest";
import { markdownTable, rowResults, type Row } from "./zk.bench.ts";

const row = (
  m: number,
  constraints: number,
  backend: "groth16" | "plonk" = "groth16",
  circuit: "rv32im" | "counter" = "rv32im",
): Row => ({
  backend,
  circuit,
  m,
  constraints,
  power: 15,
  setupS: 50,
  ptauS: 0,
  proveS: 4 * m,
  proveCpuS: 6 * m,
  proveRssMB: 400,
  setupRssMB: 900,
  proofBytes: backend === "groth16" ? 256 : 768,
  gasTx: backend === "groth16" ? 240_000 : 330_000,
  gasExec: 200_000,
  zkeyMB: 17,
});

describe("zk bench results", () => {
  it("names results as the models look them up and derives constraints per step", () => {
    const r = rowResults([row(1, 31_574), row(2, 44_454), row(2, 720, "plonk", "counter")]);
    const by = Object.fromEntries(r.map((x) => [x.name, x.value]));
    expect(by["zk.groth16.prove_s.m=2"]).toBe(8);
    expect(by["zk.groth16.verify_gas"]).toBe(240_000);
    expect(by["zk.plonk.verify_gas"]).toBe(330_000);
    expect(by["zk.counter.plonk.prove_s.m=2"]).toBe(8);
    expect(by["zk.constraints_per_step"]).toBe(12_880);
    expect(by["zk.constraints.m=1"]).toBe(31_574);
    expect(by["zk.constraints.m=2"]).toBe(44_454);
  });

  it("prints one markdown row per measurement", () => {
    const t = markdownTable([row(1, 31_574), row(2, 720, "plonk", "counter")]).split("\n");
    expect(t).toHaveLength(4);
    expect(t[2]).toBe("| rv32im | groth16 | 1 | 31,574 | 2^15 | 50 | 4.0 | 400 | 256 | 240,000 |");
  });
});
