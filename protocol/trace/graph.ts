/**
 * The graph phase of an ML claim and the VM phase under it, as `PhaseTrace`s the one engine plays.
 *
 *   graph phase (phase 0)   one step per op node in execution order; state t = the prefix-filled
 *                           graph tree (ml/FORMAT.md) with the leaves of every const/input node and
 *                           of the first t op nodes, under a party's `Belief`. m = 1: a leaf is one op.
 *   open(t, 1)              runs node.elf for op t on the zkfp VM (its input stream commits to the
 *                           input leaves under state t, its inputs are served as preimages) and
 *                           returns that run as the VM phase plus the GraphVmLink proof (protocol/
 *                           link twin): op descriptor under opsRoot, input leaves and the empty
 *                           output slot under state t, the filled slot under state t + 1, and the
 *                           output subtree of the VM's final memory.
 *   VM phase (phase 1)      protocol/trace/rv32im.ts over that run, padded to the leaf prover's m.
 *                           A party whose belief about the node's output differs from the VM's
 *                           result commits to a fabricated end state: the real final state with the
 *                           believed output in the output subtree (the only end its link proof can
 *                           open); its last leaf across the halt then has no proof.
 *   whole program           `modelProgramTrace`: one phase over the VM steps of the model program
 *                           (mnist-i8.elf / stories.elf); a liar's end state has another stdout hash.
 *
 * Liar hooks (`GraphTraceOptions`, used by the zoo): `openAs` opens another op than the disputed
 * one (neighbour/swapped openings), `tamperLink` rewrites the link proof (x + p in a field,
 * malformed bytes), `roots` replaces the phase's roots (a liar whose states are not a belief's),
 * `vmStretch` makes its VM sub-games longer than the node run (end state with a larger step count).
 * Node runs are cached per (op, input leaves, input tensors), the 6 most recent per model run (each
 * holds up to 64 machine snapshots): both parties of an opening share one run.
 */
import { readFileSync } from "node:fs";
import { loadElf } from "../../vm/index.ts";
import { Trace } from "../../vm/trace.ts";
import { poseidon2, poseidon4 } from "../../vm/poseidon/index.ts";
import { stateRoot } from "../../vm/state.ts";
import {
  GraphTree,
  bytesToWordLeaves,
  denseRoot,
  rootFromProof,
  subtreeLevel,
  tensorLeaf,
} from "../../ml/graph/commit.ts";
import type { GraphBinding } from "../link/graph-claim.ts";
import type { ClaimCheck } from "../actors/actor.ts";
import { guestPath } from "../../ml/guests/run.ts";
import { rootFromField, type Hex, type Root } from "../game/types.ts";
import { OUT_WORD, encodeLinkProof, nodeProgramInput, type LinkProof, type OpDescriptor } from "../link/graph.ts";
import { wholeProgram, type CommittedGraph, type ModelRun, type Belief } from "./model.ts";
import type { LeafProver } from "./leaf.ts";
import { vmPhaseTrace, paddedSteps, type VmPhaseTrace } from "./rv32im.ts";
import type { LeafAttempt, PhaseTrace, SubgameOpening } from "./types.ts";
import { TraceError } from "./types.ts";
import { NO_OUTPUT } from "../game/model.ts";

export type GraphTraceOptions = {
  /** Open op openAs(t) when op t is disputed (a liar's neighbour/swapped opening). */
  openAs?: (t: number) => number;
  /** Rewrite the link proof before it is encoded, or replace its bytes. */
  tamperLink?: (p: LinkProof) => LinkProof | Hex;
  /** The phase's roots (steps + 1 of them) instead of the belief's. */
  roots?: Root[];
  /** Its VM sub-games claim this many times the node run's steps (`nodeVmPhase` stretch). */
  vmStretch?: bigint;
};

const nodeRuns = new WeakMap<CommittedGraph, Map<string, Promise<Trace>>>();
const tensorIds = new WeakMap<Uint8Array, number>();
let nextTensorId = 0;
const tensorId = (b: Uint8Array) => tensorIds.get(b) ?? (tensorIds.set(b, ++nextTensorId), nextTensorId);
const NODE_RUN_CACHE = 6;
const NODE_ELF = () => loadElf(new Uint8Array(readFileSync(guestPath("node"))));

/** node.elf's run for op descriptor d on the given input tensors/leaves (cached). */
function nodeRun(mr: CommittedGraph, d: OpDescriptor, inputs: { leaf: bigint; bytes: Uint8Array }[]): Promise<Trace> {
  let m = nodeRuns.get(mr);
  if (!m) nodeRuns.set(mr, (m = new Map()));
  // keyed by the leaves and the identity of the served tensors (beliefs share unchanged tensors)
  const key = `${d.t}:${inputs.map((x) => `${x.leaf.toString(16)}/${tensorId(x.bytes)}`).join(",")}`;
  let p = m.get(key);
  if (p) {
    m.delete(key); // most recently used last
  } else {
    const input = nodeProgramInput(
      d.op,
      d.params,
      d.inputs.map((_, q) => ({ len: d.inputLens[q]!, key: inputs[q]!.leaf })),
    );
    p = Trace.create(NODE_ELF(), { input, preimages: inputs.map((x) => x.bytes) });
  }
  m.set(key, p);
  // a run keeps up to 64 snapshots of the machine (4 MiB each): keep the few most recent runs only
  while (m.size > NODE_RUN_CACHE) m.delete(m.keys().next().value!);
  return p;
}

