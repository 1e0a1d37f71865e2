/**
 * Compiles the zkfp m-step circuit (rv32im.circom, `RvSteps(m)`) with circom 2.2.3 (npm circom2)
 * `--O2`, caching the artifacts under `.cache/zk-circuits/<key>/` where key = sha256 of every
 * .circom source in this folder (comments stripped) + the main template's parameters + the
 * compiler flags. A second
 * call with unchanged sources returns the cached files without running circom.
 *
 * Outputs per variant: `<name>.r1cs`, `<name>_js/<name>.wasm` (witness generator), `<name>.sym`.
 * Pitfalls: circom2 is a wasm build of circom, single-threaded; compile time grows about linearly
 * with m (measured in zk/CONSTRAINTS.md). Concurrent compiles of the same key write to a temp dir
 * and rename, so a crashed compile never leaves a half-written cache entry.
 */
import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ZkfpError } from "../../vm/errors.ts";

const run = promisify(execFile);

export class CircuitBuildError extends ZkfpError {
  override readonly name = "CircuitBuildError";
}

export const CIRCUITS_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(CIRCUITS_DIR, "../..");
const CACHE_DIR = join(REPO_ROOT, ".cache", "zk-circuits");
const FLAGS = ["--r1cs", "--wasm", "--sym", "--O2"];

export type CircuitArtifacts = {
  name: string;
  dir: string;
  r1cs: string;
  wasm: string;
  sym: string;
  /** seconds spent in circom (0 when served from the cache) */
  compileSeconds: number;
  cached: boolean;
};

/** A main component: `component main {public [...]} = <template>(<args>);` in a file that includes `include`. */
export type MainSpec = {
  name: string;
  include: string;
  template: string;
  args: number[];
  pub?: string[] /** subfolders of zk/circuits whose .circom files are also hashed into the cache key */;
  dirs?: string[];
};

/** Circuit variant: "full" proves every window; "lite" has no input/blob path (no read(fd 0/5) steps). */
export type Variant = "full" | "lite";

export function stepsMain(m: number, variant: Variant = "full"): MainSpec {
  if (!Number.isInteger(m) || m < 1) throw new CircuitBuildError("m must be a positive integer", { m });
  if (variant !== "full" && variant !== "lite") throw new CircuitBuildError("unknown circuit variant", { variant });
  const name = variant === "full" ? `rv32im_m${m}` : `rv32im_lite_m${m}`;
  return {
    name,
    include: "rv32im.circom",
    template: "RvSteps",
    args: [m, variant === "full" ? 1 : 0],
    pub: ["preRoot", "postRoot"],
  };
}

/** Comments and blank space never change what circom emits: keep them out of the cache key. */
function stripComments(src: string): string {
  return src
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/[^\n]*/g, "")
    .replace(/\s+/g, " ");
}

export function sourcesHash(spec: MainSpec): string {
  const h = createHash("sha256");
  for (const f of readdirSync(CIRCUITS_DIR)
    .filter((f) => f.endsWith(".circom"))
    .sort()) {
    h.update(f)
      .update("\0")
      .update(stripComments(readFileSync(join(CIRCUITS_DIR, f), "utf8")))
      .update("\0");
  }
  for (const d of spec.dirs ?? []) {
    const dir = join(CIRCUITS_DIR, d);
    for (const f of readdirSync(dir)
      .filter((f) => f.endsWith(".circom"))
      .sort()) {
      h.update(`${d}/${f}`)
        .update("\0")
        .update(stripComments(readFileSync(join(dir, f), "utf8")))
        .update("\0");
    }
  }
  h.update(JSON.stringify(spec)).update(FLAGS.join(" "));
  return h.digest("hex").slice(0, 16);
}

function mainSource(spec: MainSpec): string {
  const pub = spec.pub && spec.pub.length ? ` {public [${spec.pub.join(", ")}]}` : "";
  return `pragma circom 2.1.6;\ninclude "${spec.include}";\ncomponent main${pub} = ${spec.template}(${spec.args.join(", ")});\n`;
}

