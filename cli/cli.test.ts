/**
 * The CLI's contract, through the real entry point (`node bin/zkfp.js`, a child process per case):
 * usage errors and their exit codes, one JSON object on stdout under --json in every outcome,
 * option checks before any work, run's step guard, Ctrl-C cleanup, and `zkfp cache`.
 * Every case runs in about a second (tsx start-up dominates).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { compileKey } from "./cache.ts";
import { counterCircuit } from "../zk/prover/circuits.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const BIN = join(ROOT, "bin", "zkfp.js");
const tmp = mkdtempSync(join(tmpdir(), "zkfp-cli-"));
// inside the repo: circom2 (wasi) cannot include files by absolute path outside its cwd
const CACHE = join(ROOT, ".cache", `cli-test-${process.pid}`);
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(CACHE, { recursive: true, force: true });
});

type Run = { code: number; stdout: string; stderr: string };
function zkfp(args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
/** stdout must be exactly one JSON object (one line) */
function one(r: Run): Record<string, any> {
  const lines = r.stdout.split("\n").filter((l) => l.length);
  expect(lines, r.stdout + r.stderr).toHaveLength(1);
  const j = JSON.parse(lines[0]!);
  expect(typeof j === "object" && j !== null && !Array.isArray(j)).toBe(true);
  return j;
}

/** A minimal RV32IM ELF whose only instruction is `jal x0, 0`: it never halts. */
function loopElf(): string {
  const b = new Uint8Array(52 + 32 + 4);
  const v = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  v.setUint16(16, 2, true);
  v.setUint16(18, 243, true);
  v.setUint32(20, 1, true);
  v.setUint32(24, 0x10000, true);
  v.setUint32(28, 52, true);
  v.setUint16(40, 52, true);
  v.setUint16(42, 32, true);
  v.setUint16(44, 1, true);
  v.setUint32(52, 1, true);
  v.setUint32(56, 84, true);
  v.setUint32(60, 0x10000, true);
  v.setUint32(64, 0x10000, true);
  v.setUint32(68, 4, true);
  v.setUint32(72, 4, true);
  v.setUint32(76, 5, true);
  v.setUint32(80, 4, true);
  v.setUint32(84, 0x0000006f, true);
  const f = join(tmp, "loop.elf");
  writeFileSync(f, b);
  return f;
}

function closedPort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

/** the pid of a process that has exited */
const deadPid = (): number =>
  Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout);

describe("zkfp usage", () => {
  it("exits 64 with the help on stderr when no command is given", () => {
    const r = zkfp([]);
    expect(r.code).toBe(64);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/usage: zkfp <command>/);
    expect(r.stderr).toMatch(/\n  cache +list/);
    expect(one(zkfp(["--json"])).error).toMatchObject({ name: "UsageError", exitCode: 64 });
  });

  it("rejects an unknown flag, naming it and suggesting the closest", () => {
    const r = zkfp(["infer", "mnist", "--imag", "3"]);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/unknown option --imag \(did you mean --image\?\)/);
    const j = one(zkfp(["verify", "--prof", "x.json", "--json"]));
    expect(j.error).toMatchObject({ name: "UsageError", detail: { option: "prof", suggestion: "proof" } });
    expect(one(zkfp(["demoo", "--json"])).error.detail).toMatchObject({ suggestion: "demo" });
  });

  it("rejects extra positionals in every command, declared or not", () => {
    expect(one(zkfp(["run", "a.elf", "b.elf", "--json"])).error).toMatchObject({
      name: "UsageError",
      detail: { argument: "b.elf" },
    });
    expect(one(zkfp(["verify", "stray", "--json"])).error).toMatchObject({
      name: "UsageError",
      detail: { argument: "stray" },
    });
    expect(zkfp(["run"]).stderr).toMatch(/missing argument <elf>/);
  });

  it("refuses options that do not apply to the model and empty token lists", () => {
    const a = one(zkfp(["infer", "mnist", "--tokens", "1,2", "--json"]));
    expect(a.error).toMatchObject({ name: "UsageError", detail: { option: "tokens", argument: "mnist" } });
    expect(zkfp(["infer", "mnist", "--tokens"]).stderr).toMatch(/option --tokens does not apply to mnist/);
    const b = zkfp(["infer", "stories260K", "--tokens", "", "--json"]);
    expect(b.code).toBe(64);
    expect(one(b).error).toMatchObject({ detail: { option: "tokens", value: "" } });
    expect(one(zkfp(["infer", "stories260K", "--image", "3", "--json"])).error.detail).toMatchObject({
      option: "image",
    });
    expect(one(zkfp(["run", "x.elf", "--max-steps", "", "--json"])).error).toMatchObject({
      name: "UsageError",
      detail: { option: "max-steps" },
    });
  });
});

