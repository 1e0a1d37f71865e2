/**
 * `npm run bench [-- --heavy] [-- --only PATTERN]`: runs every `*.bench.ts` of the project (each
 * exports `bench({ heavy }): Promise<BenchResult[]>`), writes one machine-readable file per bench
 * (bench/results/<file>.json), the combined bench/results/all.json, and a summary table
 * (bench/results/SUMMARY.md). Ratios are measured in the same run by each bench.
 */
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync, renameSync } from "node:fs";
import { join, relative, basename } from "node:path";
import os from "node:os";
import { execSync } from "node:child_process";

export type BenchResult = {
  name: string;
  compares: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  notes?: string;
};

const root = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const heavy = args.includes("--heavy") || process.env.ZKFP_HEAVY === "1";
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;

function find(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    if (f === "node_modules" || f.startsWith(".") || f === "contracts") continue;
    const p = join(dir, f);
    if (statSync(p).isDirectory()) find(p, out);
    else if (f.endsWith(".bench.ts")) out.push(p);
  }
  return out;
}

const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? "unknown",
  memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
  node: process.version,
  platform: `${os.platform()} ${os.arch()}`,
  date: new Date().toISOString().slice(0, 10),
  commit: (() => {
    try {
      return execSync("git rev-parse --short HEAD", { cwd: root }).toString().trim();
    } catch {
      return "unknown";
    }
  })(),
  heavy,
};

const outDir = join(root, "bench/results");
mkdirSync(outDir, { recursive: true });
const all: (BenchResult & { file: string })[] = [];
const files = find(root)
  .filter((f) => !only || f.includes(only))
  .sort();
for (const f of files) {
  const rel = relative(root, f);
  process.stderr.write(`== ${rel}\n`);
  const t0 = performance.now();
  try {
    const mod = await import(f);
    if (typeof mod.bench !== "function") {
      process.stderr.write(
        `  skipped: ${rel} exports no bench(); it is a stand-alone measurement script (see its header)\n`,
      );
      continue;
    }
    const results: BenchResult[] = await mod.bench({ heavy });
    const file = { machine, file: rel, seconds: (performance.now() - t0) / 1000, results };
    const target = join(outDir, basename(f).replace(/\.bench\.ts$/, ".json"));
    writeFileSync(target + ".tmp", JSON.stringify(file, null, 2) + "\n");
    renameSync(target + ".tmp", target);
    for (const r of results) {
      all.push({ ...r, file: rel });
      process.stderr.write(
        `  ${r.name}: ${fmt(r.value)} ${r.unit}${r.ratio !== undefined ? `  (ratio ${fmt(r.ratio)})` : ""}\n`,
      );
    }
  } catch (e) {
    process.stderr.write(`  FAILED: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  }
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a >= 1e6 ? x.toExponential(3) : a >= 100 ? x.toFixed(0) : a >= 1 ? x.toFixed(2) : x.toPrecision(3);
}

// the summary covers every per-bench file present (a partial `--only` run updates its own file)
{
  const merged: (BenchResult & { file: string; ranOn: string })[] = [];
  for (const f of readdirSync(outDir)
    .filter((x) => x.endsWith(".json") && x !== "all.json")
    .sort()) {
    const j = JSON.parse(readFileSync(join(outDir, f), "utf8")) as {
      machine: typeof machine;
      file: string;
      results: BenchResult[];
    };
    for (const r of j.results)
      merged.push({
        ...r,
        file: j.file,
        ranOn: `${j.machine.date} ${j.machine.commit}${j.machine.heavy ? " heavy" : ""}`,
      });
  }
  writeFileSync(join(outDir, "all.json"), JSON.stringify({ machine, results: merged }, null, 2) + "\n");
  const lines = [
    `# zkfp benchmark summary`,
    ``,
    `Machine: ${machine.cpus} x ${machine.cpuModel}, ${machine.memGiB} GiB, ${machine.platform}, Node ${machine.node}. Regenerate with \`npm run bench\` (heavy cases: \`npm run bench -- --heavy\`). Ratios are measured in the same run.`,
    ``,
    `| benchmark | compares | value | unit | baseline | ratio | notes | file, run |`,
    `| --- | --- | --- | --- | --- | --- | --- | --- |`,
    ...merged.map(
      (r) =>
        `| ${r.name} | ${r.compares} | ${fmt(r.value)} | ${r.unit} | ${r.baseline !== undefined ? fmt(r.baseline) : ""} | ${r.ratio !== undefined ? fmt(r.ratio) : ""} | ${(r.notes ?? "").replace(/\|/g, "/")} | ${r.file}, ${r.ranOn} |`,
    ),
  ];
  writeFileSync(join(outDir, "SUMMARY.md"), lines.join("\n") + "\n");
}
process.stdout.write(JSON.stringify({ machine, results: all.length, files: files.length }) + "\n");
// some benches use snarkjs, which keeps worker threads alive
(globalThis as any).curve_bn128?.terminate?.();
process.exit(process.exitCode ?? 0);
