/**
 * Differential tests of the native Poseidon addon (both code paths) against circomlibjs' reference
 * `buildPoseidon`, plus the input checks of vm/poseidon/index.ts. Seeded RNG (lib/rng.ts).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import { FIELD_MODULUS, PoseidonError, initPoseidon, poseidon2, poseidon4, poseidonBackendName } from "./index.ts";
import { fromLimbs, loadNative, toLimbs, type NativeImpl, type NativePoseidon } from "./native/binding.ts";
// @ts-expect-error plain .mjs generator without type declarations
import { HEADER_PATH, renderHeader } from "./native/gen-constants.mjs";
import { Rng } from "../../lib/rng.ts";

const P = FIELD_MODULUS;
const N_RANDOM = 1000;

/** 64-bit words and field elements from the repo's seeded generator (lib/rng.ts). */
function rng(seed: bigint) {
  const g = new Rng(Number(seed));
  const next64 = () => (BigInt(g.u32()) << 32n) | BigInt(g.u32());
  /** A field element: mostly uniform, some 32-bit words (what the VM hashes), some near p. */
  const field = (): bigint => {
    const kind = next64() % 8n;
    if (kind === 0n) return next64() & 0xffffffffn;
    if (kind === 1n) return P - 1n - (next64() & 0xffffn);
    return g.bigBelow(P);
  };
  return { next64, field };
}

type Ref = ((xs: bigint[]) => unknown) & { F: { toObject(x: unknown): bigint; p: bigint } };
let ref: Ref;
const refHash = (xs: bigint[]) => ref.F.toObject(ref(xs));

const native = loadNative();
const impls: NativeImpl[] = ["portable"];
if (native && native.selectImpl(true) === "adx") impls.unshift("adx");

function withImpl<T>(nat: NativePoseidon, impl: NativeImpl, f: () => T): T {
  const got = nat.selectImpl(impl === "adx");
  expect(got).toBe(impl);
  try {
    return f();
  } finally {
    nat.selectImpl(true);
  }
}

beforeAll(async () => {
  const require = createRequire(import.meta.url);
  const { buildPoseidon } = require("circomlibjs") as { buildPoseidon: () => Promise<Ref> };
  ref = await buildPoseidon();
  await initPoseidon();
});

describe("poseidon parameters", () => {
  it("uses circomlibjs' field modulus (BN254 scalar field)", () => {
    expect(FIELD_MODULUS).toBe(BigInt(ref.F.p));
  });

  it("has a generated constants header identical to a fresh run of gen-constants.mjs", () => {
    expect(readFileSync(HEADER_PATH, "utf8")).toBe(renderHeader());
  });

  it("has the addon built wherever a C compiler is installed", () => {
    const cc = spawnSync(process.env.CC || "cc", ["--version"]);
    if (cc.error || cc.status !== 0) return; // no toolchain: the wasm fallback is the documented outcome
    expect(native, "run `npm run prepare` (node vm/poseidon/native/build.mjs)").toBeDefined();
  });
});

