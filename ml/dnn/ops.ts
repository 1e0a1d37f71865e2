/**
 * zkfp DNN ops, native side: the TypeScript twin of ml/dnn/dnn.c (`dnn_run`). One op = one graph
 * node; inputs and output are little-endian byte tensors (f32, i32, i8, u8) whose lengths follow
 * from the op's int32 parameters (table in ml/FORMAT.md and below).
 *
 * Bit-exactness contract (checked by ml/dnn/ops.test.ts against the RV32IM build under qemu and
 * the zkfp VM): the same loops in the same order, every float32 operation rounded with Math.fround
 * (see math.ts for why that equals libgcc soft float), int32 sums wrapped with `| 0`, the
 * requantisation product in BigInt (exact int64 like the C code), and every NaN stored as the
 * canonical 0x7fc00000 that libgcc's RISC-V soft float produces.
 */
import { ZkfpError } from "../../vm/errors.ts";
import { expf, sqrtf, sinf, cosf, F } from "./math.ts";

export class OpError extends ZkfpError {
  override readonly name = "OpError";
}

export const OP = {
  MATMUL_F32: 1,
  ADD_F32: 2,
  RELU_F32: 3,
  RMSNORM_F32: 4,
  SOFTMAX_F32: 5,
  ROPE_F32: 6,
  SILU_F32: 7,
  SWIGLU_F32: 8,
  ATTENTION_F32: 9,
  CONCAT: 10,
  EMBED_F32: 11,
  ARGMAX_F32: 12,
  MATMUL_I8: 13,
  REQUANT_I8: 14,
  ADD_I32: 15,
  RELU_I32: 16,
  ARGMAX_I32: 17,
  EXP_F32: 18,
  SQRT_F32: 19,
  SIN_F32: 20,
  COS_F32: 21,
} as const;
export type OpName = keyof typeof OP;
export type OpCode = (typeof OP)[OpName];
export const OP_NAMES: Record<number, OpName> = Object.fromEntries(
  Object.entries(OP).map(([k, v]) => [v, k as OpName]),
);

const N_PARAMS = [0, 2, 1, 1, 1, 1, 3, 1, 1, 4, 2, 2, 1, 2, 6, 1, 1, 1, 1, 1, 1, 1];
const N_INPUTS = [0, 2, 2, 1, 2, 1, 2, 1, 2, 3, 2, 2, 1, 3, 1, 2, 1, 1, 1, 1, 1, 1];
const MAXN = 1 << 22;
const okn = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAXN;

export function nInputs(op: number): number {
  if (!(op >= 1 && op <= 21)) throw new OpError("unknown op code", { op });
  return N_INPUTS[op]!;
}

/** Parameter validity, identical to params_ok() in dnn.c. */
export function paramsOk(op: number, p: readonly number[]): boolean {
  if (!(Number.isInteger(op) && op >= 1 && op <= 21) || p.length !== N_PARAMS[op]) return false;
  if (!p.every((v) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31)) return false;
  const [a, b, c, d, e, g] = p as number[];
  switch (op) {
    case OP.MATMUL_F32:
    case OP.MATMUL_I8:
    case OP.EMBED_F32:
      return okn(a!) && okn(b!) && a! * b! <= MAXN;
    case OP.ROPE_F32:
      return okn(a!) && b! >= 2 && b! <= a! && (b! & 1) === 0 && a! % b! === 0 && c! >= 0 && c! < 1 << 24;
    case OP.ATTENTION_F32:
      return (
        a! >= 1 &&
        b! >= 1 &&
        c! >= 1 &&
        d! >= 1 &&
        a! <= 4096 &&
        c! <= 4096 &&
        d! <= MAXN &&
        a! % b! === 0 &&
        a! * c! <= MAXN &&
        d! * b! * c! <= MAXN
      );
    case OP.CONCAT:
      return a! >= 0 && b! >= 0 && a! <= 4 * MAXN && b! <= 4 * MAXN;
    case OP.REQUANT_I8:
      return okn(a!) && b! >= 0 && b! <= 2 && d! >= 0 && d! <= 31 && e! >= -128 && e! <= g! && g! <= 127;
    default:
      return okn(a!);
  }
}

