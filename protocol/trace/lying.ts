/**
 * A liar over any single-phase trace: roots from step `from` on are replaced by `lie(root)` (a keccak
 * tweak, so never a valid state commitment). Its leaf attempts are the honest proofs marked invalid
 * once they reach a lied root: the arbitrator rejects them for the lying pre/post-root. Used for
 * machines without a built-in lie model (RV32IM guests); the alphabet and counting worlds have their
 * own, consistent across phases, and ML liars lie in their beliefs (protocol/trace/model.ts).
 */
import type { PhaseTrace } from "./types.ts";
import { lie } from "./alphabet.ts";

export function lyingTrace(base: PhaseTrace, from: bigint): PhaseTrace {
  return {
    phase: base.phase,
    steps: base.steps,
    rootAt: (t) => (t >= from ? lie(base.rootAt(t)) : base.rootAt(t)),
    async leafProof(t, span) {
      const a = await base.leafProof(t, span);
      if (t + span < from) return a;
      return {
        proof: a.proof,
        valid: false,
        reason: "the honest proof does not reach the lied root",
        seconds: a.seconds,
        note: a.note,
      };
    },
    open: (t, span) => base.open(t, span),
  };
}
