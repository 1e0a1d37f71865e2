/**
 * Groth16 vs the universal-setup backends (PLONK, FFLONK) of snarkjs 0.7.6: setup and prove time,
 * peak RSS, proof size and on-chain verify gas, per circuit size; and, for sizes whose setup does
 * not fit the machine, the PLONK gate count and the ptau power each backend would need.
 *
 *   npx tsx zk/prover/universal.bench.ts run   <groth16|plonk|fflonk> <counter|rv32im> <m> [ptau]
 *   npx tsx zk/prover/universal.bench.ts gates <rv32im|counter> <m>
 *   npx tsx zk/prover/universal.bench.ts all   (writes bench/results/zk-universal.json; ptau: env
 *                                               ZKFP_BENCH_PTAU, else ../shared/data/ptau/pot16_final.ptau
 *                                               if present, else generated dev ptau files)
 *
 * Each `run` is its own process (peak RSS = process.resourceUsage().maxRSS, worker threads
 * included), started under `nice -n 10`, one at a time. Setup is cached in .cache/zk like the
 * provers'; `setupSeconds` is the time the setup took when it was made (`setupCached` says whether
 * this run reused it). Gas: the receipt gasUsed of
 * a transaction calling the generated verifier's `verifyProof` on a fresh anvil (21,000 base +
 * calldata + execution; `executionGas` subtracts the first two). Proof bytes: the 256 / 768 bytes
 * the arbitrator takes (PLONK and FFLONK: 24 words). PLONK / FFLONK gates: snarkjs' own count,
 * read from its "circuit too big" error against a small ptau (cirPower = ceil(log2(gates)); FFLONK
 * needs 9 * 2^cirPower + 18 tau powers, i.e. a ptau of power cirPower + 3, by fflonk_setup.js).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Interface, getBytes } from "ethers";
import { loadElf } from "../../vm/index.ts";
import { Trace } from "../../vm/trace.ts";
import { circuitInputFromTrace } from "../witness-input.ts";
import { snarkjs, terminateCurve } from "../snarkjs.ts";
import { quietLogger } from "../setup/security.ts";
import { REPO_ROOT, circuitFor, counterInput, type CircuitId } from "./circuits.ts";
import { compileVerifier } from "../../contracts/build.ts";
import { compileCircuit, encodeCalldata, setupCircuit, type SnarkBackend } from "./snark.ts";

const run = promisify(execFile);
const SELF = fileURLToPath(import.meta.url);
const FROM = 1000; // RV32IM: steps FROM..FROM+m of matmul_int.elf, as zk/bench/child.ts

async function input(circuit: CircuitId, m: number): Promise<Record<string, unknown>> {
  if (circuit === "counter") return counterInput(FROM, m);
  const prog = loadElf(new Uint8Array(readFileSync(join(REPO_ROOT, "vm", "guests", "bin", "matmul_int.elf"))));
  const tr = await Trace.create(prog, { maxSteps: FROM + m });
  return circuitInputFromTrace(tr, FROM, m) as unknown as Record<string, unknown>;
}

function calldataGas(data: string): number {
  let g = 0;
  for (const b of getBytes(data)) g += b === 0 ? 4 : 16;
  return g;
}

/** verifyProof arguments from snarkjs' solidity calldata string (formats differ per backend). */
function verifierArgs(backend: SnarkBackend, sol: string): unknown[] {
  const w = sol.match(/0x[0-9a-fA-F]+/g) ?? [];
  if (backend === "groth16")
    return [
      [w[0], w[1]],
      [
        [w[2], w[3]],
        [w[4], w[5]],
      ],
      [w[6], w[7]],
      w.slice(8),
    ];
  return [w.slice(0, 24), w.slice(24)];
}