function checkParams(op: number, p: readonly number[]): void {
  if (!(Number.isInteger(op) && op >= 1 && op <= 21)) throw new OpError("unknown op code", { op });
  if (!paramsOk(op, p)) throw new OpError(`bad parameters for ${OP_NAMES[op]}`, { op, params: [...p] });
}

/** Output byte length (dnn_out_len). */
export function outLen(op: number, p: readonly number[]): number {
  checkParams(op, p);
  switch (op) {
    case OP.MATMUL_F32:
    case OP.MATMUL_I8:
      return 4 * p[0]!;
    case OP.EMBED_F32:
      return 4 * p[1]!;
    case OP.ATTENTION_F32:
      return 4 * p[0]! * p[2]!;
    case OP.CONCAT:
      return p[0]! + p[1]!;
    case OP.ARGMAX_F32:
    case OP.ARGMAX_I32:
      return 4;
    case OP.REQUANT_I8:
      return p[0]!;
    default:
      return 4 * p[0]!;
  }
}

/** Expected byte length of input i (dnn_in_len). */
export function inLen(op: number, p: readonly number[], i: number): number {
  checkParams(op, p);
  if (!(i >= 0 && i < N_INPUTS[op]!)) throw new OpError("input index out of range", { op, i });
  switch (op) {
    case OP.MATMUL_F32:
      return i === 0 ? 4 * p[0]! * p[1]! : 4 * p[1]!;
    case OP.MATMUL_I8:
      return i === 0 ? p[0]! * p[1]! : i === 1 ? p[1]! : 4 * p[0]!;
    case OP.EMBED_F32:
      return i === 0 ? 4 * p[0]! * p[1]! : 4;
    case OP.ROPE_F32:
      return i === 0 ? 4 * p[0]! : 4 * (p[1]! / 2);
    case OP.ATTENTION_F32:
      return i === 0 ? 4 * p[0]! * p[2]! : 4 * p[3]! * p[1]! * p[2]!;
    case OP.CONCAT:
      return p[i]!;
    case OP.REQUANT_I8:
      return p[1] === 0 ? 4 * p[0]! : p[0]!;
    default:
      return 4 * p[0]!;
  }
}

const f = Math.fround;

/** a 4-aligned copy (or the same bytes if already aligned) viewed as float32 / int32 */
function f32(b: Uint8Array): Float32Array {
  if (b.byteOffset % 4 === 0) return new Float32Array(b.buffer, b.byteOffset, b.byteLength >> 2);
  return new Float32Array(b.slice().buffer, 0, b.byteLength >> 2);
}
function i32(b: Uint8Array): Int32Array {
  if (b.byteOffset % 4 === 0) return new Int32Array(b.buffer, b.byteOffset, b.byteLength >> 2);
  return new Int32Array(b.slice().buffer, 0, b.byteLength >> 2);
}

/** rewrite every NaN in a float32 output to the canonical 0x7fc00000 (see module header) */
function canon(y: Float32Array): void {
  let u: Uint32Array | undefined;
  for (let i = 0; i < y.length; i++)
    if (y[i] !== y[i]) (u ??= new Uint32Array(y.buffer, y.byteOffset, y.length))[i] = 0x7fc00000;
}

export function matmulF32(y: Float32Array, w: Float32Array, x: Float32Array, out: number, inn: number): void {
  for (let i = 0; i < out; i++) {
    let v = 0;
    const o = i * inn;
    for (let j = 0; j < inn; j++) v = f(v + f(w[o + j]! * x[j]!));
    y[i] = v;
  }
}

export function rmsnormF32(y: Float32Array, x: Float32Array, w: Float32Array, n: number): void {
  let ss = 0;
  for (let j = 0; j < n; j++) ss = f(ss + f(x[j]! * x[j]!));
  ss = f(ss / n);
  ss = f(ss + F(0x3727c5ac));
  ss = f(1 / sqrtf(ss));
  for (let j = 0; j < n; j++) y[j] = f(w[j]! * f(ss * x[j]!));
}

export function softmaxF32(x: Float32Array, n: number): void {
  let mx = x[0]!;
  for (let i = 1; i < n; i++) if (x[i]! > mx) mx = x[i]!;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    x[i] = expf(f(x[i]! - mx));
    sum = f(sum + x[i]!);
  }
  for (let i = 0; i < n; i++) x[i] = f(x[i]! / sum);
}

