/**
 * Fixed-depth Poseidon Merkle trees over 32-bit word leaves (vm/STATE.md "Trees"): arity 4 with
 * P4 nodes (memory, code, input, blobs) or arity 2 with P2 nodes (registers).
 *
 *        root                 level = depth
 *      /  |  \  \
 *     n   n   n  n            level 1 .. depth-1: node = P(children)
 *    ... leaves (words)       level 0: leaf i, value = word (a field element < 2^32)
 *
 * Child position of leaf i at level l (l = 0 for the leaves' parents): (i >> (log2(arity) * l)) & (arity-1).
 * Proofs list siblings bottom-up, each level's siblings in increasing child position skipping
 * the node's own. Empty subtrees hash to precomputed zero values, so a sparse 2^20-word memory
 * costs only the hashes of its non-empty paths.
 *
 * Incremental: `sync(words)` diffs the new leaf array against the tree's copy and rehashes only
 * the paths of changed words (the VM calls it at checkpoints, so its hot loop tracks nothing).
 */
import { poseidon2, poseidon4, poseidonBackend } from "./poseidon/index.ts";

/** Batch entry points of the native backend (vm/poseidon/native/binding.ts), when active. */
type BatchBackend = {
  hash2Batch(inputs: BigUint64Array, out: BigUint64Array, n: number, threads?: number): void;
  hash4Batch(inputs: BigUint64Array, out: BigUint64Array, n: number, threads?: number): void;
};
const M64 = (1n << 64n) - 1n;
import { ZkfpError } from "./errors.ts";

export class MerkleError extends ZkfpError {
  override readonly name = "MerkleError";
}

export type TreeShape = { readonly arity: 2 | 4; readonly depth: number };

export function hashNode(arity: 2 | 4, c: readonly bigint[]): bigint {
  return arity === 4 ? poseidon4(c[0]!, c[1]!, c[2]!, c[3]!) : poseidon2(c[0]!, c[1]!);
}

const zeroCache = new Map<string, bigint[]>();
/** zeros[l] = root of an all-zero subtree of height l (zeros[0] = 0). */
export function zeroHashes(shape: TreeShape): bigint[] {
  const key = `${shape.arity}/${shape.depth}`;
  let z = zeroCache.get(key);
  if (!z) {
    z = [0n];
    for (let l = 1; l <= shape.depth; l++) z.push(hashNode(shape.arity, Array(shape.arity).fill(z[l - 1]!)));
    zeroCache.set(key, z);
  }
  return z;
}

export class WordTree {
  readonly shape: TreeShape;
  readonly leaves: Uint32Array;
  /** levels[l][j] for l = 1..depth; undefined entries are zero subtrees */
  private readonly levels: (bigint | undefined)[][];
  private readonly zeros: bigint[];
  private readonly bits: number;

  constructor(shape: TreeShape, words?: Uint32Array) {
    this.shape = shape;
    this.bits = shape.arity === 4 ? 2 : 1;
    this.zeros = zeroHashes(shape);
    const n = 2 ** (this.bits * shape.depth);
    this.leaves = new Uint32Array(n);
    this.levels = [[]];
    for (let l = 1; l <= shape.depth; l++) this.levels.push(new Array(2 ** (this.bits * (shape.depth - l))));
    if (words) this.sync(words);
  }

  get size(): number {
    return this.leaves.length;
  }

  root(): bigint {
    return this.node(this.shape.depth, 0);
  }

  private node(level: number, j: number): bigint {
    if (level === 0) return BigInt(this.leaves[j]!);
    return this.levels[level]![j] ?? this.zeros[level]!;
  }

  /** Bring the tree to `words` (length <= size, rest zero), rehashing only changed paths. Returns #changed leaves. */
  sync(words: Uint32Array): number {
    if (words.length > this.leaves.length)
      throw new MerkleError("more words than tree leaves", { words: words.length, leaves: this.leaves.length });
    const leaves = this.leaves;
    let dirty: number[] = [];
    const sh = this.bits;
    let lastParent = -1;
    for (let i = 0; i < words.length; i++) {
      if (leaves[i] !== words[i]) {
        leaves[i] = words[i]!;
        const p = i >>> sh;
        if (p !== lastParent) {
          dirty.push(p);
          lastParent = p;
        }
      }
    }
    const changed = dirty.length;
    this.rehash(dirty);
    return changed;
  }

