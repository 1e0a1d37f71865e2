/**
 * A closed form checked against its simulation: `pass` iff |sim − closed| ≤ tolerance. The tolerance
 * is stated per check (usually a multiple z of the Monte Carlo standard error, z = 4.5, so a correct
 * model fails by chance with probability < 1e-5 per comparison at the fixed seeds used here).
 */
/**
 * `independent`: the two sides are computed independently (a simulation against a closed form, a
 * replay against a formula). false marks a consistency check (the same function computed twice, or
 * a replay that cannot differ by construction): it guards against slips but cannot refute the
 * model, and reports list it apart from the independent ones.
 */
export type Check = {
  id: string;
  what: string;
  closed: number;
  sim: number;
  tolerance: number;
  toleranceRule: string;
  pass: boolean;
  independent: boolean;
};
export const Z = 4.5;
export function check(
  id: string,
  what: string,
  closed: number,
  sim: number,
  tolerance: number,
  toleranceRule: string,
  independent = true,
): Check {
  return { id, what, closed, sim, tolerance, toleranceRule, pass: Math.abs(sim - closed) <= tolerance, independent };
}
