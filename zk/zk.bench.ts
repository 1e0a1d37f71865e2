/**
 * Benchmarks of zkfp's multi-step zk arbitrator (issue 5): for m steps of RV32IM per proof —
 * constraints, setup time, prove time, peak memory, proof size and on-chain verify gas, for snarkjs
 * Groth16 and PLONK — and the INSECURE dev ptau writer against snarkjs' own new + beacon + prepare.
 *
 * Every measured step runs in a child process (zk/bench/child.ts) so its peak RSS is its own; gas is
 * the receipt gasUsed of `arbitrate` on a fresh anvil (zk/prover/chain.ts). Setups are cached in
 * .cache/zk, so `setup_s` is the time of the run that built it (from meta.json).
 *
 * Sizes: default m in {1, 2} Groth16 and PLONK on the dev circuit (m = 2), dev ptau 2^10 vs
 * snarkjs; `heavy`: m in {1, 2, 4, 8, 16, 32} Groth16 (as far as ZKFP_BENCH_MAX_M, default 16), PLONK m = 1,
 * dev ptau 2^12..2^18 and snarkjs at 2^12. Results are also appended to
 * .cache/zk/bench-progress.jsonl as they come, so a long heavy run leaves partial results.
 * `npx tsx zk/zk.bench.ts [--heavy]` prints the markdown table used in zk/README.md.
 * Pitfall: wall times depend on the machine's load (2 shared cores here); cpu seconds are reported
 * in `notes`.
 */
import { execFile } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startAnvil } from "../protocol/chain/anvil.ts";
import { REPO_ROOT, type CircuitId } from "./prover/circuits.ts";
import { compileVerifier } from "../contracts/build.ts";
import { deployArbitrator, gasOfArbitrate, keyedProof } from "./prover/chain.ts";
import { cacheRoot, withCircuitConstants } from "./prover/snark.ts";

export type BenchResult = {
  name: string;
  compares: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  notes?: string;
};

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL("./bench/child.ts", import.meta.url));

