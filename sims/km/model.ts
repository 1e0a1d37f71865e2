/**
 * k/m trade-off of zkfp's dispute game (issue 4): k checkpoints per move split an interval into k + 1
 * segments, the game stops at m steps and a zk proof of m steps (Groth16 verify on chain) or, for
 * m = 1, the one-step verifier settles it.
 *
 *   rounds r(N, k, m) = ⌈log_(k+1)(N/m)⌉ per phase
 *   gas    G(k, m)    = r·(G0 + g·k + S0 + s1·⌈log2(k+1)⌉) + G_arb(m)
 *          (the selection opens the chosen checkpoints in a Merkle tree of k roots: s1 per level;
 *          `pathGas` also counts the top round's clamping to fewer than k checkpoints)
 *   latency T(k, m)   = 2·r·τ + t_prove(m),  t_prove(m) = a + b·m (0 for m = 1)
 *   cost   C(k, m)    = G·gasPrice·ETHUSD + t_prove(m)·cpuUSD/h + T·v   (v: value of time, USD/s,
 *                        e.g. the capital locked while the claim is disputed)
 *
 * Continuous optimum in k (gas): without the ceilings r·s1·log2(k+1) = s1·log2(N/m) does not
 * depend on k, so with u = k + 1, f(u) = ln(N/m)·(A + g·u)/ln u + const, A = G0 + S0 − g,
 * f'(u) = 0  <=>  u·(ln u − 1) = A/g  <=>  u* = (A/g) / W(A/(g·e)), W = Lambert W (principal branch).
 * Continuous optimum in m (latency): m* = 2τ / (b·ln(k+1)).
 * The integer optima (with the ceilings) come from exhaustive search over the configured grid; the
 * continuous ones are cross-checked against mathjs's symbolic derivative (Newton on f'(u)).
 * mathjs has no Lambert W, so it is computed here by Halley's iteration.
 */
import { derivative, parse } from "mathjs";
import type { Constants } from "../constants.ts";

/** Lambert W, principal branch, x ≥ −1/e (Halley's method). */
export function lambertW(x: number): number {
  if (x < -1 / Math.E) throw new RangeError(`lambertW undefined at ${x}`);
  let w = x < 1 ? Math.log1p(x) : Math.log(x) - Math.log(Math.log(x) + 1e-300 + (x < Math.E ? 1 : 0));
  for (let i = 0; i < 100; i++) {
    const e = Math.exp(w),
      f = w * e - x;
    const step = f / (e * (w + 1) - ((w + 2) * f) / (2 * w + 2));
    w -= step;
    if (Math.abs(step) < 1e-15 * (1 + Math.abs(w))) break;
  }
  return w;
}

export function rounds(N: number, k: number, m: number): number {
  let r = 0,
    span = N;
  while (span > m) {
    span = Math.ceil(span / (k + 1));
    r++;
  }
  return r;
}

/**
 * Gas of one phase's rounds along a dispute path away from the right spine: every round posts k
 * checkpoints except the top one, which the aligned tree clamps to c_top = min(k, ⌈N/s(R)⌉ − 1),
 * s(R) = m·(k+1)^(R−1) (e.g. N/m = 2^20, k = 63: R = 4 and c_top = 3). The selection after a round
 * with c checkpoints opens a Merkle tree of c roots: S0 + s1·⌈log2(c+1)⌉.
 */
export function pathGas(
  c: Constants,
  N: number,
  k: number,
  m: number,
): { rounds: number; checkpoints: number; claimerGas: number; challengerGas: number } {
  const R = rounds(N, k, m);
  if (R === 0) return { rounds: 0, checkpoints: 0, claimerGas: 0, challengerGas: 0 };
  const cTop = Math.min(k, Math.ceil(N / (m * (k + 1) ** (R - 1))) - 1);
  const checkpoints = cTop + (R - 1) * k;
  const claimerGas = R * c.moveGas(0) + checkpoints * (c.moveGas(1) - c.moveGas(0));
  const challengerGas = c.selectGas(cTop) + (R - 1) * c.selectGas(k);
  return { rounds: R, checkpoints, claimerGas, challengerGas };
}

export type KmParams = {
  N: number;
  gasPriceGwei: number;
  ethUsd: number;
  cpuUsdPerHour: number;
  moveSeconds: number;
  timeValueUsdPerS: number;
  phases?: { N: number }[];
};
export type KmPoint = {
  k: number;
  m: number;
  rounds: number;
  gas: number;
  latencyS: number;
  costUsd: number;
  proveS: number;
};

/** Evaluates one (k, m): phases (if given) each narrow to one unit except the last, which narrows to m. */
export function evaluate(c: Constants, p: KmParams, k: number, m: number): KmPoint {
  const phases = p.phases && p.phases.length ? p.phases : [{ N: p.N }];
  let r = 0,
    moves = 0;
  phases.forEach((ph, i) => {
    const p = pathGas(c, ph.N, k, i === phases.length - 1 ? m : 1);
    r += p.rounds;
    moves += p.claimerGas + p.challengerGas;
  });
  const gas = moves + c.arbitrationGas(m);
  const proveS = c.proveSeconds(m);
  const latencyS = 2 * r * p.moveSeconds + proveS;
  const costUsd =
    gas * p.gasPriceGwei * 1e-9 * p.ethUsd + (proveS / 3600) * p.cpuUsdPerHour + latencyS * p.timeValueUsdPerS;
  return { k, m, rounds: r, gas, latencyS, costUsd, proveS };
}

export type Objective = "gas" | "latency" | "cost";
export function optimum(points: KmPoint[], obj: Objective): KmPoint {
  const key = obj === "gas" ? "gas" : obj === "latency" ? "latencyS" : "costUsd";
  // Ties break towards fewer checkpoints, then smaller m (cheaper calldata and proofs).
  return [...points].sort((a, b) => a[key] - b[key] || a.k - b.k || a.m - b.m)[0]!;
}

/** Continuous gas-optimal k (u* − 1) from the Lambert W closed form. */
export function kStarClosed(G0: number, g: number, Gsel: number): number {
  const A = G0 + Gsel - g;
  const u = A / g / lambertW(A / (g * Math.E));
  return u - 1;
}

/** Same optimum found numerically from mathjs's symbolic derivative (Newton's method on f'(u)). */
export function kStarMathjs(G0: number, g: number, Gsel: number, N: number, m: number): number {
  const scope = { A: G0 + Gsel - g, g, L: Math.log(N / m) };
  const f = parse("L * (A + g * u) / log(u)");
  const d1 = derivative(f, "u");
  const d2 = derivative(d1, "u");
  const c1 = d1.compile(),
    c2 = d2.compile();
  let u = Math.max(3, Math.sqrt(scope.A / g));
  for (let i = 0; i < 200; i++) {
    const step = (c1.evaluate({ ...scope, u }) as number) / (c2.evaluate({ ...scope, u }) as number);
    let nu = u - step;
    if (!(nu > 1)) nu = (u + 1) / 2;
    if (Math.abs(nu - u) < 1e-12 * u) {
      u = nu;
      break;
    }
    u = nu;
  }
  return u - 1;
}

/** Continuous latency-optimal m: 2τ / (b ln(k+1)). */
export function mStarClosed(moveSeconds: number, proveSecondsPerStep: number, k: number): number {
  return (2 * moveSeconds) / (proveSecondsPerStep * Math.log(k + 1));
}
