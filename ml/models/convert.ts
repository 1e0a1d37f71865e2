/**
 * Converter from the framework-neutral model format (ml/FORMAT.md, "neutral") into the library's
 * ZKG graph. Entry point: `npx tsx ml/models/convert.ts model.json [tensors.bin] out.zkg`.
 *
 * Neutral format: a JSON graph plus one raw little-endian tensor file:
 *   { "format": "zkfp-neutral-1", "name": "...",
 *     "tensors": { "<name>": { "dtype": "f32|i32|i8|u8", "shape": [..], "offset": <byte offset in .bin> } },
 *     "inputs":  [ { "name": "...", "dtype": "...", "shape": [..] } ],
 *     "nodes":   [ { "op": "...", "inputs": ["<tensor|input|output name>", ..], "output": "<name>", "attrs": {..} } ],
 *     "outputs": [ "<name>", .. ] }
 * Ops (ONNX-style names, y = W x with W stored [out, in] as in PyTorch's Linear):
 *   Gemm(x, W[, b])        f32 -> MATMUL_F32 (+ ADD_F32);  i8 x, i8 W, i32 b -> MATMUL_I8 (b required, zero if absent)
 *   Add, Relu              f32 or i32;  Softmax, Silu, Exp, Sqrt, Sin, Cos (f32);  ArgMax (f32 or i32)
 *   RMSNorm(x, w)          llama2.c rmsnorm, eps 1e-5;  SwiGLU(a, b) = silu(a) * b
 *   Gather(table, index)   table f32 [vocab, dim], index i32 [1] -> EMBED_F32
 *   Concat(a, b)           flat byte concatenation, equal dtypes
 *   RoPE(x, freq)          attrs {head_size, pos}
 *   Attention(q, k, v)     attrs {n_heads, n_kv_heads, head_size}; k, v hold all positions so far
 *   Requant(x)             attrs {multiplier, shift, min, max}: clamp(floor((x*multiplier + 2^(shift-1)) / 2^shift))
 *                          from i32, u8 or i8 to i8
 *   zkfp.<OP>(..)          any library op verbatim, attrs {params: [..]}
 * Every problem is a ConvertError naming the node or tensor.
 */
import { readFileSync, writeFileSync, renameSync } from "node:fs";
import { ZkfpError } from "../../vm/errors.ts";
import { OP } from "../dnn/ops.ts";
import {
  type Graph,
  type DType,
  DTYPES,
  DTYPE_SIZE,
  constNode,
  inputNode,
  opNode,
  numel,
  GraphError,
} from "../graph/graph.ts";
import { serializeZkg } from "../graph/format.ts";

export class ConvertError extends ZkfpError {
  override readonly name = "ConvertError";
}

export type NeutralTensor = { dtype: DType; shape: number[]; offset: number };
export type NeutralNode = { op: string; inputs: string[]; output: string; attrs?: Record<string, unknown> };
export type NeutralModel = {
  format: "zkfp-neutral-1";
  name: string;
  tensors: Record<string, NeutralTensor>;
  inputs: { name: string; dtype: DType; shape: number[] }[];
  nodes: NeutralNode[];
  outputs: string[];
};

