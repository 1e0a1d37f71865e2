/**
 * `npm run paper`: regenerates every table, figure and number of the zkfp paper.
 *
 * Runs the three simulations from sims/configs/{economics,timing,km}.json with their seeds and the
 * constants from bench/results/*.json (measured) or cited fallbacks (sims/constants.ts), writes
 * papers/data/*.csv|json, papers/figures/*.svg (vega-lite -> SVG), and fills the template
 * papers/zkfp.template.md into papers/zkfp.md. The template holds prose only: every number comes
 * from a placeholder filled from the generated data:
 *   {{key}} / {{key|fmt}}   a value from papers/data/values.json (fmt: sig, int, pct, x, sci, days, hours, bool)
 *   {{table:name}}           a generated Markdown table
 *   {{figure:name}}          an SVG figure with its caption
 * A placeholder without a value is an error (BuildError), so the paper can never silently show a
 * stale or hand-typed number. Output files are written to a temp name and renamed.
 * Options: --quick (smaller sweeps for tests; writes to a scratch dir given by --out).
 */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ZkfpError } from "../vm/errors.ts";
import { loadConfig, type AnyConfig } from "../sims/config.ts";
import { describeSource, loadConstants, type Constants } from "../sims/constants.ts";
import { runSim, writeOutputs, type SimOutput } from "../sims/run.ts";
import { fmtNum, stableJson, toCsv, writeAtomic, type Row } from "../sims/csv.ts";
import { figuresFor, type Figure } from "../sims/figures.ts";
import { renderSvg } from "../sims/charts.ts";
import { progressBar } from "../sims/pool.ts";
import { pathGas as kmPathGas, rounds as kmRounds } from "../sims/km/model.ts";
import { calibrateOnAnvil, toBenchResults, type MoveRow } from "../sims/km/calibrate.ts";

export class BuildError extends ZkfpError {
  override readonly name = "BuildError";
}

const HERE = fileURLToPath(new URL(".", import.meta.url));
const ROOT = join(HERE, "..");

/** Human formatting for prose: 3 significant digits, thousands separators, e-notation beyond 1e9. */
export function fmt(v: unknown, how = "sig"): string {
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (typeof v !== "number") throw new BuildError("value is not a number", { value: v });
  if (Number.isNaN(v)) return "none in range";
  const sig = (x: number, d = 3) => {
    if (x === 0) return "0";
    const a = Math.abs(x);
    if (Number.isInteger(x) && a < 1e7) return x.toLocaleString("en-US");
    if (a >= 1e9 || a < 1e-3) { const [m, e] = x.toExponential(d - 1).split("e"); return `${Number(m)}e${Number(e)}`; }
    const r = Number(x.toPrecision(d));
    return r.toLocaleString("en-US", { maximumFractionDigits: 6 });
  };
  switch (how) {
    case "int": return Math.round(v).toLocaleString("en-US");
    case "pct": return `${sig(v * 100)} %`;
    case "x": return `${sig(v, 3)}x`;
    case "sci": { const [m, e] = v.toExponential(2).split("e"); return `${Number(m)}e${Number(e)}`; }
    case "days": return `${sig(v / 86400)} days`;
    case "hours": return `${sig(v / 3600)} h`;
    case "sig4": return sig(v, 4);
    case "sig6": return sig(v, 6);
    default: return sig(v);
  }
}

function mdTable(rows: Row[], cols: { key: string; title: string; fmt?: string }[]): string {
  const head = `| ${cols.map((c) => c.title).join(" | ")} |`;
  const sep = `| ${cols.map(() => "---").join(" | ")} |`;
  const body = rows.map((r) => `| ${cols.map((c) => { const v = r[c.key]; return v === null || v === undefined ? "—" : fmt(v, c.fmt).replace(/\|/g, "\\|"); }).join(" | ")} |`);
  return [head, sep, ...body].join("\n");
}

