/**
 * stories260K as a computation graph: greedy decoding unrolled over `positions` positions.
 * Nodes: constants (embedding, per-layer weights, final norm, RoPE frequency table), one i32 input per
 * prompt token, then per position p (17 op nodes per layer for p > 0, 15 at p = 0):
 *
 *   tok_p = prompt[p] (input) or argmax_{p-1};  x = EMBED(E, tok_p)
 *   per layer: xb = RMSNORM(x, rms_att) ; q, k, v = MATMUL(wq|wk|wv, xb) ; q, k = ROPE(., freq, pos p)
 *              kc = CONCAT(kc_{p-1}, k), vc = CONCAT(vc_{p-1}, v)   (the KV cache as graph values)
 *              att = ATTENTION(q, kc, vc) ; x = ADD(x, MATMUL(wo, att))
 *              xb = RMSNORM(x, rms_ffn) ; x = ADD(x, MATMUL(w2, SWIGLU(MATMUL(w1, xb), MATMUL(w3, xb))))
 *   logits_p = MATMUL(wcls, RMSNORM(x, rms_final)) ; argmax_p = ARGMAX(logits_p)
 *
 * Every node has at most 3 inputs (so a phase link proves at most 3 input leaves), which is why the
 * KV cache is carried by CONCAT nodes rather than by attention nodes with p + 1 inputs.
 * The same math, in the same float32 order, is ml/guests/src/stories.c (the in-VM model).
 */
import { OP } from "../../dnn/ops.ts";
import { type Graph, constNode, inputNode, opNode } from "../../graph/graph.ts";
import { ZkfpError } from "../../../vm/errors.ts";
import { type Checkpoint, ropeFreqs } from "./checkpoint.ts";

export class StoriesError extends ZkfpError {
  override readonly name = "StoriesError";
}

export type StoriesGraph = { graph: Graph; logits: number[]; next: number[]; firstOp: number; promptInputs: string[] };

const bytesOf = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();

