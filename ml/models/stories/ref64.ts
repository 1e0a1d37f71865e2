/**
 * Independent float64 reference of the stories260K forward pass (llama2.c `forward`, written
 * directly from the math: Math.exp/sqrt/sin/cos/pow in double precision, no shared code with the
 * float32 graph). Tests compare the graph's float32 logits against it with a tolerance and the
 * greedy tokens exactly where the reference's top-2 margin is clear.
 */
import type { Checkpoint } from "./checkpoint.ts";

export class Ref64 {
  private readonly kc: Float64Array[];
  private readonly vc: Float64Array[];
  constructor(
    private readonly ck: Checkpoint,
    private readonly maxPos: number,
  ) {
    const { nLayers } = ck.config;
    this.kc = Array.from({ length: nLayers }, () => new Float64Array(maxPos * ck.kvDim));
    this.vc = Array.from({ length: nLayers }, () => new Float64Array(maxPos * ck.kvDim));
  }

  forward(token: number, pos: number): Float64Array {
    const { dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize } = this.ck.config;
    const w = this.ck.weights,
      hs = this.ck.headSize,
      kvDim = this.ck.kvDim;
    const mat = (W: Float32Array, off: number, x: Float64Array, out: number, inn: number) => {
      const y = new Float64Array(out);
      for (let i = 0; i < out; i++) {
        let s = 0;
        for (let j = 0; j < inn; j++) s += W[off + i * inn + j]! * x[j]!;
        y[i] = s;
      }
      return y;
    };
    const rms = (x: Float64Array, W: Float32Array, off: number) => {
      let ss = 0;
      for (const v of x) ss += v * v;
      const s = 1 / Math.sqrt(ss / x.length + 1e-5);
      return x.map((v, j) => W[off + j]! * s * v);
    };
    let x = Float64Array.from(w.tokenEmbedding.subarray(token * dim, (token + 1) * dim));
    for (let l = 0; l < nLayers; l++) {
      const xb = rms(x, w.rmsAtt, l * dim);
      const q = mat(w.wq, l * dim * dim, xb, dim, dim),
        k = mat(w.wk, l * kvDim * dim, xb, kvDim, dim),
        v = mat(w.wv, l * kvDim * dim, xb, kvDim, dim);
      for (let i = 0; i < dim; i += 2) {
        const ang = pos / Math.pow(10000, (i % hs) / hs),
          c = Math.cos(ang),
          s = Math.sin(ang);
        const vecs = i < kvDim ? [q, k] : [q];
        for (const vec of vecs) {
          const a = vec[i]!,
            b = vec[i + 1]!;
          vec[i] = a * c - b * s;
          vec[i + 1] = a * s + b * c;
        }
      }
      this.kc[l]!.set(k, pos * kvDim);
      this.vc[l]!.set(v, pos * kvDim);
      const att = new Float64Array(dim);
      for (let h = 0; h < nHeads; h++) {
        const kvh = Math.floor(h / (nHeads / nKvHeads));
        const sc = new Float64Array(pos + 1);
        for (let t = 0; t <= pos; t++) {
          let s = 0;
          for (let i = 0; i < hs; i++) s += q[h * hs + i]! * this.kc[l]![t * kvDim + kvh * hs + i]!;
          sc[t] = s / Math.sqrt(hs);
        }
        const mx = Math.max(...sc);
        let sum = 0;
        for (let t = 0; t <= pos; t++) {
          sc[t] = Math.exp(sc[t]! - mx);
          sum += sc[t]!;
        }
        for (let t = 0; t <= pos; t++)
          for (let i = 0; i < hs; i++) att[h * hs + i] += (sc[t]! / sum) * this.vc[l]![t * kvDim + kvh * hs + i]!;
      }
      const o = mat(w.wo, l * dim * dim, att, dim, dim);
      x = x.map((v, i) => v + o[i]!);
      const xb2 = rms(x, w.rmsFfn, l * dim);
      const h1 = mat(w.w1, l * hiddenDim * dim, xb2, hiddenDim, dim),
        h3 = mat(w.w3, l * hiddenDim * dim, xb2, hiddenDim, dim);
      const g = h1.map((a, i) => (a / (1 + Math.exp(-a))) * h3[i]!);
      const f = mat(w.w2, l * dim * hiddenDim, g, dim, hiddenDim);
      x = x.map((v, i) => v + f[i]!);
    }
    return mat(w.wcls, 0, rms(x, w.rmsFinal, 0), vocabSize, dim);
  }
}
