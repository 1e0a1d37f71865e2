/**
 * `zkfp prove`: one zk proof that the guest's state root after step T becomes the root after step
 * T + M (the multi-step arbitrator's leaf), written as a `zkfp-proof/1` file (zk/prover/types.ts).
 *
 * Setup comes from the content-addressed cache (.cache/zk/); the first run for a circuit size
 * compiles it and runs the setup. Without `--ptau` / ZKFP_PTAU the setup uses the INSECURE dev ptau
 * (zk/setup/devptau.ts) and a random phase 2, and the output says so (`setup.insecure` and the
 * reasons). Without `--out` stdout is exactly the proof file (so `prove > p.json` works) and the
 * summary goes to stderr. `--circuit counter` proves the dev Poseidon counter machine instead of
 * RV32IM (no ELF needed; for pipeline checks).
 *
 * Before anything runs it prints the request's size, time and memory estimate (zk/prover/estimate.ts,
 * minus what the cache holds) and refuses a request above the limits (30 min, 8 GB) with exit 64
 * unless `--yes` (e.g. `--steps 1000`, ~12.9M constraints; `--backend plonk` on RV32IM, ptau 2^19+).
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { Command } from "../command.ts";
import { UsageError } from "../args.ts";
import { loadElf } from "../../vm/index.ts";
import { Trace } from "../../vm/trace.ts";
import {
  BACKENDS,
  Risc0Prover,
  counterInput,
  makeProver,
  type Backend,
  type CircuitId,
} from "../../zk/prover/index.ts";
import { terminateCurve } from "../../zk/snarkjs.ts";
import { confirmLarge, describeEstimate } from "../../zk/prover/estimate.ts";
import { estimateRequest } from "../../zk/prover/leaf.ts";

function readFileArg(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new UsageError(`cannot read ${what}`, { path, reason: (e as Error).message });
  }
}

function intOpt(v: unknown, name: string, min: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min)
    throw new UsageError(`--${name} must be an integer >= ${min}`, { option: name, value: v ?? null });
  return v;
}

export const prove: Command = {
  name: "prove",
  summary: "zk-prove M steps of a guest (state root at step T -> root at T+M) with Groth16, PLONK or risc0",
  usage:
    "zkfp prove --elf FILE --from-step T --steps M [--backend groth16|plonk|fflonk|risc0] [--input FILE] [--out FILE] [--ptau FILE] [--yes] [--json]",
  options: {
    elf: { type: "string", desc: "guest ELF (RV32IM, linked with vm/guests/link.ld)" },
    "from-step": { type: "number", desc: "first step T of the interval", default: 0 },
    steps: { type: "number", desc: "number of steps M (the circuit size)", default: 1 },
    backend: { type: "string", desc: "groth16 (default) | plonk | fflonk | risc0", default: "groth16" },
    input: { type: "string", desc: "file fed to the guest's input stream (fd 0)" },
    out: {
      type: "string",
      desc: "write the proof file here (default: the proof file on stdout, the summary on stderr)",
    },
    ptau: { type: "string", desc: "prepared ptau of a real ceremony (else env ZKFP_PTAU, else the INSECURE dev ptau)" },
    circuit: { type: "string", desc: "rv32im (default) | counter (dev circuit, no ELF)", default: "rv32im" },
    yes: {
      type: "boolean",
      desc: "run a request above the size limits (estimated > 30 min or > 8 GB) instead of refusing it",
    },
  },
  async run({ opts }, ctx) {
    const backend = opts.backend as Backend;
    if (!BACKENDS.includes(backend))
      throw new UsageError("unknown --backend", { option: "backend", value: backend, allowed: BACKENDS });
    const circuit = opts.circuit as CircuitId;
    if (circuit !== "rv32im" && circuit !== "counter")
      throw new UsageError("unknown --circuit", { option: "circuit", value: circuit });
    const t = intOpt(opts["from-step"], "from-step", 0);
    const m = intOpt(opts.steps, "steps", 1);
    if (backend !== "risc0") {
      // size, time and memory first; a huge request is refused (exit 64) before anything starts
      const est = await estimateRequest(backend, circuit, m, { ptau: opts.ptau as string | undefined });
      ctx.progress(`prove ${describeEstimate(est)}`);
      confirmLarge(est, { confirmLarge: opts.yes === true, flag: "--yes" });
    }
    try {
      let circuitInput: Record<string, unknown>;
      let trace: Trace | undefined;
      if (circuit === "counter") {
        circuitInput = await counterInput(t, m);
      } else {
        const elf = opts.elf as string | undefined;
        if (!elf) throw new UsageError("missing --elf", { option: "elf" });
        const program = loadElf(readFileArg(elf, "ELF"));
        const input = opts.input ? readFileArg(opts.input as string, "input") : undefined;
        ctx.progress(`running ${elf} to step ${t + m} ...`);
        trace = await Trace.create(program, { input, maxSteps: t + m });
        const { circuitInputFromTrace } = await import("../../zk/witness-input.ts");
        circuitInput = circuitInputFromTrace(trace, t, m) as unknown as Record<string, unknown>;
      }
      const tr = trace;
      const prover =
        backend === "risc0"
          ? new Risc0Prover({
              witnesses: async () => {
                if (!tr)
                  throw new UsageError("the risc0 backend proves RV32IM only (use --circuit rv32im)", {
                    option: "circuit",
                  });
                return { preRoot: tr.rootAt(t), witnesses: Array.from({ length: m }, (_, i) => tr.witnessAt(t + i)) };
              },
            })
          : makeProver(backend, circuit, { ptau: opts.ptau as string | undefined, log: ctx.progress });
      const { bundle, timings } = await prover.prove({
        m,
        circuitInput,
        elf: opts.elf as string | undefined,
        fromStep: t,
      });
      const text = JSON.stringify(bundle, null, 1) + "\n";
      const proofBytes = (bundle.calldata.length - 2) / 2;
      if (opts.out) {
        const out = opts.out as string;
        const tmp = `${out}.tmp-${process.pid}`;
        writeFileSync(tmp, text);
        renameSync(tmp, out);
      }
      const summary = {
        backend,
        circuit,
        fromStep: t,
        steps: m,
        preRoot: bundle.preRoot,
        postRoot: bundle.postRoot,
        proofBytes,
        setupSeconds: timings.setupSeconds,
        proveSeconds: timings.proveSeconds,
        setupCached: timings.cached,
        setup: bundle.setup,
        out: (opts.out as string | undefined) ?? null,
      };
      const lines = [
        `${backend} proof: ${circuit} steps ${t} -> ${t + m}`,
        `pre-root    ${bundle.preRoot}`,
        `post-root   ${bundle.postRoot}`,
        `proof       ${proofBytes} bytes (arbitrator calldata)`,
        `setup       ${timings.cached ? "cached" : `${timings.setupSeconds.toFixed(1)} s`}; prove ${timings.proveSeconds.toFixed(2)} s`,
        `ptau        ${bundle.setup.ptau}`,
        ...(bundle.setup.transcriptHash ? [`transcript  ${bundle.setup.transcriptHash}`] : []),
        bundle.setup.insecure
          ? `WARNING     INSECURE setup, development only: ${(bundle.setup.reasons ?? ["dev setup"]).join("; ")}`
          : "setup       SECURE (verified public ceremony ptau; verified phase 2 with a secret contribution)",
        opts.out ? `written     ${opts.out as string}` : "",
      ].filter(Boolean);
      if (opts.out) return { exitCode: 0, json: summary, text: lines.join("\n") };
      // no --out: stdout carries only the proof file (`zkfp prove ... > p.json`), the rest goes to stderr
      ctx.progress(lines.join("\n"));
      return { exitCode: 0, json: { ...summary, proof: bundle }, text };
    } finally {
      await terminateCurve();
    }
  },
};
