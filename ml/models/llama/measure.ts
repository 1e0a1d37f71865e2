/**
 * Measures one LLaMA shape in this process (so maxRSS is the shape's own peak), printing one JSON
 * object on the last stdout line. Used by ml/llama.bench.ts (one child process per shape).
 *
 *   npx tsx ml/models/llama/measure.ts --shape stories15M [--commit full|sample|none] [--sample-mib 64] [--demo] [--fresh] [--compare]
 *
 *  - weights (synthetic, seed 1, or env ZKFP_CHECKPOINT), graph build, native forward without
 *    commitments (s/token, one position from BOS);
 *  - model commitment: `full` hashes every weight tile (first run with --fresh: a temp cache dir;
 *    then the cached run), `sample` hashes the first >= 64 MiB (--sample-mib) of tiles and reports the measured
 *    rate and the extrapolated full time (marked as estimated), `none` skips it;
 *  - --compare: the commitment's hashing blob by blob (before) against grouped blobs (after, what
 *    model.ts does) on every 6th weight tile, alternating twice, best rate each (leaves equal);
 *  - steps of disputed nodes: the node program (mode 1, preimage inputs) on the zkfp VM for the
 *    final ARGMAX (the demo's default lie) and for the largest matmul tile, each as a one-node graph
 *    over the real input tensors of this run;
 *  - rounds per phase at k = 3, m = 1 (protocol/game/spacing.ts);
 *  - --demo: the end-to-end dispute (demo/run.ts, anvil, liar = claimer, k = 3, m = 1 one-step
 *    leaf): wall time, rounds and gas per phase, leaf proof time; --demo-only runs just that (the
 *    process's peak RSS is then the dispute's own), with the weights of ZKFP_CHECKPOINT if set;
 *    --write-rows FILE writes the shape's repeated-row checkpoint (synthetic.ts repeatRows) and exits.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initPoseidon, poseidon2, poseidonBackend } from "../../../vm/poseidon/index.ts";
import { OP, OP_NAMES } from "../../dnn/ops.ts";
import { type Graph, byteLen, constNode, opNode } from "../../graph/graph.ts";
import { executeGraph } from "../../graph/executor.ts";
import { committedGraph, honestBelief } from "../../../protocol/trace/model.ts";
import { GraphTrace } from "../../../protocol/trace/graph.ts";
import { oneStepLeaf } from "../../../protocol/trace/leaf.ts";
import { graphVmLink } from "../../../protocol/link/twins.ts";
import { nodeProgramConstants } from "../../../protocol/link/graph.ts";
import { GraphTree } from "../../graph/commit.ts";
import { blobHashes, modelCommitment } from "../../graph/model.ts";
import { blobRootsBatch, tensorLeafBatch } from "../../graph/commit.ts";
import { rounds } from "../../../protocol/game/spacing.ts";
import { parameterCount, writeCheckpoint } from "./checkpoint.ts";
import { repeatRows } from "./synthetic.ts";
import { buildLlamaGraph, llamaInputs } from "./graph.ts";
import { type ShapeName, isLlamaShape, loadLlamaModel } from "./run.ts";

const args = process.argv.slice(2);
const arg = (k: string, d?: string) => (args.includes(k) ? args[args.indexOf(k) + 1] : d);
const shape = arg("--shape", "stories15M")!;
const commitMode = arg("--commit", "full")!;
if (!isLlamaShape(shape)) throw new Error(`unknown shape ${shape}`);
const log = (m: string) => process.stderr.write(`[${shape}] ${m}\n`);
const K = 3;

await initPoseidon();
const out: Record<string, unknown> = { shape };
let t = performance.now();
const lap = () => {
  const n = performance.now();
  const s = (n - t) / 1000;
  t = n;
  return s;
};
if (arg("--write-rows")) {
  // the shape's repeated-row checkpoint (synthetic seed 1, synthetic.ts repeatRows) for --demo-only
  writeCheckpoint(repeatRows(loadLlamaModel(shape as ShapeName, undefined)), arg("--write-rows")!);
  console.log(JSON.stringify({ wrote: arg("--write-rows") }));
  process.exit(0);
}
if (args.includes("--demo-only")) {
  out.demo = await demo();
  out.maxRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify(out));
  process.exit(0);
}
const model = loadLlamaModel(shape as ShapeName, process.env.ZKFP_CHECKPOINT);
out.params = parameterCount(model.config);
out.loadS = lap();
log(`weights ${out.loadS} s`);
const lg = buildLlamaGraph(model, 1, 1);
out.buildS = lap();
const g = lg.graph;
const ops = g.nodes.length - lg.firstOp;
out.nodes = { total: g.nodes.length, weightTiles: lg.constNodes, opsPerToken: lg.opsPerPosition[0] };
out.constBytes = g.nodes.reduce((a, n) => a + (n.kind === "const" ? n.data.length : 0), 0);
out.blobHashes = g.nodes.reduce((a, n) => a + (n.kind === "const" ? blobHashes(n.data.length) : 0), 0);
const inputs = llamaInputs([1], model.config.vocabSize);
lap();
const plain = await executeGraph(g, inputs, { commit: false });
out.nativeSPerToken = lap();
out.nextToken = new Int32Array(plain.outputs[lg.next[0]!]!.slice().buffer)[0];
log(`native forward ${out.nativeSPerToken} s/token, ${ops} ops, ${lg.constNodes} tiles`);

// ---- model commitment ----
/**
 * the addon's raw batch P4 rate in this process under the current load (best of 5 bursts of 2^13
 * hashes, one thread): the reference for the commitment's rate
 */
