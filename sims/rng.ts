/** Re-export for callers written against the old sims/rng.ts; the generator is lib/rng.ts. */
export { Rng } from "../lib/rng.ts";
