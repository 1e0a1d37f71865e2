/**
 * The zkfp RV32IM machine (TypeScript reference; twins: contracts/src/rv32im/ (Solidity one-step
 * verifier) and zk/circuits/ (circom m-step circuit); normative spec: vm/STATE.md).
 *
 * Two execution paths with identical semantics:
 *  - `run()`: a fast loop over instructions pre-decoded from the read-only code region. It handles
 *    every instruction except ECALL/EBREAK/illegal and faulting accesses, which it hands to
 *  - `stepSlow()`: the reference step, also used to build step witnesses (witness.ts).
 * Neither tracks dirty memory: the Poseidon trees are brought up to date at checkpoints by diffing
 * (merkle.ts `sync`), so the hot loop pays nothing for the commitment.
 *
 * Pitfalls: memory views assume a little-endian host (x86/ARM); registers are int32 in an
 * Int32Array and x0 is re-zeroed after every write.
 */
import { ZkfpError } from "./errors.ts";
import type { Program } from "./elf.ts";
import {
  CODE_BASE,
  CODE_END,
  CODE_WORDS,
  CODE_TREE,
  MEM_SIZE,
  MEM_TREE,
  REG_TREE,
  INPUT_TREE,
  BLOB_TREE,
  Errno,
  Fd,
  StatusKind,
  Syscall,
  Trap,
  MAX_INPUT_BYTES,
  MAX_BLOB_BYTES,
} from "./layout.ts";
import { compileBlock, type Block } from "./jit.ts";
import { mulh, mulhsu, mulhu, div, divu, rem, remu } from "./isa.ts";
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
import { WordTree, bytesToWords } from "./merkle.ts";
import { FIELD_MODULUS, initPoseidon, poseidon2, poseidon4 } from "./poseidon/index.ts";
import { stateRoot, type StateFields } from "./state.ts";

export class MachineError extends ZkfpError {
  override readonly name = "MachineError";
}

export type Status = "running" | "exited" | "trapped";
export type RunResult = { steps: number; status: Status; exitCode?: number; trap?: number };

const blockCache = new WeakMap<Uint8Array, (Block | null | undefined)[]>();

export type Blob = { bytes: Uint8Array; root: bigint; len: number; tree: WordTree };

/** Preimage key of a blob: P2(root of its 4-ary word tree, byte length). */
export function blobKey(bytes: Uint8Array): bigint {
  return poseidon2(makeBlob(bytes).root, BigInt(bytes.length));
}

export function makeBlob(bytes: Uint8Array): Blob {
  if (bytes.length > MAX_BLOB_BYTES)
    throw new MachineError("blob too large", { length: bytes.length, max: MAX_BLOB_BYTES });
  const tree = new WordTree(BLOB_TREE, bytesToWords(bytes));
  return { bytes, root: tree.root(), len: bytes.length, tree };
}

export type MachineOptions = { input?: Uint8Array; preimages?: Iterable<Uint8Array> | Map<bigint, Uint8Array> };

export class Machine {
  // architectural state
  pc = 0;
  step = 0;
  kind: StatusKind = StatusKind.Running;
  value = 0; // exit code or trap cause
  readonly regs = new Int32Array(32);
  readonly buf: ArrayBuffer;
  readonly m8: Uint8Array;
  readonly m32: Uint32Array;
  readonly i32: Int32Array;
  readonly dv: DataView;
  readonly input: Uint8Array;
  inputPos = 0;
  outHash = 0n;
  preimageKey = 0n;
  preimageOffset = 0;
  // commitments
  readonly codeTree: WordTree;
  readonly memTree: WordTree;
  readonly inputTree: WordTree;
  readonly blobs = new Map<bigint, Blob>();
  // host-side log of output chunks (fd, bytes)
  readonly out: { fd: number; bytes: Uint8Array }[] = [];
  // pre-decoded code
  /** pre-decoded code: op | rd' << 8 | rs1 << 14 | rs2 << 19 (rd' = 32 for x0), and imm */
  private readonly dpack: Int32Array;
  private readonly dimm: Int32Array;
  private readonly fastRegs = new Int32Array(33);
  private readonly jitOut = new Int32Array(1);
  private readonly codeWords: Uint32Array;
  readonly program: Program;