async function child(args: string[]): Promise<Record<string, any>> {
  const { stdout } = await run("npx", ["tsx", CHILD, ...args], {
    cwd: REPO_ROOT,
    maxBuffer: 64 << 20,
    timeout: 3 * 3600_000,
  });
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

function progress(rec: Record<string, unknown>): void {
  mkdirSync(cacheRoot(), { recursive: true });
  appendFileSync(
    join(cacheRoot(), "bench-progress.jsonl"),
    JSON.stringify({ ...rec, at: new Date().toISOString() }) + "\n",
  );
}

export type Row = {
  backend: "groth16" | "plonk";
  circuit: CircuitId;
  m: number;
  constraints: number;
  power: number;
  setupS: number;
  ptauS: number;
  proveS: number;
  proveCpuS: number;
  proveRssMB: number;
  setupRssMB: number;
  proofBytes: number;
  gasTx: number;
  gasExec: number;
  zkeyMB: number;
};

export async function measureRow(backend: "groth16" | "plonk", circuit: CircuitId, m: number): Promise<Row> {
  const setup = await child(["setup", backend, circuit, String(m)]);
  const prove = await child(["prove", backend, circuit, String(m)]);
  if (!prove.verified) throw new Error(`proof did not verify (${backend} m=${m})`);
  const chain = await startAnvil();
  try {
    const signer = await chain.provider.getSigner(0);
    const sol = withCircuitConstants(
      readFileSync(join(setup.dir as string, "verifier.sol"), "utf8"),
      setup.verifierName as string,
      { id: circuit, m },
    );
    const { arbitrator } = await deployArbitrator(
      signer,
      backend,
      compileVerifier(sol, setup.verifierName as string),
      m,
    );
    const gas = await gasOfArbitrate(
      arbitrator,
      prove.preRoot as string,
      prove.postRoot as string,
      m,
      keyedProof(0, prove.calldata as string),
    );
    if (!gas.accepted) throw new Error(`arbitrator rejected the proof (${backend} m=${m})`);
    const row: Row = {
      backend,
      circuit,
      m,
      constraints: setup.constraints,
      power: setup.power,
      setupS: setup.setupSeconds,
      ptauS: setup.ptauSeconds,
      proveS: prove.proveSeconds,
      proveCpuS: prove.cpuSeconds,
      proveRssMB: prove.maxRssMB,
      setupRssMB: setup.maxRssMB,
      proofBytes: prove.proofBytes,
      gasTx: gas.tx,
      gasExec: gas.execution,
      zkeyMB: setup.zkeyBytes / 2 ** 20,
    };
    progress({ kind: "row", ...row, setupCached: setup.cached });
    return row;
  } finally {
    await chain.stop();
  }
}

export async function measurePtau(
  power: number,
  withSnarkjs: boolean,
): Promise<{
  power: number;
  devS: number;
  devCpuS: number;
  devRssMB: number;
  snarkjsPrepareS?: number;
  snarkjsPhase1S?: number;
}> {
  const dir = mkdtempSync(join(tmpdir(), "zkfp-ptau-bench-"));
  try {
    const dev = await child(["ptau", String(power), join(dir, "dev.ptau")]);
    const r: {
      power: number;
      devS: number;
      devCpuS: number;
      devRssMB: number;
      snarkjsPrepareS?: number;
      snarkjsPhase1S?: number;
    } = { power, devS: dev.seconds, devCpuS: dev.cpuSeconds, devRssMB: dev.maxRssMB };
    if (withSnarkjs) {
      const s = await child(["snarkjs-ptau", String(power), dir]);
      r.snarkjsPrepareS = s.prepareSeconds;
      r.snarkjsPhase1S = s.phase1Seconds;
      const same = readFileSync(join(dir, "dev.ptau")).equals(readFileSync(join(dir, "prepared.ptau")));
      if (!same) throw new Error(`dev ptau differs from snarkjs' at 2^${power}`);
    }
    progress({ kind: "ptau", ...r });
    return r;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function rowResults(rows: Row[]): BenchResult[] {
  const out: BenchResult[] = [];
  for (const r of rows) {
    const k = r.circuit === "rv32im" ? `zk.${r.backend}` : `zk.${r.circuit}.${r.backend}`;
    const note =
      r.circuit === "rv32im"
        ? `rv32im RvSteps(${r.m}), ${r.constraints} constraints, ptau 2^${r.power}; matmul_int.elf steps ${1000}..${1000 + r.m}`
        : `dev circuit CounterChain(${r.m}), ${r.constraints} constraints, ptau 2^${r.power}`;
    if (r.circuit === "rv32im" && r.backend === "groth16")
      out.push({
        name: `zk.constraints.m=${r.m}`,
        compares: "r1cs constraints of RvSteps(m)",
        value: r.constraints,
        unit: "constraints",
        notes: note,
      });
    out.push({
      name: `${k}.setup_s.m=${r.m}`,
      compares: `${r.backend} setup (zkey) time`,
      value: r.setupS,
      unit: "s",
      notes: `${note}; peak ${r.setupRssMB.toFixed(0)} MB; zkey ${r.zkeyMB.toFixed(1)} MB`,
    });
    out.push({
      name: `${k}.prove_s.m=${r.m}`,
      compares: `${r.backend} prove time (witness + proof)`,
      value: r.proveS,
      unit: "s",
      notes: `${note}; cpu ${r.proveCpuS.toFixed(1)} s`,
    });
    out.push({
      name: `${k}.prove_rss_mb.m=${r.m}`,
      compares: `${r.backend} prover peak RSS`,
      value: r.proveRssMB,
      unit: "MB",
      notes: note,
    });
    out.push({
      name: `${k}.proof_bytes.m=${r.m}`,
      compares: "arbitrator proof calldata",
      value: r.proofBytes,
      unit: "bytes",
    });
    out.push({
      name: `${k}.verify_gas.m=${r.m}`,
      compares: "arbitrate() gasUsed (tx incl. 21k + calldata)",
      value: r.gasTx,
      unit: "gas",
      notes: `execution only ${r.gasExec}`,
    });
  }
  for (const b of ["groth16", "plonk"] as const) {
    const rs = rows.filter((r) => r.backend === b);
    if (rs.length)
      out.push({
        name: `zk.${b}.verify_gas`,
        compares: "arbitrate() gasUsed, max over m and circuits",
        value: Math.max(...rs.map((r) => r.gasTx)),
        unit: "gas",
      });
  }
  const g = rows.filter((r) => r.backend === "groth16" && r.circuit === "rv32im").sort((a, b) => a.m - b.m);
  if (g.length >= 2) {
    const a = g[0]!,
      z = g[g.length - 1]!;
    out.push({
      name: "zk.constraints_per_step",
      compares: "marginal constraints per RV32IM step",
      value: (z.constraints - a.constraints) / (z.m - a.m),
      unit: "constraints",
      notes: `from m=${a.m} and m=${z.m}`,
    });
  }
  return out;
}

export function markdownTable(rows: Row[]): string {
  const lines = [
    "| circuit | backend | m | constraints | ptau | setup (s) | prove (s) | prove peak RSS (MB) | proof (bytes) | arbitrate gas (tx) |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.circuit} | ${r.backend} | ${r.m} | ${r.constraints.toLocaleString("en")} | 2^${r.power} | ${r.setupS.toFixed(0)} | ${r.proveS.toFixed(1)} | ${r.proveRssMB.toFixed(0)} | ${r.proofBytes} | ${r.gasTx.toLocaleString("en")} |`,
    );
  }
  return lines.join("\n");
}

export async function bench(opts: { heavy: boolean }): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const maxM = Number(process.env.ZKFP_BENCH_MAX_M ?? 16);
  // dev ptau vs snarkjs, same run
  const powers = opts.heavy ? [12, 14, 16, 18] : [10];
  for (const p of powers) {
    const r = await measurePtau(p, p === powers[0]);
    results.push({
      name: `zk.devptau.gen_s.p=${p}`,
      compares: "INSECURE dev prepared ptau vs snarkjs new+beacon+prepare phase2",
      value: r.devS,
      unit: "s",
      ...(r.snarkjsPrepareS !== undefined
        ? { baseline: r.snarkjsPrepareS + r.snarkjsPhase1S!, ratio: (r.snarkjsPrepareS + r.snarkjsPhase1S!) / r.devS }
        : {}),
      notes: `dev cpu ${r.devCpuS.toFixed(1)} s, peak ${r.devRssMB.toFixed(0)} MB${r.snarkjsPrepareS !== undefined ? `; snarkjs prepare ${r.snarkjsPrepareS.toFixed(1)} s + new/beacon ${r.snarkjsPhase1S!.toFixed(1)} s; files byte-identical` : ""}`,
    });
  }
  const ms = (opts.heavy ? [1, 2, 4, 8, 16, 32] : [1, 2]).filter((m) => m <= maxM);
  const rows: Row[] = [];
  for (const m of ms) rows.push(await measureRow("groth16", "rv32im", m));
  // PLONK on RvSteps(1) already needs a 2^18+ ptau (its gate count is several times the r1cs count):
  // heavy only; the default run measures PLONK on the dev circuit
  rows.push(await measureRow("plonk", "counter", 2));
  if (opts.heavy) rows.push(await measureRow("plonk", "rv32im", 1));
  results.push(...rowResults(rows));
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const heavy = process.argv.includes("--heavy");
  const res = await bench({ heavy });
  console.log(JSON.stringify(res, null, 1));
}
