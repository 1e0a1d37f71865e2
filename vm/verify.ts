/**
 * One-step verifier from a witness alone: the TypeScript twin of the Solidity verifier
 * (contracts/src/rv32im/) and the circom step (zk/circuits/). Given the pre-state root and a step
 * witness (vm/STATE.md), it checks every opened leaf against the pre-state roots and returns the
 * post-state root. It never looks at a Machine: tests compare it with the interpreter, and the
 * Solidity/circom twins are tested against the fixtures it accepts.
 *
 * Rejections (WitnessError): a field that is not a field element / not a u32 where a word is
 * expected, pre-fields that don't hash to the pre-root, a proof that doesn't match its root, or a
 * slot index different from the one the instruction dictates.
 */
import { ZkfpError } from "./errors.ts";
import {
  W,
  CODE_BASE,
  CODE_END,
  CODE_TREE,
  MEM_SIZE,
  MEM_TREE,
  REG_TREE,
  INPUT_TREE,
  BLOB_TREE,
  StatusKind,
  Syscall,
  Fd,
  Errno,
  Trap,
} from "./layout.ts";
import {
  Op,
  decode,
  alu,
  branchTaken,
  isAluImm,
  isAluReg,
  isBranch,
  isLoad,
  isStore,
  accessSize,
  extractLoad,
  mergeStore,
} from "./isa.ts";
import { rootFromProof } from "./merkle.ts";
import { FIELD_MODULUS, poseidon2, poseidon4 } from "./poseidon/index.ts";
import { fieldsFromArray, stateRoot, type StateFields } from "./state.ts";
import { registerSlots, memorySlot } from "./witness.ts";

export class WitnessError extends ZkfpError {
  override readonly name = "WitnessError";
}

const U32 = 0xffffffffn;

function u32(w: readonly bigint[], i: number, what: string): number {
  const v = w[i]!;
  if (v < 0n || v > U32) throw new WitnessError(`${what} is not a 32-bit word`, { offset: i, value: v.toString() });
  return Number(v);
}

