/**
 * Constraint report of the block-table circuit (rv32im_blk.circom, variants blkCapsFor) and the
 * per-step cost on real guests when every window takes the cheapest registered circuit that fits
 * (zk/witness-input.ts cheapestCircuitFor: table circuits in the order of `tableCircuitsFor(m)`,
 * else rv32im lite/full), written to bench/results/zk-steps.json (rows `zk.blk*`):
 *  - r1cs constraint counts of RvStepsBlk(m, blkCapsFor(m, v)) for m = 16, 32, 64 (compiled,
 *    cached under .cache/zk-circuits/; m = 64 compiles are heavy: run them niced on a quiet machine);
 *  - the word-table variants (mem, memio, memwide) at their measured counts (rows
 *    `zk.<variant>.constraints.m=<m>` of zk-steps.json, written by zk/circuits/mem/report.ts);
 *  - per guest run (first `--max` steps) every window t = 0, m, 2m, ...: the same fit rules as
 *    blk/input.ts and mem/input.ts, from the window statistics of mem/window-stats.ts. Average
 *    constraints per step with the block variants vs without them (today's choice).
 * rv32im counts: 18,694 + 12,880 m (full) / 9,601 m (lite), as in mem/report.ts.
 *
 * `--affine 64`: counts for those m from compiles at m = 2 and 3 with the same capacities,
 * C(m) = C(2) + (m - 2)(C(3) - C(2)): exact, the circuit is uniform per step (every step has the
 * same lookups; checked against the compiled blk m = 16 and blkio m = 32 counts); for when a
 * heavy compile cannot run.
 *
 * Usage: npx tsx zk/circuits/blk/report.ts [--max N] [--ms 16,32,64] [--affine 64] [--no-nodes]
 */
import { execSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import type { MachineOptions } from "../../../vm/machine.ts";
import { tableCircuitsFor } from "../../witness-input.ts";
import {
  BLK_VARIANTS,
  MEM_VARIANTS,
  REPO_ROOT,
  blkCapsFor,
  compileBlk,
  memCapsFor,
  tableConstraints,
} from "../build.ts";
import { r1csInfo } from "../harness.ts";
import { fits as memFitsStat, nodeRuns, recordRun, windowStat, type StepRec } from "../mem/window-stats.ts";
import { blkFitsStat } from "./input.ts";
import type { BenchResult } from "../../../scripts/bench.ts";

const FIXED = 18_694;
const FULL_STEP = 12_880;
const LITE_STEP = 9_601;

const arg = (k: string, d: string) => {
  const i = process.argv.indexOf(k);
  return i >= 0 ? process.argv[i + 1]! : d;
};
const max = Number(arg("--max", "300000"));
const ms = arg("--ms", "16,32,64").split(",").map(Number);
const affine = arg("--affine", "").split(",").filter(Boolean).map(Number);

type Row = BenchResult;

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = join(REPO_ROOT, "bench", "results", "zk-steps.json");
  const prev = JSON.parse(readFileSync(file, "utf8")) as { results: Row[] };
  const results: Row[] = [];
  const counts = new Map<string, number>();
  for (const m of ms) {
    for (const v of MEM_VARIANTS) {
      const row = prev.results.find((r) => r.name === `zk.${v}.constraints.m=${m}`);
      counts.set(`${m}:rv32im_${v}`, row ? row.value : tableConstraints(m, memCapsFor(m, v)));
    }
    for (const v of BLK_VARIANTS) {
      const caps = blkCapsFor(m, v);
      let n: number;
      let how: string;
      if (affine.includes(m)) {
        const [a2, a3] = [r1csInfo((await compileBlk(2, caps)).r1cs), r1csInfo((await compileBlk(3, caps)).r1cs)];
        n = a2.nConstraints + (m - 2) * (a3.nConstraints - a2.nConstraints);
        how = `affine from compiled m = 2 (${a2.nConstraints}) and 3 (${a3.nConstraints}) with these capacities`;
      } else {
        const art = await compileBlk(m, caps);
        n = r1csInfo(art.r1cs).nConstraints;
        how = `compiled, ${art.compileSeconds.toFixed(0)} s wall`;
      }
      counts.set(`${m}:rv32im_${v}`, n);
      const io = caps.A > 0;
      const base = FIXED + (io ? FULL_STEP : LITE_STEP) * m;
      results.push({
        name: `zk.${v}.constraints.m=${m}`,
        compares: `r1cs constraints of RvStepsBlk(${m}, ${JSON.stringify(caps)}) (${v}) vs RvSteps(${m}) ${io ? "full" : "lite"}`,
        value: n,
        unit: "constraints",
        baseline: base,
        ratio: n / base,
        notes: `${Math.round(n / m)} per step incl. fixed, ${Math.round((n - FIXED) / m)} excl. the ${FIXED} fixed; estimate ${tableConstraints(m, caps)}; ${how}`,
      });
      console.log(`${v} m=${m}: ${n} (estimate ${tableConstraints(m, caps)}; ${how})`);
    }
  }

  const runs: [string, string, MachineOptions][] = [
    ["matmul_int", "vm/guests/bin/matmul_int.elf", {}],
    ["sort", "vm/guests/bin/sort.elf", {}],
    ["crc32", "vm/guests/bin/crc32.elf", {}],
  ];
  if (!process.argv.includes("--no-nodes"))
    for (const [n, o] of await nodeRuns()) runs.push([n, "ml/guests/bin/node.elf", o]);
  const ids = (m: number) => tableCircuitsFor(m).map((x) => x.id);
  const table: string[] = [];
  for (const [name, elf, opts] of runs) {
    const r = await recordRun(join(REPO_ROOT, elf), opts, max);
    for (const m of ms) {
      const order = ids(m);
      const use = new Map<string, number>();
      let n = 0,
        total = 0,
        baseTotal = 0;
      for (let t = 0; t + m <= r.n; t += m) {
        n++;
        const s = windowStat(r, t, m);
        const rv = FIXED + (s.aux ? FULL_STEP : LITE_STEP) * m;
        const fit = (id: string) => {
          const v = id.slice(7);
          return (BLK_VARIANTS as readonly string[]).includes(v)
            ? blkFitsStat(r, t, m, blkCapsFor(m, v as (typeof BLK_VARIANTS)[number]))
            : memFitsStat(s, memCapsFor(m, v as (typeof MEM_VARIANTS)[number]));
        };
        const id = order.find(fit);
        const key = id ?? (s.aux ? "full" : "lite");
        use.set(key, (use.get(key) ?? 0) + 1);
        total += id ? counts.get(`${m}:${id}`)! : rv;
        const old = order.filter((x) => !/_blk/.test(x)).find(fit);
        baseTotal += old ? counts.get(`${m}:${old}`)! : rv;
      }
      if (n === 0) continue;
      const per = total / (n * m),
        base = baseTotal / (n * m);
      const mix = [
        ...order.map((id) => `${id.slice(7)} ${use.get(id) ?? 0}`),
        `lite ${use.get("lite") ?? 0}`,
        `full ${use.get("full") ?? 0}`,
      ];
      results.push({
        name: `zk.blk.avg_constraints_per_step.${name}.m=${m}`,
        compares:
          "cheapest circuit per window (block + word-table variants, rv32im lite/full) vs word-table variants and rv32im only",
        value: Math.round(per),
        unit: "constraints/step",
        baseline: Math.round(base),
        ratio: per / base,
        notes: `${r.n} steps${r.n >= max ? ` (first ${max})` : ""}, ${n} windows: ${mix.join(", ")}`,
      });
      const pc = (k: string) => `${Math.round((100 * (use.get(k) ?? 0)) / n)}%`;
      table.push(
        `| ${name} | ${m} | ${r.n}${r.n >= max ? "*" : ""} | ${n} | ${["blk", "blkio", "blkmem", "blkwide"].map((v) => pc(`rv32im_${v}`)).join(" | ")} | ${["mem", "memio", "memwide"].map((v) => pc(`rv32im_${v}`)).join(" | ")} | ${pc("lite")} | ${pc("full")} | **${Math.round(per).toLocaleString("en-US")}** | ${Math.round(base).toLocaleString("en-US")} |`,
      );
    }
  }

  const commit = execSync("git rev-parse --short HEAD", { cwd: REPO_ROOT }).toString().trim();
  const kept = prev.results.filter(
    (r) => !/^zk\.blk/.test(r.name) && !BLK_VARIANTS.some((v) => r.name.startsWith(`zk.${v}.`)),
  );
  const out = {
    machine: {
      cpus: cpus().length,
      memGiB: +(totalmem() / 2 ** 30).toFixed(1),
      node: process.version,
      date: new Date().toISOString().slice(0, 10),
      commit,
    },
    file: "zk/circuits/mem/report.ts, zk/circuits/blk/report.ts",
    results: [...kept, ...results],
  };
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  console.log(
    "| guest | m | steps | windows | blk | blkio | blkmem | blkwide | mem | memio | memwide | lite | full | avg constraints/step | without blk |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  console.log(table.join("\n"));
}
