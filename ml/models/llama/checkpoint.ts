/**
 * General llama2.c checkpoint loader and writer (the "version 0" / legacy export of llama2.c's
 * export.py, the format of stories15M.bin, stories110M.bin and tinyllamas; layout as in
 * ../shared/data/stories260K/README.md):
 *
 *   int32 dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len   (28 bytes)
 *   float32 token_embedding[vocab][dim], rms_att[L][dim], wq[L][dim][dim], wk[L][kv_dim][dim],
 *           wv[L][kv_dim][dim], wo[L][dim][dim], rms_ffn[L][dim], w1[L][hidden][dim],
 *           w2[L][dim][hidden], w3[L][hidden][dim], rms_final[dim],
 *           freq_cis_real[seq_len][head_size/2], freq_cis_imag[seq_len][head_size/2],
 *           wcls[vocab][dim]   (only when the classifier is not shared: vocab_size < 0 in the header)
 *
 * kv_dim = dim * n_kv_heads / n_heads (grouped-query attention when n_kv_heads < n_heads).
 * `readCheckpoint` reads tensor by tensor through a file descriptor, so checkpoints larger than
 * Node's 2 GiB single-read limit (TinyLlama-1.1B is 4.4 GB) load; each tensor kind is one
 * Float32Array over all layers, like llama2.c's memory map.
 *
 * Malformed files are CheckpointError (the offending value attached): a short header, an
 * implausible header (non-positive or huge dimensions, dim not divisible by n_heads, n_heads not
 * divisible by n_kv_heads, odd head size), or a file size that differs from the header's layout.
 * The freq_cis tables are carried through unchanged (the graphs compute their own RoPE table with
 * `ropeFreqs`).
 */
import { closeSync, fstatSync, openSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
import { ZkfpError } from "../../../vm/errors.ts";

export class CheckpointError extends ZkfpError {
  override readonly name = "CheckpointError";
}

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
export const WEIGHT_KINDS = [
  "tokenEmbedding",
  "rmsAtt",
  "wq",
  "wk",
  "wv",
  "wo",
  "rmsFfn",
  "w1",
  "w2",
  "w3",
  "rmsFinal",
  "freqReal",
  "freqImag",
  "wcls",
] as const;
export type WeightKind = (typeof WEIGHT_KINDS)[number];
export type LlamaWeights = Record<WeightKind, Float32Array>;
export type LlamaModel = {
  config: LlamaConfig;
  weights: LlamaWeights;
  headSize: number;
  kvDim: number;
  source: string;
};

/** Checks a header and returns the config; CheckpointError when implausible. */
export function configFromHeader(h: readonly number[]): LlamaConfig {
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
    throw new CheckpointError("implausible checkpoint header", { header: [...h] });
  return { dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize, seqLen, sharedClassifier: vocabRaw > 0 };
}

export function headerOf(c: LlamaConfig): number[] {
  return [
    c.dim,
    c.hiddenDim,
    c.nLayers,
    c.nHeads,
    c.nKvHeads,
    c.sharedClassifier ? c.vocabSize : -c.vocabSize,
    c.seqLen,
  ];
}

/** Float counts of every tensor in file order (wcls only when unshared). */
export function tensorSizes(c: LlamaConfig): [WeightKind, number][] {
  const { dim, hiddenDim: hd, nLayers: L, vocabSize: V } = c;
  const hs = dim / c.nHeads,
    kv = (dim * c.nKvHeads) / c.nHeads;
  const s: [WeightKind, number][] = [
    ["tokenEmbedding", V * dim],
    ["rmsAtt", L * dim],
    ["wq", L * dim * dim],
    ["wk", L * kv * dim],
    ["wv", L * kv * dim],
    ["wo", L * dim * dim],
    ["rmsFfn", L * dim],
    ["w1", L * hd * dim],
    ["w2", L * dim * hd],
    ["w3", L * hd * dim],
    ["rmsFinal", dim],
    ["freqReal", (c.seqLen * hs) / 2],
    ["freqImag", (c.seqLen * hs) / 2],
  ];
  if (!c.sharedClassifier) s.push(["wcls", V * dim]);
  return s;
}

export function fileBytes(c: LlamaConfig): number {
  return HEADER_BYTES + 4 * tensorSizes(c).reduce((a, [, n]) => a + n, 0);
}

export function parameterCount(c: LlamaConfig): number {
  return tensorSizes(c)
    .filter(([k]) => k !== "freqReal" && k !== "freqImag")
    .reduce((a, [, n]) => a + n, 0);
}

export function modelOf(config: LlamaConfig, weights: LlamaWeights, source: string): LlamaModel {
  return {
    config,
    weights,
    headSize: config.dim / config.nHeads,
    kvDim: (config.dim * config.nKvHeads) / config.nHeads,
    source,
  };
}

/** RoPE frequencies 1 / 10000^(2i / head_size), computed in float64 and rounded to float32 once. */
export function ropeFreqs(headSize: number): Float32Array {
  return Float32Array.from({ length: headSize / 2 }, (_, i) => 1 / 10000 ** ((2 * i) / headSize));
}

const CHUNK = 1 << 28; // bytes per readSync/writeSync call (well under Node's 2 GiB limit)

/** Loads a llama2.c checkpoint from a file, tensor by tensor. */
export function readCheckpoint(path: string): LlamaModel {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw new CheckpointError("cannot open checkpoint", { path, error: String((e as Error).message) });
  }
  try {
    const size = fstatSync(fd).size;
    if (size < HEADER_BYTES) throw new CheckpointError("file shorter than the 28-byte header", { path, length: size });
    const hb = new Uint8Array(HEADER_BYTES);
    readSync(fd, hb, 0, HEADER_BYTES, 0);
    const dv = new DataView(hb.buffer);
    const h = Array.from({ length: 7 }, (_, i) => dv.getInt32(4 * i, true));
    const config = configFromHeader(h);
    const want = fileBytes(config);
    if (size !== want)
      throw new CheckpointError("file size does not match the header", {
        path,
        length: size,
        expected: want,
        header: h,
      });
    const w: Partial<LlamaWeights> = {};
    let pos = HEADER_BYTES;
    for (const [k, n] of tensorSizes(config)) {
      const a = new Float32Array(n);
      const b = new Uint8Array(a.buffer);
      for (let o = 0; o < b.length; o += CHUNK) {
        const len = Math.min(CHUNK, b.length - o);
        if (readSync(fd, b, o, len, pos + o) !== len)
          throw new CheckpointError("short read", { path, tensor: k, offset: pos + o });
      }
      w[k] = a;
      pos += b.length;
    }
    if (config.sharedClassifier) w.wcls = w.tokenEmbedding;
    return modelOf(config, w as LlamaWeights, path);
  } finally {
    closeSync(fd);
  }
}

