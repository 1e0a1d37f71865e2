/**
 * Proving measurements of the m-step circuits (Groth16, snarkjs) — one step per process so peak RSS
 * belongs to it, results in bench/results/zk-prove.json (one row per circuit and m, replaced by
 * (circuit, m); `results` flattens the rows into named figures for sims/constants.ts and the paper):
 *
 *   npx tsx zk/circuits/mem/bench.ts setup <m> [variant]   Groth16 setup (dev ptau generated if missing), cached
 *   npx tsx zk/circuits/mem/bench.ts prove <m>             prove + verify the first window of matmul_int.elf
 *                                                          from step 1000 that fits memCapsFor(m) (mem only)
 *   npx tsx zk/circuits/mem/bench.ts gas <m,...> [variant] `arbitrate` gas of each cached setup's bench proof
 *                                                          through Groth16Arbitrator on a fresh anvil
 *   npm run bench:prove [-- 16,32,64]                      all three for mem at each m (heavy: run it through
 *                                                          nice -n 10 or on a quiet machine)
 *
 * variant: mem | memio | memwide (RvStepsMem, zk/circuits/mem) or full (RvSteps). Setups go to the
 * cache (ZKFP_CACHE_DIR); a cached setup is not re-measured (its row keeps the run that built it).
 * Wall times depend on the machine's load (2 shared cores here): each row notes the 1-minute load
 * average at the start and end of its run, and the process CPU seconds.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { basename, join } from "node:path";
import { loadElf } from "../../../vm/elf.ts";
import { Trace } from "../../../vm/trace.ts";
import { startAnvil } from "../../../protocol/chain/anvil.ts";
import { artifact, compileVerifier } from "../../../contracts/build.ts";
import { deploy, gasOfArbitrate, keyedProof } from "../../prover/chain.ts";
import {
  type CircuitRecipe,
  circuitFor,
  counterCircuit,
  REPO_ROOT,
  rv32imCircuit,
  rv32imMemCircuit,
} from "../../prover/circuits.ts";
import { cacheRoot, compileCircuit, SnarkProver, setupCircuit, withCircuitConstants } from "../../prover/snark.ts";
import { phase2Start, readPhase2 } from "../../setup/ceremony.ts";
import { resolvePtau } from "../../setup/ptau.ts";
import { devPtauPath } from "../../setup/devptau.ts";
import { writeDevZkey } from "../../setup/devzkey.ts";
import type { ProofBundle } from "../../prover/types.ts";
import { internals, snarkjs, terminateCurve } from "../../snarkjs.ts";
import { BLK_VARIANTS, type BlkVariant, blkCapsFor, MEM_VARIANTS, type MemVariant, memCapsFor } from "../build.ts";
import { blkInputFromTrace } from "../blk/input.ts";
import { memInputFromTrace, WindowFitError } from "./input.ts";
import { nodeRuns } from "./window-stats.ts";
import type { BenchResult } from "../../../scripts/bench.ts";

export const MEM_BENCH_GUEST = "matmul_int.elf";
export const MEM_BENCH_FROM = 1000;
export const PROVE_RESULTS = join(REPO_ROOT, "bench", "results", "zk-prove.json");

export type Variant = MemVariant | BlkVariant | "full";
const VARIANTS: Variant[] = [...MEM_VARIANTS, ...BLK_VARIANTS, "full"];
const isBlk = (v: Variant): v is BlkVariant => (BLK_VARIANTS as readonly string[]).includes(v);

function capsOf(variant: Variant, m: number): Record<string, number> | null {
  if (variant === "full") return null;
  return isBlk(variant) ? blkCapsFor(m, variant) : memCapsFor(m, variant);
}

/** The MNIST node whose windows the block variants are measured on (they take most node windows). */
export const BLK_BENCH_NODE = "mnist:acc1";

/**
 * The first window that fits the variant's default caps for m: word-table variants on
 * MEM_BENCH_GUEST from step MEM_BENCH_FROM, block variants on the BLK_BENCH_NODE op node of the
 * int8 MNIST graph (node.elf, image 0) from step 0; every step for 64 steps, then every 97th.
 */
