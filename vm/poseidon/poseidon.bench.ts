/**
 * Benchmark: Poseidon P2 / P4 hashes per second of the native addon (per-call bigint API and batch
 * limb API) against circomlibjs' wasm `buildPoseidon` (the fallback backend), measured in the same
 * run. Rounds alternate between implementations and the best round of each counts, so a burst of
 * load from other processes on this shared machine hits both sides alike. Time is this process's
 * CPU time (process.cpuUsage), which excludes time-slicing by other processes but not contention
 * for a shared core; the multi-threaded batch row uses wall time (CPU time would add up threads),
 * so it is only as good as the cores other processes leave free.
 *
 * Run alone: npx tsx vm/poseidon/poseidon.bench.ts [--heavy]
 */
import { availableParallelism, cpus } from "node:os";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { loadNative, toLimbs, type NativePoseidon } from "./native/binding.ts";
import { FIELD_MODULUS } from "./index.ts";
import { Rng } from "../../lib/rng.ts";

export type BenchResult = {
  name: string;
  compares: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  notes?: string;
};

type Wasm = ((xs: bigint[]) => unknown) & { F: { toObject(x: unknown): bigint } };

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

const wallSeconds = () => performance.now() / 1000;

/** Hashes per second of `run(k)` (which does k hashes) on `clock`, calibrated to ~`seconds` per round. */
function rate(run: (k: number) => void, seconds: number, clock: () => number = cpuSeconds): number {
  let k = 16;
  for (;;) {
    const t0 = clock();
    run(k);
    const dt = clock() - t0;
    if (dt >= seconds) return k / dt;
    k = dt < seconds / 16 ? k * 8 : Math.ceil((k * seconds * 1.1) / Math.max(dt, 1e-4));
  }
}

function inputs(n: number, seed: number): bigint[] {
  // deterministic, full-width field elements (only a workload, not a test oracle)
  const rng = new Rng(seed + 1);
  return Array.from({ length: n }, () => rng.bigBelow(FIELD_MODULUS));
}

export async function bench(opts: { heavy: boolean }): Promise<BenchResult[]> {
  const require = createRequire(import.meta.url);
  const { buildPoseidon } = require("circomlibjs") as { buildPoseidon: () => Promise<Wasm> };
  const wasm = await buildPoseidon();
  const nat: NativePoseidon | undefined = loadNative();
  const roundSeconds = opts.heavy ? 1.0 : 0.15;
  const rounds = opts.heavy ? 5 : 2;
  const batchN = 4096;
  const threads = Math.min(availableParallelism(), 8);
  const machine = `${cpus()[0]?.model ?? "?"} x${cpus().length}, node ${process.version}`;
  const results: BenchResult[] = [];

  for (const arity of [2, 4] as const) {
    const xs = inputs(arity * batchN, arity);
    const limbs = new BigUint64Array(4 * arity * batchN);
    xs.forEach((x, k) => toLimbs(x, limbs, k));
    const out = new BigUint64Array(4 * batchN);
    const F = wasm.F;
    let sink = 0n;

    const impls: Record<string, (k: number) => void> = {
      wasm: (k) => {
        for (let i = 0; i < k; i++) {
          const j = (i % batchN) * arity;
          sink ^= F.toObject(wasm(xs.slice(j, j + arity)));
        }
      },
    };
    if (nat) {
      impls.call =
        arity === 2
          ? (k) => {
              for (let i = 0; i < k; i++) {
                const j = (i % batchN) * 2;
                sink ^= nat.hash2(xs[j]!, xs[j + 1]!);
              }
            }
          : (k) => {
              for (let i = 0; i < k; i++) {
                const j = (i % batchN) * 4;
                sink ^= nat.hash4(xs[j]!, xs[j + 1]!, xs[j + 2]!, xs[j + 3]!);
              }
            };
      impls.batch = (k) => {
        for (let done = 0; done < k; done += batchN) {
          const n = Math.min(batchN, k - done);
          if (arity === 2) nat.hash2Batch(limbs, out, n);
          else nat.hash4Batch(limbs, out, n);
        }
        sink ^= out[0]!;
      };
      if (threads > 1)
        impls.mt = (k) => {
          for (let done = 0; done < k; done += batchN) {
            const n = Math.min(batchN, k - done);
            if (arity === 2) nat.hash2Batch(limbs, out, n, threads);
            else nat.hash4Batch(limbs, out, n, threads);
          }
          sink ^= out[0]!;
        };
    }

    const best: Record<string, number> = {};
    for (let r = 0; r < rounds; r++)
      for (const [name, run] of Object.entries(impls))
        best[name] = Math.max(best[name] ?? 0, rate(run, roundSeconds, name === "mt" ? wallSeconds : cpuSeconds));
    if (sink === -1n) console.log(sink); // keep the work observable

    const P = `P${arity}`;
    results.push({
      name: `poseidon.${P}.wasm`,
      compares: `circomlibjs buildPoseidon (wasm) ${P}, bigint in/out`,
      value: Math.round(best.wasm!),
      unit: "hash/s",
      notes: machine,
    });
    if (nat) {
      for (const [key, what] of [
        ["call", "per-call bigint API"],
        ["batch", `batch limb API, ${batchN} hashes per call`],
        ["mt", `batch limb API on ${threads} threads (wall time)`],
      ] as const) {
        if (best[key] === undefined) continue;
        results.push({
          name: `poseidon.${P}.native.${key}`,
          compares: `native addon (${nat.impl}) ${what} vs circomlibjs wasm ${P}`,
          value: Math.round(best[key]!),
          unit: "hash/s",
          baseline: Math.round(best.wasm!),
          ratio: Number((best[key]! / best.wasm!).toFixed(2)),
          notes: `${machine}; best of ${rounds} alternating rounds, ${key === "mt" ? "wall" : "CPU"} time`,
        });
      }
    }
  }
  if (!nat)
    results.push({
      name: "poseidon.native",
      compares: "native addon",
      value: 0,
      unit: "hash/s",
      notes: "addon not built",
    });
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const res = await bench({ heavy: process.argv.includes("--heavy") });
  for (const r of res)
    console.log(
      `${r.name.padEnd(28)} ${String(r.value).padStart(9)} ${r.unit}` +
        (r.ratio !== undefined ? `   x${r.ratio} vs wasm ${r.baseline}` : ""),
    );
}
