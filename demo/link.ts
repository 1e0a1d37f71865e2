/**
 * TS twin of contracts/src/demo/GraphVmLink.sol: the link between the graph phase (one leaf per op
 * node, graph roots of ml/FORMAT.md) and the VM phase (node.elf running the disputed node).
 *
 *   op descriptors   d_t = keccak256(abi.encode(node, prev, op, params, inputs, inputLens, outLen))
 *                    for the t-th op node in execution order (prev = graph index of op t-1, or
 *                    2^256 - 1 for t = 0); `opsRoot` = keccak Merkle root over d_0..d_{n-1}
 *                    (protocol/game/merkle.ts layout, the same as LibCheckpoints).
 *   node program     node.elf's initial fields: core0 = P4(entry, 0, 0, regsRoot0), mem0, code0
 *                    (the input stream is the only thing that varies; vm/STATE.md).
 *   link proof       abi-encoded `GraphVmLink.Proof` (see the contract's NatSpec for every check).
 *
 * Phase-1 states are prefix-filled graph trees: state t has the leaves of all const/input nodes and
 * of the first t op nodes (the models put constants and inputs first, which `opDescriptors` checks).
 * VM-phase length: the node program's halting step rounded up to a multiple of the VM phase's m
 * (`paddedSteps`); the halted state is a fixed point so the padded steps repeat it.
 */
import { readFileSync } from "node:fs";
import { AbiCoder, keccak256 } from "ethers";
import { ZkfpError } from "../vm/errors.ts";
import { loadElf } from "../vm/index.ts";
import { Machine } from "../vm/machine.ts";
import { FIELD_MODULUS, poseidon4 } from "../vm/poseidon/index.ts";
import type { Graph } from "../ml/graph/graph.ts";
import { byteLen } from "../ml/graph/graph.ts";
import { NODE_MAGIC, Words, guestPath } from "../ml/guests/run.ts";
import { checkpointProof, checkpointRoot } from "../protocol/game/merkle.ts";
import type { Hex, Root } from "../protocol/game/types.ts";

export class DemoLinkError extends ZkfpError {
  override readonly name = "DemoLinkError";
}

const abi = AbiCoder.defaultAbiCoder();
export const NONE = (1n << 256n) - 1n;
export const OUT_WORD = 0x80000;

export type OpDescriptor = { t: number; node: number; prev: bigint; op: number; params: number[]; inputs: number[]; inputLens: number[]; outLen: number };

export function opDescriptors(g: Graph): OpDescriptor[] {
  const out: OpDescriptor[] = [];
  let seenOp = false;
  g.nodes.forEach((n, i) => {
    if (n.kind !== "op") {
      if (seenOp) throw new DemoLinkError("graph has a const/input node after an op (phase-1 states must be prefix-filled)", { node: i });
      return;
    }
    seenOp = true;
    out.push({
      t: out.length, node: i, prev: out.length === 0 ? NONE : BigInt(out[out.length - 1]!.node), op: n.op, params: [...n.params],
      inputs: [...n.inputs], inputLens: n.inputs.map((j) => byteLen(g.nodes[j]!)), outLen: byteLen(n),
    });
  });
  if (out.length === 0) throw new DemoLinkError("graph has no op node", {});
  return out;
}

export function descriptorHash(d: OpDescriptor): Root {
  return keccak256(abi.encode(["uint256", "uint256", "uint256", "uint256[]", "uint256[]", "uint256[]", "uint256"],
    [d.node, d.prev, d.op, d.params, d.inputs, d.inputLens, d.outLen])) as Root;
}

export type OpsTree = { root: Root; leaves: Root[]; proof(t: number): Root[] };
export function opsTree(ds: OpDescriptor[]): OpsTree {
  const leaves = ds.map(descriptorHash);
  return { root: checkpointRoot(leaves), leaves, proof: (t) => checkpointProof(leaves, t) };
}

const TWO256 = (1n << 256n) % FIELD_MODULUS;

/**
 * The node program's input stream for an op with the given input (len, key) pairs (words,
 * little-endian): magic "ZKN1", mode 1, op, np, params[np], ni, then per input j: len_j, sel_j[8]
 * with sel_j = (key_j - key_{j-1} * 2^256) mod p (key_0 = 0), most significant word first. The VM's
 * fd-6 key register accumulates key = key * 2^32 + word (vm/STATE.md) and is never cleared, so the
 * selector words cancel the previous key; GraphVmLink computes sel_j from the leaves the same way.
 */
export function nodeProgramInput(op: number, params: readonly number[], inputs: readonly { len: number; key: bigint }[]): Uint8Array {
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
  t: number; d: OpDescriptor; opsProof: Root[];
  inputLeaves: bigint[]; inputProofs: bigint[][]; prevLeaf: bigint; prevProof: bigint[]; outProof: bigint[];
  memSub: bigint; memProof: bigint[]; pcEnd: number; stepEnd: number; regsRootEnd: bigint; ioPreEnd: bigint;
};

export function encodeLinkProof(p: LinkProof): Hex {
  const d = p.d;
  return abi.encode(
    ["tuple(uint256 t,uint256 node,uint256 prev,uint256 op,uint256[] params,uint256[] inputs,uint256[] inputLens,uint256 outLen,bytes32[] opsProof,uint256[] inputLeaves,uint256[][] inputProofs,uint256 prevLeaf,uint256[] prevProof,uint256[] outProof,uint256 memSub,uint256[] memProof,uint256 pcEnd,uint256 stepEnd,uint256 regsRootEnd,uint256 ioPreEnd)"],
    [[p.t, d.node, d.prev, d.op, d.params, d.inputs, d.inputLens, d.outLen, p.opsProof, p.inputLeaves, p.inputProofs, p.prevLeaf, p.prevProof,
      p.outProof, p.memSub, p.memProof, p.pcEnd, p.stepEnd, p.regsRootEnd, p.ioPreEnd]],
  ) as Hex;
}
