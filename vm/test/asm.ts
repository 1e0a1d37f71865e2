/** Tiny RV32IM encoder for tests (R/I/S/B/U/J formats) and a harness that runs instructions. */
import { CODE_BASE, MEM_SIZE } from "../layout.ts";
import type { Program } from "../elf.ts";
import { Machine } from "../machine.ts";

export const R = (f7: number, rs2: number, rs1: number, f3: number, rd: number, op: number) =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
export const I = (imm: number, rs1: number, f3: number, rd: number, op: number) =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
export const S = (imm: number, rs2: number, rs1: number, f3: number, op: number) =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 31) << 7) | op) >>> 0;
export const B = (imm: number, rs2: number, rs1: number, f3: number) =>
  ((((imm >> 12) & 1) << 31) |
    (((imm >> 5) & 63) << 25) |
    (rs2 << 20) |
    (rs1 << 15) |
    (f3 << 12) |
    (((imm >> 1) & 15) << 8) |
    (((imm >> 11) & 1) << 7) |
    0x63) >>>
  0;
export const U = (imm: number, rd: number, op: number) => ((imm & 0xfffff000) | (rd << 7) | op) >>> 0;
export const J = (imm: number, rd: number) =>
  ((((imm >> 20) & 1) << 31) |
    (((imm >> 1) & 1023) << 21) |
    (((imm >> 11) & 1) << 20) |
    (((imm >> 12) & 255) << 12) |
    (rd << 7) |
    0x6f) >>>
  0;

const rops: Record<string, [number, number]> = {
  add: [0, 0],
  sub: [0x20, 0],
  sll: [0, 1],
  slt: [0, 2],
  sltu: [0, 3],
  xor: [0, 4],
  srl: [0, 5],
  sra: [0x20, 5],
  or: [0, 6],
  and: [0, 7],
  mul: [1, 0],
  mulh: [1, 1],
  mulhsu: [1, 2],
  mulhu: [1, 3],
  div: [1, 4],
  divu: [1, 5],
  rem: [1, 6],
  remu: [1, 7],
};
const iops: Record<string, number> = { addi: 0, slti: 2, sltiu: 3, xori: 4, ori: 6, andi: 7 };
const loads: Record<string, number> = { lb: 0, lh: 1, lw: 2, lbu: 4, lhu: 5 };
const stores: Record<string, number> = { sb: 0, sh: 1, sw: 2 };
const branches: Record<string, number> = { beq: 0, bne: 1, blt: 4, bge: 5, bltu: 6, bgeu: 7 };

export const asm = {
  r: (name: string, rd: number, rs1: number, rs2: number) => {
    const [f7, f3] = rops[name]!;
    return R(f7, rs2, rs1, f3, rd, 0x33);
  },
  i: (name: string, rd: number, rs1: number, imm: number) => I(imm, rs1, iops[name]!, rd, 0x13),
  shifti: (name: "slli" | "srli" | "srai", rd: number, rs1: number, sh: number) =>
    R(name === "srai" ? 0x20 : 0, sh, rs1, name === "slli" ? 1 : 5, rd, 0x13),
  load: (name: string, rd: number, rs1: number, imm: number) => I(imm, rs1, loads[name]!, rd, 0x03),
  store: (name: string, rs2: number, rs1: number, imm: number) => S(imm, rs2, rs1, stores[name]!, 0x23),
  branch: (name: string, rs1: number, rs2: number, imm: number) => B(imm, rs2, rs1, branches[name]!),
  lui: (rd: number, imm: number) => U(imm, rd, 0x37),
  auipc: (rd: number, imm: number) => U(imm, rd, 0x17),
  jal: (rd: number, imm: number) => J(imm, rd),
  jalr: (rd: number, rs1: number, imm: number) => I(imm, rs1, 0, rd, 0x67),
  ecall: () => 0x00000073,
  ebreak: () => 0x00100073,
  fence: () => 0x0ff0000f,
};

/** A program whose code region starts with `code` (entry = CODE_BASE) and whose memory holds `data` at `dataAddr`. */
export function programOf(code: number[], data?: { addr: number; bytes: Uint8Array }): Program {
  const image = new Uint8Array(MEM_SIZE);
  const dv = new DataView(image.buffer);
  code.forEach((w, k) => dv.setUint32(CODE_BASE + 4 * k, w >>> 0, true));
  if (data) image.set(data.bytes, data.addr);
  return {
    entry: CODE_BASE,
    segments: [
      {
        vaddr: CODE_BASE,
        memsz: 4 * code.length,
        data: image.subarray(CODE_BASE, CODE_BASE + 4 * code.length),
        flags: 5,
      },
    ],
    image,
  };
}

/** Build a machine for `code`, preset registers, execute `steps` steps (slow or fast path). */
export async function exec(
  code: number[],
  regs: Record<number, number> = {},
  steps = 1,
  mode: "slow" | "fast" = "slow",
  data?: { addr: number; bytes: Uint8Array },
) {
  const m = await Machine.create(programOf(code, data));
  for (const [k, v] of Object.entries(regs)) m.regs[Number(k)] = v;
  if (mode === "slow") for (let s = 0; s < steps; s++) m.stepSlow();
  else m.run(steps);
  return m;
}
