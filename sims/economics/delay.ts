/**
 * Delay attacks and Sybil challengers under chess clocks.
 *
 * An attacker with budget B (ETH) opens s = ⌊B / c⌋ challenges against one honest claim, where one
 * challenge costs c = challenger bond + the attacker's gas over a game. In each game the attacker
 * stalls to the edge of its chess clock T_a; the honest defender answers each of its r moves after an
 * Exponential(μ) delay and, for m > 1, spends t_p proving.
 *
 * - sequential games (one challenge at a time, as in a one-vs-one tournament): the claim confirms
 *   after the sum of all game lengths, E[delay] = s·(T_a + r·μ + t_p): linear in B.
 * - parallel games with per-game clocks (the OP fault dispute game's and BoLD's all-vs-all design;
 *   issue 4 requires that an honest party is never blocked by a dishonest one): delay = max over
 *   games = T_a + t_p + max_i Erlang(r, μ)_i, with E[max] = ∫ (1 − F(t)^s) dt, F the Erlang CDF. It
 *   grows only like log s and never exceeds T_a + T_d (both clocks) — the budget buys almost nothing.
 * The defender's gas grows linearly in s in both designs; a bond b_c ≥ the defender's per-game cost
 * pays for it out of the forfeited bonds.
 * Pitfall: the defender's per-move delays are not truncated at its clock; keep μ·r ≪ T_d.
 */
import { Rng } from "../../lib/rng.ts";

export type DelayParams = { rounds: number; attackerClockH: number; defenderClockH: number; defenderMeanH: number; proveH: number; costPerSybilEth: number };

export function sybils(budgetEth: number, costPerSybilEth: number): number { return Math.floor(budgetEth / costPerSybilEth + 1e-12); }

export function sequentialMeanH(s: number, p: DelayParams): number {
  return s * (p.attackerClockH + p.rounds * p.defenderMeanH + p.proveH);
}
function erlangCdf(t: number, r: number, mu: number): number {
  const x = t / mu;
  let term = Math.exp(-x), sum = term;
  for (let j = 1; j < r; j++) { term *= x / j; sum += term; }
  return 1 - sum;
}
/** E[max of s iid Erlang(r, μ)] by the trapezoid rule on ∫ (1 − F^s). */
export function expectedMaxErlang(s: number, r: number, mu: number): number {
  if (s === 0 || r === 0) return 0;
  const hi = mu * (r + 10 * Math.sqrt(r) + 5 * Math.log(s + 1) + 20);
  const n = 4000, h = hi / n;
  let acc = 0;
  for (let i = 0; i <= n; i++) {
    const v = 1 - erlangCdf(i * h, r, mu) ** s;
    acc += (i === 0 || i === n ? 0.5 : 1) * v;
  }
  return acc * h;
}
export function parallelMeanH(s: number, p: DelayParams): number {
  return s === 0 ? 0 : p.attackerClockH + p.proveH + expectedMaxErlang(s, p.rounds, p.defenderMeanH);
}

export type DelayMcTask = { p: DelayParams; budgetEth: number; trials: number; seed: number; index: number };
export type DelayMcResult = {
  budgetEth: number; sybils: number;
  seqMeanMc: number; seqSe: number; seqClosed: number;
  parMeanMc: number; parSe: number; parClosed: number; parMaxMc: number; parBound: number;
};
export function mcDelay(t: DelayMcTask): DelayMcResult {
  const rng = Rng.forTask(t.seed, t.index);
  const p = t.p;
  const s = sybils(t.budgetEth, p.costPerSybilEth);
  let sq = 0, sq2 = 0, pa = 0, pa2 = 0, paMax = 0;
  for (let i = 0; i < t.trials; i++) {
    let seq = 0, par = 0;
    for (let g = 0; g < s; g++) {
      let resp = 0;
      for (let j = 0; j < p.rounds; j++) resp += rng.exponential(p.defenderMeanH);
      const len = p.attackerClockH + resp + p.proveH;
      seq += len;
      if (len > par) par = len;
    }
    sq += seq; sq2 += seq * seq; pa += par; pa2 += par * par; if (par > paMax) paMax = par;
  }
  const T = t.trials, sm = sq / T, pm = pa / T;
  return {
    budgetEth: t.budgetEth, sybils: s,
    seqMeanMc: sm, seqSe: Math.sqrt(Math.max(0, sq2 / T - sm * sm) / T), seqClosed: sequentialMeanH(s, p),
    parMeanMc: pm, parSe: Math.sqrt(Math.max(0, pa2 / T - pm * pm) / T), parClosed: parallelMeanH(s, p),
    parMaxMc: paMax, parBound: s === 0 ? 0 : p.attackerClockH + p.defenderClockH,
  };
}
