/**
 * Runs the economics models from a typed config (sims/configs/economics*.json): Felten's checker
 * game, the validators' mixed equilibrium, minimum stakes, Optimism's bond curve, zkfp's resource
 * ratio and the delay/Sybil attack. Monte Carlo sweeps go through worker threads (sims/pool.ts);
 * every closed form is checked against its simulation (sims/check.ts) and the checks are returned
 * with the tables. Output depends only on (config, seed, constants), never on the thread count.
 */
import { arr, expandLin, expandLog, int, linGrid, logGrid, nonneg, obj, oneOf, opt, pos, prob } from "../schema.ts";
import type { Constants } from "../constants.ts";
import { runSweep, type ProgressFn } from "../pool.ts";
import { check, Z, type Check } from "../check.ts";
import type { Table } from "../csv.ts";
import { MODES, empiricalThreshold, equilibrium, fictitiousPlay, threshold, type FeltenMcResult, type FeltenParams } from "./felten.ts";
import { type ValidatorMcResult } from "./validators.ts";
import { detectionProbability, griefingCost, opBondEth, roundsFor, type DetectMcResult } from "./bonds.ts";
import { sybils, type DelayMcResult, type DelayParams } from "./delay.ts";
import { pathGas } from "../km/model.ts";
import { aggregate, byPoint, replicateTasks } from "../replicates.ts";
import { minStake } from "./bonds.ts";

export const economicsSpec = obj({
  kind: oneOf("economics"),
  seed: opt(int(0, 2 ** 32 - 1), 1),
  threads: opt(int(1, 64), 2),
  /** Monte Carlo replicates per grid point (independent RNG streams; sims/replicates.ts). */
  replicates: opt(int(1, 1000), 1),
  felten: obj({
    C: pos(), R: nonneg(), L: nonneg(), G: pos(), P: pos(), q: prob(), A: nonneg(), p: prob(), J: nonneg(),
    xGrid: linGrid(), rounds: int(100, 1e8), fpRounds: int(10, 1e8),
  }),
  validators: obj({ n: arr(int(1, 1000), { minLen: 1 }), S: arr(pos(), { minLen: 1 }), G: pos(), C: pos(), L: nonneg(), rounds: int(100, 1e8) }),
  stake: obj({
    valueAtRiskEth: pos(), watchers: arr(int(1, 1000), { minLen: 1 }), availability: prob(), noticeMeanHours: pos(),
    windowHours: logGrid(), trials: int(100, 1e8), capitalRatePerYear: nonneg(),
  }),
  optimism: obj({ baseGas: pos(), highGas: pos(), maxDepth: int(1, 1000), gasPriceGwei: pos(), roundedMultiplier: pos() }),
  resourceRatio: obj({
    N: arr(int(2, 2 ** 53), { minLen: 1 }), k: arr(int(1, 4096), { minLen: 1 }), m: arr(int(1, 2 ** 30), { minLen: 1 }),
    gasPriceGwei: pos(), ethUsd: pos(), cpuUsdPerHour: nonneg(), claimerStakeEth: nonneg(), capitalRatePerYear: nonneg(),
    moveSeconds: pos(), challengerBondEth: nonneg(), levels: opt(arr(int(1, 4), { minLen: 1 }), [1]),
    /** A second gas price at which the ratio is also reported (e.g. Optimism's assumed 200 gwei). */
    stressGasPriceGwei: pos(),
  }),
  delay: obj({
    budgetEth: logGrid(), N: int(2, 2 ** 53), k: int(1, 4096), m: int(1, 2 ** 30), attackerClockH: pos(), defenderClockH: pos(),
    defenderMeanH: pos(), challengerBondEth: pos(), gasPriceGwei: pos(), trials: int(10, 1e7),
  }),
});
export type EconomicsConfig = ReturnType<typeof economicsSpec>;

export type SimOutput = { tables: Table[]; checks: Check[]; summary: Record<string, number | string | boolean>; json: Record<string, unknown> };

