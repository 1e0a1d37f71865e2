import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const haveGcc = spawnSync("riscv64-unknown-elf-gcc", ["--version"]).status === 0;
if (!haveGcc) console.warn("riscv64-unknown-elf-gcc not found: the guest rebuild test is SKIPPED");

describe.skipIf(!haveGcc)("guest toolchain", () => {
  it("a rebuild reproduces the committed ELFs byte for byte", () => {
    const out = mkdtempSync(join(tmpdir(), "zkfp-guests-"));
    const script = new URL("./guests/build.sh", import.meta.url).pathname;
    const r = spawnSync("bash", [script, out], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const committed = new URL("./guests/bin/", import.meta.url).pathname;
    const names = readdirSync(committed).filter((f) => f.endsWith(".elf"));
    expect(names.length).toBeGreaterThanOrEqual(20);
    for (const n of names)
      expect(Buffer.compare(readFileSync(join(out, n)), readFileSync(join(committed, n))), n).toBe(0);
  }, 120_000);
});
