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
import {
  MODES,
  empiricalThreshold,
  equilibrium,
  fictitiousPlay,
  threshold,
  type FeltenMcResult,
  type FeltenParams,
} from "./felten.ts";
import { type ValidatorMcResult } from "./validators.ts";
import { detectionProbability, griefingCost, opBondEth, roundsFor, type DetectMcResult } from "./bonds.ts";
import { sybils, type DelayMcResult, type DelayParams } from "./delay.ts";
import { pathGas } from "../km/model.ts";
import { aggregate, byPoint, replicateTasks } from "../replicates.ts";
import { minStake } from "./bonds.ts";
import {
  HONEST_CHALLENGER_GAS,
  HONEST_DEFENCE_GAS,
  HONEST_GAS_PRICE,
  MEASURED_CHALLENGER_GAS,
  PAYOUT,
  challengerWinPayout,
  slotCollateral,
} from "../../protocol/economics/payout.ts";
import { claimerWinPayout, eth, liarBestCase, liarFlows, lossFraction, predicted, sampleScenario } from "./socks.ts";

export const economicsSpec = obj({
  kind: oneOf("economics"),
  seed: opt(int(0, 2 ** 32 - 1), 1),
  threads: opt(int(1, 64), 2),
  /** Monte Carlo replicates per grid point (independent RNG streams; sims/replicates.ts). */
  replicates: opt(int(1, 1000), 1),
  felten: obj({
    C: pos(),
    R: nonneg(),
    L: nonneg(),
    G: pos(),
    P: pos(),
    q: prob(),
    A: nonneg(),
    p: prob(),
    J: nonneg(),
    xGrid: linGrid(),
    rounds: int(100, 1e8),
    fpRounds: int(10, 1e8),
  }),
  validators: obj({
    n: arr(int(1, 1000), { minLen: 1 }),
    S: arr(pos(), { minLen: 1 }),
    G: pos(),
    C: pos(),
    L: nonneg(),
    rounds: int(100, 1e8),
  }),
  stake: obj({
    valueAtRiskEth: pos(),
    watchers: arr(int(1, 1000), { minLen: 1 }),
    availability: prob(),
    noticeMeanHours: pos(),
    windowHours: logGrid(),
    trials: int(100, 1e8),
    capitalRatePerYear: nonneg(),
  }),
  optimism: obj({
    baseGas: pos(),
    highGas: pos(),
    maxDepth: int(1, 1000),
    gasPriceGwei: pos(),
    roundedMultiplier: pos(),
  }),
  resourceRatio: obj({
    N: arr(int(2, 2 ** 53), { minLen: 1 }),
    k: arr(int(1, 4096), { minLen: 1 }),
    m: arr(int(1, 2 ** 30), { minLen: 1 }),
    gasPriceGwei: pos(),
    ethUsd: pos(),
    cpuUsdPerHour: nonneg(),
    capitalRatePerYear: nonneg(),
    moveSeconds: pos(),
    levels: opt(arr(int(1, 4), { minLen: 1 }), [1]),
    /** A second gas price at which the ratio is also reported (e.g. Optimism's assumed 200 gwei). */
    stressGasPriceGwei: pos(),
  }),
  delay: obj({
    budgetEth: logGrid(),
    N: int(2, 2 ** 53),
    k: int(1, 4096),
    m: int(1, 2 ** 30),
    attackerClockH: pos(),
    defenderClockH: pos(),
    defenderMeanH: pos(),
    gasPriceGwei: pos(),
    trials: int(10, 1e7),
    /** The challenge window DisputeGame reopens after every game the claimer wins (hours). */
    windowH: pos(),
  }),
  /**
   * Sock puppets under the contracts' payout rule (protocol/economics/payout.ts; sims/economics/socks.ts):
   * socks 0..maxSocks, gas prices for the honest parties' payouts, the game (N, k, m) whose claimer
   * gas a griefing compensation is compared with, challenge windows for the liveness cost, and the
   * number of scenarios replayed on the in-memory model (protocol/game/model.ts).
   */
  socks: obj({
    maxSocks: int(1, 1000),
    gasPricesGwei: arr(pos(), { minLen: 1 }),
    gasGridGwei: logGrid(),
    N: int(2, 2 ** 53),
    k: int(1, 4096),
    m: int(1, 2 ** 30),
    windowH: arr(pos(), { minLen: 1 }),
    clockH: pos(),
    samples: int(1, 100_000),
  }),
});
export type EconomicsConfig = ReturnType<typeof economicsSpec>;

