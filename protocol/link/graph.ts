/**
 * TS twin of contracts/src/link/GraphVmLink.sol: the link between the graph phase (one leaf per op
 * node, graph roots of ml/FORMAT.md) and the VM phase (node.elf running the disputed node).
 * (Moved here from demo/link.ts; the second link of ml/graph/phase.ts is gone.)
 *
 *   op descriptors   d_t = keccak256(abi.encode(node, prev, op, params, inputs, inputLens, outLen))
 *                    for the t-th op node in execution order (prev = graph index of op t-1, or
 *                    2^256 - 1 for t = 0); `opsRoot` = keccak Merkle root over d_0..d_{n-1}
 *                    (protocol/game/merkle.ts layout, the same as LibCheckpoints).
 *   node program     node.elf's initial fields: core0 = P4(entry, 0, 0, regsRoot0), mem0, code0
 *                    (the input stream is the only thing that varies; vm/STATE.md).
 *   link proof       flat 32-byte words (`encodeLinkProof`; layout and every check in the contract's
 *                    NatSpec); `checkGraphVmLink` is the contract's `verifyLink` in TS: false where the
 *                    contract returns false, LinkError (reason = the Solidity error) where it reverts.
 *
 * Phase-1 states are prefix-filled graph trees: state t has the leaves of all const/input nodes and
 * of the first t op nodes (the models put constants and inputs first, which `opDescriptors` checks).
 * VM-phase length: the node program's halting step rounded up to a multiple of the VM phase's m
 * (`paddedSteps`); the halted state is a fixed point so the padded steps repeat it.
 */
import { readFileSync } from "node:fs";
import { AbiCoder, keccak256, concat } from "ethers";
import { loadElf } from "../../vm/index.ts";
import { Machine } from "../../vm/machine.ts";
import { FIELD_MODULUS, initPoseidon, poseidon2, poseidon4 } from "../../vm/poseidon/index.ts";
import type { Graph } from "../../ml/graph/graph.ts";
import { byteLen } from "../../ml/graph/graph.ts";
import { Words, NODE_MAGIC, guestPath, loadVm } from "../../ml/guests/run.ts";
import type { GraphRun } from "../../ml/graph/executor.ts";
import { GraphTree, denseRoot, liftToBlobRoot, rootFromProof, subtreeLevel, zeros } from "../../ml/graph/commit.ts";
import { checkpointProof, checkpointRoot } from "../game/merkle.ts";
import type { Hex, Root } from "../game/types.ts";
import { LinkError } from "./errors.ts";

/** @deprecated name kept for callers: the link's typed error is LinkError. */
export const DemoLinkError = LinkError;
export const PhaseLinkError = LinkError;

const abi = AbiCoder.defaultAbiCoder();
export const NONE = (1n << 256n) - 1n;
export const OUT_WORD = 0x80000;

export type OpDescriptor = {
  t: number;
  node: number;
  prev: bigint;
  op: number;
  params: number[];
  inputs: number[];
  inputLens: number[];
  outLen: number;
};

export function opDescriptors(g: Graph): OpDescriptor[] {
  const out: OpDescriptor[] = [];
  let seenOp = false;
  g.nodes.forEach((n, i) => {
    if (n.kind !== "op") {
      if (seenOp)
        throw new LinkError("graph has a const/input node after an op (phase-1 states must be prefix-filled)", {
          node: i,
        });
      return;
    }
    seenOp = true;
    out.push({
      t: out.length,
      node: i,
      prev: out.length === 0 ? NONE : BigInt(out[out.length - 1]!.node),
      op: n.op,
      // the u32 words of the node program's input stream (dnn.c reads them as int32): a negative
      // param is its two's complement word, as GraphVmLink requires every word <= 2^32 - 1
      params: n.params.map((p) => p >>> 0),
      inputs: [...n.inputs],
      inputLens: n.inputs.map((j) => byteLen(g.nodes[j]!)),
      outLen: byteLen(n),
    });
  });
  if (out.length === 0) throw new LinkError("graph has no op node", {});
  return out;
}

export function descriptorHash(d: OpDescriptor): Root {
  return keccak256(
    abi.encode(
      ["uint256", "uint256", "uint256", "uint256[]", "uint256[]", "uint256[]", "uint256"],
      [d.node, d.prev, d.op, d.params, d.inputs, d.inputLens, d.outLen],
    ),
  ) as Root;
}

export type OpsTree = { root: Root; leaves: Root[]; proof(t: number): Root[] };
export function opsTree(ds: OpDescriptor[]): OpsTree {
  const leaves = ds.map(descriptorHash);
  return { root: checkpointRoot(leaves), leaves, proof: (t) => checkpointProof(leaves, t) };
}

