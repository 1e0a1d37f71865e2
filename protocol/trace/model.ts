/**
 * An ML claim's world: a real model run and what each party believes about it.
 *
 *  - `ModelRun`: a real model (MNIST int8 classifier on a real test image, or stories260K decoding
 *    one token from a prompt), its graph run with per-node commitments (ml/FORMAT.md) and its op
 *    descriptors (protocol/link: the committed op order the graph phase argues about).
 *  - `Belief`: node outputs (and their leaves) as a party believes them. The honest belief is the
 *    native run; `lyingBelief(t)` tampers op t's output (argmax: class + 1; otherwise the first
 *    byte + 1, or a dtype maximum where that leaves the prediction unchanged) and recomputes every
 *    later node natively: a consistent liar whose graph roots are right up to op t and whose
 *    posted prediction is wrong.
 *
 * A run whose op fails natively (`OpError`: e.g. a prompt token outside the vocabulary, which the
 * binding accepts since it checks lengths only) is a FAILED run: every op from the failing one on has
 * no output (empty bytes, leaf 0), so the graph roots stop changing there (like a halted VM) and no
 * claim about that input is true. The honest party still challenges with it: the liar must open the
 * failing op, whose node program does not exit 0 (protocol/trace/graph.ts).
 *
 * The graph phase and the node VM phase over a belief are protocol/trace/graph.ts.
 */
import { ZkfpError } from "../../vm/errors.ts";
import { initPoseidon } from "../../vm/poseidon/index.ts";
import type { Graph } from "../../ml/graph/graph.ts";
import { executeGraph, type GraphRun } from "../../ml/graph/executor.ts";
import { tensorLeaf } from "../../ml/graph/commit.ts";
import { OpError, runOp } from "../../ml/dnn/ops.ts";
import { GraphTree } from "../../ml/graph/commit.ts";
import { guestPath } from "../../ml/guests/run.ts";
import { loadMnist, image as mnistImage } from "../../ml/models/mnist/data.ts";
import { loadMnistGraph, mnistInput, guestBatch } from "../../ml/models/mnist/eval.ts";
import { loadCheckpoint } from "../../ml/models/stories/checkpoint.ts";
import { buildStoriesGraph, promptInputs } from "../../ml/models/stories/graph.ts";
import { storiesInput } from "../../ml/infer.ts";
import { opDescriptors, opsTree, type OpDescriptor, type OpsTree } from "../link/graph.ts";
import { isLlamaShape, loadLlamaRun, type ShapeName } from "../../ml/models/llama/run.ts";

export class ModelRunError extends ZkfpError {
  override readonly name = "ModelRunError";
}

const OP_ARGMAX = new Set([12, 17]);

export type ModelName = "mnist" | "stories260K" | ShapeName;
/** A computation graph run with per-node commitments and its op descriptors: what the graph phase argues about. */
export type CommittedGraph = {
  graph: Graph;
  run: GraphRun;
  firstOp: number;
  ops: OpDescriptor[];
  opsTree: OpsTree;
};

/** The committed graph of any graph run (constants and inputs must come before the ops). */
export function committedGraph(graph: Graph, run: GraphRun): CommittedGraph {
  if (!run.leaves) throw new ModelRunError("graph run was not committed", {});
  const ops = opDescriptors(graph);
  return { graph, run, firstOp: ops[0]!.node, ops, opsTree: opsTree(ops) };
}

/**
 * executeGraph, but an op that fails natively (OpError) ends the run: that op and every later one
 * get no output (empty bytes) and leaf 0. `failedAt` is the failing op's node index (null: none).
 */
export async function executeGraphOrFail(
  g: Graph,
  inputs: Record<string, Uint8Array>,
): Promise<{ run: GraphRun; failedAt: number | null }> {
  try {
    return { run: await executeGraph(g, inputs), failedAt: null };
  } catch (e) {
    if (!(e instanceof OpError)) throw e;
  }
  const outputs: Uint8Array[] = [];
  const leaves: bigint[] = [];
  const tree = new GraphTree(g.nodes.length);
  let failedAt: number | null = null;
  g.nodes.forEach((n, i) => {
    let out: Uint8Array = new Uint8Array(0);
    if (n.kind === "const") out = n.data;
    else if (n.kind === "input")
      out = inputs[n.name]!; // executeGraph checked names and lengths
    else if (failedAt === null)
      try {
        out = runOp(
          n.op,
          n.params,
          n.inputs.map((j) => outputs[j]!),
        );
      } catch (e) {
        if (!(e instanceof OpError)) throw e;
        failedAt = i;
      }
    const leaf = failedAt === null ? tensorLeaf(out) : 0n;
    outputs.push(out);
    leaves.push(leaf);
    tree.set(i, leaf);
  });
  return { run: { graph: g, outputs, leaves, tree, seconds: { compute: 0, commit: 0 } }, failedAt };
}

export type ModelRun = CommittedGraph & {
  model: ModelName;
  /** the claim's input: the graph's input nodes' bytes concatenated (GraphClaimBinding's `input`) */
  input: Uint8Array;
  /** the whole-model VM program and its input stream (phases = 1); none for the LLaMA shapes (`wholeProgram`) */
  program?: { elf: string; input: Uint8Array };
  /** graph node holding the prediction (argmax) */
  outputNode: number;
  /** node index of the op that fails natively on this input (a failed run: no output), else absent */
  failedAt?: number;
  label?: number;
  describe: string;
};

const i32 = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength).getInt32(0, true);

/** The whole-model VM program of a run (phases = 1); a ModelRunError for models without one. */
export function wholeProgram(mr: ModelRun): { elf: string; input: Uint8Array } {
  if (!mr.program)
    throw new ModelRunError("this model has no whole-model VM program: use two phases", { model: mr.model });
  return mr.program;
}