export function verifyStep(preRoot: bigint, w: readonly bigint[]): bigint {
  if (w.length !== W.LENGTH) throw new WitnessError("wrong witness length", { length: w.length, expected: W.LENGTH });
  for (let i = 0; i < w.length; i++)
    if (typeof w[i] !== "bigint" || w[i]! < 0n || w[i]! >= FIELD_MODULUS)
      throw new WitnessError("witness element is not a field element", { offset: i, value: String(w[i]) });
  for (const [i, name] of [
    [0, "pc"],
    [1, "step"],
    [2, "status"],
    [7, "inputLen"],
    [8, "inputPos"],
    [11, "preimageOffset"],
  ] as const) {
    if (w[i]! >= 1n << 53n) throw new WitnessError(`${name} out of range`, { offset: i, value: w[i]!.toString() });
  }
  u32(w, 0, "pc");
  const s: StateFields = fieldsFromArray(w.slice(W.PRE, W.PRE + 12));
  if (stateRoot(s) !== preRoot)
    throw new WitnessError("pre-state fields do not hash to the pre-root", { preRoot: preRoot.toString() });
  if ((s.status & 3) !== StatusKind.Running) return preRoot; // halted states are fixed points
  const post: StateFields = { ...s, step: s.step + 1 };
  const trap = (cause: number) => stateRoot({ ...post, status: StatusKind.Trapped + 4 * cause });

  // fetch
  const pc = s.pc;
  const fetchOk = (pc & 3) === 0 && pc >= CODE_BASE && pc < CODE_END;
  const insn = u32(w, W.INSN, "insn");
  const codeIdx = fetchOk ? (pc - CODE_BASE) >>> 2 : 0;
  if (rootFromProof(CODE_TREE, codeIdx, w[W.INSN]!, w.slice(W.CODE_PROOF, W.CODE_PROOF + 21)) !== s.codeRoot)
    throw new WitnessError("instruction proof does not match the code root", { pc, insn });
  if ((pc & 3) !== 0) return trap(Trap.MisalignedFetch);
  if (!fetchOk) return trap(Trap.FetchOutOfCode);

  // registers: 4 reads + 1 write slot, all against the pre regsRoot
  const slots = registerSlots(insn, true);
  const regVal: number[] = [];
  for (let k = 0; k < 5; k++) {
    const o = W.REG_READS + 7 * k;
    const idx = Number(w[o]!);
    const want = k < 4 ? slots.reads[k]! : slots.write;
    if (w[o] !== BigInt(want))
      throw new WitnessError("register slot holds the wrong index", {
        slot: k,
        index: w[o]!.toString(),
        expected: want,
      });
    const v = u32(w, o + 1, "register value");
    if (rootFromProof(REG_TREE, idx, w[o + 1]!, w.slice(o + 2, o + 7)) !== s.regsRoot)
      throw new WitnessError("register proof does not match the regs root", { slot: k, index: idx });
    if (idx === 0 && v !== 0) throw new WitnessError("x0 must be 0", { slot: k, value: v });
    regVal.push(v | 0);
  }
  const regs: number[] = new Array(32).fill(0);
  for (let k = 0; k < 4; k++) regs[slots.reads[k]!] = regVal[k]!;
  const [a, b] = [regVal[0]!, regVal[1]!];

  // memory slot
  const memAddr = u32(w, W.MEM, "memory address");
  const wantAddr = memorySlot(insn, true, regs);
  if (memAddr !== wantAddr)
    throw new WitnessError("memory slot holds the wrong address", { address: memAddr, expected: wantAddr });
  const memOld = u32(w, W.MEM + 1, "memory word");
  const memProof = w.slice(W.MEM + 2, W.MEM + 32);
  if (rootFromProof(MEM_TREE, memAddr >>> 2, w[W.MEM + 1]!, memProof) !== s.memRoot)
    throw new WitnessError("memory proof does not match the memory root", { address: memAddr });
  // input slot
  const inIdx = s.inputPos >>> 2;
  const inWord = u32(w, W.INPUT, "input word");
  if (rootFromProof(INPUT_TREE, inIdx, w[W.INPUT]!, w.slice(W.INPUT + 1, W.INPUT + 31)) !== s.inputRoot)
    throw new WitnessError("input proof does not match the input root", { index: inIdx });

  const d = decode(insn);
  let next = (pc + 4) | 0;
  let rdVal: number | undefined;
  let memNew = memOld;
  const setMem = (v: number) => {
    memNew = v | 0;
  };
  if (d.op === Op.ILLEGAL) return trap(Trap.IllegalInstruction);
  if (d.op === Op.EBREAK) return trap(Trap.Breakpoint);
  if (d.op === Op.LUI) rdVal = d.imm;
  else if (d.op === Op.AUIPC) rdVal = (pc + d.imm) | 0;
  else if (d.op === Op.JAL) {
    rdVal = next;
    next = (pc + d.imm) | 0;
  } else if (d.op === Op.JALR) {
    rdVal = next;
    next = (a + d.imm) & ~1;
  } else if (isBranch(d.op)) {
    if (branchTaken(d.op, a, b)) next = (pc + d.imm) | 0;
  } else if (isAluImm(d.op)) rdVal = alu(d.op, a, d.imm);
  else if (isAluReg(d.op)) rdVal = alu(d.op, a, b);
  else if (isLoad(d.op) || isStore(d.op)) {
    const addr = (a + d.imm) >>> 0;
    const size = accessSize(d.op);
    if (addr % size !== 0) return trap(isLoad(d.op) ? Trap.MisalignedLoad : Trap.MisalignedStore);
    if (addr >= MEM_SIZE) return trap(isLoad(d.op) ? Trap.LoadFault : Trap.StoreFault);
    if (isLoad(d.op)) rdVal = extractLoad(d.op, memOld | 0, addr & 3);
    else {
      if (addr >= CODE_BASE && addr < CODE_END) return trap(Trap.StoreFault);
      setMem(mergeStore(memOld | 0, b, addr & 3, size));
    }
  } else if (d.op === Op.ECALL) {
    const [nr, a0, buf, n] = [regVal[0]!, regVal[1]!, regVal[2]! >>> 0, regVal[3]! >>> 0];
    if (nr === Syscall.Exit || nr === Syscall.ExitGroup)
      return stateRoot({ ...post, status: StatusKind.Exited + 4 * (a0 >>> 0) });
    if (nr === Syscall.Write) {
      if (a0 === Fd.Stdout || a0 === Fd.Stderr) {
        const c = Math.min(n, 4 - (buf & 3));
        if (c === 0) rdVal = 0;
        else if (buf >= MEM_SIZE) rdVal = Errno.EFAULT;
        else {
          const v = c === 4 ? memOld : (memOld >>> (8 * (buf & 3))) & ((1 << (8 * c)) - 1);
          post.outHash = poseidon4(s.outHash, BigInt(a0), BigInt(v >>> 0), BigInt(c));
          rdVal = c;
        }
      } else if (a0 === Fd.PreimageKey) {
        if (n < 4 || (buf & 3) !== 0) rdVal = Errno.EINVAL;
        else if (buf >= MEM_SIZE) rdVal = Errno.EFAULT;
        else {
          post.preimageKey = (s.preimageKey * 0x100000000n + BigInt(memOld >>> 0)) % FIELD_MODULUS;
          post.preimageOffset = 0;
          rdVal = 4;
        }
      } else rdVal = Errno.EBADF;
    } else if (nr === Syscall.Read) {
      let word: number, pos: number, len: number;
      if (a0 === Fd.Input) {
        word = inWord;
        pos = s.inputPos;
        len = s.inputLen;
      } else if (a0 === Fd.PreimageData) {
        const o = W.BLOB;
        const broot = w[o]!,
          blen = u32(w, o + 1, "blob length"),
          bword = u32(w, o + 2, "blob word");
        if (poseidon2(broot, BigInt(blen)) !== s.preimageKey)
          throw new WitnessError("blob does not match the preimage key", { key: s.preimageKey.toString() });
        if (rootFromProof(BLOB_TREE, s.preimageOffset >>> 2, w[o + 2]!, w.slice(o + 3, o + 33)) !== broot)
          throw new WitnessError("blob proof does not match the blob root", { offset: s.preimageOffset });
        word = bword;
        pos = s.preimageOffset;
        len = blen;
      } else {
        word = 0;
        pos = 0;
        len = 0;
        rdVal = Errno.EBADF;
      }
      if (rdVal === undefined) {
        const c = Math.min(n, 4 - (buf & 3), 4 - (pos & 3), Math.max(0, len - pos));
        if (c === 0) rdVal = 0;
        else if (buf >= MEM_SIZE || (buf >= CODE_BASE && buf < CODE_END)) rdVal = Errno.EFAULT;
        else {
          let m = memOld | 0;
          for (let k = 0; k < c; k++) {
            const byte = (word >>> (8 * ((pos & 3) + k))) & 0xff;
            m = mergeStore(m, byte, (buf & 3) + k, 1);
          }
          setMem(m);
          if (a0 === Fd.Input) post.inputPos = s.inputPos + c;
          else post.preimageOffset = s.preimageOffset + c;
          rdVal = c;
        }
      }
    } else rdVal = Errno.ENOSYS;
  } // FENCE: nothing

  post.pc = next >>> 0;
  const wo = W.REG_WRITE;
  const wIdx = Number(w[wo]!);
  if (rdVal !== undefined && wIdx !== 0)
    post.regsRoot = rootFromProof(REG_TREE, wIdx, BigInt(rdVal >>> 0), w.slice(wo + 2, wo + 7));
  if (memNew !== memOld) post.memRoot = rootFromProof(MEM_TREE, memAddr >>> 2, BigInt(memNew >>> 0), memProof);
  return stateRoot(post);
}
