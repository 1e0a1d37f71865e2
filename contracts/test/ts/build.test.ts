/**
 * contracts/build.ts: the lock (a dead owner's lock is removed with a message, a live owner is
 * waited for and named), library linking, artifacts and the solc-js verifier compilation.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, describe, expect, it, vi } from "vitest";
import { BuildError, artifact, compileVerifier, link, withFileLock } from "../../build.ts";

const dir = mkdtempSync(`${tmpdir()}/zkfp-lock-`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function caught(f: () => unknown): BuildError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(BuildError);
    return e as BuildError;
  }
  throw new Error("expected a BuildError");
}

describe("withFileLock", () => {
  it("removes a lock whose owner process is dead, says so on stderr, and runs", () => {
    const lock = `${dir}/dead.lock`;
    const dead = spawnSync("true").pid!;
    writeFileSync(lock, String(dead));
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const t0 = Date.now();
      expect(withFileLock(lock, () => readFileSync(lock, "utf8"), 60_000)).toBe(String(process.pid));
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(err.mock.calls.map((c) => String(c[0])).join("")).toContain(`pid ${dead} is not running`);
    } finally {
      err.mockRestore();
    }
    expect(existsSync(lock)).toBe(false);
  });

  it("removes a lock whose content is not a pid", () => {
    const lock = `${dir}/garbage.lock`;
    writeFileSync(lock, "");
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(withFileLock(lock, () => 7, 60_000)).toBe(7);
      expect(err.mock.calls.map((c) => String(c[0])).join("")).toContain("unreadable");
    } finally {
      err.mockRestore();
    }
  });

  it("waits for a live owner and names its pid when the wait times out", () => {
    const lock = `${dir}/live.lock`;
    const owner = spawn("sleep", ["60"]);
    try {
      writeFileSync(lock, String(owner.pid));
      const e = caught(() => withFileLock(lock, () => 1, 600));
      expect(e.detail.ownerPid).toBe(owner.pid);
      expect(readFileSync(lock, "utf8")).toBe(String(owner.pid)); // a live owner's lock is left alone
    } finally {
      owner.kill();
    }
  });

  it("releases the lock when the locked function throws", () => {
    const lock = `${dir}/throw.lock`;
    expect(() =>
      withFileLock(lock, () => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(existsSync(lock)).toBe(false);
  });
});

describe("artifacts and link", () => {
  const A = "0x00000000000000000000000000000000000000a1";
  const B = "0x00000000000000000000000000000000000000b2";

  it("links every Poseidon placeholder of the step verifier and refuses a missing or malformed address", () => {
    const v = artifact("RV32IMStepVerifier.sol", "RV32IMStepVerifier");
    const libs = Object.values(v.linkReferences)
      .flatMap((r) => Object.keys(r))
      .sort();
    expect(libs).toEqual(["PoseidonT3", "PoseidonT5"]);
    expect(v.bytecode).toContain("__$");
    const code = link(v, { PoseidonT3: A, PoseidonT5: B });
    expect(code).not.toContain("__$");
    for (const refs of Object.values(v.linkReferences)) {
      for (const [lib, places] of Object.entries(refs)) {
        for (const p of places)
          expect("0x" + code.slice(2 + 2 * p.start, 2 + 2 * (p.start + p.length))).toBe(lib === "PoseidonT3" ? A : B);
      }
    }
    expect(code.length).toBe(v.bytecode.length + (v.bytecode.startsWith("0x") ? 0 : 2));
    expect(caught(() => link(v, { PoseidonT3: A })).detail.library).toBe("PoseidonT5");
    expect(caught(() => link(v, { PoseidonT3: A, PoseidonT5: "0x1234" })).detail.address).toBe("0x1234");
  });

  it("names a contract that does not exist", () => {
    expect(caught(() => artifact("DisputeGame.sol", "NoSuchContract")).detail.name).toBe("NoSuchContract");
  });
});

describe("scripts/forge.mjs", () => {
  it("exits with forge's status (the npm wrapper `npx forge` always exits 0)", () => {
    const root = new URL("../../../", import.meta.url).pathname;
    const ok = spawnSync(process.execPath, [`${root}scripts/forge.mjs`, "--version"], { cwd: root, encoding: "utf8" });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/forge Version/);
    const bad = spawnSync(process.execPath, [`${root}scripts/forge.mjs`, "build", "contracts/src/NoSuchFile.sol"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(bad.status).not.toBe(0);
  });
});

describe("compileVerifier", () => {
  it("compiles a one-file contract with foundry.toml's optimizer settings and reports solc's errors", () => {
    const src =
      "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.28;\ncontract V { function f(uint256 x) external pure returns (uint256) { return x + 1; } }\n";
    const a = compileVerifier(src, "V");
    expect(a.bytecode).toMatch(/^0x[0-9a-f]+$/);
    expect(JSON.stringify(a.abi)).toContain('"f"');
    expect(compileVerifier(src, "V")).toEqual(a); // the cached copy
    const e = caught(() => compileVerifier(src.replace("x + 1", "x +"), "V"));
    expect(String(e.detail.errors)).toContain("Error");
  });
});
