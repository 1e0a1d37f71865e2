/**
 * Seeded generator of random RV32IM instruction sequences as assembly (for the qemu differential
 * test): random register values, then ALU/M ops, immediates, loads/stores within a scratch buffer
 * (base register s0), short forward branches and jumps, and an exit. x2 (sp) and x8 (s0) are never
 * destinations; x0 is, on purpose.
 */
import { Rng } from "../../lib/rng.ts";

const ROPS = [
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
];
const IOPS = ["addi", "slti", "sltiu", "xori", "ori", "andi"];
const SHIFTS = ["slli", "srli", "srai"];
const BR = ["beq", "bne", "blt", "bge", "bltu", "bgeu"];
const LOADS: [string, number][] = [
  ["lb", 1],
  ["lbu", 1],
  ["lh", 2],
  ["lhu", 2],
  ["lw", 4],
];
const STORES: [string, number][] = [
  ["sb", 1],
  ["sh", 2],
  ["sw", 4],
];
const SPECIAL = [0, 1, -1, 0x7fffffff, -0x80000000, 31, 32, 33, 0xffff, -0x10000];

export function randomProgram(seed: number, n = 400): string {
  const rng = new Rng(seed);
  const rnd = () => rng.uniform();
  const int = (k: number) => rng.below(k);
  const pick = <T>(a: T[]) => rng.pick(a);
  const dst = () => {
    let r;
    do r = int(32);
    while (r === 2 || r === 8);
    return r;
  };
  const src = () => int(32);
  const lines = [".section .text.start", ".globl _start", "_start:", "  la sp, __stack_top", "  la s0, scratch"];
  for (let r = 1; r < 32; r++)
    if (r !== 2 && r !== 8) lines.push(`  li x${r}, ${rnd() < 0.3 ? pick(SPECIAL) : int(2 ** 32) | 0}`);
  let label = 0;
  for (let i = 0; i < n; i++) {
    const k = rnd();
    if (k < 0.35) lines.push(`  ${pick(ROPS)} x${dst()}, x${src()}, x${src()}`);
    else if (k < 0.5) lines.push(`  ${pick(IOPS)} x${dst()}, x${src()}, ${int(4096) - 2048}`);
    else if (k < 0.58) lines.push(`  ${pick(SHIFTS)} x${dst()}, x${src()}, ${int(32)}`);
    else if (k < 0.62) lines.push(`  lui x${dst()}, ${int(1 << 20)}`);
    else if (k < 0.64) lines.push(`  auipc x${dst()}, ${int(1 << 20)}`);
    else if (k < 0.76) {
      const [op, sz] = pick(LOADS);
      lines.push(`  ${op} x${dst()}, ${int(2048 / sz) * sz}(s0)`);
    } else if (k < 0.88) {
      const [op, sz] = pick(STORES);
      lines.push(`  ${op} x${src()}, ${int(2048 / sz) * sz}(s0)`);
    } else if (k < 0.96) {
      const l = `L${label++}`;
      lines.push(
        `  ${pick(BR)} x${src()}, x${src()}, ${l}`,
        `  ${pick(ROPS)} x${dst()}, x${src()}, x${src()}`,
        `${l}:`,
      );
    } else {
      const l = `L${label++}`;
      lines.push(`  jal x${dst()}, ${l}`, `  addi x${dst()}, x0, 1`, `${l}:`);
    }
  }
  lines.push("  li a7, 93", "  li a0, 0", "  ecall", ".section .bss", ".balign 4", "scratch: .space 4096");
  return lines.join("\n") + "\n";
}
