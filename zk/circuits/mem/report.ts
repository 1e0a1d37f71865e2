/**
 * Constraint report of the table circuit (rv32im_mem / rv32im_memio) and its per-step cost on real
 * guests, written to bench/results/zk-steps.json:
 *  - r1cs constraint counts of RvStepsMem(m, memCapsFor(m[, io])) for m = 16, 32, 64 (compiled,
 *    cached under .cache/zk-circuits/), total / m and (total - fixed) / m;
 *  - for each guest run (first `--max` steps, default 300,000), every window t = 0, m, 2m, ... is
 *    assigned the cheapest circuit that proves it (zk/witness-input.ts cheapestCircuitFor, same fit
 *    rule via window statistics): mem, memio, else rv32im lite / full. Average constraints per step.
 * rv32im counts are 18,694 + 12,880 m (full) / 9,601 m (lite): measured for m <= 16
 * (zk/CONSTRAINTS.md); the circuit is uniform in m, so m = 32, 64 follow from the same per-step
 * count (not compiled here).
 *
 * Usage: npx tsx zk/circuits/mem/report.ts [--max N] [--ms 16,32,64] [--no-nodes]
 */
import { writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cpus, totalmem } from "node:os";
import { execSync } from "node:child_process";
import { compileMem, memCapsFor, MEM_VARIANTS, REPO_ROOT } from "../build.ts";
import { r1csInfo } from "../harness.ts";
import { recordRun, windowStat, fits, nodeRuns, type StepRec } from "./window-stats.ts";
import type { MachineOptions } from "../../../vm/machine.ts";
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

type Row = BenchResult;
const results: Row[] = [];
const counts = new Map<string, number>();
for (const m of ms) {
  for (const id of MEM_VARIANTS) {
    const io = id !== "mem";
    const caps = memCapsFor(m, id);
    const art = await compileMem(m, caps);
    const n = r1csInfo(art.r1cs).nConstraints;
    counts.set(`${m}:${id}`, n);
    results.push({
      name: `zk.${id}.constraints.m=${m}`,
      compares: `r1cs constraints of RvStepsMem(${m}, C=${caps.C}, KR=${caps.KR}, KW=${caps.KW}, H=${caps.H}, A=${caps.A}) (${id}) vs RvSteps(${m}) ${io ? "full" : "lite"}`,
      value: n,
      unit: "constraints",
      baseline: FIXED + (io ? FULL_STEP : LITE_STEP) * m,
      ratio: n / (FIXED + (io ? FULL_STEP : LITE_STEP) * m),
      notes: `${Math.round(n / m)} per step incl. fixed, ${Math.round((n - FIXED) / m)} excl. the ${FIXED} fixed (state roots at both ends); compile ${art.compileSeconds.toFixed(0)} s wall`,
    });
  }
}

const runs: [string, string, MachineOptions][] = [
  ["matmul_int", "vm/guests/bin/matmul_int.elf", {}],
  ["sort", "vm/guests/bin/sort.elf", {}],
  ["crc32", "vm/guests/bin/crc32.elf", {}],
];
if (!process.argv.includes("--no-nodes"))
  for (const [n, o] of await nodeRuns()) runs.push([n, "ml/guests/bin/node.elf", o]);
const table: string[] = [];
for (const [name, elf, opts] of runs) {
  const r: StepRec = await recordRun(join(REPO_ROOT, elf), opts, max);
  for (const m of ms) {
    const caps = MEM_VARIANTS.map((v) => memCapsFor(m, v));
    let n = 0,
      lite = 0,
      full = 0,
      total = 0;
    const k = MEM_VARIANTS.map(() => 0);
    for (let t = 0; t + m <= r.n; t += m) {
      const s = windowStat(r, t, m);
      n++;
      const i = caps.findIndex((c) => fits(s, c));
      if (i >= 0) {
        k[i]!++;
        total += counts.get(`${m}:${MEM_VARIANTS[i]}`)!;
      } else if (s.aux) {
        full++;
        total += FIXED + FULL_STEP * m;
      } else {
        lite++;
        total += FIXED + LITE_STEP * m;
      }
    }
    const [a, b, c] = k as [number, number, number];
    if (n === 0) continue;
    const per = total / (n * m);
    // baseline: today's choice per window (lite unless the window reads input/blob data)
    let baseTotal = 0;
    for (let t = 0; t + m <= r.n; t += m)
      baseTotal += windowStat(r, t, m).aux ? FIXED + FULL_STEP * m : FIXED + LITE_STEP * m;
    const baseline = baseTotal / (n * m);
    results.push({
      name: `zk.mem.avg_constraints_per_step.${name}.m=${m}`,
      compares: "cheapest circuit per window (mem, memio, rv32im lite/full) vs rv32im lite/full only",
      value: Math.round(per),
      unit: "constraints/step",
      baseline: Math.round(baseline),
      ratio: per / baseline,
      notes: `${r.n} steps${r.n >= max ? ` (first ${max})` : ""}, ${n} windows: mem ${a}, memio ${b}, memwide ${c}, lite ${lite}, full ${full}`,
    });
    const pc = (x: number) => `${((100 * x) / n).toFixed(0)}%`;
    table.push(
      `| ${name} | ${m} | ${r.n}${r.n >= max ? "*" : ""} | ${n} | ${pc(a)} | ${pc(b)} | ${pc(c)} | ${pc(lite)} | ${pc(full)} | ${Math.round(per).toLocaleString("en-US")} | ${Math.round(baseline).toLocaleString("en-US")} |`,
    );
  }
}

const commit = execSync("git rev-parse --short HEAD", { cwd: REPO_ROOT }).toString().trim();
const out = {
  machine: {
    cpus: cpus().length,
    memGiB: +(totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    date: new Date().toISOString().slice(0, 10),
    commit,
  },
  file: "zk/circuits/mem/report.ts",
  results,
};
const file = join(REPO_ROOT, "bench", "results", "zk-steps.json");
let prev: { results?: Row[] } = {};
try {
  prev = JSON.parse(readFileSync(file, "utf8"));
} catch {
  /* first run */
}
// keep measured setup/prove rows written by bench.ts,
// and the block-variant rows written by zk/circuits/blk/report.ts
const kept = (prev.results ?? []).filter(
  (r) =>
    /\.(setup_s|prove_s|prove_rss_mb|setup_rss_mb|ptau_s)\./.test(r.name) || /^zk\.blk(io|mem|wide)?\./.test(r.name),
);
out.results.push(...kept);
writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
console.log(
  results
    .filter((r) => r.unit === "constraints")
    .map((r) => `${r.name}: ${r.value} (${r.notes})`)
    .join("\n"),
);
console.log(
  "| guest | m | steps | windows | mem | memio | memwide | lite | full | avg constraints/step | rv32im only |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
);
console.log(table.join("\n"));