/** One backend on one circuit size: setup (or cached), one proof, local verify, gas on anvil. */
async function runOne(
  backend: SnarkBackend,
  circuit: CircuitId,
  m: number,
  ptau?: string,
): Promise<Record<string, unknown>> {
  const s = await snarkjs();
  const log = (x: string) => process.stderr.write(x + "\n");
  const c0 = process.cpuUsage(),
    t0 = performance.now();
  const art = await setupCircuit(backend, await circuitFor(circuit, m), { ptau, log });
  const setupWall = (performance.now() - t0) / 1000;
  const inp = await input(circuit, m);
  const c1 = process.cpuUsage(),
    t1 = performance.now();
  const { proof, publicSignals } = await (s[backend] as typeof s.plonk).fullProve(inp, art.wasm, art.zkey);
  const proveSeconds = (performance.now() - t1) / 1000;
  const pc = process.cpuUsage(c1);
  const verified = await (s[backend] as typeof s.plonk).verify(art.vkey, publicSignals, proof);
  const sol =
    backend === "fflonk"
      ? await s.fflonk.exportSolidityCallData(publicSignals, proof)
      : await (s[backend] as typeof s.plonk).exportSolidityCallData(proof, publicSignals);
  const proofBytes = (encodeCalldata(backend, proof, sol).length - 2) / 2;
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  // gas: the generated verifier's verifyProof in a real transaction on anvil
  const { startAnvil } = await import("../../protocol/chain/anvil.ts");
  const chain = await startAnvil();
  let gas: { tx: number; execution: number; accepted: boolean };
  try {
    const v = compileVerifier(art.verifierSol, art.verifierName);
    const signer = await chain.provider.getSigner(0);
    const { deploy } = await import("./chain.ts");
    const c = await deploy(signer, v);
    const iface = new Interface(v.abi as never);
    const args = verifierArgs(backend, sol);
    const data = iface.encodeFunctionData("verifyProof", args);
    const to = await c.getAddress();
    const accepted = iface.decodeFunctionResult("verifyProof", await signer.call({ to, data }))[0] as boolean;
    const rc = await (await signer.sendTransaction({ to, data, gasLimit: 5_000_000 })).wait();
    gas = { tx: Number(rc!.gasUsed), execution: Number(rc!.gasUsed) - 21_000 - calldataGas(data), accepted };
  } finally {
    await chain.stop();
  }
  const cpu = process.cpuUsage(c0);
  return {
    backend,
    circuit,
    m,
    constraints: art.meta.constraints,
    power: art.meta.power,
    setupCached: art.cached,
    setupSeconds: art.meta.setupSeconds,
    setupWallThisRun: setupWall,
    ptau: art.meta.ptau,
    proveSeconds,
    proveCpuSeconds: (pc.user + pc.system) / 1e6,
    verified,
    proofBytes,
    zkeyBytes: art.meta.zkeyBytes,
    verifyGasTx: gas.tx,
    verifyGasExecution: gas.execution,
    verifierAccepted: gas.accepted,
    maxRssMB,
    cpuSecondsTotal: (cpu.user + cpu.system) / 1e6,
  };
}

/** snarkjs' PLONK gate count of a circuit (from its error against a 2^3 dev ptau) and the powers needed. */
async function gates(circuit: CircuitId, m: number): Promise<Record<string, unknown>> {
  const s = await snarkjs();
  const cdir = await compileCircuit(await circuitFor(circuit, m));
  const { resolvePtau } = await import("../setup/ptau.ts");
  const { cacheRoot } = await import("./snark.ts");
  const small = (await resolvePtau({ power: 3, cacheDir: cacheRoot() })).file;
  const errors: string[] = [];
  const t0 = performance.now();
  await s.plonk
    .setup(join(cdir, "circuit.r1cs"), small, join(cdir, "gates-probe.zkey"), quietLogger(errors))
    .catch((e: Error) => errors.push(e.message));
  const hit = errors.map((e) => /too big.*?(\d+) > 2\*\*/.exec(e)).find(Boolean);
  if (!hit) throw new Error(`no gate count in ${JSON.stringify(errors)}`);
  const g = Number(hit[1]);
  let cir = 0;
  while (2 ** cir < g) cir++;
  const info = await s.r1cs.info(join(cdir, "circuit.r1cs"));
  let g16 = 0;
  while (2 ** g16 < info.nConstraints + info.nPubInputs + info.nOutputs + 1) g16++;
  return {
    circuit,
    m,
    constraints: info.nConstraints,
    plonkGates: g,
    groth16Power: g16,
    plonkPower: cir,
    fflonkPower: cir + 3,
    seconds: (performance.now() - t0) / 1000,
  };
}

