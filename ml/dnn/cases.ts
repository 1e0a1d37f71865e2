/**
 * Random node cases for the native-vs-RV32IM differential tests and benches: for each op, seeded
 * random shapes and values (ordinary values over many binades, plus +-0, +-inf, NaN, subnormals and
 * near-overflow values at a low rate), grouped into batches for ml/guests/src/node.c mode 0.
 */
import { Rng } from "../../lib/rng.ts";
import { OP, outLen } from "./ops.ts";
import type { BatchRecord } from "../guests/run.ts";

const SPECIAL = [
  0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00001, 0xffc12345, 0x00000001, 0x807fffff,
  0x00400000, 0x7f7fffff, 0xff7fffff, 0x3f800000,
];

function f32Bytes(vals: number[] | Float32Array): Uint8Array {
  return new Uint8Array(new Float32Array(vals).buffer);
}
function bitsBytes(u: number[]): Uint8Array {
  return new Uint8Array(new Uint32Array(u).buffer);
}

/** a float32 bit pattern: mostly |x| in [2^-lo, 2^hi], sometimes a special value */
function randF(r: Rng, scale: number, specials: number): number {
  if (r.uniform() < specials) return SPECIAL[r.int(0, SPECIAL.length - 1)]!;
  const v = Math.fround(r.normal() * scale * 2 ** r.int(-6, 2));
  return new Uint32Array(new Float32Array([v]).buffer)[0]!;
}
function vec(r: Rng, n: number, scale = 1, specials = 0.01): Uint8Array {
  return bitsBytes(Array.from({ length: n }, () => randF(r, scale, specials)));
}
function i32vec(r: Rng, n: number, mag: number): Uint8Array {
  return new Uint8Array(new Int32Array(Array.from({ length: n }, () => r.int(-mag, mag))).buffer);
}
function i8vec(r: Rng, n: number): Uint8Array {
  return new Uint8Array(Array.from({ length: n }, () => r.int(0, 255)));
}