export type BuildOpts = { quick?: boolean; outDir?: string; benchDir?: string; progress?: boolean; anvil?: boolean };
export type BuildResult = { values: Record<string, unknown>; markdown: string; files: string[]; seconds: number };

function quickened(ac: AnyConfig): AnyConfig {
  if (ac.kind === "economics") {
    const c = structuredClone(ac.cfg);
    c.felten.rounds = 4000; c.validators.rounds = 4000; c.validators.n = c.validators.n.slice(0, 5);
    c.stake.trials = 2000; c.delay.trials = 50; c.delay.budgetEth = { from: 1, to: 10, perDecade: 2 };
    return { kind: "economics", cfg: c };
  }
  if (ac.kind === "km") { const c = structuredClone(ac.cfg); c.kMax = 15; c.mMaxLog2 = 6; c.games.count = 400; c.games.batches = 2; return { kind: "km", cfg: c }; }
  return ac;
}

export async function buildPaper(o: BuildOpts = {}): Promise<BuildResult> {
  const t0 = performance.now();
  const out = o.outDir ?? HERE;
  const dataDir = join(out, "data"), figDir = join(out, "figures");
  const files: string[] = [];
  const values: Record<string, unknown> = {};
  const tables: Record<string, string> = {};
  // Per-move game gas measured on anvil in this build (protocol/chain + the deployed DisputeGame).
  let calib: MoveRow[] | null = null;
  const anvilFile = join(dataDir, "anvil_moves.csv");
  if (o.anvil !== false) {
    try {
      calib = await calibrateOnAnvil({ ks: [1, 3, 7, 15, 31, 63], N: 2n ** 20n, m: 16n, onProgress: progressBar("paper: anvil games", o.progress ?? false) });
      writeAtomic(anvilFile, toCsv({ name: "anvil_moves", columns: ["op", "k", "c", "gas"], rows: calib }));
      files.push(anvilFile);
      values["anvil.status"] = `measured: ${calib.length} calls in 6 games (k = 1, 3, 7, 15, 31, 63; N = 2^20, m = 16), per call in \`${relative(ROOT, anvilFile)}\``;
    } catch (e) {
      // Reported in the paper, never hidden: the constants then come from bench files or citations.
      values["anvil.status"] = `not measured in this build (${(e as Error).name}: ${(e as Error).message})`;
    }
  } else values["anvil.status"] = "not run (build option)";
  const calibResults = calib ? toBenchResults(calib) : [];
  const constants: Constants = loadConstants(o.benchDir, calib ? { file: relative(ROOT, anvilFile), results: calibResults } : null);
  tables["anvil"] = calibResults.length
    ? mdTable(calibResults.map((r) => ({ name: r.name, value: r.value, notes: r.notes ?? "" })), [{ key: "name", title: "call (k = checkpoints carried)" }, { key: "value", title: "mean gas", fmt: "int" }, { key: "notes", title: "" }])
    : "(no anvil measurements in this build)";
  const figures: Record<string, Figure> = {};
  const outputs: Record<string, SimOutput & { kind: string; seed: number }> = {};

  for (const kind of ["economics", "timing", "km"] as const) {
    let ac = loadConfig(join(ROOT, "sims", "configs", `${kind}.json`), kind);
    if (o.quick) ac = quickened(ac);
    const res = await runSim(ac, constants, { onProgress: progressBar(`paper: ${kind}`, o.progress ?? false) });
    outputs[kind] = res;
    files.push(...(await writeOutputs(res, dataDir, { figures: false })));
    for (const [k, v] of Object.entries(res.summary)) values[`${kind}.${k}`] = v;
    values[`${kind}.seed`] = res.seed;
    values[`${kind}.checks.failed`] = res.checks.filter((c) => !c.pass).length;
    for (const f of figuresFor(kind, res.tables)) figures[f.name] = f;
  }

  // Constants and their provenance.
  for (const c of constants.list) values[`const.${c.key}`] = c.value;
  tables["constants"] = mdTable(constants.list.map((c) => ({ key: c.key, value: c.value, unit: c.unit, desc: c.desc, src: describeSource(c.source) })),
    [{ key: "key", title: "constant" }, { key: "desc", title: "meaning" }, { key: "value", title: "value", fmt: "sig4" }, { key: "unit", title: "unit" }, { key: "src", title: "provenance" }]);
  const benchOnly = constants.benchFiles.filter((f) => f.startsWith("bench"));
  values["const.benchFiles"] = benchOnly.length ? benchOnly.map((f) => `\`${f}\``).join(", ") : "none yet";
  values["const.measuredCount"] = constants.list.filter((c) => c.source.kind === "measured").length;
  values["const.total"] = constants.list.length;

  const T = (kind: string, name: string) => outputs[kind]!.tables.find((t) => t.name === name)!.rows;
  // Timing tables.
  tables["timing_backends"] = mdTable(T("timing", "timing_backends"), [{ key: "name", title: "zkML prover" }, { key: "expr", title: "prove seconds (P = parameters, N = VM steps)" }, { key: "hardware", title: "hardware" }, { key: "source", title: "source" }, { key: "verified", title: "source checked" }]);
  tables["timing_comparison"] = mdTable(T("timing", "timing_comparison"), [{ key: "model", title: "model" }, { key: "P", title: "parameters", fmt: "sci" }, { key: "system", title: "system" }, { key: "finality_s", title: "time to finality (s)" }, { key: "cost_usd", title: "USD / inference" }, { key: "notes", title: "notes" }]);
  const wMid = Number(outputs.timing!.summary["window_mid_h"]);
  tables["timing_crossovers"] = mdTable(T("timing", "timing_crossovers").filter((r) => r.versus === "opML undisputed"), [{ key: "backend", title: "zkML prover" }, { key: "window_h", title: "challenge window (h)" }, { key: "P_star", title: "opML faster above P =", fmt: "sci" }, { key: "zk_prove_s_at_P_star", title: "zk prove time there (s)" }]);
  tables["timing_crossovers_disputed"] = mdTable(T("timing", "timing_crossovers").filter((r) => r.versus !== "opML undisputed" && r.window_h === Math.min(...T("timing", "timing_crossovers").map((x) => Number(x.window_h)))),
    [{ key: "backend", title: "zkML prover" }, { key: "versus", title: "opML game" }, { key: "window_h", title: "window (h)" }, { key: "P_star", title: "opML faster above P =", fmt: "sci" }]);
  values["timing.window_min_h"] = Math.min(...T("timing", "timing_crossovers").map((x) => Number(x.window_h)));
  values["timing.window_mid_h"] = wMid;
  // k/m tables.
  tables["km_optima"] = mdTable(T("km", "km_optima"), [{ key: "log2N", title: "log2 N" }, { key: "objective", title: "objective" }, { key: "k", title: "k" }, { key: "m", title: "m" }, { key: "rounds", title: "rounds" }, { key: "gas", title: "gas", fmt: "int" }, { key: "latency_s", title: "latency (s)" }, { key: "cost_usd", title: "USD" }, { key: "gas_vs_binary", title: "gas vs binary", fmt: "x" }, { key: "rounds_vs_binary", title: "rounds vs binary", fmt: "x" }]);
  // The model against the game benchmark's measured dispute totals (alphabet games on anvil):
  // predicted = challenge + r·(move(k) + select(k)) + alphabet leaf proof, r = ⌈log_(k+1)(N/m)⌉.
  const gasOf = (n: string) => constants.raw.find((r) => r.name === n)?.value;
  const challengeGas = gasOf("game.challenge_gas"), leafGas = gasOf("game.leaf_gas.alphabet") ?? gasOf("game.leaf_gas");
  const dispRows: Row[] = [];
  for (const r of constants.raw.filter((x) => x.name.startsWith("dispute.gas."))) {
    const mt = /N=2\^(\d+)\.k=(\d+)\.m=(\d+)$/.exec(r.name);
    if (!mt || challengeGas === undefined || leafGas === undefined) continue;
    const [a, k, m] = [Number(mt[1]), Number(mt[2]), Number(mt[3])];
    const rr = kmRounds(2 ** a, k, m);
    const pg = kmPathGas(constants, 2 ** a, k, m);
    const pred = challengeGas + pg.claimerGas + pg.challengerGas + leafGas;
    const measuredRounds = gasOf(`dispute.rounds.N=2^${a}.k=${k}.m=${m}`);
    dispRows.push({ log2N: a, k, m, rounds_model: rr, rounds_bench: measuredRounds ?? null, gas_model: pred, gas_bench: r.value, rel_error: (pred - r.value) / r.value, file: r.file });
  }
  tables["dispute_bench"] = dispRows.length
    ? mdTable(dispRows, [{ key: "log2N", title: "log2 N" }, { key: "k", title: "k" }, { key: "m", title: "m" }, { key: "rounds_model", title: "rounds (model)" }, { key: "rounds_bench", title: "rounds (bench)" }, { key: "gas_model", title: "gas (model)", fmt: "int" }, { key: "gas_bench", title: "gas (bench)", fmt: "int" }, { key: "rel_error", title: "model error", fmt: "pct" }])
    : "(no committed game benchmark with dispute totals yet: `bench/results/*.json` has no `dispute.gas.*` entries)";
  values["km.dispute_bench.count"] = dispRows.length;
  values["km.dispute_bench.summary"] = dispRows.length
    ? `${dispRows.length} games; largest model error ${fmt(Math.max(...dispRows.map((r) => Math.abs(Number(r.rel_error)))), "pct")}; ${dispRows.filter((r) => r.rounds_bench !== null && r.rounds_bench !== r.rounds_model).length} round-count mismatches`
    : "none committed yet";
  // Economics tables.
  tables["felten_equilibria"] = mdTable(T("economics", "felten_equilibria"), [{ key: "mode", title: "variant" }, { key: "X_star", title: "X* closed form" }, { key: "X_star_mc", title: "X* simulated" }, { key: "Y_star", title: "Y* (check prob.)" }, { key: "X_fp", title: "X fictitious play" }, { key: "Y_fp", title: "Y fictitious play" }, { key: "subsidy_per_assertion", title: "subsidy / assertion" }]);
  const rr = T("economics", "resource_ratio");
  const midLog = [...new Set(rr.map((r) => Number(r.log2N)))].sort((a, b) => a - b)[1] ?? Number(rr[0]!.log2N);
  tables["resource_ratio"] = mdTable(rr.filter((r) => Number(r.log2N) === midLog && Number(r.levels) === 1), [{ key: "k", title: "k" }, { key: "m", title: "m" }, { key: "rounds", title: "rounds" }, { key: "attacker_eth", title: "attacker ETH" }, { key: "defender_eth", title: "defender ETH" }, { key: "ratio", title: "ratio" }, { key: "break_even_bond_eth", title: "break-even bond (ETH)" }]);
  values["economics.rr_log2N"] = midLog;
  const allChecks = (["economics", "timing", "km"] as const).flatMap((k) => outputs[k]!.checks.map((c) => ({ kind: k, ...c })));
  const groups = new Map<string, { kind: string; family: string; n: number; pass: number; rule: string }>();
  for (const c of allChecks) {
    const fam = c.id.split(".").slice(0, 2).join(".");
    const g = groups.get(fam) ?? { kind: c.kind, family: fam, n: 0, pass: 0, rule: c.toleranceRule };
    g.n++; if (c.pass) g.pass++;
    groups.set(fam, g);
  }
  tables["checks"] = mdTable([...groups.values()], [{ key: "family", title: "check" }, { key: "n", title: "comparisons" }, { key: "pass", title: "passed" }, { key: "rule", title: "tolerance" }]);
  values["checks.total"] = allChecks.length;
  values["checks.passed"] = allChecks.filter((c) => c.pass).length;
  const econCfg = loadConfig(join(ROOT, "sims", "configs", "economics.json"), "economics");
  if (econCfg.kind === "economics") for (const [k, v] of Object.entries(econCfg.cfg.felten)) if (typeof v === "number") values[`cfg.felten.${k}`] = v;
  if (econCfg.kind === "economics") { values["cfg.optimism.maxDepth"] = econCfg.cfg.optimism.maxDepth; values["cfg.optimism.gasPriceGwei"] = econCfg.cfg.optimism.gasPriceGwei; values["cfg.delay.attackerClockH"] = econCfg.cfg.delay.attackerClockH; values["cfg.rr.challengerBondEth"] = econCfg.cfg.resourceRatio.challengerBondEth; values["cfg.validators.G"] = econCfg.cfg.validators.G; values["cfg.validators.C"] = econCfg.cfg.validators.C; }
  const timCfg = loadConfig(join(ROOT, "sims", "configs", "timing.json"), "timing");
  if (timCfg.kind === "timing") { values["cfg.timing.stepsPerParam"] = typeof timCfg.cfg.workload.stepsPerParam === "number" ? timCfg.cfg.workload.stepsPerParam : constants.value("stepsPerParam"); values["cfg.timing.graphNodes"] = timCfg.cfg.workload.graphNodes; values["cfg.timing.moveSeconds"] = timCfg.cfg.opml.moveSeconds; values["cfg.timing.clockH"] = timCfg.cfg.opml.clockH; }
  const kmCfg = loadConfig(join(ROOT, "sims", "configs", "km.json"), "km");
  if (kmCfg.kind === "km") { values["cfg.km.kMax"] = kmCfg.cfg.kMax; values["cfg.km.mMax"] = 2 ** kmCfg.cfg.mMaxLog2; values["cfg.km.moveSeconds"] = kmCfg.cfg.moveSeconds; }

  // Figures.
  for (const f of Object.values(figures)) {
    const p = join(figDir, `${f.name}.svg`);
    writeAtomic(p, await renderSvg(f.spec)); files.push(p);
  }
  const vp = join(dataDir, "values.json");
  writeAtomic(vp, stableJson(Object.fromEntries(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))))); files.push(vp);

  // Fill the template.
  const tpl = readFileSync(join(HERE, "zkfp.template.md"), "utf8");
  const md = tpl.replace(/\{\{([^}]+)\}\}/g, (_m, inner: string) => {
    const [key, how] = inner.trim().split("|").map((s) => s.trim()) as [string, string | undefined];
    if (key.startsWith("table:")) { const t = tables[key.slice(6)]; if (t === undefined) throw new BuildError(`template table ${key} has no data`, { placeholder: key }); return t; }
    if (key.startsWith("figure:")) { const f = figures[key.slice(7)]; if (!f) throw new BuildError(`template figure ${key} has no data`, { placeholder: key }); return `![${f.caption}](figures/${f.name}.svg)\n\n*Figure: ${f.caption}*`; }
    if (!(key in values)) throw new BuildError(`template value ${key} has no data`, { placeholder: key });
    return fmt(values[key], how);
  });
  const mp = join(out, "zkfp.md");
  writeAtomic(mp, md); files.push(mp);
  return { values, markdown: md, files, seconds: (performance.now() - t0) / 1000 };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const quick = process.argv.includes("--quick");
  const oi = process.argv.indexOf("--out");
  const r = await buildPaper({ quick, outDir: oi > 0 ? process.argv[oi + 1] : undefined, progress: true });
  process.stderr.write(`paper: wrote ${r.files.length} files in ${r.seconds.toFixed(1)} s; ${fmtNum(Number(r.values["checks.passed"]))}/${fmtNum(Number(r.values["checks.total"]))} checks passed\n`);
  if (r.values["checks.passed"] !== r.values["checks.total"]) process.exitCode = 1;
}
