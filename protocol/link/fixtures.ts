/**
 * Writes the forge fixtures of the phase link and the claim bindings (fixtures flow one way,
 * TS -> JSON -> forge; the files are committed so forge needs no TS step):
 *
 *   contracts/test/fixtures/graph_link_mnist.json    GraphVmLink config of MNIST (test image 8000) and the
 *                                                    honest opening of every op node (m = 2) plus a
 *                                                    consistent liar's opening of the last op
 *   contracts/test/fixtures/graph_link_stories.json  stories260K (prompt [1]): honest openings at every
 *                                                    parallel pair's step t, the `prevLeaf = p` attack
 *                                                    (op t+1 opened at step t) and a sample of openings
 *                                                    of op t' at step t != t'
 *   contracts/test/fixtures/bindings.json            GraphClaimBinding of MNIST (784-byte image) and of
 *                                                    stories260K with a 1- and a 128-token prompt, the
 *                                                    RV32IMClaimBinding of echo_input.elf and mnist-i8.elf:
 *                                                    constructor args, input, aux, the start root the
 *                                                    reference derives, output openings
 *
 * Run: `npx tsx protocol/link/fixtures.ts` (~1 min). Start roots come from the references (the graph
 * phase's root 0 / vm Machine.stateRoot), not from the twins, so the fixtures test the twins too.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadElf, Machine } from "../../vm/index.ts";
import { initPoseidon, FIELD_MODULUS } from "../../vm/poseidon/index.ts";
import { GraphTree, subtreeLevel, tensorLeaf } from "../../ml/graph/commit.ts";
import { loadCheckpoint } from "../../ml/models/stories/checkpoint.ts";
import { buildStoriesGraph } from "../../ml/models/stories/graph.ts";
import { guestPath } from "../../ml/guests/run.ts";
import { honestBelief, loadModelRun, lyingBelief, type ModelRun } from "../trace/model.ts";
import { GraphTrace, nodeVmPhase } from "../trace/graph.ts";
import { TraceError } from "../trace/types.ts";
import { oneStepLeaf, SnarkLeaf, type LeafProver } from "../trace/leaf.ts";

/** The leaf prover whose m pads the VM phase (no proof is made here). */
const padTo = (m: bigint): LeafProver => (m === 1n ? oneStepLeaf : new SnarkLeaf("groth16", Number(m)));
import { encodeLinkProof, nodeProgramConstants, type LinkProof } from "./graph.ts";
import { graphBinding, graphClaimConfig } from "./graph-claim.ts";
import { rv32imBinding, rv32imProgram, stateOpening } from "./rv32im.ts";
import type { Hex, Root } from "../game/types.ts";

const DIR = fileURLToPath(new URL("../../contracts/test/fixtures/", import.meta.url));
const hex = (x: bigint) => "0x" + x.toString(16).padStart(64, "0");
const bytesHex = (b: Uint8Array) => ("0x" + Buffer.from(b).toString("hex")) as Hex;
const write = (name: string, j: unknown) => {
  writeFileSync(`${DIR}${name}.tmp`, JSON.stringify(j, (_, v) => (typeof v === "bigint" ? v.toString() : v), 1) + "\n");
  renameSync(`${DIR}${name}.tmp`, `${DIR}${name}`);
  console.log(`wrote contracts/test/fixtures/${name}`);
};

await initPoseidon();
const np = await nodeProgramConstants();
const depthOf = (n: number) => {
  let d = 1;
  while (4 ** d < n) d++;
  return d;
};

function linkConfig(mr: ModelRun, m: number) {
  return {
    opsRoot: mr.opsTree.root,
    opCount: mr.ops.length,
    depth: depthOf(mr.graph.nodes.length),
    m,
    core0: hex(np.core0),
    mem0: hex(np.mem0),
    code0: hex(np.code0),
  };
}