/** Parses a checkpoint held in memory (same checks as readCheckpoint). */
export function parseCheckpoint(bytes: Uint8Array, source = "bytes"): LlamaModel {
  if (bytes.length < HEADER_BYTES)
    throw new CheckpointError("file shorter than the 28-byte header", { length: bytes.length });
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const h = Array.from({ length: 7 }, (_, i) => dv.getInt32(4 * i, true));
  const config = configFromHeader(h);
  if (bytes.length !== fileBytes(config))
    throw new CheckpointError("file size does not match the header", {
      length: bytes.length,
      expected: fileBytes(config),
      header: h,
    });
  const w: Partial<LlamaWeights> = {};
  let pos = HEADER_BYTES;
  for (const [k, n] of tensorSizes(config)) {
    w[k] = new Float32Array(bytes.slice(pos, pos + 4 * n).buffer);
    pos += 4 * n;
  }
  if (config.sharedClassifier) w.wcls = w.tokenEmbedding;
  return modelOf(config, w as LlamaWeights, source);
}

/**
 * Writes a model in the llama2.c version-0 format (the inverse of readCheckpoint). Every tensor's
 * size is checked before anything is written; the file is written under a temporary name and
 * renamed, so a failed write leaves no partial checkpoint at `path`.
 */
export function writeCheckpoint(m: LlamaModel, path: string): void {
  for (const [k, n] of tensorSizes(m.config))
    if (m.weights[k].length !== n)
      throw new CheckpointError("tensor has the wrong size for the config", {
        tensor: k,
        length: m.weights[k].length,
        expected: n,
      });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    const h = new Uint8Array(HEADER_BYTES);
    const dv = new DataView(h.buffer);
    headerOf(m.config).forEach((v, i) => dv.setInt32(4 * i, v, true));
    writeSync(fd, h);
    for (const [k] of tensorSizes(m.config)) {
      const a = m.weights[k];
      const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      for (let o = 0; o < b.length; o += CHUNK) writeSync(fd, b, o, Math.min(CHUNK, b.length - o));
    }
    closeSync(fd);
    renameSync(tmp, path);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    rmSync(tmp, { force: true });
    throw e;
  }
}