export type NodeProgram = { core0: bigint; mem0: bigint; code0: bigint };
let nodeProgram: NodeProgram | undefined;
/** node.elf's initial state fields that do not depend on the input stream. */
export async function nodeProgramConstants(): Promise<NodeProgram> {
  if (nodeProgram) return nodeProgram;
  const m = await Machine.create(loadElf(new Uint8Array(readFileSync(guestPath("node")))), {});
  const f = m.fields();
  nodeProgram = { core0: poseidon4(BigInt(f.pc), 0n, 0n, f.regsRoot), mem0: f.memRoot, code0: f.codeRoot };
  return nodeProgram;
}

export function paddedSteps(halt: number, m: bigint): bigint {
  const n = BigInt(halt);
  return ((n + m - 1n) / m) * m;
}

export type LinkProof = {
  t: number;
  d: OpDescriptor;
  opsProof: Root[];
  inputLeaves: bigint[];
  inputProofs: bigint[][];
  prevLeaf: bigint;
  prevProof: bigint[];
  outProof: bigint[];
  memSub: bigint;
  memProof: bigint[];
  pcEnd: number;
  stepEnd: number;
  regsRootEnd: bigint;
  ioPreEnd: bigint;
};

const word = (x: bigint | number) => BigInt(x).toString(16).padStart(64, "0");

/** The flat word encoding GraphVmLink decodes (contract NatSpec "Proof encoding"). */
export function encodeLinkProof(p: LinkProof): Hex {
  const d = p.d;
  const w: (bigint | number)[] = [
    p.t,
    d.node,
    d.prev,
    d.op,
    d.params.length,
    ...d.params,
    d.inputs.length,
    ...d.inputs,
    ...d.inputLens,
    d.outLen,
  ];
  for (const h of p.opsProof) w.push(BigInt(h));
  w.push(...p.inputLeaves);
  for (const pr of p.inputProofs) w.push(...pr);
  if (p.t > 0) w.push(p.prevLeaf, ...p.prevProof);
  w.push(...p.outProof, p.memSub, ...p.memProof, p.pcEnd, p.stepEnd, p.regsRootEnd, p.ioPreEnd);
  for (const x of w)
    if (BigInt(x) < 0n || BigInt(x) >= 1n << 256n)
      throw new LinkError("link proof word out of uint256 range", { value: String(x) });
  return ("0x" + w.map(word).join("")) as Hex;
}

export type LinkConfig = {
  opsRoot: Root;
  opCount: number;
  graphDepth: number;
  m: bigint;
  core0: bigint;
  mem0: bigint;
  code0: bigint;
};

const P = FIELD_MODULUS;
const MAX_PARAMS = 64,
  MAX_INPUTS = 16,
  TREE_DEPTH = 10;

/** GraphVmLink.decodeProof: LinkError("MalformedProof") exactly where the contract reverts with it. */
export function decodeLinkProof(cfg: LinkConfig, proof: Hex): LinkProof {
  const bytes = (proof.length - 2) / 2;
  const bad = (offset: number) =>
    new LinkError("malformed link proof", { reason: "MalformedProof", offset, length: bytes });
  if (bytes % 32 !== 0) throw bad(bytes);
  const n = bytes / 32;
  let c = 0;
  const one = (): bigint => {
    if (c >= n) throw bad(32 * c);
    return BigInt("0x" + proof.slice(2 + 64 * c, 2 + 64 * ++c));
  };
  const many = (k: number): bigint[] => {
    if (c + k > n) throw bad(32 * c);
    return Array.from({ length: k }, one);
  };
  const t = one(),
    node = one(),
    prev = one(),
    op = one(),
    np = one();
  if (np > BigInt(MAX_PARAMS)) throw bad(32 * (c - 1));
  const params = many(Number(np));
  const ni = one();
  if (ni > BigInt(MAX_INPUTS)) throw bad(32 * (c - 1));
  const inputs = many(Number(ni)),
    inputLens = many(Number(ni));
  const outLen = one();
  let od = 0;
  while (2 ** od < cfg.opCount) od++;
  const opsProof = many(od).map((x) => ("0x" + word(x)) as Root);
  const gp = 3 * cfg.graphDepth;
  const inputLeaves = many(Number(ni));
  const inputProofs = Array.from({ length: Number(ni) }, () => many(gp));
  let prevLeaf = 0n,
    prevProof: bigint[] = [];
  if (t > 0n) {
    prevLeaf = one();
    prevProof = many(gp);
  }
  const outProof = many(gp);
  const memSub = one();
  if (outLen > BigInt(4 << (2 * TREE_DEPTH))) throw bad(32 * 7);
  const memProof = many(3 * (TREE_DEPTH - subtreeLevel(Number(outLen))));
  const pcEnd = one(),
    stepEnd = one(),
    regsRootEnd = one(),
    ioPreEnd = one();
  if (c !== n) throw bad(32 * c);
  const num = (x: bigint) => (x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : Number.NaN);
  return {
    t: num(t),
    opsProof,
    inputLeaves,
    inputProofs,
    prevLeaf,
    prevProof,
    outProof,
    memSub,
    memProof,
    pcEnd: num(pcEnd),
    stepEnd: num(stepEnd),
    regsRootEnd,
    ioPreEnd,
    d: {
      t: num(t),
      node: num(node),
      prev,
      op: num(op),
      params: params.map(num),
      inputs: inputs.map(num),
      inputLens: inputLens.map(num),
      outLen: num(outLen),
    },
    raw: { t, node, op, params, inputs, inputLens, outLen, pcEnd, stepEnd },
  } as LinkProof & { raw: Record<string, unknown> };
}

