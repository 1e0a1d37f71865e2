/**
 * The contract builder for every TS caller (game driver, zk arbitrator helpers, demo, anvil tests):
 * `forge build contracts/src` into .cache/forge-out (forge's own cache in .cache/forge-cache, so
 * `forge test`'s contracts/out is never touched), ABI + bytecode + link references by file and
 * contract name, library linking, and solc-js compilation of snarkjs-generated verifiers with the
 * optimizer settings of foundry.toml.
 *
 * - Freshness: a fingerprint of every .sol under contracts/src (path, mtime, size) and of
 *   foundry.toml is stored beside the artifacts; when it matches, no forge process starts (forge
 *   itself takes ~1 s to find nothing to do).
 * - Lock: test files run in parallel processes on the same out dir, so one build at a time. The lock
 *   is a file holding its owner's pid, created atomically (link(2) of a complete temp file); a lock
 *   whose owner is dead is removed with a message on stderr; a live owner is waited for up to
 *   LOCK_WAIT_MS, then BuildError names it.
 * - Verifiers: cached by sha256 of (settings, source) under .cache/verifiers.
 *
 * Pitfall: link references are byte offsets into the creation bytecode (hex offset = 2 * start).
 * Pitfall: a source that does not compile anywhere under contracts/src stops every caller; the
 * BuildError carries forge's output.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { InterfaceAbi } from "ethers";
import { ZkfpError } from "../lib/errors.ts";
import { step } from "../cli/progress.ts"; // a leaf module: progress lines only under the CLI

export class BuildError extends ZkfpError {
  override readonly name = "BuildError";
}

export type LinkReferences = Record<string, Record<string, { start: number; length: number }[]>>;
export type Artifact = { abi: InterfaceAbi; bytecode: string; linkReferences: LinkReferences };

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SRC = "contracts/src";
const OUT = ".cache/forge-out";
const CACHE = ".cache/forge-cache";
const STAMP = `${ROOT}${OUT}/.zkfp-sources`;
const LOCK = `${ROOT}.cache/forge-build.lock`;
const LOCK_WAIT_MS = 600_000;

let built = false;

/** sha256 over (path, mtime, size) of every .sol under contracts/src and of foundry.toml. */
function sourcesFingerprint(): string {
  const h = createHash("sha256");
  const add = (f: string) => {
    const st = statSync(f);
    h.update(`${f}\0${st.mtimeMs}\0${st.size}\n`);
  };
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory()) walk(`${d}/${e.name}`);
      else if (e.name.endsWith(".sol")) add(`${d}/${e.name}`);
    }
  };
  walk(`${ROOT}${SRC}`);
  add(`${ROOT}foundry.toml`);
  return h.digest("hex");
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The pid written in lock file `lock`; null when there is no lock, NaN when its content is not a pid. */
function lockOwner(lock: string): number | null {
  let s: string;
  try {
    s = readFileSync(lock, "utf8");
  } catch {
    return null;
  }
  return /^\d+$/.test(s.trim()) ? Number(s.trim()) : Number.NaN;
}

/**
 * Takes the lock file `lock` (see the module header): waits for a live owner up to `waitMs`,
 * removes (with a message on stderr) a lock whose owner is dead or unreadable. Returns the release.
 */
export function acquireFileLock(lock: string, waitMs = LOCK_WAIT_MS): () => void {
  mkdirSync(dirname(lock), { recursive: true });
  const mine = `${lock}.${process.pid}`;
  writeFileSync(mine, String(process.pid));
  const deadline = Date.now() + waitMs;
  try {
    for (;;) {
      try {
        linkSync(mine, lock);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST")
          throw new BuildError("cannot create the lock file", { lock, reason: (e as Error).message });
      }
      const owner = lockOwner(lock);
      if (owner === null) continue; // released meanwhile
      if (Number.isNaN(owner) || !alive(owner)) {
        if (Object.is(lockOwner(lock), owner)) {
          rmSync(lock, { force: true });
          process.stderr.write(
            `zkfp: removed a stale lock ${lock} (owner ${Number.isNaN(owner) ? "unreadable" : `pid ${owner} is not running`})\n`,
          );
        }
        continue;
      }
      if (Date.now() > deadline)
        throw new BuildError("timed out waiting for a lock held by another process", {
          lock,
          ownerPid: owner,
          waitedMs: waitMs,
        });
      sleep(200);
    }
  } finally {
    rmSync(mine, { force: true });
  }
  return () => {
    if (lockOwner(lock) === process.pid) rmSync(lock, { force: true });
  };
}

