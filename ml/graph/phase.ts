/**
 * Phase link between the graph phase (phase 1: one leaf per node) and the VM phase (phase 2: the
 * node program's execution trace) for one disputed node i.
 *
 * VM initial state for node i (a deterministic function of (graph root before node i, node i)):
 *   program  = ml/guests/bin/node.elf
 *   input    = nodeProgramInput(node, keys of its input nodes)   (words, little-endian)
 *              magic "ZKN1", mode 1, op, np, params[np], ni, then per input j: len_j, sel_j[8]
 *              with key_j = leaf of input node j in the graph tree under rootBefore, and
 *              sel_j = (key_j - key_{j-1} * 2^256) mod p (key_0 = 0), most significant word first.
 *              The VM's fd-6 key register accumulates key = key * 2^32 + word (vm/STATE.md) and is
 *              never cleared, so the selector words cancel the previous key; the contract computes
 *              sel_j from the leaves the same way.
 *   preimages= the input tensors (the oracle serves each under its key; the program checks lengths)
 * VM final state: the program writes the output tensor at OUT_ADDR = 0x200000 (word 0x80000, a
 *   multiple of 4^9); with k = subtreeLevel(outLen) the memory subtree of height k at that word
 *   holds exactly the output's words, so
 *     leaf_i = P2(liftToBlobRoot(memSubtreeRoot, k), outLen)
 *   and the contract checks memSubtreeRoot against the final memRoot with the 3*(10-k) siblings
 *   `memProof`, and leaf_i at index i against rootAfter with `outputProof` (the same siblings
 *   prove leaf 0 at index i under rootBefore: rootAfter differs from rootBefore only in leaf i).
 */
import { FIELD_MODULUS, initPoseidon, poseidon2 } from "../../vm/poseidon/index.ts";
import { ZkfpError } from "../../vm/errors.ts";
import { Words, NODE_MAGIC, guestPath, loadVm } from "../guests/run.ts";
import { readFileSync } from "node:fs";
import type { GraphRun } from "./executor.ts";
import { GraphTree, denseRoot, liftToBlobRoot, rootFromProof, subtreeLevel } from "./commit.ts";

export class PhaseLinkError extends ZkfpError {
  override readonly name = "PhaseLinkError";
}

export const OUT_ADDR = 0x200000;
const TWO256 = (1n << 256n) % FIELD_MODULUS;

export type LeafProof = { index: number; leaf: bigint; proof: bigint[] };
export type PhaseLink = {
  node: number;
  op: number;
  params: number[];
  depth: number;
  rootBefore: bigint;
  rootAfter: bigint;
  /** node program input stream */
  input: Uint8Array;
  /** input tensors, in input order (served by the preimage oracle under their leaves) */
  preimages: Uint8Array[];
  /** input leaves, each proven under rootBefore */
  inputs: (LeafProof & { len: number })[];
  /** output leaf proven under rootAfter (and leaf 0 under rootBefore with the same siblings) */
  output: LeafProof & { len: number; level: number };
};

/** The node program's input stream for a node with the given input (len, key) pairs. */
export function nodeProgramInput(op: number, params: readonly number[], inputs: readonly { len: number; key: bigint }[]): Uint8Array {
  const w = new Words().u32(NODE_MAGIC).u32(1).u32(op).u32(params.length);
  for (const p of params) w.u32(p);
  w.u32(inputs.length);
  let prev = 0n;
  for (const { len, key } of inputs) {
    let sel = (key - ((prev * TWO256) % FIELD_MODULUS)) % FIELD_MODULUS;
    if (sel < 0n) sel += FIELD_MODULUS;
    w.u32(len);
    for (let k = 7; k >= 0; k--) w.u32(Number((sel >> BigInt(32 * k)) & 0xffffffffn));
    prev = key;
  }
  return w.done();
}

export function phaseLink(run: GraphRun, i: number): PhaseLink {
  const g = run.graph;
  const n = g.nodes[i];
  if (!n || n.kind !== "op") throw new PhaseLinkError("phase link needs an op node", { node: i, kind: n?.kind });
  if (!run.leaves || !run.roots) throw new PhaseLinkError("graph run was not committed", { node: i });
  const before = GraphTree.fromLeaves(g.nodes.length, run.leaves.slice(0, i));
  if (before.root() !== (i === 0 ? before.root() : run.roots[i - 1])) throw new PhaseLinkError("rebuilt tree disagrees with the recorded root", { node: i });
  const after = GraphTree.fromLeaves(g.nodes.length, run.leaves.slice(0, i + 1));
  const inputs = n.inputs.map((j) => ({ index: j, leaf: run.leaves![j]!, proof: before.proof(j), len: run.outputs[j]!.length }));
  const out = run.outputs[i]!;
  return {
    node: i, op: n.op, params: n.params, depth: before.depth,
    rootBefore: before.root(), rootAfter: after.root(),
    input: nodeProgramInput(n.op, n.params, inputs.map((x) => ({ len: x.len, key: x.leaf }))),
    preimages: n.inputs.map((j) => run.outputs[j]!),
    inputs,
    output: { index: i, leaf: run.leaves[i]!, proof: after.proof(i), len: out.length, level: subtreeLevel(out.length) },
  };
}

