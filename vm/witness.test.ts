/**
 * Completeness of step witnesses at the end of a full 4 MiB stream: after a guest has consumed an
 * input (or blob) of exactly 2^22 bytes, the position is 2^22 and names word 2^20, one past the tree;
 * the witness must still exist and vm/verify.ts (the twins' reference) must accept it.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadElf } from "./elf.ts";
import { Machine } from "./machine.ts";
import { Fd, MAX_BLOB_BYTES, MAX_INPUT_BYTES, Syscall } from "./layout.ts";
import { initPoseidon } from "./poseidon/index.ts";
import { stepWitness } from "./witness.ts";
import { verifyStep } from "./verify.ts";

beforeAll(initPoseidon);

// each 4 MiB stream costs a 2^20-leaf Poseidon tree (~10 s): the blob case runs under ZKFP_HEAVY
const heavy = !!process.env.ZKFP_HEAVY;

describe("witness at a fully consumed 4 MiB stream", () => {
  it("a read at input position 2^22 (and blob offset 2^22) has a witness vm/verify.ts accepts", async () => {
    expect(MAX_INPUT_BYTES).toBe(2 ** 22);
    expect(MAX_BLOB_BYTES).toBe(2 ** 22);
    const full = new Uint8Array(2 ** 22).map((_, i) => (i * 131 + 7) & 0xff);
    const prog = loadElf(new Uint8Array(readFileSync(new URL("./guests/bin/echo_input.elf", import.meta.url))));
    const m = await Machine.create(prog, { input: full });
    const key = heavy ? m.addPreimage(full) : 0n;
    // an ECALL of the guest's code, run with a7 = read and a buffer in data memory
    const ecall = Array.from(m.m32.subarray(prog.entry >>> 2)).findIndex((x) => x === 0x73);
    expect(ecall).toBeGreaterThanOrEqual(0);
    const at = prog.entry + 4 * ecall;
    const base = m.snapshot();
    const cases: [string, number, () => void][] = [
      [
        "input",
        Fd.Input,
        () => {
          m.inputPos = 2 ** 22;
        },
      ],
      [
        "blob",
        Fd.PreimageData,
        () => {
          m.preimageKey = key;
          m.preimageOffset = 2 ** 22;
        },
      ],
    ].slice(0, heavy ? 2 : 1) as [string, number, () => void][];
    for (const [name, fd, position] of cases) {
      m.restore(base);
      position();
      m.pc = at;
      m.regs[17] = Syscall.Read;
      m.regs[10] = fd;
      m.regs[11] = 0x300000;
      m.regs[12] = 4;
      const pre = m.stateRoot();
      const w = stepWitness(m); // threw before the fix: leaf 2^20 of a 2^20-leaf tree
      m.stepSlow();
      expect(m.regs[10], name).toBe(0); // end of stream: 0 bytes read
      expect(verifyStep(pre, w), name).toBe(m.stateRoot());
    }
    // one byte before the end still reads the last byte (the position arithmetic is unchanged)
    m.restore(base);
    m.inputPos = 2 ** 22 - 1;
    m.pc = at;
    m.regs[17] = Syscall.Read;
    m.regs[10] = Fd.Input;
    m.regs[11] = 0x300000;
    m.regs[12] = 4;
    const pre = m.stateRoot();
    const w = stepWitness(m);
    m.stepSlow();
    expect(m.regs[10]).toBe(1);
    expect(m.inputPos).toBe(2 ** 22);
    expect(verifyStep(pre, w)).toBe(m.stateRoot());
  }, 120_000);
});
