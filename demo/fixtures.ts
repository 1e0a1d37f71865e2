/**
 * Writes contracts/test/fixtures/demo_link.json for contracts/test/demo/GraphVmLink.t.sol: the
 * GraphVmLink configuration of the MNIST model and the honest opening of every op node for test
 * image 8000 (graph roots before/after, VM start/end roots, padded steps, link proof), plus a
 * consistent liar's opening of the last op. Run: `npx tsx demo/fixtures.ts` (fixtures flow one way,
 * TS -> JSON -> forge; the file is committed so forge tests need no TS step).
 */
import { renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { nodeProgramConstants } from "../protocol/link/graph.ts";
import { honestBelief, loadModelRun, lyingBelief } from "../protocol/trace/model.ts";
import { GraphTrace } from "../protocol/trace/graph.ts";
import { SnarkLeaf } from "../protocol/trace/leaf.ts";

const OUT = fileURLToPath(new URL("../contracts/test/fixtures/demo_link.json", import.meta.url));
const hex = (x: bigint) => "0x" + x.toString(16).padStart(64, "0");

const mr = await loadModelRun("mnist", { image: 8000 });
const np = await nodeProgramConstants();
let depth = 1;
while (4 ** depth < mr.graph.nodes.length) depth++;
const cases = [];
// the VM phase is padded to m = 2 (the snark leaf's m; no proof is made here)
const leaf = new SnarkLeaf("groth16", 2);
const open = async (g: GraphTrace, t: number) => {
  const o = await g.open(BigInt(t), 1n);
  return { t, pre: g.rootAt(BigInt(t)), post: g.rootAt(BigInt(t + 1)), start: o.innerStart, end: o.innerEnd, steps: Number(o.innerSteps), proof: o.linkProof };
};
const honest = new GraphTrace(mr, honestBelief(mr), leaf);
for (let t = 0; t < mr.ops.length; t++) cases.push(await open(honest, t));
const liar = await open(new GraphTrace(mr, lyingBelief(mr, mr.ops.length - 1), leaf), mr.ops.length - 1);
const json = {
  model: "mnist-i8, test image 8000", m: 2, opsRoot: mr.opsTree.root, opCount: mr.ops.length, depth,
  core0: hex(np.core0), mem0: hex(np.mem0), code0: hex(np.code0), cases, liar,
};
writeFileSync(`${OUT}.tmp`, JSON.stringify(json, null, 1) + "\n");
renameSync(`${OUT}.tmp`, OUT);
console.log(`wrote ${OUT}: ${cases.length} openings`);
