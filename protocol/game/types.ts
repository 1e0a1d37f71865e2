/**
 * Domain types of the generic k-ary dispute game (independent of the machine being argued about).
 *
 * - `Root`: a 32-byte state commitment as 0x-prefixed lowercase hex (66 chars). For the RV32IM
 *   machine it is a Poseidon field element (`rootFromField`), for the alphabet machine a keccak hash.
 * - Step indices and widths are `bigint` (N up to 2^64 - 1 on chain; the bench plays N = 2^40).
 * - `PhaseParams`: k checkpoints per round (1..255) and leaves of at most m steps (>= 1).
 */
import { ZkfpError } from "../../vm/errors.ts";

export type Hex = `0x${string}`;
export type Root = Hex & { readonly __brand: "Root" };

export class BadRootError extends ZkfpError {
  override readonly name = "BadRootError";
}

const ROOT_RE = /^0x[0-9a-f]{64}$/;

export function asRoot(x: string): Root {
  const s = x.toLowerCase();
  if (!ROOT_RE.test(s)) throw new BadRootError("not a 32-byte hex root", { value: x });
  return s as Root;
}

/** A field element (< 2^256) as a root: big-endian 32 bytes, the encoding of `bytes32(uint256(x))`. */
export function rootFromField(x: bigint): Root {
  if (x < 0n || x >= 1n << 256n) throw new BadRootError("field element out of range", { value: x.toString() });
  return ("0x" + x.toString(16).padStart(64, "0")) as Root;
}

export const ZERO_ROOT = rootFromField(0n);

export type PhaseParams = { k: number; m: bigint };

export class BadPhaseParamsError extends ZkfpError {
  override readonly name = "BadPhaseParamsError";
}

export function checkPhaseParams(p: PhaseParams, phase = 0): void {
  if (!Number.isInteger(p.k) || p.k < 1 || p.k > 255)
    throw new BadPhaseParamsError("k must be in 1..255", { phase, k: p.k });
  if (p.m < 1n || p.m >= 1n << 64n)
    throw new BadPhaseParamsError("m must be in 1..2^64-1", { phase, m: p.m.toString() });
}
