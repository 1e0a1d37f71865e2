/**
 * A LLaMA-architecture model (any llama2.c shape, GQA included) as a TILED computation graph:
 * greedy decoding unrolled over `positions`, every node small enough for the node program
 * (tiling.ts: <= 2^16 multiply-adds per matmul tile, weights in 256 KiB tiles, embedding tables
 * <= 1 MiB). All const nodes (weight tiles) come first, then
 * the prompt-token inputs, then the ops, so the graph root before the first op binds every weight
 * and the input (ml/FORMAT.md).
 *
 * Per position p (tok_p = prompt[p] or the previous argmax):
 *
 *   embedding (no data-dependent node choice): for each token tile j covering rows [a_j, a_j+126):
 *     s_j = ADD_I32(tok, 1 - a_j); y_j = REQUANT_I8(s_j; M 1, S 0, [0, 127]);
 *     i_j = MATMUL_I8([1], y_j, [0])  in [0, 127];  e_jc = EMBED(T_jc, i_j)
 *     where T_jc = [zero row, rows a_j..a_j+125 (columns of chunk c), zero row(s)], so e_jc is
 *     token row tok's chunk if tok is in tile j and +0 otherwise;  x_c = e_0c + e_1c + ... (ADD_F32),
 *     x = CONCAT of the chunks. Exactly one term is non-zero, so x = E[tok] bit for bit except that
 *     a -0 weight comes out +0 (x + +0) and NaN payloads are canonical. A token outside [0, vocab)
 *     gives the zero vector (the untiled EMBED rejects it), so every int32 prompt token has a defined
 *     answer: `llamaInputs` takes any int32 (a claim on any token must be challengeable; attack3).
 *   per layer l:
 *     xb = RMSNORM(x, rms_att)
 *     per head h:    q_h = CONCAT of q row tiles of head h ; qr_h = ROPE(q_h, freq, p)
 *     per kv head g: k_g, v_g likewise; kr_g = ROPE(k_g); kc_g = CONCAT(kc_g, kr_g); vc_g = CONCAT(vc_g, v_g)
 *     att_h = ATTENTION(1, 1, hs, p + 1)(qr_h, kc_g(h), vc_g(h))      g(h) = h / (n_heads / n_kv_heads)
 *     att = CONCAT tree of att_h ; x = ADD(x, rows of wo . att)
 *     xb2 = RMSNORM(x, rms_ffn) ; x = ADD(x, w2 . SWIGLU(w1 . xb2, w3 . xb2))
 *   logits = CONCAT tree of wcls row tiles . RMSNORM(x, rms_final) ; next = ARGMAX(logits)
 *
 * Per-head RoPE/attention and row tiles compute the same float32 operations in the same order as the
 * untiled ops (ml/models/stories/graph.ts), so on stories260K the logits are bit-identical to the
 * untiled graph (tested). CONCAT trees are balanced (depth log2 of the tile count).
 */
import { OP } from "../../dnn/ops.ts";
import { type Graph, byteLen, constNode, inputNode, opNode } from "../../graph/graph.ts";
import { ZkfpError } from "../../../vm/errors.ts";
import { type LlamaModel, ropeFreqs } from "./checkpoint.ts";
import { EMBED_ROWS, EMBED_TABLE_ROWS, MAX_EMBED_TABLE_BYTES, MAX_TILE_MACS, planEmbed, planRows } from "./tiling.ts";

export class LlamaGraphError extends ZkfpError {
  override readonly name = "LlamaGraphError";
}

export type LlamaGraph = {
  graph: Graph;
  logits: number[];
  next: number[];
  firstOp: number;
  promptInputs: string[];
  /** op nodes per position (the first position has no KV-cache CONCATs) */
  opsPerPosition: number[];
  constNodes: number;
};

export type TileOptions = { maxMacs?: number; maxEmbedBytes?: number };

const view = (a: Float32Array, off: number, n: number) => new Uint8Array(a.buffer, a.byteOffset + 4 * off, 4 * n);
const i32b = (v: number) => new Uint8Array(new Int32Array([v]).buffer);

type Tiles = { start: number; rows: number; node: number }[];

