/**
 * Typed access to snarkjs 0.7.6 (public API and the few internals the dev setup reuses).
 *
 * snarkjs ships no TypeScript types and its package `exports` hides `src/`, so this module imports
 * by file URL and declares only the members zkfp calls. The internals (curve builder, ptau header
 * and contribution writers, beacon RNG, blake2b partial hash) are imported from snarkjs itself so
 * the dev ptau (zk/setup/devptau.ts) is written by the same code paths `snarkjs powersoftau` uses.
 *
 * Pitfalls:
 *  - snarkjs bundles its own ffjavascript (node_modules/snarkjs/node_modules/ffjavascript) whose
 *    module body sets `globalThis.curve_bn128 = null`; importing the top-level ffjavascript would
 *    reset that singleton and leak its worker threads. Always take the curve from `getCurve()`.
 *  - The curve keeps worker threads alive: call `terminateCurve()` when done (the CLI and tests do),
 *    else node never exits.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { quietWitness } from "./prover/witness.ts";

const require_ = createRequire(import.meta.url);
// `exports` hides package.json; the CJS build's path (snarkjs/build/main.cjs) locates the package.
const SNARKJS_DIR = dirname(dirname(require_.resolve("snarkjs")));

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

async function load(rel: string): Promise<Any> {
  return import(pathToFileURL(join(SNARKJS_DIR, rel)).href);
}

export type Groth16Proof = { pi_a: string[]; pi_b: string[][]; pi_c: string[]; protocol: string; curve: string };
export type PlonkProof = Record<string, unknown> & { protocol: string };

export interface SnarkjsApi {
  groth16: {
    fullProve(
      input: Record<string, unknown>,
      wasm: string,
      zkey: string,
      logger?: unknown,
    ): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    prove(
      zkey: string,
      wtns: string | { type: "mem"; data?: Uint8Array },
    ): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    verify(vkey: unknown, publicSignals: string[], proof: unknown): Promise<boolean>;
    exportSolidityCallData(proof: unknown, pub: string[]): Promise<string>;
  };
  plonk: {
    setup(r1cs: string, ptau: string, zkey: string, logger?: unknown): Promise<unknown>;
    fullProve(
      input: Record<string, unknown>,
      wasm: string,
      zkey: string,
      logger?: unknown,
    ): Promise<{ proof: PlonkProof; publicSignals: string[] }>;
    prove(
      zkey: string,
      wtns: string | { type: "mem"; data?: Uint8Array },
    ): Promise<{ proof: PlonkProof; publicSignals: string[] }>;
    verify(vkey: unknown, publicSignals: string[], proof: unknown): Promise<boolean>;
    exportSolidityCallData(proof: unknown, pub: string[]): Promise<string>;
  };
  fflonk: {
    setup(r1cs: string, ptau: string, zkey: string, logger?: unknown): Promise<unknown>;
    fullProve(
      input: Record<string, unknown>,
      wasm: string,
      zkey: string,
      logger?: unknown,
    ): Promise<{ proof: Record<string, unknown>; publicSignals: string[] }>;
    prove(
      zkey: string,
      wtns: string | { type: "mem"; data?: Uint8Array },
    ): Promise<{ proof: Record<string, unknown>; publicSignals: string[] }>;
    verify(vkey: unknown, publicSignals: string[], proof: unknown, logger?: unknown): Promise<boolean>;
    exportSolidityVerifier(vkey: unknown, templates: Record<string, string>, logger?: unknown): Promise<string>;
    exportSolidityCallData(publicSignals: string[], proof: unknown): Promise<string>;
  };
  zKey: {
    newZKey(r1cs: string, ptau: string, zkey: string, logger?: unknown): Promise<unknown>;
    beacon(
      zkeyIn: string,
      zkeyOut: string,
      name: string,
      beaconHash: string,
      numIterationsExp: number,
      logger?: unknown,
    ): Promise<unknown>;
    /** phase-2 contribution; snarkjs mixes 64 bytes of crypto.randomBytes into `entropy`; returns the contribution hash */
    contribute(zkeyIn: string, zkeyOut: string, name: string, entropy: string, logger?: unknown): Promise<Uint8Array>;
    verifyFromR1cs(r1cs: string, ptau: string, zkey: string, logger?: unknown): Promise<boolean>;
    exportVerificationKey(zkey: string): Promise<Record<string, unknown>>;
    exportSolidityVerifier(zkey: string, templates: Record<string, string>, logger?: unknown): Promise<string>;
  };
  powersOfTau: {
    newAccumulator(curve: unknown, power: number, file: string, logger?: unknown): Promise<unknown>;
    beacon(
      inF: string,
      outF: string,
      name: string,
      beaconHash: string,
      numIterationsExp: number,
      logger?: unknown,
    ): Promise<unknown>;
    contribute(inF: string, outF: string, name: string, entropy: string, logger?: unknown): Promise<unknown>;
    preparePhase2(inF: string, outF: string, logger?: unknown): Promise<unknown>;
    verify(file: string, logger?: unknown): Promise<boolean>;
  };
  r1cs: {
    info(
      file: string,
      logger?: unknown,
    ): Promise<{ nConstraints: number; nVars: number; nOutputs: number; nPubInputs: number; nPrvInputs: number }>;
  };
  /** `out` is a file name or snarkjs' in-memory file `{ type: "mem" }` (filled in place) */
  wtns: {
    calculate(
      input: Record<string, unknown>,
      wasm: string,
      out: string | { type: "mem"; data?: Uint8Array },
    ): Promise<void>;
  };
}