/** LibPoseidon's canonical check: LinkError("NotAFieldElement") for any hashed value >= p. */
function fe(x: bigint): bigint {
  if (x < 0n || x >= P)
    throw new LinkError("hashed value is not a field element", { reason: "NotAFieldElement", value: x.toString() });
  return x;
}
const p4 = (a: bigint, b: bigint, c: bigint, d: bigint) => poseidon4(fe(a), fe(b), fe(c), fe(d));
const p2 = (a: bigint, b: bigint) => poseidon2(fe(a), fe(b));

/** LibTree4.root with canonical checks (index: only the low 2 * levels bits are used). */
export function root4(index: bigint, leaf: bigint, proof: readonly bigint[]): bigint {
  let h = leaf,
    i = index;
  for (let l = 0; l < proof.length / 3; l++) {
    const pos = Number(i & 3n);
    const s = proof.slice(3 * l, 3 * l + 3);
    const c = [...s.slice(0, pos), h, ...s.slice(pos)];
    h = p4(c[0]!, c[1]!, c[2]!, c[3]!);
    i >>= 2n;
  }
  return h;
}

export type LinkChecks = {
  ops: boolean;
  slot: boolean;
  prev: boolean;
  inputs: boolean;
  start: boolean;
  steps: boolean;
  post: boolean;
  end: boolean;
};
const CHECK_ORDER = ["ops", "slot", "prev", "inputs", "start", "steps", "post", "end"] as const;

