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
 * Hashing: the const blobs in groups of <= 16 MiB, one native batch P4 call per blob-tree level
 * over the whole group (commit.ts blobRootsBatch) on `threads` POSIX threads (default: every
 * core); `progress` reports the bytes hashed of the distinct blobs' bytes. Nothing is hashed
 * twice: each word once at level 0, each tree node once above it, and a blob identical to an
 * earlier one (SHA-256, then compared byte for byte) takes that blob's leaf instead of being hashed
 * again.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { availableParallelism } from "node:os";
import { initPoseidon, poseidon2 } from "../../vm/poseidon/index.ts";
import type { Graph } from "./graph.ts";
import { GraphTree, blobRootsBatch } from "./commit.ts";

/** blob bytes hashed per blobRootsBatch call (its level-0 limb array is 8x this) */
const GROUP_BYTES = 16 << 20;

export const MODEL_CACHE_DIR = process.env.ZKFP_MODEL_CACHE ?? join(import.meta.dirname, "../../.cache/ml/models");

export type ModelCommitment = {
  key: string;
  /** leaf per node index (const nodes only; undefined elsewhere) */
  leaves: (bigint | undefined)[];
  /** graph root with exactly the const leaves set */
  root: bigint;
  constBytes: number;
  /** P4 hashes of the blob trees (non-empty prefix per level), every const node counted */
  hashes: number;
  /** P4 hashes this call computed: identical blobs once, 0 when read from the cache */
  hashed: number;
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
          hashed: 0,
          cached: true,
          seconds: { key: (t1 - t0) / 1000, hash: 0 },
        };
      }
    } catch {
      /* no cache entry or unreadable: compute */
    }
  }
  const leaves: (bigint | undefined)[] = new Array(g.nodes.length);
  const threads = opts.threads ?? availableParallelism();
  // identical blobs (same bytes: SHA-256, then compared byte for byte) are hashed once
  const first = new Map<string, { i: number; data: Uint8Array }>();
  const copies: { i: number; of: number }[] = [];
  const distinct = consts.filter((c) => {
    const d = createHash("sha256").update(c.data).digest("hex");
    const f = first.get(d);
    if (f && Buffer.from(f.data.buffer, f.data.byteOffset, f.data.length).equals(c.data)) {
      copies.push({ i: c.i, of: f.i });
      return false;
    }
    if (!f) first.set(d, c);
    return true;
  });
  const hashed = distinct.reduce((a, c) => a + blobHashes(c.data.length), 0);
  const distinctBytes = distinct.reduce((a, c) => a + c.data.length, 0);
  let done = 0,
    last = performance.now();
  for (let a = 0; a < distinct.length; ) {
    // a group of whole blobs of <= GROUP_BYTES (or one larger blob): one batch call per tree level
    let b = a + 1,
      bytes = distinct[a]!.data.length;
    while (b < distinct.length && bytes + distinct[b]!.data.length <= GROUP_BYTES) bytes += distinct[b++]!.data.length;
    const group = distinct.slice(a, b);
    const roots = blobRootsBatch(
      group.map((c) => c.data),
      threads,
    );
    group.forEach((c, q) => {
      leaves[c.i] = poseidon2(roots[q]!, BigInt(c.data.length));
    });
    done += bytes;
    a = b;
    if (opts.progress && performance.now() - last > 2000) {
      last = performance.now();
      opts.progress(done, distinctBytes);
    }
  }
  for (const c of copies) leaves[c.i] = leaves[c.of];
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
    hashed,
    cached: false,
    seconds: { key: (t1 - t0) / 1000, hash: (t2 - t1) / 1000 },
  };
}
