/**
 * `npm run paper`: regenerates every table, figure and number of the zkfp paper.
 *
 * Runs the three simulations from sims/configs/{economics,timing,km}.json with their seeds and the
 * constants from bench/results/*.json (measured) or cited fallbacks (sims/constants.ts), writes
 * papers/data/*.csv|json, papers/figures/*.svg (vega-lite -> SVG), and fills the template
 * papers/zkfp.template.md into papers/zkfp.md. The template holds prose only: every number comes
 * from a placeholder filled from the generated data:
 *   {{key}} / {{key|fmt}}   a value from papers/data/values.json (fmt: sig, int, raw, pct, x, sci, days, hours, bool)
 *   {{table:name}}           a generated Markdown table
 *   {{figure:name}}          an SVG figure with its caption
 * A placeholder without a value is an error (BuildError), so the paper can never silently show a
 * stale or hand-typed number, and the template itself is linted (`lintTemplate`): a numeral in its
 * prose outside a placeholder, a code span, the Sources section or the short list of definitional
 * patterns (k = 1, 2^30, ...) fails the build, so a sentence cannot carry a number that drifts from
 * its data. Figures whose series coincide (a line hidden under another) fail the build too.
 * Deployed systems' parameters and zkML baselines come from papers/sources/*.json (each with its
 * URL). Output files are written to a temp name and renamed.
 * Options: --quick (smaller sweeps for tests; writes to a scratch dir given by --out).
 */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ZkfpError } from "../vm/errors.ts";
import { loadConfig, type AnyConfig } from "../sims/config.ts";
import { describeSource, loadConstants, TABLE_PROVE_PREFIX, type Constants } from "../sims/constants.ts";
import { runSim, writeOutputs, type SimOutput } from "../sims/run.ts";
import { fmtNum, stableJson, toCsv, writeAtomic, type Row } from "../sims/csv.ts";
import { figuresFor, type Figure } from "../sims/figures.ts";
import { renderSvg } from "../sims/charts.ts";
import { progressBar } from "../sims/pool.ts";
import { pathGas as kmPathGas, rounds as kmRounds } from "../sims/km/model.ts";
import { calibrateOnAnvil, toBenchResults, type MoveRow } from "../sims/km/calibrate.ts";
import { sensitivity, SENS_K } from "../sims/sensitivity.ts";
import { Z } from "../sims/check.ts";
import { compile } from "mathjs";
import { tornadoChart } from "../sims/charts.ts";

export class BuildError extends ZkfpError {
  override readonly name = "BuildError";
}

const HERE = fileURLToPath(new URL(".", import.meta.url));
const ROOT = join(HERE, "..");

/** Human formatting for prose: integers exactly (thousands separators), else 3 significant digits, e-notation beyond 1e9. */
export function fmt(v: unknown, how = "sig"): string {
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (typeof v !== "number") throw new BuildError("value is not a number", { value: v });
  if (Number.isNaN(v)) return "none in range";
  const sig = (x: number, d = 3) => {
    if (x === 0) return "0";
    const a = Math.abs(x);
    if (Number.isInteger(x) && a <= Number.MAX_SAFE_INTEGER) return x.toLocaleString("en-US");
    if (a >= 1e9 || a < 1e-3) {
      const [m, e] = x.toExponential(d - 1).split("e");
      return `${Number(m)}e${Number(e)}`;
    }
    const r = Number(x.toPrecision(d));
    return r.toLocaleString("en-US", { maximumFractionDigits: 6 });
  };
  switch (how) {
    case "int":
      return Math.round(v).toLocaleString("en-US");
    case "raw":
      return String(v);
    case "pct":
      return `${sig(v * 100)} %`;
    case "x":
      return `${sig(v, 3)}x`;
    case "sci": {
      const [m, e] = v.toExponential(2).split("e");
      return `${Number(m)}e${Number(e)}`;
    }
    case "days":
      return `${sig(v / 86400)} days`;
    case "hours":
      return `${sig(v / 3600)} h`;
    case "sig4":
      return sig(v, 4);
    case "sig6":
      return sig(v, 6);
    default:
      return sig(v);
  }
}

function mdTable(rows: Row[], cols: { key: string; title: string; fmt?: string }[]): string {
  const head = `| ${cols.map((c) => c.title).join(" | ")} |`;
  const sep = `| ${cols.map(() => "---").join(" | ")} |`;
  const body = rows.map(
    (r) =>
      `| ${cols
        .map((c) => {
          const v = r[c.key];
          return v === null || v === undefined ? "—" : fmt(v, c.fmt).replace(/\|/g, "\\|");
        })
        .join(" | ")} |`,
  );
  return [head, sep, ...body].join("\n");
}

/**
 * Numerals in the template's prose that no placeholder fills: each is a number that could drift
 * from its data. Exempt: placeholders, code spans and blocks, link targets, the Sources section
 * (bibliographic numbers), headings' section numbers, and definitional patterns that name a
 * configuration or a formula rather than report a result (the binary game k = 1, m = 1; powers
 * 2^x; log2; subscripts; model names such as LLaMA-2 7B).
 */
