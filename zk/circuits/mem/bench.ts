/**
 * Measurements of the table circuit (rv32im_mem) — one step per process so peak RSS belongs to it:
 *
 *   npx tsx zk/circuits/mem/bench.ts setup <m>     Groth16 setup (dev ptau generated if missing), cached
 *   npx tsx zk/circuits/mem/bench.ts prove <m>     prove + verify the first window of matmul_int.elf
 *                                                   from step 1000 that fits memCapsFor(m)
 * Prints one JSON line (wall/cpu seconds, peak RSS in MB) and records it in
 * bench/results/zk-steps.json (rows zk.mem.groth16.{setup_s,setup_rss_mb,prove_s,prove_rss_mb}.m=M,
 * replaced by name; report.ts keeps them).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { loadElf } from "../../../vm/elf.ts";
import { Trace } from "../../../vm/trace.ts";
import { REPO_ROOT, rv32imMemCircuit } from "../../prover/circuits.ts";
import { SnarkProver, setupCircuit } from "../../prover/snark.ts";
import { terminateCurve } from "../../snarkjs.ts";
import { memCapsFor } from "../build.ts";
import { memInputFromTrace, WindowFitError, type MemInput } from "./input.ts";

export const MEM_BENCH_GUEST = "matmul_int.elf";
export const MEM_BENCH_FROM = 1000;

/** The first window of the bench guest at or after MEM_BENCH_FROM that fits the default caps for m. */
export async function benchWindow(m: number): Promise<{ t: number; input: MemInput }> {
  const prog = loadElf(new Uint8Array(readFileSync(join(REPO_ROOT, "vm", "guests", "bin", MEM_BENCH_GUEST))));
  const tr = await Trace.create(prog, { maxSteps: MEM_BENCH_FROM + 40000 });
  for (let t = MEM_BENCH_FROM; t + m <= tr.length; t += t < MEM_BENCH_FROM + 64 ? 1 : 97) {
    try {
      return { t, input: memInputFromTrace(tr, t, m, memCapsFor(m)) };
    } catch (e) {
      if (!(e instanceof WindowFitError)) throw e;
    }
  }
  throw new Error(`no fitting window for m=${m}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [mode, ms] = process.argv.slice(2);
  const m = Number(ms);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let out: Record<string, unknown> = {};
  try {
    if (mode === "setup") {
      const art = await setupCircuit("groth16", await rv32imMemCircuit(m), {
        log: (s) => process.stderr.write(s + "\n"),
      });
      out = {
        m,
        caps: memCapsFor(m),
        key: art.key,
        cached: art.cached,
        constraints: art.meta.constraints,
        power: art.meta.power,
        setupSeconds: art.meta.setupSeconds,
        ptauSeconds: art.meta.ptauSeconds,
        zkeyBytes: art.meta.zkeyBytes,
      };
    } else if (mode === "prove") {
      const { t, input } = await benchWindow(m);
      const p = new SnarkProver("groth16", (mm) => rv32imMemCircuit(mm));
      const { bundle, timings } = await p.prove({
        m,
        circuitInput: input as unknown as Record<string, unknown>,
        fromStep: t,
      });
      if (!timings.cached) throw new Error("setup was not cached: run `setup` first");
      out = {
        m,
        fromStep: t,
        proveSeconds: timings.proveSeconds,
        verified: await p.verify(bundle),
        proofBytes: (bundle.calldata.length - 2) / 2,
      };
    } else throw new Error(`unknown mode ${mode}`);
  } finally {
    await terminateCurve();
  }
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - t0) / 1000,
    cpuS = (cpu.user + cpu.system) / 1e6,
    rss = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ mode, ...out, wallSeconds: wall, cpuSeconds: cpuS, maxRssMB: rss }) + "\n");
  const ctx = `RvStepsMem(${m}) ${JSON.stringify(memCapsFor(m))}, ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)} at the end`;
  const rows =
    mode === "setup"
      ? [
          {
            name: `zk.mem.groth16.setup_s.m=${m}`,
            compares: "groth16 setup (phase 2 zkey + vkey + verifier; dev ptau reused if cached)",
            value: out.cached ? Number.NaN : (out.setupSeconds as number),
            unit: "s",
            notes: `${ctx}; ${out.constraints} constraints, ptau 2^${out.power}; wall ${wall.toFixed(0)} s, cpu ${cpuS.toFixed(0)} s incl. compile lookup; zkey ${((out.zkeyBytes as number) / 2 ** 20).toFixed(0)} MB`,
          },
          {
            name: `zk.mem.groth16.setup_rss_mb.m=${m}`,
            compares: "peak RSS of the setup process",
            value: Math.round(rss),
            unit: "MB",
            notes: ctx,
          },
        ]
      : [
          {
            name: `zk.mem.groth16.prove_s.m=${m}`,
            compares: "groth16 prove (witness + proof, setup cached), matmul_int window",
            value: out.proveSeconds as number,
            unit: "s",
            notes: `${ctx}; steps ${out.fromStep}..${(out.fromStep as number) + m}; verified ${out.verified}; process wall ${wall.toFixed(1)} s, cpu ${cpuS.toFixed(1)} s`,
          },
          {
            name: `zk.mem.groth16.prove_rss_mb.m=${m}`,
            compares: "peak RSS of the prove process (incl. snarkjs workers)",
            value: Math.round(rss),
            unit: "MB",
            notes: ctx,
          },
        ];
  if (!out.cached || mode === "prove") {
    const file = join(REPO_ROOT, "bench", "results", "zk-steps.json");
    let doc: { results: { name: string }[] } & Record<string, unknown> = { results: [] };
    try {
      doc = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      /* first row */
    }
    doc.results = [...doc.results.filter((r) => !rows.some((x) => x.name === r.name)), ...rows];
    writeFileSync(file, JSON.stringify(doc, null, 2) + "\n");
  }
}
