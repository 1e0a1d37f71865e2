/**
 * Mixed-strategy equilibrium of n rollup validators facing one asserter, in the setting of
 * A. Mamageishvili & E. W. Felten, "Incentive Schemes for Rollup Validators" (arXiv:2308.02880, 2023):
 * no pure equilibrium exists, and the failure probability in the mixed equilibrium depends on the
 * number of validators n and the stake S. The closed forms below are our own derivation for this
 * concrete payoff model (not quoted from the paper):
 *
 *   asserter: cheats with prob. q; gains G if no validator checks, loses its stake S otherwise.
 *   validator: checks with prob. p at cost C; the stake S is split among the validators that checked;
 *              an undetected cheat costs every validator L.
 *   asserter indifference:  G·(1−p)^n = S·(1 − (1−p)^n)  =>  (1−p)^n = S / (G + S)
 *   validator indifference: q·(S·φ(p) + L·(1−p)^(n−1)) = C,  φ(p) = (1 − (1−p)^n) / (n·p)
 *   failure probability:    q·(1−p)^n   (a cheat that nobody checks)
 *
 * With L = 0 the failure probability is C·n·p / G, which grows with n towards C·ln(1 + G/S)/G: more
 * validators each check less, and the minimal feasible n minimises failure, as the paper states.
 * When the indifference q exceeds 1 the asserter always cheats (q = 1) and p solves the validator's
 * indifference alone (bisection; φ is decreasing in p).
 */
import { Rng } from "../../lib/rng.ts";

export type ValidatorParams = { n: number; S: number; G: number; C: number; L: number };
export type ValidatorEq = { p: number; q: number; failure: number; interior: boolean };

function phi(p: number, n: number): number {
  return p === 0 ? 1 : (1 - (1 - p) ** n) / (n * p);
}

export function validatorEquilibrium(v: ValidatorParams): ValidatorEq {
  const { n, S, G, C, L } = v;
  const p = 1 - (S / (G + S)) ** (1 / n);
  const q = C / (S * phi(p, n) + L * (1 - p) ** (n - 1));
  if (q <= 1) return { p, q, failure: q * (1 - p) ** n, interior: true };
  // Asserter always cheats: validators mix so that checking is break-even at q = 1.
  const gain = (pp: number) => S * phi(pp, n) + L * (1 - pp) ** (n - 1) - C;
  if (gain(1) >= 0) return { p: 1, q: 1, failure: 0, interior: false };
  if (gain(0) <= 0) return { p: 0, q: 1, failure: 1, interior: false };
  let lo = 0,
    hi = 1;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (gain(mid) > 0) lo = mid;
    else hi = mid;
  }
  const pp = (lo + hi) / 2;
  return { p: pp, q: 1, failure: (1 - pp) ** n, interior: false };
}

/**
 * Exact standard deviations of one round's samples under the equilibrium strategies (summing over
 * the binomial number of other checkers). Used as the z-test's standard errors: a sample variance
 * is 0 when a rare cheat never occurs in a short run.
 */
function moments(v: ValidatorParams, eq: ValidatorEq): { adv: number; cheat: number } {
  const { n, S, G, C, L } = v;
  let e1 = 0,
    e2 = 0,
    pk = (1 - eq.p) ** (n - 1);
  for (let j = 0; j <= n - 1; j++) {
    if (j > 0) pk = eq.p >= 1 ? (j === n - 1 ? 1 : 0) : (pk * (n - j) * eq.p) / (j * (1 - eq.p));
    const x = S / (1 + j) + (j === 0 ? L : 0); // advantage when the asserter cheats, before − C
    e1 += pk * x;
    e2 += pk * x * x;
  }
  const m1 = eq.q * e1,
    m2 = eq.q * e2; // d + C = cheat · x
  const none = (1 - eq.p) ** n;
  return { adv: Math.sqrt(Math.max(0, m2 - m1 * m1)), cheat: (G + S) * Math.sqrt(none * (1 - none)) };
}

export type ValidatorMcTask = { v: ValidatorParams; rounds: number; seed: number; index: number };
export type ValidatorMcResult = ValidatorParams &
  ValidatorEq & {
    failureMc: number;
    failureSe: number;
    checkAdvMc: number;
    checkAdvSe: number;
    cheatPayoffMc: number;
    cheatPayoffSe: number;
  };

/** Plays `rounds` assertions at the equilibrium strategies and measures failure and indifference. */
export function mcValidators(t: ValidatorMcTask): ValidatorMcResult {
  const eq = validatorEquilibrium(t.v);
  const { n, S, G, C, L } = t.v;
  const rng = Rng.forTask(t.seed, t.index);
  let fails = 0,
    adv = 0,
    cp = 0;
  for (let i = 0; i < t.rounds; i++) {
    const cheat = rng.bernoulli(eq.q);
    const others = rng.binomial(n - 1, eq.p); // validators 2..n
    const me = rng.bernoulli(eq.p); // validator 1
    if (cheat && others + (me ? 1 : 0) === 0) fails++;
    // validator 1's advantage of checking over skipping, given the others' draws
    const check = (cheat ? S / (1 + others) : 0) - C;
    const skip = cheat && others === 0 ? -L : 0;
    adv += check - skip;
    // asserter's payoff from cheating against these checkers (counterfactual on every round)
    cp += others + (me ? 1 : 0) > 0 ? -S : G;
  }
  const R = t.rounds;
  const sd = moments(t.v, eq);
  return {
    ...t.v,
    ...eq,
    failureMc: fails / R,
    failureSe: Math.sqrt((eq.failure * (1 - eq.failure)) / R),
    checkAdvMc: adv / R,
    checkAdvSe: sd.adv / Math.sqrt(R),
    cheatPayoffMc: cp / R,
    cheatPayoffSe: sd.cheat / Math.sqrt(R),
  };
}