export function ropeF32(x: Float32Array, freq: Float32Array, n: number, headSize: number, pos: number): void {
  const fpos = f(pos);
  for (let i = 0; i < n; i += 2) {
    const val = f(fpos * freq[(i % headSize) >> 1]!);
    const fcr = cosf(val),
      fci = sinf(val);
    const v0 = x[i]!,
      v1 = x[i + 1]!;
    x[i] = f(f(v0 * fcr) - f(v1 * fci));
    x[i + 1] = f(f(v0 * fci) + f(v1 * fcr));
  }
}

export function siluF32(x: number): number {
  return f(x * f(1 / f(1 + expf(f(0 - x)))));
}

export function attentionF32(
  out: Float32Array,
  q: Float32Array,
  kc: Float32Array,
  vc: Float32Array,
  nHeads: number,
  nKv: number,
  hs: number,
  npos: number,
): void {
  const kvDim = nKv * hs,
    kvMul = nHeads / nKv;
  const scale = sqrtf(hs);
  const att = new Float32Array(npos);
  for (let h = 0; h < nHeads; h++) {
    const qo = h * hs,
      ko = Math.floor(h / kvMul) * hs;
    for (let t = 0; t < npos; t++) {
      const kb = t * kvDim + ko;
      let score = 0;
      for (let i = 0; i < hs; i++) score = f(score + f(q[qo + i]! * kc[kb + i]!));
      att[t] = f(score / scale);
    }
    softmaxF32(att, npos);
    const oo = h * hs;
    for (let i = 0; i < hs; i++) out[oo + i] = 0;
    for (let t = 0; t < npos; t++) {
      const vb = t * kvDim + ko,
        a = att[t]!;
      for (let i = 0; i < hs; i++) out[oo + i] = f(out[oo + i]! + f(a * vc[vb + i]!));
    }
  }
}

export function argmaxF32(x: Float32Array, n: number): number {
  let best = 0,
    mx = x[0]!;
  for (let i = 1; i < n; i++)
    if (x[i]! > mx) {
      mx = x[i]!;
      best = i;
    }
  return best;
}

export function matmulI8(y: Int32Array, w: Int8Array, x: Int8Array, b: Int32Array, out: number, inn: number): void {
  for (let i = 0; i < out; i++) {
    let acc = b[i]!;
    const o = i * inn;
    for (let j = 0; j < inn; j++) acc = (acc + w[o + j]! * x[j]!) | 0;
    y[i] = acc;
  }
}

export function requant(x: number, m: number, s: number, lo: number, hi: number): number {
  let p = BigInt(x) * BigInt(m);
  if (s > 0) p += 1n << BigInt(s - 1);
  p >>= BigInt(s);
  if (p < BigInt(lo)) return lo;
  if (p > BigInt(hi)) return hi;
  return Number(p);
}

