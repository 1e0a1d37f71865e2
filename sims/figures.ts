/**
 * Figure specs (Vega-Lite) for each simulation's output tables, shared by the CLI (`zkfp sim ...
 * --out DIR`) and the paper (papers/build.ts). Each figure is a pure function of the tables.
 */
import type { Row, Table } from "./csv.ts";
import { lineChart, type VlSpec } from "./charts.ts";
import type { SimKind } from "./config.ts";

export type Figure = { name: string; caption: string; spec: VlSpec };
const tbl = (ts: Table[], n: string): Row[] => ts.find((t) => t.name === n)?.rows ?? [];

export function figuresFor(kind: SimKind, tables: Table[]): Figure[] {
  if (kind === "economics") {
    const adv = tbl(tables, "felten_advantage").flatMap((r) => [
      { X: r.X, v: r.advantage_mc, s: `${r.mode} (simulated)` }, { X: r.X, v: r.advantage_closed, s: `${r.mode} (closed form)` }]);
    const fpl = tbl(tables, "felten_fictitious_play").flatMap((r) => [{ t: r.t, v: r.X, s: `${r.mode}: cheat frequency X` }, { t: r.t, v: r.Y, s: `${r.mode}: check frequency Y` }]);
    const val = tbl(tables, "validators").map((r) => ({ n: r.n, f: r.failure, s: `S = ${r.S} (closed form)` }))
      .concat(tbl(tables, "validators").map((r) => ({ n: r.n, f: r.failure_mc, s: `S = ${r.S} (simulated)` })))
      .filter((r) => Number(r.f) > 0); // log scale: a run with no failure has no point
    const stake = tbl(tables, "min_stake").map((r) => ({ T: r.window_h, s_min: r.s_min_eth, s: `${r.watchers} watcher(s)` }));
    const op = tbl(tables, "optimism_bonds").map((r) => ({ depth: r.depth, bond: r.bond_eth, s: "0.08 ETH · x^depth, x = 750^(1/73)" }));
    const rr = tbl(tables, "resource_ratio").filter((r) => r.log2N === 30 && (r.levels ?? 1) === 1).map((r) => ({ k: r.k, ratio: r.ratio, s: `m = ${r.m}` }));
    const dl = tbl(tables, "delay").flatMap((r) => [
      { B: r.budget_eth, d: Number(r.seq_delay_h) / 24, s: "sequential games (closed form)" }, { B: r.budget_eth, d: Number(r.seq_delay_h_mc) / 24, s: "sequential games (simulated)" },
      { B: r.budget_eth, d: Number(r.par_delay_h) / 24, s: "parallel games, chess clocks (closed form)" }, { B: r.budget_eth, d: Number(r.par_delay_h_mc) / 24, s: "parallel games, chess clocks (simulated)" }])
      .filter((r) => r.d > 0);
    return [
      { name: "felten_advantage", caption: "Checker's advantage of checking over skipping versus the cheating probability X; zero crossing = X*.", spec: lineChart({ title: "Felten's checker game", rows: adv, x: "X", y: "v", series: "s", xTitle: "cheating probability X", yTitle: "E[check] − E[skip]" }) },
      { name: "felten_fictitious_play", caption: "Fictitious play: empirical cheating and checking frequencies converge to the equilibrium of each variant.", spec: lineChart({ title: "Checker game: learning the equilibrium", rows: fpl, x: "t", y: "v", series: "s", xTitle: "round", yTitle: "frequency", logX: true }) },
      { name: "validators_failure", caption: "Failure probability in the validators' mixed equilibrium versus the number of validators n.", spec: lineChart({ title: "Rollup validators: failure probability", rows: val, x: "n", y: "f", series: "s", xTitle: "validators n", yTitle: "P(cheat and nobody checks)", logY: true }) },
      { name: "min_stake", caption: "Minimum claimer stake making a cheat on the value at risk unprofitable, versus the challenge period.", spec: lineChart({ title: "Minimum stake vs challenge period", rows: stake, x: "T", y: "s_min", series: "s", xTitle: "challenge period (hours)", yTitle: "minimum stake (ETH)", logX: true, logY: true }) },
      { name: "optimism_bonds", caption: "Optimism's required bond per game depth.", spec: lineChart({ title: "Optimism fault dispute game bonds", rows: op, x: "depth", y: "bond", series: "s", xTitle: "depth", yTitle: "bond (ETH)", logY: true }) },
      { name: "resource_ratio", caption: "Resource ratio (griefing challenger's cost / honest claimer's cost) versus k at N = 2^30.", spec: lineChart({ title: "Resource ratio at N = 2^30", rows: rr, x: "k", y: "ratio", series: "s", xTitle: "checkpoints per move k", yTitle: "attacker cost / defender cost", logX: true, logY: true, rules: [{ y: 1, label: "break-even" }] }) },
      { name: "delay", caption: "Delay an attacker buys with budget B under sequential and parallel (chess-clock) challenge handling.", spec: lineChart({ title: "Delay attack: finality delay vs attacker budget", rows: dl, x: "B", y: "d", series: "s", xTitle: "attacker budget (ETH)", yTitle: "delay (days)", logX: true, logY: true }) },
    ];
  }
  if (kind === "timing") {
    const curves = tbl(tables, "timing_curves");
    const fin = curves.filter((r) => r.family !== "opML disputed" || String(r.series).startsWith("opML worst")).map((r) => ({ P: r.P, t: r.finality_s, s: r.series }));
    const disp = curves.filter((r) => r.family === "opML disputed" && r.dispute_s !== undefined && r.dispute_s !== null).map((r) => ({ P: r.P, t: r.dispute_s, s: r.series }));
    const cost = curves.filter((r) => r.cost_usd !== null && r.cost_usd !== undefined && (r.family === "zkML" || String(r.series).includes("W=24h"))).map((r) => ({ P: r.P, c: r.cost_usd, s: r.series }));
    return [
      { name: "timing_finality", caption: "Time to finality versus model size: opML (undisputed, per challenge window; worst-case dispute) and zkML proving.", spec: lineChart({ title: "Time to finality vs model size", rows: fin, x: "P", y: "t", series: "s", xTitle: "parameters P", yTitle: "seconds to finality", logX: true, logY: true }) },
      { name: "timing_dispute", caption: "Duration of a dispute (trace + rounds + proof) versus model size, per k, m and phases.", spec: lineChart({ title: "Dispute duration vs model size", rows: disp, x: "P", y: "t", series: "s", xTitle: "parameters P", yTitle: "dispute duration (s)", logX: true, logY: true }) },
      { name: "timing_cost", caption: "Cost per inference (USD) versus model size.", spec: lineChart({ title: "Cost per inference", rows: cost, x: "P", y: "c", series: "s", xTitle: "parameters P", yTitle: "USD per inference", logX: true, logY: true }) },
    ];
  }
  const grid = tbl(tables, "km_grid");
  const mid = [...new Set(grid.map((r) => r.log2N))].sort((a, b) => Number(a) - Number(b))[Math.floor(new Set(grid.map((r) => r.log2N)).size / 2)];
  const gas = grid.filter((r) => r.log2N === mid && [1, 16, 1024].includes(Number(r.m))).map((r) => ({ k: r.k, g: r.gas, s: `m = ${r.m}` }));
  const lat = grid.filter((r) => r.log2N === mid && [1, 7, 63].includes(Number(r.k))).map((r) => ({ m: r.m, l: r.latencyS, s: `k = ${r.k}` }));
  return [
    { name: "km_gas", caption: `Total dispute gas versus k at N = 2^${mid}.`, spec: lineChart({ title: `Dispute gas vs k (N = 2^${mid})`, rows: gas, x: "k", y: "g", series: "s", xTitle: "checkpoints per move k", yTitle: "total gas", logX: true, logY: true }) },
    { name: "km_latency", caption: `Dispute latency versus m at N = 2^${mid}.`, spec: lineChart({ title: `Dispute latency vs m (N = 2^${mid})`, rows: lat, x: "m", y: "l", series: "s", xTitle: "steps per zk proof m", yTitle: "latency (s)", logX: true, logY: true }) },
  ];
}
