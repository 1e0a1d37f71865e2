/**
 * RV32IM decoding and pure instruction semantics, shared by the slow reference step (machine.ts)
 * and the witness verifier (verify.ts). The fast interpreter loop in machine.ts inlines the same
 * rules and is checked against these in tests; qemu-riscv32 checks both (differential tests).
 *
 * Legal encodings (anything else is an illegal instruction, trap cause 1):
 *   bits[1:0] = 11 and opcode one of LUI 0x37, AUIPC 0x17, JAL 0x6f, JALR 0x67 (funct3 0),
 *   BRANCH 0x63 (funct3 0,1,4,5,6,7), LOAD 0x03 (funct3 0,1,2,4,5), STORE 0x23 (funct3 0,1,2),
 *   OP-IMM 0x13 (SLLI funct7 0; SRLI/SRAI funct7 0x00/0x20), OP 0x33 (funct7 0x00, 0x20 for
 *   SUB/SRA, 0x01 for M), MISC-MEM 0x0f funct3 0 (FENCE; other fields ignored), and the exact
 *   words ECALL 0x00000073 and EBREAK 0x00100073.
 */
export const enum Op {
  ILLEGAL = 0,
  LUI,
  AUIPC,
  JAL,
  JALR,
  BEQ,
  BNE,
  BLT,
  BGE,
  BLTU,
  BGEU,
  LB,
  LH,
  LW,
  LBU,
  LHU,
  SB,
  SH,
  SW,
  ADDI,
  SLTI,
  SLTIU,
  XORI,
  ORI,
  ANDI,
  SLLI,
  SRLI,
  SRAI,
  ADD,
  SUB,
  SLL,
  SLT,
  SLTU,
  XOR,
  SRL,
  SRA,
  OR,
  AND,
  MUL,
  MULH,
  MULHSU,
  MULHU,
  DIV,
  DIVU,
  REM,
  REMU,
  FENCE,
  ECALL,
  EBREAK,
}

export const OP_NAMES = [
  "illegal",
  "lui",
  "auipc",
  "jal",
  "jalr",
  "beq",
  "bne",
  "blt",
  "bge",
  "bltu",
  "bgeu",
  "lb",
  "lh",
  "lw",
  "lbu",
  "lhu",
  "sb",
  "sh",
  "sw",
  "addi",
  "slti",
  "sltiu",
  "xori",
  "ori",
  "andi",
  "slli",
  "srli",
  "srai",
  "add",
  "sub",
  "sll",
  "slt",
  "sltu",
  "xor",
  "srl",
  "sra",
  "or",
  "and",
  "mul",
  "mulh",
  "mulhsu",
  "mulhu",
  "div",
  "divu",
  "rem",
  "remu",
  "fence",
  "ecall",
  "ebreak",
] as const;

export type Decoded = { op: Op; rd: number; rs1: number; rs2: number; imm: number };