/**
 * The VM phase of op d under belief b, and the end-state parts its link proof opens. `stretch` > 1
 * (a liar): the phase claims stretch x the run's steps and an end state whose step counter is
 * stretch x the halting step.
 */
export async function nodeVmPhase(mr: CommittedGraph, b: Belief, d: OpDescriptor, leaf: LeafProver, stretch = 1n) {
  const run = await nodeRun(
    mr,
    d,
    d.inputs.map((j) => ({ leaf: b.leaves[j]!, bytes: b.outputs[j]! })),
  );
  const mach = run.seek(run.length);
  const res = mach.result();
  const failed = res.status !== "exited" || res.exitCode !== 0;
  if (stretch < 1n) throw new TraceError("stretch must be >= 1", { stretch: stretch.toString() });
  const label = `node ${d.node} (op #${d.t}, code ${d.op})`;
  if (failed && b.leaves[d.node] === 0n)
    // this party believes the op fails (a failed run, model.ts): its VM phase is the failing run, and
    // it has no link proof (only the other party's opening is ever submitted)
    return {
      vm: vmPhaseTrace(run, leaf, { phase: 1, steps: paddedSteps(BigInt(run.length) * stretch, leaf.m), label }),
      parts: null,
    };
  mach.syncMemory();
  const f = mach.fields();
  const k = subtreeLevel(d.outLen);
  const memProof = mach.memTree.proof(OUT_WORD);
  const trueSub = denseRoot(
    Array.from(mach.m32.subarray(OUT_WORD, OUT_WORD + 4 ** k), (x) => BigInt(x)),
    k,
  );
  const believedSub = denseRoot(bytesToWordLeaves(b.outputs[d.node]!), k);
  const ioPre = poseidon2(
    poseidon4(f.inputRoot, BigInt(f.inputLen), BigInt(f.inputPos), f.outHash),
    poseidon2(f.preimageKey, BigInt(f.preimageOffset)),
  );
  const stepEnd = Number(BigInt(f.step) * stretch);
  let end: bigint | undefined;
  // a liar about a node whose program fails claims it exited 0 (status 1) with its believed output
  if (believedSub !== trueSub || stretch !== 1n || failed)
    end = stateRoot({
      ...f,
      step: stepEnd,
      status: 1,
      memRoot: rootFromProof(OUT_WORD >>> (2 * k), believedSub, memProof.slice(3 * k)),
    });
  const vm = vmPhaseTrace(run, leaf, {
    phase: 1,
    steps: paddedSteps(BigInt(run.length) * stretch, leaf.m),
    end,
    label,
  });
  return {
    vm,
    parts: {
      memSub: believedSub,
      memProof: memProof.slice(3 * k),
      pcEnd: f.pc,
      stepEnd,
      regsRootEnd: f.regsRoot,
      ioPreEnd: ioPre,
    },
  };
}

/** Phase-0 roots of a belief: state t = constants, inputs and the first t op leaves. */
export function graphRoots(mr: CommittedGraph, b: Belief): Root[] {
  const tree = new GraphTree(mr.graph.nodes.length);
  for (let i = 0; i < mr.firstOp; i++) tree.set(i, b.leaves[i]!);
  const roots = [rootFromField(tree.root())];
  for (const d of mr.ops) {
    tree.set(d.node, b.leaves[d.node]!);
    roots.push(rootFromField(tree.root()));
  }
  return roots;
}

export class GraphTrace implements PhaseTrace {
  readonly phase = 0;
  readonly steps: bigint;
  readonly roots: Root[];
  /** The last opening (for the report). */
  lastOpened: { t: number; opened: number; vm: VmPhaseTrace } | null = null;

  constructor(
    readonly mr: CommittedGraph,
    readonly belief: Belief,
    readonly leaf: LeafProver,
    readonly opts: GraphTraceOptions = {},
  ) {
    this.roots = opts.roots ?? graphRoots(mr, belief);
    this.steps = BigInt(mr.ops.length);
    if (this.roots.length !== mr.ops.length + 1)
      throw new TraceError("graph roots must be one per state", { roots: this.roots.length, ops: mr.ops.length });
  }

  /** Root of state t; past the last op the fully evaluated graph repeats (no op is left to open). */
  rootAt(t: bigint): Root {
    if (t < 0n) throw new TraceError("graph state index must be non-negative", { t: t.toString() });
    return this.roots[Number(t < this.steps ? t : this.steps)]!;
  }

  leafProof(): Promise<LeafAttempt> {
    throw new TraceError("the graph phase is not the last phase", { phase: 0 });
  }

