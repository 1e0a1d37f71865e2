/**
 * One measured step of zk.bench.ts in its own process, so peak memory (process.resourceUsage().maxRSS,
 * which covers snarkjs' worker threads) belongs to that step alone. Prints one JSON line.
 *
 *   child.ts setup  <groth16|plonk> <rv32im|counter> <m>
 *   child.ts prove  <groth16|plonk> <rv32im|counter> <m>    (setup must be cached)
 *   child.ts ptau   <power> <outFile>                         (fresh INSECURE dev ptau)
 *   child.ts snarkjs-ptau <power> <dir>                       (snarkjs new + beacon, then prepare phase2)
 *
 * The RV32IM input is the m steps of vm/guests/bin/matmul_int.elf from step BENCH_FROM (past start-up).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadElf } from "../../vm/index.ts";
import { Trace } from "../../vm/trace.ts";
import { circuitInputFromTrace } from "../witness-input.ts";
import { circuitFor, counterInput, REPO_ROOT, type CircuitId } from "../prover/circuits.ts";
import { SnarkProver, setupCircuit } from "../prover/snark.ts";
import { writeDevPtau, DEV_PTAU_CONTRIBUTION_NAME, beaconHashOf, DEFAULT_DEV_SEED } from "../setup/devptau.ts";
import { getCurve, snarkjs, terminateCurve } from "../snarkjs.ts";

export const BENCH_GUEST = "matmul_int.elf";
export const BENCH_FROM = 1000;

async function input(circuit: CircuitId, m: number): Promise<Record<string, unknown>> {
  if (circuit === "counter") return counterInput(BENCH_FROM, m);
  const prog = loadElf(new Uint8Array(readFileSync(join(REPO_ROOT, "vm", "guests", "bin", BENCH_GUEST))));
  const tr = await Trace.create(prog, { maxSteps: BENCH_FROM + m });
  return circuitInputFromTrace(tr, BENCH_FROM, m) as unknown as Record<string, unknown>;
}

const [mode, a, b, c] = process.argv.slice(2);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let out: Record<string, unknown> = {};
try {
  if (mode === "setup" || mode === "prove") {
    const backend = a as "groth16" | "plonk",
      circuit = b as CircuitId,
      m = Number(c);
    if (mode === "setup") {
      const art = await setupCircuit(backend, await circuitFor(circuit, m), {
        log: (s) => process.stderr.write(s + "\n"),
      });
      out = {
        key: art.key,
        cached: art.cached,
        constraints: art.meta.constraints,
        power: art.meta.power,
        ptauPower: art.meta.ptauPower,
        setupSeconds: art.meta.setupSeconds,
        ptauSeconds: art.meta.ptauSeconds,
        zkeyBytes: art.meta.zkeyBytes,
        verifierName: art.verifierName,
        dir: art.dir,
      };
    } else {
      const inp = await input(circuit, m);
      const p = new SnarkProver(backend, (mm) => circuitFor(circuit, mm));
      const { bundle, timings } = await p.prove({ m, circuitInput: inp, fromStep: BENCH_FROM });
      if (!timings.cached) throw new Error("setup was not cached");
      const ok = await p.verify(bundle);
      out = {
        proveSeconds: timings.proveSeconds,
        verified: ok,
        proofBytes: (bundle.calldata.length - 2) / 2,
        preRoot: bundle.preRoot,
        postRoot: bundle.postRoot,
        calldata: bundle.calldata,
      };
    }
  } else if (mode === "ptau") {
    const r = await writeDevPtau({ power: Number(a), out: b! });
    out = { seconds: r.seconds };
  } else if (mode === "snarkjs-ptau") {
    const s = await snarkjs(),
      curve = await getCurve(),
      p = Number(a),
      d = b!;
    const t1 = performance.now();
    await s.powersOfTau.newAccumulator(curve, p, join(d, "new.ptau"));
    await s.powersOfTau.beacon(
      join(d, "new.ptau"),
      join(d, "beacon.ptau"),
      DEV_PTAU_CONTRIBUTION_NAME,
      beaconHashOf(DEFAULT_DEV_SEED),
      10,
    );
    const t2 = performance.now();
    await s.powersOfTau.preparePhase2(join(d, "beacon.ptau"), join(d, "prepared.ptau"));
    out = { phase1Seconds: (t2 - t1) / 1000, prepareSeconds: (performance.now() - t2) / 1000 };
  } else throw new Error(`unknown mode ${mode}`);
} finally {
  await terminateCurve();
}
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  JSON.stringify({
    ...out,
    wallSeconds: (performance.now() - t0) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  }) + "\n",
);