describe("zkfp --json and exit codes", () => {
  it("prints one JSON error object and exits 64 when the RPC endpoint does not answer", async () => {
    const port = await closedPort();
    const r = zkfp(["dispute", "--rpc-url", `http://127.0.0.1:${port}`, "--json"]);
    expect(r.code).toBe(64);
    expect(one(r).error).toMatchObject({ name: "RpcUnreachableError", detail: { reason: "ECONNREFUSED" } });
    expect(r.stdout).not.toMatch(/JsonRpcProvider/);
    const d = zkfp(["demo", "--rpc-url", "notaurl", "--json"]);
    expect(d.code).toBe(64);
    expect(one(d).error).toMatchObject({ name: "RpcUrlError", detail: { url: "notaurl" } });
  });

  it("exits 65 on a malformed input file and 0 with one object on success", () => {
    const bad = join(tmp, "bad-proof.json");
    writeFileSync(bad, "{}");
    const v = zkfp(["verify", "--proof", bad, "--json"]);
    expect(v.code).toBe(65);
    expect(one(v).error).toMatchObject({ name: "ProofFileError", exitCode: 65 });
    const e = join(tmp, "not.elf");
    writeFileSync(e, "hello");
    expect(zkfp(["run", e]).code).toBe(65);
    const ok = zkfp(["eval", "mnist", "--count", "20", "--json"]);
    expect(ok.code).toBe(0);
    expect(one(ok)).toMatchObject({
      model: "mnist",
      count: 20,
      results: { native_i8: { accuracy: expect.any(Number) } },
    });
  });

  it("stops a guest that never halts at --max-steps with exit 124 and says so", () => {
    const r = zkfp(["run", loopElf(), "--max-steps", "100000", "--json"]);
    expect(r.code).toBe(124);
    expect(one(r)).toMatchObject({ status: "running", steps: 100000, stoppedAtMaxSteps: true });
    expect(r.stderr).toMatch(/stopped after 100,000 steps without halting \(--max-steps 100,000\); exit 124/);
  });

  it("turns a library's stray rejection into one JSON error object, exit 70", () => {
    const script = join(tmp, "stray.mts");
    writeFileSync(
      script,
      `import { main } from ${JSON.stringify(join(ROOT, "cli", "main.ts"))};
setTimeout(() => { Promise.reject(new TypeError("stray rejection")); }, 0);
process.exit(await main(["run", ${JSON.stringify(loopElf())}, "--max-steps", "1e12", "--json"], { signals: true }));
`,
    );
    const r = spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), [script], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.status).toBe(70);
    expect(one({ code: r.status!, stdout: r.stdout, stderr: r.stderr }).error).toMatchObject({
      name: "TypeError",
      message: "stray rejection",
      exitCode: 70,
    });
  });

  it("checks --out before doing any work", () => {
    const s = zkfp(["sim", "km", "--config", "sims/configs/km.json", "--out", "/dev/null/x", "--json"]);
    expect(s.code).toBe(64);
    expect(one(s).error).toMatchObject({ name: "OutPathError", detail: { notADirectory: "/dev/null" } });
    expect(s.stderr).not.toMatch(/sim km/); // no sweep progress: it never started
    const p = zkfp(["prove", "--circuit", "counter", "--out", "/dev/null/p.json"]);
    expect(p.code).toBe(64);
    expect(p.stderr).toMatch(/OutPathError/);
    expect(p.stderr).not.toMatch(/compiling|setup/);
  });
});

