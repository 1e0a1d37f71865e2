/**
 * Groth16 vs the universal-setup backends (PLONK, FFLONK) of snarkjs 0.7.6: setup and prove time,
 * peak RSS, proof size and on-chain verify gas, per circuit size; and, for sizes whose setup does
 * not fit the machine, the PLONK gate count and the ptau power each backend would need.
 *
 *   npx tsx zk/prover/universal.bench.ts setup <groth16|plonk|fflonk> <circuit> <m> [ptau]
 *   npx tsx zk/prover/universal.bench.ts run   <groth16|plonk|fflonk> <circuit> <m> [ptau]
 *   npx tsx zk/prover/universal.bench.ts gates <circuit> <m>
 *   npx tsx zk/prover/universal.bench.ts record <setup|run|gates> ...   (one step in its own process;
 *                                               its row replaces the row of the same step in
 *                                               bench/results/zk-universal.json)
 *   npx tsx zk/prover/universal.bench.ts all   (writes bench/results/zk-universal.json; ptau: env
 *                                               ZKFP_BENCH_PTAU, else ../shared/data/ptau/pot16_final.ptau
 *                                               if present, else generated dev ptau files)
 *
 * circuit: counter | rv32im | rv32im_mem (the table circuit, on the first window of the bench
 * guest that fits its tables, as zk/circuits/mem/bench.ts). Each step is its own process (peak RSS
 * = process.resourceUsage().maxRSS, worker threads included), started under `nice -n 10`, one at a
 * time: `setup` makes the setup alone (its peak RSS is the setup's), `run` then reuses it (its peak
 * RSS is witness + prove + verify). Setup is cached in .cache/zk like the
 * provers'; `setupSeconds` is the time the setup took when it was made (`setupCached` says whether
 * this run reused it). Gas: the receipt gasUsed of
 * a transaction calling the generated verifier's `verifyProof` on a fresh anvil (21,000 base +
 * calldata + execution; `executionGas` subtracts the first two), and the same
 * for `arbitrate(pre, post, m, proof)` of Groth16Arbitrator / PlonkArbitrator / FflonkArbitrator over
 * that verifier (zk/prover/chain.ts; the path a dispute takes). Proof bytes: the 256 / 768 bytes
 * the arbitrator takes (PLONK and FFLONK: 24 words). PLONK / FFLONK gates: snarkjs' own count,
 * read from its "circuit too big" error against a small ptau (cirPower = ceil(log2(gates)); FFLONK
 * needs 9 * 2^cirPower + 18 tau powers, i.e. a ptau of power cirPower + 3, by fflonk_setup.js).
 */
import { spawn } from "node:child_process";
import { getPriority } from "node:os";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Interface, getBytes } from "ethers";
import { loadElf } from "../../vm/index.ts";
import { Trace } from "../../vm/trace.ts";
import { circuitInputFromTrace } from "../witness-input.ts";
import { snarkjs, terminateCurve } from "../snarkjs.ts";
import { readPtauInfo } from "../setup/ptau.ts";
import { quietLogger } from "../setup/security.ts";
import { REPO_ROOT, circuitFor, counterInput, type CircuitId } from "./circuits.ts";
import { compileVerifier } from "../../contracts/build.ts";
import { FIELD_R, compileCircuit, encodeCalldata, setupCircuit, toBytes32, type SnarkBackend } from "./snark.ts";

const SELF = fileURLToPath(import.meta.url);
const FROM = 1000; // RV32IM: steps FROM..FROM+m of matmul_int.elf, as zk/bench/child.ts

