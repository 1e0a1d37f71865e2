/**
 * snarkjs backends of the `Prover` interface: Groth16 (default), PLONK and FFLONK, with a
 * content-addressed setup cache.
 *
 * Cache: `.cache/zk/<key>/` (ZKFP_CACHE_DIR overrides `.cache/zk`), key = sha256 of
 * {sha256 of the compiled r1cs + wasm, ptau sha256, backend, snarkjs version}; the compiled circuit
 * itself is cached in `.cache/zk/circuits/<sha256 of sources + flags + main>/`. An entry holds
 * circuit.r1cs, circuit.wasm, circuit.zkey, vkey.json, verifier.sol, transcript.json and meta.json
 * (constraints, the circuit's power and the ptau's, ptau label, security verdict and reasons,
 * transcript hash, setup seconds). A
 * directory is built under a temporary name and renamed when complete, so a crashed setup never
 * leaves a usable-looking entry.
 *
 * Setup: Groth16 = `zkey new` + one phase-2 contribution of secret OS entropy (zk/setup/ceremony.ts;
 * random, so the cached entry is this machine's setup of the circuit, made once). It is SECURE only
 * if the ptau is also a verified public ceremony file (zk/setup/security.ts), in which case `zkey
 * verify` is run too; the default dev ptau keeps it INSECURE (tau known). A multi-party phase 2 is
 * `zkfp setup` (cli/commands/setup.ts). PLONK / FFLONK = `plonk|fflonk setup` (universal: no
 * circuit-specific secret; secure iff the ptau is). The ptau power is the circuit's: Groth16 needs
 * 2^p >= constraints + public inputs + 1; PLONK's own gate count is only known after a setup
 * attempt, so PLONK starts from the Groth16 power + 1 and retries with the power snarkjs reports
 * (FFLONK: the PLONK power + 3, since it needs 9 * 2^cirPower + 18 tau powers).
 *
 * Pitfalls: snarkjs leaves worker threads running; callers end with `terminateCurve()`. The
 * Solidity verifier's contract is renamed `<Groth16|Plonk|Fflonk>Verifier_<circuit>_m<m>` so several can
 * live in one Foundry project.
 */
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AbiCoder } from "ethers";
import { ZkfpError } from "../../vm/errors.ts";
import { ProverError } from "./errors.ts";
import {
  decorateVerifier,
  phase2Contribute,
  phase2Start,
  phase2Verify,
  readPhase2,
  transcriptHash,
  vkeySha256,
  type Transcript,
} from "../setup/ceremony.ts";
import { resolvePtau, type PtauChoice } from "../setup/ptau.ts";
import { DEV_PTAU_CONTRIBUTION_NAME } from "../setup/devptau.ts";
import { writeDevZkey } from "../setup/devzkey.ts";
import {
  assessSetup,
  fileHashes,
  quietLogger,
  securityLabel,
  type KnownCeremony,
  type Phase2Security,
  type SetupSecurity,
} from "../setup/security.ts";
import { snarkjs } from "../snarkjs.ts";
import { calldataWordIssue, calldataWords, proofFromWords } from "./calldata-check.ts";
import { step, withStep } from "../../cli/progress.ts";
import { REPO_ROOT, isCompleteCircuit, type CircuitRecipe } from "./circuits.ts";
import { constraintsOf, cost, plonkGatesOf } from "./estimate.ts";
import type { Backend, ProofBundle, ProveRequest, ProveTimings, Prover } from "./types.ts";

export { ProverError };

/** A setup cache entry whose files do not match what it claims (someone else wrote or edited it). */
export class CacheEntryError extends ZkfpError {
  override readonly name = "CacheEntryError";
}

export const SNARKJS_VERSION = "0.7.6";
export const FIELD_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

export function cacheRoot(): string {
  return process.env.ZKFP_CACHE_DIR ?? join(REPO_ROOT, ".cache", "zk");
}

export type SnarkBackend = "groth16" | "plonk" | "fflonk";
/** Bytes of a backend's proof in the arbitrator calldata (after the 32-byte key index; contracts/src/zk/). */
export const SNARK_PROOF_BYTES: Readonly<Record<SnarkBackend, number>> = { groth16: 256, plonk: 768, fflonk: 768 };

export type SetupMeta = {
  constraints: number;
  /**
   * The power of two the circuit needs: Groth16 2^power >= constraints + public inputs + 1; PLONK
   * its domain (snarkjs' gate count, vkey.power); FFLONK its domain + 3 (the ptau power it needs).
   */
  power: number;
  /** power of the ptau file the setup used (above `power` when the ptau was chosen explicitly) */
  ptauPower: number;
  ptau: string;
  ptauSha256: string;
  /** true unless both phases passed zk/setup/security.ts (known verified ceremony ptau; verified phase 2 with a secret contribution) */
  insecure: boolean;
  security: SetupSecurity;
  /** human verdict: "SECURE (...)" or "INSECURE: reasons" */
  label: string;
  transcriptHash: string;
  setupSeconds: number;
  ptauSeconds: number;
  zkeyBytes: number;
  /** Groth16: how the phase-2 start was computed, and wall (`k`) and process CPU (`kCpu`) seconds per setup phase (absent in older entries) */
  zkeyNew?: "dev-known-tau" | "snarkjs";
  phaseSeconds?: Record<string, number>;
};

