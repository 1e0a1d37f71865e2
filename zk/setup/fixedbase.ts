/**
 * Fixed-base scalar multiplication on BN254 G1/G2 in worker threads: given scalars s_0..s_{n-1}
 * (Fr, Montgomery form, 32 bytes each), returns s_i * g as affine points in the "LEM" layout ptau
 * files store (x, y little-endian Montgomery; G1 64 bytes, G2 128 bytes).
 *
 * Method: a comb with windows of w = 8 or 16 bits. A table T[j][d] = d * 2^(wj) * g (256/w windows
 * x 2^w affine points; for w = 16: 64 MB for G1, 128 MB for G2; built once per worker) turns each
 * multiplication into at most 256/w mixed (Jacobian + affine) additions instead of the ~254 doublings + ~127 additions of a
 * generic `timesScalar`; the accumulators are normalised with one batched inversion per chunk
 * (`g?m_batchToAffine`).
 *
 * Threads: own `worker_threads` (one per CPU), each instantiating the same BN254 wasm snarkjs'
 * ffjavascript runs (built with the wasmbuilder + wasmcurves it depends on, so the field
 * representation is identical) and calling its exports directly in a loop. Why not ffjavascript's
 * thread manager: a task there is a list of command objects interpreted one by one in the worker;
 * for ~16-32 additions per point the structured clone and dispatch of those objects cost 3-4x the
 * additions themselves (profiled at 2^14 points: 112 µs per G1 point through the task manager on
 * 2 threads, 31 µs on one thread with direct calls).
 *
 * Why hand-written: ffjavascript only offers generic per-point scalar multiplication (`timesFr`,
 * `batchApplyKey` for geometric scalar sequences); the dev ptau (devptau.ts) needs ~15 * 2^power
 * multiplications of the two generators by arbitrary scalars (Lagrange bases).
 *
 * Pitfalls: a zero scalar yields the point at infinity, whose affine LEM encoding is all zeros
 * (what ptau files use for it). With w = 16, workers hold ~400 MB each once both tables exist: `close()` the
 * pool (they are unref'd, so a forgotten pool does not keep node alive).
 */
import { availableParallelism } from "node:os";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { ZkfpError } from "../../vm/errors.ts";

export class FixedBaseError extends ZkfpError {
  override readonly name = "FixedBaseError";
}

type Group = "G1" | "G2";
/** window width in bits: 8 (tables of 32 x 256 points, ~0.3 s to build) or 16 (16 x 65536, ~8 s per worker) */
export type WindowBits = 8 | 16;
const CHUNK = 4096;

type Wasm = { module: WebAssembly.Module; pG1gen: number; pG2gen: number };
let wasmPromise: Promise<Wasm> | undefined;

/** The BN254 wasm module exactly as ffjavascript (snarkjs' copy) builds it (ffjavascript/src/bn128.js). */
function bn128Wasm(): Promise<Wasm> {
  wasmPromise ??= (async () => {
    const req = createRequire(import.meta.url);
    const snarkjsDir = dirname(dirname(req.resolve("snarkjs")));
    const ffReq = createRequire(`${snarkjsDir}/node_modules/ffjavascript/package.json`);
    const { buildBn128 } = ffReq("wasmcurves") as { buildBn128: (mb: unknown) => void };
    const wbMain = ffReq.resolve("wasmbuilder");
    const { ModuleBuilder } = (await import(pathToFileURL(wbMain).href)) as {
      ModuleBuilder: new () => {
        setMemory(pages: number): void;
        build(): Uint8Array;
        modules: { bn128: { pG1gen: number; pG2gen: number } };
      };
    };
    const mb = new ModuleBuilder();
    mb.setMemory(25);
    buildBn128(mb);
    const code = mb.build();
    return {
      module: await WebAssembly.compile(code as Uint8Array<ArrayBuffer>),
      pG1gen: mb.modules.bn128.pG1gen,
      pG2gen: mb.modules.bn128.pG2gen,
    };
  })();
  return wasmPromise;
}

