/**
 * The circuits the prover knows, each a recipe `{ id, m, sources, compile }` so the cache key
 * (zk/prover/cache.ts) can hash exactly what defines the circuit.
 *
 *  - `counter`: CounterChain(m) in testdata/counter_chain.circom, the development circuit (Poseidon
 *    "alphabet" machine, ~240 constraints per step). Public signals [preRoot, postRoot].
 *  - `rv32im`: RvSteps(m) of zk/circuits (owned by the circuits helper), compiled by its
 *    `compileSteps(m)` from zk/circuits/build.ts. Public signals [preRoot, postRoot].
 *  - `rv32im_mem`: RvStepsMem(m, memCapsFor(m)) of zk/circuits/mem (window tables, same statement
 *    and public signals as `rv32im`; only windows that fit its tables and read no input/blob data:
 *    input from zk/circuits/mem/input.ts `memInputFromTrace`, which throws WindowFitError otherwise).
 *  - `rv32im_memio`, `rv32im_memwide`: the same with aux slots (windows with read(fd 0/5)), and
 *    also with m code slots (memCapsFor(m, "memio" | "memwide")).
 *  - `rv32im_blk`, `rv32im_blkio`, `rv32im_blkmem`, `rv32im_blkwide`: RvStepsBlk(m, blkCapsFor(m,
 *    variant)) of zk/circuits/blk (tables of aligned 4^J-word tree blocks; same statement and
 *    public signals; input from zk/circuits/blk/input.ts `blkInputFromTrace`).
 *
 * Pitfall: circom writes `<name>_js/<name>.wasm`; `compile` returns absolute paths to what it wrote.
 */
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createRequire } from "node:module";
import { ZkfpError } from "../../vm/errors.ts";
import { initPoseidon, poseidon2 } from "../../vm/poseidon/index.ts";

const run = promisify(execFile);
export const ZK_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_ROOT = resolve(ZK_DIR, "..");

export class CircuitError extends ZkfpError {
  override readonly name = "CircuitError";
}

export type CircuitId =
  | "counter"
  | "rv32im"
  | "rv32im_mem"
  | "rv32im_memio"
  | "rv32im_memwide"
  | "rv32im_blk"
  | "rv32im_blkio"
  | "rv32im_blkmem"
  | "rv32im_blkwide";
export type Compiled = { r1cs: string; wasm: string };
/** Every circuit id `circuitFor` knows. */
export const CIRCUIT_IDS: readonly CircuitId[] = [
  "counter",
  "rv32im",
  "rv32im_mem",
  "rv32im_memio",
  "rv32im_memwide",
  "rv32im_blk",
  "rv32im_blkio",
  "rv32im_blkmem",
  "rv32im_blkwide",
];

/**
 * Circuits with a witness for EVERY transition of their machine (the completeness a zk arbitrator's
 * key set needs: contracts/src/zk/SpanVerifiers.sol refuses a span without one). The table variants
 * `rv32im_mem*` and `rv32im_blk*` are not: a window that overflows their tables has no witness.
 */
export const COMPLETE_CIRCUITS: readonly CircuitId[] = ["counter", "rv32im"];
export const isCompleteCircuit = (id: string): boolean => (COMPLETE_CIRCUITS as readonly string[]).includes(id);
export type CircuitRecipe = {
  id: CircuitId;
  m: number;
  /** files whose bytes define the circuit (hashed into the cache key) */
  sources: string[];
  /** extra strings hashed into the key (compiler version, flags, the generated main) */
  salt: string;
  compile(dir: string): Promise<Compiled>;
};

const CIRCOM2_CLI = createRequire(import.meta.url).resolve("circom2/cli.js");

/**
 * Runs circom2 (circom compiled to WASI). Pitfall: its WASI layer preopens the cwd and the cwd's
 * ancestors, but fails to resolve a path that climbs out of the cwd through `..` (an include beside
 * a main file under /tmp while the cwd is the repo: "to be included has not been found"). From cwd
 * "/" every absolute path is reachable downwards, wherever ZKFP_CACHE_DIR puts the sources.
 */
async function circom(mainFile: string, outDir: string): Promise<Compiled> {
  mkdirSync(outDir, { recursive: true });
  try {
    await run(
      process.execPath,
      [
        CIRCOM2_CLI,
        resolve(mainFile),
        "--r1cs",
        "--wasm",
        "--O2",
        "-l",
        join(REPO_ROOT, "node_modules"),
        "-o",
        resolve(outDir),
      ],
      { cwd: "/", maxBuffer: 64 << 20 },
    );
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string };
    throw new CircuitError("circom failed", {
      main: mainFile,
      stderr: String(err.stderr ?? err.stdout ?? e).slice(-2000),
    });
  }
  const base = mainFile
    .split("/")
    .pop()!
    .replace(/\.circom$/, "");
  return { r1cs: join(outDir, `${base}.r1cs`), wasm: join(outDir, `${base}_js`, `${base}.wasm`) };
}

export function counterCircuit(m: number): CircuitRecipe {
  if (!Number.isInteger(m) || m < 1) throw new CircuitError("m must be a positive integer", { m });
  const src = join(ZK_DIR, "prover", "testdata", "counter_chain.circom");
  // the included source is copied beside the generated main (see `circom` for the path pitfall)
  const main = `pragma circom 2.1.0;\ninclude "counter_chain.circom";\ncomponent main {public [preRoot, postRoot]} = CounterChain(${m});\n`;
  return {
    id: "counter",
    m,
    sources: [src],
    salt: `circom2 --O2\n${main}`,
    async compile(dir) {
      const f = join(dir, `counter_m${m}.circom`);
      mkdirSync(dir, { recursive: true });
      copyFileSync(src, join(dir, "counter_chain.circom"));
      writeFileSync(f, main);
      return circom(f, dir);
    },
  };
}

