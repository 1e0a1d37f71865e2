import { describe, it, expect } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { loadElf } from "./elf.ts";
import { Machine } from "./machine.ts";
import { Rng } from "../lib/rng.ts";

const dir = new URL("./guests/bin/", import.meta.url).pathname;

describe("fast interpreter loop vs reference step", () => {
  for (const g of readdirSync(dir).filter(
    (f) => f.endsWith(".elf") && f !== "preimage.elf",
  ) /* preimage: covered with a real oracle in commitment.test.ts */) {
    it(`${g}: same steps, registers, memory and state root`, async () => {
      const p = loadElf(new Uint8Array(readFileSync(dir + g)));
      const input = new TextEncoder().encode("some input for the guests that read fd 0");
      const fast = await Machine.create(p, { input });
      const slow = await Machine.create(p, { input });
      const cap = 600_000;
      fast.run(cap);
      while (!slow.halted && slow.step < cap) slow.stepSlow();
      expect(fast.step).toBe(slow.step);
      expect(fast.pc).toBe(slow.pc);
      expect([...fast.regs]).toEqual([...slow.regs]);
      expect(Buffer.compare(Buffer.from(fast.m8), Buffer.from(slow.m8))).toBe(0);
      expect(fast.stateRoot()).toBe(slow.stateRoot());
    });
  }
});

describe("compiled blocks", () => {
  it("stop exactly at any step limit (runs chunked at random sizes match one run)", async () => {
    const p = loadElf(new Uint8Array(readFileSync(dir + "sort.elf")));
    const one = await Machine.create(p);
    one.run();
    const chunked = await Machine.create(p);
    const rng = new Rng(12345);
    while (!chunked.halted) {
      const n = rng.int(1, 97);
      const before = chunked.step;
      chunked.run(n);
      expect(chunked.step - before).toBeLessThanOrEqual(n);
      if (!chunked.halted) expect(chunked.step - before).toBe(n);
    }
    expect(chunked.step).toBe(one.step);
    expect(chunked.stateRoot()).toBe(one.stateRoot());
  });
});