  private constructor(program: Program, input: Uint8Array) {
    this.program = program;
    this.buf = new ArrayBuffer(MEM_SIZE);
    this.m8 = new Uint8Array(this.buf);
    this.m8.set(program.image);
    this.m32 = new Uint32Array(this.buf);
    this.i32 = new Int32Array(this.buf);
    this.dv = new DataView(this.buf);
    this.pc = program.entry;
    this.input = input;
    const code = this.m32.slice(CODE_BASE >>> 2, CODE_END >>> 2);
    this.codeWords = code;
    this.codeTree = new WordTree(CODE_TREE, code);
    this.memTree = new WordTree(MEM_TREE, this.m32);
    this.inputTree = new WordTree(INPUT_TREE, bytesToWords(input));
    this.dpack = new Int32Array(CODE_WORDS);
    this.dimm = new Int32Array(CODE_WORDS);
    for (let i = 0; i < CODE_WORDS; i++) {
      const d = decode(code[i]!);
      this.dpack[i] = d.op | ((d.rd === 0 ? 32 : d.rd) << 8) | (d.rs1 << 14) | (d.rs2 << 19);
      this.dimm[i] = d.imm;
    }
  }

  static async create(program: Program, opts: MachineOptions = {}): Promise<Machine> {
    await initPoseidon();
    const input = opts.input ?? new Uint8Array(0);
    if (input.length > MAX_INPUT_BYTES)
      throw new MachineError("input too large", { length: input.length, max: MAX_INPUT_BYTES });
    const m = new Machine(program, input);
    if (opts.preimages) {
      if (opts.preimages instanceof Map) for (const b of opts.preimages.values()) m.addPreimage(b);
      else for (const b of opts.preimages) m.addPreimage(b);
    }
    return m;
  }

  addPreimage(bytes: Uint8Array): bigint {
    const b = makeBlob(bytes);
    const key = poseidon2(b.root, BigInt(b.len));
    this.blobs.set(key, b);
    return key;
  }

  get status(): Status {
    return this.kind === StatusKind.Running ? "running" : this.kind === StatusKind.Exited ? "exited" : "trapped";
  }

  get halted(): boolean {
    return this.kind !== StatusKind.Running;
  }

  result(): RunResult {
    const r: RunResult = { steps: this.step, status: this.status };
    if (this.kind === StatusKind.Exited) r.exitCode = this.value;
    if (this.kind === StatusKind.Trapped) r.trap = this.value;
    return r;
  }

  stdout(fd = 1): Uint8Array {
    const parts = this.out.filter((o) => o.fd === fd);
    const n = parts.reduce((s, p) => s + p.bytes.length, 0);
    const r = new Uint8Array(n);
    let o = 0;
    for (const p of parts) {
      r.set(p.bytes, o);
      o += p.bytes.length;
    }
    return r;
  }

  // ---- commitment ---------------------------------------------------------------------------

  regsRoot(): bigint {
    return this.regTree().root();
  }

  regTree(): WordTree {
    return new WordTree(REG_TREE, new Uint32Array(this.regs.buffer));
  }

  /** Bring the memory tree up to date (rehashes only words changed since the last sync). */
  syncMemory(): number {
    return this.memTree.sync(this.m32);
  }

  /** The state's fields; pass the register tree when the caller already built it (witnesses). */
  fields(regs: WordTree = this.regTree()): StateFields {
    this.syncMemory();
    return {
      pc: this.pc >>> 0,
      step: this.step,
      status: this.kind + 4 * (this.value >>> 0),
      regsRoot: regs.root(),
      memRoot: this.memTree.root(),
      codeRoot: this.codeTree.root(),
      inputRoot: this.inputTree.root(),
      inputLen: this.input.length,
      inputPos: this.inputPos,
      outHash: this.outHash,
      preimageKey: this.preimageKey,
      preimageOffset: this.preimageOffset,
    };
  }