export async function loadModelRun(
  model: ModelName,
  opts: { image?: number; prompt?: number[]; positions?: number; progress?: (msg: string) => void },
): Promise<ModelRun> {
  await initPoseidon();
  if (isLlamaShape(model)) {
    // LLaMA shapes (ml/models/llama): tiled graph, cached model commitment, no whole-model program
    const lr = await loadLlamaRun(model, { prompt: opts.prompt, positions: opts.positions, progress: opts.progress });
    return {
      model,
      ...committedGraph(lr.lg.graph, lr.run),
      input: inputBytes(lr.lg.graph, lr.run),
      outputNode: lr.lg.next.at(-1)!,
      describe: lr.describe,
    };
  }
  if (model === "mnist") {
    const d = loadMnist();
    const idx = opts.image ?? 8000;
    if (!Number.isInteger(idx) || idx < 0 || idx >= d.count)
      throw new ModelRunError("image index out of range", { image: idx, count: d.count });
    const g = loadMnistGraph("i8");
    const img = mnistImage(d, idx);
    const run = await executeGraph(g, { image: mnistInput("i8", img) });
    const ops = opDescriptors(g);
    return {
      model,
      graph: g,
      run,
      firstOp: ops[0]!.node,
      ops,
      opsTree: opsTree(ops),
      input: inputBytes(g, run),
      program: { elf: guestPath("mnist-i8"), input: guestBatch("i8", d, idx, 1) },
      outputNode: g.outputs.at(-1)!,
      label: d.labels[idx],
      describe: `MNIST test image ${idx} (label ${d.labels[idx]})`,
    };
  }
  const prompt = opts.prompt ?? [1];
  const positions = opts.positions ?? prompt.length;
  const ck = loadCheckpoint();
  const sg = buildStoriesGraph(ck, prompt.length, positions);
  // a token outside the vocabulary fails the EMBED op: a failed run the honest party still plays
  const { run, failedAt } = await executeGraphOrFail(sg.graph, promptInputs(prompt));
  const ops = opDescriptors(sg.graph);
  return {
    ...(failedAt === null ? {} : { failedAt }),
    model,
    graph: sg.graph,
    run,
    firstOp: ops[0]!.node,
    ops,
    opsTree: opsTree(ops),
    input: inputBytes(sg.graph, run),
    program: { elf: guestPath("stories"), input: storiesInput(prompt, positions, false) },
    outputNode: sg.next.at(-1)!,
    describe: `stories260K, prompt [${prompt.join(", ")}], ${positions} position(s), next token`,
  };
}

/** The input nodes' output bytes, concatenated in node order (what a graph claim publishes). */
export function inputBytes(g: Graph, run: GraphRun): Uint8Array {
  const parts = g.nodes
    .map((n, i) => (n.kind === "input" ? run.outputs[i]! : null))
    .filter((x): x is Uint8Array => x !== null);
  return new Uint8Array(Buffer.concat(parts));
}

/** The prediction a belief holds (class or next token). */
export function prediction(mr: ModelRun, b: Belief): number {
  return i32(b.outputs[mr.outputNode]!);
}

export type Belief = { outputs: Uint8Array[]; leaves: bigint[]; lieAt: number | null };

export function honestBelief(mr: CommittedGraph): Belief {
  return { outputs: mr.run.outputs, leaves: mr.run.leaves!, lieAt: null };
}

/**
 * A consistent liar: op t's output tampered, everything after recomputed from it. The tamper is
 * argmax: class + 1; otherwise the first byte + 1, or, if that leaves the prediction unchanged, the
 * element at index (prediction + 1) of the tensor set to the dtype's maximum (so the posted
 * prediction is wrong when the node feeds the argmax).
 */
export function lyingBelief(mr: ModelRun, t: number): Belief {
  const d = mr.ops[t];
  if (!d) throw new ModelRunError("lie position outside the op nodes", { t, ops: mr.ops.length });
  const truth = i32(mr.run.outputs[mr.outputNode]!);
  const attempt = (bad: Uint8Array): Belief => {
    const outputs = mr.run.outputs.slice();
    const leaves = mr.run.leaves!.slice();
    outputs[d.node] = bad;
    leaves[d.node] = tensorLeaf(bad);
    for (const e of mr.ops.slice(t + 1)) {
      const n = mr.graph.nodes[e.node]!;
      if (n.kind !== "op") continue;
      outputs[e.node] = runOp(
        n.op,
        n.params,
        n.inputs.map((j) => outputs[j]!),
      );
      leaves[e.node] = tensorLeaf(outputs[e.node]!);
    }
    return { outputs, leaves, lieAt: t };
  };
  const orig = mr.run.outputs[d.node]!;
  const bad = orig.slice();
  if (OP_ARGMAX.has(d.op)) new DataView(bad.buffer).setInt32(0, (i32(bad) + 1) % Math.max(2, d.params[0]!), true);
  else bad[0] = (bad[0]! + 1) & 0xff;
  let b = attempt(bad);
  const node = mr.graph.nodes[d.node]!;
  if (i32(b.outputs[mr.outputNode]!) === truth && (node.dtype === "i32" || node.dtype === "f32")) {
    const big = orig.slice();
    const dv = new DataView(big.buffer);
    const idx = ((truth + 1) % (big.length / 4)) * 4;
    if (node.dtype === "i32") dv.setInt32(idx, 0x7fffffff, true);
    else dv.setFloat32(idx, 3e38, true);
    b = attempt(big);
  }
  return b;
}