export type SimOutput = {
  tables: Table[];
  checks: Check[];
  summary: Record<string, number | string | boolean>;
  json: Record<string, unknown>;
};

export async function runEconomics(
  cfg: EconomicsConfig,
  c: Constants,
  opts: { seed: number; threads: number; onProgress?: ProgressFn },
): Promise<SimOutput> {
  const seed = opts.seed;
  const checks: Check[] = [];
  const tables: Table[] = [];
  const summary: SimOutput["summary"] = {};
  const F = cfg.felten;
  const fp: FeltenParams = { C: F.C, R: F.R, L: F.L, G: F.G, P: F.P, q: F.q, A: F.A, p: F.p, J: F.J };

  // Build all Monte Carlo tasks first so one progress bar covers the whole sweep.
  const xs = expandLin(F.xGrid);
  const feltenTasks = MODES.flatMap((mode, mi) =>
    xs.map((X, xi) => ({ f: fp, mode, X, rounds: F.rounds, seed, index: 1000 * mi + xi })),
  );
  const V = cfg.validators;
  const valTasks = V.S.flatMap((S, si) =>
    V.n.map((n, ni) => ({
      v: { n, S, G: V.G, C: V.C, L: V.L },
      rounds: V.rounds,
      seed,
      index: 100_000 + 1000 * si + ni,
    })),
  );
  const St = cfg.stake;
  const windows = expandLog(St.windowHours);
  const detTasks = St.watchers.flatMap((w, wi) =>
    windows.map((T, ti) => ({
      d: { watchers: w, availability: St.availability, noticeMeanHours: St.noticeMeanHours, windowHours: T },
      valueAtRisk: St.valueAtRiskEth,
      trials: St.trials,
      seed,
      index: 200_000 + 1000 * wi + ti,
    })),
  );
  const D = cfg.delay;
  const dRounds = roundsFor(D.N, D.k, D.m);
  const gwei = D.gasPriceGwei * 1e-9;
  const dPath = pathGas(c, D.N, D.k, D.m);
  const costPerSybil = eth(PAYOUT.challengeBond) + dPath.challengerGas * gwei;
  const dp: DelayParams = {
    rounds: dRounds,
    attackerClockH: D.attackerClockH,
    defenderClockH: D.defenderClockH,
    defenderMeanH: D.defenderMeanH,
    proveH: c.proveSeconds(D.m) / 3600,
    costPerSybilEth: costPerSybil,
    windowH: D.windowH,
    slots: PAYOUT.slots,
  };
  const budgets = expandLog(D.budgetEth);
  const delayTasks = budgets.map((B, i) => ({ p: dp, budgetEth: B, trials: D.trials, seed, index: 300_000 + i }));

  const R = cfg.replicates;
  const total = R * (feltenTasks.length + valTasks.length + detTasks.length + delayTasks.length);
  let base = 0;
  // Every grid point runs R times on independent streams; results come back as per-point lists.
  const sweep = async <X>(fn: string, tasks: { index: number }[]): Promise<X[][]> => {
    const all = replicateTasks(tasks, R);
    const r = await runSweep<X>(fn, all, {
      threads: opts.threads,
      onProgress: (d) => opts.onProgress?.(base + d, total),
    });
    base += all.length;
    return byPoint(r, tasks.length);
  };

  // --- Felten
  const fRes = (await sweep<FeltenMcResult>("felten.mc", feltenTasks)).map((reps) => aggregate(reps, { mean: "se" }));
  tables.push({
    name: "felten_advantage",
    columns: ["mode", "X", "advantage_mc", "se", "ci95", "replicates", "advantage_closed"],
    rows: fRes.map((r) => ({
      mode: r.mode,
      X: r.X,
      advantage_mc: r.mean,
      se: r.se,
      ci95: r.ci95_mean,
      replicates: r.replicates,
      advantage_closed: r.closed,
    })),
  });
  const eqRows = [];
  const fpRows: { mode: string; t: number; X: number; Y: number }[] = [];
  for (const mode of MODES) {
    const rows = fRes.filter((r) => r.mode === mode);
    for (const r of rows)
      checks.push(
        check(
          `felten.adv.${mode}.X=${r.X}`,
          `checker advantage at X=${r.X} (${mode})`,
          r.closed,
          r.mean,
          Z * r.se,
          `${Z}·SE`,
        ),
      );
    const xStar = threshold(fp, mode);
    const xHat = empiricalThreshold(rows);
    const sePt = Math.max(...rows.map((r) => r.se));
    const step = xs[1]! - xs[0]!;
    checks.push(
      check(
        `felten.threshold.${mode}`,
        `X* = max(0, (C − bonus)/(R+L)) (${mode})`,
        xStar,
        xHat,
        (Z * sePt) / (F.R + F.L) + (xStar === 0 ? step : 0),
        `${Z}·max SE/(R+L)${xStar === 0 ? " + one grid step (threshold at the grid edge)" : ""}`,
      ),
    );
    const eq = equilibrium(fp, mode);
    const play = fictitiousPlay(fp, mode, F.fpRounds);
    for (const p of play.path) fpRows.push({ mode, ...p });
    const tolFp = 0.02;
    checks.push(
      check(
        `felten.fp.X.${mode}`,
        `fictitious play cheat frequency → X* (${mode})`,
        eq.X,
        play.X,
        tolFp,
        `absolute ${tolFp} after ${F.fpRounds} rounds`,
      ),
    );
    checks.push(
      check(
        `felten.fp.Y.${mode}`,
        `fictitious play check frequency → Y* (${mode})`,
        eq.Y,
        play.Y,
        tolFp,
        `absolute ${tolFp} after ${F.fpRounds} rounds`,
      ),
    );
    eqRows.push({
      mode,
      X_star: xStar,
      X_star_mc: xHat,
      Y_star: eq.Y,
      X_fp: play.X,
      Y_fp: play.Y,
      subsidy_per_assertion: eq.subsidyPerAssertion,
    });
    summary[`felten.${mode}.Xstar`] = xStar;
    summary[`felten.${mode}.Xstar_mc`] = xHat;
    summary[`felten.${mode}.Ystar`] = eq.Y;
  }
  tables.push({ name: "felten_fictitious_play", columns: ["mode", "t", "X", "Y"], rows: fpRows });
  tables.push({
    name: "felten_equilibria",
    columns: ["mode", "X_star", "X_star_mc", "Y_star", "X_fp", "Y_fp", "subsidy_per_assertion"],
    rows: eqRows,
  });

  // --- Validators
  const vRes = (await sweep<ValidatorMcResult>("validators.mc", valTasks)).map((reps) =>
    aggregate(reps, { failureMc: "failureSe", checkAdvMc: "checkAdvSe", cheatPayoffMc: "cheatPayoffSe" }),
  );
  tables.push({
    name: "validators",
    columns: [
      "n",
      "S",
      "p",
      "q",
      "interior",
      "failure",
      "failure_mc",
      "failure_se",
      "failure_ci95",
      "replicates",
      "check_adv_mc",
      "cheat_payoff_mc",
    ],
    rows: vRes.map((r) => ({
      n: r.n,
      S: r.S,
      p: r.p,
      q: r.q,
      interior: r.interior,
      failure: r.failure,
      failure_mc: r.failureMc,
      failure_se: r.failureSe,
      failure_ci95: r.ci95_failureMc,
      replicates: r.replicates,
      check_adv_mc: r.checkAdvMc,
      cheat_payoff_mc: r.cheatPayoffMc,
    })),
  });
  for (const r of vRes) {
    checks.push(
      check(
        `validators.failure.n=${r.n}.S=${r.S}`,
        `failure probability (n=${r.n}, S=${r.S})`,
        r.failure,
        r.failureMc,
        Z * r.failureSe,
        `${Z}·SE`,
      ),
    );
    if (r.interior) {
      checks.push(
        check(
          `validators.indiff.n=${r.n}.S=${r.S}`,
          `validator indifferent (n=${r.n}, S=${r.S})`,
          0,
          r.checkAdvMc,
          Z * r.checkAdvSe,
          `${Z}·SE`,
        ),
      );
      checks.push(
        check(
          `validators.asserter.n=${r.n}.S=${r.S}`,
          `asserter indifferent (n=${r.n}, S=${r.S})`,
          0,
          r.cheatPayoffMc,
          Z * r.cheatPayoffSe,
          `${Z}·SE`,
        ),
      );
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
  tables.push({
    name: "min_stake",
    columns: [
      "watchers",
      "window_h",
      "d",
      "d_mc",
      "d_se",
      "d_ci95",
      "replicates",
      "s_min_eth",
      "s_min_mc_eth",
      "s_min_mc_lo_eth",
      "s_min_mc_hi_eth",
      "capital_cost_eth",
    ],
    rows: dRes.map((r) => ({
      watchers: r.watchers,
      window_h: r.windowHours,
      d: r.dClosed,
      d_mc: r.dMc,
      d_se: r.dSe,
      d_ci95: r.ci95_dMc,
      replicates: r.replicates,
      s_min_eth: r.sMinClosed,
      s_min_mc_eth: minStake(St.valueAtRiskEth, r.dMc),
      s_min_mc_lo_eth: minStake(St.valueAtRiskEth, Math.min(1, r.dMc + r.ci95_dMc)),
      s_min_mc_hi_eth: minStake(St.valueAtRiskEth, Math.max(0, r.dMc - r.ci95_dMc)),
      capital_cost_eth: r.sMinClosed * St.capitalRatePerYear * (r.windowHours / (365 * 24)),
    })),
  });
  for (const r of dRes)
    checks.push(
      check(
        `stake.detect.w=${r.watchers}.T=${r.windowHours}`,
        `detection probability (watchers=${r.watchers}, T=${r.windowHours} h)`,
        r.dClosed,
        r.dMc,
        Z * r.dSe,
        `${Z}·SE`,
      ),
    );
  const week = {
    watchers: St.watchers[St.watchers.length - 1]!,
    availability: St.availability,
    noticeMeanHours: St.noticeMeanHours,
    windowHours: 168,
  };
  summary["stake.week.d"] = detectionProbability(week);

  // --- Optimism bonds
  const O = cfg.optimism;
  const opRows = [];
  for (let d = 0; d <= O.maxDepth; d++)
    opRows.push({
      depth: d,
      bond_eth: opBondEth(d, O),
      bond_eth_spec_rounded: opBondEth(d, { ...O, roundedMultiplier: O.roundedMultiplier }),
    });
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
  for (const L of RR.levels)
    for (const N of RR.N)
      for (const k of RR.k)
        for (const m of RR.m) {
          if (m >= N) continue;
          // L levels: the outer ones over ⌈N^(1/L)⌉ units narrowed to one unit, the last over the rest to m.
          const outer = Math.ceil(N ** (1 / L));
          const sizes = [...Array.from({ length: L - 1 }, () => outer), Math.ceil(N / outer ** (L - 1))];
          let claimerMovesGas = c.value("linkGas") * (L - 1),
            challengerMovesGas = 0,
            rounds = 0;
          sizes.forEach((n, i) => {
            const pg = pathGas(c, n, k, i === L - 1 ? Math.min(m, n) : 1);
            claimerMovesGas += pg.claimerGas;
            challengerMovesGas += pg.challengerGas;
            rounds += pg.rounds;
          });
          const g = griefingCost({
            N,
            k,
            m,
            claimerMovesGas,
            challengerMovesGas,
            arbitrationGas: c.arbitrationGas(m),
            proveSeconds: c.proveSeconds(m),
            rounds,
            gasPriceGwei: RR.gasPriceGwei,
            ethUsd: RR.ethUsd,
            cpuUsdPerHour: RR.cpuUsdPerHour,
            claimerStakeEth: eth(PAYOUT.claimBond),
            capitalRatePerYear: RR.capitalRatePerYear,
            moveSeconds: RR.moveSeconds,
            challengerBondEth: eth(PAYOUT.challengeBond),
          });
          const gs = griefingCost({
            N,
            k,
            m,
            claimerMovesGas,
            challengerMovesGas,
            arbitrationGas: c.arbitrationGas(m),
            proveSeconds: c.proveSeconds(m),
            rounds,
            gasPriceGwei: RR.stressGasPriceGwei,
            ethUsd: RR.ethUsd,
            cpuUsdPerHour: RR.cpuUsdPerHour,
            claimerStakeEth: eth(PAYOUT.claimBond),
            capitalRatePerYear: RR.capitalRatePerYear,
            moveSeconds: RR.moveSeconds,
            challengerBondEth: eth(PAYOUT.challengeBond),
          });
          rrRows.push({
            levels: L,
            N,
            log2N: Math.log2(N),
            k,
            m,
            rounds: g.rounds,
            attacker_gas: g.attackerGas,
            defender_gas: g.defenderGas,
            attacker_eth: g.attackerEth,
            defender_eth: g.defenderEth,
            ratio: g.ratio,
            break_even_bond_eth: g.breakEvenBondEth,
            ratio_stress: gs.ratio,
            break_even_bond_stress_eth: gs.breakEvenBondEth,
            // Under the contracts' rule the claimer is credited (1 − b)·B of the griefer's forfeited bond.
            defender_net_eth: g.defenderEth - eth(claimerWinPayout(PAYOUT)),
            defender_net_stress_eth: gs.defenderEth - eth(claimerWinPayout(PAYOUT)),
          });
        }
  tables.push({
    name: "resource_ratio",
    columns: [
      "levels",
      "N",
      "log2N",
      "k",
      "m",
      "rounds",
      "attacker_gas",
      "defender_gas",
      "attacker_eth",
      "defender_eth",
      "ratio",
      "break_even_bond_eth",
      "ratio_stress",
      "break_even_bond_stress_eth",
      "defender_net_eth",
      "defender_net_stress_eth",
    ],
    rows: rrRows,
  });
  summary["resourceRatio.compensated"] = rrRows.filter((r) => r.levels === 1 && r.defender_net_eth <= 0).length;
  summary["resourceRatio.stress.compensated"] = rrRows.filter(
    (r) => r.levels === 1 && r.defender_net_stress_eth <= 0,
  ).length;
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
  summary["resourceRatio.levels.log2N"] = LV.log2N;
  summary["resourceRatio.levels.k"] = LV.k;
  summary["resourceRatio.levels.m"] = LV.m;
  for (const r of rrRows)
    if (r.log2N === LV.log2N && r.k === LV.k && r.m === LV.m) {
      summary[`resourceRatio.levels=${r.levels}.ratio`] = r.ratio;
      summary[`resourceRatio.levels=${r.levels}.rounds`] = r.rounds;
    }

  // --- Delay / Sybil
  const yRes = (await sweep<DelayMcResult>("delay.mc", delayTasks)).map((reps) => {
    const a = aggregate(reps, { seqMeanMc: "seqSe", parMeanMc: "parSe" });
    a.parMaxMc = Math.max(...reps.map((r) => r.parMaxMc));
    return a;
  });
  tables.push({
    name: "delay",
    columns: [
      "budget_eth",
      "sybils",
      "seq_delay_h_mc",
      "seq_se",
      "seq_ci95",
      "seq_delay_h",
      "par_delay_h_mc",
      "par_se",
      "par_ci95",
      "par_delay_h",
      "par_max_h_mc",
      "par_bound_h",
      "replicates",
      "defender_gas",
    ],
    rows: yRes.map((r) => ({
      budget_eth: r.budgetEth,
      sybils: r.sybils,
      seq_delay_h_mc: r.seqMeanMc,
      seq_se: r.seqSe,
      seq_ci95: r.ci95_seqMeanMc,
      seq_delay_h: r.seqClosed,
      par_delay_h_mc: r.parMeanMc,
      par_se: r.parSe,
      par_ci95: r.ci95_parMeanMc,
      par_delay_h: r.parClosed,
      par_max_h_mc: r.parMaxMc,
      par_bound_h: r.parBound,
      replicates: r.replicates,
      defender_gas: r.sybils * (dPath.claimerGas + c.arbitrationGas(D.m)),
    })),
  });
  for (const r of yRes) {
    if (r.sybils === 0) continue;
    checks.push(
      check(
        `delay.seq.B=${r.budgetEth}`,
        `sequential delay, B=${r.budgetEth} ETH`,
        r.seqClosed,
        r.seqMeanMc,
        Z * r.seqSe,
        `${Z}·SE`,
      ),
    );
    checks.push(
      check(
        `delay.par.B=${r.budgetEth}`,
        `delay in waves of ${PAYOUT.slots} slots, B=${r.budgetEth} ETH`,
        r.parClosed,
        r.parMeanMc,
        Z * r.parSe + 1e-3 * r.parClosed,
        `${Z}·SE + 0.1 % (quadrature)`,
      ),
    );
  }
  const last = yRes[yRes.length - 1]!;
  summary["delay.rounds"] = dRounds;
  summary["delay.cost_per_sybil_eth"] = costPerSybil;
  summary["delay.max_budget_eth"] = last.budgetEth;
  summary["delay.max_budget_sybils"] = last.sybils;
  summary["delay.max_budget_seq_days"] = last.seqClosed / 24;
  summary["delay.max_budget_par_days"] = last.parClosed / 24;
  summary["delay.sybils_per_eth"] = sybils(1, costPerSybil);

  // --- Sock puppets under the payout rule (constants from protocol/economics/payout.ts)
  const K = cfg.socks,
    P = PAYOUT;
  const W = challengerWinPayout(P),
    cw = claimerWinPayout(P),
    Dw = slotCollateral(P);
  const lossRows = [];
  for (let n = 0; n <= K.maxSocks; n++) {
    const best = liarBestCase(P, n);
    const w = Math.min(n, P.slots);
    const allWin = liarFlows(P, { socksWin: w, socksThrown: n - w, honest: w === 0, da: null });
    const thrown = liarFlows(P, { socksWin: 0, socksThrown: n, honest: true, da: null });
    lossRows.push({
      socks: n,
      best_w: best.w,
      best_answered: best.answered,
      loss_min: best.loss,
      loss_socks_win: lossFraction(allWin),
      loss_socks_thrown: lossFraction(thrown),
      deposited_eth: eth(allWin.liarDeposited),
      recovered_eth: eth(allWin.liarRecovered),
    });
  }
  tables.push({
    name: "socks_loss",
    columns: [
      "socks",
      "best_w",
      "best_answered",
      "loss_min",
      "loss_socks_win",
      "loss_socks_thrown",
      "deposited_eth",
      "recovered_eth",
    ],
    rows: lossRows,
  });
  const lossMin = Math.min(...lossRows.map((r) => r.loss_min));
  summary["socks.loss_min"] = lossMin;
  summary["socks.loss_min_at"] = lossRows.find((r) => r.loss_min === lossMin)!.socks;
  summary["socks.loss_max_socks"] = lossRows[lossRows.length - 1]!.loss_min;
  summary["socks.max_socks"] = K.maxSocks;
  // Honest payouts against gas, at the configured prices and on a log grid (the figure).
  const defenseGas = pathGas(c, K.N, K.k, K.m).claimerGas + c.arbitrationGas(K.m);
  const measured = Number(MEASURED_CHALLENGER_GAS),
    budget = Number(HONEST_CHALLENGER_GAS),
    defenceBudget = Number(HONEST_DEFENCE_GAS);
  const gasRow = (gwei: number) => {
    const g = gwei * 1e-9;
    return {
      gwei,
      reward_eth: eth(W - P.challengeBond),
      challenger_gas_eth: measured * g,
      budget_gas_eth: budget * g,
      net_eth: eth(W - P.challengeBond) - measured * g,
      covers_measured: eth(W - P.challengeBond) >= measured * g,
      covers_budget: eth(W - P.challengeBond) >= budget * g,
      compensation_eth: eth(cw),
      claimer_defense_eth: defenseGas * g,
      defence_budget_eth: defenceBudget * g,
      compensation_vs_defense: eth(cw) / (defenseGas * g),
      compensation_vs_budget: eth(cw) / (defenceBudget * g),
    };
  };
  const prices = [...new Set([...expandLog(K.gasGridGwei), ...K.gasPricesGwei])].sort((a, b) => a - b);
  tables.push({
    name: "socks_gas",
    columns: [
      "gwei",
      "reward_eth",
      "challenger_gas_eth",
      "budget_gas_eth",
      "net_eth",
      "covers_measured",
      "covers_budget",
      "compensation_eth",
      "claimer_defense_eth",
      "defence_budget_eth",
      "compensation_vs_defense",
      "compensation_vs_budget",
    ],
    rows: prices.map(gasRow),
  });
  for (const gwei of K.gasPricesGwei) {
    const r = gasRow(gwei);
    for (const [k, v] of Object.entries(r)) if (k !== "gwei") summary[`socks.gwei=${gwei}.${k}`] = v;
  }
  const honestGwei = Number(HONEST_GAS_PRICE) / 1e9;
  summary["socks.honest_price.gwei"] = honestGwei;
  summary["socks.honest_price.net_eth"] = gasRow(honestGwei).net_eth;
  summary["socks.break_even_gwei"] = eth(W - P.challengeBond) / (measured * 1e-9);
  summary["socks.budget_break_even_gwei"] = eth(W - P.challengeBond) / (budget * 1e-9);
  summary["socks.compensation_break_even_gwei"] = eth(cw) / (defenseGas * 1e-9);
  summary["socks.compensation_budget_break_even_gwei"] = eth(cw) / (defenceBudget * 1e-9);
  summary["socks.defence_budget_gas"] = defenceBudget;
  summary["socks.defense_gas"] = defenseGas;
  summary["socks.measured_gas"] = measured;
  summary["socks.budget_gas"] = budget;
  summary["socks.N_log2"] = Math.log2(K.N);
  summary["socks.k"] = K.k;
  summary["socks.m"] = K.m;
  // The rule's parameters, as the contracts use them.
  summary["payout.S_eth"] = eth(P.claimBond);
  summary["payout.B_eth"] = eth(P.challengeBond);
  summary["payout.b"] = P.burnBps / 10_000;
  summary["payout.bc"] = (P.challengerBurnBps ?? P.burnBps) / 10_000;
  summary["payout.slots"] = P.slots;
  summary["payout.D_eth"] = eth(Dw);
  summary["payout.W_eth"] = eth(W);
  summary["payout.reward_eth"] = eth(W - P.challengeBond);
  summary["payout.claimer_win_eth"] = eth(cw);
  summary["payout.burn_per_throw_eth"] = eth(P.challengeBond - cw);
  // Data availability: a withheld input (sock or honest requester) and an answered request.
  const daSock = liarFlows(P, { socksWin: 0, socksThrown: 0, honest: false, da: "sock" });
  const daHonest = liarFlows(P, { socksWin: 0, socksThrown: 0, honest: false, da: "honest" });
  tables.push({
    name: "socks_da",
    columns: ["case", "liar_deposited_eth", "liar_recovered_eth", "liar_loss", "requester_paid_eth"],
    rows: [
      {
        case: "liar withholds, its sock requested",
        liar_deposited_eth: eth(daSock.liarDeposited),
        liar_recovered_eth: eth(daSock.liarRecovered),
        liar_loss: lossFraction(daSock),
        requester_paid_eth: eth(daSock.liarRecovered),
      },
      {
        case: "liar withholds, an honest party requested",
        liar_deposited_eth: eth(daHonest.liarDeposited),
        liar_recovered_eth: 0,
        liar_loss: lossFraction(daHonest),
        requester_paid_eth: eth(daHonest.honestPaid),
      },
      {
        case: "honest claimer answers in time",
        liar_deposited_eth: null,
        liar_recovered_eth: null,
        liar_loss: null,
        requester_paid_eth: eth(P.challengeBond),
      },
    ],
  });
  summary["socks.da.sock_loss"] = lossFraction(daSock);
  summary["socks.da.honest_loss"] = lossFraction(daHonest);
  // Liveness: each thrown sock buys at most one clock plus one window of delay.
  const livRows = K.windowH.map((w) => {
    const delayH = K.clockH + w;
    return {
      window_h: w,
      clock_h: K.clockH,
      delay_per_throw_h: delayH,
      liar_cost_eth: eth(P.challengeBond - cw),
      griefer_cost_eth: eth(P.challengeBond),
      liar_eth_per_day: (eth(P.challengeBond - cw) * 24) / delayH,
      griefer_eth_per_day: (eth(P.challengeBond) * 24) / delayH,
      claimer_paid_per_throw_eth: eth(cw),
    };
  });
  tables.push({
    name: "socks_liveness",
    columns: [
      "window_h",
      "clock_h",
      "delay_per_throw_h",
      "liar_cost_eth",
      "griefer_cost_eth",
      "liar_eth_per_day",
      "griefer_eth_per_day",
      "claimer_paid_per_throw_eth",
    ],
    rows: livRows,
  });
  for (const r of livRows) {
    summary[`socks.liveness.W=${r.window_h}.liar_eth_per_day`] = r.liar_eth_per_day;
    summary[`socks.liveness.W=${r.window_h}.griefer_eth_per_day`] = r.griefer_eth_per_day;
  }
  // The closed forms against the in-memory model of DisputeGame on sampled scenarios (exact, in wei).
  const repRows = [];
  for (let i = 0; i < K.samples; i++) {
    const r = sampleScenario(P, seed, i);
    const [a, b, x] = predicted(r);
    const tag = `i=${i}`;
    // Compared as the difference in wei (exact: ETH floats would hide a few wei).
    const side = r.kind === "honest-claimer" ? ["claimer's", "griefers'"] : ["liar's", "honest party's"];
    checks.push(
      check(
        `socks.model.${tag}.liar`,
        `${r.kind}: ${side[0]} credits, model − closed form (wei)`,
        0,
        Number(r.liarOrClaimer - a),
        0,
        "exact (wei)",
      ),
    );
    checks.push(
      check(
        `socks.model.${tag}.other`,
        `${r.kind}: ${side[1]} credits, model − closed form (wei)`,
        0,
        Number(r.honestOrGriefers - b),
        0,
        "exact (wei)",
      ),
    );
    checks.push(
      check(
        `socks.model.${tag}.burned`,
        `${r.kind}: burned, model − closed form (wei)`,
        0,
        Number(r.burned - x),
        0,
        "exact (wei)",
      ),
    );
    checks.push(
      check(
        `socks.model.${tag}.rejected`,
        `${r.kind}: claim rejected iff the claimer lied`,
        r.kind === "honest-claimer" ? 0 : 1,
        r.rejected ? 1 : 0,
        0,
        "exact",
      ),
    );
    repRows.push({
      i,
      kind: r.kind,
      slots: r.p.slots,
      burn_bps: r.p.burnBps,
      challenger_burn_bps: r.p.challengerBurnBps ?? r.p.burnBps,
      claim_bond_eth: eth(r.p.claimBond),
      challenge_bond_eth: eth(r.p.challengeBond),
      socks_win: r.scenario.socksWin,
      socks_thrown: r.scenario.socksThrown,
      honest: r.scenario.honest,
      da: r.scenario.da ?? "",
      answered_sock_request: r.scenario.answered ?? false,
      griefers: r.griefers,
      answered: r.answered,
      closed_side_eth: eth(a),
      model_side_eth: eth(r.liarOrClaimer),
      closed_other_eth: eth(b),
      model_other_eth: eth(r.honestOrGriefers),
      closed_burned_eth: eth(x),
      model_burned_eth: eth(r.burned),
    });
  }
  tables.push({
    name: "socks_model",
    columns: [
      "i",
      "kind",
      "slots",
      "burn_bps",
      "challenger_burn_bps",
      "claim_bond_eth",
      "challenge_bond_eth",
      "socks_win",
      "socks_thrown",
      "honest",
      "da",
      "answered_sock_request",
      "griefers",
      "answered",
      "closed_side_eth",
      "model_side_eth",
      "closed_other_eth",
      "model_other_eth",
      "closed_burned_eth",
      "model_burned_eth",
    ],
    rows: repRows,
  });
  summary["socks.samples"] = K.samples;
  summary["socks.model_mismatches"] = checks.filter((x) => x.id.startsWith("socks.model.") && !x.pass).length;

  summary["checks.total"] = checks.length;
  summary["checks.passed"] = checks.filter((x) => x.pass).length;
  return { tables, checks, summary, json: { kind: "economics", seed, summary } };
}