/** The checks of GraphVmLink.verifyLink as thunks, in the contract's order. */
export function graphVmLinkThunks(
  cfg: LinkConfig,
  outerPre: Root,
  outerPost: Root,
  innerStart: Root,
  innerEnd: Root,
  innerSteps: bigint,
  proof: Hex,
): Record<keyof LinkChecks, () => boolean> {
  const p = decodeLinkProof(cfg, proof) as LinkProof & {
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
  const r = p.raw;
  const pre = BigInt(outerPre);
  let memEnd = 0n;
  return {
    ops: () => {
      const desc = keccak256(
        abi.encode(
          ["uint256", "uint256", "uint256", "uint256[]", "uint256[]", "uint256[]", "uint256"],
          [r.node, p.d.prev, r.op, r.params, r.inputs, r.inputLens, r.outLen],
        ),
      );
      let h = desc;
      p.opsProof.forEach(
        (s, i) => (h = ((r.t >> BigInt(i)) & 1n) === 0n ? keccak256(concat([h, s])) : keccak256(concat([s, h]))),
      );
      return r.t < BigInt(cfg.opCount) && h === cfg.opsRoot;
    },
    slot: () => root4(r.node, 0n, p.outProof) === pre,
    prev: () =>
      r.t === 0n ? p.d.prev === NONE : p.prevLeaf !== 0n && root4(p.d.prev, p.prevLeaf, p.prevProof) === pre,
    inputs: () => r.inputs.every((x, j) => root4(x, p.inputLeaves[j]!, p.inputProofs[j]!) === pre),
    start: () => {
      // node.elf's start root for the node's input stream
      const np = r.params.length,
        ni = r.inputs.length;
      const w: bigint[] = [BigInt(NODE_MAGIC), 1n, r.op, BigInt(np), ...r.params, BigInt(ni)];
      const two256 = (1n << 256n) % P;
      let prevKey = 0n;
      for (let j = 0; j < ni; j++) {
        const key = p.inputLeaves[j]!;
        if (r.inputLens[j]! > 0xffffffffn) return 0n === BigInt(innerStart);
        const sel = (((key - ((prevKey * two256) % P)) % P) + P) % P;
        w.push(r.inputLens[j]!);
        for (let b = 7; b >= 0; b--) w.push((sel >> BigInt(32 * b)) & 0xffffffffn);
        prevKey = key;
      }
      for (let i = 0; i < 4 + np; i++) if (w[i]! > 0xffffffffn) return 0n === BigInt(innerStart);
      const inputRoot = denseRoot(w.map(fe), TREE_DEPTH);
      return (
        p4(cfg.core0, cfg.mem0, cfg.code0, p2(p4(inputRoot, BigInt(4 * w.length), 0n, 0n), p2(0n, 0n))) ===
        BigInt(innerStart)
      );
    },
    steps: () => r.stepEnd !== 0n && innerSteps === ((r.stepEnd + cfg.m - 1n) / cfg.m) * cfg.m,
    post: () => {
      const k = subtreeLevel(Number(r.outLen));
      memEnd = root4(BigInt(OUT_WORD >> (2 * k)), p.memSub, p.memProof);
      let lifted = p.memSub;
      for (let l = k; l < TREE_DEPTH; l++) lifted = p4(lifted, zeros(l), zeros(l), zeros(l));
      return root4(r.node, p2(lifted, r.outLen), p.outProof) === BigInt(outerPost);
    },
    end: () => p4(p4(r.pcEnd, r.stepEnd, 1n, p.regsRootEnd), memEnd, cfg.code0, p.ioPreEnd) === BigInt(innerEnd),
  };
}

/**
 * Every check of GraphVmLink.verifyLink separately, all evaluated (NatSpec numbering: ops = 1,
 * slot/prev = 2, inputs = 3, start = 4, steps/end = 5, post = 6-7): tests use it to show that an
 * attack fails exactly one check. LinkError where the contract reverts. Needs initPoseidon().
 */
export function graphVmLinkChecks(
  cfg: LinkConfig,
  outerPre: Root,
  outerPost: Root,
  innerStart: Root,
  innerEnd: Root,
  innerSteps: bigint,
  proof: Hex,
): LinkChecks {
  const th = graphVmLinkThunks(cfg, outerPre, outerPost, innerStart, innerEnd, innerSteps, proof);
  return Object.fromEntries(CHECK_ORDER.map((k) => [k, th[k]()])) as LinkChecks;
}

/** GraphVmLink.verifyLink in TS: the checks in the contract's order, false at the first that fails. */
export function checkGraphVmLink(
  cfg: LinkConfig,
  outerPre: Root,
  outerPost: Root,
  innerStart: Root,
  innerEnd: Root,
  innerSteps: bigint,
  proof: Hex,
): boolean {
  const th = graphVmLinkThunks(cfg, outerPre, outerPost, innerStart, innerEnd, innerSteps, proof);
  return CHECK_ORDER.every((k) => th[k]());
}

// ---------------------------------------------------------------- node program input
/*
 * VM initial state for op node i (a deterministic function of the graph root before node i and the
 * node): program ml/guests/bin/node.elf, input stream = nodeProgramInput(op, params, (len, key) of
 * its inputs) (words, little-endian): magic "ZKN1", mode 1, op, np, params[np], ni, then per input
 * j: len_j, sel_j[8] with key_j = the leaf of input node j under the root before, sel_j = (key_j -
 * key_{j-1} 2^256) mod p (key_0 = 0), most significant word first. The VM's fd-6 key register
 * accumulates key = key 2^32 + word (vm/STATE.md) and is never cleared, so the selector words
 * cancel the previous key; GraphVmLink computes sel_j from the leaves the same way. The input
 * tensors are served by the preimage oracle under their keys. The node program writes its output at
 * OUT_ADDR = 0x200000 (word OUT_WORD = 0x80000); the link opens it from the final memory.
 * The graph phase that builds openings from these is protocol/trace/graph.ts.
 */

export const OUT_ADDR = 0x200000;
const TWO256 = (1n << 256n) % FIELD_MODULUS;

/** The node program's input stream for a node with the given input (len, key) pairs. */
export function nodeProgramInput(
  op: number,
  params: readonly number[],
  inputs: readonly { len: number; key: bigint }[],
): Uint8Array {
  const w = new Words().u32(NODE_MAGIC).u32(1).u32(op).u32(params.length);
  for (const p of params) w.u32(p);
  w.u32(inputs.length);
  let prev = 0n;
  for (const { len, key } of inputs) {
    let sel = (key - ((prev * TWO256) % FIELD_MODULUS)) % FIELD_MODULUS;
    if (sel < 0n) sel += FIELD_MODULUS;
    w.u32(len);
    for (let k = 7; k >= 0; k--) w.u32(Number((sel >> BigInt(32 * k)) & 0xffffffffn));
    prev = key;
  }
  return w.done();
}
