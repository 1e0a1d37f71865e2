/**
 * Commitments of the computation graph (phase 1 of the multi-phase game).
 *
 *  - tensor leaf: the preimage key of the node's output bytes, `P2(blobRoot(bytes), byteLength)`,
 *    where blobRoot is the vm/STATE.md blob tree (4-ary, depth 10, zero-padded little-endian words,
 *    P4 nodes). So a node's leaf is exactly the key under which the VM's preimage oracle serves its
 *    output to the next node's program (equal to vm `blobKey`, checked in graph.test.ts).
 *  - graph tree: a 4-ary Poseidon (P4) tree of fixed depth d = max(1, ceil(log4(#nodes))) whose leaf i
 *    is node i's tensor leaf once node i has run, 0 before. The graph state root after node i covers
 *    the outputs of nodes 0..i (constants and model inputs are nodes too, so they are committed first).
 *
 *              root (level d)
 *          /    |    |    \
 *        ...  P4 of 4 children ...        level 1..d-1
 *     leaf0 leaf1 leaf2 leaf3 ...         level 0 (leaf i = P2(blobRoot(out_i), len_i) or 0)
 *
 * Proof format as in vm/STATE.md: siblings bottom-up, per level the 3 siblings in increasing child
 * position, skipping the node's own.
 *
 * blobRoot here hashes only the non-empty prefix of each level (the blob of a 64-float tensor costs
 * ~14 P4 instead of building vm's dense 2^20-leaf WordTree).
 */
import { poseidon2, poseidon4, poseidonBackend } from "../../vm/poseidon/index.ts";
import { ZkfpError } from "../../vm/errors.ts";

export class GraphTreeError extends ZkfpError {
  override readonly name = "GraphTreeError";
}

export const BLOB_DEPTH = 10;
const zeroCache: bigint[] = [];
/** zeros[l] = root of an all-zero 4-ary subtree of height l */
export function zeros(l: number): bigint {
  while (zeroCache.length <= l) {
    const z = zeroCache.length === 0 ? 0n : zeroCache[zeroCache.length - 1]!;
    zeroCache.push(zeroCache.length === 0 ? 0n : poseidon4(z, z, z, z));
  }
  return zeroCache[l]!;
}

/** Root of a 4-ary tree of height `height` over the given leaves (rest zero). */
export function denseRoot(leaves: readonly bigint[], height: number): bigint {
  if (leaves.length > 4 ** height)
    throw new GraphTreeError("too many leaves for the tree height", { leaves: leaves.length, height });
  let lvl = leaves.slice();
  for (let l = 0; l < height; l++) {
    const next: bigint[] = [];
    for (let j = 0; j < lvl.length; j += 4) {
      const c0 = lvl[j]!,
        c1 = lvl[j + 1] ?? zeros(l),
        c2 = lvl[j + 2] ?? zeros(l),
        c3 = lvl[j + 3] ?? zeros(l);
      next.push(
        c0 === zeros(l) && c1 === zeros(l) && c2 === zeros(l) && c3 === zeros(l)
          ? zeros(l + 1)
          : poseidon4(c0, c1, c2, c3),
      );
    }
    lvl = next.length ? next : [zeros(l + 1)];
  }
  return lvl[0] ?? zeros(height);
}

export function bytesToWordLeaves(bytes: Uint8Array): bigint[] {
  const words = new Uint32Array(Math.ceil(bytes.length / 4));
  new Uint8Array(words.buffer).set(bytes);
  return Array.from(words, (w) => BigInt(w));
}

export function blobRoot(bytes: Uint8Array): bigint {
  if (bytes.length > 4 << (2 * BLOB_DEPTH))
    throw new GraphTreeError("tensor larger than a blob (4 MiB)", { length: bytes.length });
  return denseRoot(bytesToWordLeaves(bytes), BLOB_DEPTH);
}

/** The tensor leaf / preimage key of a node output. */
export function tensorLeaf(bytes: Uint8Array): bigint {
  return poseidon2(blobRoot(bytes), BigInt(bytes.length));
}

/** Smallest k with 4^k >= words (the output subtree level used by the phase link). */
export function subtreeLevel(bytes: number): number {
  const words = Math.max(1, Math.ceil(bytes / 4));
  let k = 0;
  while (4 ** k < words) k++;
  return k;
}

/** Lift a height-k subtree root holding words [0, 4^k) to the full blob root (empty siblings above). */
export function liftToBlobRoot(subRoot: bigint, k: number): bigint {
  let h = subRoot;
  for (let l = k; l < BLOB_DEPTH; l++) h = poseidon4(h, zeros(l), zeros(l), zeros(l));
  return h;
}

