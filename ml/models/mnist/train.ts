/**
 * MNIST MLP 784-64-10 (ReLU), trained in TypeScript (float64, seeded) on test-set images 0..7999,
 * then exported in the neutral format (ml/models/convert.ts) as a float32 model and as an int8
 * model, and converted to ZKG: ml/models/mnist/mnist-f32.zkg, mnist-i8.zkg (committed).
 *
 * Training: He-normal init (Rng seed 1), SGD with momentum 0.9, batch 32, lr 0.05 with cosine decay,
 * 12 epochs over a seeded shuffle, softmax cross-entropy; input x = pixel / 255.
 * Quantisation (post-training, symmetric, per tensor):
 *   x_q = requant(pixel; multiplier 1, shift 1) = round(pixel / 2) in [0, 127]  (s_x = 2/255)
 *   W_q = round(W / s_W), s_W = max|W| / 127;  b_q = round(b / (s_W s_in))   (int32)
 *   h_q = clamp(round(acc * M / 2^24), 0, 127) with M = round(2^24 s_W1 s_x / s_h), s_h = max h / 127
 *       over the training set (ReLU folded into the clamp)
 *   logits_q = W2_q h_q + b2_q (int32);  class = argmax.
 * Run: `npx tsx ml/models/mnist/train.ts` (writes the .zkg files and prints the accuracies).
 */
import { Rng } from "../../../lib/rng.ts";
import { loadMnist, image, TRAIN, PIXELS, type Mnist } from "./data.ts";
import { convertNeutral, writeZkg, type NeutralModel } from "../convert.ts";
import type { Graph } from "../../graph/graph.ts";
import { join } from "node:path";

export const H = 64,
  C = 10;
export type FloatMlp = { w1: Float64Array; b1: Float64Array; w2: Float64Array; b2: Float64Array };

export function trainMlp(d: Mnist, opts: { seed?: number; epochs?: number; train?: number } = {}): FloatMlp {
  const r = new Rng(opts.seed ?? 1);
  const epochs = opts.epochs ?? 12,
    n = opts.train ?? TRAIN,
    B = 32;
  const w1 = Float64Array.from({ length: H * PIXELS }, () => r.normal() * Math.sqrt(2 / PIXELS));
  const w2 = Float64Array.from({ length: C * H }, () => r.normal() * Math.sqrt(2 / H));
  const b1 = new Float64Array(H),
    b2 = new Float64Array(C);
  const m = [w1, b1, w2, b2].map((a) => new Float64Array(a.length));
  const g = [w1, b1, w2, b2].map((a) => new Float64Array(a.length));
  const x = new Float64Array(PIXELS),
    h = new Float64Array(H),
    z = new Float64Array(C),
    dz = new Float64Array(C),
    dh = new Float64Array(H);
  const order = Array.from({ length: n }, (_, i) => i);
  const steps = epochs * Math.ceil(n / B);
  let step = 0;
  for (let e = 0; e < epochs; e++) {
    r.shuffle(order);
    for (let s = 0; s < n; s += B) {
      for (const a of g) a.fill(0);
      const end = Math.min(n, s + B);
      for (let t = s; t < end; t++) {
        const idx = order[t]!,
          img = image(d, idx);
        for (let i = 0; i < PIXELS; i++) x[i] = img[i]! / 255;
        for (let j = 0; j < H; j++) {
          let v = b1[j]!;
          const o = j * PIXELS;
          for (let i = 0; i < PIXELS; i++) v += w1[o + i]! * x[i]!;
          h[j] = v > 0 ? v : 0;
        }
        let mx = -Infinity;
        for (let k = 0; k < C; k++) {
          let v = b2[k]!;
          for (let j = 0; j < H; j++) v += w2[k * H + j]! * h[j]!;
          z[k] = v;
          if (v > mx) mx = v;
        }
        let sum = 0;
        for (let k = 0; k < C; k++) {
          dz[k] = Math.exp(z[k]! - mx);
          sum += dz[k]!;
        }
        for (let k = 0; k < C; k++) dz[k] = dz[k]! / sum - (k === d.labels[idx] ? 1 : 0);
        dh.fill(0);
        for (let k = 0; k < C; k++) {
          g[3]![k] += dz[k]!;
          for (let j = 0; j < H; j++) {
            g[2]![k * H + j] += dz[k]! * h[j]!;
            dh[j] += dz[k]! * w2[k * H + j]!;
          }
        }
        for (let j = 0; j < H; j++) {
          if (h[j]! <= 0) continue;
          g[1]![j] += dh[j]!;
          const o = j * PIXELS,
            dj = dh[j]!;
          for (let i = 0; i < PIXELS; i++) if (x[i]) g[0]![o + i] += dj * x[i]!;
        }
      }
      const lr = (0.05 * 0.5 * (1 + Math.cos((Math.PI * step++) / steps))) / (end - s);
      [w1, b1, w2, b2].forEach((p, q) => {
        const mq = m[q]!,
          gq = g[q]!;
        for (let i = 0; i < p.length; i++) {
          mq[i] = 0.9 * mq[i]! - lr * gq[i]!;
          p[i] += mq[i]!;
        }
      });
    }
  }
  return { w1, b1, w2, b2 };
}

/** float64 forward for the float accuracy and the activation range */
export function forward64(w: FloatMlp, img: Uint8Array): { h: Float64Array; z: Float64Array } {
  const h = new Float64Array(H),
    z = new Float64Array(C);
  for (let j = 0; j < H; j++) {
    let v = w.b1[j]!;
    for (let i = 0; i < PIXELS; i++) v += w.w1[j * PIXELS + i]! * (img[i]! / 255);
    h[j] = v > 0 ? v : 0;
  }
  for (let k = 0; k < C; k++) {
    let v = w.b2[k]!;
    for (let j = 0; j < H; j++) v += w.w2[k * H + j]! * h[j]!;
    z[k] = v;
  }
  return { h, z };
}