export function lintTemplate(tpl: string): { line: number; text: string }[] {
  // Fenced blocks are blanked line by line so that line numbers stay those of the template.
  const body = tpl.split(/^## Sources/m)[0]!.replace(/```[\s\S]*?```/g, (m) => m.replace(/[^\n]/g, " "));
  const DEFINITIONAL = [
    /\{\{[^}]*\}\}/g,
    /```[\s\S]*?```/g,
    /`[^`]*`/g,
    /\]\([^)]*\)/g,
    /^#+ [\d.]+/gm,
    /\bk = 1\b/g,
    /\bm = 1\b/g,
    /\bk \+ 1\b|\(k\+1\)|k\+1/g,
    /2\^\w*/g,
    /log2/g,
    /\b2·/g,
    /LLaMA-2( \d+B)?/g,
    /stories\d+M|TinyLlama-1\.1B/g,
    /\b\d+[- ]?B\b/g,
    /stories260K/g,
    /\bS0\b|\bG0\b|\bs1\b|\bv1\b|\bW1\b/g,
    /RV32IM/g,
    /EIP-\d+/g,
    /Poseidon\(\d\)/g,
    /\b1 − d\b|\(1 − d\)|1 − b/g,
    /\bL2\b|\bL1\b/g,
    /95 %/g,
    /zkLLM|GPT-2/g,
    /Groth16|PLONK|FFLONK/g,
    /k\* \+ 1/g,
    /\bX\*|\bY\*|k\*|m\*/g,
    /float32|int8|int32/g,
    /\b2τ/g,
    /sections? \d+/g,
    /depth 0\b/g,
    /(below|ratio|makes the ratio) 1\b/g,
    /\b(19|20)\d\d\b/g,
  ];
  const out: { line: number; text: string }[] = [];
  body.split("\n").forEach((line, i) => {
    let t = line;
    for (const re of DEFINITIONAL) t = t.replace(re, " ");
    if (/\d/.test(t)) out.push({ line: i + 1, text: line.trim().slice(0, 120) });
  });
  return out;
}

/** Two series of a line figure with identical points (one would hide the other), or null. */
export function hiddenSeries(f: Figure): [string, string] | null {
  const spec = f.spec as {
    data?: { values?: Row[] };
    layer?: { encoding?: { x?: { field?: string }; y?: { field?: string }; color?: { field?: string } } }[];
  };
  const enc = spec.layer?.[0]?.encoding;
  const rows = spec.data?.values;
  if (!enc?.x?.field || !enc.y?.field || !enc.color?.field || !rows) return null;
  const bySeries = new Map<string, string>();
  for (const r of rows) {
    const k = String(r[enc.color.field]);
    bySeries.set(k, (bySeries.get(k) ?? "") + `${r[enc.x.field]}:${r[enc.y.field]};`);
  }
  const seen = new Map<string, string>();
  for (const [name, pts] of bySeries) {
    const other = seen.get(pts);
    if (other !== undefined) return [name, other];
    seen.set(pts, name);
  }
  return null;
}

/** Value prefixes that render "not measured" when absent instead of failing the build. */
const OPTIONAL = ["e2e.", "km.goal.measured.", "llama."];

export type BuildOpts = { quick?: boolean; outDir?: string; benchDir?: string; progress?: boolean; anvil?: boolean };
export type BuildResult = { values: Record<string, unknown>; markdown: string; files: string[]; seconds: number };

function quickened(ac: AnyConfig): AnyConfig {
  if (ac.kind === "economics") {
    const c = structuredClone(ac.cfg);
    c.felten.rounds = 4000;
    c.validators.rounds = 4000;
    c.validators.n = c.validators.n.slice(0, 5);
    c.stake.trials = 2000;
    c.delay.trials = 50;
    c.delay.budgetEth = { from: 1, to: 10, perDecade: 2 };
    return { kind: "economics", cfg: c };
  }
  if (ac.kind === "km") {
    const c = structuredClone(ac.cfg);
    c.kMax = 15;
    c.mMaxLog2 = 6;
    c.games.count = 400;
    c.games.batches = 2;
    return { kind: "km", cfg: c };
  }
  return ac;
}

export async function buildPaper(o: BuildOpts = {}): Promise<BuildResult> {
  const t0 = performance.now();
  const out = o.outDir ?? HERE;
  const dataDir = join(out, "data"),
    figDir = join(out, "figures");
  const files: string[] = [];
  const values: Record<string, unknown> = {};
  const tables: Record<string, string> = {};
  // Per-move game gas measured on anvil in this build (protocol/chain + the deployed DisputeGame).
  let calib: MoveRow[] | null = null;
  const anvilFile = join(dataDir, "anvil_moves.csv");
  if (o.anvil !== false) {
    try {
      calib = await calibrateOnAnvil({
        ks: [1, 3, 7, 15, 31, 63],
        N: 2n ** 20n,
        m: 16n,
        onProgress: progressBar("paper: anvil games", o.progress ?? false),
      });
      writeAtomic(anvilFile, toCsv({ name: "anvil_moves", columns: ["op", "k", "c", "gas"], rows: calib }));
      files.push(anvilFile);
      values["anvil.status"] =
        `measured: ${calib.length} calls in 6 games (k = 1, 3, 7, 15, 31, 63; N = 2^20, m = 16), per call in \`${relative(ROOT, anvilFile)}\``;
    } catch (e) {
      // Reported in the paper, never hidden: the constants then come from bench files or citations.
      values["anvil.status"] = `not measured in this build (${(e as Error).name}: ${(e as Error).message})`;
    }
  } else values["anvil.status"] = "not run (build option)";
  const calibResults = calib ? toBenchResults(calib) : [];
  const constants: Constants = loadConstants(
    o.benchDir,
    calib ? { file: relative(ROOT, anvilFile), results: calibResults } : null,
  );
  tables["anvil"] = calibResults.length
    ? mdTable(
        calibResults.map((r) => ({ name: r.name, value: r.value, notes: r.notes ?? "" })),
        [
          { key: "name", title: "call (k = checkpoints carried)" },
          { key: "value", title: "mean gas", fmt: "int" },
          { key: "notes", title: "" },
        ],
      )
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
  tables["constants"] = mdTable(
    constants.list.map((c) => ({
      key: c.key,
      value: c.value,
      unit: c.unit,
      desc: c.desc,
      src: describeSource(c.source),
    })),
    [
      { key: "key", title: "constant" },
      { key: "desc", title: "meaning" },
      { key: "value", title: "value", fmt: "sig4" },
      { key: "unit", title: "unit" },
      { key: "src", title: "provenance" },
    ],
  );
  const benchOnly = constants.benchFiles.filter((f) => f.startsWith("bench"));
  values["const.benchFiles"] = benchOnly.length ? benchOnly.map((f) => `\`${f}\``).join(", ") : "none yet";
  values["const.measuredCount"] = constants.list.filter((c) => c.source.kind === "measured").length;
  values["const.total"] = constants.list.length;

  const timCfg = loadConfig(join(ROOT, "sims", "configs", "timing.json"), "timing");
  if (timCfg.kind === "timing") {
    values["cfg.timing.stepsPerParam"] =
      typeof timCfg.cfg.workload.stepsPerParam === "number"
        ? timCfg.cfg.workload.stepsPerParam
        : constants.value("stepsPerParam");
    values["cfg.timing.graphNodes"] = timCfg.cfg.workload.graphNodes;
    values["cfg.timing.moveSeconds"] = timCfg.cfg.opml.moveSeconds;
    values["cfg.timing.clockH"] = timCfg.cfg.opml.clockH;
    values["cfg.timing.gasPriceGwei"] = timCfg.cfg.prices.gasPriceGwei;
    values["cfg.timing.verifyGasBase"] = timCfg.cfg.zkml.verifyGasBase;
    values["cfg.timing.verifyGasPerInput"] = timCfg.cfg.zkml.verifyGasPerInput;
    values["cfg.timing.verifyGasSource"] = timCfg.cfg.zkml.verifyGasSource;
  }
  const kmCfg = loadConfig(join(ROOT, "sims", "configs", "km.json"), "km");
  if (kmCfg.kind === "km") {
    values["cfg.km.kMax"] = kmCfg.cfg.kMax;
    values["cfg.km.mMax"] = 2 ** kmCfg.cfg.mMaxLog2;
    values["cfg.km.moveSeconds"] = kmCfg.cfg.moveSeconds;
    values["cfg.km.gasPriceGwei"] = kmCfg.cfg.gasPriceGwei;
    values["cfg.km.timeValueUsdPerS"] = kmCfg.cfg.timeValueUsdPerS;
  }
  const T = (kind: string, name: string) => outputs[kind]!.tables.find((t) => t.name === name)!.rows;
  // Timing tables.
  tables["timing_backends"] = mdTable(T("timing", "timing_backends"), [
    { key: "name", title: "zkML prover" },
    { key: "expr", title: "prove seconds (P = parameters, N = VM steps)" },
    { key: "hardware", title: "hardware" },
    { key: "source", title: "source" },
    { key: "verified", title: "source checked" },
  ]);
  tables["timing_comparison"] = mdTable(T("timing", "timing_comparison"), [
    { key: "model", title: "model" },
    { key: "P", title: "parameters", fmt: "sci" },
    { key: "system", title: "system" },
    { key: "finality_s", title: "time to finality (s)" },
    { key: "cost_usd", title: "USD / inference" },
    { key: "notes", title: "notes" },
  ]);
  const wMid = Number(outputs.timing!.summary["window_mid_h"]);
  tables["timing_crossovers"] = mdTable(
    T("timing", "timing_crossovers").filter((r) => r.versus === "opML undisputed"),
    [
      { key: "backend", title: "zkML prover" },
      { key: "window_h", title: "challenge window (h)" },
      { key: "P_star", title: "opML faster above P =", fmt: "sci" },
      { key: "where", title: "found" },
      { key: "basis", title: "zkML curve there" },
      { key: "zk_prove_s_at_P_star", title: "zk prove time there (s)" },
    ],
  );
  tables["timing_crossovers_disputed"] = mdTable(
    T("timing", "timing_crossovers").filter(
      (r) =>
        r.versus !== "opML undisputed" &&
        r.window_h === Math.min(...T("timing", "timing_crossovers").map((x) => Number(x.window_h))),
    ),
    [
      { key: "backend", title: "zkML prover" },
      { key: "versus", title: "opML game" },
      { key: "window_h", title: "window (h)" },
      { key: "P_star", title: "opML faster above P =", fmt: "sci" },
      { key: "where", title: "found" },
    ],
  );
  values["timing.window_min_h"] = Math.min(...T("timing", "timing_crossovers").map((x) => Number(x.window_h)));
  values["timing.window_mid_h"] = wMid;
  // k/m tables.
  tables["km_pareto"] = mdTable(
    T("km", "km_pareto").filter((r) => r.log2N === 30),
    [
      { key: "k", title: "k" },
      { key: "m", title: "m" },
      { key: "basis", title: "prove time" },
      { key: "rounds", title: "rounds" },
      { key: "latency_s", title: "latency (s)" },
      { key: "gas", title: "gas", fmt: "int" },
      { key: "gas_vs_binary", title: "gas vs binary", fmt: "x" },
      { key: "latency_vs_binary", title: "latency vs binary", fmt: "x" },
      { key: "prove_mem_gb", title: "prove memory (GB, fitted)" },
    ],
  );
  tables["km_optima"] = mdTable(T("km", "km_optima"), [
    { key: "log2N", title: "log2 N" },
    { key: "objective", title: "objective" },
    { key: "scope", title: "m searched" },
    { key: "k", title: "k" },
    { key: "m", title: "m" },
    { key: "basis", title: "prove time" },
    { key: "prove_mem_gb", title: "prove memory (GB)" },
    { key: "rounds", title: "rounds" },
    { key: "gas", title: "gas", fmt: "int" },
    { key: "latency_s", title: "latency (s)" },
    { key: "cost_usd", title: "USD" },
    { key: "gas_vs_binary", title: "gas vs binary", fmt: "x" },
    { key: "rounds_vs_binary", title: "rounds vs binary", fmt: "x" },
    { key: "latency_vs_binary", title: "latency vs binary", fmt: "x" },
  ]);
  // The model against the game benchmark's measured dispute totals (alphabet games on anvil):
  // predicted = challenge + r·(move(k) + select(k)) + alphabet leaf proof, r = ⌈log_(k+1)(N/m)⌉.
  const gasOf = (n: string) => constants.raw.find((r) => r.name === n)?.value;
  const challengeGas = gasOf("game.challenge_gas"),
    leafGas = gasOf("game.leaf_gas.alphabet") ?? gasOf("game.leaf_gas");
  const dispRows: Row[] = [];
  for (const r of constants.raw.filter((x) => x.name.startsWith("dispute.gas."))) {
    const mt = /N=2\^(\d+)\.k=(\d+)\.m=(\d+)$/.exec(r.name);
    if (!mt || challengeGas === undefined || leafGas === undefined) continue;
    const [a, k, m] = [Number(mt[1]), Number(mt[2]), Number(mt[3])];
    const rr = kmRounds(2 ** a, k, m);
    const pg = kmPathGas(constants, 2 ** a, k, m);
    const pred = challengeGas + pg.claimerGas + pg.challengerGas + leafGas;
    const measuredRounds = gasOf(`dispute.rounds.N=2^${a}.k=${k}.m=${m}`);
    dispRows.push({
      log2N: a,
      k,
      m,
      rounds_model: rr,
      rounds_bench: measuredRounds ?? null,
      gas_model: pred,
      gas_bench: r.value,
      rel_error: (pred - r.value) / r.value,
      file: r.file,
    });
  }
  tables["dispute_bench"] = dispRows.length
    ? mdTable(dispRows, [
        { key: "log2N", title: "log2 N" },
        { key: "k", title: "k" },
        { key: "m", title: "m" },
        { key: "rounds_model", title: "rounds (model)" },
        { key: "rounds_bench", title: "rounds (bench)" },
        { key: "gas_model", title: "gas (model)", fmt: "int" },
        { key: "gas_bench", title: "gas (bench)", fmt: "int" },
        { key: "rel_error", title: "model error", fmt: "pct" },
      ])
    : "(no committed game benchmark with dispute totals yet: `bench/results/*.json` has no `dispute.gas.*` entries)";
  values["km.dispute_bench.count"] = dispRows.length;
  values["km.dispute_bench.summary"] = dispRows.length
    ? `${dispRows.length} games; largest model error ${fmt(Math.max(...dispRows.map((r) => Math.abs(Number(r.rel_error)))), "pct")}; ${dispRows.filter((r) => r.rounds_bench !== null && r.rounds_bench !== r.rounds_model).length} round-count mismatches`
    : "none committed yet";
  // Economics tables.
  tables["felten_equilibria"] = mdTable(T("economics", "felten_equilibria"), [
    { key: "mode", title: "variant" },
    { key: "X_star", title: "X* closed form" },
    { key: "X_star_mc", title: "X* simulated" },
    { key: "Y_star", title: "Y* (check prob.)" },
    { key: "X_fp", title: "X fictitious play" },
    { key: "Y_fp", title: "Y fictitious play" },
    { key: "subsidy_per_assertion", title: "subsidy / assertion" },
  ]);
  const rr = T("economics", "resource_ratio");
  const midLog = [...new Set(rr.map((r) => Number(r.log2N)))].sort((a, b) => a - b)[1] ?? Number(rr[0]!.log2N);
  tables["resource_ratio"] = mdTable(
    rr.filter((r) => Number(r.log2N) === midLog && Number(r.levels) === 1),
    [
      { key: "k", title: "k" },
      { key: "m", title: "m" },
      { key: "rounds", title: "rounds" },
      { key: "attacker_eth", title: "attacker ETH" },
      { key: "defender_eth", title: "defender ETH" },
      { key: "ratio", title: "ratio" },
      { key: "break_even_bond_eth", title: "break-even bond (ETH)" },
      { key: "ratio_stress", title: "ratio at stress price" },
      { key: "break_even_bond_stress_eth", title: "break-even bond at stress price (ETH)" },
      { key: "defender_net_eth", title: "defender net of compensation (ETH)" },
      { key: "defender_net_stress_eth", title: "same at stress price (ETH)" },
    ],
  );
  values["economics.rr_log2N"] = midLog;
  // Sock puppets under the contracts' payout rule (sims/economics/socks.ts).
  const econ = loadConfig(join(ROOT, "sims", "configs", "economics.json"), "economics");
  const gasPrices = econ.kind === "economics" ? econ.cfg.socks.gasPricesGwei : [];
  tables["socks_loss"] = mdTable(
    T("economics", "socks_loss").filter((r) => Number(r.socks) <= 8 || r === T("economics", "socks_loss").at(-1)),
    [
      { key: "socks", title: "sock challengers n" },
      { key: "deposited_eth", title: "liar deposits (ETH), socks win" },
      { key: "recovered_eth", title: "liar recovers (ETH), socks win" },
      { key: "loss_socks_win", title: "loss, socks win", fmt: "pct" },
      { key: "loss_socks_thrown", title: "loss, socks thrown", fmt: "pct" },
      { key: "best_w", title: "best number of winning socks" },
      { key: "best_answered", title: "best adds an answered request" },
      { key: "loss_min", title: "smallest loss", fmt: "pct" },
    ],
  );
  tables["socks_gas"] = mdTable(
    T("economics", "socks_gas").filter((r) => gasPrices.includes(Number(r.gwei))),
    [
      { key: "gwei", title: "gas price (gwei)" },
      { key: "reward_eth", title: "challenger reward (ETH)" },
      { key: "challenger_gas_eth", title: "challenger gas, measured (ETH)" },
      { key: "budget_gas_eth", title: "challenger gas budget (ETH)" },
      { key: "net_eth", title: "challenger net, measured gas (ETH)" },
      { key: "covers_budget", title: "budget covered" },
      { key: "compensation_eth", title: "claimer compensation per griefer (ETH)" },
      { key: "claimer_defense_eth", title: "claimer gas per game, model (ETH)" },
      { key: "compensation_vs_defense", title: "compensation / model gas", fmt: "x" },
      { key: "defence_budget_eth", title: "claimer defence budget (ETH)" },
      { key: "compensation_vs_budget", title: "compensation / budget", fmt: "x" },
    ],
  );
  tables["socks_da"] = mdTable(T("economics", "socks_da"), [
    { key: "case", title: "data-availability case" },
    { key: "liar_deposited_eth", title: "liar deposits (ETH)" },
    { key: "liar_recovered_eth", title: "liar recovers (ETH)" },
    { key: "liar_loss", title: "liar's loss", fmt: "pct" },
    { key: "requester_paid_eth", title: "requester credited (ETH)" },
  ]);
  tables["socks_liveness"] = mdTable(T("economics", "socks_liveness"), [
    { key: "window_h", title: "challenge window (h)" },
    { key: "clock_h", title: "clock (h)" },
    { key: "delay_per_throw_h", title: "delay per thrown game, at most (h)" },
    { key: "liar_cost_eth", title: "liar's cost per thrown sock (ETH)" },
    { key: "liar_eth_per_day", title: "liar: ETH per day of delay" },
    { key: "griefer_cost_eth", title: "griefer's cost per thrown game (ETH)" },
    { key: "griefer_eth_per_day", title: "griefer: ETH per day of delay" },
    { key: "claimer_paid_per_throw_eth", title: "claimer credited per thrown game (ETH)" },
  ]);
  if (econ.kind === "economics") {
    values["cfg.socks.clockH"] = econ.cfg.socks.clockH;
    values["cfg.socks.samples"] = econ.cfg.socks.samples;
    values["cfg.socks.gwei.list"] = gasPrices.join(", ");
  }
  const allChecks = (["economics", "timing", "km"] as const).flatMap((k) =>
    outputs[k]!.checks.map((c) => ({ kind: k, ...c })),
  );
  const groups = new Map<
    string,
    { kind: string; family: string; n: number; pass: number; rule: string; independent: string }
  >();
  for (const c of allChecks) {
    const fam = c.id.split(".").slice(0, 2).join(".");
    const g = groups.get(fam) ?? {
      kind: c.kind,
      family: fam,
      n: 0,
      pass: 0,
      rule: c.toleranceRule,
      independent: c.independent ? "independent" : "consistency only (cannot refute the model)",
    };
    g.n++;
    if (c.pass) g.pass++;
    groups.set(fam, g);
  }
  tables["checks"] = mdTable(
    [...groups.values()],
    [
      { key: "family", title: "check" },
      { key: "independent", title: "compares" },
      { key: "n", title: "comparisons" },
      { key: "pass", title: "passed" },
      { key: "rule", title: "tolerance" },
    ],
  );
  const indep = allChecks.filter((c) => c.independent);
  values["checks.total"] = indep.length;
  values["checks.passed"] = indep.filter((c) => c.pass).length;
  values["checks.consistency.total"] = allChecks.length - indep.length;
  values["checks.consistency.passed"] = allChecks.filter((c) => !c.independent && c.pass).length;
  values["checks.all_passed"] = allChecks.every((c) => c.pass);

  // Measured prove times and the fitted line (extrapolation beyond the largest measured m is labelled).
  const zkRaw = (name: string) => constants.raw.find((r) => r.name === name);
  const proveField = (p: { m: number; prefix: string }, field: string) =>
    zkRaw(`${p.prefix}${field}.m=${p.m}`)?.value ??
    (field === "constraints" ? zkRaw(`zk.constraints.m=${p.m}`)?.value : undefined) ??
    null;
  tables["prove_fit"] = constants.provePoints.length
    ? mdTable(
        constants.provePoints.map((p) => ({
          m: p.m,
          measured: p.seconds,
          fit: constants.proveSeconds(p.m),
          constraints: proveField(p, "constraints"),
          rss: proveField(p, "prove_rss_mb"),
          setup: proveField(p, "setup_s"),
          setupHow: /zkey new (\S+)/.exec(zkRaw(`${p.prefix}setup_s.m=${p.m}`)?.compares ?? "")?.[1] ?? "—",
          gas: proveField(p, "verify_gas"),
          file: p.file,
        })),
        [
          { key: "m", title: "m" },
          { key: "constraints", title: "constraints" },
          { key: "measured", title: "prove (s), measured" },
          { key: "fit", title: "prove (s), fitted line" },
          { key: "rss", title: "prove peak RSS (MB)" },
          { key: "setup", title: "Groth16 setup (s)" },
          { key: "setupHow", title: "zkey new by" },
          { key: "gas", title: "arbitrate gas", fmt: "int" },
          { key: "file", title: "file" },
        ],
      )
    : "(no measured prove times in bench/results)";
  const provePrefix = constants.provePoints[0]?.prefix ?? "zk.groth16.";
  values["zk.proveCircuit"] =
    provePrefix === TABLE_PROVE_PREFIX
      ? "the table circuit RvStepsMem (`mem` variant, zk/circuits/mem; a window that does not fit its tables is proven by RvSteps) on a matmul_int window (`bench/results/zk-prove.json`, `zk/circuits/mem/bench.ts`)"
      : "RvSteps (zk/circuits/rv32im.circom; `bench/results/zk.json`, `zk/zk.bench.ts`)";
  values["zk.mMeasuredMax"] = constants.value("mMeasuredMax");
  values["zk.extrap.m"] = 4096;
  values["checks.z"] = Z;
  values["zk.provePoints"] = constants.provePoints.length;
  values["zk.groth16VerifyGas"] = constants.value("groth16VerifyGas");
  const plonkGas = zkRaw("zk.plonk.verify_gas"),
    plonkSetup = zkRaw("zk.counter.plonk.setup_s.m=2"),
    plonkProve = zkRaw("zk.counter.plonk.prove_s.m=2");
  values["zk.plonk.verify_gas"] = plonkGas ? plonkGas.value : "not measured";
  values["zk.plonk.counter.setup_s"] = plonkSetup ? plonkSetup.value : "not measured";
  values["zk.plonk.counter.prove_s"] = plonkProve ? plonkProve.value : "not measured";
  // Groth16, PLONK and FFLONK side by side (zk/prover/universal.bench.ts -> bench/results/zk-universal.json).
  const uni = new Map<string, Row>();
  for (const r of constants.raw) {
    const mt = /^zk\.universal\.(\w+)\.(\w+)\.(\w+)\.m=(\d+)$/.exec(r.name);
    if (!mt) continue;
    const [, circuit, backend, field, m] = mt as unknown as [string, string, string, string, string];
    const key = `${circuit}|${m}|${backend}`;
    const row = uni.get(key) ?? { circuit, m: Number(m), backend };
    row[field] = r.value;
    uni.set(key, row);
  }
  const uniRows = [...uni.values()].sort(
    (a, b) =>
      String(a.circuit).localeCompare(String(b.circuit)) ||
      Number(a.m) - Number(b.m) ||
      String(a.backend).localeCompare(String(b.backend)),
  );
  values["zk.universal.rows"] = uniRows.length;
  tables["zk_universal"] = uniRows.length
    ? mdTable(uniRows, [
        { key: "circuit", title: "circuit" },
        { key: "m", title: "m" },
        { key: "backend", title: "backend (gates: counts only)" },
        { key: "constraints", title: "R1CS constraints" },
        { key: "plonk_gates", title: "PLONK gates" },
        { key: "setup_s", title: "setup (s)" },
        { key: "prove_s", title: "prove (s)" },
        { key: "verify_gas", title: "verify gas (tx)", fmt: "int" },
        { key: "prove_rss_mb", title: "prove peak RSS (MB)" },
        { key: "proof_bytes", title: "proof bytes" },
      ])
    : "(no universal-setup benchmark in bench/results)";
  // constraints beyond the largest measured m: the measured circuit's own line (uniform in m)
  const cPts = constants.provePoints
    .map((p) => ({ m: p.m, c: proveField(p, "constraints") }))
    .filter((p): p is { m: number; c: number } => p.c !== null);
  const cLine =
    provePrefix === TABLE_PROVE_PREFIX && cPts.length >= 2
      ? (() => {
          const [a, b] = [cPts[0]!, cPts[cPts.length - 1]!];
          const slope = (b.c - a.c) / (b.m - a.m);
          return (m: number) => a.c + slope * (m - a.m);
        })()
      : (m: number) => (zkRaw("zk.constraints.m=1")?.value ?? 0) + constants.value("constraintsPerStep") * (m - 1);
  const ext = (m: number) => ({
    m,
    constraints: cLine(m),
    gb: (constants.value("proveRssMbFixed") + constants.value("proveRssMbPerStep") * m) / 1024,
  });
  for (const m of [Number(values["zk.extrap.m"])]) {
    const e = ext(m);
    values[`zk.extrap.m=${m}.constraints`] = e.constraints;
    values[`zk.extrap.m=${m}.gb`] = e.gb;
    values[`zk.extrap.m=${m}.prove_s`] = constants.proveSeconds(m);
  }

  // Measured end-to-end disputes (bench/results/e2e.json) beside the k/m model's prediction.
  const e2eRows: Row[] = [];
  for (const model of ["mnist", "stories260K"]) {
    const g = (n: string) => zkRaw(`e2e.${model}.${n}`)?.value;
    const k = g("k"),
      m = g("m");
    if (k === undefined || m === undefined) continue;
    for (let i = 0; g(`phase${i}.steps`) !== undefined; i++) {
      const N = g(`phase${i}.steps`)!,
        mm = i === 0 ? 1 : m;
      const pg = kmPathGas(constants, N, k, mm);
      const rPred = kmRounds(N, k, mm),
        rMeas = g(`phase${i}.rounds`)!;
      const gPred = pg.claimerGas + pg.challengerGas,
        gMeas = g(`phase${i}.move_gas`)!;
      e2eRows.push({
        model,
        phase: i === 0 ? "graph nodes" : "VM steps of one node",
        N,
        k,
        m: mm,
        rounds: rMeas,
        rounds_model: rPred,
        move_gas: gMeas,
        move_gas_model: gPred,
        gas_error: (gPred - gMeas) / gMeas,
        trace_s_model: i === 0 ? null : N / constants.value("vmStepsPerSec"),
      });
      values[`e2e.${model}.phase${i}.rounds`] = rMeas;
      values[`e2e.${model}.phase${i}.rounds_model`] = rPred;
      values[`e2e.${model}.phase${i}.gas_error`] = (gPred - gMeas) / gMeas;
      values[`e2e.${model}.phase${i}.steps`] = N;
    }
    for (const n of [
      "open_gas",
      "game_s",
      "total_s",
      "cli_wall_s",
      "prove_s",
      "stake_eth",
      "bond_eth",
      "burn_bps",
      "clock_s",
      "k",
      "m",
    ]) {
      const v = g(n);
      if (v !== undefined) values[`e2e.${model}.${n}`] = v;
    }
  }
  values["e2e.count"] = e2eRows.length;
  values["e2e.max_gas_error"] = e2eRows.length
    ? Math.max(...e2eRows.map((r) => Math.abs(Number(r.gas_error))))
    : "none";
  values["e2e.round_mismatches"] = e2eRows.filter((r) => r.rounds !== r.rounds_model).length;
  tables["e2e"] = e2eRows.length
    ? mdTable(e2eRows, [
        { key: "model", title: "model" },
        { key: "phase", title: "phase" },
        { key: "N", title: "N" },
        { key: "k", title: "k" },
        { key: "m", title: "m" },
        { key: "rounds", title: "rounds (anvil)" },
        { key: "rounds_model", title: "rounds (model)" },
        { key: "move_gas", title: "move gas (anvil)", fmt: "int" },
        { key: "move_gas_model", title: "move gas (model)", fmt: "int" },
        { key: "gas_error", title: "model error", fmt: "pct" },
      ])
    : "(no end-to-end measurements: run `npm run bench -- --only e2e`)";

  // LLaMA-architecture models at scale (ml/llama.bench.ts -> bench/results/llama.json), measured per
  // shape; beside it the graph size the timing model of section 3 assumes for the same P.
  const llamaRows: Row[] = [];
  const nodesExpr = timCfg.kind === "timing" ? compile(timCfg.cfg.workload.graphNodes) : null;
  for (const shape of ["stories15M", "stories110M", "TinyLlama-1.1B"]) {
    const r = (n: string) => zkRaw(`llama.${shape}.${n}`);
    const v = (n: string) => r(n)?.value;
    const P = v("params");
    if (P === undefined) continue;
    const key = (n: string) => `llama.${shape}.${n}`;
    // one-time model commitment: measured in full (not read from a cache) or estimated from a sample
    const first = r("commitment_first_s");
    const firstMeasured = first !== undefined && !String(first.notes ?? "").includes("cached=true");
    const est = v("commitment_estimated_s");
    const commitment = firstMeasured
      ? `${fmt(first!.value)} (measured)`
      : est !== undefined
        ? `${fmt(est)} (estimated at ${fmt(v("commitment_sample_rate"))} P4/s)`
        : "not measured";
    const nodeSteps = v("dispute_node_steps") ?? v("argmax_node_steps");
    const modelNodes = nodesExpr ? Math.max(1, Math.round(nodesExpr.evaluate({ P }) as number)) : null;
    llamaRows.push({
      model: shape,
      params: P,
      native_s: v("native_s_per_token") ?? null,
      ops: v("ops_per_token") ?? null,
      model_nodes: modelNodes,
      node_steps: nodeSteps ?? null,
      largest_tile_steps: v("largest_tile_steps") ?? null,
      rounds: `${v("dispute_rounds_phase1") ?? "—"} + ${v("dispute_rounds_phase2") ?? "—"}`,
      gas: `${v("dispute_gas_phase1")?.toLocaleString("en-US") ?? "—"} + ${v("dispute_gas_phase2")?.toLocaleString("en-US") ?? "—"}`,
      proof_s: v("leaf_proof_s") ?? null,
      wall_s: v("dispute_wall_s") ?? null,
      rss: v("dispute_peak_rss") ?? v("peak_rss") ?? null,
      commitment,
    });
    for (const n of [
      "params",
      "native_s_per_token",
      "ops_per_token",
      "dispute_wall_s",
      "dispute_peak_rss",
      "leaf_proof_s",
      "commitment_estimated_s",
      "commitment_sample_rate",
      "dispute_gas_total",
      "largest_tile_steps",
    ]) {
      const x = v(n);
      if (x !== undefined) values[key(n)] = x;
    }
    if (firstMeasured) values[key("commitment_first_s")] = first!.value;
    if (nodeSteps !== undefined) values[key("node_steps")] = nodeSteps;
    if (modelNodes !== null) values[key("model_nodes")] = modelNodes;
    const ops = v("ops_per_token");
    if (ops !== undefined && modelNodes !== null) values[key("ops_vs_model_nodes")] = ops / modelNodes;
  }
  const ratio = zkRaw("llama.stories15M.commitment_grouped_vs_per_blob");
  if (ratio?.ratio !== undefined) values["llama.commitment_grouped_ratio"] = ratio.ratio;
  values["llama.shapes"] = llamaRows.length;
  tables["llama"] = llamaRows.length
    ? mdTable(llamaRows, [
        { key: "model", title: "shape" },
        { key: "params", title: "parameters", fmt: "int" },
        { key: "native_s", title: "native s/token" },
        { key: "ops", title: "graph ops per token", fmt: "int" },
        { key: "model_nodes", title: "nodes the timing model assumes", fmt: "int" },
        { key: "node_steps", title: "VM steps of the disputed node", fmt: "int" },
        { key: "largest_tile_steps", title: "VM steps of the largest tile", fmt: "int" },
        { key: "rounds", title: "rounds (graph + VM)" },
        { key: "gas", title: "move gas (graph + VM)" },
        { key: "proof_s", title: "leaf proof (s)" },
        { key: "wall_s", title: "dispute wall (s)" },
        { key: "rss", title: "peak RSS (GiB)" },
        { key: "commitment", title: "model commitment, one-time (s)" },
      ])
    : "(no LLaMA measurements: run `npm run bench -- --heavy --only ml/llama.bench`)";

  // Sensitivity (tornado) of two headline outputs.
  if (timCfg.kind === "timing" && kmCfg.kind === "km") {
    const sens = sensitivity(constants, timCfg.cfg, kmCfg.cfg);
    for (const out of ["dispute_s", "cost_usd"] as const) {
      const rows = sens.filter((r) => r.output === out);
      tables[`sens_${out}`] = mdTable(
        rows.map((r) => ({ ...r })),
        [
          { key: "input", title: "input" },
          { key: "low_input", title: "low" },
          { key: "base_input", title: "base" },
          { key: "high_input", title: "high" },
          { key: "at_low", title: "output at low" },
          { key: "at_high", title: "output at high" },
          { key: "swing", title: "swing" },
          { key: "why", title: "range" },
        ],
      );
      values["sens.k"] = SENS_K;
      values[`sens.${out}.base`] = rows[0]!.base;
      values[`sens.${out}.top`] = rows[0]!.input;
      values[`sens.${out}.top_swing`] = rows[0]!.swing;
      const name = `tornado_${out}`;
      figures[name] = {
        name,
        caption:
          out === "dispute_s"
            ? "Sensitivity of the LLaMA-2 7B dispute duration (two phases, k = 7, largest measured m): each bar spans the output from the input's low to its high value, the others at base; the line is the base case."
            : "Sensitivity of the cost-optimal dispute's cost at N = 2^30 (measured m only): each bar spans the output from the input's low to its high value, the others at base; the line is the base case.",
        spec: tornadoChart({
          title:
            out === "dispute_s"
              ? "Tornado: LLaMA-2 7B dispute duration (s)"
              : "Tornado: cost-optimal dispute cost at N = 2^30 (USD)",
          rows: rows as unknown as Row[],
          label: "input",
          lo: "at_low",
          hi: "at_high",
          base: rows[0]!.base,
          xTitle: out === "dispute_s" ? "seconds" : "USD",
          logX: true,
        }),
      };
    }
  }

  // Deployed systems side by side (papers/sources/deployed.json) and where zkfp's defaults sit.
  type Sys = Record<string, unknown> & { name: string; source: string };
  const dep = JSON.parse(readFileSync(join(HERE, "sources", "deployed.json"), "utf8")) as { systems: Sys[] };
  const nf = "not found";
  const depRows: Row[] = dep.systems.map((x) => {
    const segs = x.segmentsLengths as number[] | undefined;
    const branching = segs ? segs.map((n) => `${n - 1}`).join(", ") + " (per turn)" : String(x.branching ?? nf);
    const depth =
      x.maxDepth !== undefined
        ? `${x.maxDepth} (split ${x.splitDepth})`
        : x.levels !== undefined
          ? `${x.levels} levels: ${x.levelNote}`
          : segs
            ? `${segs.length} turns`
            : nf;
    const bond =
      x.assertionStakeEth !== undefined
        ? `assertion ${x.assertionStakeEth} ETH; per level ${(x.levelStakesEth as number[]).join(", ")} ETH`
        : x.validatorBondWeiHex !== undefined
          ? `validator bond ${Number(BigInt(String(x.validatorBondWeiHex))) / 1e18} ETH`
          : String(x.bondRule ?? nf);
    const clock =
      x.maxClockDurationS !== undefined
        ? `${Number(x.maxClockDurationS) / 3600} h per side (+${Number(x.clockExtensionS) / 3600} h extension)`
        : x.bisectionTimeoutS !== undefined
          ? `${Number(x.bisectionTimeoutS) / 3600} h per bisection, ${Number(x.provingTimeoutS) / 3600} h to prove`
          : x.confirmPeriodBlocks !== undefined
            ? `challenge period ${x.confirmPeriodBlocks} blocks (+${x.gracePeriodHours} h grace)`
            : nf;
    return { name: x.name, branching, depth, bond, clock, proof: String(x.proof ?? nf), source: x.source };
  });
  const zk = (n: string) => values[`e2e.mnist.${n}`];
  depRows.push({
    name: "zkfp (demo defaults; this paper's models)",
    branching:
      zk("k") !== undefined
        ? `${zk("k")} (demo); model optimum at N = 2^30: ${values["km.opt.cost.measured.log2N=30.k"] ?? nf}`
        : nf,
    depth: "two phases (graph nodes, then VM steps of one node)",
    bond: `claimer stake ${fmt(values["economics.payout.S_eth"])} ETH in ${values["economics.payout.slots"]} slots, challenge bond ${fmt(values["economics.payout.B_eth"])} ETH; burned: ${fmt(values["economics.payout.b"], "pct")} of a lost slot, ${fmt(values["economics.payout.bc"], "pct")} of a lost bond (protocol/economics/payout.ts)`,
    clock: zk("clock_s") !== undefined ? `${Number(zk("clock_s")) / 3600} h per side (demo)` : nf,
    proof: `one RV32IM step on chain (m = 1) or Groth16 over m steps (measured up to m = ${constants.value("mMeasuredMax")})`,
    source: "bench/results/e2e.json, sims/configs, protocol/economics/payout.ts",
  });
  tables["deployed"] = mdTable(depRows, [
    { key: "name", title: "system" },
    { key: "branching", title: "checkpoints per move" },
    { key: "depth", title: "depth / levels" },
    { key: "bond", title: "bonds" },
    { key: "clock", title: "clocks" },
    { key: "proof", title: "leaf" },
    { key: "source", title: "source" },
  ]);

  // zkML baselines (papers/sources/zkml.json): stated figures only.
  const zkml = JSON.parse(readFileSync(join(HERE, "sources", "zkml.json"), "utf8")) as {
    provers: {
      name: string;
      year: number;
      venue: string;
      model: string;
      proveS: number | null;
      proveBound?: string;
      hardware: string;
      url: string;
      tokens?: number;
    }[];
  };
  values["src.zkllm.tokens"] = zkml.provers.find((x) => x.name === "zkLLM")?.tokens ?? "not found";
  tables["zkml"] = mdTable(
    zkml.provers.map((x) => ({
      name: x.name,
      year: String(x.year),
      venue: x.venue,
      model: x.model,
      prove: x.proveS === null ? nf : `${x.proveBound ?? ""} ${fmt(x.proveS)} s`.trim(),
      hardware: x.hardware,
      url: x.url,
    })),
    [
      { key: "name", title: "prover" },
      { key: "year", title: "year" },
      { key: "venue", title: "venue" },
      { key: "model", title: "model proven" },
      { key: "prove", title: "prove time (as stated)" },
      { key: "hardware", title: "hardware" },
      { key: "url", title: "source" },
    ],
  );
  const econCfg = loadConfig(join(ROOT, "sims", "configs", "economics.json"), "economics");
  if (econCfg.kind === "economics")
    for (const [k, v] of Object.entries(econCfg.cfg.felten)) if (typeof v === "number") values[`cfg.felten.${k}`] = v;
  if (econCfg.kind === "economics") {
    values["cfg.optimism.maxDepth"] = econCfg.cfg.optimism.maxDepth;
    values["cfg.optimism.gasPriceGwei"] = econCfg.cfg.optimism.gasPriceGwei;
    values["cfg.delay.attackerClockH"] = econCfg.cfg.delay.attackerClockH;
    values["cfg.delay.windowH"] = econCfg.cfg.delay.windowH;
    values["cfg.rr.challengerBondEth"] = values["economics.payout.B_eth"];
    values["cfg.validators.G"] = econCfg.cfg.validators.G;
    values["cfg.validators.C"] = econCfg.cfg.validators.C;
    values["cfg.validators.Sref"] = 1000;
    values["cfg.replicates"] = econCfg.cfg.replicates;
    values["cfg.rr.gasPriceGwei"] = econCfg.cfg.resourceRatio.gasPriceGwei;
    values["cfg.rr.stressGasPriceGwei"] = econCfg.cfg.resourceRatio.stressGasPriceGwei;
    values["cfg.rr.moveSeconds"] = econCfg.cfg.resourceRatio.moveSeconds;
  }

  // Figures: a series drawn exactly on top of another would be hidden; refuse it.
  for (const f of Object.values(figures)) {
    const hidden = hiddenSeries(f);
    if (hidden)
      throw new BuildError(`figure ${f.name}: series "${hidden[0]}" is drawn exactly under "${hidden[1]}"`, {
        figure: f.name,
        series: hidden,
      });
  }
  for (const f of Object.values(figures)) {
    const p = join(figDir, `${f.name}.svg`);
    writeAtomic(p, await renderSvg(f.spec));
    files.push(p);
  }
  const vp = join(dataDir, "values.json");
  writeAtomic(
    vp,
    stableJson(Object.fromEntries(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))),
  );
  files.push(vp);

  // Fill the template (after linting it: no hand-typed numbers in its prose).
  const tpl = readFileSync(join(HERE, "zkfp.template.md"), "utf8");
  const stray = lintTemplate(tpl);
  if (stray.length)
    throw new BuildError(`template has ${stray.length} hand-typed number(s) outside placeholders`, {
      first: stray.slice(0, 5),
    });
  const md = tpl.replace(/\{\{([^}]+)\}\}/g, (_m, inner: string) => {
    const [key, how] = inner
      .trim()
      .split("|")
      .map((s) => s.trim()) as [string, string | undefined];
    if (key.startsWith("table:")) {
      const t = tables[key.slice(6)];
      if (t === undefined) throw new BuildError(`template table ${key} has no data`, { placeholder: key });
      return t;
    }
    if (key.startsWith("figure:")) {
      const f = figures[key.slice(7)];
      if (!f) throw new BuildError(`template figure ${key} has no data`, { placeholder: key });
      return `![${f.caption}](figures/${f.name}.svg)\n\n*Figure: ${f.caption}*`;
    }
    if (!(key in values)) {
      // Measurements that a build may lack (no e2e bench file; no measured m meeting the goal) say so.
      if (OPTIONAL.some((p) => key.startsWith(p))) return "not measured";
      throw new BuildError(`template value ${key} has no data`, { placeholder: key });
    }
    return fmt(values[key], how);
  });
  const mp = join(out, "zkfp.md");
  writeAtomic(mp, md);
  files.push(mp);
  return { values, markdown: md, files, seconds: (performance.now() - t0) / 1000 };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const quick = process.argv.includes("--quick");
  const oi = process.argv.indexOf("--out");
  const r = await buildPaper({ quick, outDir: oi > 0 ? process.argv[oi + 1] : undefined, progress: true });
  process.stderr.write(
    `paper: wrote ${r.files.length} files in ${r.seconds.toFixed(1)} s; ${fmtNum(Number(r.values["checks.passed"]))}/${fmtNum(Number(r.values["checks.total"]))} checks passed\n`,
  );
  if (r.values["checks.all_passed"] !== true) process.exitCode = 1;
}