  stateRoot(): bigint {
    return stateRoot(this.fields());
  }

  // ---- execution ----------------------------------------------------------------------------

  /** Run until halted or `maxSteps` more steps have executed. */
  run(maxSteps = Number.MAX_SAFE_INTEGER): RunResult {
    const limit = this.step + maxSteps;
    while (this.kind === StatusKind.Running && this.step < limit) {
      this.runBlocks(limit);
      if (this.kind !== StatusKind.Running || this.step >= limit) break;
      // an instruction the blocks did not run: the tail before the limit (one ordinary
      // instruction at a time) or a system/faulting one (the reference step)
      const before = this.step;
      this.runFast(Math.min(limit, this.step + 1));
      if (this.step === before) this.stepSlow();
    }
    return this.result();
  }

  /** Compiled basic blocks (jit.ts), shared by every machine running the same program image. */
  private runBlocks(limit: number): void {
    const regs = this.regs,
      m8 = this.m8,
      i32 = this.i32,
      dv = this.dv,
      out = this.jitOut;
    let blocks = blockCache.get(this.program.image);
    if (!blocks) blockCache.set(this.program.image, (blocks = new Array(CODE_WORDS)));
    const code = this.codeWords;
    let pc = this.pc,
      step = this.step;
    for (;;) {
      const off = pc - CODE_BASE;
      if (off >>> 0 >= 0x10000 || (pc & 3) !== 0) break;
      const i = off >>> 2;
      let b = blocks[i];
      if (b === undefined) b = blocks[i] = compileBlock(code, i);
      if (b === null || step + b.len > limit) break;
      const n = b.fn(regs, m8, i32, dv, out, mulh, mulhsu, mulhu, div, divu, rem, remu);
      step += n;
      pc = out[0]!;
      if (n < b.len) break; // a faulting access: the reference step takes it
    }
    this.pc = pc;
    this.step = step;
  }

