/**
 * Monte Carlo replicates: a sweep's tasks run R times on independent RNG streams (task index +
 * r·REPLICATE_STRIDE, the same master seed), and each grid point is summarised across its R
 * replicate means — mean, standard error of that mean (sample sd / √R, from the replicates
 * themselves rather than from a within-run formula) and a 95 % confidence half-width with
 * Student's t quantile for R − 1 degrees of freedom.
 *
 * Pitfall: the within-run standard errors the simulations report assume i.i.d. rounds; the
 * across-replicate SE makes no such assumption, which is why checks and error bars use it.
 */

/** Index offset between replicate streams: larger than any task index a sweep uses. */
export const REPLICATE_STRIDE = 10_000_000;

/** Two-sided 95 % quantiles of Student's t (standard table), df = 1..30; 1.96 beyond. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
export function t975(df: number): number {
  if (df < 1) return Number.NaN;
  return df <= T975.length ? T975[df - 1]! : 1.96;
}

export type Summary = { mean: number; se: number; ci95: number; n: number };
export function summarise(xs: number[]): Summary {
  const n = xs.length;
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  if (n < 2) return { mean, se: Number.NaN, ci95: Number.NaN, n };
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  const se = sd / Math.sqrt(n);
  return { mean, se, ci95: t975(n - 1) * se, n };
}

/** Tasks of R replicates, replicate-major: result i belongs to grid point i mod tasks.length. */
export function replicateTasks<T extends { index: number }>(tasks: T[], R: number): T[] {
  return Array.from({ length: R }, (_, r) =>
    tasks.map((t) => ({ ...t, index: t.index + r * REPLICATE_STRIDE })),
  ).flat();
}

/** Groups replicate-major results back into one array of R results per grid point. */
export function byPoint<X>(results: X[], points: number): X[][] {
  const out: X[][] = Array.from({ length: points }, () => []);
  results.forEach((r, i) => out[i % points]!.push(r));
  return out;
}

/**
 * One result per grid point: `fields` maps each Monte Carlo mean field to its SE field. The SE is
 * the larger of the across-replicate SE and the replicates' own within-run SE pooled over R runs
 * (mean se / √R): when every replicate returns the same value (e.g. a detection probability of 1
 * at 1e-4 from the closed form), the sample sd is 0 and only the within-run SE is informative.
 * `ci95_<field>` is t(R−1)·SE; every other field is taken from the first replicate (closed forms
 * and parameters are the same in every replicate).
 */
export function aggregate<X extends Record<string, unknown>>(
  reps: X[],
  fields: Record<string, string>,
): X & Record<string, number> {
  const out: Record<string, unknown> = { ...reps[0]! };
  for (const [f, seField] of Object.entries(fields)) {
    const s = summarise(reps.map((r) => Number(r[f])));
    const within = reps.map((r) => Number(r[seField]));
    const pooled = within.every(Number.isFinite)
      ? within.reduce((a, b) => a + b, 0) / within.length / Math.sqrt(reps.length)
      : 0;
    const se = Math.max(Number.isFinite(s.se) ? s.se : 0, pooled);
    out[f] = s.mean;
    out[seField] = se;
    out[`ci95_${f}`] = t975(reps.length - 1) * se;
  }
  out["replicates"] = reps.length;
  return out as X & Record<string, number>;
}