async function input(circuit: CircuitId, m: number): Promise<Record<string, unknown>> {
  if (circuit === "counter") return counterInput(FROM, m);
  if (circuit === "rv32im_mem") {
    const { benchWindow } = await import("../circuits/mem/bench.ts");
    return (await benchWindow(m)).input as unknown as Record<string, unknown>;
  }
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

/** The setup alone (made or reused), in its own process so its peak RSS is the setup's. */
async function setupOnly(
  backend: SnarkBackend,
  circuit: CircuitId,
  m: number,
  ptau?: string,
): Promise<Record<string, unknown>> {
  const log = (x: string) => process.stderr.write(x + "\n");
  const t0 = performance.now();
  const art = await setupCircuit(backend, await circuitFor(circuit, m), { ptau, log });
  return {
    backend,
    circuit,
    m,
    constraints: art.meta.constraints,
    power: art.meta.power,
    // with an explicit ptau, meta.power is snark.ts' first attempt, not the power the circuit needs
    ptauPower: ptau ? (await readPtauInfo(ptau)).power : art.meta.power,
    setupCached: art.cached,
    setupSeconds: art.meta.setupSeconds,
    setupWallThisRun: (performance.now() - t0) / 1000,
    ptau: art.meta.ptau,
    zkeyBytes: art.meta.zkeyBytes,
    setupMaxRssMB: process.resourceUsage().maxRSS / 1024,
    cpuSecondsTotal: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6,
  };
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
  let arb: { tx: number; execution: number; accepted: boolean } | null = null;
  let arbRejectsWrongPost: boolean | null = null;
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
    {
      const { deployArbitrator, gasOfArbitrate, keyedProof } = await import("./chain.ts");
      const { arbitrator } = await deployArbitrator(signer, backend, v, m);
      const [pre, post] = publicSignals.map((x) => toBytes32(x));
      const proofHex = keyedProof(0, encodeCalldata(backend, proof, sol)); // key index 0 of the span's set
      arb = await gasOfArbitrate(arbitrator, pre!, post!, m, proofHex);
      // the liar's row: the same proof for another post-root must be refused on chain
      const wrongPost = toBytes32((BigInt(publicSignals[1]!) + 1n) % FIELD_R);
      arbRejectsWrongPost = !(await gasOfArbitrate(arbitrator, pre!, wrongPost, m, proofHex)).accepted;
    }
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
    // the ptau power the circuit needs (with an explicit ptau, meta.power is only the first power tried):
    // PLONK / FFLONK from the vkey's domain (FFLONK: 9 * 2^power + 18 tau powers, power + 3)
    neededPtauPower:
      backend === "groth16"
        ? art.meta.power
        : Number((art.vkey as { power: number }).power) + (backend === "fflonk" ? 3 : 0),
    ptauPower: ptau ? (await readPtauInfo(ptau)).power : art.meta.power,
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
    arbitrateGasTx: arb?.tx ?? null,
    arbitrateGasExecution: arb?.execution ?? null,
    arbitratorAccepted: arb?.accepted ?? null,
    arbitratorRejectsWrongPost: arbRejectsWrongPost,
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

/** One step in its own process at nice 10; its stderr (progress) is passed through. */
function child(args: string[]): Promise<Record<string, unknown>> {
  return new Promise((ok, fail) => {
    // nice 10, unless already there (a job already niced by its caller: a second `nice -n 10` would make it 19)
    const niced = getPriority() >= 10;
    const cmd = [process.execPath, "--import", "tsx", SELF, ...args];
    const p = spawn(niced ? cmd[0]! : "nice", niced ? cmd.slice(1) : ["-n", "10", ...cmd], {
      cwd: REPO_ROOT,
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "",
      err = "";
    p.stdout.on("data", (d) => (out += String(d)));
    p.stderr.on("data", (d) => {
      process.stderr.write(d);
      err = (err + String(d)).slice(-4000);
    });
    p.on("error", fail);
    p.on("close", (code, signal) => {
      if (code === 0) ok(JSON.parse(out.trim().split("\n").pop()!) as Record<string, unknown>);
      else fail(new Error(`exit ${code ?? signal}: ${err}`));
    });
  });
}

const [mode, ...rest] = process.argv.slice(2);
if (process.argv[1] === SELF) {
  try {
    if (mode === "run")
      console.log(
        JSON.stringify(await runOne(rest[0] as SnarkBackend, rest[1] as CircuitId, Number(rest[2]), rest[3])),
      );
    else if (mode === "setup")
      console.log(
        JSON.stringify(await setupOnly(rest[0] as SnarkBackend, rest[1] as CircuitId, Number(rest[2]), rest[3])),
      );
    else if (mode === "gates") console.log(JSON.stringify(await gates(rest[0] as CircuitId, Number(rest[1]))));
    else if (mode === "record") {
      const file = join(REPO_ROOT, "bench", "results", "zk-universal.json");
      const doc = JSON.parse(readFileSync(file, "utf8")) as { at: string; rows: Record<string, unknown>[] };
      const key = rest.join(" ");
      let row: Record<string, unknown>;
      try {
        row = { step: key, at: new Date().toISOString(), ...(await child(rest)) };
      } catch (e) {
        row = { step: key, at: new Date().toISOString(), error: String((e as Error).message).slice(-1500) };
      }
      // re-read: another step may have been recorded meanwhile
      const now = JSON.parse(readFileSync(file, "utf8")) as typeof doc;
      const i = now.rows.findIndex((r) => r.step === key);
      if (i >= 0) now.rows[i] = row;
      else now.rows.push(row);
      now.at = new Date().toISOString();
      writeFileSync(file, JSON.stringify(now, null, 1) + "\n");
      console.log(JSON.stringify(row));
    } else if (mode === "all") {
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
