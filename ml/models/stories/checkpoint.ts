/**
 * llama2.c checkpoint loader (stories260K, committed in ml/models/stories/data/ with its attribution
 * and MIT licence in LICENSE.md; env ZKFP_STORIES points elsewhere):
 * seven int32 header fields (dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len;
 * vocab_size < 0 = unshared classifier), then float32 arrays token_embedding, rms_att, wq, wk, wv,
 * wo, rms_ffn, w1, w2, w3, rms_final, freq_cis_real, freq_cis_imag[, wcls].
 * Malformed files are CheckpointError: short file, implausible header, size that does not match;
 * stories260K (the default path) must also have its known sha256, so the committed fixtures always
 * meet the bytes they were computed from; another checkpoint passed by path is checked structurally.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ZkfpError } from "../../../vm/errors.ts";

export class CheckpointError extends ZkfpError {
  override readonly name = "CheckpointError";
}

export const STORIES_PATH = process.env.ZKFP_STORIES ?? join(import.meta.dirname, "data/stories260K.bin");
export const STORIES_SHA256 = "9414d5a285453a7eab631713d171753232c978f6f97654211469aff8be93c8d6";
export const HEADER_BYTES = 28;

export type LlamaConfig = {
  dim: number;
  hiddenDim: number;
  nLayers: number;
  nHeads: number;
  nKvHeads: number;
  vocabSize: number;
  seqLen: number;
  sharedClassifier: boolean;
};
export type LlamaWeights = {
  tokenEmbedding: Float32Array;
  rmsAtt: Float32Array;
  wq: Float32Array;
  wk: Float32Array;
  wv: Float32Array;
  wo: Float32Array;
  rmsFfn: Float32Array;
  w1: Float32Array;
  w2: Float32Array;
  w3: Float32Array;
  rmsFinal: Float32Array;
  wcls: Float32Array;
};
export type Checkpoint = {
  config: LlamaConfig;
  weights: LlamaWeights;
  headSize: number;
  kvDim: number;
  bytes: Uint8Array;
};

export function parseCheckpoint(bytes: Uint8Array): Checkpoint {
  if (bytes.length < HEADER_BYTES)
    throw new CheckpointError("file shorter than the 28-byte header", { length: bytes.length });
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const h = Array.from({ length: 7 }, (_, i) => dv.getInt32(4 * i, true));
  const [dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabRaw, seqLen] = h as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const vocabSize = Math.abs(vocabRaw);
  const ok = (v: number, max: number) => Number.isInteger(v) && v >= 1 && v <= max;
  if (
    !(
      ok(dim, 1 << 14) &&
      ok(hiddenDim, 1 << 16) &&
      ok(nLayers, 256) &&
      ok(nHeads, 1024) &&
      ok(nKvHeads, 1024) &&
      ok(vocabSize, 1 << 20) &&
      ok(seqLen, 1 << 20)
    ) ||
    dim % nHeads !== 0 ||
    nHeads % nKvHeads !== 0 ||
    (dim / nHeads) % 2 !== 0
  )
    throw new CheckpointError("implausible checkpoint header", { header: h });
  const headSize = dim / nHeads,
    kvDim = (dim * nKvHeads) / nHeads;
  const sizes: [keyof LlamaWeights | "freqReal" | "freqImag", number][] = [
    ["tokenEmbedding", vocabSize * dim],
    ["rmsAtt", nLayers * dim],
    ["wq", nLayers * dim * dim],
    ["wk", nLayers * kvDim * dim],
    ["wv", nLayers * kvDim * dim],
    ["wo", nLayers * dim * dim],
    ["rmsFfn", nLayers * dim],
    ["w1", nLayers * hiddenDim * dim],
    ["w2", nLayers * dim * hiddenDim],
    ["w3", nLayers * hiddenDim * dim],
    ["rmsFinal", dim],
    ["freqReal", (seqLen * headSize) / 2],
    ["freqImag", (seqLen * headSize) / 2],
  ];
  if (vocabRaw < 0) sizes.push(["wcls", vocabSize * dim]);
  const floats = sizes.reduce((s, [, n]) => s + n, 0);
  if (bytes.length !== HEADER_BYTES + 4 * floats)
    throw new CheckpointError("file size does not match the header", {
      length: bytes.length,
      expected: HEADER_BYTES + 4 * floats,
      header: h,
    });
  const all = new Float32Array(bytes.slice(HEADER_BYTES).buffer);
  const w: Partial<Record<string, Float32Array>> = {};
  let o = 0;
  for (const [k, n] of sizes) {
    w[k] = all.subarray(o, o + n);
    o += n;
  }
  if (vocabRaw > 0) w.wcls = w.tokenEmbedding;
  return {
    config: { dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize, seqLen, sharedClassifier: vocabRaw > 0 },
    weights: w as LlamaWeights,
    headSize,
    kvDim,
    bytes,
  };
}

/** Loads a checkpoint; `sha256` (default: stories260K's for the default path, none otherwise) must match. */
export function loadCheckpoint(
  path = STORIES_PATH,
  sha256: string | null = path === STORIES_PATH ? STORIES_SHA256 : null,
): Checkpoint {
  let b: Uint8Array;
  try {
    b = new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new CheckpointError("cannot read checkpoint", { path, error: String((e as Error).message) }, { cause: e });
  }
  if (sha256 !== null) {
    const actual = createHash("sha256").update(b).digest("hex");
    if (actual !== sha256)
      throw new CheckpointError("checkpoint is not the expected one (sha256 mismatch)", {
        path,
        expected: sha256,
        actual,
      });
  }
  return parseCheckpoint(b);
}

/** RoPE frequencies 1 / 10000^(2i / head_size), computed in float64 and rounded to float32 once. */
export function ropeFreqs(headSize: number): Float32Array {
  return Float32Array.from({ length: headSize / 2 }, (_, i) => 1 / 10000 ** ((2 * i) / headSize));
}