describe.skipIf(!native)("native Poseidon vs circomlibjs", () => {
  const nat = native!;

  for (const impl of impls) {
    it(`P2 matches circomlibjs on ${N_RANDOM} seeded random inputs (${impl})`, () => {
      const r = rng(0x5eed02n);
      withImpl(nat, impl, () => {
        for (let i = 0; i < N_RANDOM; i++) {
          const a = r.field(),
            b = r.field();
          const want = refHash([a, b]);
          if (nat.hash2(a, b) !== want) expect.fail(`P2(${a}, ${b}) differs`);
        }
      });
    });

    it(`P4 matches circomlibjs on ${N_RANDOM} seeded random inputs (${impl})`, () => {
      const r = rng(0x5eed04n);
      withImpl(nat, impl, () => {
        for (let i = 0; i < N_RANDOM; i++) {
          const xs = [r.field(), r.field(), r.field(), r.field()] as const;
          const want = refHash([...xs]);
          if (nat.hash4(...xs) !== want) expect.fail(`P4(${xs.join(", ")}) differs`);
        }
      });
    });

    it(`matches circomlibjs on edge values 0, 1, 2^64-1, 2^128, p-2, p-1 (${impl})`, () => {
      const edges = [0n, 1n, (1n << 64n) - 1n, 1n << 128n, (1n << 253n) + 1n, P - 2n, P - 1n];
      withImpl(nat, impl, () => {
        for (const a of edges)
          for (const b of edges) {
            expect(nat.hash2(a, b)).toBe(refHash([a, b]));
            expect(nat.hash4(a, b, b, a)).toBe(refHash([a, b, b, a]));
          }
        expect(nat.hash4(P - 1n, P - 1n, P - 1n, P - 1n)).toBe(refHash([P - 1n, P - 1n, P - 1n, P - 1n]));
      });
    });
  }

  it("rejects inputs >= p or < 0 with a PoseidonError naming the value", () => {
    for (const bad of [P, P + 1n, (1n << 256n) - 1n, 1n << 256n, 1n << 300n, -1n]) {
      expect(() => nat.hash2(bad, 0n)).toThrow(PoseidonError);
      expect(() => nat.hash4(0n, 0n, 0n, bad)).toThrow(PoseidonError);
      try {
        nat.hash2(0n, bad);
        expect.fail("accepted " + bad);
      } catch (e) {
        expect((e as PoseidonError).detail.value).toBe(bad.toString());
      }
      expect(() => poseidon2(bad, 1n)).toThrow(PoseidonError);
      expect(() => poseidon4(1n, 2n, bad, 3n)).toThrow(PoseidonError);
    }
  });

  it("batch API equals the per-call API for both arities, limb and byte buffers", () => {
    const r = rng(0xba7c4n);
    for (const [arity, n] of [
      [2, 257],
      [4, 129],
    ] as const) {
      const inputs = new BigUint64Array(4 * arity * n);
      const xs: bigint[] = [];
      for (let k = 0; k < arity * n; k++) {
        const x = r.field();
        xs.push(x);
        toLimbs(x, inputs, k);
      }
      const out = new BigUint64Array(4 * n);
      const bytesOut = new Uint8Array(32 * n);
      const bytesIn = new Uint8Array(inputs.buffer.slice(0));
      const threaded = new BigUint64Array(4 * n);
      if (arity === 2) {
        nat.hash2Batch(inputs, out, n);
        nat.hash2Batch(bytesIn, bytesOut, n);
        nat.hash2Batch(inputs, threaded, n, 3);
      } else {
        nat.hash4Batch(inputs, out, n);
        nat.hash4Batch(bytesIn, bytesOut, n);
        nat.hash4Batch(inputs, threaded, n, 3);
      }
      expect(threaded).toEqual(out);
      const bytesAsLimbs = new BigUint64Array(bytesOut.buffer);
      for (let i = 0; i < n; i++) {
        const args = xs.slice(arity * i, arity * i + arity);
        const want = arity === 2 ? nat.hash2(args[0]!, args[1]!) : nat.hash4(args[0]!, args[1]!, args[2]!, args[3]!);
        expect(fromLimbs(out, i)).toBe(want);
        expect(fromLimbs(bytesAsLimbs, i)).toBe(want);
      }
    }
  });

  it("batch hashes a tree level in place (inputs and out aliased)", () => {
    const r = rng(0x1acen);
    const n = 64;
    const level = new BigUint64Array(4 * 4 * n);
    for (let k = 0; k < 4 * n; k++) toLimbs(r.field(), level, k);
    const separate = new BigUint64Array(4 * n);
    nat.hash4Batch(level, separate, n);
    const copy = level.slice();
    nat.hash4Batch(level, level, n);
    expect(level.subarray(0, 4 * n)).toEqual(separate);
    nat.hash4Batch(copy, copy, n, 4); // aliased: must fall back to one thread, not race
    expect(copy.subarray(0, 4 * n)).toEqual(separate);
  });

  it("batch rejects an element >= p with its index and writes nothing", () => {
    const n = 8;
    const inputs = new BigUint64Array(4 * 4 * n);
    for (let k = 0; k < 4 * n; k++) toLimbs(BigInt(k), inputs, k);
    // element 13 := p (not canonical)
    for (let l = 0; l < 4; l++) inputs[4 * 13 + l] = (P >> BigInt(64 * l)) & 0xffffffffffffffffn;
    const out = new BigUint64Array(4 * n).fill(7n);
    try {
      nat.hash4Batch(inputs, out, n);
      expect.fail("accepted p");
    } catch (e) {
      expect(e).toBeInstanceOf(PoseidonError);
      expect((e as PoseidonError).detail).toMatchObject({ index: 13, value: P.toString() });
    }
    expect(out.every((x) => x === 7n)).toBe(true);
    expect(() => nat.hash2Batch(inputs, out, 1000)).toThrow(PoseidonError); // too short
    expect(() => nat.hash2Batch(inputs, out, -1)).toThrow(PoseidonError);
    expect(() => nat.hash2Batch(inputs, out, 1, 0)).toThrow(PoseidonError);
  });

  it("is the backend index.ts picks by default", () => {
    if (process.env.ZKFP_POSEIDON === "wasm") return;
    expect(poseidonBackendName()).toBe("native");
    expect(poseidon2(1n, 2n)).toBe(refHash([1n, 2n]));
    expect(poseidon4(1n, 2n, 3n, 4n)).toBe(refHash([1n, 2n, 3n, 4n]));
  });
});
