/**
 * Basic-block compiler for the fast path of the zkfp machine: each straight-line run of
 * instructions from the read-only code region (ending at a branch or jump, before an ECALL /
 * EBREAK / illegal instruction, or after MAX_BLOCK instructions) becomes one JS function with
 * register indices and immediates folded in. V8 then compiles the hot blocks to machine code.
 *
 * Contract of a block function `(r, m8, i32, dv, out, mulh, mulhsu, mulhu, div, divu, rem, remu) => n`:
 * it executes up to `len` instructions and returns how many it completed; `out[0]` holds the pc
 * after them. A faulting load/store stops it *before* that instruction (nothing written), so the
 * reference step (machine.stepSlow) then executes the fault; semantics are those of isa.ts /
 * vm/STATE.md and are checked against the reference step on every guest (machine.test.ts) and
 * against qemu (qemu.test.ts uses the reference step).
 */
import { CODE_BASE, CODE_END, MEM_SIZE } from "./layout.ts";
import { Op, decode } from "./isa.ts";

export const MAX_BLOCK = 64;

export type BlockFn = (
  r: Int32Array,
  m8: Uint8Array,
  i32: Int32Array,
  dv: DataView,
  out: Int32Array,
  mulh: (a: number, b: number) => number,
  mulhsu: (a: number, b: number) => number,
  mulhu: (a: number, b: number) => number,
  div: (a: number, b: number) => number,
  divu: (a: number, b: number) => number,
  rem: (a: number, b: number) => number,
  remu: (a: number, b: number) => number,
) => number;

export type Block = { fn: BlockFn; len: number };

const isControl = (op: Op) => op === Op.JAL || op === Op.JALR || (op >= Op.BEQ && op <= Op.BGEU);
const stops = (op: Op) => op === Op.ECALL || op === Op.EBREAK || op === Op.ILLEGAL;