class Bin {
  parts: Uint8Array[] = [];
  off = 0;
  add(a: Float32Array | Int32Array | Int8Array | Uint8Array): number {
    const o = this.off,
      b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const p = new Uint8Array((b.length + 3) & ~3);
    p.set(b);
    this.parts.push(p);
    this.off += p.length;
    return o;
  }
  bytes(): Uint8Array {
    const o = new Uint8Array(this.off);
    let k = 0;
    for (const p of this.parts) {
      o.set(p, k);
      k += p.length;
    }
    return o;
  }
}

export function exportFloat(w: FloatMlp): { model: NeutralModel; bin: Uint8Array } {
  const bin = new Bin();
  const t = (a: Float64Array, shape: number[]) => ({
    dtype: "f32" as const,
    shape,
    offset: bin.add(Float32Array.from(a)),
  });
  const model: NeutralModel = {
    format: "zkfp-neutral-1",
    name: "mnist-mlp-f32",
    tensors: { W1: t(w.w1, [H, PIXELS]), b1: t(w.b1, [H]), W2: t(w.w2, [C, H]), b2: t(w.b2, [C]) },
    inputs: [{ name: "image", dtype: "f32", shape: [PIXELS] }],
    nodes: [
      { op: "Gemm", inputs: ["image", "W1", "b1"], output: "fc1" },
      { op: "Relu", inputs: ["fc1"], output: "h" },
      { op: "Gemm", inputs: ["h", "W2", "b2"], output: "logits" },
      { op: "ArgMax", inputs: ["logits"], output: "class" },
    ],
    outputs: ["logits", "class"],
  };
  return { model, bin: bin.bytes() };
}

export const SHIFT = 24;
export function exportInt8(w: FloatMlp, d: Mnist): { model: NeutralModel; bin: Uint8Array } {
  const sx = 2 / 255;
  const maxAbs = (a: Float64Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const s1 = maxAbs(w.w1) / 127,
    s2 = maxAbs(w.w2) / 127;
  let hmax = 0;
  for (let i = 0; i < TRAIN; i++) for (const v of forward64(w, image(d, i)).h) hmax = Math.max(hmax, v);
  const sh = hmax / 127;
  const q8 = (a: Float64Array, s: number) => Int8Array.from(a, (v) => Math.max(-127, Math.min(127, Math.round(v / s))));
  const q32 = (a: Float64Array, s: number) => Int32Array.from(a, (v) => Math.round(v / s));
  const M = Math.round((2 ** SHIFT * s1 * sx) / sh);
  const bin = new Bin();
  const model: NeutralModel = {
    format: "zkfp-neutral-1",
    name: "mnist-mlp-i8",
    tensors: {
      W1: { dtype: "i8", shape: [H, PIXELS], offset: bin.add(q8(w.w1, s1)) },
      b1: { dtype: "i32", shape: [H], offset: bin.add(q32(w.b1, s1 * sx)) },
      W2: { dtype: "i8", shape: [C, H], offset: bin.add(q8(w.w2, s2)) },
      b2: { dtype: "i32", shape: [C], offset: bin.add(q32(w.b2, s2 * sh)) },
    },
    inputs: [{ name: "image", dtype: "u8", shape: [PIXELS] }],
    nodes: [
      { op: "Requant", inputs: ["image"], output: "x_q", attrs: { multiplier: 1, shift: 1, min: 0, max: 127 } },
      { op: "Gemm", inputs: ["x_q", "W1", "b1"], output: "acc1" },
      { op: "Requant", inputs: ["acc1"], output: "h_q", attrs: { multiplier: M, shift: SHIFT, min: 0, max: 127 } },
      { op: "Gemm", inputs: ["h_q", "W2", "b2"], output: "logits" },
      { op: "ArgMax", inputs: ["logits"], output: "class" },
    ],
    outputs: ["logits", "class"],
  };
  return { model, bin: bin.bytes() };
}

export const MODEL_DIR = import.meta.dirname;
export const F32_PATH = join(MODEL_DIR, "mnist-f32.zkg");
export const I8_PATH = join(MODEL_DIR, "mnist-i8.zkg");

export function trainAndExport(d: Mnist): { float64Accuracy: number; f32: Graph; i8: Graph } {
  const w = trainMlp(d);
  let ok = 0;
  for (let i = TRAIN; i < d.count; i++) {
    const { z } = forward64(w, image(d, i));
    let best = 0;
    for (let k = 1; k < C; k++) if (z[k]! > z[best]!) best = k;
    if (best === d.labels[i]) ok++;
  }
  const f = exportFloat(w),
    q = exportInt8(w, d);
  return {
    float64Accuracy: ok / (d.count - TRAIN),
    f32: convertNeutral(f.model, f.bin),
    i8: convertNeutral(q.model, q.bin),
  };
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const d = loadMnist();
  const t0 = performance.now();
  const r = trainAndExport(d);
  writeZkg(F32_PATH, r.f32);
  writeZkg(I8_PATH, r.i8);
  process.stdout.write(
    `trained in ${((performance.now() - t0) / 1000).toFixed(1)} s; float64 accuracy on images 8000..9999: ${(100 * r.float64Accuracy).toFixed(2)}%\nwrote ${F32_PATH}, ${I8_PATH}\n`,
  );
}