function rawP4Rate(): number {
  const be = poseidonBackend() as unknown as {
    hash4Batch?: (i: BigUint64Array, o: BigUint64Array, n: number, t?: number) => void;
  };
  if (!be.hash4Batch) return NaN;
  const n = 1 << 13,
    inp = new BigUint64Array(16 * n),
    o = new BigUint64Array(4 * n);
  for (let i = 0; i < 4 * n; i++) inp[4 * i] = BigInt(i * 7919);
  let best = 0;
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    be.hash4Batch.call(be, inp, o, n, 1);
    best = Math.max(best, n / ((performance.now() - t0) / 1000));
  }
  return best;
}
out.rawP4PerS = rawP4Rate();
if (args.includes("--compare")) {
  // the model commitment's hashing before (blob by blob, commit.ts blobRootBatch with 2 threads, as
  // model.ts did) and after (groups of blobs, one batch call per level: blobRootsBatch) on the same
  // blobs (every 6th weight tile, both paths alternating twice, best rate each), leaves checked equal
  const blobs = g.nodes.flatMap((n, i) => (n.kind === "const" && i % 6 === 0 ? [n.data] : []));
  const hashes = blobs.reduce((a, b) => a + blobHashes(b.length), 0);
  const bytes = blobs.reduce((a, b) => a + b.length, 0);
  const best = { before: 0, after: 0 };
  let before: bigint[] = [],
    after: bigint[] = [];
  for (let round = 0; round < 2; round++) {
    lap();
    before = blobs.map((b) => tensorLeafBatch(b, 2));
    best.before = Math.max(best.before, hashes / lap());
    after = [];
    for (let a = 0; a < blobs.length; ) {
      let b = a + 1,
        sz = blobs[a]!.length;
      while (b < blobs.length && sz + blobs[b]!.length <= 16 << 20) sz += blobs[b++]!.length;
      const r = blobRootsBatch(blobs.slice(a, b), 2);
      r.forEach((x, q) => after.push(poseidon2(x, BigInt(blobs[a + q]!.length))));
      a = b;
    }
    best.after = Math.max(best.after, hashes / lap());
    log(`commitment hashing compare round ${round}: ${JSON.stringify(best)}`);
  }
  if (before.some((x, i) => x !== after[i])) throw new Error("grouped and per-blob commitment leaves differ");
  out.commitCompare = { blobs: blobs.length, bytes, hashes, beforePerS: best.before, afterPerS: best.after };
}
if (commitMode === "full") {
  const fresh = args.includes("--fresh") ? mkdtempSync(join(tmpdir(), "zkfp-mc-")) : undefined;
  try {
    const a = await modelCommitment(g, {
      dir: fresh,
      progress: (d, n) => log(`commitment ${(d / 2 ** 20).toFixed(0)}/${(n / 2 ** 20).toFixed(0)} MiB`),
    });
    out.commitFirst = {
      seconds: lap(),
      cached: a.cached,
      hashesPerS: a.cached ? null : a.hashed / a.seconds.hash,
      hashed: a.hashed,
      keyS: a.seconds.key,
    };
    const b = await modelCommitment(g, { dir: fresh });
    out.commitCached = { seconds: lap(), cached: b.cached };
    lap();
    const run = await executeGraph(g, inputs, { constLeaves: b.leaves });
    out.committedForwardS = lap();
    out.graphRoot = run.roots!.at(-1)!.toString();
  } finally {
    if (fresh) rmSync(fresh, { recursive: true, force: true });
  }
} else if (commitMode === "sample") {
  let bytes = 0,
    hashes = 0;
  const sample: Uint8Array[] = [];
  for (const n of g.nodes) {
    if (n.kind !== "const") continue;
    sample.push(n.data);
    bytes += n.data.length;
    hashes += blobHashes(n.data.length);
    if (bytes >= Number(arg("--sample-mib", "64")) * 2 ** 20) break;
  }
  lap();
  blobRootsBatch(sample, 2);
  const s = lap();
  out.commitSample = {
    bytes,
    hashes,
    seconds: s,
    hashesPerS: hashes / s,
    estimatedFullS: (out.blobHashes as number) / (hashes / s),
  };
  log(`commitment sample ${bytes} bytes in ${s} s`);
}

