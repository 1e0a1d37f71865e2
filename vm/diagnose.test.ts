import { describe, expect, it } from "vitest";
import { Machine } from "./machine.ts";
import { CODE_BASE, MEM_SIZE, Trap } from "./layout.ts";
import { trapHint } from "./diagnose.ts";
import type { Program } from "./elf.ts";

/** A program of raw instruction words at CODE_BASE. */
async function machine(words: number[]): Promise<Machine> {
  const image = new Uint8Array(MEM_SIZE);
  const dv = new DataView(image.buffer);
  words.forEach((w, i) => dv.setUint32(CODE_BASE + 4 * i, w >>> 0, true));
  const program: Program = { entry: CODE_BASE, segments: [], image };
  const m = await Machine.create(program);
  m.run(100);
  return m;
}

const ADDI_SP_M16 = 0xff010113; // addi sp, sp, -16
const SW_RA_12_SP = 0x00112623; // sw ra, 12(sp)
const LUI_SP_TOP = 0x00400137; // lui sp, 0x400 (sp = 4 MiB, the top of memory)
const SW_RA_M4_T0 = 0xfe12ae23; // sw ra, -4(t0)
const EXIT = [0x05d00893, 0x00000073]; // li a7, 93; ecall

describe("trapHint", () => {
  it("names an unset sp when a Linux-style _start's first stack store faults", async () => {
    const m = await machine([ADDI_SP_M16, SW_RA_12_SP, ...EXIT]);
    expect(m.result()).toMatchObject({ status: "trapped", trap: Trap.StoreFault });
    const hint = trapHint(m);
    expect(hint).toMatch(/sp = 0xfffffff0/);
    expect(hint).toMatch(/starts with every register 0/);
    expect(hint).toMatch(/crt0\.S/);
  });

  it("says nothing once sp is set, or when the fault is not through sp", async () => {
    const ok = await machine([LUI_SP_TOP, ADDI_SP_M16, SW_RA_12_SP, ...EXIT]);
    expect(ok.result()).toMatchObject({ status: "exited", exitCode: 0 });
    expect(trapHint(ok)).toBeNull();
    const other = await machine([SW_RA_M4_T0, ...EXIT]);
    expect(other.result()).toMatchObject({ status: "trapped", trap: Trap.StoreFault });
    expect(trapHint(other)).toBeNull();
  });
});
