/**
 * `zkfp sim <economics|timing|km> --config FILE [--seed S] [--threads T] [--out DIR] [--json]`
 *
 * Runs one simulation from a typed config (sims/configs/*.json are examples), with measured
 * constants from bench/results/*.json where present, then from the paper's committed anvil
 * calibration (papers/data/anvil_moves.csv), else cited defaults (sims/constants.ts). Prints the summary and the
 * closed-form-vs-simulation checks; `--out DIR` also writes CSV tables, summary JSON and SVG
 * figures. Progress of long sweeps goes to stderr. Exit status 1 when a check fails.
 */
import type { Command } from "../command.ts";
import { UsageError } from "../args.ts";
import { loadConfig, SIM_KINDS, type SimKind } from "../../sims/config.ts";
import { join, relative } from "node:path";
import { describeSource, loadConstants, REPO_ROOT } from "../../sims/constants.ts";
import { readCalibration, toBenchResults } from "../../sims/km/calibrate.ts";
import { runSim, writeOutputs } from "../../sims/run.ts";
import { progressBar } from "../../sims/pool.ts";
import { fmtNum } from "../../sims/csv.ts";
import { cleanTempsOnInterrupt } from "../output.ts";
import { progressEnabled } from "../progress.ts";

export const simCommand: Command = {
  name: "sim",
  summary: "run an economics, timing or k/m simulation from a config",
  usage: "zkfp sim <economics|timing|km> --config FILE [--seed S] [--threads T] [--out DIR] [--json]",
  positionals: [{ name: "kind", desc: SIM_KINDS.join(" | "), required: true }],
  options: {
    config: { type: "string", desc: "config file (JSON; see sims/configs/)", check: "in-file" },
    seed: { type: "number", desc: "RNG seed (default: the config's seed)" },
    threads: { type: "number", desc: "worker threads for sweeps (default: the config's, 2)" },
    out: {
      type: "string",
      desc: "directory for CSV/JSON/SVG outputs (checked before the run; each file written atomically)",
    },
    bench: { type: "string", desc: "bench results directory (default bench/results)" },
  },
  async run(args) {
    const kind = args.positionals[0];
    if (!kind || !(SIM_KINDS as string[]).includes(kind))
      throw new UsageError(`sim needs one of ${SIM_KINDS.join("|")}`, { kind: kind ?? null });
    const file = args.opts.config;
    if (typeof file !== "string") throw new UsageError("sim needs --config FILE", { option: "config" });
    const seed = args.opts.seed as number | undefined;
    if (seed !== undefined && (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32))
      throw new UsageError("--seed must be an integer in [0, 2^32)", { seed });
    const threads = args.opts.threads as number | undefined;
    if (threads !== undefined && (!Number.isInteger(threads) || threads < 1 || threads > 64))
      throw new UsageError("--threads must be an integer in [1, 64]", { threads });
    const cfg = loadConfig(file, kind as SimKind);
    // The paper build's committed anvil calibration fills game-gas constants the bench files lack.
    const calibFile = join(REPO_ROOT, "papers", "data", "anvil_moves.csv");
    const calib = readCalibration(calibFile);
    const constants = loadConstants(
      typeof args.opts.bench === "string" ? args.opts.bench : undefined,
      calib ? { file: relative(REPO_ROOT, calibFile), results: toBenchResults(calib) } : null,
    );
    const showProgress = progressEnabled();
    const out = await runSim(cfg, constants, { seed, threads, onProgress: progressBar(`sim ${kind}`, showProgress) });
    let written: string[] = [];
    if (typeof args.opts.out === "string") {
      const off = cleanTempsOnInterrupt(args.opts.out);
      try {
        written = await writeOutputs(out, args.opts.out);
      } finally {
        off();
      }
    }
    const failed = out.checks.filter((c) => !c.pass);
    const lines = [`zkfp sim ${kind} (seed ${out.seed})`, ""];
    for (const [k, v] of Object.entries(out.summary))
      lines.push(`  ${k.padEnd(58)} ${typeof v === "number" ? fmtNum(v) : String(v)}`);
    lines.push("", `checks: ${out.checks.length - failed.length}/${out.checks.length} passed`);
    for (const f of failed)
      lines.push(`  FAIL ${f.id}: closed ${fmtNum(f.closed)} sim ${fmtNum(f.sim)} tol ${fmtNum(f.tolerance)}`);
    lines.push("", "constants:");
    for (const c of constants.list)
      lines.push(`  ${c.key.padEnd(26)} ${fmtNum(c.value)} ${c.unit}  [${describeSource(c.source)}]`);
    if (written.length) lines.push("", `wrote ${written.length} files to ${args.opts.out}`);
    return {
      exitCode: failed.length ? 1 : 0,
      json: {
        kind,
        seed: out.seed,
        summary: out.summary,
        checks: { total: out.checks.length, failed: failed.map((f) => f.id) },
        constants: constants.list.map((c) => ({ key: c.key, value: c.value, unit: c.unit, source: c.source })),
        files: written,
      },
      text: lines.join("\n"),
    };
  },
};
