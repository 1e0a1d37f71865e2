/**
 * keccak Merkle commitment to one round's checkpoint roots. Twin: contracts/src/game/LibCheckpoints.sol.
 * Leaves cp_1..cp_c padded with zero to a power of two, node = keccak256(left ++ right); c = 0 gives
 * the zero root, c = 1 the leaf itself. Proofs are siblings bottom-up, exactly ceil(log2 c) long.
 */
import { keccak256, concat } from "ethers";
import type { Root } from "./types.ts";
import { ZERO_ROOT } from "./types.ts";

export function depth(count: number): number {
  let d = 0;
  while (1 << d < count) d++;
  return d;
}

export function hashPair(a: string, b: string): Root {
  return keccak256(concat([a, b])) as Root;
}

function layers(leaves: Root[]): Root[][] {
  const w = 1 << depth(leaves.length);
  let layer: Root[] = [...leaves];
  while (layer.length < w) layer.push(ZERO_ROOT);
  const out = [layer];
  while (layer.length > 1) {
    const next: Root[] = [];
    for (let i = 0; i < layer.length; i += 2) next.push(hashPair(layer[i]!, layer[i + 1]!));
    out.push(next);
    layer = next;
  }
  return out;
}

export function checkpointRoot(leaves: Root[]): Root {
  if (leaves.length === 0) return ZERO_ROOT;
  return layers(leaves).at(-1)![0]!;
}

export function checkpointProof(leaves: Root[], index: number): Root[] {
  const ls = layers(leaves);
  const proof: Root[] = [];
  let i = index;
  for (let l = 0; l < ls.length - 1; l++) {
    proof.push(ls[l]![i ^ 1]!);
    i >>= 1;
  }
  return proof;
}

export function verifyCheckpoint(root: Root, count: number, index: number, leaf: Root, proof: Root[]): boolean {
  if (index >= count || proof.length !== depth(count)) return false;
  let h: string = leaf;
  for (let i = 0; i < proof.length; i++) h = (index >> i) & 1 ? hashPair(proof[i]!, h) : hashPair(h, proof[i]!);
  return h === root;
}
