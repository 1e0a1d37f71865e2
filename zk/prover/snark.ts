/**
 * snarkjs backends of the `Prover` interface: Groth16 (default) and PLONK, with a content-addressed
 * setup cache.
 *
 * Cache: `.cache/zk/<key>/` (ZKFP_CACHE_DIR overrides `.cache/zk`), key = sha256 of
 * {sha256 of the compiled r1cs + wasm, ptau sha256, backend, snarkjs version, phase-2 seed}; the
 * compiled circuit itself is cached in `.cache/zk/circuits/<sha256 of sources + flags + main>/`. It holds circuit.r1cs, circuit.wasm, circuit.zkey, vkey.json,
 * verifier.sol and meta.json (constraints, ptau label, setup seconds). A directory is built under
 * a temporary name and renamed when complete, so a crashed setup never leaves a usable-looking entry.
 *
 * Setup: Groth16 = `zkey new` + one phase-2 beacon contribution derived from the dev seed (so it is
 * deterministic; as insecure as the dev ptau when that is used, and a real deployment runs a phase-2
 * ceremony on top of a real ptau). PLONK = `plonk setup` (universal: no circuit-specific ceremony).
 * The ptau power is the circuit's: Groth16 needs 2^p >= constraints + public inputs + 1; PLONK's own
 * gate count is only known after a setup attempt, so PLONK starts from the Groth16 power + 1 and
 * retries with the power snarkjs reports.
 *
 * Pitfalls: snarkjs leaves worker threads running; callers end with `terminateCurve()`. The
 * Solidity verifier's contract is renamed `<Groth16|Plonk>Verifier_<circuit>_m<m>` so several can
 * live in one Foundry project.
 */
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AbiCoder } from "ethers";
import { ZkfpError } from "../../vm/errors.ts";
import { DEFAULT_DEV_SEED, beaconHashOf } from "../setup/devptau.ts";
import { resolvePtau, type PtauChoice } from "../setup/ptau.ts";
import { snarkjs } from "../snarkjs.ts";
import { REPO_ROOT, type CircuitRecipe } from "./circuits.ts";
import type { Backend, ProofBundle, ProveRequest, ProveTimings, Prover } from "./types.ts";

export class ProverError extends ZkfpError {
  override readonly name = "ProverError";
}

export const SNARKJS_VERSION = "0.7.6";
export const FIELD_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

export function cacheRoot(): string {
  return process.env.ZKFP_CACHE_DIR ?? join(REPO_ROOT, ".cache", "zk");
}

export type SetupArtifacts = {
  key: string;
  dir: string;
  backend: "groth16" | "plonk";
  circuit: CircuitRecipe;
  r1cs: string;
  wasm: string;
  zkey: string;
  vkey: Record<string, unknown>;
  verifierSol: string;
  verifierName: string;
  meta: {
    constraints: number;
    power: number;
    ptau: string;
    ptauSha256: string;
    insecure: boolean;
    setupSeconds: number;
    ptauSeconds: number;
    zkeyBytes: number;
  };
  cached: boolean;
};

function sha(s: string | Buffer): string {
  return createHash("sha256").update(s).digest("hex");
}

function log2ceil(n: number): number {
  let p = 0;
  while (2 ** p < n) p++;
  return p;
}

export function verifierContractName(backend: "groth16" | "plonk", c: CircuitRecipe): string {
  return `${backend === "groth16" ? "Groth16" : "Plonk"}Verifier_${c.id}_m${c.m}`;
}

function templates(): Record<string, string> {
  const dir = join(REPO_ROOT, "node_modules", "snarkjs", "templates");
  return {
    groth16: readFileSync(join(dir, "verifier_groth16.sol.ejs"), "utf8"),
    plonk: readFileSync(join(dir, "verifier_plonk.sol.ejs"), "utf8"),
  };
}

/** Cache key of a setup: sha256 of the compiled circuit (r1cs + wasm), the ptau, backend, snarkjs version, phase-2 seed. */
export function setupKey(circuitHash: string, ptauSha256: string, backend: "groth16" | "plonk", seed: string): string {
  return sha(JSON.stringify({ v: 2, circuit: circuitHash, ptau: ptauSha256, backend, snarkjs: SNARKJS_VERSION, seed: backend === "groth16" ? seed : "" }));
}

export type SetupOptions = { ptau?: string; seed?: string; log?: (m: string) => void };