  /** Prefix tree of state t under this party's belief (leaves of constants, inputs, first t ops). */
  treeAt(t: number): GraphTree {
    return GraphTree.fromLeaves(
      this.mr.graph.nodes.length,
      this.belief.leaves.slice(0, this.mr.ops[t]?.node ?? this.mr.graph.nodes.length),
    );
  }

  /** The link proof parts for opening op `op` over state `t` (honest: op = t). */
  async linkParts(t: number, op: number): Promise<{ vm: VmPhaseTrace; parts: LinkProof }> {
    const { vm, parts } = await this.linkPartsOrNone(t, op);
    if (!parts) throw new TraceError("the node program fails on this op: there is no link proof", { t, op });
    return { vm, parts };
  }

  /** linkParts, or no parts when this party believes the op fails (a failed run). */
  async linkPartsOrNone(t: number, op: number): Promise<{ vm: VmPhaseTrace; parts: LinkProof | null }> {
    const mr = this.mr,
      d = mr.ops[op];
    if (!d) throw new TraceError("no such op", { op, ops: mr.ops.length });
    const before = this.treeAt(t);
    const { vm, parts: end } = await nodeVmPhase(mr, this.belief, d, this.leaf, this.opts.vmStretch);
    if (!end) return { vm, parts: null };
    const parts: LinkProof = {
      t: op,
      d,
      opsProof: mr.opsTree.proof(op),
      inputLeaves: d.inputs.map((j) => this.belief.leaves[j]!),
      inputProofs: d.inputs.map((j) => before.proof(j)),
      prevLeaf: op === 0 ? 0n : before.leaf(Number(d.prev)),
      prevProof: op === 0 ? [] : before.proof(Number(d.prev)),
      outProof: before.proof(d.node),
      ...end,
    };
    return { vm, parts };
  }

  async open(t: bigint, span: bigint): Promise<SubgameOpening> {
    if (span !== 1n) throw new TraceError("the graph phase opens one op per leaf (m = 1)", { span: span.toString() });
    const pos = Number(t);
    const op = this.opts.openAs ? this.opts.openAs(pos) : pos;
    const { vm, parts } = await this.linkPartsOrNone(pos, op);
    // a failed op has no link proof: an empty one (MalformedProof) is all this party could submit
    const tampered = parts && this.opts.tamperLink ? this.opts.tamperLink(parts) : parts;
    const linkProof = tampered === null ? "0x" : typeof tampered === "string" ? tampered : encodeLinkProof(tampered);
    this.lastOpened = { t: pos, opened: op, vm };
    const d = this.mr.ops[op]!;
    return {
      trace: vm,
      innerStart: vm.rootAt(0n),
      innerEnd: vm.rootAt(vm.steps),
      innerSteps: vm.steps,
      linkProof,
      note: `node ${d.node} (op #${op}, code ${d.op}): ${vm.halt} VM steps, padded to ${vm.steps}`,
    };
  }
}

/** The output a claim posts for a belief's answer (GraphClaimBinding: the output node's leaf). */
export function claimOutput(mr: CommittedGraph & { outputNode: number }, b: Belief): Hex {
  return rootFromField(tensorLeaf(b.outputs[mr.outputNode]!)) as Hex;
}

/** What an honest party of a graph claim checks before it challenges (protocol/actors/actor.ts `ClaimCheck`). */
/**
 * `at(n)`: state n of the graph phase (past the last op: the fully evaluated graph), the output
 * node's leaf in it (NO_OUTPUT while its slot is empty, as GraphClaimBinding.outputOf) and its opening.
 */
export function graphCheck(
  trace: GraphTrace,
  binding: GraphBinding,
  input: Uint8Array,
  outputNode: number,
): ClaimCheck {
  const at = (n: bigint) => {
    if (n < 0n) throw new TraceError("graph state index must be non-negative", { n: n.toString() });
    const tree = trace.treeAt(Number(n < trace.steps ? n : trace.steps));
    const leaf = tree.leaf(outputNode);
    return {
      finalRoot: trace.rootAt(n),
      output: leaf === 0n ? NO_OUTPUT : rootFromField(leaf),
      opening: binding.opening(tree),
    };
  };
  return {
    startRoot: trace.rootAt(0n),
    aux: binding.aux(input),
    startMoves: binding.startMoves(input),
    ...at(trace.steps),
    at,
  };
}

/** The single-phase variant: the whole model program on the VM; a liar's end state carries another stdout hash. */
export async function modelProgramTrace(
  mr: ModelRun,
  liar: boolean,
  leaf: LeafProver,
): Promise<VmPhaseTrace & { outHash: bigint }> {
  const run = await Trace.create(loadElf(new Uint8Array(readFileSync(wholeProgram(mr).elf))), {
    input: wholeProgram(mr).input,
  });
  const f = run.seek(run.length).fields();
  const outHash = liar ? poseidon4(f.outHash, 1n, 0xbadn, 4n) : f.outHash;
  const end = liar ? stateRoot({ ...f, outHash }) : undefined;
  return { ...vmPhaseTrace(run, leaf, { end, label: "model program" }), outHash };
}