/** Compile (or fetch from the cache) one main component. */
export async function compileMain(spec: MainSpec): Promise<CircuitArtifacts> {
  const key = `${spec.name}-${sourcesHash(spec)}`;
  const dir = join(CACHE_DIR, key);
  const art = (compileSeconds: number, cached: boolean): CircuitArtifacts => ({
    name: spec.name,
    dir,
    r1cs: join(dir, `${spec.name}.r1cs`),
    wasm: join(dir, `${spec.name}_js`, `${spec.name}.wasm`),
    sym: join(dir, `${spec.name}.sym`),
    compileSeconds,
    cached,
  });
  if (existsSync(join(dir, "done.json"))) {
    const meta = JSON.parse(readFileSync(join(dir, "done.json"), "utf8")) as { compileSeconds: number };
    return { ...art(meta.compileSeconds, true), compileSeconds: meta.compileSeconds };
  }
  mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const src = join(tmp, `${spec.name}.circom`);
  writeFileSync(src, mainSource(spec));
  const t0 = performance.now();
  try {
    // circom2 (wasi) sees paths relative to its cwd: pass repo-relative paths only
    const rel = (p: string) => relative(REPO_ROOT, p);
    await run("npx", ["circom2", rel(src), ...FLAGS, "-l", "node_modules", "-l", rel(CIRCUITS_DIR), "-o", rel(tmp)], {
      cwd: REPO_ROOT,
      maxBuffer: 64 << 20,
    });
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string };
    rmSync(tmp, { recursive: true, force: true });
    throw new CircuitBuildError("circom failed", {
      main: spec.name,
      stderr: (err.stderr ?? "").slice(-4000),
      stdout: (err.stdout ?? "").slice(-2000),
    });
  }
  const secs = (performance.now() - t0) / 1000;
  writeFileSync(join(tmp, "done.json"), JSON.stringify({ compileSeconds: secs, spec }));
  if (existsSync(dir))
    rmSync(tmp, { recursive: true, force: true }); // another process won the race
  else renameSync(tmp, dir);
  return art(secs, false);
}

/** Slot capacities of the table ("mem") circuit, zk/circuits/mem/rv32im_mem.circom RvStepsMem(m, C, KR, KW, H). */
export type MemCaps = {
  C: number;
  KR: number;
  KW: number;
  H: number /** aux (input/blob word) slots; 0 = no read(fd 0/5) steps */;
  A: number;
};

/**
 * The registered table variants (zk/CONSTRAINTS.md has their costs and fit rates on real guests):
 *  - "mem":     code slots m/2, read-only slots 3m/16, writable m/8, output records m/32 (at least
 *               4, 2, 2, 1), no aux slots (windows without read(fd 0/5));
 *  - "memio":   the same plus m/8 aux slots (input/blob words; at least 1);
 *  - "memwide": "memio" with m code slots (straight-line code, e.g. soft float).
 */
export type MemVariant = "mem" | "memio" | "memwide";
export const MEM_VARIANTS: readonly MemVariant[] = ["mem", "memio", "memwide"];

export function memCapsFor(m: number, variant: MemVariant = "mem"): MemCaps {
  if (!Number.isInteger(m) || m < 1) throw new CircuitBuildError("m must be a positive integer", { m });
  if (!MEM_VARIANTS.includes(variant)) throw new CircuitBuildError("unknown table variant", { variant });
  const base = {
    C: Math.max(4, Math.ceil(m / 2)),
    KR: Math.max(2, Math.ceil((3 * m) / 16)),
    KW: Math.max(2, Math.ceil(m / 8)),
    H: Math.max(1, Math.ceil(m / 32)),
    A: 0,
  };
  if (variant === "mem") return base;
  const io = { ...base, A: Math.max(1, Math.ceil(m / 8)) };
  return variant === "memio" ? io : { ...io, C: Math.max(4, m) };
}