  /**
   * The hot loop. Returns (leaving state consistent) at the first instruction it does not handle:
   * ECALL, EBREAK, illegal, a fetch or access that would trap; stepSlow() then executes it.
   */
  private runFast(limit: number): void {
    // Registers live in a 33-entry array during the loop: writes to x0 are redirected to the
    // sink entry 32 at decode time, so x0 never needs re-zeroing.
    const regs = this.fastRegs;
    regs.set(this.regs);
    const m8 = this.m8,
      i32 = this.i32,
      dv = this.dv;
    const dpack = this.dpack,
      dimm = this.dimm;
    let pc = this.pc,
      step = this.step;
    for (; step < limit; step++) {
      const off = pc - CODE_BASE;
      if (off >>> 0 >= 0x10000 || (pc & 3) !== 0) break;
      const i = off >>> 2;
      const pk = dpack[i]!;
      const rd = (pk >>> 8) & 63;
      const rs1 = (pk >>> 14) & 31;
      const rs2 = pk >>> 19;
      const imm = dimm[i]!;
      let next = pc + 4;
      switch (pk & 255) {
        case Op.LUI:
          regs[rd] = imm;
          break;
        case Op.AUIPC:
          regs[rd] = (pc + imm) | 0;
          break;
        case Op.JAL:
          regs[rd] = next;
          next = (pc + imm) | 0;
          break;
        case Op.JALR: {
          const t = (regs[rs1]! + imm) & ~1;
          regs[rd] = next;
          next = t;
          break;
        }
        case Op.BEQ:
          if (regs[rs1] === regs[rs2]) next = (pc + imm) | 0;
          break;
        case Op.BNE:
          if (regs[rs1] !== regs[rs2]) next = (pc + imm) | 0;
          break;
        case Op.BLT:
          if (regs[rs1]! < regs[rs2]!) next = (pc + imm) | 0;
          break;
        case Op.BGE:
          if (regs[rs1]! >= regs[rs2]!) next = (pc + imm) | 0;
          break;
        case Op.BLTU:
          if (regs[rs1]! >>> 0 < regs[rs2]! >>> 0) next = (pc + imm) | 0;
          break;
        case Op.BGEU:
          if (regs[rs1]! >>> 0 >= regs[rs2]! >>> 0) next = (pc + imm) | 0;
          break;
        case Op.LW: {
          const a = (regs[rs1]! + imm) >>> 0;
          if ((a & 3) !== 0 || a >= MEM_SIZE) {
            next = -1;
            break;
          }
          regs[rd] = i32[a >>> 2]!;
          break;
        }
        case Op.LB: {
          const a = (regs[rs1]! + imm) >>> 0;
          if (a >= MEM_SIZE) {
            next = -1;
            break;
          }
          regs[rd] = (m8[a]! << 24) >> 24;
          break;
        }
        case Op.LBU: {
          const a = (regs[rs1]! + imm) >>> 0;
          if (a >= MEM_SIZE) {
            next = -1;
            break;
          }
          regs[rd] = m8[a]!;
          break;
        }
        case Op.LH: {
          const a = (regs[rs1]! + imm) >>> 0;
          if ((a & 1) !== 0 || a >= MEM_SIZE) {
            next = -1;
            break;
          }
          regs[rd] = dv.getInt16(a, true);
          break;
        }
        case Op.LHU: {
          const a = (regs[rs1]! + imm) >>> 0;
          if ((a & 1) !== 0 || a >= MEM_SIZE) {
            next = -1;
            break;
          }
          regs[rd] = dv.getUint16(a, true);
          break;
        }
        case Op.SW: {
          const a = (regs[rs1]! + imm) >>> 0;
          if ((a & 3) !== 0 || a >= MEM_SIZE || (a >= CODE_BASE && a < CODE_END)) {
            next = -1;
            break;
          }
          i32[a >>> 2] = regs[rs2]!;
          break;
        }
        case Op.SH: {
          const a = (regs[rs1]! + imm) >>> 0;
          if ((a & 1) !== 0 || a >= MEM_SIZE || (a >= CODE_BASE && a < CODE_END)) {
            next = -1;
            break;
          }
          dv.setInt16(a, regs[rs2]!, true);
          break;
        }
        case Op.SB: {
          const a = (regs[rs1]! + imm) >>> 0;
          if (a >= MEM_SIZE || (a >= CODE_BASE && a < CODE_END)) {
            next = -1;
            break;
          }
          m8[a] = regs[rs2]!;
          break;
        }
        case Op.ADDI:
          regs[rd] = (regs[rs1]! + imm) | 0;
          break;
        case Op.SLTI:
          regs[rd] = regs[rs1]! < imm ? 1 : 0;
          break;
        case Op.SLTIU:
          regs[rd] = regs[rs1]! >>> 0 < imm >>> 0 ? 1 : 0;
          break;
        case Op.XORI:
          regs[rd] = regs[rs1]! ^ imm;
          break;
        case Op.ORI:
          regs[rd] = regs[rs1]! | imm;
          break;
        case Op.ANDI:
          regs[rd] = regs[rs1]! & imm;
          break;
        case Op.SLLI:
          regs[rd] = regs[rs1]! << imm;
          break;
        case Op.SRLI:
          regs[rd] = regs[rs1]! >>> imm;
          break;
        case Op.SRAI:
          regs[rd] = regs[rs1]! >> imm;
          break;
        case Op.ADD:
          regs[rd] = (regs[rs1]! + regs[rs2]!) | 0;
          break;
        case Op.SUB:
          regs[rd] = (regs[rs1]! - regs[rs2]!) | 0;
          break;
        case Op.SLL:
          regs[rd] = regs[rs1]! << (regs[rs2]! & 31);
          break;
        case Op.SLT:
          regs[rd] = regs[rs1]! < regs[rs2]! ? 1 : 0;
          break;
        case Op.SLTU:
          regs[rd] = regs[rs1]! >>> 0 < regs[rs2]! >>> 0 ? 1 : 0;
          break;
        case Op.XOR:
          regs[rd] = regs[rs1]! ^ regs[rs2]!;
          break;
        case Op.SRL:
          regs[rd] = regs[rs1]! >>> (regs[rs2]! & 31);
          break;
        case Op.SRA:
          regs[rd] = regs[rs1]! >> (regs[rs2]! & 31);
          break;
        case Op.OR:
          regs[rd] = regs[rs1]! | regs[rs2]!;
          break;
        case Op.AND:
          regs[rd] = regs[rs1]! & regs[rs2]!;
          break;
        case Op.MUL:
          regs[rd] = Math.imul(regs[rs1]!, regs[rs2]!);
          break;
        case Op.MULH:
        case Op.MULHSU:
        case Op.MULHU:
        case Op.DIV:
        case Op.DIVU:
        case Op.REM:
        case Op.REMU:
          regs[rd] = alu(pk & 255, regs[rs1]!, regs[rs2]!);
          break;
        case Op.FENCE:
          break;
        default:
          next = -1; // ECALL, EBREAK, ILLEGAL: the reference step handles them
      }
      if (next === -1) break; // a faulting access or a system instruction: nothing was written
      pc = next;
    }
    this.pc = pc;
    this.step = step;
    this.regs.set(regs.subarray(0, 32));
  }