// ---- disputed nodes on the VM ----
async function nodeSteps(i: number) {
  const n = g.nodes[i]!;
  if (n.kind !== "op") throw new Error("not an op");
  const mini: Graph = { name: "one", nodes: [], outputs: [] };
  const ins = n.inputs.map((j, q) =>
    constNode(
      mini,
      `in${q}`,
      g.nodes[j]!.dtype,
      [byteLen(g.nodes[j]!) / (g.nodes[j]!.dtype === "i8" || g.nodes[j]!.dtype === "u8" ? 1 : 4)],
      plain.outputs[j]!,
    ),
  );
  const o = opNode(mini, n.name, n.op, n.params, ins);
  const r = await executeGraph(mini, {});
  const cg = committedGraph(mini, r);
  const trace = new GraphTrace(cg, honestBelief(cg), oneStepLeaf);
  const t0 = performance.now();
  const op = await trace.open(0n, 1n);
  const vmS = (performance.now() - t0) / 1000;
  const link = graphVmLink({
    opsRoot: cg.opsTree.root,
    opCount: cg.ops.length,
    graphDepth: GraphTree.depthFor(mini.nodes.length),
    m: 1n,
    ...(await nodeProgramConstants()),
  });
  if (!link.verifyLink(trace.rootAt(0n), trace.rootAt(1n), op.innerStart, op.innerEnd, op.innerSteps, op.linkProof))
    throw new Error(`node ${n.name}: VM end state does not hold the native leaf`);
  const steps = Number((op.trace as unknown as { halt: number | bigint }).halt);
  return { node: n.name, op: OP_NAMES[n.op], params: n.params, steps, vmS, roundsPhase2: rounds(BigInt(steps), K, 1n) };
}
let big = -1,
  bigMacs = 0;
g.nodes.forEach((n, i) => {
  if (n.kind === "op" && n.op === OP.MATMUL_F32 && n.params[0]! * n.params[1]! > bigMacs) {
    bigMacs = n.params[0]! * n.params[1]!;
    big = i;
  }
});
out.disputed = { argmax: await nodeSteps(lg.next[0]!), largestTile: await nodeSteps(big) };
log(`disputed nodes ${JSON.stringify(out.disputed)}`);
out.roundsPhase1 = rounds(BigInt(ops), K, 1n);

// ---- end to end ----
if (args.includes("--demo")) out.demo = await demo();

/** the end-to-end dispute (demo/run.ts), its wall time, rounds and gas per phase, leaf proof */
async function demo() {
  const { runDemo } = await import("../../../demo/run.ts");
  const t0 = performance.now();
  const r = await runDemo({
    model: shape as ShapeName,
    liar: "claimer",
    k: K,
    m: 1,
    phases: 2,
    backend: "groth16",
    prompt: [1],
    progress: (m) => log(m),
  });
  const wall = (performance.now() - t0) / 1000;
  const gasByPhase: Record<string, string> = {};
  for (const m of r.moves) gasByPhase[m.phase] = (BigInt(gasByPhase[m.phase] ?? 0) + BigInt(m.gas)).toString();
  return {
    wallS: wall,
    weights: process.env.ZKFP_CHECKPOINT ? `checkpoint ${process.env.ZKFP_CHECKPOINT}` : "synthetic",
    honestWon: r.honestWon,
    phases: r.phases,
    gasByPhase,
    gasTotal: r.gas.total,
    gas: r.gas,
    moves: r.moves.length,
    proof: r.proof && { kind: r.proof.kind, seconds: r.proof.seconds, valid: r.proof.valid },
    timings: r.timings,
    disputedNode: r.disputedNode,
  };
}
out.maxRssMiB = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify(out));
