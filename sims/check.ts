/**
 * A closed form checked against its simulation: `pass` iff |sim − closed| ≤ tolerance. The tolerance
 * is stated per check (usually a multiple z of the Monte Carlo standard error, z = 4.5, so a correct
 * model fails by chance with probability < 1e-5 per comparison at the fixed seeds used here).
 */
export type Check = { id: string; what: string; closed: number; sim: number; tolerance: number; toleranceRule: string; pass: boolean };
export const Z = 4.5;
export function check(id: string, what: string, closed: number, sim: number, tolerance: number, toleranceRule: string): Check {
  return { id, what, closed, sim, tolerance, toleranceRule, pass: Math.abs(sim - closed) <= tolerance };
}