export function memMain(m: number, caps: MemCaps): MainSpec {
  if (!Number.isInteger(m) || m < 1) throw new CircuitBuildError("m must be a positive integer", { m });
  for (const k of ["C", "KR", "KW", "H", "A"] as const) {
    const min = k === "A" ? 0 : 1;
    if (!Number.isInteger(caps[k]) || caps[k] < min || caps[k] > 4096)
      throw new CircuitBuildError(`table capacity must be an integer in [${min}, 4096]`, { [k]: caps[k] });
  }
  const name = `rv32im_mem_m${m}_c${caps.C}_r${caps.KR}_w${caps.KW}_o${caps.H}_a${caps.A}`;
  return {
    name,
    include: "mem/rv32im_mem.circom",
    template: "RvStepsMem",
    args: [m, caps.C, caps.KR, caps.KW, caps.H, caps.A],
    pub: ["preRoot", "postRoot"],
    dirs: ["mem"],
  };
}

export function compileMem(m: number, caps: MemCaps = memCapsFor(m)): Promise<CircuitArtifacts> {
  return compileMain(memMain(m, caps));
}

export function compileSteps(m: number, variant: Variant = "full"): Promise<CircuitArtifacts> {
  return compileMain(stepsMain(m, variant));
}

/**
 * Capacities of the block-table circuit zk/circuits/blk/rv32im_blk.circom RvStepsBlk: CB code
 * blocks of 4^CJ words + CS code blocks of 4 words, KR read-only + KW writable memory blocks of
 * 4^MJ words, H output records, A input/blob blocks of 4^AJ words (A = 0: no read(fd 0/5)).
 */
export type BlkCaps = {
  CJ: number;
  CB: number;
  CS: number;
  MJ: number;
  KR: number;
  KW: number;
  H: number;
  AJ: number;
  A: number;
};

export function blkMain(m: number, caps: BlkCaps): MainSpec {
  if (!Number.isInteger(m) || m < 1) throw new CircuitBuildError("m must be a positive integer", { m });
  const range: Record<keyof BlkCaps, [number, number]> = {
    CJ: [1, 4],
    CB: [0, 4096],
    CS: [0, 4096],
    MJ: [0, 1],
    KR: [1, 4096],
    KW: [1, 4096],
    H: [1, 4096],
    AJ: [0, 3],
    A: [0, 4096],
  };
  for (const [k, [lo, hi]] of Object.entries(range) as [keyof BlkCaps, [number, number]][])
    if (!Number.isInteger(caps[k]) || caps[k] < lo || caps[k] > hi)
      throw new CircuitBuildError(`block table parameter must be an integer in [${lo}, ${hi}]`, { [k]: caps[k] });
  if (caps.CB + caps.CS < 1) throw new CircuitBuildError("at least one code block", { CB: caps.CB, CS: caps.CS });
  const c = caps;
  const name = `rv32im_blk_m${m}_c${c.CB}x${4 ** c.CJ}_${c.CS}x4_r${c.KR}_w${c.KW}x${4 ** c.MJ}_o${c.H}_a${c.A}x${4 ** c.AJ}`;
  return {
    name,
    include: "blk/rv32im_blk.circom",
    template: "RvStepsBlk",
    args: [m, c.CJ, c.CB, c.CS, c.MJ, c.KR, c.KW, c.H, c.AJ, c.A],
    pub: ["preRoot", "postRoot"],
    dirs: ["mem", "blk"],
  };
}

export function compileBlk(m: number, caps: BlkCaps): Promise<CircuitArtifacts> {
  return compileMain(blkMain(m, caps));
}

/**
 * The registered block variants (zk/CONSTRAINTS.md "Block tables": costs and fit rates on real
 * guests). Code blocks are 16 words (CJ = 2) plus 4-word blocks; memory blocks 4 words (MJ = 1)
 * except `blkmem` (single words, for scattered accesses such as matrix columns); aux blocks 16
 * words. Chosen from the window statistics of zk/circuits/mem/window-stats.ts at m = 16, 32, 64:
 *  - "blk":     small loops without input/blob reads (crc32, output phases): CB m/32, CS 2,
 *               R 2 + W 1 blocks of 4, H m/8;
 *  - "blkio":   straight-line code with blob/input reads (MNIST, stories260K nodes): CB 3m/32,
 *               CS m/8, R m/16 + W 2 blocks of 4, A 2 blocks of 16;
 *  - "blkmem":  CB m/32, CS m/16, memory as `mem` (3m/16 read-only + m/8 writable words);
 *  - "blkwide": CB 3m/16, CS m/4, R m/8 + W 5m/64 blocks of 4, H m/16, A 2 blocks of 16.
 * (each at least the small-m minimum in the code)
 */