// Worker body (plain JS, evaluated): owns one wasm instance and the comb tables it builds on demand.
const WORKER_SRC = `
const { parentPort, workerData } = require("node:worker_threads");
const { module, pG1gen, pG2gen, WBITS, WINDOWS, CHUNK } = workerData;
const DIGITS = 1 << WBITS;
const HEADROOM = 4 * Math.max(DIGITS, CHUNK) * 64;
const memory = new WebAssembly.Memory({ initial: 25 });
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
const u32 = () => new Uint32Array(memory.buffer, 0, 1);
function alloc(len) {
  const p = (u32()[0] + 7) & ~7;
  u32()[0] = p + len;
  // headroom above the free pointer: g?m_batchToAffine takes its scratch (n field elements) there
  const need = p + len + HEADROOM - memory.buffer.byteLength;
  if (need > 0) memory.grow(Math.ceil(need / 65536) + 1);
  return p;
}
const G = {
  G1: { n8: 32, pre: "g1m", gen: pG1gen },
  G2: { n8: 64, pre: "g2m", gen: pG2gen },
};
const tables = {};
function table(g) {
  if (tables[g] !== undefined) return tables[g];
  const { n8, pre, gen } = G[g];
  const sJ = n8 * 3, sA = n8 * 2;
  const add = ex[pre + "_add"], dbl = ex[pre + "_double"], copy = ex[pre + "_copy"], zero = ex[pre + "_zero"];
  const pBase = alloc(sJ);
  copy(gen, pBase);
  // the affine table stays; the Jacobian scratch above it is released after normalising
  const pTab = alloc(WINDOWS * DIGITS * sA);
  const keep = u32()[0];
  const pJac = alloc(DIGITS * sJ);
  for (let j = 0; j < WINDOWS; j++) {
    zero(pJac);
    for (let d = 1; d < DIGITS; d++) add(pJac + (d - 1) * sJ, pBase, pJac + d * sJ);
    ex[pre + "_batchToAffine"](pJac, DIGITS, pTab + j * DIGITS * sA);
    for (let k = 0; k < WBITS; k++) dbl(pBase, pBase);
  }
  u32()[0] = keep;
  return (tables[g] = pTab);
}
parentPort.on("message", ({ id, group, scalars }) => {
  try {
    const { n8, pre } = G[group];
    const sJ = n8 * 3, sA = n8 * 2;
    const pTab = table(group);
    const n = scalars.byteLength / 32;
    const mark = u32()[0];
    const pS = alloc(n * 32), pAcc = alloc(n * sJ), pOut = alloc(n * sA);
    new Uint8Array(memory.buffer).set(scalars, pS);
    ex.frm_batchFromMontgomery(pS, n, pS);
    const s = new Uint8Array(memory.buffer, pS, n * 32);
    const addMixed = ex[pre + "_addMixed"], zero = ex[pre + "_zero"];
    for (let i = 0; i < n; i++) {
      const acc = pAcc + i * sJ;
      zero(acc);
      const b = i * 32;
      for (let j = 0; j < WINDOWS; j++) {
        const d = WBITS === 16 ? s[b + 2 * j] | (s[b + 2 * j + 1] << 8) : s[b + j];
        if (d !== 0) addMixed(acc, pTab + (j * DIGITS + d) * sA, acc);
      }
    }
    ex[pre + "_batchToAffine"](pAcc, n, pOut);
    const out = new Uint8Array(memory.buffer, pOut, n * sA).slice();
    u32()[0] = mark;
    parentPort.postMessage({ id, out }, [out.buffer]);
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.stack) || e) });
  }
});
`;

type Pending = { resolve: (b: Uint8Array) => void; reject: (e: Error) => void };

