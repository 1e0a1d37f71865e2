/**
 * What each party of the demo believes: the model run (graph natively, node programs and the whole
 * model program on the zkfp VM), with or without a lie, as the roots of each phase and the proofs
 * its moves need.
 *
 *  - `ModelRun`: a real model (MNIST int8 classifier on a real test image, or stories260K decoding
 *    one token from a prompt), its graph run with per-node commitments and its op descriptors.
 *  - `Belief`: node outputs as a party believes them. The honest belief is the native run; a liar's
 *    belief tampers op t_lie's output (argmax: class + 1; otherwise the first byte + 1) and
 *    recomputes every later node natively (a consistent liar: its graph roots verify everywhere
 *    but at the tampered node, and its claimed output is wrong).
 *  - `GraphPhase`: phase-1 roots, state t = prefix-filled graph tree with the first t op leaves.
 *  - `VmPhase`: phase 2 for one node, node.elf on the zkfp VM with the node's input stream and
 *    its inputs as preimages. Roots follow the real run; if the party's belief about the node's
 *    output differs from what the VM computes (a liar), its end state is fabricated: the real final
 *    state with the believed output written into the output subtree (the only way to make its link
 *    verify), so its roots are true up to the halting step and false from there.
 *  - `WholeProgram`: the single-phase variant (--phases 1): the model program (mnist-i8.elf /
 *    stories.elf) on the VM; a liar's end state carries a different stdout hash.
 *
 * Leaf proofs: m = 1 gives the 165-element step witness for the RV32IM one-step arbitrator; m > 1 a
 * snarkjs proof of the RV32IM m-step circuit (zk/prover, setup cached under .cache/zk). A liar's
 * last leaf has no proof: witness generation for its claimed post-root fails (`LeafAttempt`).
 */
import { readFileSync } from "node:fs";
import { AbiCoder } from "ethers";
import { ZkfpError } from "../vm/errors.ts";
import { loadElf } from "../vm/index.ts";
import { Trace } from "../vm/trace.ts";
import { poseidon2, poseidon4, initPoseidon } from "../vm/poseidon/index.ts";
import { stateRoot } from "../vm/state.ts";
import type { Graph } from "../ml/graph/graph.ts";
import { executeGraph, type GraphRun } from "../ml/graph/executor.ts";
import { GraphTree, bytesToWordLeaves, denseRoot, rootFromProof, subtreeLevel, tensorLeaf } from "../ml/graph/commit.ts";
import { nodeProgramInput } from "../protocol/link/graph.ts";
import { runOp } from "../ml/dnn/ops.ts";
import { guestPath } from "../ml/guests/run.ts";
import { loadMnist, image as mnistImage } from "../ml/models/mnist/data.ts";
import { loadMnistGraph, mnistInput, guestBatch } from "../ml/models/mnist/eval.ts";
import { loadCheckpoint } from "../ml/models/stories/checkpoint.ts";
import { buildStoriesGraph, promptInputs } from "../ml/models/stories/graph.ts";
import { storiesInput } from "../ml/infer.ts";
import { rootFromField, type Hex, type Root } from "../protocol/game/types.ts";
import { circuitInputFromTrace } from "../zk/witness-input.ts";
import { encodeCalldata, type SetupArtifacts } from "../zk/prover/snark.ts";
import { snarkjs } from "../zk/snarkjs.ts";
import { OUT_WORD, encodeLinkProof, opDescriptors, opsTree, paddedSteps, type LinkProof, type OpDescriptor, type OpsTree } from "./link.ts";

export class DemoWorldError extends ZkfpError {
  override readonly name = "DemoWorldError";
}

const abi = AbiCoder.defaultAbiCoder();
const OP_ARGMAX = new Set([12, 17]);

export type ModelName = "mnist" | "stories260K";
export type ModelRun = {
  model: ModelName;
  graph: Graph;
  run: GraphRun;
  firstOp: number;
  ops: OpDescriptor[];
  opsTree: OpsTree;
  /** the claim's input bytes (published in calldata) */
  input: Uint8Array;
  /** the whole-model VM program and its input stream (phases = 1) */
  program: { elf: string; input: Uint8Array };
  /** graph node holding the prediction (argmax) */
  outputNode: number;
  label?: number;
  describe: string;
};

const i32 = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength).getInt32(0, true);