export type SetupArtifacts<B extends SnarkBackend = SnarkBackend> = {
  key: string;
  dir: string;
  backend: B;
  circuit: CircuitRecipe;
  r1cs: string;
  wasm: string;
  zkey: string;
  vkey: Record<string, unknown>;
  verifierSol: string;
  verifierName: string;
  transcript: Transcript;
  meta: SetupMeta;
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

/**
 * The power a setup's circuit needs (SetupMeta.power): for PLONK / FFLONK from the verification key
 * (snarkjs' domain 2^vkey.power; FFLONK needs a ptau 3 powers above it), for Groth16 `groth16Power`.
 */
function circuitPower(backend: SnarkBackend, vkey: { power?: unknown }, groth16Power: number): number {
  if (backend === "groth16") return groth16Power;
  if (typeof vkey.power !== "number" || !Number.isInteger(vkey.power))
    throw new ProverError(`${backend} verification key without a domain power`, { power: vkey.power });
  return vkey.power + (backend === "fflonk" ? 3 : 0);
}

export function verifierContractName(backend: SnarkBackend, c: { id: string; m: number }): string {
  return `${backend === "groth16" ? "Groth16" : backend === "plonk" ? "Plonk" : "Fflonk"}Verifier_${c.id}_m${c.m}`;
}

export function templates(): Record<string, string> {
  const dir = join(REPO_ROOT, "node_modules", "snarkjs", "templates");
  return {
    groth16: readFileSync(join(dir, "verifier_groth16.sol.ejs"), "utf8"),
    plonk: readFileSync(join(dir, "verifier_plonk.sol.ejs"), "utf8"),
    fflonk: readFileSync(join(dir, "verifier_fflonk.sol.ejs"), "utf8"),
  };
}

/**
 * Cache key of a setup: the compiled circuit (r1cs + wasm), the ptau, backend, snarkjs version.
 * No seed: phase 2 is random, so the entry is "this machine's setup of this circuit" (made once,
 * reused); two independent setups live in two cache dirs (ZKFP_CACHE_DIR).
 */
export function setupKey(
  circuitHash: string,
  ptauSha256: string,
  backend: SnarkBackend,
  ceremony: string | null = null,
): string {
  return sha(
    JSON.stringify({
      v: 3,
      circuit: circuitHash,
      ptau: ptauSha256,
      backend,
      snarkjs: SNARKJS_VERSION,
      phase2: backend === "groth16" ? "os-entropy" : "none",
      // the ptau's known-ceremony name is part of the verdict stored in the entry: an entry made
      // while a file was recognised is never served for the same file looked up in another list
      ...(ceremony ? { ceremony } : {}),
    }),
  );
}

export type SetupOptions = {
  ptau?: string;
  log?: (m: string) => void;
  /** tests only (zk/setup/security.ts knownCeremony): the known-ceremony list the ptau is looked up in */
  knownCeremonies?: readonly KnownCeremony[];
};

/**
 * Adds the circuit's constants to a generated verifier (after its contract line, idempotent):
 * CIRCUIT_ID (the recipe id as bytes32 text), CIRCUIT_STEPS (m) and CIRCUIT_COMPLETE (`isCompleteCircuit`).
 * contracts/src/zk/SpanVerifiers.sol reads them at deployment as a sanity check (span = m, a complete key
 * in every span's set): labels written by this tool, not a proof of what the key proves.
 */
export function withCircuitConstants(sol: string, name: string, circuit: { id: string; m: number }): string {
  if (sol.includes("CIRCUIT_ID")) return sol;
  if (!/^[a-z0-9_]{1,32}$/.test(circuit.id) || !Number.isInteger(circuit.m) || circuit.m < 1)
    throw new ProverError("circuit id must be 1..32 chars [a-z0-9_] and m a positive integer", {
      id: circuit.id,
      m: circuit.m,
    });
  const line = `contract ${name} {`;
  if (!sol.includes(line)) throw new ProverError("verifier has no contract line to decorate", { name });
  return sol.replace(
    line,
    `${line}
    /// @notice zkfp circuit of this key (zk/prover/circuits.ts), steps per proof, and whether the circuit has a
    ///         witness for every transition: labels for SpanVerifiers' deploy-time check, not a proof.
    bytes32 public constant CIRCUIT_ID = "${circuit.id}";
    uint256 public constant CIRCUIT_STEPS = ${circuit.m};
    bool public constant CIRCUIT_COMPLETE = ${isCompleteCircuit(circuit.id)};`,
  );
}

/** The Solidity verifier of a vkey, decorated as zkfp commits it (header, name, transcript constants). */
export async function renderVerifier(
  backend: SnarkBackend,
  vkey: unknown,
  o: {
    name: string;
    circuitLabel: string;
    transcriptHash: string;
    security: Pick<SetupSecurity, "secure" | "reasons">;
  },
): Promise<string> {
  // @ts-expect-error ejs (a snarkjs dependency) ships no types
  const ejs = (await import("ejs")).default as { render(t: string, d: unknown): string };
  const s = await snarkjs();
  const raw =
    backend === "fflonk"
      ? await s.fflonk.exportSolidityVerifier(vkey, templates())
      : ejs.render(templates()[backend]!, vkey);
  return decorateVerifier(raw, { ...o, backend });
}

/** Where `compileCircuit` keeps a recipe's compiled files (by source hash; exists once compiled). */
export function compiledDir(circuit: CircuitRecipe): string {
  const srcHash = sha(
    JSON.stringify({
      v: 1,
      id: circuit.id,
      m: circuit.m,
      salt: circuit.salt,
      files: circuit.sources.map((f) => sha(readFileSync(f))),
    }),
  );
  return join(cacheRoot(), "circuits", srcHash);
}

/** Compiles a recipe into the cache (by source hash); returns the directory with circuit.r1cs/.wasm. */
export async function compileCircuit(circuit: CircuitRecipe, log?: (m: string) => void): Promise<string> {
  const cdir = compiledDir(circuit);
  if (!existsSync(join(cdir, "circuit.wasm"))) {
    const c = constraintsOf(circuit.id, circuit.m);
    const st = step(`circom compile ${circuit.id} m=${circuit.m} (~${c} constraints)`, {
      estimateSeconds: cost.compile(c).seconds,
    });
    const tmp = `${cdir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    try {
      const out = await circuit.compile(join(tmp, "build"));
      copyFileSync(out.r1cs, join(tmp, "circuit.r1cs"));
      copyFileSync(out.wasm, join(tmp, "circuit.wasm"));
      rmSync(join(tmp, "build"), { recursive: true, force: true });
      if (!existsSync(join(cdir, "circuit.wasm"))) {
        // else: lost a race, keep the winner's files
        rmSync(cdir, { recursive: true, force: true });
        renameSync(tmp, cdir);
      }
      st.end();
    } finally {
      st.end("failed");
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return cdir;
}

/**
 * A recipe's r1cs and wasm compiled now in a fresh temporary directory, outside the setup cache
 * (its `circuits/<source hash>/` is only as trustworthy as whoever can write the cache directory).
 */
export async function compileFresh(circuit: CircuitRecipe): Promise<{ r1cs: Buffer; wasm: Buffer }> {
  const k = compiledDir(circuit); // the recipe's source hash: memoised per process, never on disk
  const hit = freshCompiles.get(k);
  if (hit) return hit;
  const tmp = mkdtempSync(join(tmpdir(), "zkfp-compile-check-"));
  try {
    const out = await circuit.compile(join(tmp, "build"));
    const r = { r1cs: readFileSync(out.r1cs), wasm: readFileSync(out.wasm) };
    freshCompiles.set(k, r);
    return r;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
const freshCompiles = new Map<string, { r1cs: Buffer; wasm: Buffer }>();

/**
 * The cached compiled circuit against `compileFresh`: someone who can write the cache could have
 * planted another circuit's files under the recipe's source hash. Run where the verdict may be
 * SECURE (a dev ptau's setups are forgeable whatever the circuit). CacheEntryError if they differ.
 */
async function checkCompiled(circuit: CircuitRecipe, cdir: string, circuitHash: string): Promise<void> {
  const f = await compileFresh(circuit);
  const fresh = sha(Buffer.concat([f.r1cs, f.wasm]));
  if (fresh !== circuitHash)
    throw new CacheEntryError("the cached compiled circuit is not what its sources compile to", {
      dir: cdir,
      circuit: `${circuit.id} m=${circuit.m}`,
      cached: circuitHash,
      compiled: fresh,
    });
}

/** The integer in a cache's `<backend>.power` hint file if it lies in [lo, hi], else undefined. */
export function readPowerHint(file: string, lo: number, hi: number): number | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, "utf8").trim();
  const v = /^\d{1,2}$/.test(text) ? Number(text) : Number.NaN;
  return v >= lo && v <= hi ? v : undefined;
}

/** What a setup verdict knows of its ptau (security.ts `assessSetup`). */
const ptauIdentity = (p: PtauChoice) => ({
  sha256: p.sha256,
  blake2b: p.blake2b,
  ceremony: p.ceremony,
  verified: p.verified,
});

/** A setup's transcript: what `setupCircuit` writes and `checkEntry` recomputes from an entry's files. */
function setupTranscript(
  backend: SnarkBackend,
  ptau: PtauChoice,
  r1csSha256: string,
  constraints: number,
  phase2: Transcript["phase2"],
  vkey: unknown,
): Transcript {
  return {
    format: "zkfp-setup-transcript/1",
    backend,
    circuit: { r1csSha256, constraints },
    ptau: { sha256: ptau.sha256, blake2b: ptau.blake2b, power: ptau.power, ceremony: ptau.ceremony },
    phase2,
    vkeySha256: vkeySha256(vkey),
  };
}

/** zkey verify results of this process (by zkey, r1cs and ptau content), for `checkEntry`. */
const servedVerified = new Map<string, boolean>();

/**
 * A cache entry as its files ARE, never as they say: the cache directory may be someone else's
 * (shared, or handed over). The entry's circuit files must be the compiled circuit's; its vkey is
 * the one exported from its zkey; its transcript, verdict (security.ts `assessSetup`, with the ptau
 * identified now and the phase-2 record read from the zkey) and verifier are recomputed and must
 * equal the stored transcript.json, meta.json and verifier.sol. Where the verdict can be SECURE the
 * expensive check is run again: `zkey verify` (Groth16) or a fresh universal setup whose key must be
 * the entry's (PLONK / FFLONK), once per process. Any difference is a CacheEntryError naming the
 * file (delete the entry to rebuild it).
 */
async function checkEntry<B extends SnarkBackend>(
  art: SetupArtifacts<B>,
  e: {
    backend: SnarkBackend;
    circuit: CircuitRecipe;
    verifierName: string;
    ptau: PtauChoice;
    circuitHash: string;
    r1csSha256: string;
    constraints: number;
  },
): Promise<SetupArtifacts<B>> {
  const bad = (file: string, what: string, more: Record<string, unknown> = {}): never => {
    throw new CacheEntryError(`setup cache entry: ${what}`, { file: join(art.dir, file), ...more });
  };
  let mine: string;
  try {
    mine = sha(Buffer.concat([readFileSync(art.r1cs), readFileSync(art.wasm)]));
  } catch {
    return bad("circuit.r1cs", "circuit files missing");
  }
  if (mine !== e.circuitHash) bad("circuit.r1cs", "circuit files are not the compiled circuit's");
  const s = await snarkjs();
  const rec = await readPhase2(art.zkey);
  if (rec.protocol !== e.backend) bad("circuit.zkey", "zkey of another proof system", { protocol: rec.protocol });
  const vkey = (await s.zKey.exportVerificationKey(art.zkey)) as Record<string, unknown>;
  if (vkeySha256(vkey) !== vkeySha256(art.vkey)) bad("vkey.json", "vkey.json is not the zkey's verification key");
  const phase2Record: Transcript["phase2"] =
    e.backend === "groth16" ? { csHash: rec.csHash, contributions: rec.contributions } : null;
  const transcript = setupTranscript(e.backend, e.ptau, e.r1csSha256, e.constraints, phase2Record, vkey);
  const tHash = transcriptHash(transcript);
  if (transcriptHash(art.transcript) !== tHash || art.meta.transcriptHash !== tHash)
    bad("transcript.json", "transcript does not match the entry's files", {
      recomputed: tHash,
      stored: art.meta.transcriptHash,
    });
  const secret = rec.contributions.filter((c) => c.type === "contribution").length;
  let verified: boolean | null = null;
  const mayBeSecure = Boolean(e.ptau.ceremony && e.ptau.verified) && (e.backend !== "groth16" || secret > 0);
  if (mayBeSecure) {
    const k = `${e.backend}:${(await fileHashes(art.zkey)).sha256}:${e.r1csSha256}:${e.ptau.sha256}`;
    let ok = servedVerified.get(k);
    if (ok === undefined) {
      if (e.backend === "groth16") ok = await phase2Verify(art.zkey, art.r1cs, e.ptau.file);
      else {
        const tmp = mkdtempSync(join(tmpdir(), "zkfp-setup-check-"));
        try {
          const z = join(tmp, "check.zkey");
          const r = await s[e.backend as "plonk" | "fflonk"]
            .setup(art.r1cs, e.ptau.file, z, quietLogger())
            .catch(() => -1);
          ok = r !== -1 && vkeySha256(await s.zKey.exportVerificationKey(z)) === vkeySha256(vkey);
        } finally {
          rmSync(tmp, { recursive: true, force: true });
        }
      }
      servedVerified.set(k, ok);
    }
    if (!ok) bad("circuit.zkey", "the zkey is not a setup of this circuit and ptau");
    if (e.backend === "groth16") verified = true;
  }
  const security = assessSetup(
    e.backend,
    ptauIdentity(e.ptau),
    e.backend === "groth16"
      ? {
          secretContributions: secret,
          beacons: rec.contributions.length - secret,
          verified,
        }
      : null,
  );
  const stored = art.meta.security;
  if (
    art.meta.insecure !== !security.secure ||
    stored?.secure !== security.secure ||
    JSON.stringify(stored.reasons) !== JSON.stringify(security.reasons) ||
    art.meta.label !== securityLabel(security)
  )
    bad("meta.json", "the stored verdict is not the entry's", { recomputed: securityLabel(security) });
  const sol = withCircuitConstants(
    await renderVerifier(e.backend, vkey, {
      name: e.verifierName,
      circuitLabel: `${e.circuit.id} m=${e.circuit.m}`,
      transcriptHash: tHash,
      security,
    }),
    e.verifierName,
    e.circuit,
  );
  if (sol !== art.verifierSol) bad("verifier.sol", "verifier.sol is not the verifier of the entry's key and verdict");
  return {
    ...art,
    vkey,
    transcript,
    meta: { ...art.meta, insecure: !security.secure, security, label: securityLabel(security) },
  };
}

/** Compiles the circuit and runs (or reuses) the backend's setup. */
export async function setupCircuit<B extends SnarkBackend>(
  backend: B,
  circuit: CircuitRecipe,
  opts: SetupOptions = {},
): Promise<SetupArtifacts<B>> {
  const s = await snarkjs();
  // 1. compile (cached by source hash alone, so the ptau choice can depend on the constraint count)
  const cdir = await compileCircuit(circuit, opts.log);
  const info = await s.r1cs.info(join(cdir, "circuit.r1cs"));
  // the setup is keyed by what was compiled, not by the sources: a comment-only edit of a .circom
  // file recompiles (cheap, cached by source hash) but reuses the setup
  const r1csBytes = readFileSync(join(cdir, "circuit.r1cs"));
  const circuitHash = sha(Buffer.concat([r1csBytes, readFileSync(join(cdir, "circuit.wasm"))]));
  const groth16Power = Math.max(log2ceil(info.nConstraints + info.nPubInputs + info.nOutputs + 1), 3);
  // PLONK's / FFLONK's gate count is only known after one setup attempt; the power that worked is remembered
  const hint = join(cdir, `${backend}.power`);
  const plonkHint = join(cdir, "plonk.power");
  const explicitPtau = Boolean(opts.ptau || process.env.ZKFP_PTAU);
  // a hint is whatever the cache directory holds: a planted 28 would make this process generate a
  // 2^28 dev ptau, so one outside [Groth16 power, gate model + 2] (+3 for FFLONK) is ignored
  const modelPower = Math.max(groth16Power + 1, log2ceil(plonkGatesOf(circuit.id, circuit.m)));
  const readHint = (file: string, extra: number) => readPowerHint(file, groth16Power + extra, modelPower + 2 + extra);
  let power =
    backend === "groth16"
      ? groth16Power
      : (readHint(hint, backend === "fflonk" ? 3 : 0) ??
        (backend === "plonk"
          ? groth16Power + 1
          : // snarkjs' FFLONK "not big enough" error names no gate count, so each retry is one power up
            // (and one more dev ptau): start from the gate model (estimate.ts) rather than the Groth16
            // power; with an explicit ptau from the lowest power (snarkjs then decides whether it fits)
            (readHint(plonkHint, 0) ?? (explicitPtau ? groth16Power + 1 : modelPower)) + 3));

  for (;;) {
    const ptau: PtauChoice = await resolvePtau({
      power,
      ptau: opts.ptau,
      cacheDir: cacheRoot(),
      log: opts.log,
      knownCeremonies: opts.knownCeremonies,
    });
    const key = setupKey(circuitHash, ptau.sha256, backend, ptau.ceremony);
    const dir = join(cacheRoot(), key);
    const verifierName = verifierContractName(backend, circuit);
    const art = (cached: boolean): SetupArtifacts<B> => {
      const vkey = JSON.parse(readFileSync(join(dir, "vkey.json"), "utf8"));
      const transcript: Transcript = JSON.parse(readFileSync(join(dir, "transcript.json"), "utf8"));
      const meta: SetupMeta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8"));
      return {
        key,
        dir,
        backend,
        circuit,
        cached,
        verifierName,
        r1cs: join(dir, "circuit.r1cs"),
        wasm: join(dir, "circuit.wasm"),
        zkey: join(dir, "circuit.zkey"),
        vkey,
        // setups cached before the circuit constants existed get them here (a pure function of the recipe)
        verifierSol: withCircuitConstants(readFileSync(join(dir, "verifier.sol"), "utf8"), verifierName, circuit),
        transcript,
        // entries made before `ptauPower` existed recorded a PLONK / FFLONK setup on an explicit ptau with
        // the power of the first attempt: the entry's own vkey and transcript hold the true figures
        meta: { ...meta, power: circuitPower(backend, vkey, meta.power), ptauPower: transcript.ptau.power },
      };
    };
    // a SECURE verdict is never taken from the cache: the compiled circuit it would be made of is
    // compiled again outside it (a planted r1cs would get a SECURE key of another statement)
    const mayBeSecure = Boolean(ptau.ceremony && ptau.verified);
    if (mayBeSecure) await checkCompiled(circuit, cdir, circuitHash);
    const entry = {
      backend,
      circuit,
      verifierName,
      ptau,
      circuitHash,
      r1csSha256: sha(r1csBytes),
      constraints: info.nConstraints,
    };
    if (existsSync(join(dir, "meta.json"))) return checkEntry(art(true), entry);

    opts.log?.(
      `${backend} setup for ${circuit.id} m=${circuit.m} (${info.nConstraints} constraints) with ${ptau.label}`,
    );
    const t0 = performance.now();
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    try {
      copyFileSync(join(cdir, "circuit.r1cs"), join(tmp, "circuit.r1cs"));
      copyFileSync(join(cdir, "circuit.wasm"), join(tmp, "circuit.wasm"));
      const zkey = join(tmp, "circuit.zkey");
      const errors: string[] = [];
      let phase2: Phase2Security = null;
      let phase2Record: Transcript["phase2"] = null;
      const label = `${circuit.id} m=${circuit.m}, ${info.nConstraints} constraints, ptau 2^${power}`;
      let zkeyNew: SetupMeta["zkeyNew"];
      const phaseSeconds: Record<string, number> = {};
      // wall and process CPU (all threads) per phase: on a shared machine the CPU figure is the stable one
      const timed = async <T>(k: string, f: () => Promise<T>): Promise<T> => {
        const t = performance.now(),
          c = process.cpuUsage();
        try {
          return await f();
        } finally {
          const d = process.cpuUsage(c);
          phaseSeconds[k] = (performance.now() - t) / 1000;
          phaseSeconds[`${k}Cpu`] = (d.user + d.system) / 1e6;
        }
      };
      if (backend === "groth16") {
        // snarkjs: zkey new is most of the setup (estimate.ts cost.groth16Setup)
        const est = cost.groth16Setup(info.nConstraints).seconds;
        // the INSECURE dev ptau's tau is public (derived from its beacon): its phase-2 start is computed
        // from scalars (zk/setup/devzkey.ts, the same file snarkjs writes, ~20x faster); any other ptau
        // goes through snarkjs. ZKFP_ZKEY_NEW=snarkjs forces snarkjs (benchmark baseline).
        const devTau =
          !ptau.ceremony &&
          ptau.contributions.length === 1 &&
          ptau.contributions[0] === DEV_PTAU_CONTRIBUTION_NAME &&
          process.env.ZKFP_ZKEY_NEW !== "snarkjs";
        zkeyNew = devTau ? "dev-known-tau" : "snarkjs";
        await timed("zkeyNew", () =>
          withStep(
            `groth16 setup: zkey new${devTau ? " (dev ptau, known tau)" : ""} (${label})`,
            {
              estimateSeconds: devTau
                ? cost.groth16SetupDev(info.nConstraints).seconds - cost.groth16Contribute(info.nConstraints)
                : est - cost.groth16Contribute(info.nConstraints),
            },
            async () => {
              if (devTau)
                await writeDevZkey({
                  r1cs: join(tmp, "circuit.r1cs"),
                  ptau: ptau.file,
                  out: join(tmp, "phase2_0.zkey"),
                });
              else await phase2Start(join(tmp, "circuit.r1cs"), ptau.file, join(tmp, "phase2_0.zkey"));
            },
          ),
        );
        // one contribution of secret OS entropy (never a constant): nobody, this process included
        // after it exits, knows delta
        await timed("contribute", () =>
          withStep(
            `groth16 setup: phase-2 contribution (${label})`,
            { estimateSeconds: cost.groth16Contribute(info.nConstraints) },
            () =>
              phase2Contribute(join(tmp, "phase2_0.zkey"), zkey, { name: "zkfp setup: secret OS entropy, discarded" }),
          ),
        );
        rmSync(join(tmp, "phase2_0.zkey"));
        const rec = await readPhase2(zkey);
        phase2Record = { csHash: rec.csHash, contributions: rec.contributions };
        // zkey verify costs about a setup: run it only where the verdict can still be "secure"
        const verified =
          ptau.ceremony && ptau.verified
            ? await withStep(
                `groth16 setup: zkey verify (${label})`,
                { estimateSeconds: cost.groth16Setup(info.nConstraints).seconds },
                () => phase2Verify(zkey, join(tmp, "circuit.r1cs"), ptau.file),
              )
            : null;
        phase2 = {
          secretContributions: rec.contributions.filter((c) => c.type === "contribution").length,
          beacons: rec.contributions.filter((c) => c.type === "beacon").length,
          verified,
        };
      } else {
        const r = await withStep(
          `${backend} setup (${label})`,
          {
            estimateSeconds:
              cost.plonkSetup(backend === "fflonk" ? power - 3 : power).seconds * (backend === "fflonk" ? 2 : 1),
          },
          () =>
            s[backend as "plonk" | "fflonk"]
              .setup(join(tmp, "circuit.r1cs"), ptau.file, zkey, quietLogger(errors))
              .catch((e: Error) => {
                errors.push(String(e.message ?? e));
                return -1;
              }),
        );
        const tooBig = errors.find((e) => /too big|not big enough/.test(e));
        if (tooBig) {
          const m = /(\d+) > 2\*\*(\d+)/.exec(tooBig);
          const needed = m ? log2ceil(Number(m[1])) : power + 1;
          if (explicitPtau || (needed <= power && m) || power >= 28)
            throw new ProverError(`ptau too small for the ${backend} circuit`, { power, errors });
          power = m ? needed : power + 1;
          continue;
        }
        if (r === -1 || errors.length)
          throw new ProverError(`${backend} setup failed`, { circuit: circuit.id, m: circuit.m, errors });
      }
      const vkey = await timed("exportVkey", () => s.zKey.exportVerificationKey(zkey));
      if (backend !== "groth16") {
        // the attempt that worked may have run on a larger (explicit) ptau: the circuit's power is the
        // domain's (from the vkey, whatever the ptau), and only that is remembered for later setups
        power = circuitPower(backend, vkey, power);
        writeFileSync(hint, String(power));
      }
      writeFileSync(join(tmp, "vkey.json"), JSON.stringify(vkey, null, 1));
      const security = assessSetup(backend, ptauIdentity(ptau), phase2);
      const transcript = setupTranscript(backend, ptau, sha(r1csBytes), info.nConstraints, phase2Record, vkey);
      const tHash = transcriptHash(transcript);
      writeFileSync(join(tmp, "transcript.json"), JSON.stringify(transcript, null, 1));
      writeFileSync(
        join(tmp, "verifier.sol"),
        await renderVerifier(backend, vkey, {
          name: verifierName,
          circuitLabel: `${circuit.id} m=${circuit.m}`,
          transcriptHash: tHash,
          security,
        }),
      );
      const meta: SetupMeta = {
        constraints: info.nConstraints,
        power,
        ptauPower: ptau.power,
        ptau: ptau.label,
        ptauSha256: ptau.sha256,
        insecure: !security.secure,
        security,
        label: securityLabel(security),
        transcriptHash: tHash,
        setupSeconds: (performance.now() - t0) / 1000,
        ptauSeconds: ptau.generatedSeconds,
        zkeyBytes: statSync(zkey).size, // never read whole: a PLONK key of 2^21 gates is 3.6 GB, past Node's 2 GiB Buffer
        ...(backend === "groth16" ? { zkeyNew, phaseSeconds } : {}),
      };
      writeFileSync(join(tmp, "meta.json"), JSON.stringify(meta, null, 1));
      if (existsSync(join(dir, "meta.json"))) return checkEntry(art(true), entry); // another process finished first: keep its files
      rmSync(dir, { recursive: true, force: true });
      renameSync(tmp, dir);
      return art(false);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
}

const coder = AbiCoder.defaultAbiCoder();

export function toBytes32(x: bigint | string): string {
  return "0x" + BigInt(x).toString(16).padStart(64, "0");
}

/** The `proof` bytes the Solidity arbitrator decodes (contracts/src/zk/). */
export function encodeCalldata(backend: SnarkBackend, proof: unknown, solidityCallData: string): string {
  if (backend === "groth16") {
    const p = proof as { pi_a: string[]; pi_b: string[][]; pi_c: string[] };
    // G2 coordinates are (c1, c0) on the EVM (EIP-197), snarkjs stores (c0, c1)
    return coder.encode(
      ["uint256[2]", "uint256[2][2]", "uint256[2]"],
      [
        [p.pi_a[0], p.pi_a[1]],
        [
          [p.pi_b[0]![1], p.pi_b[0]![0]],
          [p.pi_b[1]![1], p.pi_b[1]![0]],
        ],
        [p.pi_c[0], p.pi_c[1]],
      ],
    );
  }
  const words = solidityCallData.match(/0x[0-9a-fA-F]+/g) ?? [];
  if (words.length < 24)
    throw new ProverError(`unexpected ${backend} solidity calldata`, { calldata: solidityCallData.slice(0, 200) });
  return coder.encode(["uint256[24]"], [words.slice(0, 24)]);
}

/** snarkjs' Solidity calldata string of a proof (its FFLONK export takes (publicSignals, proof), the others (proof, publicSignals)). */
export async function solidityCallData(
  backend: SnarkBackend,
  proof: unknown,
  publicSignals: string[],
): Promise<string> {
  const s = await snarkjs();
  return backend === "fflonk"
    ? s.fflonk.exportSolidityCallData(publicSignals, proof)
    : s[backend].exportSolidityCallData(proof, publicSignals);
}

/**
 * Witness, then proof, each a progress step with its estimate, for a setup's artifacts. A witness
 * the inputs do not satisfy (e.g. a false post-root) throws WitnessUnsatisfiable (witness.ts) and
 * prints nothing raw; any other failure is a ProverError.
 */
export async function proveWith(
  art: Pick<SetupArtifacts, "backend" | "circuit" | "wasm" | "zkey" | "meta">,
  input: Record<string, unknown>,
): Promise<{ proof: unknown; publicSignals: string[]; calldata: string }> {
  const s = await snarkjs();
  const c = art.meta.constraints;
  const total =
    art.backend === "groth16"
      ? cost.groth16Prove(c).seconds
      : art.backend === "fflonk"
        ? cost.fflonkProve(art.meta.power).seconds
        : cost.plonkProve(art.meta.power).seconds;
  const label = `${art.circuit.id} m=${art.circuit.m}`;
  const wtns: { type: "mem"; data?: Uint8Array } = { type: "mem" };
  await withStep(`witness ${label}`, { estimateSeconds: 0.2 * total }, () => s.wtns.calculate(input, art.wasm, wtns));
  try {
    const { proof, publicSignals } = await withStep(
      `${art.backend} prove ${label}`,
      { estimateSeconds: 0.8 * total },
      () => s[art.backend].prove(art.zkey, wtns),
    );
    const calldata = encodeCalldata(art.backend, proof, await solidityCallData(art.backend, proof, publicSignals));
    return { proof, publicSignals, calldata };
  } catch (e) {
    if (e instanceof ZkfpError) throw e;
    throw new ProverError("proving failed", {
      backend: art.backend,
      circuit: art.circuit.id,
      m: art.circuit.m,
      cause: String((e as Error).message ?? e).slice(0, 500),
    });
  }
}

export class SnarkProver implements Prover {
  constructor(
    readonly backend: SnarkBackend,
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
    const { proof, publicSignals, calldata } = await proveWith(art, req.circuitInput);
    const t2 = performance.now();
    const bundle: ProofBundle = {
      format: "zkfp-proof/1",
      backend: this.backend,
      circuit: { id: art.circuit.id, m: req.m, key: art.key },
      interval: req.fromStep !== undefined ? { fromStep: req.fromStep, steps: req.m } : null,
      preRoot: toBytes32(publicSignals[0]!),
      postRoot: toBytes32(publicSignals[1]!),
      publicSignals,
      proof,
      calldata,
      vkey: art.vkey,
      setup: {
        ptau: art.meta.ptau,
        ptauSha256: art.meta.ptauSha256,
        insecure: art.meta.insecure,
        transcriptHash: art.meta.transcriptHash,
        reasons: art.meta.security.reasons,
      },
    };
    return { bundle, timings: { setupSeconds: (t1 - t0) / 1000, proveSeconds: (t2 - t1) / 1000, cached: art.cached } };
  }

  /**
   * Checks `bundle` against `vkey`, or else against THIS prover's own setup key for the bundle's step
   * count (never the key embedded in the bundle: its author chose it).
   */
  async verify(bundle: ProofBundle, vkey?: unknown): Promise<boolean> {
    return verifySnarkBundle(bundle, vkey ?? (await this.setup(bundle.circuit.m)).vkey);
  }
}

/**
 * The proof JSON's check against the verification key the CALLER pins, plus the binding of the public
 * signals to the bundle's roots (not its calldata: `snarkCalldataAccepted`). There is no default:
 * `bundle.vkey` is the proof author's choice (a forger's own key verifies its forgery), so a caller that
 * means to trust it must pass it explicitly.
 */
export async function verifySnarkProof(bundle: ProofBundle, vkey: unknown): Promise<boolean> {
  if (bundle.backend !== "groth16" && bundle.backend !== "plonk" && bundle.backend !== "fflonk")
    throw new ProverError("not a snark bundle", { backend: bundle.backend });
  if (vkey === undefined || vkey === null)
    throw new ProverError("no verification key pinned (pass the bundle's own vkey only to trust its author)", {
      backend: bundle.backend,
    });
  const [pre, post] = bundle.publicSignals;
  if (
    bundle.publicSignals.length !== 2 ||
    BigInt(pre!) !== BigInt(bundle.preRoot) ||
    BigInt(post!) !== BigInt(bundle.postRoot)
  )
    return false;
  const s = await snarkjs();
  return s[bundle.backend].verify(vkey, bundle.publicSignals, bundle.proof);
}

/**
 * Whether the arbitrator's verifier with key `vkey` accepts these calldata words for these public
 * signals: every word in its field, FFLONK's batch inverse right, and the proof the words stand for
 * verifying (calldata-check.ts). snarkjs' JS verifiers read the proof JSON and reduce it, so before
 * attack7 a file whose calldata carried x + R, x + P or a wrong FFLONK `inv` verified off chain and was
 * rejected on chain (cli/attack/verify-noncanonical.test.ts).
 */
export async function snarkCalldataAccepted(
  backend: SnarkBackend,
  vkey: unknown,
  publicSignals: string[],
  calldata: string,
): Promise<boolean> {
  const words = calldataWords(backend, calldata);
  if (words === null || calldataWordIssue(backend, vkey, publicSignals, words) !== null) return false;
  const s = await snarkjs();
  return s[backend].verify(vkey, publicSignals, proofFromWords(backend, words));
}

/** `verifySnarkProof` and `snarkCalldataAccepted` of the bundle's calldata under the same pinned key. */
export async function verifySnarkBundle(bundle: ProofBundle, vkey: unknown): Promise<boolean> {
  if (!(await verifySnarkProof(bundle, vkey))) return false;
  return snarkCalldataAccepted(bundle.backend as SnarkBackend, vkey, bundle.publicSignals, bundle.calldata);
}