export async function benchWindow(
  m: number,
  variant: Variant = "mem",
): Promise<{ t: number; input: object; guest: string }> {
  if (variant === "full") throw new Error("benchWindow: table variants only");
  let tr: Trace, from: number, guest: string;
  if (isBlk(variant)) {
    const opts = new Map(await nodeRuns()).get(BLK_BENCH_NODE);
    if (!opts) throw new Error(`no node ${BLK_BENCH_NODE}`);
    const prog = loadElf(new Uint8Array(readFileSync(join(REPO_ROOT, "ml", "guests", "bin", "node.elf"))));
    tr = await Trace.create(prog, { ...opts, maxSteps: 40000 });
    from = 0;
    guest = `${BLK_BENCH_NODE} (node.elf)`;
  } else {
    const prog = loadElf(new Uint8Array(readFileSync(join(REPO_ROOT, "vm", "guests", "bin", MEM_BENCH_GUEST))));
    tr = await Trace.create(prog, { maxSteps: MEM_BENCH_FROM + 40000 });
    from = MEM_BENCH_FROM;
    guest = MEM_BENCH_GUEST;
  }
  for (let t = from; t + m <= tr.length; t += t < from + 64 ? 1 : 97) {
    try {
      return {
        t,
        guest,
        input: isBlk(variant)
          ? blkInputFromTrace(tr, t, m, blkCapsFor(m, variant))
          : memInputFromTrace(tr, t, m, memCapsFor(m, variant)),
      };
    } catch (e) {
      if (!(e instanceof WindowFitError)) throw e;
    }
  }
  throw new Error(`no fitting window for ${variant} m=${m} in ${guest}`);
}

function recipe(variant: Variant, m: number): Promise<CircuitRecipe> {
  if (variant === "full") return rv32imCircuit(m);
  return isBlk(variant) ? circuitFor(`rv32im_${variant}`, m) : rv32imMemCircuit(m, variant);
}

/** One row of zk-prove.json: a circuit at one m. Sub-records are absent until measured. */
export type ProveRow = {
  circuit: string;
  variant: Variant | "counter";
  m: number;
  caps: Record<string, number> | null;
  constraints?: number;
  power?: number;
  ptau?: string;
  zkeyMB?: number;
  setup?: {
    /** meta.json setupSeconds: zkey new + phase-2 contribution + export (compile and ptau excluded) */
    seconds: number;
    zkeyNew: string;
    phases: Record<string, number>;
    ptauSeconds: number;
    processWallSeconds: number;
    processCpuSeconds: number;
    peakRssMB: number;
    load: string;
    at: string;
  };
  prove?: {
    /** witness + proof, setup cached */
    seconds: number;
    guest: string;
    fromStep: number;
    verified: boolean;
    proofBytes: number;
    processWallSeconds: number;
    processCpuSeconds: number;
    peakRssMB: number;
    load: string;
    at: string;
  };
  verifyGas?: { tx: number; execution: number; accepted: boolean; at: string };
  /** snarkjs `zkey new` against the known-tau one on the same r1cs and dev ptau, one process, one after the other */
  zkeyNewRace?: {
    snarkjsSeconds: number;
    snarkjsCpuSeconds: number;
    devSeconds: number;
    devCpuSeconds: number;
    identical: boolean;
    load: string;
    at: string;
  };
};

type ProveDoc = {
  machine: Record<string, unknown>;
  file: string;
  rows: ProveRow[];
  results: BenchResult[];
};