export async function loadModelRun(model: ModelName, opts: { image?: number; prompt?: number[]; positions?: number }): Promise<ModelRun> {
  await initPoseidon();
  if (model === "mnist") {
    const d = loadMnist();
    const idx = opts.image ?? 8000;
    if (!Number.isInteger(idx) || idx < 0 || idx >= d.count) throw new DemoWorldError("image index out of range", { image: idx, count: d.count });
    const g = loadMnistGraph("i8");
    const img = mnistImage(d, idx);
    const run = await executeGraph(g, { image: mnistInput("i8", img) });
    const ops = opDescriptors(g);
    return {
      model, graph: g, run, firstOp: ops[0]!.node, ops, opsTree: opsTree(ops), input: img.slice(),
      program: { elf: guestPath("mnist-i8"), input: guestBatch("i8", d, idx, 1) },
      outputNode: g.outputs.at(-1)!, label: d.labels[idx], describe: `MNIST test image ${idx} (label ${d.labels[idx]})`,
    };
  }
  const prompt = opts.prompt ?? [1];
  const positions = opts.positions ?? prompt.length;
  const ck = loadCheckpoint();
  const sg = buildStoriesGraph(ck, prompt.length, positions);
  const run = await executeGraph(sg.graph, promptInputs(prompt));
  const ops = opDescriptors(sg.graph);
  return {
    model, graph: sg.graph, run, firstOp: ops[0]!.node, ops, opsTree: opsTree(ops),
    input: new Uint8Array(new Int32Array(prompt).buffer), program: { elf: guestPath("stories"), input: storiesInput(prompt, positions, false) },
    outputNode: sg.next.at(-1)!, describe: `stories260K, prompt [${prompt.join(", ")}], ${positions} position(s), next token`,
  };
}

/** The prediction a belief holds (class or next token). */
export function prediction(mr: ModelRun, b: Belief): number {
  return i32(b.outputs[mr.outputNode]!);
}

export type Belief = { outputs: Uint8Array[]; leaves: bigint[]; lieAt: number | null };