export type BlkVariant = "blk" | "blkio" | "blkmem" | "blkwide";
export const BLK_VARIANTS: readonly BlkVariant[] = ["blk", "blkio", "blkmem", "blkwide"];

export function blkCapsFor(m: number, variant: BlkVariant): BlkCaps {
  if (!Number.isInteger(m) || m < 1) throw new CircuitBuildError("m must be a positive integer", { m });
  const c = (x: number, min: number) => Math.max(min, Math.ceil(x));
  const h = c(m / 32, 1);
  switch (variant) {
    case "blk":
      return { CJ: 2, CB: c(m / 32, 1), CS: 2, MJ: 1, KR: 2, KW: 1, H: c(m / 8, 1), AJ: 2, A: 0 };
    case "blkio":
      return { CJ: 2, CB: c((3 * m) / 32, 2), CS: c(m / 8, 4), MJ: 1, KR: c(m / 16, 2), KW: 2, H: h, AJ: 2, A: 2 };
    case "blkmem":
      return {
        CJ: 2,
        CB: c(m / 32, 1),
        CS: c(m / 16, 2),
        MJ: 0,
        KR: c((3 * m) / 16, 2),
        KW: c(m / 8, 2),
        H: h,
        AJ: 2,
        A: 0,
      };
    case "blkwide":
      return {
        CJ: 2,
        CB: c((3 * m) / 16, 3),
        CS: c(m / 4, 8),
        MJ: 1,
        KR: c(m / 8, 4),
        KW: c((5 * m) / 64, 3),
        H: c(m / 16, 1),
        AJ: 2,
        A: 2,
      };
    default:
      throw new CircuitBuildError("unknown block variant", { variant });
  }
}

/**
 * Constraint estimate of a table circuit (RvStepsMem or RvStepsBlk) from its per-part costs
 * (zk/CONSTRAINTS.md: Poseidon(4) 297, 4-ary level 304, step core ~924 + 192 with aux reads).
 * Orders the candidates of zk/witness-input.ts `cheapestCircuitFor`; the block report
 * (zk/circuits/blk/report.ts) prints it beside the compiled count. An estimate only: a wrong
 * order costs constraints, never soundness.
 */
export function tableConstraints(m: number, caps: MemCaps | BlkCaps): number {
  const P4 = 297,
    LVL = 304;
  const sub = (J: number) => ((4 ** J - 1) / 3) * P4;
  const blk = "CJ" in caps;
  const b: BlkCaps = blk
    ? caps
    : { CJ: 0, CB: caps.C, CS: 0, MJ: 0, KR: caps.KR, KW: caps.KW, H: caps.H, AJ: 0, A: caps.A };
  const io = b.A > 0;
  let c = 18_694 + m * (924 + (io ? 192 : 0) + 2 * b.H + 1 + (blk ? 34 + (io ? 20 : 0) : 0)) + b.H * 334;
  c += b.CB * (sub(b.CJ) + (7 - b.CJ) * LVL + 14 - 2 * b.CJ + (blk ? 0 : 50)) + m * b.CB * (4 ** b.CJ + (blk ? 2 : 1));
  c += b.CS * (sub(1) + 6 * LVL + 12) + m * b.CS * 6;
  const bl = sub(b.MJ) + (10 - b.MJ) * LVL;
  c += b.KR * (bl + 20 - 2 * b.MJ) + b.KW * (2 * bl + 20 - 2 * b.MJ) + (b.KW * (b.KW - 1)) / 2 + b.KR * b.KW + 1;
  c += m * (b.KR * (4 ** b.MJ + 2) + b.KW * (2 * 4 ** b.MJ + 3) + 1 + b.MJ);
  c += b.A * (sub(b.AJ) + (10 - b.AJ) * LVL + 240 + 23 - 2 * b.AJ) + m * b.A * (4 ** b.AJ + 3);
  return Math.round(c);
}