export function buildStoriesGraph(ck: Checkpoint, promptLen: number, positions: number): StoriesGraph {
  const { dim, hiddenDim: hd, nLayers, nHeads, nKvHeads, vocabSize } = ck.config;
  const hs = ck.headSize,
    kv = ck.kvDim;
  if (!(Number.isInteger(promptLen) && promptLen >= 1 && promptLen <= positions))
    throw new StoriesError("prompt must hold 1..positions tokens", { promptLen, positions });
  if (!(Number.isInteger(positions) && positions <= ck.config.seqLen))
    throw new StoriesError("positions exceed the model's seq_len", { positions, seqLen: ck.config.seqLen });
  const g: Graph = { name: `stories260K-${promptLen}-${positions}`, nodes: [], outputs: [] };
  const w = ck.weights;
  const E = constNode(g, "token_embedding", "f32", [vocabSize, dim], bytesOf(w.tokenEmbedding));
  const L = Array.from({ length: nLayers }, (_, l) => ({
    rmsAtt: constNode(g, `l${l}.rms_att`, "f32", [dim], bytesOf(w.rmsAtt.subarray(l * dim, (l + 1) * dim))),
    wq: constNode(g, `l${l}.wq`, "f32", [dim, dim], bytesOf(w.wq.subarray(l * dim * dim, (l + 1) * dim * dim))),
    wk: constNode(g, `l${l}.wk`, "f32", [kv, dim], bytesOf(w.wk.subarray(l * kv * dim, (l + 1) * kv * dim))),
    wv: constNode(g, `l${l}.wv`, "f32", [kv, dim], bytesOf(w.wv.subarray(l * kv * dim, (l + 1) * kv * dim))),
    wo: constNode(g, `l${l}.wo`, "f32", [dim, dim], bytesOf(w.wo.subarray(l * dim * dim, (l + 1) * dim * dim))),
    rmsFfn: constNode(g, `l${l}.rms_ffn`, "f32", [dim], bytesOf(w.rmsFfn.subarray(l * dim, (l + 1) * dim))),
    w1: constNode(g, `l${l}.w1`, "f32", [hd, dim], bytesOf(w.w1.subarray(l * hd * dim, (l + 1) * hd * dim))),
    w2: constNode(g, `l${l}.w2`, "f32", [dim, hd], bytesOf(w.w2.subarray(l * dim * hd, (l + 1) * dim * hd))),
    w3: constNode(g, `l${l}.w3`, "f32", [hd, dim], bytesOf(w.w3.subarray(l * hd * dim, (l + 1) * hd * dim))),
  }));
  const rmsFinal = constNode(g, "rms_final", "f32", [dim], bytesOf(w.rmsFinal));
  const wcls = ck.config.sharedClassifier ? E : constNode(g, "wcls", "f32", [vocabSize, dim], bytesOf(w.wcls));
  const freq = constNode(g, "rope_freq", "f32", [hs / 2], bytesOf(ropeFreqs(hs)));
  const promptInputs = Array.from({ length: promptLen }, (_, p) => `tok${p}`);
  const toks = promptInputs.map((name) => inputNode(g, name, "i32", [1]));
  const firstOp = g.nodes.length;
  const kc: number[] = [],
    vc: number[] = [];
  const logits: number[] = [],
    next: number[] = [];
  for (let p = 0; p < positions; p++) {
    const tok = p < promptLen ? toks[p]! : next[p - 1]!;
    let x = opNode(g, `p${p}.embed`, OP.EMBED_F32, [vocabSize, dim], [E, tok]);
    L.forEach((lw, l) => {
      const n = (s: string) => `p${p}.l${l}.${s}`;
      const xb = opNode(g, n("rms_att"), OP.RMSNORM_F32, [dim], [x, lw.rmsAtt]);
      const q = opNode(g, n("q"), OP.MATMUL_F32, [dim, dim], [lw.wq, xb]);
      const k = opNode(g, n("k"), OP.MATMUL_F32, [kv, dim], [lw.wk, xb]);
      const v = opNode(g, n("v"), OP.MATMUL_F32, [kv, dim], [lw.wv, xb]);
      const qr = opNode(g, n("q_rope"), OP.ROPE_F32, [dim, hs, p], [q, freq]);
      const kr = opNode(g, n("k_rope"), OP.ROPE_F32, [kv, hs, p], [k, freq]);
      kc[l] = p === 0 ? kr : opNode(g, n("k_cache"), OP.CONCAT, [4 * p * kv, 4 * kv], [kc[l]!, kr]);
      vc[l] = p === 0 ? v : opNode(g, n("v_cache"), OP.CONCAT, [4 * p * kv, 4 * kv], [vc[l]!, v]);
      const att = opNode(g, n("attention"), OP.ATTENTION_F32, [nHeads, nKvHeads, hs, p + 1], [qr, kc[l]!, vc[l]!]);
      const o = opNode(g, n("wo"), OP.MATMUL_F32, [dim, dim], [lw.wo, att]);
      x = opNode(g, n("res_att"), OP.ADD_F32, [dim], [x, o]);
      const xb2 = opNode(g, n("rms_ffn"), OP.RMSNORM_F32, [dim], [x, lw.rmsFfn]);
      const h1 = opNode(g, n("w1"), OP.MATMUL_F32, [hd, dim], [lw.w1, xb2]);
      const h3 = opNode(g, n("w3"), OP.MATMUL_F32, [hd, dim], [lw.w3, xb2]);
      const sg = opNode(g, n("swiglu"), OP.SWIGLU_F32, [hd], [h1, h3]);
      const f = opNode(g, n("w2"), OP.MATMUL_F32, [dim, hd], [lw.w2, sg]);
      x = opNode(g, n("res_ffn"), OP.ADD_F32, [dim], [x, f]);
    });
    const xf = opNode(g, `p${p}.rms_final`, OP.RMSNORM_F32, [dim], [x, rmsFinal]);
    logits.push(opNode(g, `p${p}.logits`, OP.MATMUL_F32, [vocabSize, dim], [wcls, xf]));
    next.push(opNode(g, `p${p}.next`, OP.ARGMAX_F32, [vocabSize], [logits[p]!]));
  }
  g.outputs = next;
  return { graph: g, logits, next, firstOp, promptInputs };
}

/** graph inputs for a prompt */
export function promptInputs(prompt: readonly number[]): Record<string, Uint8Array> {
  return Object.fromEntries(prompt.map((t, p) => [`tok${p}`, new Uint8Array(new Int32Array([t]).buffer)]));
}