  /** Set one leaf and update its path (used for small trees like the registers). */
  set(index: number, word: number): void {
    this.checkIndex(index);
    if (this.leaves[index] === word >>> 0) return;
    this.leaves[index] = word >>> 0;
    this.rehash([index >>> this.bits]);
  }

  private rehash(dirtyParents: number[]): void {
    const be = poseidonBackend() as Partial<BatchBackend>;
    const batch = this.shape.arity === 4 ? be.hash4Batch : be.hash2Batch;
    const a = this.shape.arity;
    const sh = this.bits;
    let dirty = dirtyParents;
    for (let l = 1; l <= this.shape.depth; l++) {
      const lvl = this.levels[l]!;
      const z = this.zeros[l - 1]!;
      // parents whose children are all zero become (implicit) zero subtrees
      const work: number[] = [];
      for (const j of dirty) {
        let allZero = true;
        for (let k = 0; k < a && allZero; k++) if (this.node(l - 1, j * a + k) !== z) allZero = false;
        if (allZero) lvl[j] = undefined;
        else work.push(j);
      }
      if (batch && work.length > 1) {
        // one native call per level on 4x64-bit limbs (vm/poseidon/native/binding.ts)
        const inp = new BigUint64Array(work.length * a * 4);
        const in32 = new Uint32Array(inp.buffer);
        const out = new BigUint64Array(work.length * 4);
        let e = 0;
        for (const j of work)
          for (let k = 0; k < a; k++, e++) {
            if (l === 1) in32[8 * e] = this.leaves[j * a + k]!;
            else {
              const x = this.node(l - 1, j * a + k);
              inp[4 * e] = x & M64;
              inp[4 * e + 1] = (x >> 64n) & M64;
              inp[4 * e + 2] = (x >> 128n) & M64;
              inp[4 * e + 3] = x >> 192n;
            }
          }
        batch.call(be, inp, out, work.length, work.length >= 4096 ? 2 : 1); // 2 threads for big levels
        for (let i = 0; i < work.length; i++)
          lvl[work[i]!] =
            out[4 * i]! | (out[4 * i + 1]! << 64n) | (out[4 * i + 2]! << 128n) | (out[4 * i + 3]! << 192n);
      } else {
        const c: bigint[] = new Array(a);
        for (const j of work) {
          for (let k = 0; k < a; k++) c[k] = this.node(l - 1, j * a + k);
          lvl[j] = hashNode(this.shape.arity, c);
        }
      }
      const next: number[] = [];
      let last = -1;
      for (const j of dirty) {
        const p = j >>> sh;
        if (p !== last) {
          next.push(p);
          last = p;
        }
      }
      dirty = next;
    }
  }

  proof(index: number): bigint[] {
    this.checkIndex(index);
    const a = this.shape.arity;
    const out: bigint[] = [];
    let j = index;
    for (let l = 0; l < this.shape.depth; l++) {
      const pos = j & (a - 1);
      const base = j - pos;
      for (let k = 0; k < a; k++) if (k !== pos) out.push(this.node(l, base + k));
      j = j >>> this.bits;
    }
    return out;
  }

  private checkIndex(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.leaves.length)
      throw new MerkleError("leaf index out of range", { index, size: this.leaves.length });
  }
}

/** Root implied by a leaf and its proof (the verifier side of WordTree.proof). */
export function rootFromProof(shape: TreeShape, index: number, leaf: bigint, proof: readonly bigint[]): bigint {
  const a = shape.arity;
  const per = a - 1;
  if (proof.length !== per * shape.depth)
    throw new MerkleError("wrong proof length", { length: proof.length, expected: per * shape.depth });
  const bits = a === 4 ? 2 : 1;
  let h = leaf;
  let j = index;
  for (let l = 0; l < shape.depth; l++) {
    const pos = j & (a - 1);
    const c: bigint[] = [];
    let s = l * per;
    for (let k = 0; k < a; k++) c.push(k === pos ? h : proof[s++]!);
    h = hashNode(a, c);
    j = j >>> bits;
  }
  return h;
}

/** Root of a byte string laid out as zero-padded little-endian words in a tree of `shape`. */
export function bytesToWords(bytes: Uint8Array): Uint32Array {
  const words = new Uint32Array(Math.ceil(bytes.length / 4));
  new Uint8Array(words.buffer).set(bytes);
  return words;
}
