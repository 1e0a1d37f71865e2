/**
 * Typed errors of the phase links and claim bindings (TS twins of contracts/src/link/Errors.sol):
 * `BindingError` / `LinkError` carry the Solidity error's name in `reason` and the offending value.
 */
import { ZkfpError } from "../../vm/errors.ts";

export class BindingError extends ZkfpError {
  override readonly name = "BindingError";
}
export class LinkError extends ZkfpError {
  override readonly name = "LinkError";
}
