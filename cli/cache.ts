/**
 * What is in zkfp's caches, and which entries are stale (`zkfp cache ls|clean`).
 *
 * Layout read here (the writers are the authority; this mirrors them):
 *  - `<repo>/.cache/zk/` = `cacheRoot()` of zk/prover/snark.ts (ZKFP_CACHE_DIR overrides it):
 *      `circuits/<sha256>/`  compiled circuit of the prover (key = setupCircuit's compile key,
 *                            mirrored in `compileKey` below), `<sha256>/` one Groth16/PLONK setup
 *                            (meta.json, vkey, zkey, verifier.sol), `ptau/*.ptau` dev ptau files.
 *  - `<repo>/.cache/zk-circuits/<name>-<hash16>/` circom compiles of zk/circuits/build.ts (done.json
 *    holds the MainSpec; hash16 = sourcesHash(spec)).
 *  - `<repo>/.cache/*-out`, `*-cache`, `verifiers`, `demo-verifiers`: forge/solc build outputs,
 *    rebuilt on demand.
 *  - `*.tmp-<pid>` anywhere above: an entry being written by process <pid> (renamed when complete).
 *  - `*.lock` (a file holding the owner's pid, or an older pidless directory) and `*.lock.<pid>`
 *    (a lock file being created) of the contract builders.
 *
 * Stale means safe to delete and never used again as is: a temp entry or lock of a process that is
 * not running (a pidless lock directory: older than 10 minutes); a compiled circuit no recipe
 * refers to (its sources changed: no current recipe of counter, rv32im or its table variants, m = 1..64, has its key, or a
 * zk-circuits entry whose hash differs from its spec's current sourcesHash); a setup whose circuit
 * was recompiled to different constraints (its r1cs+wasm differ from the current compile of the
 * same circuit and m) or made by another snarkjs version. Everything else is listed, not stale.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, statSync, openSync, readSync, closeSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));

export type CacheEntry = {
  path: string;
  kind: "setup" | "circuit" | "circom-compile" | "ptau" | "build" | "temp" | "lock" | "log" | "other";
  what: string;
  bytes: number;
  stale: boolean;
  reason?: string;
  pid?: number;
};

/** Is process `pid` running (EPERM counts as running: it exists, we may not signal it)? */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function zkCacheRoot(): string {
  return process.env.ZKFP_CACHE_DIR ?? join(REPO_ROOT, ".cache", "zk");
}

function du(p: string): number {
  const st = statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.size;
  let n = 0;
  for (const e of readdirSync(p)) n += du(join(p, e));
  return n;
}

const ls = (d: string): string[] => {
  try {
    return readdirSync(d).sort();
  } catch {
    return [];
  }
};
const isDir = (p: string) => statSync(p, { throwIfNoEntry: false })?.isDirectory() === true;
const sha = (b: string | Buffer) => createHash("sha256").update(b).digest("hex");

const TMP = /\.tmp-(\d+)$/;
const LOCK_TMP = /\.lock\.(\d+)$/;

function tempEntry(p: string, pid: number): CacheEntry {
  const alive = pidAlive(pid);
  return {
    path: p,
    kind: "temp",
    what: `being written by pid ${pid}`,
    bytes: du(p),
    stale: !alive,
    pid,
    ...(alive ? {} : { reason: `pid ${pid} is not running` }),
  };
}

