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
    const band = (v: unknown, ci: unknown) => ({ lo: Number(v) - Number(ci), hi: Number(v) + Number(ci) });
    const R = Number(tbl(tables, "felten_advantage")[0]?.replicates ?? 1);
    const ci = `95 % intervals (Student t) over ${R} independent replicates`;
    const adv = tbl(tables, "felten_advantage").flatMap((r) => [
      {
        X: r.X,
        v: r.advantage_mc,
        s: `${r.mode} (simulated, mean of ${r.replicates})`,
        ...band(r.advantage_mc, r.ci95),
      },
      { X: r.X, v: r.advantage_closed, s: `${r.mode} (closed form)` },
    ]);
    const fpl = tbl(tables, "felten_fictitious_play").flatMap((r) => [
      { t: r.t, v: r.X, s: `${r.mode}: cheat frequency X` },
      { t: r.t, v: r.Y, s: `${r.mode}: check frequency Y` },
    ]);
    // Log scale: a bar reaching 0 is cut at the point (no lower whisker), a zero point is not drawn.
    const val = tbl(tables, "validators")
      .map((r): Row => ({ n: r.n, f: r.failure, s: `S = ${r.S} (closed form)` }))
      .concat(
        tbl(tables, "validators").map((r) => {
          const b = band(r.failure_mc, r.failure_ci95);
          return {
            n: r.n,
            f: r.failure_mc,
            s: `S = ${r.S} (simulated)`,
            lo: b.lo > 0 ? b.lo : r.failure_mc,
            hi: b.hi,
          } as Row;
        }),
      )
      .filter((r) => Number(r.f) > 0);
    const stake = tbl(tables, "min_stake")
      .flatMap((r): Row[] => [
        { T: r.window_h, s_min: r.s_min_eth, s: `${r.watchers} watcher(s), closed form` },
        {
          T: r.window_h,
          s_min: r.s_min_mc_eth,
          s: `${r.watchers} watcher(s), simulated`,
          lo: r.s_min_mc_lo_eth,
          hi: r.s_min_mc_hi_eth,
        },
      ])
      .filter((r) => Number.isFinite(Number(r.s_min)) && Number(r.s_min) > 0)
      .map(
        (r): Row =>
          r.hi !== undefined && !(Number.isFinite(Number(r.hi)) && Number(r.lo) > 0)
            ? { T: r.T, s_min: r.s_min, s: r.s }
            : r,
      );
    const op = tbl(tables, "optimism_bonds").map((r) => ({
      depth: r.depth,
      bond: r.bond_eth,
      s: "0.08 ETH · x^depth, x = 750^(1/73)",
    }));
    const rr = tbl(tables, "resource_ratio")
      .filter((r) => r.log2N === 30 && (r.levels ?? 1) === 1)
      .flatMap((r) => [
        { k: r.k, ratio: r.ratio, s: `m = ${r.m}, 20 gwei` },
        { k: r.k, ratio: r.ratio_stress, s: `m = ${r.m}, 200 gwei` },
      ]);
    const dl = tbl(tables, "delay")
      .flatMap((r): Row[] => [
        { B: r.budget_eth, d: Number(r.seq_delay_h) / 24, s: "one game at a time (closed form)" },
        {
          B: r.budget_eth,
          d: Number(r.seq_delay_h_mc) / 24,
          s: "one game at a time (simulated)",
          lo: (Number(r.seq_delay_h_mc) - Number(r.seq_ci95)) / 24,
          hi: (Number(r.seq_delay_h_mc) + Number(r.seq_ci95)) / 24,
        },
        { B: r.budget_eth, d: Number(r.par_delay_h) / 24, s: "all at once, in waves of the free slots (closed form)" },
        {
          B: r.budget_eth,
          d: Number(r.par_delay_h_mc) / 24,
          s: "all at once, in waves of the free slots (simulated)",
          lo: (Number(r.par_delay_h_mc) - Number(r.par_ci95)) / 24,
          hi: (Number(r.par_delay_h_mc) + Number(r.par_ci95)) / 24,
        },
      ])
      .filter((r) => Number(r.d) > 0)
      .map((r): Row => (r.lo !== undefined && !(Number(r.lo) > 0) ? { ...r, lo: r.d } : r));
    const sl = tbl(tables, "socks_loss").flatMap((r): Row[] =>
      [
        { n: r.socks, v: r.loss_socks_win, s: "socks win every slot they hold (rest thrown)" },
        { n: r.socks, v: r.loss_socks_thrown, s: "every sock thrown, the honest challenger wins" },
      ].concat(
        r.loss_min !== r.loss_socks_win ? [{ n: r.socks, v: r.loss_min, s: "liar's best split (smallest loss)" }] : [],
      ),
    );
    const sg = tbl(tables, "socks_gas").flatMap((r): Row[] => [
      { g: r.gwei, v: r.reward_eth, s: "challenger's reward (1 − b)·D" },
      { g: r.gwei, v: r.challenger_gas_eth, s: "honest challenger's gas (measured game)" },
      ...(r.budget_gas_eth === r.defence_budget_eth
        ? []
        : [{ g: r.gwei, v: r.budget_gas_eth, s: "honest challenger's gas budget (worst case, payout.ts)" }]),
      { g: r.gwei, v: r.compensation_eth, s: "claimer's compensation per thrown griefer (1 − b_c)·B" },
      { g: r.gwei, v: r.claimer_defense_eth, s: "honest claimer's gas to win one game (model)" },
      {
        g: r.gwei,
        v: r.defence_budget_eth,
        s:
          r.budget_gas_eth === r.defence_budget_eth
            ? "honest challenger's and claimer's gas budgets (payout.ts; equal)"
            : "honest claimer's defence budget (payout.ts)",
      },
    ]);
    return [
      {
        name: "socks_loss",
        caption:
          "A lying claimer with n sock challengers under the funded-slot payout rule (protocol/economics/payout.ts): the fraction of everything its addresses deposited that it loses, for its two extreme strategies (its best split is the first, socks winning every slot, drawn only where it differs); the dashed line is the rule's bound of one half.",
        spec: lineChart({
          title: "Sock puppets: the liar's loss fraction",
          rows: sl,
          x: "n",
          y: "v",
          series: "s",
          xTitle: "sock challengers n",
          yTitle: "loss / deposits",
          rules: [{ y: 0.5, label: "one half" }],
        }),
      },
      {
        name: "socks_gas",
        caption:
          "What the payout rule pays an honest party against its gas, versus the gas price: an honest challenger that wins (reward on top of its bond) and an honest claimer per griefer whose game it wins.",
        spec: lineChart({
          title: "Honest payouts vs gas price",
          rows: sg,
          x: "g",
          y: "v",
          series: "s",
          xTitle: "gas price (gwei)",
          yTitle: "ETH",
          logX: true,
          logY: true,
        }),
      },
      {
        name: "felten_advantage",
        caption: `Checker's advantage of checking over skipping versus the cheating probability X: closed form (line) and simulation (mean with ${ci}); zero crossing = X*.`,
        spec: lineChart({
          title: "Felten's checker game",
          rows: adv,
          x: "X",
          y: "v",
          series: "s",
          xTitle: "cheating probability X",
          yTitle: "E[check] − E[skip]",
          lo: "lo",
          hi: "hi",
        }),
      },
      {
        name: "felten_fictitious_play",
        caption:
          "Fictitious play (deterministic, one run): empirical cheating and checking frequencies of each variant against the round number.",
        spec: lineChart({
          title: "Checker game: learning the equilibrium",
          rows: fpl,
          x: "t",
          y: "v",
          series: "s",
          xTitle: "round",
          yTitle: "frequency",
          logX: true,
        }),
      },
      {
        name: "validators_failure",
        caption: `Failure probability in the validators' mixed equilibrium versus the number of validators n: closed form and simulation (${ci}; points with no simulated failure are not drawn on the log scale).`,
        spec: lineChart({
          title: "Rollup validators: failure probability",
          rows: val,
          x: "n",
          y: "f",
          series: "s",
          xTitle: "validators n",
          yTitle: "P(cheat and nobody checks)",
          logY: true,
          lo: "lo",
          hi: "hi",
        }),
      },
      {
        name: "min_stake",
        caption: `Minimum claimer stake making a cheat on the value at risk unprofitable, versus the challenge period: closed form and simulated detection (${ci}, mapped through S_min = V(1 − d)/d).`,
        spec: lineChart({
          title: "Minimum stake vs challenge period",
          rows: stake,
          x: "T",
          y: "s_min",
          series: "s",
          xTitle: "challenge period (hours)",
          yTitle: "minimum stake (ETH)",
          logX: true,
          logY: true,
          lo: "lo",
          hi: "hi",
        }),
      },
      {
        name: "optimism_bonds",
        caption: "Optimism's required bond per game depth (the spec's formula at its assumed 200 gwei base fee).",
        spec: lineChart({
          title: "Optimism fault dispute game bonds",
          rows: op,
          x: "depth",
          y: "bond",
          series: "s",
          xTitle: "depth",
          yTitle: "bond (ETH)",
          logY: true,
        }),
      },
      {
        name: "resource_ratio",
        caption:
          "Resource ratio (griefing challenger's cost / honest claimer's cost) versus k at N = 2^30, at 20 and 200 gwei; below the dashed line griefing costs the attacker less than the defender.",
        spec: lineChart({
          title: "Resource ratio at N = 2^30",
          rows: rr,
          x: "k",
          y: "ratio",
          series: "s",
          xTitle: "checkpoints per move k",
          yTitle: "attacker cost / defender cost",
          logX: true,
          logY: true,
          rules: [{ y: 1, label: "break-even" }],
        }),
      },
      {
        name: "delay",
        caption: `Delay an attacker buys with budget B against an honest claim under the contract's rule (the challenge window reopens after every game the claimer wins; at most as many open games as slots): one game at a time and all at once in waves, closed forms and simulation (${ci}).`,
        spec: lineChart({
          title: "Delay attack: finality delay vs attacker budget",
          rows: dl,
          x: "B",
          y: "d",
          series: "s",
          xTitle: "attacker budget (ETH)",
          yTitle: "delay (days)",
          logX: true,
          logY: true,
          lo: "lo",
          hi: "hi",
        }),
      },
    ];
  }
  if (kind === "timing") {
    const curves = tbl(tables, "timing_curves");
    const basis = (r: Row) =>
      r.family === "zkML"
        ? r.in_measured_range
          ? "at the source's data point(s)"
          : "zkML extrapolated from the source"
        : r.prove_measured === false
          ? "opML, prove time extrapolated (m beyond measured)"
          : "opML model, measured constants";
    const fin = curves
      .filter((r) => r.family !== "opML disputed" || String(r.series).startsWith("opML worst"))
      .map((r) => ({ P: r.P, t: r.finality_s, s: r.series, b: basis(r) }));
    const disp = curves
      .filter((r) => r.family === "opML disputed" && r.dispute_s !== undefined && r.dispute_s !== null)
      .map((r) => ({ P: r.P, t: r.dispute_s, s: r.series, b: basis(r) }));
    const cost = curves
      .filter(
        (r) =>
          r.cost_usd !== null &&
          r.cost_usd !== undefined &&
          (r.family === "zkML" || String(r.series).includes("W=24h")),
      )
      .map((r) => ({ P: r.P, c: r.cost_usd, s: r.series, b: basis(r) }));
    return [
      {
        name: "timing_finality",
        caption:
          "Time to finality versus model size: opML undisputed (one line per challenge window), opML worst case (challenge at the window's end, then both chess clocks) and zkML proving; a zkML line is drawn solid only at its source's own data point(s) and dashed where extrapolated.",
        spec: lineChart({
          title: "Time to finality vs model size",
          rows: fin,
          x: "P",
          y: "t",
          series: "s",
          xTitle: "parameters P",
          yTitle: "seconds to finality",
          logX: true,
          logY: true,
          dash: "b",
        }),
      },
      {
        name: "timing_dispute",
        caption:
          "Duration of a dispute (trace with state roots + rounds + proof) versus model size, per k, m and phases; dashed where m exceeds the largest measured m.",
        spec: lineChart({
          title: "Dispute duration vs model size",
          rows: disp,
          x: "P",
          y: "t",
          series: "s",
          xTitle: "parameters P",
          yTitle: "dispute duration (s)",
          logX: true,
          logY: true,
          dash: "b",
        }),
      },
      {
        name: "timing_cost",
        caption: "Cost per inference (USD) versus model size; zkML dashed where extrapolated.",
        spec: lineChart({
          title: "Cost per inference",
          rows: cost,
          x: "P",
          y: "c",
          series: "s",
          xTitle: "parameters P",
          yTitle: "USD per inference",
          logX: true,
          logY: true,
          dash: "b",
        }),
      },
    ];
  }
  const grid = tbl(tables, "km_grid");
  const mid = [...new Set(grid.map((r) => r.log2N))].sort((a, b) => Number(a) - Number(b))[
    Math.floor(new Set(grid.map((r) => r.log2N)).size / 2)
  ];
  const gas = grid
    .filter((r) => r.log2N === mid && [1, 16, 1024].includes(Number(r.m)))
    .map((r) => ({ k: r.k, g: r.gas, s: `m = ${r.m}` }));
  const lat = grid
    .filter((r) => r.log2N === mid && [1, 7, 63].includes(Number(r.k)))
    .map((r) => ({ m: r.m, l: r.latencyS, s: `k = ${r.k}`, b: r.measured ? "measured m" : "extrapolated m" }));
  const par = tbl(tables, "km_pareto").filter((r) => r.log2N === mid);
  // Solid where m is measured; the dashed part joins the last measured point to the extrapolated ones.
  const lastMeasured = [...par].reverse().find((r) => r.basis === "measured m");
  const front = par
    .map((r) => ({
      l: r.latency_s,
      g: r.gas,
      s: "Pareto frontier",
      b: r.basis === "measured m" ? "measured m" : "extrapolated m",
    }))
    .concat(
      lastMeasured && par.some((r) => r.basis !== "measured m")
        ? [{ l: lastMeasured.latency_s, g: lastMeasured.gas, s: "Pareto frontier", b: "extrapolated m" }]
        : [],
    );
  return [
    {
      name: "km_gas",
      caption: `Total dispute gas versus k at N = 2^${mid}, for three m (gas does not depend on whether m's prove time was measured).`,
      spec: lineChart({
        title: `Dispute gas vs k (N = 2^${mid})`,
        rows: gas,
        x: "k",
        y: "g",
        series: "s",
        xTitle: "checkpoints per move k",
        yTitle: "total gas",
        logX: true,
        logY: true,
      }),
    },
    {
      name: "km_latency",
      caption: `Dispute latency versus m at N = 2^${mid}, for three k; dashed beyond the largest measured m (extrapolated prove time).`,
      spec: lineChart({
        title: `Dispute latency vs m (N = 2^${mid})`,
        rows: lat,
        x: "m",
        y: "l",
        series: "s",
        xTitle: "steps per zk proof m",
        yTitle: "latency (s)",
        logX: true,
        logY: true,
        dash: "b",
      }),
    },
    {
      name: "km_pareto",
      caption: `Latency–gas Pareto frontier over (k, m) at N = 2^${mid}: no other (k, m) is both faster and cheaper; solid where m is measured, dashed where the prove time is extrapolated.`,
      spec: lineChart({
        title: `Latency–gas Pareto frontier (N = 2^${mid})`,
        rows: front,
        x: "l",
        y: "g",
        series: "s",
        xTitle: "dispute latency (s)",
        yTitle: "total gas",
        logX: true,
        logY: true,
        dash: "b",
      }),
    },
  ];
}
