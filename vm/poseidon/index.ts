/**
 * Poseidon over BN254 with circomlib's parameters (t = 3 and t = 5 only: P2 and P4), the one hash
 * of zkfp's state commitment (vm/STATE.md). Bit-compatible with circomlib's `Poseidon(n)` circuit
 * and circomlibjs `poseidon` (the reference in tests).
 *
 * Backends, picked by `initPoseidon()` in this order:
 *  1. `native`: the C addon in vm/poseidon/native (Montgomery arithmetic on 64-bit limbs), when built;
 *  2. `circomlibjs-wasm`: circomlibjs' wasm implementation (always available).
 * `ZKFP_POSEIDON=wasm|native` forces one. Hashing is synchronous once initialised, so the VM's hot
 * paths never await.
 */
import { createRequire } from "node:module";
import { ZkfpError } from "../errors.ts";

export const FIELD_MODULUS = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

export class PoseidonError extends ZkfpError {
  override readonly name = "PoseidonError";
}

export interface PoseidonBackend {
  readonly name: string;
  hash2(a: bigint, b: bigint): bigint;
  hash4(a: bigint, b: bigint, c: bigint, d: bigint): bigint;
}

let backend: PoseidonBackend | undefined;

async function wasmBackend(): Promise<PoseidonBackend> {
  const require = createRequire(import.meta.url);
  const { buildPoseidon } = require("circomlibjs") as { buildPoseidon: () => Promise<any> };
  const p = await buildPoseidon();
  const F = p.F;
  return {
    name: "circomlibjs-wasm",
    hash2: (a, b) => F.toObject(p([a, b])) as bigint,
    hash4: (a, b, c, d) => F.toObject(p([a, b, c, d])) as bigint,
  };
}

async function nativeBackend(): Promise<PoseidonBackend | undefined> {
  try {
    const mod = (await import("./native/binding.ts")) as { loadNative?: () => PoseidonBackend | undefined };
    return mod.loadNative?.();
  } catch {
    return undefined; // addon not built on this machine: fall back to wasm
  }
}

/** Initialise (once) and return the active backend. */
export async function initPoseidon(): Promise<PoseidonBackend> {
  if (backend) return backend;
  const want = process.env.ZKFP_POSEIDON;
  if (want && want !== "wasm" && want !== "native")
    throw new PoseidonError("ZKFP_POSEIDON must be wasm or native", { value: want });
  if (want !== "wasm") {
    const nat = await nativeBackend();
    if (nat) return (backend = nat);
    if (want === "native")
      throw new PoseidonError("native Poseidon addon is not built (npm run prepare)", { value: want });
  }
  return (backend = await wasmBackend());
}

function active(): PoseidonBackend {
  if (!backend) throw new PoseidonError("Poseidon used before initPoseidon() resolved");
  return backend;
}

function checkField(x: bigint): bigint {
  if (x < 0n || x >= FIELD_MODULUS)
    throw new PoseidonError("input is not a BN254 field element", { value: x.toString() });
  return x;
}

export function poseidon2(a: bigint, b: bigint): bigint {
  return active().hash2(checkField(a), checkField(b));
}

export function poseidon4(a: bigint, b: bigint, c: bigint, d: bigint): bigint {
  return active().hash4(checkField(a), checkField(b), checkField(c), checkField(d));
}

/** The active backend (after initPoseidon); tree code uses its batch entry points when present. */
export function poseidonBackend(): PoseidonBackend {
  return active();
}

export function poseidonBackendName(): string {
  return active().name;
}