let api: SnarkjsApi | undefined;
/**
 * snarkjs' API, with every witness computation (`groth16|plonk|fflonk.fullProve`, `wtns.calculate`)
 * run through `quietWitness` (zk/prover/witness.ts): a circuit the inputs do not satisfy throws a
 * typed `WitnessUnsatisfiable` (template, line) and prints nothing raw on the console.
 */
export async function snarkjs(): Promise<SnarkjsApi> {
  if (api) return api;
  const raw = (await load("main.js")) as SnarkjsApi;
  const wrap = <F extends (...a: Any[]) => Promise<Any>>(f: F, what: string): F =>
    ((...a: Any[]) => quietWitness(() => f(...a), { call: what, wasm: typeof a[1] === "string" ? a[1] : null })) as F;
  api = {
    ...raw,
    groth16: { ...raw.groth16, fullProve: wrap(raw.groth16.fullProve, "groth16.fullProve") },
    plonk: { ...raw.plonk, fullProve: wrap(raw.plonk.fullProve, "plonk.fullProve") },
    fflonk: { ...raw.fflonk, fullProve: wrap(raw.fflonk.fullProve, "fflonk.fullProve") },
    wtns: { ...raw.wtns, calculate: wrap(raw.wtns.calculate, "wtns.calculate") },
  };
  return api;
}

/** snarkjs' internal modules used by the dev ptau writer (all `any`: see the header). */
export async function internals(): Promise<{
  curves: Any;
  misc: Any;
  keyPair: Any;
  ptauUtils: Any;
  zkeyUtils: Any;
  binFileUtils: Any;
  blake2b: Any;
}> {
  const [curves, misc, keyPair, ptauUtils, zkeyUtils] = await Promise.all([
    load("src/curves.js"),
    load("src/misc.js"),
    load("src/keypair.js"),
    load("src/powersoftau_utils.js"),
    load("src/zkey_utils.js"),
  ]);
  // the ESM build snarkjs itself imports (same module instance, so no second ffjavascript)
  const binFileUtils = await import(
    pathToFileURL(join(SNARKJS_DIR, "..", "@iden3", "binfileutils", "src", "binfileutils.js")).href
  );
  // snarkjs' own @noble/hashes copy: misc.toPartialHash reads that version's internal state
  const { blake2b } = await load("node_modules/@noble/hashes/esm/blake2b.js");
  return { curves, misc, keyPair, ptauUtils, zkeyUtils, binFileUtils, blake2b };
}

/** The shared bn128 curve (multi-threaded wasm); same instance snarkjs uses. */
export async function getCurve(): Promise<Any> {
  const { curves } = await internals();
  return curves.getCurveFromName("bn128");
}

/** Stops the curve's worker threads (snarkjs leaves them running after prove/setup). */
export async function terminateCurve(): Promise<void> {
  const g = globalThis as Any;
  if (g.curve_bn128) {
    const c = g.curve_bn128;
    g.curve_bn128 = null;
    await c.terminate();
  }
}
