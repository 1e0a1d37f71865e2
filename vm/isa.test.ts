import { describe, it, expect } from "vitest";
import { asm, exec } from "./test/asm.ts";
import { CODE_BASE, Trap } from "./layout.ts";

const MIN = -0x80000000;
const both = ["slow", "fast"] as const;

async function r(name: string, a: number, b: number) {
  const out: number[] = [];
  for (const mode of both) out.push((await exec([asm.r(name, 3, 1, 2)], { 1: a, 2: b }, 1, mode)).regs[3]!);
  expect(out[0]).toBe(out[1]);
  return out[0]!;
}

describe("RV32IM instruction semantics", () => {
  it("divides by zero per the spec (div -> -1, divu -> 2^32-1, rem/remu -> dividend)", async () => {
    expect(await r("div", 7, 0)).toBe(-1);
    expect((await r("divu", 7, 0)) >>> 0).toBe(0xffffffff);
    expect(await r("rem", -7, 0)).toBe(-7);
    expect(await r("remu", 7, 0)).toBe(7);
  });
  it("handles signed division overflow (-2^31 / -1)", async () => {
    expect(await r("div", MIN, -1)).toBe(MIN);
    expect(await r("rem", MIN, -1)).toBe(0);
    expect(await r("div", -7, 2)).toBe(-3);
    expect(await r("rem", -7, 2)).toBe(-1);
    expect(await r("divu", -1, 2)).toBe(0x7fffffff);
  });
  it("computes the high words of products", async () => {
    expect(await r("mulh", MIN, MIN)).toBe(0x40000000);
    expect((await r("mulhu", -1, -1)) >>> 0).toBe(0xfffffffe);
    expect(await r("mulhsu", -1, -1)).toBe(-1);
    expect(await r("mulh", -1, 1)).toBe(-1);
    expect(await r("mul", 0x12345678, 0x9abcdef)).toBe(Math.imul(0x12345678, 0x9abcdef));
    const big = (x: number, y: number) => Number(BigInt.asIntN(32, (BigInt(x >>> 0) * BigInt(y >>> 0)) >> 32n));
    for (const [x, y] of [
      [0xdeadbeef, 0xcafebabe],
      [0xffffffff, 2],
      [0x80000001, 0x7fffffff],
    ])
      expect(await r("mulhu", x | 0, y | 0)).toBe(big(x!, y!));
  });
  it("masks register shift amounts to 5 bits (shifts by >= 32)", async () => {
    expect(await r("sll", 1, 33)).toBe(2);
    expect(await r("srl", MIN, 63)).toBe(1);
    expect(await r("sra", MIN, 32 + 31)).toBe(-1);
  });
  it("compares signed and unsigned", async () => {
    expect(await r("slt", -1, 1)).toBe(1);
    expect(await r("sltu", -1, 1)).toBe(0);
  });
  it("sign-extends byte and halfword loads", async () => {
    const data = { addr: 0x20000, bytes: new Uint8Array([0x80, 0xff, 0x7f, 0x01]) };
    for (const mode of both) {
      const get = async (name: string, off: number) =>
        (await exec([asm.load(name, 3, 1, off)], { 1: 0x20000 }, 1, mode, data)).regs[3]!;
      expect(await get("lb", 0)).toBe(-128);
      expect(await get("lbu", 0)).toBe(128);
      expect(await get("lh", 0)).toBe(-128);
      expect(await get("lhu", 0)).toBe(0xff80);
      expect(await get("lh", 2)).toBe(0x017f);
      expect(await get("lw", 0)).toBe(0x017fff80);
    }
  });
  it("keeps x0 at zero after writes", async () => {
    for (const mode of both) {
      const m = await exec([asm.i("addi", 0, 0, 5), asm.lui(0, 0x12345000), asm.r("add", 3, 0, 0)], {}, 3, mode);
      expect(m.regs[0]).toBe(0);
      expect(m.regs[3]).toBe(0);
    }
  });
  it("links and jumps (jal, jalr clears bit 0)", async () => {
    for (const mode of both) {
      const m = await exec([asm.jalr(1, 5, 9)], { 5: CODE_BASE }, 1, mode);
      expect(m.regs[1]).toBe(CODE_BASE + 4);
      expect(m.pc).toBe(CODE_BASE + 8);
    }
  });
  it("takes branches by signed and unsigned comparison", async () => {
    for (const mode of both) {
      expect((await exec([asm.branch("blt", 1, 2, 16)], { 1: -1, 2: 1 }, 1, mode)).pc).toBe(CODE_BASE + 16);
      expect((await exec([asm.branch("bltu", 1, 2, 16)], { 1: -1, 2: 1 }, 1, mode)).pc).toBe(CODE_BASE + 4);
      expect((await exec([asm.branch("bgeu", 1, 2, -16)], { 1: -1, 2: 1 }, 1, mode)).pc).toBe(CODE_BASE - 16);
    }
  });
  it("treats FENCE as a no-op", async () => {
    const m = await exec([asm.fence()], { 3: 9 }, 1);
    expect(m.pc).toBe(CODE_BASE + 4);
    expect(m.regs[3]).toBe(9);
  });
});