  private trap(cause: number): void {
    this.kind = StatusKind.Trapped;
    this.value = cause;
    this.step++;
  }

  /** Fetch the instruction at pc; returns undefined (after trapping) if the fetch faults. */
  fetch(): number | undefined {
    if ((this.pc & 3) !== 0) return undefined;
    if (this.pc >>> 0 < CODE_BASE || this.pc >>> 0 >= CODE_END) return undefined;
    return this.m32[this.pc >>> 2]!;
  }

  /** Execute one step with the reference semantics (vm/STATE.md). No-op when halted. */
  stepSlow(): void {
    if (this.kind !== StatusKind.Running) return;
    const pc = this.pc >>> 0;
    if ((pc & 3) !== 0) return this.trap(Trap.MisalignedFetch);
    if (pc < CODE_BASE || pc >= CODE_END) return this.trap(Trap.FetchOutOfCode);
    const d = decode(this.m32[pc >>> 2]!);
    const r = this.regs;
    const a = r[d.rs1]!,
      b = r[d.rs2]!;
    let next = (pc + 4) | 0;
    let wr: number | undefined;
    if (d.op === Op.ILLEGAL) return this.trap(Trap.IllegalInstruction);
    if (d.op === Op.EBREAK) return this.trap(Trap.Breakpoint);
    if (d.op === Op.LUI) wr = d.imm;
    else if (d.op === Op.AUIPC) wr = (pc + d.imm) | 0;
    else if (d.op === Op.JAL) {
      wr = next;
      next = (pc + d.imm) | 0;
    } else if (d.op === Op.JALR) {
      wr = next;
      next = (a + d.imm) & ~1;
    } else if (isBranch(d.op)) {
      if (branchTaken(d.op, a, b)) next = (pc + d.imm) | 0;
    } else if (isAluImm(d.op)) wr = alu(d.op, a, d.imm);
    else if (isAluReg(d.op)) wr = alu(d.op, a, b);
    else if (isLoad(d.op) || isStore(d.op)) {
      const addr = (a + d.imm) >>> 0;
      const size = accessSize(d.op);
      if (addr % size !== 0) return this.trap(isLoad(d.op) ? Trap.MisalignedLoad : Trap.MisalignedStore);
      if (addr >= MEM_SIZE) return this.trap(isLoad(d.op) ? Trap.LoadFault : Trap.StoreFault);
      const word = this.i32[addr >>> 2]!;
      if (isLoad(d.op)) wr = extractLoad(d.op, word, addr & 3);
      else {
        if (addr >= CODE_BASE && addr < CODE_END) return this.trap(Trap.StoreFault);
        this.i32[addr >>> 2] = mergeStore(word, b, addr & 3, size);
      }
    } else if (d.op === Op.FENCE) {
      /* no-op */
    } else if (d.op === Op.ECALL) {
      const res = this.syscall();
      if (this.kind !== StatusKind.Running) {
        this.step++;
        return;
      }
      wr = res;
      if (wr !== undefined) {
        r[10] = wr;
        wr = undefined;
      }
    }
    if (wr !== undefined && d.rd !== 0) r[d.rd] = wr;
    this.pc = next;
    this.step++;
  }