function flatten(rows: ProveRow[]): ProveDoc["results"] {
  const out: ProveDoc["results"] = [];
  for (const r of rows) {
    const base = `zk.prove.${r.circuit}.groth16`;
    const what = `${r.circuit} m=${r.m}${r.caps ? ` ${JSON.stringify(r.caps)}` : ""}`;
    if (r.constraints !== undefined)
      out.push({
        name: `${base}.constraints.m=${r.m}`,
        compares: `r1cs constraints, ${what}`,
        value: r.constraints,
        unit: "constraints",
      });
    if (r.setup) {
      out.push({
        name: `${base}.setup_s.m=${r.m}`,
        compares: `groth16 setup (zkey new ${r.setup.zkeyNew} + phase-2 contribution + export), ${what}`,
        value: r.setup.seconds,
        unit: "s",
        notes: `ptau 2^${r.power} (${r.ptau}); phases ${JSON.stringify(r.setup.phases)}; process wall ${r.setup.processWallSeconds.toFixed(0)} s, cpu ${r.setup.processCpuSeconds.toFixed(0)} s; load ${r.setup.load}; ${r.setup.at}`,
      });
      out.push({
        name: `${base}.setup_rss_mb.m=${r.m}`,
        compares: `peak RSS of the setup process, ${what}`,
        value: r.setup.peakRssMB,
        unit: "MB",
      });
    }
    if (r.prove) {
      out.push({
        name: `${base}.prove_s.m=${r.m}`,
        compares: `groth16 prove (witness + proof, setup cached), ${what}, ${r.prove.guest ?? MEM_BENCH_GUEST} steps ${r.prove.fromStep}..${r.prove.fromStep + r.m}`,
        value: r.prove.seconds,
        unit: "s",
        notes: `verified ${r.prove.verified}; process wall ${r.prove.processWallSeconds.toFixed(1)} s, cpu ${r.prove.processCpuSeconds.toFixed(1)} s; load ${r.prove.load}; ${r.prove.at}`,
      });
      out.push({
        name: `${base}.prove_rss_mb.m=${r.m}`,
        compares: `peak RSS of the prove process (incl. snarkjs workers), ${what}`,
        value: r.prove.peakRssMB,
        unit: "MB",
      });
      out.push({
        name: `${base}.proof_bytes.m=${r.m}`,
        compares: `proof calldata bytes, ${what}`,
        value: r.prove.proofBytes,
        unit: "bytes",
      });
    }
    if (r.zkeyNewRace)
      out.push({
        name: `${base}.zkey_new_s.m=${r.m}`,
        compares: `known-tau zkey new (zk/setup/devzkey.ts) vs snarkjs zkey new, same r1cs and dev ptau, same process, ${what}`,
        value: r.zkeyNewRace.devSeconds,
        unit: "s",
        baseline: r.zkeyNewRace.snarkjsSeconds,
        ratio: r.zkeyNewRace.devSeconds / r.zkeyNewRace.snarkjsSeconds,
        notes: `cpu ${r.zkeyNewRace.devCpuSeconds.toFixed(1)} s vs ${r.zkeyNewRace.snarkjsCpuSeconds.toFixed(1)} s; byte-identical ${r.zkeyNewRace.identical}; load ${r.zkeyNewRace.load}; ${r.zkeyNewRace.at}`,
      });
    if (r.verifyGas)
      out.push({
        name: `${base}.verify_gas.m=${r.m}`,
        compares: `gas of one arbitrate transaction (Groth16Arbitrator + this circuit's verifier, anvil), ${what}`,
        value: r.verifyGas.tx,
        unit: "gas",
        notes: `execution ${r.verifyGas.execution}; accepted ${r.verifyGas.accepted}`,
      });
  }
  return out;
}

function readDoc(): ProveDoc {
  if (existsSync(PROVE_RESULTS)) return JSON.parse(readFileSync(PROVE_RESULTS, "utf8")) as ProveDoc;
  return { machine: {}, file: "zk/circuits/mem/bench.ts", rows: [], results: [] };
}

/** Merges `patch` into the row of (circuit, m) and rewrites zk-prove.json (rows sorted by circuit, m). */
export function recordRow(patch: ProveRow): void {
  const doc = readDoc();
  const i = doc.rows.findIndex((r) => r.circuit === patch.circuit && r.m === patch.m);
  const row = i >= 0 ? { ...doc.rows[i]!, ...patch } : patch;
  const rows = [...doc.rows.filter((_, j) => j !== i), row].sort((a, b) =>
    a.circuit === b.circuit ? a.m - b.m : a.circuit < b.circuit ? -1 : 1,
  );
  const commit = (() => {
    try {
      return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO_ROOT }).toString().trim();
    } catch {
      return "unknown";
    }
  })();
  const out: ProveDoc = {
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      memGiB: +(totalmem() / 2 ** 30).toFixed(1),
      node: process.version,
      note: "2 cores shared with other jobs: see each row's load",
      commit,
    },
    file: "zk/circuits/mem/bench.ts",
    rows,
    results: flatten(rows),
  };
  writeFileSync(`${PROVE_RESULTS}.tmp`, JSON.stringify(out, null, 2) + "\n");
  renameSync(`${PROVE_RESULTS}.tmp`, PROVE_RESULTS);
}