export function decode(insn: number): Decoded {
  insn = insn | 0;
  const opcode = insn & 0x7f;
  const rd = (insn >>> 7) & 31;
  const f3 = (insn >>> 12) & 7;
  const rs1 = (insn >>> 15) & 31;
  const rs2 = (insn >>> 20) & 31;
  const f7 = insn >>> 25;
  const immI = insn >> 20;
  const immS = ((insn >> 25) << 5) | ((insn >>> 7) & 31);
  const immB =
    ((insn >> 31) << 12) | (((insn >>> 7) & 1) << 11) | (((insn >>> 25) & 63) << 5) | (((insn >>> 8) & 15) << 1);
  const immU = insn & 0xfffff000;
  const immJ =
    ((insn >> 31) << 20) | (((insn >>> 12) & 255) << 12) | (((insn >>> 20) & 1) << 11) | (((insn >>> 21) & 1023) << 1);
  const d = (op: Op, imm = 0): Decoded => ({ op, rd, rs1, rs2, imm });
  switch (opcode) {
    case 0x37:
      return d(Op.LUI, immU);
    case 0x17:
      return d(Op.AUIPC, immU);
    case 0x6f:
      return d(Op.JAL, immJ);
    case 0x67:
      return f3 === 0 ? d(Op.JALR, immI) : d(Op.ILLEGAL);
    case 0x63: {
      const ops = [Op.BEQ, Op.BNE, Op.ILLEGAL, Op.ILLEGAL, Op.BLT, Op.BGE, Op.BLTU, Op.BGEU];
      const op = ops[f3]!;
      return op === Op.ILLEGAL ? d(op) : d(op, immB);
    }
    case 0x03: {
      const ops = [Op.LB, Op.LH, Op.LW, Op.ILLEGAL, Op.LBU, Op.LHU, Op.ILLEGAL, Op.ILLEGAL];
      const op = ops[f3]!;
      return op === Op.ILLEGAL ? d(op) : d(op, immI);
    }
    case 0x23: {
      const ops = [Op.SB, Op.SH, Op.SW];
      const op = ops[f3];
      return op === undefined ? d(Op.ILLEGAL) : d(op, immS);
    }
    case 0x13: {
      switch (f3) {
        case 0:
          return d(Op.ADDI, immI);
        case 2:
          return d(Op.SLTI, immI);
        case 3:
          return d(Op.SLTIU, immI);
        case 4:
          return d(Op.XORI, immI);
        case 6:
          return d(Op.ORI, immI);
        case 7:
          return d(Op.ANDI, immI);
        case 1:
          return f7 === 0 ? d(Op.SLLI, rs2) : d(Op.ILLEGAL);
        default:
          return f7 === 0 ? d(Op.SRLI, rs2) : f7 === 0x20 ? d(Op.SRAI, rs2) : d(Op.ILLEGAL);
      }
    }
    case 0x33: {
      if (f7 === 0) return d([Op.ADD, Op.SLL, Op.SLT, Op.SLTU, Op.XOR, Op.SRL, Op.OR, Op.AND][f3]!);
      if (f7 === 1) return d([Op.MUL, Op.MULH, Op.MULHSU, Op.MULHU, Op.DIV, Op.DIVU, Op.REM, Op.REMU][f3]!);
      if (f7 === 0x20 && f3 === 0) return d(Op.SUB);
      if (f7 === 0x20 && f3 === 5) return d(Op.SRA);
      return d(Op.ILLEGAL);
    }
    case 0x0f:
      return f3 === 0 ? d(Op.FENCE) : d(Op.ILLEGAL);
    case 0x73:
      if (insn === 0x00000073) return d(Op.ECALL);
      if (insn === 0x00100073) return d(Op.EBREAK);
      return d(Op.ILLEGAL);
    default:
      return d(Op.ILLEGAL);
  }
}

/** High 32 bits of the unsigned 64-bit product (exact with 16-bit limbs in doubles). */
export function mulhu(a: number, b: number): number {
  a >>>= 0;
  b >>>= 0;
  const al = a & 0xffff,
    ah = a >>> 16,
    bl = b & 0xffff,
    bh = b >>> 16;
  const lh = al * bh,
    hl = ah * bl;
  const mid = ((al * bl) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (ah * bh + Math.floor(lh / 65536) + Math.floor(hl / 65536) + Math.floor(mid / 65536)) | 0;
}
export function mulh(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
}
export function mulhsu(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b : 0)) | 0;
}
export function div(a: number, b: number): number {
  if (b === 0) return -1;
  if (a === -0x80000000 && b === -1) return a;
  return Math.trunc(a / b) | 0;
}
export function divu(a: number, b: number): number {
  a >>>= 0;
  b >>>= 0;
  return b === 0 ? -1 : Math.trunc(a / b) | 0;
}
export function rem(a: number, b: number): number {
  if (b === 0) return a;
  if (b === -1) return 0;
  return (a % b) | 0;
}
export function remu(a: number, b: number): number {
  a >>>= 0;
  b >>>= 0;
  return b === 0 ? a | 0 : (a % b) | 0;
}

