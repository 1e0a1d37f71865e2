/**
 * Circuit benchmarks: constraints per step (full and lite, from the .r1cs headers of m = 1 and
 * m = 2) and circom wasm witness generation per step against the TS one-step verifier
 * (vm/verify.ts, the reference twin) on the same echo_input window. The heavy run also measures
 * m = 4. Compiles are cached (.cache/zk-circuits/), so only a first run pays circom.
 */
import { readFileSync } from "node:fs";
import type { BenchResult } from "../../scripts/bench.ts";
import { compileSteps } from "./build.ts";
import { calculateWitness, r1csInfo } from "./harness.ts";
import { circuitInputFromTrace } from "../witness-input.ts";
import { Trace } from "../../vm/trace.ts";
import { loadElf } from "../../vm/elf.ts";
import { verifyStep } from "../../vm/verify.ts";

export async function bench({ heavy }: { heavy: boolean }): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const count = async (m: number, v: "full" | "lite") => r1csInfo((await compileSteps(m, v)).r1cs).nConstraints;
  for (const v of ["full", "lite"] as const) {
    const [c1, c2] = [await count(1, v), await count(2, v)];
    out.push({
      name: `constraints per step (${v})`,
      compares: "C(m=2) - C(m=1)",
      value: c2 - c1,
      unit: "constraints",
      notes: `fixed ${2 * c1 - c2}`,
    });
  }
  const tr = await Trace.create(loadElf(readFileSync(new URL("../../vm/guests/bin/echo_input.elf", import.meta.url))), {
    input: new TextEncoder().encode("bench input"),
  });
  for (const m of heavy ? [2, 4] : [2]) {
    const art = await compileSteps(m);
    const windows = Array.from({ length: 6 }, (_, i) => 40 + i * 7 * m);
    const inputs = windows.map((t) => circuitInputFromTrace(tr, t, m));
    await calculateWitness(art, inputs[0]); // warm the wasm instance
    let t0 = performance.now();
    for (const inp of inputs) await calculateWitness(art, inp);
    const circ = (performance.now() - t0) / (inputs.length * m);
    const ws = windows.flatMap((t) =>
      Array.from({ length: m }, (_, k) => [tr.rootAt(t + k), tr.witnessAt(t + k)] as const),
    );
    t0 = performance.now();
    for (const [pre, w] of ws) verifyStep(pre, w);
    const ts = (performance.now() - t0) / ws.length;
    out.push({
      name: `witness generation per step (m=${m})`,
      compares: "circom wasm witness vs TS verifyStep",
      value: circ,
      unit: "ms",
      baseline: ts,
      ratio: circ / ts,
    });
  }
  return out;
}