function lockEntry(p: string): CacheEntry {
  const st = statSync(p);
  if (st.isDirectory()) {
    const old = Date.now() - st.mtimeMs > 600_000;
    return {
      path: p,
      kind: "lock",
      what: "build lock (directory, no owner pid)",
      bytes: 0,
      stale: old,
      ...(old ? { reason: "pidless lock older than 10 minutes" } : {}),
    };
  }
  const pid = Number(readFileSync(p, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0)
    return {
      path: p,
      kind: "lock",
      what: "build lock (unreadable owner)",
      bytes: st.size,
      stale: true,
      reason: "lock content is not a pid",
    };
  const alive = pidAlive(pid);
  return {
    path: p,
    kind: "lock",
    what: `build lock held by pid ${pid}`,
    bytes: st.size,
    stale: !alive,
    pid,
    ...(alive ? {} : { reason: `owner pid ${pid} is not running` }),
  };
}

/** Temp entries, locks and lock temps in one directory (or null if `name` is none of them). */
function special(dir: string, name: string): CacheEntry | null {
  const p = join(dir, name);
  const t = TMP.exec(name);
  if (t) return tempEntry(p, Number(t[1]));
  const lt = LOCK_TMP.exec(name);
  if (lt) return tempEntry(p, Number(lt[1]));
  if (name.endsWith(".lock")) return lockEntry(p);
  return null;
}

/** setupCircuit's compile key (zk/prover/snark.ts): sha256 of {v, id, m, salt, sha256 of each source}. */
export function compileKey(
  c: { id: string; m: number; salt: string; sources: string[] },
  fileSha: (f: string) => string,
): string {
  return sha(JSON.stringify({ v: 1, id: c.id, m: c.m, salt: c.salt, files: c.sources.map(fileSha) }));
}

/** Compile keys of every current recipe (counter, rv32im and its table variants, m = 1..64) -> "id m=M". */
async function currentCompileKeys(): Promise<Map<string, string>> {
  const { counterCircuit, rv32imCircuit, rv32imMemCircuit } = await import("../zk/prover/circuits.ts");
  const memo = new Map<string, string>();
  const fileSha = (f: string) => {
    let h = memo.get(f);
    if (!h) {
      h = sha(readFileSync(f));
      memo.set(f, h);
    }
    return h;
  };
  const keys = new Map<string, string>();
  for (let m = 1; m <= 64; m++) {
    keys.set(compileKey(counterCircuit(m), fileSha), `counter m=${m}`);
    try {
      keys.set(compileKey(await rv32imCircuit(m), fileSha), `rv32im m=${m}`);
    } catch {
      /* RV32IM circuit sources absent */
    }
    for (const v of ["mem", "memio", "memwide"] as const) {
      try {
        keys.set(compileKey(await rv32imMemCircuit(m, v), fileSha), `rv32im_${v} m=${m}`);
      } catch {
        /* table circuit sources absent */
      }
    }
  }
  return keys;
}

/** First bytes of a file (the verifier.sol header names the circuit and snarkjs version). */
function head(p: string, n = 400): string {
  try {
    const fd = openSync(p, "r");
    try {
      const b = Buffer.alloc(n);
      const k = readSync(fd, b, 0, n, 0);
      return b.subarray(0, k).toString("utf8");
    } finally {
      closeSync(fd);
    }
  } catch {
    return "";
  }
}

async function zkEntries(root: string, out: CacheEntry[]): Promise<void> {
  const { SNARKJS_VERSION } = await import("../zk/prover/snark.ts");
  const keys = await currentCompileKeys();
  // current compiled circuits: "id m=M" -> sha(r1cs + wasm), to tell superseded setups
  const compiled = new Map<string, string>();
  const cdir = join(root, "circuits");
  for (const name of ls(cdir)) {
    const s = special(cdir, name);
    if (s) {
      out.push(s);
      continue;
    }
    const p = join(cdir, name);
    const recipe = keys.get(name);
    if (recipe) {
      try {
        compiled.set(
          recipe,
          sha(Buffer.concat([readFileSync(join(p, "circuit.r1cs")), readFileSync(join(p, "circuit.wasm"))])),
        );
      } catch {
        /* incomplete */
      }
    }
    out.push({
      path: p,
      kind: "circuit",
      what: recipe ? `compiled circuit ${recipe}` : "compiled circuit (no current recipe)",
      bytes: du(p),
      stale: !recipe,
      ...(recipe
        ? {}
        : { reason: "no current counter/rv32im/rv32im_mem* recipe (m = 1..64) has this key: its sources changed" }),
    });
  }
  for (const name of ls(join(root, "ptau"))) {
    const s = special(join(root, "ptau"), name);
    const p = join(root, "ptau", name);
    out.push(
      s ?? {
        path: p,
        kind: "ptau",
        what: name.startsWith("INSECURE") ? "INSECURE dev ptau" : "ptau",
        bytes: du(p),
        stale: false,
      },
    );
  }
  for (const name of ls(root)) {
    if (name === "circuits" || name === "ptau") continue;
    const s = special(root, name);
    if (s) {
      out.push(s);
      continue;
    }
    const p = join(root, name);
    if (/^[0-9a-f]{64}$/.test(name) && isDir(p)) {
      const h = head(join(p, "verifier.sol"));
      const m = /from snarkjs (\S+) \((\w+), circuit (\w+) m=(\d+)/.exec(h);
      let meta: { constraints?: number; setupSeconds?: number } = {};
      try {
        meta = JSON.parse(readFileSync(join(p, "meta.json"), "utf8"));
      } catch {
        /* listed without */
      }
      const label = m ? `${m[2]} setup of ${m[3]} m=${m[4]}` : "setup";
      const what = `${label}${meta.constraints ? `, ${meta.constraints.toLocaleString("en-US")} constraints` : ""}${meta.setupSeconds ? `, took ${Math.round(meta.setupSeconds)} s` : ""}`;
      let reason: string | undefined;
      if (m && m[1] !== SNARKJS_VERSION) reason = `made by snarkjs ${m[1]} (current ${SNARKJS_VERSION})`;
      else if (m) {
        const cur = compiled.get(`${m[3]} m=${m[4]}`);
        if (cur) {
          let mine = "";
          try {
            mine = sha(Buffer.concat([readFileSync(join(p, "circuit.r1cs")), readFileSync(join(p, "circuit.wasm"))]));
          } catch {
            /* incomplete */
          }
          if (mine !== cur) reason = "superseded: the current compile of this circuit differs";
        }
      }
      out.push({
        path: p,
        kind: "setup",
        what,
        bytes: du(p),
        stale: reason !== undefined,
        ...(reason ? { reason } : {}),
      });
    } else if (name.endsWith(".jsonl"))
      out.push({ path: p, kind: "log", what: "benchmark progress log", bytes: du(p), stale: false });
    else out.push({ path: p, kind: "other", what: "unrecognised entry", bytes: du(p), stale: false });
  }
}

async function circomEntries(dir: string, out: CacheEntry[]): Promise<void> {
  const { sourcesHash } = await import("../zk/circuits/build.ts");
  for (const name of ls(dir)) {
    const s = special(dir, name);
    if (s) {
      out.push(s);
      continue;
    }
    const p = join(dir, name);
    let spec: Parameters<typeof sourcesHash>[0] | undefined;
    try {
      spec = (JSON.parse(readFileSync(join(p, "done.json"), "utf8")) as { spec: typeof spec }).spec;
    } catch {
      /* incomplete or foreign */
    }
    const hash = name.slice(name.lastIndexOf("-") + 1);
    let reason: string | undefined;
    if (!spec) reason = "no done.json: an unfinished compile";
    else {
      try {
        if (sourcesHash(spec) !== hash) reason = "its sources changed (hash differs from the current sourcesHash)";
      } catch {
        reason = "its spec no longer compiles (unknown include or template)";
      }
    }
    out.push({
      path: p,
      kind: "circom-compile",
      what: `circom compile ${spec?.name ?? name}`,
      bytes: du(p),
      stale: reason !== undefined,
      ...(reason ? { reason } : {}),
    });
  }
}

const BUILD_DIRS = /^(.*-out|.*-cache|verifiers|demo-verifiers)$/;

/** Every cache entry with its size and staleness (see the module header). Paths are absolute. */
export async function listCache(): Promise<CacheEntry[]> {
  const out: CacheEntry[] = [];
  const top = join(REPO_ROOT, ".cache");
  const zk = zkCacheRoot();
  for (const name of ls(top)) {
    const s = special(top, name);
    if (s) {
      out.push(s);
      continue;
    }
    const p = join(top, name);
    if (p === zk) continue;
    if (name === "zk-circuits") await circomEntries(p, out);
    else if (name === "zk")
      out.push({
        path: p,
        kind: "other",
        what: `default zk cache, not in use (ZKFP_CACHE_DIR=${zk})`,
        bytes: du(p),
        stale: false,
      });
    else if (BUILD_DIRS.test(name))
      out.push({
        path: p,
        kind: "build",
        what: "contract build output/cache (rebuilt on demand)",
        bytes: du(p),
        stale: false,
      });
    else out.push({ path: p, kind: "other", what: "unrecognised entry", bytes: du(p), stale: false });
  }
  if (isDir(zk)) await zkEntries(zk, out);
  return out;
}

/** Entries written by this process (temp names with our pid, locks holding our pid): removed on interrupt. */
export function ownEntries(pid = process.pid): string[] {
  const top = join(REPO_ROOT, ".cache");
  const zk = zkCacheRoot();
  const dirs = [top, zk, join(zk, "circuits"), join(zk, "ptau"), join(top, "zk-circuits")];
  const mine: string[] = [];
  for (const d of dirs)
    for (const name of ls(d)) {
      const t = TMP.exec(name) ?? LOCK_TMP.exec(name);
      if (t && Number(t[1]) === pid) mine.push(join(d, name));
      else if (name.endsWith(".lock")) {
        try {
          if (Number(readFileSync(join(d, name), "utf8").trim()) === pid) mine.push(join(d, name));
        } catch {
          /* a directory or gone */
        }
      }
    }
  return mine;
}

/** Removes the stale entries of `entries` after re-checking them; returns what was removed. */
export function removeStale(entries: CacheEntry[]): CacheEntry[] {
  const removed: CacheEntry[] = [];
  for (const e of entries) {
    if (!e.stale) continue;
    if (e.pid !== undefined && pidAlive(e.pid)) continue; // came back to life? (pid reuse): keep
    rmSync(e.path, { recursive: true, force: true });
    removed.push(e);
  }
  return removed;
}

export const relToRepo = (p: string): string => (p.startsWith(REPO_ROOT) ? relative(REPO_ROOT, p) : p);