/** A set of worker threads computing s * g for G1/G2 generator g (see the module header). */
export class FixedBasePool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private readonly idle: Worker[];
  private readonly queue: { id: number; group: Group; scalars: Uint8Array }[] = [];
  private nextId = 0;
  private closed = false;

  private constructor(w: Wasm, threads: number, WBITS: WindowBits) {
    const WINDOWS = 256 / WBITS;
    this.workers = Array.from({ length: threads }, () => {
      const wk = new Worker(WORKER_SRC, {
        eval: true,
        workerData: { module: w.module, pG1gen: w.pG1gen, pG2gen: w.pG2gen, WBITS, WINDOWS, CHUNK },
      });
      wk.unref();
      wk.on("message", (m: { id: number; out?: Uint8Array; error?: string }) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        this.idle.push(wk);
        this.pump();
        if (!p) return;
        if (m.error !== undefined) p.reject(new FixedBaseError("fixed-base worker failed", { error: m.error }));
        else p.resolve(m.out!);
      });
      wk.on("error", (e) => this.failAll(e));
      return wk;
    });
    this.idle = [...this.workers];
  }

  /**
   * `windowBits` 16 halves the additions per point (16 instead of 32; measured 19 vs 25 µs per G1
   * point, 54 vs 96 µs per G2 point, one thread) but each worker first spends ~8 s CPU on its
   * tables: worth it for a dev ptau from ~2^17 on (devptau.ts).
   */
  static async create(opts: { threads?: number; windowBits?: WindowBits } = {}): Promise<FixedBasePool> {
    const threads = opts.threads ?? availableParallelism();
    const wbits = opts.windowBits ?? 8;
    if (!Number.isInteger(threads) || threads < 1) throw new FixedBaseError("threads must be >= 1", { threads });
    if (wbits !== 8 && wbits !== 16) throw new FixedBaseError("windowBits must be 8 or 16", { windowBits: wbits });
    return new FixedBasePool(await bn128Wasm(), threads, wbits);
  }

  private failAll(e: unknown): void {
    for (const p of this.pending.values())
      p.reject(new FixedBaseError("fixed-base worker crashed", { error: String(e) }));
    this.pending.clear();
  }

  private pump(): void {
    while (this.idle.length && this.queue.length) {
      const job = this.queue.shift()!;
      const wk = this.idle.pop()!;
      wk.postMessage(job, [job.scalars.buffer as ArrayBuffer]);
    }
  }

  private run(group: Group, scalars: Uint8Array): Promise<Uint8Array> {
    const id = this.nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.queue.push({ id, group, scalars });
      this.pump();
    });
  }

  /** s_i * g for every 32-byte Montgomery scalar in `scalarsM` (n affine LEM points). */
  async mul(group: Group, scalarsM: Uint8Array): Promise<Uint8Array> {
    if (this.closed) throw new FixedBaseError("pool is closed", {});
    if (scalarsM.byteLength % 32 !== 0)
      throw new FixedBaseError("scalar buffer is not a multiple of 32 bytes", { bytes: scalarsM.byteLength });
    const sA = group === "G1" ? 64 : 128;
    const n = scalarsM.byteLength / 32;
    const out = new Uint8Array(n * sA);
    const jobs: Promise<void>[] = [];
    for (let start = 0; start < n; start += CHUNK) {
      const k = Math.min(CHUNK, n - start);
      // a copy per chunk: the chunk's buffer is transferred to the worker
      const part = scalarsM.slice(start * 32, (start + k) * 32);
      jobs.push(this.run(group, part).then((r) => out.set(r, start * sA)));
    }
    await Promise.all(jobs);
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** One-off `s_i * g` (creates and closes a pool; use FixedBasePool for repeated calls). */
export async function fixedBaseMul(group: Group, scalarsM: Uint8Array): Promise<Uint8Array> {
  const pool = await FixedBasePool.create();
  try {
    return await pool.mul(group, scalarsM);
  } finally {
    await pool.close();
  }
}
