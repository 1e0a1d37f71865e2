/**
 * The prover's base error (its own module so witness.ts, which zk/snarkjs.ts loads, can extend it
 * without an import cycle through snark.ts). snark.ts and index.ts re-export it.
 */
import { ZkfpError } from "../../vm/errors.ts";

export class ProverError extends ZkfpError {
  override readonly name: string = "ProverError";
}