  /** ECALL; returns the new a0 (or undefined when the machine halted). */
  private syscall(): number | undefined {
    const r = this.regs;
    const nr = r[17]!,
      a0 = r[10]!,
      buf = r[11]! >>> 0,
      n = r[12]! >>> 0;
    switch (nr) {
      case Syscall.Exit:
      case Syscall.ExitGroup:
        this.kind = StatusKind.Exited;
        this.value = a0 >>> 0;
        return undefined;
      case Syscall.Write: {
        if (a0 === Fd.Stdout || a0 === Fd.Stderr) {
          const c = Math.min(n, 4 - (buf & 3));
          if (c === 0) return 0;
          if (buf >= MEM_SIZE) return Errno.EFAULT;
          const word = this.m32[buf >>> 2]!;
          const v = c === 4 ? word : (word >>> (8 * (buf & 3))) & ((1 << (8 * c)) - 1);
          this.outHash = poseidon4(this.outHash, BigInt(a0), BigInt(v >>> 0), BigInt(c));
          this.out.push({ fd: a0, bytes: this.m8.slice(buf, buf + c) });
          return c;
        }
        if (a0 === Fd.PreimageKey) {
          if (n < 4 || (buf & 3) !== 0) return Errno.EINVAL;
          if (buf >= MEM_SIZE) return Errno.EFAULT;
          this.preimageKey = (this.preimageKey * 0x100000000n + BigInt(this.m32[buf >>> 2]!)) % FIELD_MODULUS;
          this.preimageOffset = 0;
          return 4;
        }
        return Errno.EBADF;
      }
      case Syscall.Read: {
        let src: Uint8Array, pos: number, len: number;
        if (a0 === Fd.Input) {
          src = this.input;
          pos = this.inputPos;
          len = this.input.length;
        } else if (a0 === Fd.PreimageData) {
          const blob = this.blobs.get(this.preimageKey);
          if (!blob)
            throw new MachineError("preimage unavailable: the oracle does not know this key", {
              key: this.preimageKey.toString(),
              step: this.step,
            });
          src = blob.bytes;
          pos = this.preimageOffset;
          len = blob.len;
        } else return Errno.EBADF;
        const c = Math.min(n, 4 - (buf & 3), 4 - (pos & 3), Math.max(0, len - pos));
        if (c === 0) return 0;
        if (buf >= MEM_SIZE || (buf >= CODE_BASE && buf < CODE_END)) return Errno.EFAULT;
        for (let k = 0; k < c; k++) this.m8[buf + k] = src[pos + k]!;
        if (a0 === Fd.Input) this.inputPos += c;
        else this.preimageOffset += c;
        return c;
      }
      default:
        return Errno.ENOSYS;
    }
  }

  /** Copy of the architectural state (for trace snapshots). */
  snapshot(): MachineSnapshot {
    return {
      pc: this.pc,
      step: this.step,
      kind: this.kind,
      value: this.value,
      regs: this.regs.slice(),
      mem: this.m32.slice(),
      inputPos: this.inputPos,
      outHash: this.outHash,
      preimageKey: this.preimageKey,
      preimageOffset: this.preimageOffset,
      outLen: this.out.length,
    };
  }

  restore(s: MachineSnapshot): void {
    this.pc = s.pc;
    this.step = s.step;
    this.kind = s.kind;
    this.value = s.value;
    this.regs.set(s.regs);
    this.m32.set(s.mem);
    this.inputPos = s.inputPos;
    this.outHash = s.outHash;
    this.preimageKey = s.preimageKey;
    this.preimageOffset = s.preimageOffset;
    this.out.length = s.outLen;
  }
}

export type MachineSnapshot = {
  pc: number;
  step: number;
  kind: StatusKind;
  value: number;
  regs: Int32Array;
  mem: Uint32Array;
  inputPos: number;
  outHash: bigint;
  preimageKey: bigint;
  preimageOffset: number;
  outLen: number;
};