/** A fixed-depth 4-ary tree over field-element leaves with sparse storage and path updates. */
export class GraphTree {
  readonly depth: number;
  private readonly levels: Map<number, bigint>[];
  constructor(readonly capacity: number) {
    let d = 1;
    while (4 ** d < capacity) d++;
    this.depth = d;
    this.levels = Array.from({ length: d + 1 }, () => new Map<number, bigint>());
  }
  /** tree holding leaves[0..n) (rest zero), built level by level (~n/3 hashes) */
  static fromLeaves(capacity: number, leaves: readonly bigint[]): GraphTree {
    const t = new GraphTree(capacity);
    let lvl = leaves.slice();
    lvl.forEach((v, i) => t.levels[0]!.set(i, v));
    for (let l = 0; l < t.depth; l++) {
      const next: bigint[] = [];
      for (let j = 0; j < lvl.length; j += 4) {
        const h = poseidon4(lvl[j]!, lvl[j + 1] ?? zeros(l), lvl[j + 2] ?? zeros(l), lvl[j + 3] ?? zeros(l));
        t.levels[l + 1]!.set(j >> 2, h);
        next.push(h);
      }
      lvl = next;
    }
    return t;
  }
  static depthFor(nodes: number): number {
    let d = 1;
    while (4 ** d < nodes) d++;
    return d;
  }
  node(level: number, j: number): bigint {
    return this.levels[level]!.get(j) ?? zeros(level);
  }
  root(): bigint {
    return this.node(this.depth, 0);
  }
  leaf(i: number): bigint {
    return this.node(0, i);
  }
  set(i: number, leaf: bigint): void {
    if (!Number.isInteger(i) || i < 0 || i >= 4 ** this.depth)
      throw new GraphTreeError("leaf index out of range", { index: i, depth: this.depth });
    this.levels[0]!.set(i, leaf);
    let j = i;
    for (let l = 0; l < this.depth; l++) {
      const b = j & ~3;
      const h = poseidon4(this.node(l, b), this.node(l, b + 1), this.node(l, b + 2), this.node(l, b + 3));
      j >>>= 2;
      this.levels[l + 1]!.set(j, h);
    }
  }
  proof(i: number): bigint[] {
    const out: bigint[] = [];
    let j = i;
    for (let l = 0; l < this.depth; l++) {
      const pos = j & 3;
      for (let k = 0; k < 4; k++) if (k !== pos) out.push(this.node(l, (j & ~3) + k));
      j >>>= 2;
    }
    return out;
  }
}

/** Root implied by `leaf` at `index` and its proof (the check the on-chain game performs). */
export function rootFromProof(index: number, leaf: bigint, proof: readonly bigint[]): bigint {
  if (proof.length % 3 !== 0) throw new GraphTreeError("proof length is not a multiple of 3", { length: proof.length });
  let h = leaf,
    j = index;
  for (let l = 0; l < proof.length / 3; l++) {
    const pos = j & 3,
      c: bigint[] = [];
    let s = 3 * l;
    for (let k = 0; k < 4; k++) c.push(k === pos ? h : proof[s++]!);
    h = poseidon4(c[0]!, c[1]!, c[2]!, c[3]!);
    j >>>= 2;
  }
  return h;
}

type BatchHasher = { hash4Batch(inputs: BigUint64Array, out: BigUint64Array, n: number, threads?: number): void };

/**
 * blobRoot through the native addon's batch P4 (one call per tree level on limb arrays, `threads`
 * POSIX threads), falling back to blobRoot when the active backend has no batch entry point.
 * Same value as blobRoot (tested): only the non-empty prefix of each level is hashed, padded with
 * the level's zero value, and the top is lifted with empty siblings.
 */
export function blobRootBatch(bytes: Uint8Array, threads = 1): bigint {
  if (bytes.length > 4 << (2 * BLOB_DEPTH))
    throw new GraphTreeError("tensor larger than a blob (4 MiB)", { length: bytes.length });
  const be = poseidonBackend() as Partial<BatchHasher>;
  if (!be.hash4Batch) return blobRoot(bytes);
  let n = Math.ceil(bytes.length / 4);
  if (n === 0) return zeros(BLOB_DEPTH);
  const words = new Uint32Array(n);
  new Uint8Array(words.buffer).set(bytes);
  let cur = new BigUint64Array(4 * (n + 3 - ((n + 3) % 4)));
  const c32 = new Uint32Array(cur.buffer);
  for (let i = 0; i < n; i++) c32[8 * i] = words[i]!;
  for (let l = 0; l < BLOB_DEPTH; l++) {
    const z = zeros(l);
    if (z !== 0n) for (let i = n; i % 4 !== 0; i++) toLimbs4(z, cur, i);
    const parents = Math.ceil(n / 4);
    const out = new BigUint64Array(4 * (parents + 3 - ((parents + 3) % 4)));
    be.hash4Batch.call(be, cur, out, parents, parents >= 1024 ? threads : 1);
    cur = out;
    n = parents;
  }
  return cur[0]! | (cur[1]! << 64n) | (cur[2]! << 128n) | (cur[3]! << 192n);
}

