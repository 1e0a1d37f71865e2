/**
 * The computation graph: a model is a topologically ordered list of nodes, one op each (ml/FORMAT.md).
 *
 *   const  node: a tensor fixed by the model (weights, tables)
 *   input  node: a tensor supplied per inference (image, prompt token)
 *   op     node: op code + int32 params (ml/dnn/ops.ts) applied to earlier nodes' outputs
 *
 * Every node has exactly one output tensor (dtype + flat element count); its bytes are the node's
 * committed value (commit.ts). Validation checks topological order, op parameters, and that every
 * input's byte length is the one the op expects, so a graph that validates can be run by both the
 * native executor and the node program without shape errors.
 */
import { ZkfpError } from "../../vm/errors.ts";
import { OP, OP_NAMES, inLen, nInputs, outLen, paramsOk } from "../dnn/ops.ts";

export class GraphError extends ZkfpError {
  override readonly name = "GraphError";
}

export type DType = "f32" | "i32" | "i8" | "u8";
export const DTYPE_SIZE: Record<DType, number> = { f32: 4, i32: 4, i8: 1, u8: 1 };
export const DTYPES = Object.keys(DTYPE_SIZE) as DType[];

export type ConstNode = { kind: "const"; name: string; dtype: DType; shape: number[]; data: Uint8Array };
export type InputNode = { kind: "input"; name: string; dtype: DType; shape: number[] };
export type OpNode = {
  kind: "op";
  name: string;
  op: number;
  params: number[];
  inputs: number[];
  dtype: DType;
  shape: number[];
};
export type GraphNode = ConstNode | InputNode | OpNode;
export type Graph = { name: string; nodes: GraphNode[]; outputs: number[] };

export const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
export const byteLen = (n: { dtype: DType; shape: readonly number[] }): number => numel(n.shape) * DTYPE_SIZE[n.dtype];

/** Output dtype of an op given its input dtypes; throws GraphError on a dtype mismatch. */
export function opOutDtype(op: number, params: readonly number[], ins: readonly DType[], where: string): DType {
  const need = (i: number, ok: DType[]) => {
    if (!ok.includes(ins[i]!))
      throw new GraphError(`${where}: input ${i} of ${OP_NAMES[op]} must be ${ok.join("|")}`, {
        node: where,
        input: i,
        dtype: ins[i],
      });
  };
  switch (op) {
    case OP.MATMUL_I8:
      need(0, ["i8"]);
      need(1, ["i8"]);
      need(2, ["i32"]);
      return "i32";
    case OP.REQUANT_I8:
      need(0, [params[1] === 0 ? "i32" : params[1] === 1 ? "u8" : "i8"]);
      return "i8";
    case OP.ADD_I32:
      need(0, ["i32"]);
      need(1, ["i32"]);
      return "i32";
    case OP.RELU_I32:
      need(0, ["i32"]);
      return "i32";
    case OP.ARGMAX_I32:
      need(0, ["i32"]);
      return "i32";
    case OP.ARGMAX_F32:
      need(0, ["f32"]);
      return "i32";
    case OP.EMBED_F32:
      need(0, ["f32"]);
      need(1, ["i32"]);
      return "f32";
    case OP.CONCAT:
      if (ins[0] !== ins[1]) throw new GraphError(`${where}: concat of different dtypes`, { node: where, dtypes: ins });
      return ins[0]!;
    default:
      ins.forEach((_, i) => need(i, ["f32"]));
      return "f32";
  }
}

/** Builds an op node, deriving its output dtype and shape (flat) from the graph so far. */
export function opNode(g: Graph, name: string, op: number, params: number[], inputs: number[]): number {
  const ins = inputs.map((i) => {
    const n = g.nodes[i];
    if (!n) throw new GraphError(`${name}: input refers to a missing node`, { node: name, input: i });
    return n;
  });
  if (!paramsOk(op, params))
    throw new GraphError(`${name}: bad parameters for ${OP_NAMES[op] ?? op}`, { node: name, op, params });
  if (inputs.length !== nInputs(op))
    throw new GraphError(`${name}: ${OP_NAMES[op]} takes ${nInputs(op)} inputs`, { node: name, inputs: inputs.length });
  ins.forEach((n, k) => {
    if (byteLen(n) !== inLen(op, params, k))
      throw new GraphError(`${name}: input ${n.name} has the wrong byte length`, {
        node: name,
        input: n.name,
        length: byteLen(n),
        expected: inLen(op, params, k),
      });
  });
  const dtype = opOutDtype(
    op,
    params,
    ins.map((n) => n.dtype),
    name,
  );
  const ol = outLen(op, params);
  g.nodes.push({ kind: "op", name, op, params, inputs, dtype, shape: [ol / DTYPE_SIZE[dtype]] });
  return g.nodes.length - 1;
}

export function constNode(g: Graph, name: string, dtype: DType, shape: number[], data: Uint8Array): number {
  if (data.length !== numel(shape) * DTYPE_SIZE[dtype])
    throw new GraphError(`${name}: data length does not match shape`, { node: name, length: data.length, shape });
  g.nodes.push({ kind: "const", name, dtype, shape, data });
  return g.nodes.length - 1;
}

export function inputNode(g: Graph, name: string, dtype: DType, shape: number[]): number {
  g.nodes.push({ kind: "input", name, dtype, shape });
  return g.nodes.length - 1;
}

/** Full structural check (used after parsing a file). */
export function validateGraph(g: Graph): void {
  const names = new Set<string>();
  g.nodes.forEach((n, idx) => {
    if (names.has(n.name)) throw new GraphError("duplicate node name", { node: n.name });
    names.add(n.name);
    if (!DTYPES.includes(n.dtype)) throw new GraphError("unknown dtype", { node: n.name, dtype: n.dtype });
    if (!n.shape.every((d) => Number.isInteger(d) && d >= 0))
      throw new GraphError("bad shape", { node: n.name, shape: n.shape });
    if (n.kind === "const" && n.data.length !== byteLen(n))
      throw new GraphError("const data length does not match its shape", {
        node: n.name,
        length: n.data.length,
        expected: byteLen(n),
      });
    if (n.kind !== "op") return;
    if (!paramsOk(n.op, n.params))
      throw new GraphError("bad op or parameters", { node: n.name, op: n.op, params: n.params });
    if (n.inputs.length !== nInputs(n.op))
      throw new GraphError("wrong number of inputs", {
        node: n.name,
        inputs: n.inputs.length,
        expected: nInputs(n.op),
      });
    n.inputs.forEach((i, k) => {
      if (!Number.isInteger(i) || i < 0 || i >= idx)
        throw new GraphError("input is not an earlier node (graph not topologically ordered)", {
          node: n.name,
          input: i,
        });
      const want = inLen(n.op, n.params, k),
        have = byteLen(g.nodes[i]!);
      if (want !== have)
        throw new GraphError("input has the wrong byte length for the op", {
          node: n.name,
          input: g.nodes[i]!.name,
          length: have,
          expected: want,
        });
    });
    const dt = opOutDtype(
      n.op,
      n.params,
      n.inputs.map((i) => g.nodes[i]!.dtype),
      n.name,
    );
    if (dt !== n.dtype || byteLen(n) !== outLen(n.op, n.params))
      throw new GraphError("declared output does not match the op", { node: n.name, dtype: n.dtype, expected: dt });
  });
  for (const o of g.outputs)
    if (!Number.isInteger(o) || o < 0 || o >= g.nodes.length)
      throw new GraphError("output refers to a missing node", { output: o });
}
