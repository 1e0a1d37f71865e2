/**
 * A mutant of an on-chain check, for the zoo's own test that it can fail (PROPERTIES.md P20): the
 * GraphVmLink of before issue 11, whose Poseidon (poseidon-solidity) reduced inputs mod p silently,
 * so `prevLeaf = p` passed the raw `prevLeaf != 0` check and hashed like the empty slot. With
 * `reduceModP: false` it performs the canonical checks and must agree with the real twin
 * (`checkGraphVmLink`, protocol/link/graph.ts), which the zoo test asserts on every opening it makes.
 * It reads today's flat proof encoding (`decodeLinkProof`); never deployed.
 */
import { AbiCoder, keccak256, concat } from "ethers";
import { FIELD_MODULUS, poseidon2 as P2, poseidon4 as P4 } from "../../vm/poseidon/index.ts";
import { ZkfpError } from "../../vm/errors.ts";
import { zeros as zeroTree } from "../../ml/graph/commit.ts";
import type { PhaseLink } from "../game/model.ts";
import { decodeLinkProof, type LinkConfig } from "../link/graph.ts";
import type { Hex } from "../game/types.ts";

const abi = AbiCoder.defaultAbiCoder();
const P = FIELD_MODULUS;
const NODE_MAGIC = 0x314e4b5an;
const OUT_WORD = 0x80000;
const TREE_DEPTH = 10;
const NONE = (1n << 256n) - 1n;
const U32 = 0xffffffffn;
const TWO256 = (1n << 256n) % P;

class NonCanonical extends ZkfpError {
  override readonly name = "NonCanonical";
}
let reducing = false;
function p2(a: bigint, b: bigint): bigint {
  if (reducing) return P2(a % P, b % P);
  if (a >= P || b >= P) throw new NonCanonical("Poseidon input >= p", { value: String(a >= P ? a : b) });
  return P2(a, b);
}
function p4(a: bigint, b: bigint, c: bigint, d: bigint): bigint {
  if (reducing) return P4(a % P, b % P, c % P, d % P);
  for (const x of [a, b, c, d]) if (x >= P) throw new NonCanonical("Poseidon input >= p", { value: String(x) });
  return P4(a, b, c, d);
}

/**
 * `reduceModP`: hash like the contracts did before issue 11 (poseidon-solidity reduces its inputs
 * silently). Only for the zoo's own check that it detects the aliasing attack; never deployed.
 */
export type MutantLinkConfig = {
  opsRoot: Hex;
  opCount: number;
  graphDepth: number;
  m: bigint;
  core0: bigint;
  mem0: bigint;
  code0: bigint;
  reduceModP?: boolean;
};

type Decoded = {
  t: bigint;
  node: bigint;
  prev: bigint;
  op: bigint;
  params: bigint[];
  inputs: bigint[];
  inputLens: bigint[];
  outLen: bigint;
  opsProof: string[];
  inputLeaves: bigint[];
  inputProofs: bigint[][];
  prevLeaf: bigint;
  prevProof: bigint[];
  outProof: bigint[];
  memSub: bigint;
  memProof: bigint[];
  pcEnd: bigint;
  stepEnd: bigint;
  regsRootEnd: bigint;
  ioPreEnd: bigint;
};

function root4(index: bigint, leaf: bigint, proof: bigint[]): bigint {
  let h = leaf,
    j = index;
  for (let l = 0; l < Math.floor(proof.length / 3); l++) {
    const pos = Number(j & 3n),
      c: bigint[] = [];
    let s = 3 * l;
    for (let q = 0; q < 4; q++) c.push(q === pos ? h : proof[s++]!);
    h = p4(c[0]!, c[1]!, c[2]!, c[3]!);
    j >>= 2n;
  }
  return h;
}

function dense(words: bigint[]): bigint {
  let lvl = words.slice(),
    n = lvl.length;
  for (let l = 0; l < TREE_DEPTH; l++) {
    const z = zeroTree(l),
      nn = Math.ceil(n / 4);
    for (let j = 0; j < nn; j++) {
      const b = 4 * j;
      lvl[j] = p4(lvl[b]!, b + 1 < n ? lvl[b + 1]! : z, b + 2 < n ? lvl[b + 2]! : z, b + 3 < n ? lvl[b + 3]! : z);
    }
    n = nn;
  }
  return lvl[0]!;
}

function subtreeLevel(bytesLen: bigint): number {
  let words = (bytesLen + 3n) / 4n;
  if (words === 0n) words = 1n;
  let k = 0;
  while (1n << BigInt(2 * k) < words) k++;
  return k;
}

function openOps(cfg: MutantLinkConfig, t: bigint, leaf: string, proof: string[]): boolean {
  if (t >= BigInt(cfg.opCount)) return false;
  let d = 0;
  while (1 << d < cfg.opCount) d++;
  if (proof.length !== d) return false;
  let h = leaf;
  for (let i = 0; i < d; i++)
    h = ((t >> BigInt(i)) & 1n) === 0n ? keccak256(concat([h, proof[i]!])) : keccak256(concat([proof[i]!, h]));
  return h === cfg.opsRoot.toLowerCase();
}

