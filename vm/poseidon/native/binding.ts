/**
 * Typed loader for the native Poseidon addon (build/poseidon.node, built by build.mjs from
 * poseidon.c). `loadNative()` is the hook vm/poseidon/index.ts calls; it returns undefined when the
 * addon is not built, so index.ts falls back to circomlibjs' wasm.
 *
 * Besides the per-call bigint API of `PoseidonBackend`, the addon hashes many nodes per call on limb
 * arrays, which is what tree code should use: BigInt conversion at the JS/C boundary costs as much as
 * a third of a P2 call.
 *
 * Limb format: a field element is 4 x uint64, least significant limb first, canonical value (< p, not
 * Montgomery). In a BigUint64Array element k is [4k, 4k+4). A Uint8Array/Buffer holding 32-byte
 * little-endian integers is the same memory on little-endian hosts (the addon builds only there).
 * `hash4Batch(inputs, out, n)`: hash i = P4(elements 4i..4i+3 of inputs) -> element i of out, so the
 * children of a 4-ary tree level stored in order hash straight into the parent level. inputs and out
 * may alias with the same start (in-place compaction).
 *
 * Pitfalls: inputs >= p are rejected (PoseidonError), never reduced; a batch with a bad element
 * writes nothing. `selectImpl` switches a process-wide setting (tests/benchmarks only).
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { FIELD_MODULUS, PoseidonError, type PoseidonBackend } from "../index.ts";

/** Limb array (4 limbs per element) or its bytes (32 per element). */
export type LimbBuffer = BigUint64Array | Uint8Array;

export type NativeImpl = "adx" | "portable";

export interface NativePoseidon extends PoseidonBackend {
  readonly name: "native";
  /** Code path in use: "adx" (x86-64 mulx/adcx/adox asm) or "portable" (C with __int128). */
  readonly impl: NativeImpl;
  /**
   * P2 over elements (2i, 2i+1) of inputs into element i of out, for i < n. `threads` (default 1)
   * splits the work over POSIX threads; aliased inputs/out always use one.
   */
  hash2Batch(inputs: LimbBuffer, out: LimbBuffer, n: number, threads?: number): void;
  /** P4 over elements 4i..4i+3 of inputs into element i of out, for i < n; `threads` as for hash2Batch. */
  hash4Batch(inputs: LimbBuffer, out: LimbBuffer, n: number, threads?: number): void;
  /** Switch code path (process-wide); "adx" only if the CPU has BMI2 + ADX. Returns the path in use. */
  selectImpl(allowAdx: boolean): NativeImpl;
}

interface RawAddon {
  hash2(a: bigint, b: bigint): bigint;
  hash4(a: bigint, b: bigint, c: bigint, d: bigint): bigint;
  hash2Batch(inputs: LimbBuffer, out: LimbBuffer, n: number, threads: number): number;
  hash4Batch(inputs: LimbBuffer, out: LimbBuffer, n: number, threads: number): number;
  selectImpl(allowAdx: boolean): NativeImpl;
}

const LIMB_MASK = (1n << 64n) - 1n;

/** Absolute path of the built addon (it may not exist). */
export function nativeAddonPath(): string {
  return join(dirname(fileURLToPath(import.meta.url)), "build", "poseidon.node");
}

/** Writes field element x into element `index` of a limb array. */
export function toLimbs(x: bigint, out: BigUint64Array, index: number): void {
  if (x < 0n || x >= FIELD_MODULUS)
    throw new PoseidonError("input is not a BN254 field element", { value: x.toString() });
  const o = 4 * index;
  out[o] = x & LIMB_MASK;
  out[o + 1] = (x >> 64n) & LIMB_MASK;
  out[o + 2] = (x >> 128n) & LIMB_MASK;
  out[o + 3] = x >> 192n;
}

/** Reads element `index` of a limb array as a bigint. */
export function fromLimbs(arr: BigUint64Array, index: number): bigint {
  const o = 4 * index;
  return arr[o]! | (arr[o + 1]! << 64n) | (arr[o + 2]! << 128n) | (arr[o + 3]! << 192n);
}

function limbValue(buf: LimbBuffer, index: number): string {
  if (buf instanceof BigUint64Array) return fromLimbs(buf, index).toString();
  const view = new DataView(buf.buffer, buf.byteOffset + 32 * index, 32);
  let x = 0n;
  for (let i = 3; i >= 0; i--) x = (x << 64n) | view.getBigUint64(8 * i, true);
  return x.toString();
}

function notField(values: readonly bigint[]): PoseidonError {
  const bad = values.find((v) => v < 0n || v >= FIELD_MODULUS);
  return new PoseidonError("input is not a BN254 field element", { value: String(bad ?? values.join(",")) });
}

function wrap(raw: RawAddon): NativePoseidon {
  let impl: NativeImpl = raw.selectImpl(true);
  const isNotField = (e: unknown) => (e as { code?: string } | null)?.code === "ZKFP_POSEIDON_NOT_FIELD";
  const batch =
    (fn: RawAddon["hash2Batch"], arity: number) =>
    (inputs: LimbBuffer, out: LimbBuffer, n: number, threads = 1) => {
      if (!Number.isSafeInteger(n) || n < 0)
        throw new PoseidonError("batch size must be a non-negative integer", { value: n });
      if (!Number.isSafeInteger(threads) || threads < 1)
        throw new PoseidonError("threads must be a positive integer", { value: threads });
      const need = 32 * arity * n;
      if (inputs.byteLength < need)
        throw new PoseidonError("batch inputs too short", { value: inputs.byteLength, need });
      if (out.byteLength < 32 * n)
        throw new PoseidonError("batch output too short", { value: out.byteLength, need: 32 * n });
      const bad = fn(inputs, out, n, threads);
      if (bad >= 0)
        throw new PoseidonError("input is not a BN254 field element", { index: bad, value: limbValue(inputs, bad) });
    };
  return {
    name: "native",
    get impl() {
      return impl;
    },
    hash2(a, b) {
      try {
        return raw.hash2(a, b);
      } catch (e) {
        throw isNotField(e) ? notField([a, b]) : e;
      }
    },
    hash4(a, b, c, d) {
      try {
        return raw.hash4(a, b, c, d);
      } catch (e) {
        throw isNotField(e) ? notField([a, b, c, d]) : e;
      }
    },
    hash2Batch: batch(raw.hash2Batch, 2),
    hash4Batch: batch(raw.hash4Batch, 4),
    selectImpl(allowAdx) {
      impl = raw.selectImpl(allowAdx);
      return impl;
    },
  };
}

let cached: NativePoseidon | undefined;

/** The native backend, or undefined if the addon has not been built on this machine. */
export function loadNative(): NativePoseidon | undefined {
  if (cached) return cached;
  const path = nativeAddonPath();
  if (!existsSync(path)) return undefined;
  const require = createRequire(import.meta.url);
  cached = wrap(require(path) as RawAddon);
  return cached;
}
