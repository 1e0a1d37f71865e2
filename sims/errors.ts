/**
 * Typed errors of the simulations (sims/). Every error names the offending value in `detail`
 * (viem's BaseError pattern, see vm/errors.ts): a bad config names the field path
 * (`felten.C`, `timing.backends[2].expr`), a bad bench file names the file.
 */
import { ZkfpError } from "../vm/errors.ts";

/** A config field is missing, has the wrong type or is out of range. `detail.field` is its path. */
export class SimConfigError extends ZkfpError {
  override readonly name = "SimConfigError";
  constructor(field: string, message: string, value?: unknown) {
    super(`config field ${field}: ${message}`, { field, value });
  }
}

/** A committed bench result file (bench/results/*.json) is malformed. */
export class BenchFileError extends ZkfpError {
  override readonly name = "BenchFileError";
}

/** A model was asked for something outside its domain (e.g. no mixed equilibrium exists). */
export class SimDomainError extends ZkfpError {
  override readonly name = "SimDomainError";
}