describe("trapped states", () => {
  const cases: [string, number[], Record<number, number>, number][] = [
    ["illegal instruction", [0xffffffff], {}, Trap.IllegalInstruction],
    ["compressed encoding", [0x00000001], {}, Trap.IllegalInstruction],
    ["CSR access", [0xc0002573], {}, Trap.IllegalInstruction],
    ["misaligned word load", [asm.load("lw", 3, 1, 2)], { 1: 0x20000 }, Trap.MisalignedLoad],
    ["misaligned halfword store", [asm.store("sh", 3, 1, 1)], { 1: 0x20000 }, Trap.MisalignedStore],
    ["load outside memory", [asm.load("lw", 3, 1, 0)], { 1: 0x400000 }, Trap.LoadFault],
    ["store into the code region", [asm.store("sw", 3, 1, 0)], { 1: CODE_BASE }, Trap.StoreFault],
    ["store outside memory", [asm.store("sb", 3, 1, -1)], { 1: 0 }, Trap.StoreFault],
    ["ebreak", [asm.ebreak()], {}, Trap.Breakpoint],
  ];
  for (const [name, code, regs, cause] of cases) {
    it(`stops on ${name} with cause ${cause}, pc and registers unchanged`, async () => {
      for (const mode of both) {
        const m = await exec(code, regs, 5, mode);
        expect(m.result()).toEqual({ steps: 1, status: "trapped", trap: cause });
        expect(m.pc).toBe(CODE_BASE);
      }
    });
  }
  it("traps at the fetch after a jump outside the code region, and stays halted", async () => {
    for (const mode of both) {
      const m = await exec([asm.jalr(0, 1, 0)], { 1: 0x30000 }, 10, mode);
      expect(m.result()).toEqual({ steps: 2, status: "trapped", trap: Trap.FetchOutOfCode });
      expect(m.pc).toBe(0x30000);
    }
    const mis = await exec([asm.jalr(0, 1, 0)], { 1: CODE_BASE + 2 }, 10, "fast");
    expect(mis.result().trap).toBe(Trap.MisalignedFetch);
  });
  it("a halted state is a fixed point of the step", async () => {
    const m = await exec([asm.ebreak()], {}, 1);
    const root = m.stateRoot();
    m.stepSlow();
    m.run(100);
    expect(m.step).toBe(1);
    expect(m.stateRoot()).toBe(root);
  });
});

describe("syscalls", () => {
  it("exit stores the code and halts", async () => {
    const m = await exec([asm.ecall()], { 17: 93, 10: 300 }, 3, "fast");
    expect(m.result()).toEqual({ steps: 1, status: "exited", exitCode: 300 });
  });
  it("unknown syscalls return -ENOSYS and continue", async () => {
    const m = await exec([asm.ecall()], { 17: 999, 10: 1 }, 1);
    expect(m.regs[10]).toBe(-38);
    expect(m.pc).toBe(CODE_BASE + 4);
  });
  it("write moves at most 4 bytes and never crosses a word boundary", async () => {
    const data = { addr: 0x20000, bytes: new TextEncoder().encode("abcdefgh") };
    const m = await exec([asm.ecall()], { 17: 64, 10: 1, 11: 0x20002, 12: 6 }, 1, "slow", data);
    expect(m.regs[10]).toBe(2);
    expect(new TextDecoder().decode(m.stdout())).toBe("cd");
    expect(m.outHash).not.toBe(0n);
  });
  it("write to an unknown fd returns -EBADF", async () => {
    const m = await exec([asm.ecall()], { 17: 64, 10: 9, 11: 0x20000, 12: 4 }, 1);
    expect(m.regs[10]).toBe(-9);
  });
});