async function child(args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run("nice", ["-n", "10", process.execPath, "--import", "tsx", SELF, ...args], {
    cwd: REPO_ROOT,
    maxBuffer: 16 << 20,
    env: process.env,
  });
  return JSON.parse(stdout.trim().split("\n").pop()!) as Record<string, unknown>;
}

const [mode, ...rest] = process.argv.slice(2);
if (process.argv[1] === SELF) {
  try {
    if (mode === "run")
      console.log(
        JSON.stringify(await runOne(rest[0] as SnarkBackend, rest[1] as CircuitId, Number(rest[2]), rest[3])),
      );
    else if (mode === "gates") console.log(JSON.stringify(await gates(rest[0] as CircuitId, Number(rest[1]))));
    else if (mode === "all") {
      const file = join(REPO_ROOT, "bench", "results", "zk-universal.json");
      // resume: rows already measured without error are kept (ZKFP_BENCH_FRESH=1 starts over)
      let kept: Record<string, unknown>[] = [];
      try {
        if (!process.env.ZKFP_BENCH_FRESH)
          kept = (JSON.parse(readFileSync(file, "utf8")) as { rows: Record<string, unknown>[] }).rows.filter(
            (r) => !r.error,
          );
      } catch {
        /* none yet */
      }
      const out: Record<string, unknown>[] = [];
      const save = () => {
        mkdirSync(join(REPO_ROOT, "bench", "results"), { recursive: true });
        writeFileSync(
          file,
          JSON.stringify(
            {
              machine: "2 shared cores (load from other jobs; wall times inflated)",
              snarkjs: "0.7.6",
              at: new Date().toISOString(),
              rows: out,
            },
            null,
            1,
          ) + "\n",
        );
      };
      // one ptau for every row that fits it (FFLONK of the counter circuit needs 2^16; a dev ptau
      // of that power takes ~25 min here): ZKFP_BENCH_PTAU, else ../shared/data/ptau/pot16_final.ptau
      // when that folder sits beside the repo, else each setup's own dev ptau (generated, cached)
      const sharedPtau = join(REPO_ROOT, "..", "shared", "data", "ptau", "pot16_final.ptau");
      const ptauArg = process.env.ZKFP_BENCH_PTAU ?? (existsSync(sharedPtau) ? sharedPtau : undefined);
      const ptau = ptauArg ? [ptauArg] : [];
      const steps: string[][] = [
        ["run", "groth16", "counter", "2", ...ptau],
        ["run", "plonk", "counter", "2", ...ptau],
        ["run", "fflonk", "counter", "2", ...ptau],
        ["run", "groth16", "rv32im", "1", ...ptau],
        ["gates", "rv32im", "1"],
        ["gates", "rv32im", "2"],
        ["gates", "rv32im", "4"],
      ];
      for (const st of steps) {
        const have = kept.find((r) => r.step === st.join(" "));
        if (have) {
          out.push(have);
          continue;
        }
        process.stderr.write(`${st.join(" ")} ...\n`);
        try {
          out.push({ step: st.join(" "), ...(await child(st)) });
        } catch (e) {
          out.push({ step: st.join(" "), error: String((e as Error).message).slice(0, 500) });
        }
        process.stderr.write(JSON.stringify(out[out.length - 1]) + "\n");
        save();
      }
      save();
      console.log(file);
    } else throw new Error("usage: universal.bench.ts run|gates|all ...");
  } finally {
    await terminateCurve();
  }
}
