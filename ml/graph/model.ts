/**
 * Model commitment: the tensor leaf of every const node of a graph (each weight blob's
 * `P2(blobRoot, len)`, commit.ts) and the graph-tree root over those leaves alone (the
 * prefix-filled tree with const nodes set and everything else 0). It is a function of the graph's
 * weights and structure only, so it is computed once per model and cached on disk.
 *
 * Cache: `<dir>/<key>.json` with key = SHA-256 over (node count, then per const node its index,
 * name, dtype, shape and bytes); the file stores the key, the leaves and the root, and is accepted
 * only if its stored key matches and it parses (a corrupt or foreign file is recomputed, never
 * trusted by name). A stale entry is impossible: the key covers every committed byte. The cache is
 * a convenience for the party that computes its own roots; the game never sees it.
 *
 * Hashing: one batch native P4 call per blob-tree level (blobRootBatch) with `threads` POSIX
 * threads; `progress` reports bytes hashed.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { initPoseidon } from "../../vm/poseidon/index.ts";
import type { Graph } from "./graph.ts";
import { GraphTree, tensorLeafBatch } from "./commit.ts";

export const MODEL_CACHE_DIR = process.env.ZKFP_MODEL_CACHE ?? join(import.meta.dirname, "../../.cache/ml/models");

export type ModelCommitment = {
  key: string;
  /** leaf per node index (const nodes only; undefined elsewhere) */
  leaves: (bigint | undefined)[];
  /** graph root with exactly the const leaves set */
  root: bigint;
  constBytes: number;
  /** P4 hashes of the blob trees (non-empty prefix per level) */
  hashes: number;
  cached: boolean;
  seconds: { key: number; hash: number };
};

/** P4 hashes blobRootBatch spends on a blob of `bytes` bytes. */
export function blobHashes(bytes: number): number {
  let n = Math.ceil(bytes / 4),
    h = 0;
  for (let l = 0; l < 10; l++) {
    n = Math.ceil(n / 4);
    h += n;
  }
  return h;
}

export function modelKey(g: Graph): string {
  const h = createHash("sha256");
  h.update(`zkfp-model-1 ${g.nodes.length}\n`);
  g.nodes.forEach((n, i) => {
    if (n.kind !== "const") return;
    h.update(`${i} ${n.name} ${n.dtype} ${n.shape.join("x")}\n`);
    h.update(n.data);
  });
  return h.digest("hex");
}

export async function modelCommitment(
  g: Graph,
  opts: {
    dir?: string;
    threads?: number;
    cache?: boolean;
    progress?: (bytesDone: number, bytesTotal: number) => void;
  } = {},
): Promise<ModelCommitment> {
  await initPoseidon();
  const dir = opts.dir ?? MODEL_CACHE_DIR;
  const t0 = performance.now();
  const key = modelKey(g);
  const t1 = performance.now();
  const consts = g.nodes.flatMap((n, i) => (n.kind === "const" ? [{ i, data: n.data }] : []));
  const constBytes = consts.reduce((a, c) => a + c.data.length, 0);
  const hashes = consts.reduce((a, c) => a + blobHashes(c.data.length), 0);
  const file = join(dir, `${key}.json`);
  if (opts.cache !== false) {
    try {
      const j = JSON.parse(readFileSync(file, "utf8")) as { key: string; leaves: [number, string][]; root: string };
      if (j.key === key && j.leaves.length === consts.length && j.leaves.every(([i], k) => i === consts[k]!.i)) {
        const leaves: (bigint | undefined)[] = new Array(g.nodes.length);
        for (const [i, v] of j.leaves) leaves[i] = BigInt(v);
        return {
          key,
          leaves,
          root: BigInt(j.root),
          constBytes,
          hashes,
          cached: true,
          seconds: { key: (t1 - t0) / 1000, hash: 0 },
        };
      }
    } catch {
      /* no cache entry or unreadable: compute */
    }
  }
  const leaves: (bigint | undefined)[] = new Array(g.nodes.length);
  let done = 0,
    last = performance.now();
  for (const c of consts) {
    leaves[c.i] = tensorLeafBatch(c.data, opts.threads ?? 2);
    done += c.data.length;
    if (opts.progress && performance.now() - last > 2000) {
      last = performance.now();
      opts.progress(done, constBytes);
    }
  }
  const tree = GraphTree.fromLeaves(
    g.nodes.length,
    Array.from(leaves, (x) => x ?? 0n),
  );
  const root = tree.root();
  const t2 = performance.now();
  if (opts.cache !== false) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(
      tmp,
      JSON.stringify({ key, leaves: consts.map((c) => [c.i, leaves[c.i]!.toString()]), root: root.toString() }),
    );
    renameSync(tmp, file);
  }
  return {
    key,
    leaves,
    root,
    constBytes,
    hashes,
    cached: false,
    seconds: { key: (t1 - t0) / 1000, hash: (t2 - t1) / 1000 },
  };
}