export function convertNeutral(model: NeutralModel, bin: Uint8Array): Graph {
  if (model?.format !== "zkfp-neutral-1")
    throw new ConvertError("not a zkfp-neutral-1 model", { format: model?.format });
  const g: Graph = { name: model.name ?? "model", nodes: [], outputs: [] };
  const ids = new Map<string, number>();
  const def = (name: string, id: number) => {
    if (ids.has(name)) throw new ConvertError("name defined twice", { name });
    ids.set(name, id);
  };
  const shapeOk = (s: unknown): s is number[] => Array.isArray(s) && s.every((d) => Number.isInteger(d) && d >= 0);
  for (const [name, t] of Object.entries(model.tensors ?? {})) {
    if (!DTYPES.includes(t.dtype) || !shapeOk(t.shape))
      throw new ConvertError("tensor has a bad dtype or shape", { tensor: name, dtype: t.dtype, shape: t.shape });
    const len = numel(t.shape) * DTYPE_SIZE[t.dtype];
    if (!Number.isInteger(t.offset) || t.offset < 0 || t.offset + len > bin.length)
      throw new ConvertError("tensor lies outside the tensor file", {
        tensor: name,
        offset: t.offset,
        length: len,
        file: bin.length,
      });
    def(name, constNode(g, name, t.dtype, t.shape, bin.slice(t.offset, t.offset + len)));
  }
  for (const i of model.inputs ?? []) {
    if (!DTYPES.includes(i.dtype) || !shapeOk(i.shape))
      throw new ConvertError("input has a bad dtype or shape", { input: i.name });
    def(i.name, inputNode(g, i.name, i.dtype, i.shape));
  }
  let zeroBias = 0;
  for (const n of model.nodes ?? []) {
    const ins = (n.inputs ?? []).map((s) => {
      const id = ids.get(s);
      if (id === undefined) throw new ConvertError("node input is not defined earlier", { node: n.output, input: s });
      return id;
    });
    const nd = (k: number) => g.nodes[ins[k]!]!;
    const len = (k: number) => numel(nd(k).shape);
    const a = n.attrs ?? {};
    const int = (k: string) => {
      const v = a[k];
      if (!Number.isInteger(v))
        throw new ConvertError(`attribute ${k} must be an integer`, { node: n.output, attr: k, value: v });
      return v as number;
    };
    const arity = (k: number) => {
      if (ins.length !== k) throw new ConvertError(`${n.op} takes ${k} inputs`, { node: n.output, inputs: ins.length });
    };
    let id: number;
    try {
      switch (n.op) {
        case "Gemm": {
          if (ins.length < 2 || ins.length > 3) throw new ConvertError("Gemm takes 2 or 3 inputs", { node: n.output });
          const w = nd(1);
          if (w.shape.length !== 2)
            throw new ConvertError("Gemm weight must be 2-D [out, in]", { node: n.output, shape: w.shape });
          const [o, i] = w.shape as [number, number];
          if (w.dtype === "i8") {
            let b = ins[2];
            if (b === undefined)
              b = constNode(g, `${n.output}.zero_bias${zeroBias++}`, "i32", [o], new Uint8Array(4 * o));
            id = opNode(g, n.output, OP.MATMUL_I8, [o, i], [ins[1]!, ins[0]!, b]);
          } else if (ins.length === 3) {
            const m = opNode(g, `${n.output}.matmul`, OP.MATMUL_F32, [o, i], [ins[1]!, ins[0]!]);
            id = opNode(g, n.output, OP.ADD_F32, [o], [m, ins[2]!]);
          } else id = opNode(g, n.output, OP.MATMUL_F32, [o, i], [ins[1]!, ins[0]!]);
          break;
        }
        case "Add":
          arity(2);
          id = opNode(g, n.output, nd(0).dtype === "i32" ? OP.ADD_I32 : OP.ADD_F32, [len(0)], ins);
          break;
        case "Relu":
          arity(1);
          id = opNode(g, n.output, nd(0).dtype === "i32" ? OP.RELU_I32 : OP.RELU_F32, [len(0)], ins);
          break;
        case "ArgMax":
          arity(1);
          id = opNode(g, n.output, nd(0).dtype === "i32" ? OP.ARGMAX_I32 : OP.ARGMAX_F32, [len(0)], ins);
          break;
        case "Softmax":
          arity(1);
          id = opNode(g, n.output, OP.SOFTMAX_F32, [len(0)], ins);
          break;
        case "Silu":
          arity(1);
          id = opNode(g, n.output, OP.SILU_F32, [len(0)], ins);
          break;
        case "Exp":
          arity(1);
          id = opNode(g, n.output, OP.EXP_F32, [len(0)], ins);
          break;
        case "Sqrt":
          arity(1);
          id = opNode(g, n.output, OP.SQRT_F32, [len(0)], ins);
          break;
        case "Sin":
          arity(1);
          id = opNode(g, n.output, OP.SIN_F32, [len(0)], ins);
          break;
        case "Cos":
          arity(1);
          id = opNode(g, n.output, OP.COS_F32, [len(0)], ins);
          break;
        case "RMSNorm":
          arity(2);
          id = opNode(g, n.output, OP.RMSNORM_F32, [len(0)], ins);
          break;
        case "SwiGLU":
          arity(2);
          id = opNode(g, n.output, OP.SWIGLU_F32, [len(0)], ins);
          break;
        case "Gather":
          arity(2);
          id = opNode(g, n.output, OP.EMBED_F32, [nd(0).shape[0]!, numel(nd(0).shape.slice(1))], ins);
          break;
        case "Concat":
          arity(2);
          id = opNode(
            g,
            n.output,
            OP.CONCAT,
            [len(0) * DTYPE_SIZE[nd(0).dtype], len(1) * DTYPE_SIZE[nd(1).dtype]],
            ins,
          );
          break;
        case "RoPE":
          arity(2);
          id = opNode(g, n.output, OP.ROPE_F32, [len(0), int("head_size"), int("pos")], ins);
          break;
        case "Attention": {
          arity(3);
          const nh = int("n_heads"),
            kv = int("n_kv_heads"),
            hs = int("head_size");
          id = opNode(g, n.output, OP.ATTENTION_F32, [nh, kv, hs, len(1) / (kv * hs)], ins);
          break;
        }
        case "Requant": {
          arity(1);
          const src = { i32: 0, u8: 1, i8: 2 }[nd(0).dtype as "i32"];
          if (src === undefined)
            throw new ConvertError("Requant input must be i32, u8 or i8", { node: n.output, dtype: nd(0).dtype });
          id = opNode(
            g,
            n.output,
            OP.REQUANT_I8,
            [len(0), src, int("multiplier"), int("shift"), int("min"), int("max")],
            ins,
          );
          break;
        }
        default: {
          const op = n.op.startsWith("zkfp.") ? (OP as Record<string, number>)[n.op.slice(5)] : undefined;
          if (op === undefined) throw new ConvertError("unsupported op", { node: n.output, op: n.op });
          const params = a.params;
          if (!Array.isArray(params) || !params.every((x) => Number.isInteger(x)))
            throw new ConvertError("zkfp.* ops need attrs.params (integers)", { node: n.output });
          id = opNode(g, n.output, op, params as number[], ins);
        }
      }
    } catch (e) {
      if (e instanceof GraphError) throw new ConvertError(`node ${n.output}: ${e.message}`, e.detail);
      throw e;
    }
    def(n.output, id);
  }
  g.outputs = (model.outputs ?? []).map((o) => {
    const id = ids.get(o);
    if (id === undefined) throw new ConvertError("output is not defined", { output: o });
    return id;
  });
  return g;
}

/** Writes a ZKG file atomically (temp name, then rename). */
export function writeZkg(path: string, g: Graph): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, serializeZkg(g));
  renameSync(tmp, path);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const [json, a, b] = process.argv.slice(2);
  if (!json || !a) {
    process.stderr.write("usage: tsx ml/models/convert.ts model.json [tensors.bin] out.zkg\n");
    process.exit(64);
  }
  const bin = b ? a : json.replace(/\.json$/, ".bin");
  const out = b ?? a;
  const g = convertNeutral(JSON.parse(readFileSync(json, "utf8")) as NeutralModel, new Uint8Array(readFileSync(bin)));
  writeZkg(out, g);
  process.stdout.write(`${out}: ${g.nodes.length} nodes\n`);
}