/** The on-chain checks of the graph side of a link (twin of the game contract's check). */
export function checkGraphSide(l: PhaseLink): boolean {
  const ins = l.inputs.every((x) => rootFromProof(x.index, x.leaf, x.proof) === l.rootBefore);
  const slot = rootFromProof(l.output.index, 0n, l.output.proof) === l.rootBefore;
  const post = rootFromProof(l.output.index, l.output.leaf, l.output.proof) === l.rootAfter;
  const inp = nodeProgramInput(l.op, l.params, l.inputs.map((x) => ({ len: x.len, key: x.leaf })));
  return ins && slot && post && inp.length === l.input.length && inp.every((b, k) => b === l.input[k]);
}

export type VmLinkResult = {
  exitCode: number;
  steps: number;
  stateRoot: bigint;
  memRoot: bigint;
  /** root of the height-k memory subtree at OUT_ADDR and its 3*(10-k) siblings up to memRoot */
  memSubtreeRoot: bigint;
  memProof: bigint[];
  /** P2(lift(memSubtreeRoot), outLen): must equal the output leaf */
  outputLeaf: bigint;
  stdout: Uint8Array;
  seconds: number;
};

/** Runs the node program for the link on the zkfp VM and derives the output leaf from final memory. */
export async function runLinkOnVm(l: PhaseLink, maxSteps = 2 ** 36): Promise<VmLinkResult> {
  await initPoseidon();
  const vm = await loadVm();
  const t0 = performance.now();
  const prog = vm.loadElf(new Uint8Array(readFileSync(guestPath("node"))));
  const m = (await vm.Machine.create(prog, { input: l.input, preimages: l.preimages })) as unknown as {
    run(n: number): { steps: number; status: string; exitCode?: number; trap?: number };
    stdout(): Uint8Array; stateRoot(): bigint; syncMemory(): number; m32: Uint32Array;
    memTree: { root(): bigint; proof(i: number): bigint[] };
  };
  const r = m.run(maxSteps);
  if (r.status !== "exited") throw new PhaseLinkError("node program did not exit", { node: l.node, status: r.status, trap: r.trap, steps: r.steps });
  m.syncMemory();
  const k = l.output.level, w0 = OUT_ADDR >>> 2;
  const words = Array.from(m.m32.subarray(w0, w0 + 4 ** k), (x) => BigInt(x));
  const memSubtreeRoot = denseRoot(words, k);
  const memProof = m.memTree.proof(w0).slice(3 * k);
  const memRoot = m.memTree.root();
  if (rootFromProof(w0 >>> (2 * k), memSubtreeRoot, memProof) !== memRoot) throw new PhaseLinkError("memory subtree proof does not reach memRoot", { node: l.node });
  return {
    exitCode: r.exitCode ?? -1, steps: r.steps, stateRoot: m.stateRoot(), memRoot, memSubtreeRoot, memProof,
    outputLeaf: poseidon2(liftToBlobRoot(memSubtreeRoot, k), BigInt(l.output.len)),
    stdout: m.stdout(), seconds: (performance.now() - t0) / 1000,
  };
}


/** A link with its VM side as JSON (decimal strings for field elements), e.g. for contract fixtures. */
export function linkToJson(l: PhaseLink, vm?: VmLinkResult): Record<string, unknown> {
  const s = (x: bigint) => x.toString();
  return {
    node: l.node, op: l.op, params: l.params, depth: l.depth, rootBefore: s(l.rootBefore), rootAfter: s(l.rootAfter),
    input: Buffer.from(l.input).toString("hex"),
    inputs: l.inputs.map((x) => ({ index: x.index, len: x.len, leaf: s(x.leaf), proof: x.proof.map(s) })),
    output: { index: l.output.index, len: l.output.len, level: l.output.level, leaf: s(l.output.leaf), proof: l.output.proof.map(s) },
    ...(vm ? { vm: { exitCode: vm.exitCode, steps: vm.steps, stateRoot: s(vm.stateRoot), memRoot: s(vm.memRoot), memSubtreeRoot: s(vm.memSubtreeRoot), memProof: vm.memProof.map(s), outputLeaf: s(vm.outputLeaf) } } : {}),
  };
}