/** Result of OP / OP-IMM style instructions on signed 32-bit operands (b = rs2 or imm). */
export function alu(op: Op, a: number, b: number): number {
  switch (op) {
    case Op.ADD:
    case Op.ADDI:
      return (a + b) | 0;
    case Op.SUB:
      return (a - b) | 0;
    case Op.SLL:
    case Op.SLLI:
      return a << (b & 31);
    case Op.SLT:
    case Op.SLTI:
      return a < b ? 1 : 0;
    case Op.SLTU:
    case Op.SLTIU:
      return a >>> 0 < b >>> 0 ? 1 : 0;
    case Op.XOR:
    case Op.XORI:
      return a ^ b;
    case Op.SRL:
    case Op.SRLI:
      return (a >>> (b & 31)) | 0;
    case Op.SRA:
    case Op.SRAI:
      return a >> (b & 31);
    case Op.OR:
    case Op.ORI:
      return a | b;
    case Op.AND:
    case Op.ANDI:
      return a & b;
    case Op.MUL:
      return Math.imul(a, b);
    case Op.MULH:
      return mulh(a, b);
    case Op.MULHSU:
      return mulhsu(a, b);
    case Op.MULHU:
      return mulhu(a, b);
    case Op.DIV:
      return div(a, b);
    case Op.DIVU:
      return divu(a, b);
    case Op.REM:
      return rem(a, b);
    case Op.REMU:
      return remu(a, b);
    default:
      throw new Error(`alu: not an ALU op ${op}`);
  }
}

export function branchTaken(op: Op, a: number, b: number): boolean {
  switch (op) {
    case Op.BEQ:
      return a === b;
    case Op.BNE:
      return a !== b;
    case Op.BLT:
      return a < b;
    case Op.BGE:
      return a >= b;
    case Op.BLTU:
      return a >>> 0 < b >>> 0;
    case Op.BGEU:
      return a >>> 0 >= b >>> 0;
    default:
      throw new Error(`branchTaken: not a branch ${op}`);
  }
}

export const isAluImm = (op: Op) => op >= Op.ADDI && op <= Op.SRAI;
export const isAluReg = (op: Op) => op >= Op.ADD && op <= Op.REMU;
export const isBranch = (op: Op) => op >= Op.BEQ && op <= Op.BGEU;
export const isLoad = (op: Op) => op >= Op.LB && op <= Op.LHU;
export const isStore = (op: Op) => op >= Op.SB && op <= Op.SW;
export const accessSize = (op: Op) =>
  op === Op.LB || op === Op.LBU || op === Op.SB ? 1 : op === Op.LH || op === Op.LHU || op === Op.SH ? 2 : 4;
/** Instructions that write rd (the witness write slot holds rd for these). */
export const writesRd = (op: Op) =>
  op === Op.LUI || op === Op.AUIPC || op === Op.JAL || op === Op.JALR || isLoad(op) || isAluImm(op) || isAluReg(op);

/** Value of a load of `size` bytes at byte offset `off` within little-endian `word`. */
export function extractLoad(op: Op, word: number, off: number): number {
  const v = word >>> (8 * off);
  switch (op) {
    case Op.LB:
      return (v << 24) >> 24;
    case Op.LBU:
      return v & 0xff;
    case Op.LH:
      return (v << 16) >> 16;
    case Op.LHU:
      return v & 0xffff;
    default:
      return word | 0;
  }
}

/** `word` with `size` bytes at byte offset `off` replaced by the low bytes of `value`. */
export function mergeStore(word: number, value: number, off: number, size: number): number {
  if (size === 4) return value | 0;
  const mask = (size === 1 ? 0xff : 0xffff) << (8 * off);
  return (word & ~mask) | ((value << (8 * off)) & mask) | 0;
}
