/**
 * Bond design.
 *
 * 1. Minimum claimer stake. A cheat gains the value at risk V when undetected and loses the stake S
 *    when detected, so it is unprofitable iff (1 − d)·V < d·S, i.e. S > S_min = V·(1 − d)/d.
 *    Detection d over a challenge period of T hours with n independent watchers, each online with
 *    probability a and noticing a bad claim after an Exponential(μ) delay:
 *        d = 1 − (1 − a·(1 − e^(−T/μ)))^n.
 *    The honest claimer pays the capital cost S·r·T of locking the stake. Monte Carlo: sampled
 *    watchers estimate d and hence S_min.
 *
 * 2. Optimism's per-depth bonds (specs: ethereum-optimism/specs, fault-proof/stage-one/
 *    bond-incentives.md, "Bond Scaling" and "Required Bond Formula"): gas charged at depth N is
 *    400,000 · x^N with x = (300,000,000 / 400,000)^(1/73) ≈ 1.09493 (MAX_DEPTH 73), priced at an
 *    assumed 200 gwei base fee: 0.08 ETH at depth 0, 60 ETH at depth 73 (exactly, with the unrounded
 *    x; the spec's pseudo-code uses the rounded 1.09493 > x = 1.0949251.., which gives 60.02 ETH). The deployed
 *    contract computes x with solady fixed-point ln/exp, which rounds differently again; we do not
 *    model those last digits.
 *
 * 3. Resource ratio (BoLD, Alvarez et al. 2024, "BoLD: Fast and Cheap Dispute Resolution": attacker
 *    cost / defender cost) for zkfp's k-ary game with this repo's gas figures. One round = the
 *    claimer's checkpoint move (G0 + g·k gas) + the challenger's selection; rounds per phase
 *    ⌈log_(k+1)(N/m)⌉; then arbitration of m steps (one-step gas for m = 1, else Groth16 verify gas
 *    plus proving cost). A griefing challenger forfeits its bond b_c and pays its selection gas; the
 *    honest claimer pays its moves, the arbitration and the capital cost of its stake over the
 *    dispute. ρ = attacker cost / defender cost; b_c* (break-even bond) makes ρ = 1. Levels (BoLD's
 *    term; zkfp's phases) split N into L nested games of ~N^(1/L) units each: more rounds in total
 *    (the ceilings add up) plus one sub-game opening per extra level, paid by the defender.
 */
import { Rng } from "../../lib/rng.ts";

export type DetectParams = { watchers: number; availability: number; noticeMeanHours: number; windowHours: number };
export function detectionProbability(d: DetectParams): number {
  return 1 - (1 - d.availability * (1 - Math.exp(-d.windowHours / d.noticeMeanHours))) ** d.watchers;
}
export function minStake(valueAtRisk: number, d: number): number {
  return d <= 0 ? Number.POSITIVE_INFINITY : (valueAtRisk * (1 - d)) / d;
}
export type DetectMcTask = { d: DetectParams; valueAtRisk: number; trials: number; seed: number; index: number };
export type DetectMcResult = DetectParams & {
  dClosed: number;
  dMc: number;
  dSe: number;
  sMinClosed: number;
  sMinMc: number;
};
export function mcDetection(t: DetectMcTask): DetectMcResult {
  const rng = Rng.forTask(t.seed, t.index);
  let hit = 0;
  for (let i = 0; i < t.trials; i++) {
    let found = false;
    for (let w = 0; w < t.d.watchers && !found; w++) {
      const online = rng.bernoulli(t.d.availability);
      const at = rng.exponential(t.d.noticeMeanHours);
      if (online && at < t.d.windowHours) found = true;
    }
    if (found) hit++;
  }
  const dMc = hit / t.trials,
    dClosed = detectionProbability(t.d);
  return {
    ...t.d,
    dClosed,
    dMc,
    dSe: Math.sqrt((dClosed * (1 - dClosed)) / t.trials),
    sMinClosed: minStake(t.valueAtRisk, dClosed),
    sMinMc: minStake(t.valueAtRisk, dMc),
  };
}

export type OpBondParams = {
  baseGas: number;
  highGas: number;
  maxDepth: number;
  gasPriceGwei: number;
  roundedMultiplier?: number;
};
/** Optimism's required bond at `depth`, in ETH. */
export function opBondEth(depth: number, o: OpBondParams): number {
  const x = o.roundedMultiplier ?? (o.highGas / o.baseGas) ** (1 / o.maxDepth);
  return (o.baseGas * x ** depth * o.gasPriceGwei) / 1e9;
}

/** Rounds of one phase: the integer narrowing ⌈N/(k+1)^r⌉ ≤ m, equal to ⌈log_(k+1)(N/m)⌉. */
export function roundsFor(N: number, k: number, m: number): number {
  let r = 0,
    span = N;
  while (span > m) {
    span = Math.ceil(span / (k + 1));
    r++;
  }
  return r;
}

export type GameCostInputs = {
  N: number;
  k: number;
  m: number;
  /** Gas of all the claimer's checkpoint moves and all the challenger's selections (km/model.ts pathGas). */
  claimerMovesGas: number;
  challengerMovesGas: number;
  arbitrationGas: number;
  proveSeconds: number;
  gasPriceGwei: number;
  ethUsd: number;
  cpuUsdPerHour: number;
  claimerStakeEth: number;
  capitalRatePerYear: number;
  moveSeconds: number;
  challengerBondEth: number;
  /** Rounds over all levels (phases); default ⌈log_(k+1)(N/m)⌉ for one level. */
  rounds?: number;
};
export type GameCost = {
  rounds: number;
  attackerEth: number;
  defenderEth: number;
  ratio: number;
  breakEvenBondEth: number;
  durationS: number;
  attackerGas: number;
  defenderGas: number;
};
export function griefingCost(c: GameCostInputs): GameCost {
  const r = c.rounds ?? roundsFor(c.N, c.k, c.m);
  const gwei = c.gasPriceGwei / 1e9;
  const attackerGas = c.challengerMovesGas;
  const defenderGas = c.claimerMovesGas + c.arbitrationGas;
  const proveEth = ((c.proveSeconds / 3600) * c.cpuUsdPerHour) / c.ethUsd;
  const durationS = 2 * r * c.moveSeconds + c.proveSeconds;
  const capitalEth = c.claimerStakeEth * c.capitalRatePerYear * (durationS / (365 * 86400));
  const defenderEth = defenderGas * gwei + proveEth + capitalEth;
  const attackerEth = c.challengerBondEth + attackerGas * gwei;
  return {
    rounds: r,
    attackerEth,
    defenderEth,
    ratio: attackerEth / defenderEth,
    breakEvenBondEth: Math.max(0, defenderEth - attackerGas * gwei),
    durationS,
    attackerGas,
    defenderGas,
  };
}