export async function runEconomics(cfg: EconomicsConfig, c: Constants, opts: { seed: number; threads: number; onProgress?: ProgressFn }): Promise<SimOutput> {
  const seed = opts.seed;
  const checks: Check[] = [];
  const tables: Table[] = [];
  const summary: SimOutput["summary"] = {};
  const F = cfg.felten;
  const fp: FeltenParams = { C: F.C, R: F.R, L: F.L, G: F.G, P: F.P, q: F.q, A: F.A, p: F.p, J: F.J };

  // Build all Monte Carlo tasks first so one progress bar covers the whole sweep.
  const xs = expandLin(F.xGrid);
  const feltenTasks = MODES.flatMap((mode, mi) => xs.map((X, xi) => ({ f: fp, mode, X, rounds: F.rounds, seed, index: 1000 * mi + xi })));
  const V = cfg.validators;
  const valTasks = V.S.flatMap((S, si) => V.n.map((n, ni) => ({ v: { n, S, G: V.G, C: V.C, L: V.L }, rounds: V.rounds, seed, index: 100_000 + 1000 * si + ni })));
  const St = cfg.stake;
  const windows = expandLog(St.windowHours);
  const detTasks = St.watchers.flatMap((w, wi) => windows.map((T, ti) => ({ d: { watchers: w, availability: St.availability, noticeMeanHours: St.noticeMeanHours, windowHours: T }, valueAtRisk: St.valueAtRiskEth, trials: St.trials, seed, index: 200_000 + 1000 * wi + ti })));
  const D = cfg.delay;
  const dRounds = roundsFor(D.N, D.k, D.m);
  const gwei = D.gasPriceGwei * 1e-9;
  const dPath = pathGas(c, D.N, D.k, D.m);
  const costPerSybil = D.challengerBondEth + dPath.challengerGas * gwei;
  const dp: DelayParams = { rounds: dRounds, attackerClockH: D.attackerClockH, defenderClockH: D.defenderClockH, defenderMeanH: D.defenderMeanH, proveH: c.proveSeconds(D.m) / 3600, costPerSybilEth: costPerSybil };
  const budgets = expandLog(D.budgetEth);
  const delayTasks = budgets.map((B, i) => ({ p: dp, budgetEth: B, trials: D.trials, seed, index: 300_000 + i }));

  const R = cfg.replicates;
  const total = R * (feltenTasks.length + valTasks.length + detTasks.length + delayTasks.length);
  let base = 0;
  // Every grid point runs R times on independent streams; results come back as per-point lists.
  const sweep = async <X>(fn: string, tasks: { index: number }[]): Promise<X[][]> => {
    const all = replicateTasks(tasks, R);
    const r = await runSweep<X>(fn, all, { threads: opts.threads, onProgress: (d) => opts.onProgress?.(base + d, total) });
    base += all.length;
    return byPoint(r, tasks.length);
  };

  // --- Felten
  const fRes = (await sweep<FeltenMcResult>("felten.mc", feltenTasks)).map((reps) => aggregate(reps, { mean: "se" }));
  tables.push({ name: "felten_advantage", columns: ["mode", "X", "advantage_mc", "se", "ci95", "replicates", "advantage_closed"],
    rows: fRes.map((r) => ({ mode: r.mode, X: r.X, advantage_mc: r.mean, se: r.se, ci95: r.ci95_mean, replicates: r.replicates, advantage_closed: r.closed })) });
  const eqRows = [];
  const fpRows: { mode: string; t: number; X: number; Y: number }[] = [];
  for (const mode of MODES) {
    const rows = fRes.filter((r) => r.mode === mode);
    for (const r of rows) checks.push(check(`felten.adv.${mode}.X=${r.X}`, `checker advantage at X=${r.X} (${mode})`, r.closed, r.mean, Z * r.se, `${Z}·SE`));
    const xStar = threshold(fp, mode);
    const xHat = empiricalThreshold(rows);
    const sePt = Math.max(...rows.map((r) => r.se));
    const step = xs[1]! - xs[0]!;
    checks.push(check(`felten.threshold.${mode}`, `X* = max(0, (C − bonus)/(R+L)) (${mode})`, xStar, xHat, (Z * sePt) / (F.R + F.L) + (xStar === 0 ? step : 0), `${Z}·max SE/(R+L)${xStar === 0 ? " + one grid step (threshold at the grid edge)" : ""}`));
    const eq = equilibrium(fp, mode);
    const play = fictitiousPlay(fp, mode, F.fpRounds);
    for (const p of play.path) fpRows.push({ mode, ...p });
    const tolFp = 0.02;
    checks.push(check(`felten.fp.X.${mode}`, `fictitious play cheat frequency → X* (${mode})`, eq.X, play.X, tolFp, `absolute ${tolFp} after ${F.fpRounds} rounds`));
    checks.push(check(`felten.fp.Y.${mode}`, `fictitious play check frequency → Y* (${mode})`, eq.Y, play.Y, tolFp, `absolute ${tolFp} after ${F.fpRounds} rounds`));
    eqRows.push({ mode, X_star: xStar, X_star_mc: xHat, Y_star: eq.Y, X_fp: play.X, Y_fp: play.Y, subsidy_per_assertion: eq.subsidyPerAssertion });
    summary[`felten.${mode}.Xstar`] = xStar;
    summary[`felten.${mode}.Xstar_mc`] = xHat;
    summary[`felten.${mode}.Ystar`] = eq.Y;
  }
  tables.push({ name: "felten_fictitious_play", columns: ["mode", "t", "X", "Y"], rows: fpRows });
  tables.push({ name: "felten_equilibria", columns: ["mode", "X_star", "X_star_mc", "Y_star", "X_fp", "Y_fp", "subsidy_per_assertion"], rows: eqRows });

  // --- Validators
  const vRes = (await sweep<ValidatorMcResult>("validators.mc", valTasks)).map((reps) => aggregate(reps, { failureMc: "failureSe", checkAdvMc: "checkAdvSe", cheatPayoffMc: "cheatPayoffSe" }));
  tables.push({ name: "validators", columns: ["n", "S", "p", "q", "interior", "failure", "failure_mc", "failure_se", "failure_ci95", "replicates", "check_adv_mc", "cheat_payoff_mc"],
    rows: vRes.map((r) => ({ n: r.n, S: r.S, p: r.p, q: r.q, interior: r.interior, failure: r.failure, failure_mc: r.failureMc, failure_se: r.failureSe, failure_ci95: r.ci95_failureMc, replicates: r.replicates, check_adv_mc: r.checkAdvMc, cheat_payoff_mc: r.cheatPayoffMc })) });
  for (const r of vRes) {
    checks.push(check(`validators.failure.n=${r.n}.S=${r.S}`, `failure probability (n=${r.n}, S=${r.S})`, r.failure, r.failureMc, Z * r.failureSe, `${Z}·SE`));
    if (r.interior) {
      checks.push(check(`validators.indiff.n=${r.n}.S=${r.S}`, `validator indifferent (n=${r.n}, S=${r.S})`, 0, r.checkAdvMc, Z * r.checkAdvSe, `${Z}·SE`));
      checks.push(check(`validators.asserter.n=${r.n}.S=${r.S}`, `asserter indifferent (n=${r.n}, S=${r.S})`, 0, r.cheatPayoffMc, Z * r.cheatPayoffSe, `${Z}·SE`));
    }
  }
  for (const S of V.S) {
    const rows = vRes.filter((r) => r.S === S);
    const best = [...rows].sort((a, b) => a.failure - b.failure || a.n - b.n)[0]!;
    summary[`validators.S=${S}.best_n`] = best.n;
    summary[`validators.S=${S}.min_failure`] = best.failure;
    summary[`validators.S=${S}.failure_at_max_n`] = rows[rows.length - 1]!.failure;
  }

  // --- Minimum stake
  const dRes = (await sweep<DetectMcResult>("bonds.detect", detTasks)).map((reps) => aggregate(reps, { dMc: "dSe" }));
  // S_min is a function of d: its interval is the image of d's interval (S_min decreases in d).
  tables.push({ name: "min_stake", columns: ["watchers", "window_h", "d", "d_mc", "d_se", "d_ci95", "replicates", "s_min_eth", "s_min_mc_eth", "s_min_mc_lo_eth", "s_min_mc_hi_eth", "capital_cost_eth"],
    rows: dRes.map((r) => ({ watchers: r.watchers, window_h: r.windowHours, d: r.dClosed, d_mc: r.dMc, d_se: r.dSe, d_ci95: r.ci95_dMc, replicates: r.replicates, s_min_eth: r.sMinClosed, s_min_mc_eth: minStake(St.valueAtRiskEth, r.dMc),
      s_min_mc_lo_eth: minStake(St.valueAtRiskEth, Math.min(1, r.dMc + r.ci95_dMc)), s_min_mc_hi_eth: minStake(St.valueAtRiskEth, Math.max(0, r.dMc - r.ci95_dMc)), capital_cost_eth: r.sMinClosed * St.capitalRatePerYear * (r.windowHours / (365 * 24)) })) });
  for (const r of dRes) checks.push(check(`stake.detect.w=${r.watchers}.T=${r.windowHours}`, `detection probability (watchers=${r.watchers}, T=${r.windowHours} h)`, r.dClosed, r.dMc, Z * r.dSe, `${Z}·SE`));
  const week = { watchers: St.watchers[St.watchers.length - 1]!, availability: St.availability, noticeMeanHours: St.noticeMeanHours, windowHours: 168 };
  summary["stake.week.d"] = detectionProbability(week);

  // --- Optimism bonds
  const O = cfg.optimism;
  const opRows = [];
  for (let d = 0; d <= O.maxDepth; d++) opRows.push({ depth: d, bond_eth: opBondEth(d, O), bond_eth_spec_rounded: opBondEth(d, { ...O, roundedMultiplier: O.roundedMultiplier }) });
  const exact = { baseGas: O.baseGas, highGas: O.highGas, maxDepth: O.maxDepth, gasPriceGwei: O.gasPriceGwei };
  for (const r of opRows) r.bond_eth = opBondEth(r.depth, exact);
  tables.push({ name: "optimism_bonds", columns: ["depth", "bond_eth", "bond_eth_spec_rounded"], rows: opRows });
  summary["optimism.multiplier"] = (O.highGas / O.baseGas) ** (1 / O.maxDepth);
  summary["optimism.bond0_eth"] = opRows[0]!.bond_eth;
  summary["optimism.bondMax_eth"] = opRows[O.maxDepth]!.bond_eth;
  summary["optimism.bondMax_rounded_eth"] = opRows[O.maxDepth]!.bond_eth_spec_rounded;

  // --- Resource ratio of the griefing challenger, per N, k, m with this repo's constants
  const RR = cfg.resourceRatio;
  const rrRows = [];
  for (const L of RR.levels) for (const N of RR.N) for (const k of RR.k) for (const m of RR.m) {
    if (m >= N) continue;
    // L levels: the outer ones over ⌈N^(1/L)⌉ units narrowed to one unit, the last over the rest to m.
    const outer = Math.ceil(N ** (1 / L));
    const sizes = [...Array.from({ length: L - 1 }, () => outer), Math.ceil(N / outer ** (L - 1))];
    let claimerMovesGas = c.value("linkGas") * (L - 1), challengerMovesGas = 0, rounds = 0;
    sizes.forEach((n, i) => { const pg = pathGas(c, n, k, i === L - 1 ? Math.min(m, n) : 1); claimerMovesGas += pg.claimerGas; challengerMovesGas += pg.challengerGas; rounds += pg.rounds; });
    const g = griefingCost({ N, k, m, claimerMovesGas, challengerMovesGas, arbitrationGas: c.arbitrationGas(m), proveSeconds: c.proveSeconds(m), rounds,
      gasPriceGwei: RR.gasPriceGwei, ethUsd: RR.ethUsd, cpuUsdPerHour: RR.cpuUsdPerHour, claimerStakeEth: RR.claimerStakeEth, capitalRatePerYear: RR.capitalRatePerYear,
      moveSeconds: RR.moveSeconds, challengerBondEth: RR.challengerBondEth });
    const gs = griefingCost({ N, k, m, claimerMovesGas, challengerMovesGas, arbitrationGas: c.arbitrationGas(m), proveSeconds: c.proveSeconds(m), rounds,
      gasPriceGwei: RR.stressGasPriceGwei, ethUsd: RR.ethUsd, cpuUsdPerHour: RR.cpuUsdPerHour, claimerStakeEth: RR.claimerStakeEth, capitalRatePerYear: RR.capitalRatePerYear,
      moveSeconds: RR.moveSeconds, challengerBondEth: RR.challengerBondEth });
    rrRows.push({ levels: L, N, log2N: Math.log2(N), k, m, rounds: g.rounds, attacker_gas: g.attackerGas, defender_gas: g.defenderGas, attacker_eth: g.attackerEth, defender_eth: g.defenderEth, ratio: g.ratio, break_even_bond_eth: g.breakEvenBondEth,
      ratio_stress: gs.ratio, break_even_bond_stress_eth: gs.breakEvenBondEth });
  }
  tables.push({ name: "resource_ratio", columns: ["levels", "N", "log2N", "k", "m", "rounds", "attacker_gas", "defender_gas", "attacker_eth", "defender_eth", "ratio", "break_even_bond_eth", "ratio_stress", "break_even_bond_stress_eth"], rows: rrRows });
  const one = rrRows.filter((r) => r.levels === 1);
  summary["resourceRatio.stress.below_one"] = one.filter((r) => r.ratio_stress < 1).length;
  summary["resourceRatio.stress.rows"] = one.length;
  summary["resourceRatio.stress.min_ratio"] = Math.min(...one.map((r) => r.ratio_stress));
  summary["resourceRatio.stress.max_break_even_bond_eth"] = Math.max(...one.map((r) => r.break_even_bond_stress_eth));
  summary["resourceRatio.below_one"] = one.filter((r) => r.ratio < 1).length;
  const worstBond = Math.max(...rrRows.map((r) => r.break_even_bond_eth));
  summary["resourceRatio.max_break_even_bond_eth"] = worstBond;
  summary["resourceRatio.min_ratio"] = Math.min(...rrRows.map((r) => r.ratio));
  // The levels comparison at one configuration (named in the summary, so the text never retypes it).
  const LV = { log2N: 30, k: 7, m: 16 };
  summary["resourceRatio.levels.log2N"] = LV.log2N; summary["resourceRatio.levels.k"] = LV.k; summary["resourceRatio.levels.m"] = LV.m;
  for (const r of rrRows) if (r.log2N === LV.log2N && r.k === LV.k && r.m === LV.m) {
    summary[`resourceRatio.levels=${r.levels}.ratio`] = r.ratio;
    summary[`resourceRatio.levels=${r.levels}.rounds`] = r.rounds;
  }

  // --- Delay / Sybil
  const yRes = (await sweep<DelayMcResult>("delay.mc", delayTasks)).map((reps) => { const a = aggregate(reps, { seqMeanMc: "seqSe", parMeanMc: "parSe" }); a.parMaxMc = Math.max(...reps.map((r) => r.parMaxMc)); return a; });
  tables.push({ name: "delay", columns: ["budget_eth", "sybils", "seq_delay_h_mc", "seq_se", "seq_ci95", "seq_delay_h", "par_delay_h_mc", "par_se", "par_ci95", "par_delay_h", "par_max_h_mc", "par_bound_h", "replicates", "defender_gas"],
    rows: yRes.map((r) => ({ budget_eth: r.budgetEth, sybils: r.sybils, seq_delay_h_mc: r.seqMeanMc, seq_se: r.seqSe, seq_ci95: r.ci95_seqMeanMc, seq_delay_h: r.seqClosed, par_delay_h_mc: r.parMeanMc, par_se: r.parSe, par_ci95: r.ci95_parMeanMc, par_delay_h: r.parClosed, par_max_h_mc: r.parMaxMc, par_bound_h: r.parBound, replicates: r.replicates, defender_gas: r.sybils * (dPath.claimerGas + c.arbitrationGas(D.m)) })) });
  for (const r of yRes) {
    if (r.sybils === 0) continue;
    checks.push(check(`delay.seq.B=${r.budgetEth}`, `sequential delay, B=${r.budgetEth} ETH`, r.seqClosed, r.seqMeanMc, Z * r.seqSe, `${Z}·SE`));
    checks.push(check(`delay.par.B=${r.budgetEth}`, `parallel delay, B=${r.budgetEth} ETH`, r.parClosed, r.parMeanMc, Z * r.parSe + 1e-3 * r.parClosed, `${Z}·SE + 0.1 % (quadrature)`));
  }
  const last = yRes[yRes.length - 1]!;
  summary["delay.rounds"] = dRounds;
  summary["delay.cost_per_sybil_eth"] = costPerSybil;
  summary["delay.max_budget_eth"] = last.budgetEth;
  summary["delay.max_budget_sybils"] = last.sybils;
  summary["delay.max_budget_seq_days"] = last.seqClosed / 24;
  summary["delay.max_budget_par_days"] = last.parClosed / 24;
  summary["delay.sybils_per_eth"] = sybils(1, costPerSybil);

  summary["checks.total"] = checks.length;
  summary["checks.passed"] = checks.filter((x) => x.pass).length;
  return { tables, checks, summary, json: { kind: "economics", seed, summary } };
}
