/**
 * Trace providers: what a party believes the roots of a (sub)game are, and how it proves a leaf or
 * opens the next phase. The game logic (protocol/game) is independent of the machine; a provider
 * plugs a machine in. Implementations: alphabet (protocol/trace/alphabet.ts, O(1) per root, any
 * number of phases), RV32IM (protocol/trace/rv32im.ts adapts a `StepMachine`), and later the
 * computation graph of the ML phase (a `PhaseTrace` whose `open` descends into one node's VM run).
 *
 * Indices are local to the (sub)game: a phase trace of `steps` steps has roots at 0..steps; the
 * provider maps them to whatever global position it needs (e.g. the alphabet's global step).
 * Pitfall: roots must be exactly the bytes the contract sees (`Root`, 32-byte lowercase hex).
 */
import type { Hex, Root } from "../game/types.ts";
import { ZkfpError } from "../../vm/errors.ts";

/** One phase's trace as one party sees it. */
export interface PhaseTrace {
  /** Phase number (0 = outermost). */
  readonly phase: number;
  /** Steps of this (sub)game; roots exist at 0..steps. */
  readonly steps: bigint;
  /** Root after t steps of this (sub)game. */
  rootAt(t: bigint): Root;
  /** Last phase only: proof bytes for the phase's IArbitrator that rootAt(t) -> rootAt(t + span). */
  leafProof(t: bigint, span: bigint): Promise<Hex>;
  /** Phases before the last: the sub-game for outer steps [t, t + span] and its IPhaseLink proof. */
  open(t: bigint, span: bigint): SubgameOpening;
}

export type SubgameOpening = {
  trace: PhaseTrace;
  innerStart: Root;
  innerEnd: Root;
  innerSteps: bigint;
  linkProof: Hex;
};

/**
 * A machine the game can argue about step by step (the RV32IM VM implements this): its state root
 * after t steps as a field element and the witness of step t -> t + 1 (vm/STATE.md, 165 elements).
 */
export interface StepMachine {
  readonly steps: bigint;
  stateRoot(t: bigint): bigint;
  stepWitness(t: bigint): bigint[] | Promise<bigint[]>;
}

export class TraceError extends ZkfpError {
  override readonly name = "TraceError";
}

/** A provider that is not built yet (asked for by name, e.g. `--vm rv32im`). */
export class ProviderUnavailableError extends ZkfpError {
  override readonly name = "ProviderUnavailableError";
}
