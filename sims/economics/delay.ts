/**
 * Delay attacks and Sybil challengers under chess clocks and the contracts' funded-slot rule.
 *
 * An attacker with budget B_a (ETH) opens s = ⌊B_a / c⌋ challenges against one honest claim, where one
 * challenge costs c = the challenge bond B (forfeited: (1 − b)·B to the claimer, b·B burned;
 * protocol/economics/payout.ts) + the attacker's gas over a game. In each game the attacker stalls
 * to the edge of its chess clock T_a; the honest defender answers each of its r moves after an
 * Exponential(μ) delay and, for m > 1, spends t_p proving. DisputeGame reopens the challenge window
 * W (deadline >= now + W) whenever the claimer wins a game, so that an honest challenger can take the
 * freed slot; at most `slots` games are open at once.
 *
 * - one game at a time (the attacker challenges again just before each reopened window closes):
 *   E[delay] = s·(T_a + r·μ + t_p + W): linear in the budget. This is the attacker's best use of a
 *   budget under the contract, and what the contract's rule allows.
 * - all at once, in waves of `slots` games with per-game clocks: each wave lasts T_a + t_p + the
 *   slowest of its games' Erlang(r, μ) defences, then the window W reopens;
 *   E[delay] = Σ_waves (T_a + t_p + E[max_i Erlang(r, μ)_i] + W), E[max] = ∫ (1 − F(t)^n) dt, F the
 *   Erlang CDF, n the wave's size; no wave exceeds T_a + T_d + W (both clocks and the window).
 * The defender's gas grows linearly in s in both; the forfeited bonds pay it (1 − b)·B per game.
 * Pitfall: the defender's per-move delays are not truncated at its clock; keep μ·r ≪ T_d.
 */
import { Rng } from "../../lib/rng.ts";

export type DelayParams = {
  rounds: number;
  attackerClockH: number;
  defenderClockH: number;
  defenderMeanH: number;
  proveH: number;
  costPerSybilEth: number;
  windowH: number;
  slots: number;
};

export function sybils(budgetEth: number, costPerSybilEth: number): number {
  return Math.floor(budgetEth / costPerSybilEth + 1e-12);
}

export function sequentialMeanH(s: number, p: DelayParams): number {
  return s * (p.attackerClockH + p.rounds * p.defenderMeanH + p.proveH + p.windowH);
}
function erlangCdf(t: number, r: number, mu: number): number {
  const x = t / mu;
  let term = Math.exp(-x),
    sum = term;
  for (let j = 1; j < r; j++) {
    term *= x / j;
    sum += term;
  }
  return 1 - sum;
}
/** E[max of s iid Erlang(r, μ)] by the trapezoid rule on ∫ (1 − F^s). */
export function expectedMaxErlang(s: number, r: number, mu: number): number {
  if (s === 0 || r === 0) return 0;
  const hi = mu * (r + 10 * Math.sqrt(r) + 5 * Math.log(s + 1) + 20);
  const n = 4000,
    h = hi / n;
  let acc = 0;
  for (let i = 0; i <= n; i++) {
    const v = 1 - erlangCdf(i * h, r, mu) ** s;
    acc += (i === 0 || i === n ? 0.5 : 1) * v;
  }
  return acc * h;
}
/** Wave sizes of s games in waves of at most `slots`. */
export function waves(s: number, slots: number): number[] {
  const out: number[] = [];
  for (let left = s; left > 0; left -= slots) out.push(Math.min(slots, left));
  return out;
}
export function parallelMeanH(s: number, p: DelayParams): number {
  return waves(s, p.slots).reduce(
    (acc, n) => acc + p.attackerClockH + p.proveH + expectedMaxErlang(n, p.rounds, p.defenderMeanH) + p.windowH,
    0,
  );
}

export type DelayMcTask = { p: DelayParams; budgetEth: number; trials: number; seed: number; index: number };
export type DelayMcResult = {
  budgetEth: number;
  sybils: number;
  seqMeanMc: number;
  seqSe: number;
  seqClosed: number;
  parMeanMc: number;
  parSe: number;
  parClosed: number;
  parMaxMc: number;
  parBound: number;
};
export function mcDelay(t: DelayMcTask): DelayMcResult {
  const rng = Rng.forTask(t.seed, t.index);
  const p = t.p;
  const s = sybils(t.budgetEth, p.costPerSybilEth);
  let sq = 0,
    sq2 = 0,
    pa = 0,
    pa2 = 0,
    paMax = 0;
  const ws = waves(s, p.slots);
  for (let i = 0; i < t.trials; i++) {
    let seq = 0,
      par = 0;
    for (const n of ws) {
      let slowest = 0;
      for (let g = 0; g < n; g++) {
        let resp = 0;
        for (let j = 0; j < p.rounds; j++) resp += rng.exponential(p.defenderMeanH);
        seq += p.attackerClockH + resp + p.proveH + p.windowH;
        if (resp > slowest) slowest = resp;
      }
      par += p.attackerClockH + slowest + p.proveH + p.windowH;
    }
    sq += seq;
    sq2 += seq * seq;
    pa += par;
    pa2 += par * par;
    if (par > paMax) paMax = par;
  }
  const T = t.trials,
    sm = sq / T,
    pm = pa / T;
  return {
    budgetEth: t.budgetEth,
    sybils: s,
    seqMeanMc: sm,
    seqSe: Math.sqrt(Math.max(0, sq2 / T - sm * sm) / T),
    seqClosed: sequentialMeanH(s, p),
    parMeanMc: pm,
    parSe: Math.sqrt(Math.max(0, pa2 / T - pm * pm) / T),
    parClosed: parallelMeanH(s, p),
    parMaxMc: paMax,
    parBound: ws.length * (p.attackerClockH + p.defenderClockH + p.windowH),
  };
}
