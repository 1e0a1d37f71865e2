/**
 * Felten's checker game (E. Felten, "The Cheater Checking Problem: Why the Verifier's Dilemma is
 * Harder Than You Think", Offchain Labs, 4 Sep 2019; and "Cheater Checking: How attention challenges
 * solve the verifier's dilemma", 5 Sep 2019).
 *
 * Players: an Asserter cheats with probability X; a Checker checks at cost C. Checking and finding a
 * cheat pays R; an undetected cheat costs the Checker L. Checker utility: check R·X − C, skip −L·X,
 * so checking pays only above X* = C / (R + L) (Felten's threshold). We add the Asserter's side:
 * an undetected cheat gains G, a detected one loses the stake P, so in the mixed equilibrium the
 * Checker checks with Y* = G / (G + P) and the Asserter cheats at X*.
 *
 * Two fixes move the equilibrium:
 * - attention challenges (Felten): with probability q per assertion the Checker must answer a
 *   challenge only a checker can answer; a lazy one pays A. Skip utility becomes −L·X − q·A, so
 *   X* = max(0, (C − q·A) / (R + L)); for q·A ≥ C checking is dominant and X* = 0 (pure equilibrium).
 *   Costs the system nothing in equilibrium (nobody is lazy, nobody pays A).
 * - forced errors (Truebit-style jackpots): with probability p an error is planted and its finder
 *   gets J. Check utility gains p·J, so X* = max(0, (C − p·J) / (R + L)); the system pays p·J per
 *   assertion whether or not anyone cheats.
 *
 * Simulations: a Monte Carlo estimate (standard errors from the model's variance, i.e. a z-test
 * of the closed form) of the Checker's advantage (check − skip) on a grid of X with
 * common random numbers (its zero crossing estimates X*), and fictitious play (Robinson 1951; for
 * 2x2 games the empirical frequencies converge to the mixed equilibrium, Miyasawa 1961).
 */
import { Rng } from "../../lib/rng.ts";

export type FeltenParams = {
  C: number;
  R: number;
  L: number;
  G: number;
  P: number;
  q: number;
  A: number;
  p: number;
  J: number;
};
export type FeltenMode = "plain" | "attention" | "forced";
export const MODES: FeltenMode[] = ["plain", "attention", "forced"];

/** The mode's constant term added to the Checker's advantage, independent of X. */
export function bonus(f: FeltenParams, mode: FeltenMode): number {
  return mode === "attention" ? f.q * f.A : mode === "forced" ? f.p * f.J : 0;
}
/** Checker's expected advantage of checking over skipping at cheat probability X. */
export function advantage(f: FeltenParams, mode: FeltenMode, X: number): number {
  return X * (f.R + f.L) - f.C + bonus(f, mode);
}
/** X* = max(0, (C − bonus) / (R + L)). */
export function threshold(f: FeltenParams, mode: FeltenMode): number {
  return Math.max(0, (f.C - bonus(f, mode)) / (f.R + f.L));
}
/** Mixed equilibrium (X cheat, Y check) or the pure one when checking is dominant. */
export function equilibrium(f: FeltenParams, mode: FeltenMode): { X: number; Y: number; subsidyPerAssertion: number } {
  const X = threshold(f, mode);
  const subsidy = mode === "forced" ? f.p * f.J : 0;
  return X > 0
    ? { X: Math.min(1, X), Y: f.G / (f.G + f.P), subsidyPerAssertion: subsidy }
    : { X: 0, Y: 1, subsidyPerAssertion: subsidy };
}

export type FeltenMcTask = {
  f: FeltenParams;
  mode: FeltenMode;
  X: number;
  rounds: number;
  seed: number;
  index: number;
};
export type FeltenMcResult = { mode: FeltenMode; X: number; mean: number; se: number; closed: number };

/** Monte Carlo of the Checker's advantage at one X (common random numbers for both actions). */
export function mcAdvantage(t: FeltenMcTask): FeltenMcResult {
  const rng = Rng.forTask(t.seed, t.index);
  const { f, mode } = t;
  let s = 0;
  for (let i = 0; i < t.rounds; i++) {
    const cheat = rng.bernoulli(t.X);
    const att = mode === "attention" && rng.bernoulli(f.q);
    const forced = mode === "forced" && rng.bernoulli(f.p);
    const check = (cheat ? f.R : 0) + (forced ? f.J : 0) - f.C;
    const skip = (cheat ? -f.L : 0) - (att ? f.A : 0);
    const d = check - skip;
    s += d;
  }
  const mean = s / t.rounds;
  // Standard error under the model (z-test under H0): the sample variance is 0 whenever a rare
  // event never occurs in a short run, which would make the tolerance 0.
  const varr =
    t.X * (1 - t.X) * (f.R + f.L) ** 2 +
    (mode === "attention" ? f.q * (1 - f.q) * f.A ** 2 : 0) +
    (mode === "forced" ? f.p * (1 - f.p) * f.J ** 2 : 0);
  return { mode, X: t.X, mean, se: Math.sqrt(varr / t.rounds), closed: advantage(f, mode, t.X) };
}

/**
 * Empirical threshold: the zero crossing of the simulated advantage on the X grid (linear
 * interpolation between the last negative and first non-negative point). 0 when the advantage is
 * non-negative everywhere; NaN when it never crosses on the grid.
 */
export function empiricalThreshold(rows: FeltenMcResult[]): number {
  const r = [...rows].sort((a, b) => a.X - b.X);
  if (r[0]!.mean >= 0) return 0;
  for (let i = 1; i < r.length; i++) {
    const a = r[i - 1]!,
      b = r[i]!;
    if (a.mean < 0 && b.mean >= 0) return a.X + ((0 - a.mean) * (b.X - a.X)) / (b.mean - a.mean);
  }
  return Number.NaN;
}

/**
 * Fictitious play on expected payoffs: each round both players best-respond to the other's
 * empirical frequency so far. Returns the final time averages and a thinned trajectory.
 * Ties break towards honesty / checking.
 */
export function fictitiousPlay(
  f: FeltenParams,
  mode: FeltenMode,
  T: number,
  samples = 50,
): { X: number; Y: number; path: { t: number; X: number; Y: number }[] } {
  let cheats = 1,
    checks = 1; // one fictitious initial observation each (cheat, check)
  const path: { t: number; X: number; Y: number }[] = [];
  const every = Math.max(1, Math.floor(T / samples));
  for (let t = 1; t <= T; t++) {
    const xHat = cheats / t,
      yHat = checks / t;
    const cheatNow = (1 - yHat) * f.G - yHat * f.P > 0;
    const checkNow = advantage(f, mode, xHat) >= 0;
    if (cheatNow) cheats++;
    if (checkNow) checks++;
    if (t % every === 0) path.push({ t, X: cheats / (t + 1), Y: checks / (t + 1) });
  }
  return { X: cheats / (T + 1), Y: checks / (T + 1), path };
}
