/**
 * The library API (index.ts, package.json `exports`/`types`) from outside the repo: a script in a
 * temp dir that depends on zkfp through a `file:` path imports it by name, runs a guest, and
 * type-checks against the shipped .ts types.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "zkfp-lib-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCRIPT = `
import { readFileSync } from "node:fs";
import { Machine, loadElf, EXIT, exitCodeFor, ZkfpError, playDispute, runDemo, makeProver, inferMnist, runSim, type DisputeReport } from "zkfp";
import { loadElf as loadElfVm } from "zkfp/vm";
import { step, UsageError } from "zkfp/cli";
const m = await Machine.create(loadElf(new Uint8Array(readFileSync(process.argv[2]!))), {});
const r = m.run(1_000_000);
let err: unknown;
try { loadElfVm(new Uint8Array(4)); } catch (e) { err = e; }
const none: DisputeReport | null = null;
console.log(JSON.stringify({
  status: r.status, exitCode: r.exitCode, code: exitCodeFor(err), zkfpError: err instanceof ZkfpError, usage: EXIT.USAGE,
  fns: [playDispute, runDemo, makeProver, inferMnist, runSim, step].map((f) => typeof f), usageError: new UsageError("x").name, none,
}));
`;

describe("zkfp as a dependency", () => {
  it("imports by package name from a file: dependency, runs, and type-checks", () => {
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ name: "consumer", private: true, type: "module", dependencies: { zkfp: `file:${ROOT}` } }),
    );
    execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], {
      cwd: dir,
      stdio: "pipe",
    });
    writeFileSync(join(dir, "script.ts"), SCRIPT);
    const out = execFileSync(
      join(ROOT, "node_modules", ".bin", "tsx"),
      ["script.ts", join(ROOT, "vm", "guests", "bin", "exitcode.elf")],
      { cwd: dir, encoding: "utf8" },
    );
    expect(JSON.parse(out.trim().split("\n").pop()!)).toEqual({
      status: "exited",
      exitCode: 42,
      code: 65,
      zkfpError: true,
      usage: 64,
      fns: Array(6).fill("function"),
      usageError: "UsageError",
      none: null,
    });
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "es2022",
          module: "nodenext",
          moduleResolution: "nodenext",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          allowImportingTsExtensions: true,
          resolveJsonModule: true,
          types: ["node"],
          typeRoots: [join(ROOT, "node_modules", "@types")],
        },
        include: ["script.ts"],
      }),
    );
    execFileSync(join(ROOT, "node_modules", ".bin", "tsc"), ["-p", "."], { cwd: dir, encoding: "utf8" });
    // a wrong use is a type error: the types are real, not `any`
    writeFileSync(
      join(dir, "script.ts"),
      `import { Machine } from "zkfp";\nconst n: number = Machine;\nexport { n };\n`,
    );
    expect(() =>
      execFileSync(join(ROOT, "node_modules", ".bin", "tsc"), ["-p", "."], { cwd: dir, stdio: "pipe" }),
    ).toThrow();
  });
});