async function opening(g: GraphTrace, t: number, m: bigint) {
  if (g.leaf.m !== m) throw new Error(`graph trace padded to m = ${g.leaf.m}, not ${m}`);
  const o = await g.open(BigInt(t), 1n);
  return {
    t,
    pre: g.rootAt(BigInt(t)),
    post: g.rootAt(BigInt(t + 1)),
    start: o.innerStart,
    end: o.innerEnd,
    steps: Number(o.innerSteps),
    proof: o.linkProof,
  };
}

/** The shown attack: op t' opened at graph step t with the given prevLeaf (p aliases an empty slot). */
async function misplaced(mr: ModelRun, g: GraphTrace, t: number, tp: number, m: bigint, prevLeaf: bigint) {
  const d = mr.ops[tp]!;
  const before = g.treeAt(t);
  const { vm, parts: end } = await nodeVmPhase(mr, g.belief, d, padTo(m));
  if (!end) throw new TraceError("the node program fails on this op", { op: tp });
  const after = g.treeAt(t);
  after.set(d.node, g.belief.leaves[d.node]!);
  const k = subtreeLevel(d.outLen);
  const parts: LinkProof = {
    t: tp,
    d,
    opsProof: mr.opsTree.proof(tp),
    inputLeaves: d.inputs.map((j) => g.belief.leaves[j]!),
    inputProofs: d.inputs.map((j) => before.proof(j)),
    prevLeaf,
    prevProof: tp === 0 ? [] : before.proof(Number(d.prev)),
    outProof: before.proof(d.node),
    ...end,
  };
  return {
    t,
    tp,
    pre: g.rootAt(BigInt(t)),
    post: hex(after.root()),
    start: vm.rootAt(0n),
    end: vm.rootAt(vm.steps),
    steps: Number(vm.steps),
    proof: encodeLinkProof(parts),
  };
}

// ---- links
{
  const mr = await loadModelRun("mnist", { image: 8000 });
  const g = new GraphTrace(mr, honestBelief(mr), padTo(2n));
  const cases = [];
  for (let t = 0; t < mr.ops.length; t++) cases.push(await opening(g, t, 2n));
  const liar = await opening(new GraphTrace(mr, lyingBelief(mr, mr.ops.length - 1), padTo(2n)), mr.ops.length - 1, 2n);
  write("graph_link_mnist.json", { model: "mnist-i8, test image 8000", ...linkConfig(mr, 2), cases, liar });
}
{
  const mr = await loadModelRun("stories260K", {});
  const g = new GraphTrace(mr, honestBelief(mr), padTo(1n));
  const pairs: number[] = [];
  for (let t = 0; t + 1 < mr.ops.length; t++) if (!mr.ops[t + 1]!.inputs.includes(mr.ops[t]!.node)) pairs.push(t);
  const honest = [],
    attacks = [],
    zeroPrev = [];
  for (const t of pairs) {
    honest.push(await opening(g, t, 1n));
    attacks.push(await misplaced(mr, g, t, t + 1, 1n, FIELD_MODULUS));
    zeroPrev.push(await misplaced(mr, g, t, t + 1, 1n, 0n));
  }
  // a sample of other misplaced openings: t' < t (slot already filled) and t' > t + 1
  const sample = [];
  for (const [t, tp] of [
    [10, 3],
    [40, 39],
    [78, 0],
    [0, 5],
    [20, 60],
  ] as const) {
    const d = mr.ops[tp]!;
    sample.push(await misplaced(mr, g, t, tp, 1n, tp === 0 ? 0n : g.treeAt(t).leaf(Number(d.prev))));
  }
  write("graph_link_stories.json", {
    model: "stories260K, prompt [1]",
    ...linkConfig(mr, 1),
    pairs,
    honest,
    attacks,
    zeroPrev,
    sample,
  });
}

