/**
 * Entry point of zkfp's multi-step provers: `makeProver(backend, circuit)` returns a `Prover`
 * (types.ts). Backends: groth16 (default), plonk, fflonk (snark.ts), risc0 (risc0.ts; CLI adapter, not
 * installable here). Circuits: rv32im (zk/circuits, RvSteps(m)) and counter (the dev circuit).
 */
import { circuitFor, type CircuitId } from "./circuits.ts";
import { Risc0Prover } from "./risc0.ts";
import { SnarkProver, type SetupOptions } from "./snark.ts";
import type { Backend, Prover } from "./types.ts";

export * from "./types.ts";
export {
  SnarkProver,
  setupCircuit,
  verifySnarkBundle,
  verifySnarkProof,
  snarkCalldataAccepted,
  encodeCalldata,
  cacheRoot,
  toBytes32,
  ProverError,
} from "./snark.ts";
export { Risc0Prover, Risc0NotInstalledError, Risc0Error, detectRisc0 } from "./risc0.ts";
export {
  assertDeployable,
  InsecureSetupError,
  KNOWN_CEREMONIES,
  assessSetup,
  securityLabel,
  type SetupSecurity,
} from "../setup/security.ts";
export {
  phase2Start,
  phase2Contribute,
  phase2Beacon,
  phase2Verify,
  readPhase2,
  transcriptHash,
  CeremonyError,
  type Transcript,
  type Phase2Contribution,
} from "../setup/ceremony.ts";
export { circuitFor, counterInput, counterRoots, CircuitError, type CircuitId } from "./circuits.ts";
export { WitnessUnsatisfiable } from "./witness.ts";
export { estimate, confirmLarge, describeEstimate, LargeRequestError, LIMITS, type Estimate } from "./estimate.ts";
export { chooseLeaf, cacheState, estimateRequest, type LeafChoice } from "./leaf.ts";

export function makeProver(backend: Backend, circuit: CircuitId, opts: SetupOptions = {}): Prover {
  if (backend === "risc0") return new Risc0Prover();
  return new SnarkProver(backend, (m) => circuitFor(circuit, m), opts);
}