const load = () => loadavg()[0]!.toFixed(1);

async function main(): Promise<void> {
  const [mode, ms, variantArg] = process.argv.slice(2);
  const variant = (variantArg ?? "mem") as Variant;
  if (!VARIANTS.includes(variant)) throw new Error(`unknown variant ${variantArg}`);
  const list = (ms ?? "16,32,64").split(",").map(Number);
  const m = list[0]!;
  const load0 = load();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const proc = () => ({
    processWallSeconds: (performance.now() - t0) / 1000,
    processCpuSeconds: (process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1e6,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    load: `${load0} -> ${load()}`,
    at: new Date().toISOString().slice(0, 16),
  });
  const base = async (mm: number) => {
    const c = await recipe(variant, mm);
    return { circuit: c.id, variant, m: mm, caps: capsOf(variant, mm) };
  };
  if (mode === "setup") {
    const art = await setupCircuit("groth16", await recipe(variant, m), {
      log: (s) => process.stderr.write(s + "\n"),
    });
    const row: ProveRow = {
      ...(await base(m)),
      constraints: art.meta.constraints,
      power: art.meta.power,
      ptau: art.meta.ptau.replace(/ \/\S+\//, " "),
      zkeyMB: Math.round(art.meta.zkeyBytes / 2 ** 20),
    };
    if (!art.cached)
      row.setup = {
        seconds: art.meta.setupSeconds,
        zkeyNew: art.meta.zkeyNew ?? "snarkjs",
        phases: art.meta.phaseSeconds ?? {},
        ptauSeconds: art.meta.ptauSeconds,
        ...proc(),
      };
    recordRow(row);
    process.stdout.write(JSON.stringify({ mode, key: art.key, cached: art.cached, ...row }) + "\n");
  } else if (mode === "prove") {
    const { t, input, guest } = await benchWindow(m, variant);
    const p = new SnarkProver("groth16", (mm) => recipe(variant, mm));
    const { bundle, timings } = await p.prove({
      m,
      circuitInput: input as unknown as Record<string, unknown>,
      fromStep: t,
    });
    if (!timings.cached) throw new Error("setup was not cached: run `setup` first");
    const verified = await p.verify(bundle);
    const art = await p.setup(m);
    writeFileSync(join(art.dir, "bench-proof.json"), JSON.stringify(bundle));
    const row: ProveRow = {
      ...(await base(m)),
      prove: {
        seconds: timings.proveSeconds,
        guest,
        fromStep: t,
        verified,
        proofBytes: (bundle.calldata.length - 2) / 2,
        ...proc(),
      },
    };
    recordRow(row);
    process.stdout.write(JSON.stringify({ mode, ...row }) + "\n");
  } else if (mode === "gas") {
    const chain = await startAnvil();
    try {
      const signer = await chain.provider.getSigner(0);
      for (const mm of list) {
        const art = await setupCircuit("groth16", await recipe(variant, mm));
        if (!art.cached) throw new Error(`gas: no cached setup for ${variant} m=${mm}`);
        const f = join(art.dir, "bench-proof.json");
        if (!existsSync(f)) throw new Error(`gas: no bench proof for ${variant} m=${mm}: run \`prove ${mm}\``);
        const bundle = JSON.parse(readFileSync(f, "utf8")) as ProofBundle;
        // the real arbitrator over the key set {this circuit, a complete circuit} for span mm (the
        // constructor requires a complete key per span; RvSteps full has no setup above m = 16 here,
        // so the complete key is the dev counter circuit of span mm). Key 0 is measured.
        const complete = await setupCircuit("groth16", counterCircuit(mm));
        const vA = await deploy(
          signer,
          compileVerifier(withCircuitConstants(art.verifierSol, art.verifierName, art.circuit), art.verifierName),
        );
        const vB = await deploy(
          signer,
          compileVerifier(
            withCircuitConstants(complete.verifierSol, complete.verifierName, complete.circuit),
            complete.verifierName,
          ),
        );
        const arbitrator = await deploy(
          signer,
          artifact("Groth16Arbitrator.sol", "Groth16Arbitrator"),
          [mm, mm],
          [await vA.getAddress(), await vB.getAddress()],
        );
        const g = await gasOfArbitrate(arbitrator, bundle.preRoot, bundle.postRoot, mm, keyedProof(0, bundle.calldata));
        if (!g.accepted) throw new Error(`gas: the arbitrator rejected the bench proof (${variant} m=${mm})`);
        // the liar's transaction: the same proof for another post-root must be rejected
        const wrong = `0x${(BigInt(bundle.postRoot) ^ 1n).toString(16).padStart(64, "0")}`;
        const bad = await gasOfArbitrate(arbitrator, bundle.preRoot, wrong, mm, keyedProof(0, bundle.calldata));
        // and the same proof under the other key index
        const other = await gasOfArbitrate(
          arbitrator,
          bundle.preRoot,
          bundle.postRoot,
          mm,
          keyedProof(1, bundle.calldata),
        );
        if (other.accepted) throw new Error(`gas: the proof was accepted under the complete key (${variant} m=${mm})`);
        if (bad.accepted) throw new Error(`gas: a proof for another post-root was accepted (${variant} m=${mm})`);
        const row: ProveRow = {
          ...(await base(mm)),
          verifyGas: {
            tx: g.tx,
            execution: g.execution,
            accepted: g.accepted,
            at: new Date().toISOString().slice(0, 16),
          },
        };
        recordRow(row);
        process.stdout.write(JSON.stringify({ mode, ...row }) + "\n");
      }
    } finally {
      await chain.stop();
    }
  } else if (mode === "devzkey-check") {
    // the known-tau zkey new (zk/setup/devzkey.ts) against a cached setup made by snarkjs zkey new
    // (ZKFP_ZKEY_NEW=snarkjs): the phase-2 contribution changes only delta, C, H and the
    // contributions, so every other section and the circuit hash must be equal
    const art = await setupCircuit("groth16", await recipe(variant, m));
    if (!art.cached || art.meta.zkeyNew === "dev-known-tau")
      throw new Error(`devzkey-check: needs a cached snarkjs-made setup of ${variant} m=${m}`);
    // the ptau the setup used: ZKFP_PTAU, else the file named in its label (or that name in this cache)
    const named = /(\/\S+\.ptau)/.exec(art.meta.ptau)?.[1];
    const ptau =
      process.env.ZKFP_PTAU ??
      (named
        ? existsSync(named)
          ? named
          : join(cacheRoot(), "ptau", basename(named))
        : devPtauPath(cacheRoot(), art.meta.power));
    const out = join(tmpdir(), `zkfp-devzkey-check-${process.pid}.zkey`);
    try {
      const r = await writeDevZkey({ r1cs: art.r1cs, ptau, out });
      const { binFileUtils } = await internals();
      const [a, b] = [out, art.zkey].map((f) => binFileUtils.readBinFile(f, "zkey", 2, 1 << 25, 1 << 23));
      const fa = await a,
        fb = await b;
      const same: Record<number, boolean> = {};
      for (const id of [1, 3, 4, 5, 6, 7]) {
        const x = await binFileUtils.readSection(fa.fd, fa.sections, id);
        const y = await binFileUtils.readSection(fb.fd, fb.sections, id);
        same[id] = Buffer.from(x).equals(Buffer.from(y));
      }
      await fa.fd.close();
      await fb.fd.close();
      const csHash = Buffer.from(r.csHash).toString("hex");
      const rec = await readPhase2(art.zkey);
      const ok = Object.values(same).every(Boolean) && csHash === rec.csHash;
      process.stdout.write(
        JSON.stringify({ mode, m, variant, seconds: r.seconds, same, csHashEqual: csHash === rec.csHash, ok }) + "\n",
      );
      if (!ok) process.exitCode = 1;
    } finally {
      rmSync(out, { force: true });
    }
  } else if (mode === "race") {
    // `race <m> counter`: snarkjs zkey new vs the known-tau one on the dev counter circuit (small
    // enough to run outside the heavy slots), on the ptau setupCircuit would pick
    const c = counterCircuit(m);
    const cdir = await compileCircuit(c);
    const r1cs = join(cdir, "circuit.r1cs");
    const info = await (await snarkjs()).r1cs.info(r1cs);
    const power = Math.max(Math.ceil(Math.log2(info.nConstraints + info.nPubInputs + info.nOutputs + 1)), 3);
    const ptau = (await resolvePtau({ power, cacheDir: cacheRoot() })).file;
    const a = join(tmpdir(), `zkfp-race-snarkjs-${process.pid}.zkey`),
      b = join(tmpdir(), `zkfp-race-dev-${process.pid}.zkey`);
    try {
      const time = async (f: () => Promise<unknown>) => {
        const t = performance.now(),
          cu = process.cpuUsage();
        await f();
        const d = process.cpuUsage(cu);
        return { s: (performance.now() - t) / 1000, cpu: (d.user + d.system) / 1e6 };
      };
      const sj = await time(() => phase2Start(r1cs, ptau, a));
      const dv = await time(() => writeDevZkey({ r1cs, ptau, out: b }));
      const identical = readFileSync(a).equals(readFileSync(b));
      if (!identical) process.exitCode = 1;
      const row: ProveRow = {
        circuit: c.id,
        variant: "counter",
        m,
        caps: null,
        constraints: info.nConstraints,
        power,
        zkeyNewRace: {
          snarkjsSeconds: sj.s,
          snarkjsCpuSeconds: sj.cpu,
          devSeconds: dv.s,
          devCpuSeconds: dv.cpu,
          identical,
          load: `${load0} -> ${load()}`,
          at: new Date().toISOString().slice(0, 16),
        },
      };
      recordRow(row);
      process.stdout.write(JSON.stringify({ mode, ...row }) + "\n");
    } finally {
      rmSync(a, { force: true });
      rmSync(b, { force: true });
    }
  } else if (mode === "table") {
    // the markdown table of zk/CONSTRAINTS.md "Proving", from zk-prove.json
    const f = (x: number | undefined, d = 0) =>
      x === undefined ? "—" : x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
    const lines = [
      "| circuit | m | constraints | ptau | ptau generated (s) | setup (s) / process cpu (s) | zkey new + contribute (s) | setup peak RSS (MB) | prove (s) wall / process cpu | prove peak RSS (MB) | proof (B) | arbitrate gas | load (setup; prove) |",
      "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ];
    for (const r of readDoc().rows.filter((x) => x.setup || x.prove)) {
      const ph = r.setup?.phases ?? {};
      lines.push(
        `| ${r.circuit} | ${r.m} | ${f(r.constraints)} | 2^${r.power ?? "?"} | ${r.setup ? (r.setup.ptauSeconds ? f(r.setup.ptauSeconds) : "reused") : "—"} | ${r.setup ? `${f(r.setup.seconds)} / ${f(r.setup.processCpuSeconds)}` : "—"} | ${ph.zkeyNew !== undefined ? `${f(ph.zkeyNew)} (${r.setup!.zkeyNew}) + ${f(ph.contribute)}` : r.setup ? `(${r.setup.zkeyNew}, not split)` : "—"} | ${f(r.setup?.peakRssMB)} | ${r.prove ? `${f(r.prove.seconds, 1)} / ${f(r.prove.processCpuSeconds, 1)}` : "—"} | ${f(r.prove?.peakRssMB)} | ${f(r.prove?.proofBytes)} | ${f(r.verifyGas?.tx)} | ${r.setup?.load ?? "—"}; ${r.prove?.load ?? "—"} |`,
      );
    }
    process.stdout.write(lines.join("\n") + "\n");
  } else if (mode === "all") {
    // each step in its own process (peak RSS per step)
    const self = new URL(import.meta.url).pathname;
    for (const mm of list)
      for (const step of ["setup", "prove"])
        execFileSync("npx", ["tsx", self, step, String(mm), variant], { cwd: REPO_ROOT, stdio: "inherit" });
    execFileSync("npx", ["tsx", self, "gas", list.join(","), variant], { cwd: REPO_ROOT, stdio: "inherit" });
  } else throw new Error(`unknown mode ${mode}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await main();
  } finally {
    await terminateCurve();
  }
}