export function buildLlamaGraph(
  m: LlamaModel,
  promptLen: number,
  positions: number,
  opts: TileOptions = {},
): LlamaGraph {
  const { dim, hiddenDim: hd, nLayers, nHeads, nKvHeads, vocabSize: V, seqLen } = m.config;
  const hs = m.headSize,
    kv = m.kvDim,
    kvMul = nHeads / nKvHeads;
  const maxMacs = opts.maxMacs ?? MAX_TILE_MACS;
  if (!(Number.isInteger(positions) && positions >= 1 && positions <= seqLen))
    throw new LlamaGraphError("positions must be in [1, seq_len]", { positions, seqLen });
  if (!(Number.isInteger(promptLen) && promptLen >= 1 && promptLen <= positions))
    throw new LlamaGraphError("prompt must hold 1..positions tokens", { promptLen, positions });
  const g: Graph = { name: `llama-${dim}x${nLayers}-${promptLen}-${positions}`, nodes: [], outputs: [] };
  const w = m.weights;

  // ---- constants ----
  const matTiles = (name: string, a: Float32Array, layer: number, rows: number, cols: number, segment: number): Tiles =>
    planRows(rows, cols, segment, maxMacs).map((t) => ({
      ...t,
      node: constNode(
        g,
        `${name}[${t.start}:${t.start + t.rows}]`,
        "f32",
        [t.rows, cols],
        view(a, layer * rows * cols + t.start * cols, t.rows * cols),
      ),
    }));
  const embedPlan = planEmbed(V, dim, opts.maxEmbedBytes ?? MAX_EMBED_TABLE_BYTES);
  const embedTables = embedPlan.map((t) => {
    const tab = new Float32Array(EMBED_TABLE_ROWS * t.cols);
    for (let r = 0; r < t.rows; r++)
      tab.set(
        w.tokenEmbedding.subarray((t.start + r) * dim + t.colStart, (t.start + r) * dim + t.colStart + t.cols),
        (r + 1) * t.cols,
      );
    return {
      ...t,
      node: constNode(
        g,
        `embed[${t.start}:${t.start + t.rows}][${t.colStart}:${t.colStart + t.cols}]`,
        "f32",
        [EMBED_TABLE_ROWS, t.cols],
        new Uint8Array(tab.buffer),
      ),
    };
  });
  const tokenTiles = [...new Set(embedPlan.map((t) => t.start))];
  const tileOffset = new Map(tokenTiles.map((s) => [s, constNode(g, `embed_offset[${s}]`, "i32", [1], i32b(1 - s))]));
  const one = constNode(g, "embed_one", "i8", [1], new Uint8Array([1]));
  const bias0 = constNode(g, "embed_bias", "i32", [1], i32b(0));
  const L = Array.from({ length: nLayers }, (_, l) => ({
    rmsAtt: constNode(g, `l${l}.rms_att`, "f32", [dim], view(w.rmsAtt, l * dim, dim)),
    wq: matTiles(`l${l}.wq`, w.wq, l, dim, dim, hs),
    wk: matTiles(`l${l}.wk`, w.wk, l, kv, dim, hs),
    wv: matTiles(`l${l}.wv`, w.wv, l, kv, dim, hs),
    wo: matTiles(`l${l}.wo`, w.wo, l, dim, dim, dim),
    rmsFfn: constNode(g, `l${l}.rms_ffn`, "f32", [dim], view(w.rmsFfn, l * dim, dim)),
    w1: matTiles(`l${l}.w1`, w.w1, l, hd, dim, hd),
    w2: matTiles(`l${l}.w2`, w.w2, l, dim, hd, dim),
    w3: matTiles(`l${l}.w3`, w.w3, l, hd, dim, hd),
  }));
  const rmsFinal = constNode(g, "rms_final", "f32", [dim], view(w.rmsFinal, 0, dim));
  const wcls = matTiles("wcls", w.wcls, 0, V, dim, V);
  const freq = constNode(g, "rope_freq", "f32", [hs / 2], new Uint8Array(ropeFreqs(hs).buffer));
  const constNodes = g.nodes.length;
  const promptInputs = Array.from({ length: promptLen }, (_, p) => `tok${p}`);
  const toks = promptInputs.map((name) => inputNode(g, name, "i32", [1]));
  const firstOp = g.nodes.length;

  // ---- ops ----
  const concat = (name: string, parts: number[]): number => {
    let lvl = parts;
    for (let d = 0; lvl.length > 1; d++) {
      const next: number[] = [];
      for (let i = 0; i < lvl.length; i += 2) {
        if (i + 1 === lvl.length) {
          next.push(lvl[i]!);
          continue;
        }
        const a = lvl[i]!,
          b = lvl[i + 1]!;
        next.push(
          opNode(g, `${name}.cat${d}.${i >> 1}`, OP.CONCAT, [byteLen(g.nodes[a]!), byteLen(g.nodes[b]!)], [a, b]),
        );
      }
      lvl = next;
    }
    return lvl[0]!;
  };
  /** rows [lo, hi) of W . x, from whole tiles */
  const matmul = (name: string, tiles: Tiles, cols: number, x: number, lo: number, hi: number): number => {
    const parts = tiles
      .filter((t) => t.start >= lo && t.start + t.rows <= hi)
      .map((t) => opNode(g, `${name}[${t.start}:${t.start + t.rows}]`, OP.MATMUL_F32, [t.rows, cols], [t.node, x]));
    return concat(name, parts);
  };
  const kc: number[][] = [],
    vc: number[][] = [];
  const logits: number[] = [],
    next: number[] = [],
    opsPerPosition: number[] = [];
  for (let p = 0; p < positions; p++) {
    const before = g.nodes.length;
    const tok = p < promptLen ? toks[p]! : next[p - 1]!;
    // embedding
    const idx = new Map<number, number>();
    for (const s of tokenTiles) {
      const sj = opNode(g, `p${p}.embed.sel[${s}]`, OP.ADD_I32, [1], [tok, tileOffset.get(s)!]);
      const yj = opNode(g, `p${p}.embed.clamp[${s}]`, OP.REQUANT_I8, [1, 0, 1, 0, 0, EMBED_TABLE_ROWS - 1], [sj]);
      idx.set(s, opNode(g, `p${p}.embed.idx[${s}]`, OP.MATMUL_I8, [1, 1], [one, yj, bias0]));
    }
    const chunks = new Map<number, number>();
    for (const t of embedTables) {
      const e = opNode(
        g,
        `p${p}.embed.row[${t.start}][${t.colStart}]`,
        OP.EMBED_F32,
        [EMBED_TABLE_ROWS, t.cols],
        [t.node, idx.get(t.start)!],
      );
      const acc = chunks.get(t.colStart);
      chunks.set(
        t.colStart,
        acc === undefined ? e : opNode(g, `p${p}.embed.sum[${t.start}][${t.colStart}]`, OP.ADD_F32, [t.cols], [acc, e]),
      );
    }
    let x = concat(`p${p}.embed`, [...chunks.values()]);
    L.forEach((lw, l) => {
      const n = (s: string) => `p${p}.l${l}.${s}`;
      const xb = opNode(g, n("rms_att"), OP.RMSNORM_F32, [dim], [x, lw.rmsAtt]);
      kc[l] ??= [];
      vc[l] ??= [];
      for (let kh = 0; kh < nKvHeads; kh++) {
        const k = matmul(n(`k${kh}`), lw.wk, dim, xb, kh * hs, (kh + 1) * hs);
        const v = matmul(n(`v${kh}`), lw.wv, dim, xb, kh * hs, (kh + 1) * hs);
        const kr = opNode(g, n(`k${kh}_rope`), OP.ROPE_F32, [hs, hs, p], [k, freq]);
        kc[l]![kh] = p === 0 ? kr : opNode(g, n(`k${kh}_cache`), OP.CONCAT, [4 * p * hs, 4 * hs], [kc[l]![kh]!, kr]);
        vc[l]![kh] = p === 0 ? v : opNode(g, n(`v${kh}_cache`), OP.CONCAT, [4 * p * hs, 4 * hs], [vc[l]![kh]!, v]);
      }
      const heads: number[] = [];
      for (let h = 0; h < nHeads; h++) {
        const q = matmul(n(`q${h}`), lw.wq, dim, xb, h * hs, (h + 1) * hs);
        const qr = opNode(g, n(`q${h}_rope`), OP.ROPE_F32, [hs, hs, p], [q, freq]);
        const kh = Math.floor(h / kvMul);
        heads.push(opNode(g, n(`att${h}`), OP.ATTENTION_F32, [1, 1, hs, p + 1], [qr, kc[l]![kh]!, vc[l]![kh]!]));
      }
      const att = concat(n("att"), heads);
      x = opNode(g, n("res_att"), OP.ADD_F32, [dim], [x, matmul(n("wo"), lw.wo, dim, att, 0, dim)]);
      const xb2 = opNode(g, n("rms_ffn"), OP.RMSNORM_F32, [dim], [x, lw.rmsFfn]);
      const h1 = matmul(n("w1"), lw.w1, dim, xb2, 0, hd);
      const h3 = matmul(n("w3"), lw.w3, dim, xb2, 0, hd);
      const sg = opNode(g, n("swiglu"), OP.SWIGLU_F32, [hd], [h1, h3]);
      x = opNode(g, n("res_ffn"), OP.ADD_F32, [dim], [x, matmul(n("w2"), lw.w2, hd, sg, 0, dim)]);
    });
    const xf = opNode(g, `p${p}.rms_final`, OP.RMSNORM_F32, [dim], [x, rmsFinal]);
    logits.push(matmul(`p${p}.logits`, wcls, dim, xf, 0, V));
    next.push(opNode(g, `p${p}.next`, OP.ARGMAX_F32, [V], [logits[p]!]));
    opsPerPosition.push(g.nodes.length - before);
  }
  g.outputs = next;
  return { graph: g, logits, next, firstOp, promptInputs, opsPerPosition, constNodes };
}

/**
 * Graph inputs for a prompt: one i32 input node per token. Any int32 is accepted (a token outside
 * [0, vocab) embeds as the zero vector, see the header): the claim binding takes any 4 bytes per
 * token, so an honest party must be able to build the trace of every such claim. `vocab` is kept
 * for callers; only non-int32 values are refused.
 */
export function llamaInputs(prompt: readonly number[], _vocab: number): Record<string, Uint8Array> {
  prompt.forEach((t) => {
    if (!(Number.isInteger(t) && t >= -(2 ** 31) && t < 2 ** 31))
      throw new LlamaGraphError("prompt token is not an int32", { token: t });
  });
  return Object.fromEntries(prompt.map((t, p) => [`tok${p}`, i32b(t)]));
}

export { EMBED_ROWS };
