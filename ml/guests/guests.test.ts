/**
 * The committed guest ELFs are what their sources build to: regenerating the embedded model inputs
 * and rebuilding with ml/guests/build.sh (deterministic flags) reproduces them byte for byte.
 */
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { genMnist } from "./gen.ts";
import { genStories } from "../models/stories/gen.ts";
import { GUEST_BIN } from "./run.ts";

const cc = spawnSync("riscv64-unknown-elf-gcc", ["--version"]).status === 0;

describe("ml guests", () => {
  it.skipIf(!cc)("rebuilding from source reproduces the committed node, mnist-i8 and stories ELFs", () => {
    genMnist();
    genStories(join(GUEST_BIN, "../gen"));
    const dir = mkdtempSync(join(tmpdir(), "zkfp-ml-build-"));
    try {
      const r = spawnSync("bash", [join(GUEST_BIN, "../build.sh"), dir], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      for (const name of ["node", "mnist-i8", "stories"])
        expect(
          Buffer.compare(readFileSync(join(dir, `${name}.elf`)), readFileSync(join(GUEST_BIN, `${name}.elf`))),
          name,
        ).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
