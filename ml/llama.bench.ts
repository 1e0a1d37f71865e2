/**
 * LLaMA-scale benchmarks (issue 16): per shape, in its own child process (ml/models/llama/measure.ts,
 * so peak RSS is the shape's own): native s/token, graph nodes per token, weight tiles, VM steps
 * of disputed nodes (final ARGMAX, largest matmul tile), rounds per phase (k = 3, m = 1), model
 * commitment time (first run and cached) against the Poseidon bench's P4 rate, and for the shapes
 * run end to end the dispute on anvil (wall time, gas per phase, leaf proof time).
 *
 * Light: stories15M end to end (model commitment from the disk cache when present; the first-run
 * figure is whatever this run measured, flagged by `cached`; `:fresh` below forces a first run). Heavy (`--heavy`): stories15M with a
 * fresh cache dir (first-run commitment), stories110M and TinyLlama-1.1B natively with a
 * commitment sample (>= 16 MiB of weight tiles hashed; full time extrapolated and marked so).
 * `ZKFP_LLAMA_SHAPES=a,b` and `ZKFP_LLAMA_MODE=<shape>:<full|sample|none>[:demo][:fresh],...`
 * override the selection.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchResult } from "../scripts/bench.ts";

type Plan = { shape: string; commit: string; demo: boolean; fresh: boolean; rows?: boolean; compare?: boolean };

function plans(heavy: boolean): Plan[] {
  const env = process.env.ZKFP_LLAMA_MODE;
  if (env)
    return env.split(",").map((s) => {
      const [shape, commit, ...f] = s.split(":");
      return {
        shape: shape!,
        commit: commit ?? "full",
        demo: f.includes("demo"),
        fresh: f.includes("fresh"),
        rows: f.includes("rows"),
        compare: f.includes("compare"),
      };
    });
  const p: Plan[] = [{ shape: "stories15M", commit: "full", demo: true, fresh: heavy, compare: true }];
  if (heavy)
    p.push(
      { shape: "stories110M", commit: "sample", demo: true, fresh: false, rows: true },
      { shape: "TinyLlama-1.1B", commit: "sample", demo: true, fresh: false, rows: true },
    );
  return p;
}

function poseidonP4Rate(): number | undefined {
  const f = join(import.meta.dirname, "../bench/results/poseidon.json");
  if (!existsSync(f)) return undefined;
  const j = JSON.parse(readFileSync(f, "utf8")) as { results: { name: string; value: number }[] };
  return j.results.find((r) => r.name === "poseidon.P4.native.batch")?.value;
}

export async function bench({ heavy }: { heavy: boolean }): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const p4 = poseidonP4Rate();
  for (const p of plans(heavy)) {
    const args = [
      "tsx",
      join(import.meta.dirname, "models/llama/measure.ts"),
      "--shape",
      p.shape,
      "--commit",
      p.commit,
      "--sample-mib",
      "16",
      ...(p.demo ? ["--demo"] : []),
      ...(p.fresh ? ["--fresh"] : []),
    ];
    const child = (argv: string[], env: NodeJS.ProcessEnv = process.env) => {
      const t0 = performance.now();
      const r = spawnSync("npx", argv, {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        maxBuffer: 1 << 26,
        env,
      });
      if (r.status !== 0) throw new Error(`measure ${p.shape} failed (${r.status})`);
      return { m: JSON.parse(r.stdout.trim().split("\n").at(-1)!), wall: (performance.now() - t0) / 1000 };
    };
    if (p.rows && args.includes("--demo")) args.splice(args.indexOf("--demo"), 1);
    if (p.compare) args.push("--compare");
    const { m, wall } = child(args);
    if (p.rows) {
      // the dispute over the shape's repeated-row checkpoint (synthetic.ts repeatRows), in its own
      // process: the graph and the game of the shape, its commitment hashing one tile per tile size
      const dir = mkdtempSync(join(tmpdir(), "zkfp-llama-rows-"));
      try {
        const file = join(dir, `${p.shape}-rows.bin`);
        child(["tsx", join(import.meta.dirname, "models/llama/measure.ts"), "--shape", p.shape, "--write-rows", file], {
          ...process.env,
          ZKFP_CHECKPOINT: "",
        });
        const d = child(
          ["tsx", join(import.meta.dirname, "models/llama/measure.ts"), "--shape", p.shape, "--demo-only"],
          { ...process.env, ZKFP_CHECKPOINT: file },
        );
        m.demo = d.m.demo;
        m.demoRssMiB = d.m.maxRssMiB;
        m.demoChildWall = d.wall;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const s = p.shape;
    const add = (name: string, compares: string, value: number, unit: string, extra: Partial<BenchResult> = {}) =>
      out.push({ name: `llama.${s}.${name}`, compares, value, unit, ...extra });
    add("params", "parameters (weights)", m.params, "count");
    add("native_s_per_token", "native TS tiled graph, no commitments, 1 position from BOS", m.nativeSPerToken, "s", {
      notes: `weights ${m.loadS.toFixed(1)} s, graph build ${m.buildS.toFixed(2)} s`,
    });
    add("ops_per_token", "graph op nodes per token (phase-1 steps at 1 position)", m.nodes.opsPerToken, "nodes");
    add(
      "weight_tiles",
      "const nodes (weight tiles, <= 256 KiB each; embedding tables <= 1 MiB)",
      m.nodes.weightTiles,
      "nodes",
      { notes: `${(m.constBytes / 2 ** 20).toFixed(1)} MiB committed, ${m.blobHashes} P4 hashes` },
    );
    add("rounds_phase1", "phase-1 rounds, k = 3, m = 1", m.roundsPhase1, "rounds");
    add(
      "argmax_node_steps",
      "VM steps of the final ARGMAX node (the demo's disputed node)",
      m.disputed.argmax.steps,
      "steps",
      { notes: `phase-2 rounds ${m.disputed.argmax.roundsPhase2}; VM ${m.disputed.argmax.vmS.toFixed(2)} s` },
    );
    add(
      "largest_tile_steps",
      "VM steps of the largest matmul tile (bound 2^24)",
      m.disputed.largestTile.steps,
      "steps",
      {
        baseline: 2 ** 24,
        ratio: m.disputed.largestTile.steps / 2 ** 24,
        notes: `${m.disputed.largestTile.node} ${JSON.stringify(m.disputed.largestTile.params)}; phase-2 rounds ${m.disputed.largestTile.roundsPhase2}`,
      },
    );
    if (m.commitFirst) {
      add(
        "commitment_first_s",
        "model commitment, all weight tiles hashed (or read from cache: see notes)",
        m.commitFirst.seconds,
        "s",
        {
          notes: `cached=${m.commitFirst.cached}${m.commitFirst.hashesPerS ? `, ${m.commitFirst.hashesPerS.toFixed(0)} P4/s` : ""}`,
        },
      );
      if (m.commitFirst.hashesPerS)
        add(
          "commitment_p4_rate",
          "P4 hashes/s in the model commitment (2 threads) vs the addon's raw batch P4, 1 thread, best of 5 bursts in the same process",
          m.commitFirst.hashesPerS,
          "hash/s",
          {
            baseline: m.rawP4PerS,
            ratio: m.commitFirst.hashesPerS / m.rawP4PerS,
            notes: p4 ? `Poseidon bench (bench/results/poseidon.json, P4 native batch): ${p4.toFixed(0)} hash/s` : "",
          },
        );
      add(
        "commitment_cached_s",
        "model commitment from the disk cache (SHA-256 key of the weights + JSON read)",
        m.commitCached.seconds,
        "s",
      );
      add(
        "committed_forward_s",
        "native forward with a Poseidon leaf and graph root per node (const leaves from the commitment)",
        m.committedForwardS,
        "s",
      );
    }
    if (m.commitCompare) {
      const c = m.commitCompare;
      add(
        "commitment_grouped_vs_per_blob",
        "model-commitment hashing, P4/s: blobs grouped, one batch call per tree level (model.ts now) vs blob by blob (before), same tiles, 2 threads, best of 2 alternating rounds",
        c.afterPerS,
        "hash/s",
        {
          baseline: c.beforePerS,
          ratio: c.afterPerS / c.beforePerS,
          notes: `${c.blobs} tiles (every 6th), ${(c.bytes / 2 ** 20).toFixed(1)} MiB, ${c.hashes} P4 hashes; leaves equal`,
        },
      );
    }
    if (m.commitSample) {
      add(
        "commitment_sample_rate",
        "P4 hashes/s hashing the first >= 16 MiB of weight tiles (2 threads) vs the raw batch P4, 1 thread, best of 5 bursts in the same process",
        m.commitSample.hashesPerS,
        "hash/s",
        {
          baseline: m.rawP4PerS,
          ratio: m.commitSample.hashesPerS / m.rawP4PerS,
          notes: p4 ? `Poseidon bench P4 native batch: ${p4.toFixed(0)} hash/s` : "",
        },
      );
      add(
        "commitment_estimated_s",
        "ESTIMATED full model commitment: all blob hashes / sampled rate (not run in full)",
        m.commitSample.estimatedFullS,
        "s",
      );
    }
    if (m.demo) {
      const d = m.demo;
      add(
        "dispute_wall_s",
        `end-to-end dispute on anvil (claimer lies, k = 3, m = 1 one-step leaf), incl. model load + commitment${p.rows ? " (repeated-row checkpoint: every tile size hashed once)" : " (commitment from the disk cache when present)"}`,
        d.wallS,
        "s",
        {
          notes: `honest won: ${d.honestWon}; weights ${p.rows ? "repeated-row checkpoint" : d.weights}; model ${d.timings.model.toFixed(1)} s, deploy ${d.timings.deploy.toFixed(1)} s, game ${d.timings.game.toFixed(1)} s, prove ${d.timings.prove.toFixed(2)} s`,
        },
      );
      if (m.demoRssMiB)
        add("dispute_peak_rss", "peak RSS of the dispute's own process (demo only)", m.demoRssMiB / 1024, "GiB", {
          notes: `child wall ${m.demoChildWall.toFixed(0)} s`,
        });
      if (d.disputedNode)
        add(
          "dispute_node_steps",
          "VM steps of the node the dispute opened (phase-2 N)",
          Number(d.phases[1]?.steps ?? 0),
          "steps",
          { notes: `node ${d.disputedNode.node}, op code ${d.disputedNode.op}` },
        );
      d.phases.forEach((ph: { name: string; steps: string; rounds: number }, i: number) =>
        add(
          `dispute_rounds_phase${i + 1}`,
          `rounds played in phase ${i + 1} (${ph.name}, N = ${ph.steps})`,
          ph.rounds,
          "rounds",
        ),
      );
      for (const [ph, gas] of Object.entries(d.gasByPhase as Record<string, string>))
        add(
          `dispute_gas_phase${Number(ph) + 1}`,
          `gas of the game moves in phase ${Number(ph) + 1} (demo move records, phase index ${ph})`,
          Number(gas),
          "gas",
        );
      add(
        "dispute_gas_total",
        "gas of the dispute without the contract deployments: claim, challenge, every move, link, leaf, timeout, withdrawals",
        Number(d.gasTotal) - Number(d.gas.deploy),
        "gas",
        {
          notes: `claimer ${d.gas.claimer}, challenger ${d.gas.challenger}, referee ${d.gas.referee}; ${d.moves} moves; deployments ${d.gas.deploy}`,
        },
      );
      if (d.proof) add("leaf_proof_s", `leaf proof (${d.proof.kind})`, d.proof.seconds, "s");
    }
    add("peak_rss", "peak RSS of the shape's measuring process", m.maxRssMiB / 1024, "GiB", {
      notes: `child wall ${wall.toFixed(0)} s`,
    });
  }
  return out;
}
