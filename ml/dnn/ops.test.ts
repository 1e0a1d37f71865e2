/**
 * Differential tests of the DNN library: every op, >= 10^4 random output values each, native TS
 * (ops.ts) vs the RV32IM build (ml/guests/bin/node.elf, batch mode) on qemu-riscv32 and on the zkfp
 * VM. Outputs must be bit-identical (NaNs included).
 * qemu runs the full 10^4 per op; the zkfp VM (~6M steps/s, Poseidon-bound input/output commitment)
 * runs all ops in one machine with ZKFP_ML_VM_CASES (default 300) output values per op, all 10^4
 * under ZKFP_HEAVY=1.
 */
import { describe, it, expect } from "vitest";
import { randomRecords } from "./cases.ts";
import { runOp, OP, OP_NAMES, OpError, outLen } from "./ops.ts";
import { encodeBatch, runQemu, runVm, guestPath, qemuAvailable, vmAvailable, type BatchRecord } from "../guests/run.ts";
import { expf, sinf, cosf, sqrtf } from "./math.ts";

const N = 10_000;
const VM_N = process.env.ZKFP_HEAVY ? N : Number(process.env.ZKFP_ML_VM_CASES ?? 300);

function firstMismatch(
  recs: readonly BatchRecord[],
  stdout: Uint8Array,
): { index: number; native: number[]; guest: number[] } | undefined {
  let off = 0;
  for (let i = 0; i < recs.length; i++) {
    const r = recs[i]!;
    const n = runOp(r.op, r.params, r.inputs);
    const p = (n.length + 3) & ~3;
    const g = stdout.subarray(off, off + n.length);
    off += p;
    if (g.length !== n.length || n.some((b, j) => b !== g[j]))
      return { index: i, native: [...n.slice(0, 16)], guest: [...g.slice(0, 16)] };
  }
  if (off !== stdout.length) return { index: recs.length, native: [off], guest: [stdout.length] };
  return undefined;
}

describe("dnn ops: native vs RV32IM, bit for bit", () => {
  for (const op of Object.values(OP)) {
    it.skipIf(!qemuAvailable())(`${OP_NAMES[op]} matches qemu-riscv32 on ${N} random outputs`, () => {
      const recs = randomRecords(op, 1, N);
      const q = runQemu(guestPath("node"), encodeBatch(recs));
      expect(q.exitCode).toBe(0);
      expect(firstMismatch(recs, q.stdout)).toBeUndefined();
    });
  }
  // one machine for all ops by default; per op under ZKFP_HEAVY (10^4 cases of all ops exceed the 4 MiB input)
  const groups = process.env.ZKFP_HEAVY ? Object.values(OP).map((op) => [op]) : [Object.values(OP) as number[]];
  for (const ops of groups) {
    it.skipIf(!vmAvailable())(
      `${ops.length > 1 ? "every op" : OP_NAMES[ops[0]!]} matches the zkfp VM on ${VM_N} random outputs per op`,
      async () => {
        const recs = ops.flatMap((op) => randomRecords(op, 2, VM_N));
        const r = await runVm(guestPath("node"), encodeBatch(recs));
        expect(r.exitCode).toBe(0);
        const bad = firstMismatch(recs, r.stdout);
        expect(bad && { ...bad, op: OP_NAMES[recs[bad.index]?.op ?? 0] }).toBeUndefined();
      },
      600_000,
    );
  }
});

describe("dnn math", () => {
  it("exp, sin, cos and sqrt stay within a few ulps of float64 math", () => {
    const ulp = (x: number) => {
      const a = Math.abs(Math.fround(x));
      return a === 0 ? 2 ** -149 : Math.max(2 ** -149, 2 ** (Math.floor(Math.log2(a)) - 23));
    };
    let worst = { exp: 0, sin: 0, cos: 0 };
    for (let i = 0; i <= 20000; i++) {
      const x = Math.fround(-80 + (160 * i) / 20000);
      worst.exp = Math.max(worst.exp, Math.abs(expf(x) - Math.exp(x)) / ulp(Math.exp(x)));
      const y = Math.fround(-100 + (200 * i) / 20000);
      worst.sin = Math.max(worst.sin, Math.abs(sinf(y) - Math.sin(y)) / Math.max(ulp(Math.sin(y)), 2 ** -24));
      worst.cos = Math.max(worst.cos, Math.abs(cosf(y) - Math.cos(y)) / Math.max(ulp(Math.cos(y)), 2 ** -24));
    }
    expect(worst.exp).toBeLessThan(4);
    expect(worst.sin).toBeLessThan(4);
    expect(worst.cos).toBeLessThan(4);
    expect(sqrtf(2)).toBe(Math.fround(Math.SQRT2));
    expect(Number.isNaN(sinf(2 ** 25))).toBe(true);
  });

  it("rejects bad parameters and wrong input lengths with OpError", () => {
    expect(() => outLen(OP.MATMUL_F32, [0, 3])).toThrow(OpError);
    expect(() => outLen(99, [1])).toThrow(OpError);
    expect(() => runOp(OP.ADD_F32, [2], [new Uint8Array(8), new Uint8Array(4)])).toThrow(OpError);
    expect(() => runOp(OP.EMBED_F32, [2, 1], [new Uint8Array(8), new Uint8Array(new Int32Array([2]).buffer)])).toThrow(
      /vocabulary/,
    );
  });

  it.skipIf(!qemuAvailable())("the guest rejects the same malformed nodes (exit 16 + error code)", () => {
    const bad = runQemu(
      guestPath("node"),
      encodeBatch([{ op: OP.ADD_F32, params: [2], inputs: [new Uint8Array(8), new Uint8Array(4)] }]),
    );
    expect(bad.exitCode).toBe(19);
    const tok = runQemu(
      guestPath("node"),
      encodeBatch([
        { op: OP.EMBED_F32, params: [2, 1], inputs: [new Uint8Array(8), new Uint8Array(new Int32Array([2]).buffer)] },
      ]),
    );
    expect(tok.exitCode).toBe(20);
    const badp = runQemu(
      guestPath("node"),
      encodeBatch([{ op: OP.MATMUL_F32, params: [0, 3], inputs: [new Uint8Array(0), new Uint8Array(12)] }]),
    );
    expect(badp.exitCode).toBe(18);
  });
});
