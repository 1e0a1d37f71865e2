/**
 * Native graph executor: runs a graph node by node with the TS ops (ml/dnn/ops.ts, the twin of the
 * node program) and, when committing, updates the graph tree after every node (commit.ts), so
 * `roots[i]` is the graph state root after node i — the per-node checkpoints of phase 1.
 *
 * Const-node leaves (weights) are memoised by SHA-256 of their bytes in-process and in a small JSON
 * cache under the OS temp dir (a leaf is a pure function of the bytes; a stale entry is impossible,
 * a corrupt file is ignored), because a 1 MB weight set costs ~90k Poseidon hashes.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initPoseidon } from "../../vm/poseidon/index.ts";
import { runOp } from "../dnn/ops.ts";
import { type Graph, GraphError, byteLen } from "./graph.ts";
import { GraphTree, tensorLeafBatch } from "./commit.ts";

export type GraphInputs = Record<string, Uint8Array>;
export type GraphRun = {
  graph: Graph;
  outputs: Uint8Array[];
  /** present when committed: leaf per node, root after each node, the final tree */
  leaves?: bigint[];
  roots?: bigint[];
  tree?: GraphTree;
  seconds: { compute: number; commit: number };
};

const memo = new Map<string, bigint>();
const CACHE = join(tmpdir(), "zkfp-ml-const-leaves.json");
let diskLoaded = false;
function constLeaf(data: Uint8Array): bigint {
  const h = createHash("sha256").update(data).digest("hex");
  if (!diskLoaded) {
    diskLoaded = true;
    try {
      for (const [k, v] of Object.entries(JSON.parse(readFileSync(CACHE, "utf8")) as Record<string, string>))
        memo.set(k, BigInt(v));
    } catch {
      /* no cache yet, or unreadable: recompute */
    }
  }
  let leaf = memo.get(h);
  if (leaf === undefined) {
    leaf = tensorLeafBatch(data);
    memo.set(h, leaf);
    if (data.length >= 4096) {
      const tmp = `${CACHE}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(Object.fromEntries([...memo].map(([k, v]) => [k, v.toString()]))));
      renameSync(tmp, CACHE);
    }
  }
  return leaf;
}

/**
 * `constLeaves[i]`, when given, is node i's leaf (a model commitment computed once, ml/graph/model.ts)
 * and replaces hashing that const node's bytes; `progress` is called every ~2 s with nodes done.
 */
export async function executeGraph(
  g: Graph,
  inputs: GraphInputs,
  opts: {
    commit?: boolean;
    constLeaves?: readonly (bigint | undefined)[];
    progress?: (done: number, total: number) => void;
  } = {},
): Promise<GraphRun> {
  const commit = opts.commit ?? true;
  if (commit) await initPoseidon();
  const outputs: Uint8Array[] = [];
  const leaves: bigint[] = [],
    roots: bigint[] = [];
  const tree = commit ? new GraphTree(g.nodes.length) : undefined;
  let tc = 0,
    tk = 0,
    lastReport = performance.now();
  g.nodes.forEach((n, i) => {
    if (opts.progress && performance.now() - lastReport > 2000) {
      lastReport = performance.now();
      opts.progress(i, g.nodes.length);
    }
    const t0 = performance.now();
    let out: Uint8Array;
    if (n.kind === "const") out = n.data;
    else if (n.kind === "input") {
      const v = inputs[n.name];
      if (!v) throw new GraphError("missing graph input", { input: n.name });
      if (v.length !== byteLen(n))
        throw new GraphError("graph input has the wrong byte length", {
          input: n.name,
          length: v.length,
          expected: byteLen(n),
        });
      out = v;
    } else
      out = runOp(
        n.op,
        n.params,
        n.inputs.map((j) => outputs[j]!),
      );
    outputs.push(out);
    const t1 = performance.now();
    tc += t1 - t0;
    if (tree) {
      const leaf = n.kind === "const" ? (opts.constLeaves?.[i] ?? constLeaf(out)) : tensorLeafBatch(out);
      leaves.push(leaf);
      tree.set(i, leaf);
      roots.push(tree.root());
      tk += performance.now() - t1;
    }
  });
  return {
    graph: g,
    outputs,
    ...(tree ? { leaves, roots, tree } : {}),
    seconds: { compute: tc / 1000, commit: tk / 1000 },
  };
}
