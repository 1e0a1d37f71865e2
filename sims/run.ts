/**
 * One entry point for all simulations: `runSim(config, constants, opts)` dispatches on the config's
 * kind, and `writeOutputs` writes every table as CSV, the checks as CSV, the summary as JSON and the
 * figures as SVG into a directory (temp file + rename for each). Used by the CLI and the paper.
 */
import { join } from "node:path";
import type { AnyConfig, SimKind } from "./config.ts";
import type { Constants } from "./constants.ts";
import type { ProgressFn } from "./pool.ts";
import { stableJson, toCsv, writeAtomic, type Table } from "./csv.ts";
import { runEconomics, type SimOutput } from "./economics/run.ts";
import { runTiming } from "./timing/run.ts";
import { runKm } from "./km/run.ts";
import { figuresFor } from "./figures.ts";
import { renderSvg } from "./charts.ts";

export type { SimOutput };
export type RunOpts = { seed?: number; threads?: number; onProgress?: ProgressFn };

export async function runSim(
  ac: AnyConfig,
  c: Constants,
  o: RunOpts = {},
): Promise<SimOutput & { kind: SimKind; seed: number }> {
  const seed = o.seed ?? ac.cfg.seed;
  const threads = o.threads ?? ac.cfg.threads;
  if (ac.kind === "economics")
    return { kind: ac.kind, seed, ...(await runEconomics(ac.cfg, c, { seed, threads, onProgress: o.onProgress })) };
  if (ac.kind === "timing")
    return { kind: ac.kind, seed, ...(await runTiming(ac.cfg, c, { seed, onProgress: o.onProgress })) };
  return { kind: ac.kind, seed, ...(await runKm(ac.cfg, c, { seed, threads, onProgress: o.onProgress })) };
}

export function checksTable(out: SimOutput & { kind: SimKind }): Table {
  return {
    name: `${out.kind}_checks`,
    columns: ["id", "what", "closed", "sim", "tolerance", "toleranceRule", "pass"],
    rows: out.checks.map((c) => ({ ...c })),
  };
}

/** Writes `<name>.csv` per table, `checks.csv`, `summary.json` and `<figure>.svg`; returns the paths. */
export async function writeOutputs(
  out: SimOutput & { kind: SimKind },
  dir: string,
  o: { figures?: boolean; prefix?: string } = {},
): Promise<string[]> {
  const paths: string[] = [];
  const pre = o.prefix ?? "";
  for (const t of [...out.tables, ...(out.checks.length ? [checksTable(out)] : [])]) {
    const p = join(dir, `${pre}${t.name}.csv`);
    writeAtomic(p, toCsv(t));
    paths.push(p);
  }
  const sp = join(dir, `${pre}${out.kind}_summary.json`);
  writeAtomic(sp, stableJson(out.summary));
  paths.push(sp);
  if (o.figures !== false)
    for (const f of figuresFor(out.kind, out.tables)) {
      const p = join(dir, `${pre}${f.name}.svg`);
      writeAtomic(p, await renderSvg(f.spec));
      paths.push(p);
    }
  return paths;
}
