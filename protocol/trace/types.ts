/**
 * Trace providers: what a party believes the roots of a (sub)game are, how it proves a leaf of the
 * last phase and how it opens the next phase. The game logic (protocol/game) and the one referee
 * loop (protocol/actors/play.ts `playClaim`) are independent of the machine; a provider plugs one in
 * (op-challenger's `TraceProvider` with split games created on demand):
 *
 *   alphabet.ts   keccak alphabet machine, any number of phases (O(1) per root)
 *   counting.ts   its hash-free twin for the in-memory property tests
 *   rv32im.ts     the zkfp RV32IM machine over vm/trace.ts (a guest ELF, a node program, a model program)
 *   graph.ts      the graph phase of an ML model: `open` = the disputed node's RV32IM sub-trace + its
 *                 GraphVmLink proof
 *   leaf.ts       the pluggable leaf prover of an RV32IM last phase (one-step witness | Groth16 | PLONK)
 *
 * Indices are local to the (sub)game: a phase trace of `steps` steps has roots at 0..steps; the
 * provider maps them to whatever global position it needs (e.g. the alphabet's global step).
 * `open` and `leafProof` are async because they may run a VM or a prover. A party whose own trace
 * cannot justify the move (a liar) still gets an attempt back: `leafProof` returns
 * `{ valid: false, reason }` with the bytes it would submit, and the engine submits them (the
 * contract rejects them and the liar then loses on its clock).
 * Pitfall: roots must be exactly the bytes the contract sees (`Root`, 32-byte lowercase hex).
 */
import type { Hex, Root } from "../game/types.ts";
import { ZkfpError } from "../../vm/errors.ts";

/** A leaf proof a party would submit: valid in its own view, or the bytes of its failed attempt and why. */
export type LeafAttempt =
  | { proof: Hex; valid: true; seconds: number; note?: string; key?: LeafKey }
  | { proof: Hex; valid: false; reason: string; seconds: number; note?: string; key?: LeafKey };
/** Which key of the arbitrator's set a zk leaf proof is for (contracts/src/zk/SpanVerifiers.sol keyIndex). */
export type LeafKey = { index: number; circuit: string };

/** One phase's trace as one party sees it. */
export interface PhaseTrace {
  /** Phase number (0 = outermost). */
  readonly phase: number;
  /** Steps of this (sub)game; roots exist at 0..steps. */
  readonly steps: bigint;
  /** Root after t steps of this (sub)game. */
  rootAt(t: bigint): Root;
  /** Last phase only: proof bytes for the phase's IArbitrator that rootAt(t) -> rootAt(t + span). */
  leafProof(t: bigint, span: bigint): Promise<LeafAttempt>;
  /** Phases before the last: the sub-game for outer steps [t, t + span] and its IPhaseLink proof. */
  open(t: bigint, span: bigint): Promise<SubgameOpening>;
}

export type SubgameOpening = {
  trace: PhaseTrace;
  innerStart: Root;
  innerEnd: Root;
  innerSteps: bigint;
  linkProof: Hex;
  /** What was opened (for the readable report), e.g. "node 9 (op 12): 4,051 VM steps". */
  note?: string;
};

/** A leaf attempt that is valid by construction (machines whose proof is the index itself). */
export function validLeaf(proof: Hex, note?: string): LeafAttempt {
  return { proof, valid: true, seconds: 0, note };
}

export class TraceError extends ZkfpError {
  override readonly name = "TraceError";
}

/** A provider that is not built yet or cannot be built from the given options (e.g. `--vm rv32im` without `--elf`). */
export class ProviderUnavailableError extends ZkfpError {
  override readonly name = "ProviderUnavailableError";
}
