/**
 * End-to-end demo times (demo/run.ts `runDemo`, a lying claimer, MNIST image 8000 / stories260K
 * prompt [1] one token), each on a fresh anvil started by the demo, wall seconds from the model run
 * to the last withdrawal, proof included.
 *
 *  default  MNIST and stories260K with the one-step verifier (m = 1), and MNIST + stories260K with
 *           the Groth16 m = 2 arbitrator and a lying challenger (so a real proof is made), setup
 *           from the cache (the first call in a clean tree pays the setup once; `notes` says so).
 *  heavy    the same Groth16 run with the setup NOT cached (a temporary ZKFP_CACHE_DIR holding only
 *           the dev ptau; the circom compile stays cached in .cache/zk-circuits) = the first run.
 *
 * Seed anchor: opML's MNIST challenge < 1 min on a local chain; goals: MNIST <= 15 s, stories260K
 * <= 60 s end to end with the setup cached. `baseline` is the anchor/goal in seconds.
 */
import { existsSync, mkdtempSync, mkdirSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cacheRoot } from "../zk/prover/snark.ts";
import { runDemo, type DemoOptions, type DemoReport } from "./run.ts";

type BenchResult = {
  name: string;
  compares: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  notes?: string;
};

async function timed(o: DemoOptions): Promise<{ s: number; r: DemoReport }> {
  const t0 = performance.now();
  const r = await runDemo(o);
  return { s: (performance.now() - t0) / 1000, r };
}

function line(name: string, s: number, r: DemoReport, goal: number, what: string): BenchResult {
  const t = r.timings;
  return {
    name,
    compares: `${what} vs the ${goal} s goal`,
    value: Number(s.toFixed(2)),
    unit: "s",
    baseline: goal,
    ratio: Number((s / goal).toFixed(3)),
    notes: `winner ${r.winner} (honest ${r.honestWon}); rounds ${r.phases.map((p) => `${p.rounds}/${p.steps}`).join(" + ")}; model ${t.model.toFixed(1)} s, setup ${t.setupCached === null ? "n/a" : t.setupCached ? "cached" : `${t.setup.toFixed(1)} s (not cached)`}, deploy ${t.deploy.toFixed(1)} s, game ${t.game.toFixed(1)} s, prove ${t.prove.toFixed(1)} s; gas ${r.gas.total}`,
  };
}

export async function bench(opts: { heavy: boolean }): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const base = { k: 3, phases: 2, backend: "groth16" } as const;
  {
    const { s, r } = await timed({ ...base, model: "mnist", liar: "claimer", m: 1 });
    out.push(line("demo mnist m=1 (one-step verifier), lying claimer", s, r, 15, "MNIST dispute end to end on anvil"));
  }
  {
    const { s, r } = await timed({ ...base, model: "stories260K", liar: "claimer", m: 1 });
    out.push(
      line(
        "demo stories260K m=1 (one-step verifier), lying claimer",
        s,
        r,
        60,
        "stories260K dispute end to end on anvil",
      ),
    );
  }
  {
    const { s, r } = await timed({ ...base, model: "mnist", liar: "challenger", m: 2 });
    out.push(
      line(
        "demo mnist groth16 m=2, lying challenger (proof made)",
        s,
        r,
        15,
        "MNIST dispute end to end incl. Groth16 proof",
      ),
    );
  }
  {
    const { s, r } = await timed({ ...base, model: "stories260K", liar: "challenger", m: 2 });
    out.push(
      line(
        "demo stories260K groth16 m=2, lying challenger (proof made)",
        s,
        r,
        60,
        "stories260K dispute end to end incl. Groth16 proof",
      ),
    );
  }
  if (opts.heavy) {
    const dir = mkdtempSync(join(tmpdir(), "zkfp-demo-bench-"));
    const prev = process.env.ZKFP_CACHE_DIR;
    try {
      const ptau = join(cacheRoot(), "ptau");
      mkdirSync(join(dir, "ptau"), { recursive: true });
      if (existsSync(ptau))
        for (const f of readdirSync(ptau)) if (f.endsWith(".ptau")) symlinkSync(join(ptau, f), join(dir, "ptau", f));
      process.env.ZKFP_CACHE_DIR = dir;
      const { s, r } = await timed({ ...base, model: "mnist", liar: "challenger", m: 2 });
      out.push(
        line(
          "demo mnist groth16 m=2, first run (setup not cached)",
          s,
          r,
          60,
          "MNIST dispute end to end, first run (Groth16 setup included)",
        ),
      );
    } finally {
      if (prev === undefined) delete process.env.ZKFP_CACHE_DIR;
      else process.env.ZKFP_CACHE_DIR = prev;
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}