/** Starts zkfp, waits until `ready()` holds, sends `sig`, returns how it ended. */
async function interrupt(
  args: string[],
  env: Record<string, string>,
  ready: (out: string) => boolean,
  sig: NodeJS.Signals = "SIGINT",
): Promise<Run & { pid: number }> {
  const c = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
  let stdout = "",
    stderr = "";
  c.stdout.on("data", (d) => (stdout += d));
  c.stderr.on("data", (d) => (stderr += d));
  const done = new Promise<number>((res) => c.on("exit", (code, s) => res(code ?? (s ? 128 + 9 : -1))));
  for (let i = 0; i < 600 && !ready(stderr); i++) await new Promise((r) => setTimeout(r, 50));
  c.kill(sig);
  const code = await done;
  return { code, stdout, stderr, pid: c.pid! };
}

const tmpEntries = (dir: string): string[] => {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    for (const e of existsSync(d) ? readdirSync(d, { withFileTypes: true }) : []) {
      if (/\.tmp-\d+$/.test(e.name)) out.push(join(d, e.name));
      else if (e.isDirectory() && depth < 2) walk(join(d, e.name), depth + 1);
    }
  };
  walk(dir, 0);
  return out;
};

describe("Ctrl-C and zkfp cache", () => {
  it("interrupting run reports one JSON object and exits 130", async () => {
    const r = await interrupt(["run", loopElf(), "--max-steps", "1e15", "--json"], {}, (e) => e.includes("steps,"));
    expect(r.code).toBe(130);
    expect(one(r).error).toMatchObject({ name: "InterruptedError", detail: { signal: "SIGINT" } });
  });

  it("interrupting prove during the circuit build leaves no temp dir behind", async () => {
    let seen: string[] = [];
    const r = await interrupt(
      ["prove", "--circuit", "counter", "--steps", "1"],
      { ZKFP_CACHE_DIR: CACHE },
      () => (seen = tmpEntries(CACHE)).length > 0,
    );
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/InterruptedError/);
    expect(tmpEntries(CACHE)).toEqual([]);
    // the compile dir's name is the key cli/cache.ts mirrors (a drift would make `cache clean` call live circuits stale)
    const key = compileKey(counterCircuit(1), (f) => createHash("sha256").update(readFileSync(f)).digest("hex"));
    expect(seen[0]).toBe(join(CACHE, "circuits", `${key}.tmp-${r.pid}`));
  });

  it("interrupting demo at each phase leaves no lock, temp entry or process, and the next run succeeds", async () => {
    // phase markers of demo's progress lines; a marker that never shows (wording changed) just
    // interrupts later, so the test keeps checking the cleanup either way
    const phases = ["running mnist", "deploying", "claimer posts", "disputes", "settled on op"];
    const gone = (pid: number) => {
      try {
        return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.startsWith("Z");
      } catch {
        return true;
      }
    };
    for (const ph of phases) {
      const r = await interrupt(["demo", "--m", "1", "--json"], {}, (e) => e.includes(ph));
      expect([0, 130], `${ph}: ${r.stderr.slice(-500)}`).toContain(r.code);
      if (r.code === 130) {
        const e = one(r).error;
        expect(e.name).toBe("InterruptedError");
        await new Promise((res) => setTimeout(res, 300));
        for (const pid of e.detail.killedPids as number[])
          expect(gone(pid), `${ph}: pid ${pid} still running`).toBe(true);
      }
      // left behind = a lock or temp entry whose owner is dead (other test files running in parallel
      // hold live locks in the same .cache: those are not the interrupted demo's)
      const ownerOf = (n: string): number => {
        const m = /\.(?:tmp|lock)[-.](\d+)$/.exec(n);
        if (m) return Number(m[1]);
        try {
          return Number.parseInt(readFileSync(join(ROOT, ".cache", n), "utf8"), 10);
        } catch {
          return Number.NaN; // removed meanwhile
        }
      };
      const left = readdirSync(join(ROOT, ".cache"))
        .filter((n) => n.endsWith(".lock") || /\.tmp-\d+$|\.lock\.\d+$/.test(n))
        .filter((n) => {
          const pid = ownerOf(n);
          return !Number.isNaN(pid) && gone(pid);
        });
      expect(left, ph).toEqual([]);
    }
    const ok = zkfp(["demo", "--m", "1", "--json"]);
    expect(ok.code, ok.stderr.slice(-500)).toBe(0);
    expect(one(ok)).toMatchObject({ honestWon: true });
  });

  it("interrupting sim while it writes --out leaves no temp files", async () => {
    const out = join(tmp, "sim-out");
    const r = await interrupt(["sim", "timing", "--config", "sims/configs/timing.json", "--out", out], {}, () =>
      existsSync(out),
    );
    expect([0, 1, 130]).toContain(r.code); // it may finish first: either way no temp file remains
    expect(tmpEntries(out)).toEqual([]);
  });

  it("cache ls marks temp dirs and locks of dead pids stale; clean removes exactly those", () => {
    const dead = deadPid();
    mkdirSync(join(CACHE, "circuits"), { recursive: true });
    const staleTmp = join(CACHE, `${"ab".repeat(32)}.tmp-${dead}`);
    const liveTmp = join(CACHE, `${"cd".repeat(32)}.tmp-${process.pid}`);
    mkdirSync(staleTmp);
    writeFileSync(join(staleTmp, "circuit.zkey"), "x".repeat(1000));
    mkdirSync(liveTmp);
    const unknown = join(CACHE, "circuits", "f".repeat(64));
    mkdirSync(unknown);
    writeFileSync(join(unknown, "circuit.r1cs"), "");
    const lockDead = join(ROOT, ".cache", `cli-test-${process.pid}.lock`);
    writeFileSync(lockDead, String(dead));
    try {
      const ls = one(zkfp(["cache", "ls", "--json"], { ZKFP_CACHE_DIR: CACHE }));
      const byPath = new Map(
        (ls.entries as { path: string; stale: boolean; kind: string }[]).map((e) => [join(ROOT, e.path), e]),
      );
      expect(byPath.get(staleTmp)).toMatchObject({ kind: "temp", stale: true });
      expect(byPath.get(liveTmp)).toMatchObject({ kind: "temp", stale: false });
      expect(byPath.get(unknown)).toMatchObject({ kind: "circuit", stale: true });
      expect(byPath.get(lockDead)).toMatchObject({ kind: "lock", stale: true });
      const clean = zkfp(["cache", "clean", "--json"], { ZKFP_CACHE_DIR: CACHE });
      expect(clean.code).toBe(0);
      const removed = (one(clean).removed as { path: string }[]).map((e) => join(ROOT, e.path));
      expect(removed).toEqual(expect.arrayContaining([staleTmp, unknown, lockDead]));
      expect(
        removed.every((p) =>
          ls.entries.some((e: { path: string; stale: boolean }) => join(ROOT, e.path) === p && e.stale),
        ),
      ).toBe(true);
      expect(existsSync(staleTmp) || existsSync(unknown) || existsSync(lockDead)).toBe(false);
      expect(existsSync(liveTmp)).toBe(true);
    } finally {
      rmSync(lockDead, { force: true });
      rmSync(liveTmp, { recursive: true, force: true });
    }
  });
});
