/**
 * Step witnesses (vm/STATE.md "Step witness"): the flat array of 165 field elements a one-step
 * verifier needs to compute the post-state root of one step from the pre-state root: the
 * pre-state fields plus every leaf the step touches, each with its proof against the pre-state.
 * Consumed by verify.ts (TS twin), contracts/src/rv32im (Solidity) and zk/circuits (circom).
 */
import { Machine } from "./machine.ts";
import { CODE_BASE, CODE_END, MEM_SIZE, W, BLOB_TREE, INPUT_TREE, Syscall } from "./layout.ts";
import { Op, decode, isLoad, isStore, writesRd } from "./isa.ts";
import { fieldsToArray } from "./state.ts";
import { WordTree } from "./merkle.ts";

let emptyBlob: WordTree | undefined;

/**
 * Leaf of a stream position. A fully consumed 4 MiB input or blob has position 2^22, i.e. word
 * 2^20, one past the 2^20 leaves of the depth-10 4-ary tree. The twins (vm/verify.ts, Solidity,
 * circom) walk only `depth` base-4 digits of the index, so word 2^20 is checked as leaf 0 (its value
 * is never used: a read there copies 0 bytes); the witness must then carry leaf 0 and its proof.
 */
function streamLeaf(pos: number, shape: { arity: number; depth: number }): number {
  return (pos >>> 2) % shape.arity ** shape.depth;
}

/** The register indices a step reads (4 slots) and writes (1 slot), per STATE.md. */
export function registerSlots(insn: number, fetchOk: boolean): { reads: number[]; write: number } {
  const d = decode(insn);
  if (!fetchOk) return { reads: [0, 0, 0, 0], write: 0 };
  if (d.op === Op.ECALL) return { reads: [17, 10, 11, 12], write: 10 };
  return { reads: [(insn >>> 15) & 31, (insn >>> 20) & 31, 0, 0], write: writesRd(d.op) ? d.rd : 0 };
}

/** Byte address of the memory word a step accesses (its witness memory slot), per STATE.md. */
export function memorySlot(insn: number, fetchOk: boolean, regs: ArrayLike<number>): number {
  if (!fetchOk) return 0;
  const d = decode(insn);
  let a: number | undefined;
  if (isLoad(d.op) || isStore(d.op)) a = (regs[d.rs1]! + d.imm) >>> 0;
  else if (d.op === Op.ECALL && (regs[17] === Syscall.Read || regs[17] === Syscall.Write)) a = regs[11]! >>> 0;
  return a !== undefined && a < MEM_SIZE ? a & ~3 : 0;
}

export function fetchOk(pc: number): boolean {
  pc >>>= 0;
  return (pc & 3) === 0 && pc >= CODE_BASE && pc < CODE_END;
}

/** Witness for the step the machine is about to execute (does not execute it). */
export function stepWitness(m: Machine): bigint[] {
  const rt = m.regTree();
  const w = fieldsToArray(m.fields(rt));
  const ok = fetchOk(m.pc);
  const insn = ok ? m.m32[m.pc >>> 2]! : m.codeTree.leaves[0]!;
  w.push(BigInt(insn), ...m.codeTree.proof(ok ? (m.pc - CODE_BASE) >>> 2 : 0));
  const slots = registerSlots(insn, ok);
  for (const r of [...slots.reads, slots.write]) w.push(BigInt(r), BigInt(m.regs[r]! >>> 0), ...rt.proof(r));
  const addr = memorySlot(insn, ok, m.regs);
  w.push(BigInt(addr), BigInt(m.m32[addr >>> 2]!), ...m.memTree.proof(addr >>> 2));
  const ii = streamLeaf(m.inputPos, INPUT_TREE);
  w.push(BigInt(m.inputTree.leaves[ii]!), ...m.inputTree.proof(ii));
  const blob = m.blobs.get(m.preimageKey);
  if (blob) {
    const bi = streamLeaf(m.preimageOffset, BLOB_TREE);
    w.push(blob.root, BigInt(blob.len), BigInt(blob.tree.leaves[bi]!), ...blob.tree.proof(bi));
  } else {
    emptyBlob ??= new WordTree(BLOB_TREE);
    w.push(emptyBlob.root(), 0n, 0n, ...emptyBlob.proof(0));
  }
  if (w.length !== W.LENGTH) throw new Error(`internal: witness length ${w.length}`);
  return w;
}

/** ABI encoding for the Solidity verifier: `uint256[165]` as 165 big-endian 32-byte words. */
export function witnessToHex(w: readonly bigint[]): `0x${string}` {
  return ("0x" + w.map((x) => x.toString(16).padStart(64, "0")).join("")) as `0x${string}`;
}
