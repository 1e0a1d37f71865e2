/**
 * A liar over any single-phase trace: roots from step `from` on are replaced by `lie(root)` (a keccak
 * tweak, so never a valid state commitment); proofs are the honest ones, which the arbitrator then
 * rejects for the lying post-root. Used for machines without a built-in lie model (RV32IM); the
 * alphabet and counting worlds have their own, consistent across phases.
 */
import type { PhaseTrace } from "./types.ts";
import { lie } from "./alphabet.ts";

export function lyingTrace(base: PhaseTrace, from: bigint): PhaseTrace {
  return {
    phase: base.phase,
    steps: base.steps,
    rootAt: (t) => (t >= from ? lie(base.rootAt(t)) : base.rootAt(t)),
    leafProof: (t, span) => base.leafProof(t, span),
    open: (t, span) => base.open(t, span),
  };
}