/** Compile the block starting at code word `idx`; null if its first instruction needs the reference step. */
export function compileBlock(code: Uint32Array, idx: number): Block | null {
  const lines: string[] = ["let a = 0;"];
  let len = 0;
  for (let i = idx; i < code.length && len < MAX_BLOCK; i++) {
    const d = decode(code[i]!);
    if (stops(d.op)) break;
    const pc = CODE_BASE + 4 * i;
    const k = len;
    const R = (x: number) => (x === 0 ? "0" : `r[${x}]`);
    const W = (expr: string) => (d.rd === 0 ? "" : `r[${d.rd}] = ${expr};`);
    const fault = `{ out[0] = ${pc | 0}; return ${k}; }`;
    const store = (cond: string) =>
      `a = (${R(d.rs1)} + ${d.imm}) >>> 0; if (${cond}a >= ${MEM_SIZE} || (a >= ${CODE_BASE} && a < ${CODE_END})) ${fault}`;
    const load = (cond: string) => `a = (${R(d.rs1)} + ${d.imm}) >>> 0; if (${cond}a >= ${MEM_SIZE}) ${fault}`;
    const br = (cmp: string) => {
      lines.push(
        `if (${cmp}) { out[0] = ${(pc + d.imm) | 0}; return ${k + 1}; } out[0] = ${(pc + 4) | 0}; return ${k + 1};`,
      );
    };
    len++;
    switch (d.op) {
      case Op.LUI:
        lines.push(W(`${d.imm}`));
        break;
      case Op.AUIPC:
        lines.push(W(`${(pc + d.imm) | 0}`));
        break;
      case Op.JAL:
        lines.push(W(`${(pc + 4) | 0}`), `out[0] = ${(pc + d.imm) | 0}; return ${k + 1};`);
        break;
      case Op.JALR:
        lines.push(`a = (${R(d.rs1)} + ${d.imm}) & ~1;`, W(`${(pc + 4) | 0}`), `out[0] = a; return ${k + 1};`);
        break;
      case Op.BEQ:
        br(`${R(d.rs1)} === ${R(d.rs2)}`);
        break;
      case Op.BNE:
        br(`${R(d.rs1)} !== ${R(d.rs2)}`);
        break;
      case Op.BLT:
        br(`${R(d.rs1)} < ${R(d.rs2)}`);
        break;
      case Op.BGE:
        br(`${R(d.rs1)} >= ${R(d.rs2)}`);
        break;
      case Op.BLTU:
        br(`(${R(d.rs1)} >>> 0) < (${R(d.rs2)} >>> 0)`);
        break;
      case Op.BGEU:
        br(`(${R(d.rs1)} >>> 0) >= (${R(d.rs2)} >>> 0)`);
        break;
      case Op.LW:
        lines.push(load("(a & 3) !== 0 || "), W(`i32[a >>> 2]`));
        break;
      case Op.LB:
        lines.push(load(""), W(`(m8[a] << 24) >> 24`));
        break;
      case Op.LBU:
        lines.push(load(""), W(`m8[a]`));
        break;
      case Op.LH:
        lines.push(load("(a & 1) !== 0 || "), W(`dv.getInt16(a, true)`));
        break;
      case Op.LHU:
        lines.push(load("(a & 1) !== 0 || "), W(`dv.getUint16(a, true)`));
        break;
      case Op.SW:
        lines.push(store("(a & 3) !== 0 || "), `i32[a >>> 2] = ${R(d.rs2)};`);
        break;
      case Op.SH:
        lines.push(store("(a & 1) !== 0 || "), `dv.setInt16(a, ${R(d.rs2)}, true);`);
        break;
      case Op.SB:
        lines.push(store(""), `m8[a] = ${R(d.rs2)};`);
        break;
      case Op.ADDI:
        lines.push(W(`(${R(d.rs1)} + ${d.imm}) | 0`));
        break;
      case Op.SLTI:
        lines.push(W(`${R(d.rs1)} < ${d.imm} ? 1 : 0`));
        break;
      case Op.SLTIU:
        lines.push(W(`(${R(d.rs1)} >>> 0) < ${d.imm >>> 0} ? 1 : 0`));
        break;
      case Op.XORI:
        lines.push(W(`${R(d.rs1)} ^ ${d.imm}`));
        break;
      case Op.ORI:
        lines.push(W(`${R(d.rs1)} | ${d.imm}`));
        break;
      case Op.ANDI:
        lines.push(W(`${R(d.rs1)} & ${d.imm}`));
        break;
      case Op.SLLI:
        lines.push(W(`${R(d.rs1)} << ${d.imm}`));
        break;
      case Op.SRLI:
        lines.push(W(`(${R(d.rs1)} >>> ${d.imm}) | 0`));
        break;
      case Op.SRAI:
        lines.push(W(`${R(d.rs1)} >> ${d.imm}`));
        break;
      case Op.ADD:
        lines.push(W(`(${R(d.rs1)} + ${R(d.rs2)}) | 0`));
        break;
      case Op.SUB:
        lines.push(W(`(${R(d.rs1)} - ${R(d.rs2)}) | 0`));
        break;
      case Op.SLL:
        lines.push(W(`${R(d.rs1)} << (${R(d.rs2)} & 31)`));
        break;
      case Op.SLT:
        lines.push(W(`${R(d.rs1)} < ${R(d.rs2)} ? 1 : 0`));
        break;
      case Op.SLTU:
        lines.push(W(`(${R(d.rs1)} >>> 0) < (${R(d.rs2)} >>> 0) ? 1 : 0`));
        break;
      case Op.XOR:
        lines.push(W(`${R(d.rs1)} ^ ${R(d.rs2)}`));
        break;
      case Op.SRL:
        lines.push(W(`(${R(d.rs1)} >>> (${R(d.rs2)} & 31)) | 0`));
        break;
      case Op.SRA:
        lines.push(W(`${R(d.rs1)} >> (${R(d.rs2)} & 31)`));
        break;
      case Op.OR:
        lines.push(W(`${R(d.rs1)} | ${R(d.rs2)}`));
        break;
      case Op.AND:
        lines.push(W(`${R(d.rs1)} & ${R(d.rs2)}`));
        break;
      case Op.MUL:
        lines.push(W(`Math.imul(${R(d.rs1)}, ${R(d.rs2)})`));
        break;
      case Op.MULH:
        lines.push(W(`mulh(${R(d.rs1)}, ${R(d.rs2)})`));
        break;
      case Op.MULHSU:
        lines.push(W(`mulhsu(${R(d.rs1)}, ${R(d.rs2)})`));
        break;
      case Op.MULHU:
        lines.push(W(`mulhu(${R(d.rs1)}, ${R(d.rs2)})`));
        break;
      case Op.DIV:
        lines.push(W(`div(${R(d.rs1)}, ${R(d.rs2)})`));
        break;
      case Op.DIVU:
        lines.push(W(`divu(${R(d.rs1)}, ${R(d.rs2)})`));
        break;
      case Op.REM:
        lines.push(W(`rem(${R(d.rs1)}, ${R(d.rs2)})`));
        break;
      case Op.REMU:
        lines.push(W(`remu(${R(d.rs1)}, ${R(d.rs2)})`));
        break;
      case Op.FENCE:
        break;
      default:
        throw new Error(`jit: unhandled op ${d.op}`);
    }
    if (isControl(d.op)) return { fn: build(lines), len };
  }
  if (len === 0) return null;
  lines.push(`out[0] = ${(CODE_BASE + 4 * (idx + len)) | 0}; return ${len};`);
  return { fn: build(lines), len };
}

function build(lines: string[]): BlockFn {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function(
    "r",
    "m8",
    "i32",
    "dv",
    "out",
    "mulh",
    "mulhsu",
    "mulhu",
    "div",
    "divu",
    "rem",
    "remu",
    lines.filter(Boolean).join("\n"),
  ) as BlockFn;
}