/** Compiles the circuit and runs (or reuses) the backend's setup. */
export async function setupCircuit(backend: "groth16" | "plonk", circuit: CircuitRecipe, opts: SetupOptions = {}): Promise<SetupArtifacts> {
  const s = await snarkjs();
  const seed = opts.seed ?? DEFAULT_DEV_SEED;
  // 1. compile (cached by source hash alone, so the ptau choice can depend on the constraint count)
  const srcHash = sha(JSON.stringify({ v: 1, id: circuit.id, m: circuit.m, salt: circuit.salt, files: circuit.sources.map((f) => sha(readFileSync(f))) }));
  const cdir = join(cacheRoot(), "circuits", srcHash);
  if (!existsSync(join(cdir, "circuit.wasm"))) {
    opts.log?.(`compiling ${circuit.id} m=${circuit.m}`);
    const tmp = `${cdir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const out = await circuit.compile(join(tmp, "build"));
    copyFileSync(out.r1cs, join(tmp, "circuit.r1cs"));
    copyFileSync(out.wasm, join(tmp, "circuit.wasm"));
    rmSync(join(tmp, "build"), { recursive: true, force: true });
    if (existsSync(join(cdir, "circuit.wasm"))) rmSync(tmp, { recursive: true, force: true }); // lost a race
    else {
      rmSync(cdir, { recursive: true, force: true });
      renameSync(tmp, cdir);
    }
  }
  const info = await s.r1cs.info(join(cdir, "circuit.r1cs"));
  // the setup is keyed by what was compiled, not by the sources: a comment-only edit of a .circom
  // file recompiles (cheap, cached by source hash) but reuses the setup
  const circuitHash = sha(Buffer.concat([readFileSync(join(cdir, "circuit.r1cs")), readFileSync(join(cdir, "circuit.wasm"))]));
  const groth16Power = Math.max(log2ceil(info.nConstraints + info.nPubInputs + info.nOutputs + 1), 3);
  // PLONK's gate count is only known after one setup attempt; the power that worked is remembered
  const plonkHint = join(cdir, "plonk.power");
  let power = backend === "groth16" ? groth16Power : existsSync(plonkHint) ? Number(readFileSync(plonkHint, "utf8")) : groth16Power + 1;

  for (;;) {
    const ptau: PtauChoice = await resolvePtau({ power, ptau: opts.ptau, cacheDir: cacheRoot(), seed, log: opts.log });
    const key = setupKey(circuitHash, ptau.sha256, backend, seed);
    const dir = join(cacheRoot(), key);
    const verifierName = verifierContractName(backend, circuit);
    const art = (cached: boolean): SetupArtifacts => ({
      key, dir, backend, circuit, cached, verifierName,
      r1cs: join(dir, "circuit.r1cs"), wasm: join(dir, "circuit.wasm"), zkey: join(dir, "circuit.zkey"),
      vkey: JSON.parse(readFileSync(join(dir, "vkey.json"), "utf8")),
      verifierSol: readFileSync(join(dir, "verifier.sol"), "utf8"),
      meta: JSON.parse(readFileSync(join(dir, "meta.json"), "utf8")),
    });
    if (existsSync(join(dir, "meta.json"))) return art(true);

    opts.log?.(`${backend} setup for ${circuit.id} m=${circuit.m} (${info.nConstraints} constraints) with ${ptau.label}`);
    const t0 = performance.now();
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    copyFileSync(join(cdir, "circuit.r1cs"), join(tmp, "circuit.r1cs"));
    copyFileSync(join(cdir, "circuit.wasm"), join(tmp, "circuit.wasm"));
    const zkey = join(tmp, "circuit.zkey");
    const errors: string[] = [];
    const logger = { error: (m: string) => errors.push(m), warn: () => {}, info: () => {}, debug: () => {}, log: () => {} };
    if (backend === "groth16") {
      const r = await s.zKey.newZKey(join(tmp, "circuit.r1cs"), ptau.file, join(tmp, "phase2_0.zkey"), logger);
      if (r === -1 || errors.length) throw new ProverError("groth16 setup failed", { circuit: circuit.id, m: circuit.m, errors });
      await s.zKey.beacon(join(tmp, "phase2_0.zkey"), zkey, "zkfp INSECURE dev phase-2 beacon", beaconHashOf(`${seed}/phase2`), 10);
      rmSync(join(tmp, "phase2_0.zkey"));
    } else {
      const r = await s.plonk.setup(join(tmp, "circuit.r1cs"), ptau.file, zkey, logger);
      const tooBig = errors.map((e) => /circuit too big.*?(\d+) > 2\*\*(\d+)/.exec(e)).find(Boolean);
      if (tooBig) {
        rmSync(tmp, { recursive: true, force: true });
        const needed = log2ceil(Number(tooBig[1]));
        if (opts.ptau || process.env.ZKFP_PTAU || needed <= power) throw new ProverError("ptau too small for the PLONK circuit", { gates: Number(tooBig[1]), power });
        power = needed;
        continue;
      }
      if (r === -1 || errors.length) throw new ProverError("plonk setup failed", { circuit: circuit.id, m: circuit.m, errors });
      writeFileSync(plonkHint, String(power));
    }
    const vkey = await s.zKey.exportVerificationKey(zkey);
    writeFileSync(join(tmp, "vkey.json"), JSON.stringify(vkey, null, 1));
    let sol = await s.zKey.exportSolidityVerifier(zkey, templates());
    sol = sol.replace(/contract (Groth16|Plonk)Verifier\b/, `contract ${verifierName}`);
    sol = `// GENERATED by zk/prover/snark.ts from snarkjs ${SNARKJS_VERSION} (${backend}, circuit ${circuit.id} m=${circuit.m}, setup key ${key.slice(0, 16)}).\n// Setup: ${ptau.label}${ptau.insecure ? " -- INSECURE, development only" : ""}\n${sol}`;
    writeFileSync(join(tmp, "verifier.sol"), sol);
    const setupSeconds = (performance.now() - t0) / 1000;
    const meta = {
      constraints: info.nConstraints, power, ptau: ptau.label, ptauSha256: ptau.sha256, insecure: ptau.insecure,
      setupSeconds, ptauSeconds: ptau.generatedSeconds, zkeyBytes: readFileSync(zkey).byteLength,
    };
    writeFileSync(join(tmp, "meta.json"), JSON.stringify(meta, null, 1));
    if (existsSync(join(dir, "meta.json"))) {
      // another process finished the same setup first: keep its files (they may be in use)
      rmSync(tmp, { recursive: true, force: true });
      return art(true);
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    return art(false);
  }
}

const coder = AbiCoder.defaultAbiCoder();

export function toBytes32(x: bigint | string): string {
  return "0x" + BigInt(x).toString(16).padStart(64, "0");
}

/** The `proof` bytes the Solidity arbitrator decodes (contracts/src/zk/). */
export function encodeCalldata(backend: "groth16" | "plonk", proof: unknown, solidityCallData: string): string {
  if (backend === "groth16") {
    const p = proof as { pi_a: string[]; pi_b: string[][]; pi_c: string[] };
    // G2 coordinates are (c1, c0) on the EVM (EIP-197), snarkjs stores (c0, c1)
    return coder.encode(["uint256[2]", "uint256[2][2]", "uint256[2]"], [
      [p.pi_a[0], p.pi_a[1]],
      [[p.pi_b[0]![1], p.pi_b[0]![0]], [p.pi_b[1]![1], p.pi_b[1]![0]]],
      [p.pi_c[0], p.pi_c[1]],
    ]);
  }
  const words = solidityCallData.match(/0x[0-9a-fA-F]+/g) ?? [];
  if (words.length < 24) throw new ProverError("unexpected PLONK solidity calldata", { calldata: solidityCallData.slice(0, 200) });
  return coder.encode(["uint256[24]"], [words.slice(0, 24)]);
}

export class SnarkProver implements Prover {
  constructor(
    readonly backend: "groth16" | "plonk",
    readonly circuitOf: (m: number) => Promise<CircuitRecipe>,
    readonly opts: SetupOptions = {},
  ) {}

  async setup(m: number): Promise<SetupArtifacts> {
    return setupCircuit(this.backend, await this.circuitOf(m), this.opts);
  }

  async prove(req: ProveRequest): Promise<{ bundle: ProofBundle; timings: ProveTimings }> {
    if (!req.circuitInput) throw new ProverError("snark backends need a circuit input", { backend: this.backend });
    const t0 = performance.now();
    const art = await this.setup(req.m);
    const t1 = performance.now();
    const s = await snarkjs();
    let proof: unknown;
    let publicSignals: string[];
    try {
      ({ proof, publicSignals } = await s[this.backend].fullProve(req.circuitInput, art.wasm, art.zkey));
    } catch (e) {
      throw new ProverError("witness generation or proving failed (the transition does not satisfy the circuit)", {
        backend: this.backend, m: req.m, cause: String((e as Error).message ?? e).slice(0, 500),
      });
    }
    const t2 = performance.now();
    const sol = await s[this.backend].exportSolidityCallData(proof, publicSignals);
    const bundle: ProofBundle = {
      format: "zkfp-proof/1",
      backend: this.backend,
      circuit: { id: art.circuit.id, m: req.m, key: art.key },
      interval: req.fromStep !== undefined ? { fromStep: req.fromStep, steps: req.m } : null,
      preRoot: toBytes32(publicSignals[0]!),
      postRoot: toBytes32(publicSignals[1]!),
      publicSignals,
      proof,
      calldata: encodeCalldata(this.backend, proof, sol),
      vkey: art.vkey,
      setup: { ptau: art.meta.ptau, ptauSha256: art.meta.ptauSha256, insecure: art.meta.insecure },
    };
    return { bundle, timings: { setupSeconds: (t1 - t0) / 1000, proveSeconds: (t2 - t1) / 1000, cached: art.cached } };
  }

  async verify(bundle: ProofBundle, vkey?: unknown): Promise<boolean> {
    return verifySnarkBundle(bundle, vkey);
  }
}

/** Proof check plus the binding of the public signals to the bundle's roots. */
export async function verifySnarkBundle(bundle: ProofBundle, vkey?: unknown): Promise<boolean> {
  if (bundle.backend !== "groth16" && bundle.backend !== "plonk") throw new ProverError("not a snark bundle", { backend: bundle.backend });
  const [pre, post] = bundle.publicSignals;
  if (bundle.publicSignals.length !== 2 || BigInt(pre!) !== BigInt(bundle.preRoot) || BigInt(post!) !== BigInt(bundle.postRoot)) return false;
  const s = await snarkjs();
  return s[bundle.backend].verify(vkey ?? bundle.vkey, bundle.publicSignals, bundle.proof);
}