export function honestBelief(mr: ModelRun): Belief {
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
  if (!d) throw new DemoWorldError("lie position outside the op nodes", { t, ops: mr.ops.length });
  const truth = i32(mr.run.outputs[mr.outputNode]!);
  const attempt = (bad: Uint8Array): Belief => {
    const outputs = mr.run.outputs.slice();
    const leaves = mr.run.leaves!.slice();
    outputs[d.node] = bad;
    leaves[d.node] = tensorLeaf(bad);
    for (const e of mr.ops.slice(t + 1)) {
      const n = mr.graph.nodes[e.node]!;
      if (n.kind !== "op") continue;
      outputs[e.node] = runOp(n.op, n.params, n.inputs.map((j) => outputs[j]!));
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
    if (node.dtype === "i32") dv.setInt32(idx, 0x7fffffff, true); else dv.setFloat32(idx, 3e38, true);
    b = attempt(big);
  }
  return b;
}

/** Phase-1 roots: state t = constants, inputs and the first t op leaves. */
export class GraphPhase {
  readonly roots: Root[] = [];
  constructor(readonly mr: ModelRun, readonly belief: Belief) {
    const cap = mr.graph.nodes.length;
    const tree = new GraphTree(cap);
    for (let i = 0; i < mr.firstOp; i++) tree.set(i, belief.leaves[i]!);
    this.roots.push(rootFromField(tree.root()));
    for (const d of mr.ops) {
      tree.set(d.node, belief.leaves[d.node]!);
      this.roots.push(rootFromField(tree.root()));
    }
  }
  get steps(): bigint {
    return BigInt(this.mr.ops.length);
  }
  rootAt(t: bigint): Root {
    return this.roots[Number(t)]!;
  }
  /** Prefix tree of state t (leaves of constants, inputs, first t ops). */
  treeAt(t: number): GraphTree {
    const tree = GraphTree.fromLeaves(this.mr.graph.nodes.length, this.belief.leaves.slice(0, this.mr.ops[t]?.node ?? this.mr.graph.nodes.length));
    return tree;
  }

  /** The VM sub-game of op t and the link proof for it. */
  async open(t: number, m: bigint): Promise<{ vm: VmPhase; linkProof: Hex; parts: LinkProof }> {
    const mr = this.mr, d = mr.ops[t]!;
    const before = this.treeAt(t);
    const vm = await VmPhase.create(mr, this.belief, d, m);
    const k = subtreeLevel(d.outLen);
    const parts: LinkProof = {
      t, d, opsProof: mr.opsTree.proof(t),
      inputLeaves: d.inputs.map((j) => this.belief.leaves[j]!), inputProofs: d.inputs.map((j) => before.proof(j)),
      prevLeaf: t === 0 ? 0n : this.belief.leaves[Number(d.prev)]!, prevProof: t === 0 ? [] : before.proof(Number(d.prev)),
      outProof: before.proof(d.node), memSub: vm.end.memSub, memProof: vm.end.memProof.slice(3 * k),
      pcEnd: vm.end.fields.pc, stepEnd: vm.end.fields.step, regsRootEnd: vm.end.fields.regsRoot, ioPreEnd: vm.end.ioPre,
    };
    return { vm, linkProof: encodeLinkProof(parts), parts };
  }
}

type EndState = { fields: ReturnType<Trace["machine"]["fields"]>; memSub: bigint; memProof: bigint[]; ioPre: bigint; trueRoot: bigint; root: bigint };

/** A leaf the party tries to prove: its proof bytes, or why none exists. */
export type LeafAttempt = { proof: Hex; valid: true; seconds: number; setupCached?: boolean } | { proof: Hex; valid: false; reason: string; seconds: number };

/** The last phase: a VM trace (a node program or the whole model program). */
export class VmPhase {
  private constructor(readonly trace: Trace, readonly halt: number, readonly steps: bigint, readonly end: EndState, readonly label: string) {}

  static async create(mr: ModelRun, b: Belief, d: OpDescriptor, m: bigint): Promise<VmPhase> {
    const input = nodeProgramInput(d.op, d.params, d.inputs.map((j, q) => ({ len: d.inputLens[q]!, key: b.leaves[j]! })));
    const tr = await Trace.create(loadElf(new Uint8Array(readFileSync(guestPath("node")))), { input, preimages: d.inputs.map((j) => b.outputs[j]!) });
    const mach = tr.seek(tr.length);
    const res = mach.result();
    if (res.status !== "exited" || res.exitCode !== 0) throw new DemoWorldError("node program did not exit with 0", { node: d.node, status: res.status, exitCode: res.exitCode ?? null });
    mach.syncMemory();
    const f = mach.fields();
    const k = subtreeLevel(d.outLen);
    const memProof = mach.memTree.proof(OUT_WORD);
    const trueSub = denseRoot(Array.from(mach.m32.subarray(OUT_WORD, OUT_WORD + 4 ** k), (x) => BigInt(x)), k);
    const believedSub = denseRoot(bytesToWordLeaves(b.outputs[d.node]!), k);
    const ioPre = poseidon2(poseidon4(f.inputRoot, BigInt(f.inputLen), BigInt(f.inputPos), f.outHash), poseidon2(f.preimageKey, BigInt(f.preimageOffset)));
    const trueRoot = mach.stateRoot();
    let root = trueRoot;
    if (believedSub !== trueSub) {
      const memEnd = rootFromProof(OUT_WORD >>> (2 * k), believedSub, memProof.slice(3 * k));
      root = stateRoot({ ...f, memRoot: memEnd });
    }
    const end: EndState = { fields: f, memSub: believedSub, memProof, ioPre, trueRoot, root };
    return new VmPhase(tr, tr.length, paddedSteps(tr.length, m), end, `node ${d.node} (${d.t}th op)`);
  }

  /** The whole model program (single-phase demo); a liar's end state has another stdout hash. */
  static async whole(mr: ModelRun, liar: boolean, m: bigint): Promise<VmPhase> {
    const tr = await Trace.create(loadElf(new Uint8Array(readFileSync(mr.program.elf))), { input: mr.program.input });
    const mach = tr.seek(tr.length);
    const f = mach.fields();
    const trueRoot = mach.stateRoot();
    const root = liar ? stateRoot({ ...f, outHash: poseidon4(f.outHash, 1n, 0xbadn, 4n) }) : trueRoot;
    const end: EndState = { fields: f, memSub: 0n, memProof: [], ioPre: 0n, trueRoot, root };
    return new VmPhase(tr, tr.length, paddedSteps(tr.length, m), end, "model program");
  }

  get lying(): boolean {
    return this.end.root !== this.end.trueRoot;
  }

  rootAt(t: bigint): Root {
    if (t >= BigInt(this.halt)) return rootFromField(this.end.root);
    return rootFromField(this.trace.rootAt(Number(t)));
  }

  /** Proof that rootAt(t) -> rootAt(t + span) for the arbitrator (m = 1: step witness; else zk). */
  async leafProof(t: bigint, span: bigint, prover: SetupArtifacts | null): Promise<LeafAttempt> {
    const t0 = performance.now();
    const want = this.rootAt(t + span);
    if (!prover) {
      if (span !== 1n) throw new DemoWorldError("the one-step arbitrator settles single steps", { span: span.toString() });
      const w = this.trace.witnessAt(Number(t));
      const proof = abi.encode(["uint256[165]"], [w]) as Hex;
      const real = rootFromField(this.trace.rootAt(Number(t) + 1));
      const seconds = (performance.now() - t0) / 1000;
      return real === want ? { proof, valid: true, seconds } : { proof, valid: false, reason: "the step witness yields the true post-root, not the claimed one", seconds };
    }
    const input = circuitInputFromTrace(this.trace, Number(t), Number(span)) as unknown as Record<string, unknown>;
    input.postRoot = BigInt(want).toString();
    if (BigInt(span) !== BigInt(prover.circuit.m)) throw new DemoWorldError("leaf span differs from the circuit's m", { span: span.toString(), m: prover.circuit.m });
    // prove with the artifacts the arbitrator was deployed with (the cache key could move if the
    // circuit sources change during a run)
    const s = await snarkjs();
    try {
      const { proof, publicSignals } = await s[prover.backend].fullProve(input, prover.wasm, prover.zkey);
      const calldata = encodeCalldata(prover.backend, proof, await s[prover.backend].exportSolidityCallData(proof, publicSignals));
      return { proof: calldata as Hex, valid: true, seconds: (performance.now() - t0) / 1000, setupCached: prover.cached };
    } catch (e) {
      return { proof: ("0x" + "00".repeat(256)) as Hex, valid: false, reason: `no proof: ${String((e as Error).message).split("\n")[0]!.trim()}`, seconds: (performance.now() - t0) / 1000 };
    }
  }
}