/** one random record of op */
export function randomRecord(op: number, r: Rng): BatchRecord {
  switch (op) {
    case OP.MATMUL_F32: {
      const o = r.int(1, 12),
        i = r.int(1, 24);
      return { op, params: [o, i], inputs: [vec(r, o * i), vec(r, i)] };
    }
    case OP.ADD_F32: {
      const n = r.int(1, 64);
      return { op, params: [n], inputs: [vec(r, n, 1e3, 0.05), vec(r, n, 1e3, 0.05)] };
    }
    case OP.RELU_F32:
    case OP.SILU_F32: {
      const n = r.int(1, 64);
      return { op, params: [n], inputs: [vec(r, n, 8, 0.05)] };
    }
    case OP.RMSNORM_F32: {
      const n = r.int(1, 64);
      return { op, params: [n], inputs: [vec(r, n, 2, 0.005), vec(r, n)] };
    }
    case OP.SOFTMAX_F32: {
      const n = r.int(1, 64);
      return { op, params: [n], inputs: [vec(r, n, 10, 0.005)] };
    }
    case OP.ROPE_F32: {
      const hs = 2 * r.int(1, 8),
        n = hs * r.int(1, 4),
        pos = r.int(0, 600);
      const freq = Array.from({ length: hs / 2 }, (_, i) => 1 / 10000 ** ((2 * i) / hs));
      return { op, params: [n, hs, pos], inputs: [vec(r, n, 1, 0.01), f32Bytes(freq)] };
    }
    case OP.SWIGLU_F32: {
      const n = r.int(1, 64);
      return { op, params: [n], inputs: [vec(r, n, 8, 0.02), vec(r, n, 2, 0.02)] };
    }
    case OP.ATTENTION_F32: {
      const kv = r.int(1, 3),
        nh = kv * r.int(1, 3),
        hs = r.int(1, 8),
        npos = r.int(1, 12);
      return {
        op,
        params: [nh, kv, hs, npos],
        inputs: [vec(r, nh * hs, 1, 0.002), vec(r, npos * kv * hs, 1, 0.002), vec(r, npos * kv * hs, 1, 0.002)],
      };
    }
    case OP.CONCAT: {
      const a = r.int(0, 40),
        b = r.int(0, 40);
      return { op, params: [a, b], inputs: [i8vec(r, a), i8vec(r, b)] };
    }
    case OP.EMBED_F32: {
      const v = r.int(1, 16),
        d = r.int(1, 16);
      return { op, params: [v, d], inputs: [vec(r, v * d), new Uint8Array(new Int32Array([r.int(0, v - 1)]).buffer)] };
    }
    case OP.ARGMAX_F32: {
      const n = r.int(1, 16);
      return { op, params: [n], inputs: [vec(r, n, 1, 0.05)] };
    }
    case OP.MATMUL_I8: {
      const o = r.int(1, 12),
        i = r.int(1, 40);
      return { op, params: [o, i], inputs: [i8vec(r, o * i), i8vec(r, i), i32vec(r, o, 2 ** 31 - 1)] };
    }
    case OP.REQUANT_I8: {
      const n = r.int(1, 64),
        src = r.int(0, 2),
        lo = r.int(-128, 127),
        hi = r.int(lo, 127);
      const m = r.uniform() < 0.5 ? r.int(-(2 ** 31), 2 ** 31 - 1) : r.int(-300, 300),
        s = r.int(0, 31);
      return { op, params: [n, src, m, s, lo, hi], inputs: [src === 0 ? i32vec(r, n, 2 ** 31 - 1) : i8vec(r, n)] };
    }
    case OP.ADD_I32: {
      const n = r.int(1, 64);
      return { op, params: [n], inputs: [i32vec(r, n, 2 ** 31 - 1), i32vec(r, n, 2 ** 31 - 1)] };
    }
    case OP.RELU_I32: {
      const n = r.int(1, 64);
      return { op, params: [n], inputs: [i32vec(r, n, 2 ** 31 - 1)] };
    }
    case OP.ARGMAX_I32: {
      const n = r.int(1, 16);
      return { op, params: [n], inputs: [i32vec(r, n, 5)] };
    }
    case OP.EXP_F32: {
      const n = r.int(1, 64);
      return {
        op,
        params: [n],
        inputs: [
          bitsBytes(
            Array.from({ length: n }, () =>
              r.uniform() < 0.03
                ? SPECIAL[r.int(0, SPECIAL.length - 1)]!
                : new Uint32Array(new Float32Array([(r.uniform() * 2 - 1) * (r.uniform() < 0.5 ? 110 : 4)]).buffer)[0]!,
            ),
          ),
        ],
      };
    }
    case OP.SQRT_F32: {
      const n = r.int(1, 64);
      return {
        op,
        params: [n],
        inputs: [
          bitsBytes(
            Array.from({ length: n }, () =>
              r.uniform() < 0.03
                ? SPECIAL[r.int(0, SPECIAL.length - 1)]!
                : r.uniform() < 0.8
                  ? r.u32() & 0x7fffffff
                  : r.u32(),
            ),
          ),
        ],
      };
    }
    case OP.SIN_F32:
    case OP.COS_F32: {
      const n = r.int(1, 64);
      return {
        op,
        params: [n],
        inputs: [
          bitsBytes(
            Array.from({ length: n }, () =>
              r.uniform() < 0.03
                ? SPECIAL[r.int(0, SPECIAL.length - 1)]!
                : new Uint32Array(new Float32Array([(r.uniform() * 2 - 1) * 10 ** r.int(-3, 8)]).buffer)[0]!,
            ),
          ),
        ],
      };
    }
  }
  throw new Error(`no generator for op ${op}`);
}

/** records of op until their outputs hold at least `elements` output values in total */
export function randomRecords(op: number, seed: number, elements: number): BatchRecord[] {
  const r = new Rng(seed * 7919 + op);
  const out: BatchRecord[] = [];
  let count = 0;
  while (count < elements) {
    const rec = randomRecord(op, r);
    out.push(rec);
    const ol = outLen(op, rec.params);
    count += op === OP.CONCAT || op === OP.REQUANT_I8 ? ol : Math.max(1, ol / 4);
  }
  return out;
}
