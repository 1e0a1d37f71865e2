/**
 * LLaMA shapes and a deterministic, seeded synthetic-weight generator for them.
 *
 * Shapes (llama2.c / TinyLlama configs): stories15M (dim 288, 6 layers, 6 heads, hidden 768, vocab
 * 32000, seq 256), stories110M (768, 12, 12, hidden 2048, seq 1024), TinyLlama-1.1B (2048, 22 layers,
 * 32 heads, 4 kv-heads, hidden 5632, seq 2048). The stories shapes share the classifier with the
 * embedding like the published llama2.c checkpoints; TinyLlama has its own (1.10 B parameters).
 *
 * Weights: tensor kind k gets stream `seed * 131 + k`; element i is a 32-bit integer hash
 * (splitmix32-style) of (stream, i) mapped to a float32 in (-s, s), s = 1/sqrt(fan-in) for
 * matrices (0.5 for the embedding) so activations stay O(1); norm weights are 1 + (-0.05, 0.05).
 * No value is -0 (the tiled embedding's zero-row selection adds +0, see graph.ts).
 * The dispute's cost does not depend on the values; a real checkpoint runs through the same code.
 */
import { ZkfpError } from "../../../vm/errors.ts";
import {
  type LlamaConfig,
  type LlamaModel,
  type LlamaWeights,
  WEIGHT_KINDS,
  modelOf,
  tensorSizes,
} from "./checkpoint.ts";

export class ShapeError extends ZkfpError {
  override readonly name = "ShapeError";
}

export const SHAPES = {
  stories15M: {
    dim: 288,
    hiddenDim: 768,
    nLayers: 6,
    nHeads: 6,
    nKvHeads: 6,
    vocabSize: 32000,
    seqLen: 256,
    sharedClassifier: true,
  },
  stories110M: {
    dim: 768,
    hiddenDim: 2048,
    nLayers: 12,
    nHeads: 12,
    nKvHeads: 12,
    vocabSize: 32000,
    seqLen: 1024,
    sharedClassifier: true,
  },
  "TinyLlama-1.1B": {
    dim: 2048,
    hiddenDim: 5632,
    nLayers: 22,
    nHeads: 32,
    nKvHeads: 4,
    vocabSize: 32000,
    seqLen: 2048,
    sharedClassifier: false,
  },
} as const satisfies Record<string, LlamaConfig>;
export type ShapeName = keyof typeof SHAPES;

export function shapeConfig(name: string): LlamaConfig {
  const c = (SHAPES as Record<string, LlamaConfig>)[name];
  if (!c) throw new ShapeError("unknown model shape", { shape: name, known: Object.keys(SHAPES) });
  return { ...c };
}

/** Fills a with values in (-scale, scale) (+ offset) from stream `stream`. */
export function fillUniform(a: Float32Array, stream: number, scale: number, offset = 0): void {
  const s = stream >>> 0;
  const k = (2 * scale) / 4294967296;
  for (let i = 0; i < a.length; i++) {
    let z = (Math.imul(i, 0x9e3779b9) + Math.imul(s, 0x85ebca6b)) | 0;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    z = (z ^ (z >>> 15)) >>> 0;
    // (z + 0.5) * k - scale is never exactly 0, so never -0
    a[i] = offset + ((z + 0.5) * k - scale);
  }
}

/** Synthetic weights for a config (deterministic in `seed`). */
export function syntheticModel(config: LlamaConfig, seed = 1): LlamaModel {
  const { dim, hiddenDim } = config;
  const w: Partial<LlamaWeights> = {};
  const scale: Partial<Record<string, number>> = {
    tokenEmbedding: 0.5,
    wq: 1 / Math.sqrt(dim),
    wk: 1 / Math.sqrt(dim),
    wv: 1 / Math.sqrt(dim),
    wo: 1 / Math.sqrt(dim),
    w1: 1 / Math.sqrt(dim),
    w3: 1 / Math.sqrt(dim),
    w2: 1 / Math.sqrt(hiddenDim),
    wcls: 1 / Math.sqrt(dim),
  };
  const hs = dim / config.nHeads;
  for (const [k, n] of tensorSizes(config)) {
    const a = new Float32Array(n);
    const stream = Math.imul(seed, 131) + WEIGHT_KINDS.indexOf(k);
    if (k === "freqReal" || k === "freqImag") {
      // llama2.c's freq_cis tables (unused by the graph, present in the file format)
      for (let p = 0; p < config.seqLen; p++)
        for (let i = 0; i < hs / 2; i++) {
          const v = p / 10000 ** ((2 * i) / hs);
          a[p * (hs / 2) + i] = k === "freqReal" ? Math.cos(v) : Math.sin(v);
        }
    } else if (k === "rmsAtt" || k === "rmsFfn" || k === "rmsFinal") fillUniform(a, stream, 0.05, 1);
    else fillUniform(a, stream, scale[k]!);
    w[k] = a;
  }
  if (config.sharedClassifier) w.wcls = w.tokenEmbedding;
  return modelOf(config, w as LlamaWeights, `synthetic:${JSON.stringify(config)}:seed=${seed}`);
}

/**
 * Makes every row of every weight matrix (and of the embedding, so of a shared classifier) equal to
 * the tensor's first row, in place. Equal-size weight tiles are then byte-identical, so the model
 * commitment hashes one tile per tile size (ml/graph/model.ts hashes identical blobs once) while the
 * graph, its node count, every node's size and the dispute over it are those of the shape. For
 * exercising and measuring the per-claim dispute of a shape without its one-time commitment; the
 * logits are all equal (the argmax is token 0).
 */
export function repeatRows(m: LlamaModel): LlamaModel {
  const { dim, hiddenDim } = m.config;
  const w = m.weights;
  const mats: [Float32Array, number][] = [
    [w.tokenEmbedding, dim],
    [w.wq, dim],
    [w.wk, dim],
    [w.wv, dim],
    [w.wo, dim],
    [w.w1, dim],
    [w.w3, dim],
    [w.w2, hiddenDim],
  ];
  if (w.wcls !== w.tokenEmbedding) mats.push([w.wcls, dim]);
  for (const [a, cols] of mats) for (let i = cols; i < a.length; i += cols) a.copyWithin(i, 0, cols);
  return { ...m, source: `${m.source}:repeated-rows` };
}
