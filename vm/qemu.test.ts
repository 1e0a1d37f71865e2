/**
 * Differential tests against qemu-riscv32: the register file and pc after every instruction, on
 * every committed guest and on seeded random instruction sequences assembled here. Runs in CI
 * (.ci/run installs qemu-user and the cross compiler); locally it says plainly when they're missing.
 */
import { describe, it, expect } from "vitest";
import { readFileSync, readdirSync, writeFileSync, mkdtempSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { diffWithQemu, qemuAvailable } from "./test/qemu.ts";
import { randomProgram } from "./test/randasm.ts";

const guestDir = new URL("./guests/bin/", import.meta.url).pathname;
const haveQemu = qemuAvailable();
const haveGcc = spawnSync("riscv64-unknown-elf-gcc", ["--version"]).status === 0;
if (!haveQemu)
  console.warn("qemu-riscv32 not found: differential tests against qemu are SKIPPED (apt-get install qemu-user)");
if (!haveGcc)
  console.warn(
    "riscv64-unknown-elf-gcc not found: random-program differential tests are SKIPPED (apt-get install gcc-riscv64-unknown-elf)",
  );

const inputs: Record<string, Uint8Array> = {
  "echo_input.elf": new TextEncoder().encode("zkfp differential input, 40 bytes long!!"),
};

describe.skipIf(!haveQemu)("zkfp machine vs qemu-riscv32, instruction by instruction", () => {
  const guests = readdirSync(guestDir).filter((f) => f.endsWith(".elf") && f !== "badjump.elf" && f !== "preimage.elf");
  it("covers at least 20 guest programs", () => expect(guests.length).toBeGreaterThanOrEqual(19));
  it("detects a divergence (zkfp runs a different program than qemu)", async () => {
    const r = await diffWithQemu(readFileSync(join(guestDir, "fib.elf")), join(guestDir, "crc32.elf"), {
      maxSteps: 10_000,
    });
    expect(r.mismatch).toBeDefined();
  });
  for (const g of guests) {
    it(`${g}: identical registers after every instruction (first 50k steps)`, async () => {
      const path = join(guestDir, g);
      const r = await diffWithQemu(readFileSync(path), path, { input: inputs[g], maxSteps: 50_000 });
      expect(r.mismatch).toBeUndefined();
      expect(r.steps).toBeGreaterThan(50);
    });
  }
  describe.skipIf(!haveGcc)("seeded random instruction sequences", () => {
    const dir = mkdtempSync(join(tmpdir(), "zkfp-rand-"));
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      it(`random program seed ${seed}: identical registers after every instruction`, async () => {
        const s = join(dir, `r${seed}.S`),
          e = join(dir, `r${seed}.elf`);
        writeFileSync(s, randomProgram(seed, 500));
        const ld = new URL("./guests/link.ld", import.meta.url).pathname;
        const cc = spawnSync(
          "riscv64-unknown-elf-gcc",
          [
            "-march=rv32im",
            "-mabi=ilp32",
            "-nostdlib",
            "-Wl,--no-relax",
            "-Wl,--build-id=none",
            "-Wl,-T," + ld,
            "-Wl,--no-warn-rwx-segments",
            "-o",
            e,
            s,
          ],
          { encoding: "utf8" },
        );
        expect(cc.stderr).toBe("");
        const r = await diffWithQemu(readFileSync(e), e, { maxSteps: 100_000 });
        expect(r.mismatch).toBeUndefined();
        expect(r.zkfpExit).toBe(0);
        expect(r.steps).toBeGreaterThan(400);
      });
    }
  });
});
