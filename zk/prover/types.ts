/**
 * The `Prover` interface of zkfp's multi-step arbitrator and the proof file format.
 *
 * A prover proves "state root `preRoot` becomes `postRoot` after exactly m steps" (vm/STATE.md).
 * Backends: `groth16`, `plonk` and `fflonk` (snarkjs, zk/prover/snark.ts; their Solidity verifiers wrapped
 * as the game's arbitrators in contracts/src/zk/) and `risc0` (zk/prover/risc0.ts, its CLI).
 *
 * Proof file (`zkfp-proof/1`, JSON, what `zkfp prove --out` writes and `zkfp verify` reads):
 *   format, backend, circuit {id, m, key}, interval {fromStep, steps} | null,
 *   preRoot, postRoot (0x 32-byte hex), publicSignals (decimal strings, [preRoot, postRoot]),
 *   proof (the backend's proof object), calldata (0x hex: the `proof` bytes the arbitrator takes),
 *   vkey (the verifying key the proof was made for; untrusted when read back: `zkfp verify --vkey`
 *   pins a trusted one), setup {ptau label, ptauSha256, insecure, transcriptHash, reasons}.
 */
import type { CircuitId } from "./circuits.ts";

export type Backend = "groth16" | "plonk" | "fflonk" | "risc0";
export const BACKENDS: readonly Backend[] = ["groth16", "plonk", "fflonk", "risc0"];

/** What the prover says about its setup. Untrusted when read back from a proof file (informational). */
export type SetupInfo = {
  ptau: string;
  ptauSha256: string;
  insecure: boolean;
  transcriptHash?: string;
  reasons?: string[];
};

export type ProofBundle = {
  format: "zkfp-proof/1";
  backend: Backend;
  circuit: { id: CircuitId | "risc0-guest"; m: number; key: string };
  interval: { fromStep: number; steps: number } | null;
  preRoot: string;
  postRoot: string;
  publicSignals: string[];
  proof: unknown;
  calldata: string;
  vkey: unknown;
  setup: SetupInfo;
};

export type ProveRequest = {
  m: number;
  /** circuit input JSON (snark backends) */
  circuitInput?: Record<string, unknown>;
  /** the program and interval (risc0 backend; recorded in the bundle for all backends) */
  elf?: string;
  input?: string;
  fromStep?: number;
};

export type ProveTimings = { setupSeconds: number; proveSeconds: number; cached: boolean };

export interface Prover {
  readonly backend: Backend;
  prove(req: ProveRequest): Promise<{ bundle: ProofBundle; timings: ProveTimings }>;
  /**
   * Checks the proof against `vkey` and the roots against the public signals. Without `vkey` the
   * bundle's own key is used: that only shows the file is self-consistent (its author chose the
   * key); pass a key you trust (`zkfp verify` refuses the embedded one unless --trust-embedded).
   */
  verify(bundle: ProofBundle, vkey?: unknown): Promise<boolean>;
}