// ---- bindings
function graphBindingCase(
  name: string,
  mr: { graph: ModelRun["graph"]; outputNode: number; opsRoot: ModelRun["opsTree"]["root"] },
  leaves: bigint[],
  input: Uint8Array,
  startRoot: string,
  finalTree: GraphTree | null,
) {
  const cfg = graphClaimConfig(mr.graph, leaves, mr.outputNode, mr.opsRoot, np);
  const b = graphBinding(cfg);
  const inputHex = bytesHex(input);
  const aux = b.aux(input);
  if (b.startRoot(inputHex, aux) !== startRoot) throw new Error(`${name}: twin start root differs from the reference`);
  const out = finalTree
    ? { opening: b.opening(finalTree), output: hex(finalTree.leaf(mr.outputNode)), finalRoot: hex(finalTree.root()) }
    : null;
  return {
    name,
    args: {
      baseRoot: hex(cfg.baseRoot),
      depth: cfg.depth,
      firstInput: cfg.firstInput,
      inputLens: cfg.inputLens,
      outputNode: cfg.outputNode,
      opsRoot: cfg.opsRoot,
      nodeProgram: cfg.nodeProgram,
    },
    programHash: b.programHash,
    input: inputHex,
    aux,
    startRoot,
    ...(out ?? {}),
  };
}
const graphs = [];
for (const model of ["mnist", "stories260K"] as const) {
  const mr = await loadModelRun(model, {});
  const g = new GraphTrace(mr, honestBelief(mr), oneStepLeaf);
  graphs.push(
    graphBindingCase(
      model,
      { graph: mr.graph, outputNode: mr.outputNode, opsRoot: mr.opsTree.root },
      mr.run.leaves!,
      mr.input,
      g.rootAt(0n),
      g.treeAt(mr.ops.length),
    ),
  );
}
{
  // stories260K with a 128-token prompt: the graph is not executed (only the weights and the input
  // slots matter for the start root); reference = a GraphTree with consts and the 128 token leaves
  const ck = loadCheckpoint();
  const sg = buildStoriesGraph(ck, 128, 128);
  const leaves = sg.graph.nodes.map((n) => (n.kind === "const" ? tensorLeaf(n.data) : 0n));
  const prompt = Array.from({ length: 128 }, (_, i) => (i * 37 + 1) % ck.config.vocabSize);
  const input = new Uint8Array(new Int32Array(prompt).buffer);
  const ref = new GraphTree(sg.graph.nodes.length);
  sg.graph.nodes.forEach((n, i) => n.kind === "const" && ref.set(i, leaves[i]!));
  const firstInput = sg.graph.nodes.findIndex((n) => n.kind === "input");
  prompt.forEach((_, j) => ref.set(firstInput + j, tensorLeaf(input.subarray(4 * j, 4 * j + 4))));
  graphs.push(
    graphBindingCase(
      "stories260K-128",
      { graph: sg.graph, outputNode: sg.next.at(-1)!, opsRoot: hex(0n) as Root },
      leaves,
      input,
      hex(ref.root()),
      null,
    ),
  );
}
const rv = [];
for (const [name, elf, input] of [
  [
    "echo_input",
    new URL("../../vm/guests/bin/echo_input.elf", import.meta.url).pathname,
    new TextEncoder().encode("zkfp binds its input"),
  ],
  ["mnist-i8 (784-byte image)", guestPath("mnist-i8"), (await loadModelRun("mnist", {})).input],
] as const) {
  const prog = await rv32imProgram(elf);
  const b = rv32imBinding(prog);
  const m = await Machine.create(loadElf(new Uint8Array(readFileSync(elf))), { input });
  const startRoot = hex(m.stateRoot());
  if (b.startRoot(bytesHex(input), "0x") !== startRoot) throw new Error(`${name}: twin start root differs from the VM`);
  let fin = null;
  if (name === "echo_input") {
    const r = m.run();
    const f = m.fields();
    fin = {
      finalRoot: hex(m.stateRoot()),
      opening: stateOpening(f),
      output: hex(f.outHash),
      exited: r.status,
      steps: r.steps,
    };
  }
  rv.push({
    name,
    core0: hex(prog.core0),
    mem0: hex(prog.mem0),
    code0: hex(prog.code0),
    programHash: b.programHash,
    input: bytesHex(input),
    startRoot,
    ...(fin ?? {}),
  });
}
write("bindings.json", { graphs, rv32im: rv });