function startRoot(cfg: MutantLinkConfig, p: Decoded): bigint {
  const ni = p.inputs.length,
    np = p.params.length;
  const w: bigint[] = [NODE_MAGIC, 1n, p.op, BigInt(np), ...p.params, BigInt(ni)];
  let prevKey = 0n;
  for (let j = 0; j < ni; j++) {
    const key = p.inputLeaves[j]!;
    if (key >= P || p.inputLens[j]! > U32) return 0n;
    const sel = (key + P - ((prevKey * TWO256) % P)) % P;
    w.push(p.inputLens[j]!);
    for (let b = 0; b < 8; b++) w.push((sel >> BigInt(32 * (7 - b))) & U32);
    prevKey = key;
  }
  for (let i = 0; i < 4 + np; i++) if (w[i]! > U32) return 0n;
  const io = p4(dense(w), 4n * BigInt(w.length), 0n, 0n);
  return p4(cfg.core0, cfg.mem0, cfg.code0, p2(io, p2(0n, 0n)));
}

export function preIssue11GraphVmLink(cfg: MutantLinkConfig): PhaseLink {
  const depth = cfg.graphDepth;
  return {
    verifyLink(outerPre, outerPost, innerStart, innerEnd, innerSteps, proof) {
      let p: Decoded;
      try {
        const q = decodeLinkProof(cfg as LinkConfig, proof) as ReturnType<typeof decodeLinkProof> & {
          raw: {
            t: bigint;
            node: bigint;
            op: bigint;
            params: bigint[];
            inputs: bigint[];
            inputLens: bigint[];
            outLen: bigint;
            pcEnd: bigint;
            stepEnd: bigint;
          };
        };
        const r = q.raw;
        p = {
          t: r.t,
          node: r.node,
          prev: q.d.prev,
          op: r.op,
          params: r.params,
          inputs: r.inputs,
          inputLens: r.inputLens,
          outLen: r.outLen,
          opsProof: q.opsProof,
          inputLeaves: q.inputLeaves,
          inputProofs: q.inputProofs,
          prevLeaf: q.prevLeaf,
          prevProof: q.prevProof,
          outProof: q.outProof,
          memSub: q.memSub,
          memProof: q.memProof,
          pcEnd: r.pcEnd,
          stepEnd: r.stepEnd,
          regsRootEnd: q.regsRootEnd,
          ioPreEnd: q.ioPreEnd,
        };
      } catch {
        return false; // malformed: the contract reverts
      }
      reducing = !!cfg.reduceModP;
      try {
        const ni = p.inputs.length;
        if (p.inputLens.length !== ni || p.inputLeaves.length !== ni || p.inputProofs.length !== ni) return false;
        const desc = keccak256(
          abi.encode(
            ["uint256", "uint256", "uint256", "uint256[]", "uint256[]", "uint256[]", "uint256"],
            [p.node, p.prev, p.op, p.params, p.inputs, p.inputLens, p.outLen],
          ),
        );
        if (!openOps(cfg, p.t, desc, p.opsProof)) return false;
        const pre = BigInt(outerPre);
        if (p.outProof.length !== 3 * depth) return false;
        if (root4(p.node, 0n, p.outProof) !== pre) return false;
        if (p.t === 0n) {
          if (p.prev !== NONE) return false;
        } else if (
          p.prevLeaf === 0n ||
          p.prevProof.length !== 3 * depth ||
          root4(p.prev, p.prevLeaf, p.prevProof) !== pre
        )
          return false;
        for (let j = 0; j < ni; j++) {
          if (p.inputProofs[j]!.length !== 3 * depth) return false;
          if (root4(p.inputs[j]!, p.inputLeaves[j]!, p.inputProofs[j]!) !== pre) return false;
        }
        if (startRoot(cfg, p) !== BigInt(innerStart)) return false;
        if (p.stepEnd === 0n || innerSteps !== ((p.stepEnd + cfg.m - 1n) / cfg.m) * cfg.m) return false;
        const k = subtreeLevel(p.outLen);
        if (p.memProof.length !== 3 * (TREE_DEPTH - k)) return false;
        const memEnd = root4(BigInt(OUT_WORD >> (2 * k)), p.memSub, p.memProof);
        let lifted = p.memSub;
        for (let l = k; l < TREE_DEPTH; l++) lifted = p4(lifted, zeroTree(l), zeroTree(l), zeroTree(l));
        const leaf = p2(lifted, p.outLen);
        if (root4(p.node, leaf, p.outProof) !== BigInt(outerPost)) return false;
        const coreEnd = p4(p.pcEnd, p.stepEnd, 1n, p.regsRootEnd);
        return p4(coreEnd, memEnd, cfg.code0, p.ioPreEnd) === BigInt(innerEnd);
      } catch (e) {
        if (e instanceof NonCanonical) return false;
        throw e;
      } finally {
        reducing = false;
      }
    },
  };
}