/** The RV32IM m-step circuit of zk/circuits (throws CircuitError until that helper ships build.ts). */
export async function rv32imCircuit(m: number): Promise<CircuitRecipe> {
  if (!Number.isInteger(m) || m < 1) throw new CircuitError("m must be a positive integer", { m });
  const dir = join(ZK_DIR, "circuits");
  const build = join(dir, "build.ts");
  if (!existsSync(build))
    throw new CircuitError("zk/circuits/build.ts not found (RV32IM circuit not available yet)", { file: build });
  const sources = readdirSync(dir)
    .filter((f) => f.endsWith(".circom") && !/^main_m\d+\.circom$/.test(f))
    .sort()
    .map((f) => join(dir, f));
  return {
    id: "rv32im",
    m,
    sources,
    salt: `rv32im RvSteps(${m}) circom2 --O2`,
    async compile() {
      const mod = (await import(build)) as { compileSteps(m: number): Promise<{ r1cs: string; wasm: string }> };
      const out = await mod.compileSteps(m);
      return { r1cs: out.r1cs, wasm: out.wasm };
    },
  };
}

/** A table variant of the RV32IM m-step circuit (zk/circuits/mem/rv32im_mem.circom, caps memCapsFor(m, variant)). */
export async function rv32imMemCircuit(
  m: number,
  variant: "mem" | "memio" | "memwide" = "mem",
): Promise<CircuitRecipe> {
  if (!Number.isInteger(m) || m < 1) throw new CircuitError("m must be a positive integer", { m });
  const dir = join(ZK_DIR, "circuits");
  const mod = (await import(join(dir, "build.ts"))) as {
    memMain(m: number, caps: object): { name: string };
    memCapsFor(m: number, variant: string): object;
    compileMem(m: number, caps: object): Promise<{ r1cs: string; wasm: string }>;
  };
  const caps = mod.memCapsFor(m, variant);
  const sources = [
    ...readdirSync(dir)
      .filter((f) => f.endsWith(".circom"))
      .map((f) => join(dir, f)),
    ...readdirSync(join(dir, "mem"))
      .filter((f) => f.endsWith(".circom"))
      .map((f) => join(dir, "mem", f)),
  ].sort();
  return {
    id: `rv32im_${variant}`,
    m,
    sources,
    salt: `rv32im_mem ${mod.memMain(m, caps).name} circom2 --O2`,
    async compile() {
      const out = await mod.compileMem(m, caps);
      return { r1cs: out.r1cs, wasm: out.wasm };
    },
  };
}

/** A block variant of the RV32IM m-step circuit (zk/circuits/blk/rv32im_blk.circom, caps blkCapsFor(m, variant)). */
export async function rv32imBlkCircuit(
  m: number,
  variant: "blk" | "blkio" | "blkmem" | "blkwide",
): Promise<CircuitRecipe> {
  if (!Number.isInteger(m) || m < 1) throw new CircuitError("m must be a positive integer", { m });
  const dir = join(ZK_DIR, "circuits");
  const mod = (await import(join(dir, "build.ts"))) as {
    blkMain(m: number, caps: object): { name: string };
    blkCapsFor(m: number, variant: string): object;
    compileBlk(m: number, caps: object): Promise<{ r1cs: string; wasm: string }>;
  };
  const caps = mod.blkCapsFor(m, variant);
  const sources = [
    ...readdirSync(dir)
      .filter((f) => f.endsWith(".circom"))
      .map((f) => join(dir, f)),
    ...["mem", "blk"].flatMap((d) =>
      readdirSync(join(dir, d))
        .filter((f) => f.endsWith(".circom"))
        .map((f) => join(dir, d, f)),
    ),
  ].sort();
  return {
    id: `rv32im_${variant}`,
    m,
    sources,
    salt: `rv32im_blk ${mod.blkMain(m, caps).name} circom2 --O2`,
    async compile() {
      const out = await mod.compileBlk(m, caps);
      return { r1cs: out.r1cs, wasm: out.wasm };
    },
  };
}

export async function circuitFor(id: CircuitId, m: number): Promise<CircuitRecipe> {
  if (id === "counter") return counterCircuit(m);
  if (id === "rv32im") return rv32imCircuit(m);
  if (id === "rv32im_mem") return rv32imMemCircuit(m);
  if (id === "rv32im_memio") return rv32imMemCircuit(m, "memio");
  if (id === "rv32im_memwide") return rv32imMemCircuit(m, "memwide");
  if (id === "rv32im_blk" || id === "rv32im_blkio" || id === "rv32im_blkmem" || id === "rv32im_blkwide")
    return rv32imBlkCircuit(m, id.slice("rv32im_".length) as "blk" | "blkio" | "blkmem" | "blkwide");
  throw new CircuitError("unknown circuit", { circuit: id });
}

/** Twin of CounterChain: root(0) = P2(0, 0), root(i) = P2(i, root(i - 1)). Returns roots 0..n. */
export async function counterRoots(n: number): Promise<bigint[]> {
  await initPoseidon();
  const roots: bigint[] = [poseidon2(0n, 0n)];
  for (let i = 1; i <= n; i++) roots.push(poseidon2(BigInt(i), roots[i - 1]!));
  return roots;
}

/** Circuit input proving root(t) -> root(t + m) of the counter machine. */
export async function counterInput(t: number, m: number): Promise<Record<string, string>> {
  const r = await counterRoots(t + m);
  return {
    preRoot: r[t]!.toString(),
    postRoot: r[t + m]!.toString(),
    n: String(t),
    prev: t === 0 ? "0" : r[t - 1]!.toString(),
  };
}