/** Runs the synchronous `fn` holding the lock file `lock` (acquireFileLock). */
export function withFileLock<T>(lock: string, fn: () => T, waitMs = LOCK_WAIT_MS): T {
  const release = acquireFileLock(lock, waitMs);
  try {
    return fn();
  } finally {
    release();
  }
}

/** Builds contracts/src with forge unless the artifacts are up to date (once per process at most). */
export function buildContracts(): void {
  if (built) return;
  const fresh = () => existsSync(STAMP) && readFileSync(STAMP, "utf8") === sourcesFingerprint();
  if (!fresh()) {
    withFileLock(LOCK, () => {
      if (fresh()) return; // another process built while we waited
      const fingerprint = sourcesFingerprint();
      // a synchronous build: one line before and one after (no heartbeat can run); measured ~40-60 s
      // cold on 2 cores, seconds when forge's own cache holds most of it
      const s = step("building contracts/src with forge (sources changed or first run)", {
        estimateSeconds: 60,
        heartbeatSeconds: 0,
      });
      try {
        // scripts/forge.mjs, not `npx forge`: the npm wrapper exits 0 whatever forge returns
        execFileSync(
          process.execPath,
          [`${ROOT}scripts/forge.mjs`, "build", SRC, "--out", OUT, "--cache-path", CACHE],
          { cwd: ROOT, stdio: "pipe" },
        );
      } catch (e) {
        const err = e as { stderr?: Buffer; stdout?: Buffer };
        throw new BuildError(
          "forge build failed",
          { sources: SRC, output: String(err.stdout ?? "").slice(-2000) + String(err.stderr ?? "").slice(-2000) },
          { cause: e },
        );
      }
      writeFileSync(STAMP, fingerprint);
      s.end();
    });
  }
  built = true;
}

/** ABI, creation bytecode and link references of contract `name` in source file `file` (e.g. "DisputeGame.sol"). */
export function artifact(file: string, name: string): Artifact {
  buildContracts();
  const path = `${ROOT}${OUT}/${file}/${name}.json`;
  let j: { abi: InterfaceAbi; bytecode: { object: string; linkReferences?: LinkReferences } };
  try {
    j = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new BuildError("no such contract artifact", { file, name, reason: (e as Error).message }, { cause: e });
  }
  return { abi: j.abi, bytecode: j.bytecode.object, linkReferences: j.bytecode.linkReferences ?? {} };
}

/**
 * Runtime code of contract `name` in `file` as this checkout builds it (0x hex; what eth_getCode
 * returns for a deployment without immutables or linked libraries), or BuildError.
 */
export function deployedCode(file: string, name: string): string {
  buildContracts();
  const path = `${ROOT}${OUT}/${file}/${name}.json`;
  try {
    const j = JSON.parse(readFileSync(path, "utf8")) as { deployedBytecode: { object: string } };
    const o = j.deployedBytecode.object;
    return (o.startsWith("0x") ? o : `0x${o}`).toLowerCase();
  } catch (e) {
    throw new BuildError("no such contract artifact", { file, name, reason: (e as Error).message }, { cause: e });
  }
}

/** Creation bytecode with every library placeholder replaced by its address (by library name). */
export function link(a: Artifact, libs: Record<string, string>): string {
  let code = a.bytecode.startsWith("0x") ? a.bytecode.slice(2) : a.bytecode;
  for (const refs of Object.values(a.linkReferences)) {
    for (const [lib, places] of Object.entries(refs)) {
      const addr = libs[lib];
      if (!addr || !/^0x[0-9a-fA-F]{40}$/.test(addr))
        throw new BuildError("no valid address for a linked library", { library: lib, address: addr ?? null });
      for (const p of places)
        code = code.slice(0, 2 * p.start) + addr.slice(2).toLowerCase() + code.slice(2 * (p.start + p.length));
    }
  }
  if (code.includes("__$"))
    throw new BuildError("unlinked placeholder left in bytecode", { at: code.indexOf("__$") / 2 });
  return "0x" + code;
}