const M64 = (1n << 64n) - 1n;
function toLimbs4(x: bigint, out: BigUint64Array, i: number): void {
  out[4 * i] = x & M64;
  out[4 * i + 1] = (x >> 64n) & M64;
  out[4 * i + 2] = (x >> 128n) & M64;
  out[4 * i + 3] = x >> 192n;
}

/**
 * blobRoot of many blobs at once (the model commitment's hashing): per tree level ONE native batch
 * P4 call over that level's nodes of every blob, on `threads` POSIX threads. Blob by blob
 * (blobRootBatch), each blob's small upper levels run on one thread and every call pays a thread
 * start; here all blobs share each level, so both cores stay busy down to the last few levels.
 * Same values as blobRoot (tested): per blob, its level-l nodes occupy a slot range padded to a
 * multiple of 4 with zeros(l), exactly the padding blobRootBatch hashes; a blob reaching one node
 * keeps being hashed with its empty siblings up to BLOB_DEPTH. The words are read in place when the
 * blob is 4-byte aligned (a Float32Array view), never copied twice. Memory: 32 bytes per input word
 * at level 0 (callers bound the group, model.ts: <= 16 MiB of blob bytes per call).
 */
export function blobRootsBatch(blobs: readonly Uint8Array[], threads = 1): bigint[] {
  for (const b of blobs)
    if (b.length > 4 << (2 * BLOB_DEPTH))
      throw new GraphTreeError("tensor larger than a blob (4 MiB)", { length: b.length });
  const be = poseidonBackend() as Partial<BatchHasher>;
  if (!be.hash4Batch) return blobs.map(blobRoot);
  const roots: bigint[] = new Array(blobs.length);
  const live: number[] = [];
  blobs.forEach((b, i) => {
    if (b.length === 0) roots[i] = zeros(BLOB_DEPTH);
    else live.push(i);
  });
  if (live.length === 0) return roots;
  const up4 = (x: number) => (x + 3) & ~3;
  // per live blob: node count at the current level
  let count = live.map((i) => Math.ceil(blobs[i]!.length / 4));
  let cur = new BigUint64Array(4 * count.reduce((a, n) => a + up4(n), 0));
  const c32 = new Uint32Array(cur.buffer);
  let off = 0;
  live.forEach((i, q) => {
    const b = blobs[i]!,
      n = count[q]!;
    const words =
      (b.byteOffset & 3) === 0 && (b.length & 3) === 0
        ? new Uint32Array(b.buffer, b.byteOffset, n)
        : (() => {
            const w = new Uint32Array(n);
            new Uint8Array(w.buffer).set(b);
            return w;
          })();
    for (let k = 0, j = 8 * off; k < n; k++, j += 8) c32[j] = words[k]!;
    off += up4(n); // level-0 padding is the zero word, already 0
  });
  for (let l = 0; l < BLOB_DEPTH; l++) {
    const parents = count.map((n) => Math.ceil(n / 4));
    const total = parents.reduce((a, p) => a + p, 0);
    const out = new BigUint64Array(4 * total);
    // a non-canonical element throws PoseidonError (the binding); words and hashes never are
    be.hash4Batch.call(be, cur, out, total, threads);
    count = parents;
    if (l === BLOB_DEPTH - 1) {
      live.forEach((i, q) => {
        roots[i] = out[4 * q]! | (out[4 * q + 1]! << 64n) | (out[4 * q + 2]! << 128n) | (out[4 * q + 3]! << 192n);
      });
      break;
    }
    if (parents.every((p) => (p & 3) === 0)) {
      cur = out;
      continue;
    }
    // re-lay the next level: each blob's parents, then zeros(l + 1) up to a multiple of 4
    const z = zeros(l + 1);
    const zl = [z & M64, (z >> 64n) & M64, (z >> 128n) & M64, z >> 192n];
    cur = new BigUint64Array(4 * parents.reduce((a, p) => a + up4(p), 0));
    let src = 0,
      dst = 0;
    for (const p of parents) {
      cur.set(out.subarray(4 * src, 4 * (src + p)), 4 * dst);
      for (let k = p; k < up4(p); k++) cur.set(zl, 4 * (dst + k));
      src += p;
      dst += up4(p);
    }
  }
  return roots;
}

/** tensorLeaf with blobRootBatch */
export function tensorLeafBatch(bytes: Uint8Array, threads = 1): bigint {
  return poseidon2(blobRootBatch(bytes, threads), BigInt(bytes.length));
}