/** Runs one node natively; throws OpError where dnn_run returns a negative code. */
export function runOp(op: number, p: readonly number[], inputs: readonly Uint8Array[]): Uint8Array {
  const ol = outLen(op, p);
  if (inputs.length !== N_INPUTS[op])
    throw new OpError(`${OP_NAMES[op]} takes ${N_INPUTS[op]} inputs`, { op, inputs: inputs.length });
  inputs.forEach((b, i) => {
    const want = inLen(op, p, i);
    if (b.byteLength !== want)
      throw new OpError(`${OP_NAMES[op]}: input ${i} has the wrong length`, {
        op,
        input: i,
        length: b.byteLength,
        expected: want,
      });
  });
  const out = new Uint8Array((ol + 3) & ~3);
  const y = new Float32Array(out.buffer, 0, out.byteLength >> 2);
  const yi = new Int32Array(out.buffer, 0, out.byteLength >> 2);
  const n = p[0]!;
  const a = () => f32(inputs[0]!),
    b = () => f32(inputs[1]!);
  switch (op) {
    case OP.MATMUL_F32:
      matmulF32(y, a(), b(), p[0]!, p[1]!);
      break;
    case OP.ADD_F32: {
      const x0 = a(),
        x1 = b();
      for (let i = 0; i < n; i++) y[i] = f(x0[i]! + x1[i]!);
      break;
    }
    case OP.RELU_F32: {
      const x0 = a();
      for (let i = 0; i < n; i++) y[i] = x0[i]! > 0 ? x0[i]! : 0;
      break;
    }
    case OP.RMSNORM_F32:
      rmsnormF32(y, a(), b(), n);
      break;
    case OP.SOFTMAX_F32:
      y.set(a());
      softmaxF32(y, n);
      break;
    case OP.ROPE_F32:
      y.set(a());
      ropeF32(y, b(), n, p[1]!, p[2]!);
      break;
    case OP.SILU_F32: {
      const x0 = a();
      for (let i = 0; i < n; i++) y[i] = siluF32(x0[i]!);
      break;
    }
    case OP.SWIGLU_F32: {
      const x0 = a(),
        x1 = b();
      for (let i = 0; i < n; i++) y[i] = f(siluF32(x0[i]!) * x1[i]!);
      break;
    }
    case OP.ATTENTION_F32:
      attentionF32(y, a(), b(), f32(inputs[2]!), p[0]!, p[1]!, p[2]!, p[3]!);
      break;
    case OP.CONCAT:
      out.set(inputs[0]!, 0);
      out.set(inputs[1]!, p[0]!);
      return out.subarray(0, ol);
    case OP.EMBED_F32: {
      const tok = i32(inputs[1]!)[0]!;
      if (tok < 0 || tok >= p[0]!) throw new OpError("token id outside the vocabulary", { token: tok, vocab: p[0] });
      out.set(inputs[0]!.subarray(tok * p[1]! * 4, (tok + 1) * p[1]! * 4));
      return out;
    }
    case OP.ARGMAX_F32:
      yi[0] = argmaxF32(a(), n);
      return out;
    case OP.MATMUL_I8: {
      const w = new Int8Array(inputs[0]!.buffer, inputs[0]!.byteOffset, inputs[0]!.byteLength);
      const x = new Int8Array(inputs[1]!.buffer, inputs[1]!.byteOffset, inputs[1]!.byteLength);
      matmulI8(yi, w, x, i32(inputs[2]!), p[0]!, p[1]!);
      return out;
    }
    case OP.REQUANT_I8: {
      const src = inputs[0]!;
      const get =
        p[1] === 0
          ? (
              (v) => (i: number) =>
                v[i]!
            )(i32(src))
          : p[1] === 1
            ? (i: number) => src[i]!
            : (i: number) => (src[i]! << 24) >> 24;
      const o = new Int8Array(out.buffer, 0, n);
      for (let i = 0; i < n; i++) o[i] = requant(get(i), p[2]!, p[3]!, p[4]!, p[5]!);
      return out.subarray(0, ol);
    }
    case OP.ADD_I32: {
      const x0 = i32(inputs[0]!),
        x1 = i32(inputs[1]!);
      for (let i = 0; i < n; i++) yi[i] = (x0[i]! + x1[i]!) | 0;
      return out;
    }
    case OP.RELU_I32: {
      const x0 = i32(inputs[0]!);
      for (let i = 0; i < n; i++) yi[i] = x0[i]! > 0 ? x0[i]! : 0;
      return out;
    }
    case OP.ARGMAX_I32: {
      const x0 = i32(inputs[0]!);
      let best = 0,
        mx = x0[0]!;
      for (let i = 1; i < n; i++)
        if (x0[i]! > mx) {
          mx = x0[i]!;
          best = i;
        }
      yi[0] = best;
      return out;
    }
    case OP.EXP_F32: {
      const x0 = a();
      for (let i = 0; i < n; i++) y[i] = expf(x0[i]!);
      break;
    }
    case OP.SQRT_F32: {
      const x0 = a();
      for (let i = 0; i < n; i++) y[i] = sqrtf(x0[i]!);
      break;
    }
    case OP.SIN_F32: {
      const x0 = a();
      for (let i = 0; i < n; i++) y[i] = sinf(x0[i]!);
      break;
    }
    case OP.COS_F32: {
      const x0 = a();
      for (let i = 0; i < n; i++) y[i] = cosf(x0[i]!);
      break;
    }
  }
  canon(y);
  return out.subarray(0, ol);
}