/** Optimizer runs and EVM version from foundry.toml, so solc-js builds what forge builds. */
function forgeSettings(): { runs: number; evmVersion: string } {
  const toml = readFileSync(`${ROOT}foundry.toml`, "utf8");
  const runs = /^optimizer_runs\s*=\s*(\d+)/m.exec(toml);
  const evm = /^evm_version\s*=\s*"([^"]+)"/m.exec(toml);
  if (!runs || !evm) throw new BuildError("foundry.toml lacks optimizer_runs or evm_version", {});
  return { runs: Number(runs[1]), evmVersion: evm[1]! };
}

type Solc = { compile(input: string): string; version(): string };
type SolcInput = ReturnType<typeof verifierInput>;

/** solc-js standard JSON input for one generated verifier (settings as forge's), selecting `outputs` of `name`. */
function verifierInput(source: string, name: string, outputs: string[]) {
  const { runs, evmVersion } = forgeSettings();
  return {
    language: "Solidity",
    sources: { "Verifier.sol": { content: source } },
    settings: {
      optimizer: { enabled: true, runs },
      evmVersion,
      outputSelection: { "*": { [name]: outputs } },
    },
  };
}

/** Compiles `input` with solc-js and returns contract `name`'s output; a BuildError on any solc error. */
function solcContract<C>(solc: Solc, input: SolcInput, name: string): C {
  const out = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts?: Record<string, Record<string, C>>;
  };
  const errs = (out.errors ?? []).filter((e) => e.severity === "error");
  const c = out.contracts?.["Verifier.sol"]?.[name];
  if (errs.length || !c)
    throw new BuildError("solc failed on the generated verifier", {
      contract: name,
      errors: errs
        .map((e) => e.formattedMessage)
        .join("\n")
        .slice(0, 2000),
    });
  return c;
}

const loadSolc = () => createRequire(import.meta.url)("solc") as Solc;

/**
 * Runtime code (0x hex) of one generated verifier compiled as `compileVerifier` compiles it, with its
 * trailing CBOR metadata (source hash: comments, contract name) cut off (`withoutMetadata`).
 */
export function verifierRuntime(source: string, name: string): string {
  const input = verifierInput(source, name, ["evm.deployedBytecode.object"]);
  const c = solcContract<{ evm: { deployedBytecode: { object: string } } }>(loadSolc(), input, name);
  return withoutMetadata("0x" + c.evm.deployedBytecode.object);
}

/** Runtime code without solc's trailing CBOR metadata (its length is the last two bytes); lower-case 0x hex. */
export function withoutMetadata(code: string): string {
  const hex = code.toLowerCase().replace(/^0x/, "");
  if (hex.length < 4) return `0x${hex}`;
  const len = Number.parseInt(hex.slice(-4), 16);
  const cut = 2 * (len + 2);
  return cut <= hex.length ? `0x${hex.slice(0, hex.length - cut)}` : `0x${hex}`;
}

/** Compiles one generated snark verifier (a single source, no imports) with solc-js; cached by hash. */
export function compileVerifier(source: string, name: string): Artifact {
  const input = verifierInput(source, name, ["abi", "evm.bytecode.object"]);
  const solc = loadSolc();
  const key = createHash("sha256").update(solc.version()).update(JSON.stringify(input)).digest("hex").slice(0, 32);
  const dir = `${ROOT}.cache/verifiers`;
  const file = `${dir}/${key}.json`;
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as Artifact;
  const c = solcContract<{ abi: InterfaceAbi; evm: { bytecode: { object: string } } }>(solc, input, name);
  const res: Artifact = { abi: c.abi, bytecode: "0x" + c.evm.bytecode.object, linkReferences: {} };
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${file}.tmp-${process.pid}`, JSON.stringify(res));
  renameSync(`${file}.tmp-${process.pid}`, file);
  return res;
}
