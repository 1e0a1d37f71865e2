/**
 * The library's model format, ZKG (ml/FORMAT.md is the spec), and ZKB, its compact word form that
 * guests embed (ml/guests/src/graph.c).
 *
 * ZKG: "ZKG1" | u32 version (1) | u32 jsonLen | JSON header (UTF-8), zero-padded to 4 bytes | data.
 *   The header holds {name, outputs, nodes}; const nodes carry {offset, length} into the data
 *   region (offsets 4-aligned), op nodes name their op ("MATMUL_I8") and list input node indices.
 *   Like safetensors: a readable header, raw little-endian tensors, no code execution on load.
 * ZKB (little-endian u32 words): magic 0x31424b5a ("ZKB1"), nNodes, nOutputs, outputs[nOutputs],
 *   then per node: kind (0 const, 1 input, 2 op), byteLen, and
 *     const: data zero-padded to 4 bytes;  input: nothing;  op: op, np, params[np], ni, inputs[ni].
 *
 * Pitfalls: parsing never trusts the header: every offset, length, index and op is range-checked
 * and the graph is validated (graph.ts) before use; errors are FormatError with the bad value.
 */
import { ZkfpError } from "../../vm/errors.ts";
import { OP, OP_NAMES } from "../dnn/ops.ts";
import { type Graph, type GraphNode, type DType, DTYPES, byteLen, validateGraph, GraphError } from "./graph.ts";

export class FormatError extends ZkfpError {
  override readonly name = "FormatError";
}

const MAGIC = 0x31474b5a; // "ZKG1"
export const ZKB_MAGIC = 0x31424b5a; // "ZKB1"

type HeaderNode =
  | { kind: "const"; name: string; dtype: DType; shape: number[]; offset: number; length: number }
  | { kind: "input"; name: string; dtype: DType; shape: number[] }
  | { kind: "op"; name: string; op: string; params: number[]; inputs: number[]; dtype: DType; shape: number[] };

export function serializeZkg(g: Graph): Uint8Array {
  validateGraph(g);
  let off = 0;
  const consts: Uint8Array[] = [];
  const nodes: HeaderNode[] = g.nodes.map((n) => {
    if (n.kind === "const") {
      const h: HeaderNode = {
        kind: "const",
        name: n.name,
        dtype: n.dtype,
        shape: n.shape,
        offset: off,
        length: n.data.length,
      };
      consts.push(n.data);
      off += (n.data.length + 3) & ~3;
      return h;
    }
    if (n.kind === "input") return { kind: "input", name: n.name, dtype: n.dtype, shape: n.shape };
    return {
      kind: "op",
      name: n.name,
      op: OP_NAMES[n.op]!,
      params: n.params,
      inputs: n.inputs,
      dtype: n.dtype,
      shape: n.shape,
    };
  });
  const json = new TextEncoder().encode(JSON.stringify({ name: g.name, outputs: g.outputs, nodes }));
  const jl = (json.length + 3) & ~3;
  const out = new Uint8Array(12 + jl + off);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, 1, true);
  dv.setUint32(8, json.length, true);
  out.set(json, 12);
  let p = 12 + jl;
  for (const c of consts) {
    out.set(c, p);
    p += (c.length + 3) & ~3;
  }
  return out;
}

export function parseZkg(bytes: Uint8Array): Graph {
  if (bytes.length < 12) throw new FormatError("file too short for a ZKG header", { length: bytes.length });
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== MAGIC)
    throw new FormatError("not a ZKG file (bad magic)", { magic: dv.getUint32(0, true).toString(16) });
  if (dv.getUint32(4, true) !== 1) throw new FormatError("unsupported ZKG version", { version: dv.getUint32(4, true) });
  const jlen = dv.getUint32(8, true);
  if (12 + jlen > bytes.length)
    throw new FormatError("header length beyond end of file", { jsonLen: jlen, length: bytes.length });
  let h: { name?: unknown; outputs?: unknown; nodes?: unknown };
  try {
    h = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(12, 12 + jlen)));
  } catch (e) {
    throw new FormatError("ZKG header is not valid JSON", { error: String(e) });
  }
  if (typeof h !== "object" || h === null || !Array.isArray(h.nodes) || !Array.isArray(h.outputs))
    throw new FormatError("ZKG header lacks nodes/outputs", {});
  const data = bytes.subarray(12 + ((jlen + 3) & ~3));
  const isInts = (a: unknown): a is number[] => Array.isArray(a) && a.every((x) => Number.isInteger(x));
  const nodes: GraphNode[] = (h.nodes as HeaderNode[]).map((n, i) => {
    if (typeof n !== "object" || n === null || typeof n.name !== "string")
      throw new FormatError("malformed node", { index: i });
    if (!DTYPES.includes(n.dtype) || !isInts(n.shape))
      throw new FormatError("node has a bad dtype or shape", { node: n.name, dtype: n.dtype });
    if (n.kind === "const") {
      if (
        !Number.isInteger(n.offset) ||
        !Number.isInteger(n.length) ||
        n.offset < 0 ||
        n.offset % 4 !== 0 ||
        n.offset + n.length > data.length
      )
        throw new FormatError("const tensor outside the data region", {
          node: n.name,
          offset: n.offset,
          length: n.length,
          data: data.length,
        });
      return {
        kind: "const",
        name: n.name,
        dtype: n.dtype,
        shape: n.shape,
        data: data.slice(n.offset, n.offset + n.length),
      };
    }
    if (n.kind === "input") return { kind: "input", name: n.name, dtype: n.dtype, shape: n.shape };
    if (n.kind === "op") {
      const op = (OP as Record<string, number>)[n.op];
      if (op === undefined) throw new FormatError("unknown op", { node: n.name, op: n.op });
      if (!isInts(n.params) || !isInts(n.inputs))
        throw new FormatError("op node has bad params or inputs", { node: n.name });
      return { kind: "op", name: n.name, op, params: n.params, inputs: n.inputs, dtype: n.dtype, shape: n.shape };
    }
    throw new FormatError("unknown node kind", {
      node: (n as { name: string }).name,
      kind: (n as { kind: unknown }).kind,
    });
  });
  const g: Graph = { name: typeof h.name === "string" ? h.name : "model", nodes, outputs: h.outputs as number[] };
  try {
    validateGraph(g);
  } catch (e) {
    if (e instanceof GraphError) throw new FormatError(`invalid graph: ${e.message}`, e.detail);
    throw e;
  }
  return g;
}

/** The compact word form embedded in guests (see header). */
export function serializeZkb(g: Graph): Uint8Array {
  validateGraph(g);
  const w: number[] = [ZKB_MAGIC, g.nodes.length, g.outputs.length, ...g.outputs];
  const chunks: Uint8Array[] = [];
  const flush = () => {
    chunks.push(new Uint8Array(new Uint32Array(w.splice(0)).buffer));
  };
  for (const n of g.nodes) {
    w.push(n.kind === "const" ? 0 : n.kind === "input" ? 1 : 2, byteLen(n));
    if (n.kind === "const") {
      flush();
      const p = new Uint8Array((n.data.length + 3) & ~3);
      p.set(n.data);
      chunks.push(p);
    } else if (n.kind === "op")
      w.push(n.op, n.params.length, ...n.params.map((x) => x >>> 0), n.inputs.length, ...n.inputs);
  }
  flush();
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
