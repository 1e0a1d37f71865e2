/**
 * Actors: a party's beliefs (a `PhaseTrace` of phase 0), when it moves (`Timing`) and how it picks a
 * segment (`Choice`). The zoo of the issue:
 *
 *   honest           true trace, moves promptly, picks the first segment whose post-root it disputes
 *   dishonest(t)     trace corrupted from global step t (consistent across phases)
 *   phaseLiar(p, x)  trace corrupted only in phase p, from phase-p index x
 *   lazy(n)          plays n moves, then never moves again (times out)
 *   staller          spends its clock down to what it needs for its remaining moves (at least one
 *                    second each) and makes its last move with exactly 0 s left (the clock's edge)
 *   contrarian       disputes everything: always challenges, always picks segment 0, and as a
 *                    claimer asserts roots that are all wrong after the start
 *
 * Pitfall: a challenger that agrees with every root of a round (it challenged a true claim) still
 * has to pick: it disputes the last segment.
 */
import type { PhaseTrace } from "../trace/types.ts";
import type { Hex, Root } from "../game/types.ts";
import type { StartMoves } from "../link/graph-claim.ts";
import { AlphabetWorld, type Lie } from "../trace/alphabet.ts";
import { CountingWorld } from "../trace/counting.ts";

/** A machine's phase-0 trace for a given lie (honest = `{ kind: "none" }`). */
export type World = (lie: Lie) => PhaseTrace;
export const alphabetWorld =
  (sizes: bigint[]): World =>
  (lie) =>
    new AlphabetWorld(sizes, lie).trace();
export const countingWorld =
  (sizes: bigint[]): World =>
  (lie) =>
    new CountingWorld(sizes, lie).trace();

export type Timing =
  | { kind: "prompt"; delay: number }
  | { kind: "lazy"; moves: number; delay: number }
  | { kind: "stall" };
export type Choice = "first-disagreement" | "always-first";

/**
 * What an honest party derives from its own run about a claim's binding (IClaimBinding): the start
 * root the program and the published input give (with the `aux` opening `disputeStart` takes), its
 * final root, and the output opened from that final root (with the `opening` `disputeOutput` takes).
 * `at(n)` is the same for its state after n steps (the claim's step count is the claimer's choice;
 * past the end of the run the final state repeats): a claim's final root is compared with
 * `at(claim.steps).finalRoot`, and its output with the output that state holds (NO_OUTPUT for a
 * state without an answer). Before it challenges, it checks the claim's start root and output with
 * these (playClaim).
 */
export type FinalState = { finalRoot: Root; output: Hex; opening: Hex };
/**
 * `startMoves`: the binding move in transactions that each fit a block (GraphClaimBinding `advance`
 * chunks, then `disputeStart` with the resume aux); absent: one `disputeStart(aux)`.
 */
export type ClaimCheck = FinalState & {
  startRoot: Root;
  aux: Hex;
  startMoves?: StartMoves;
  at(steps: bigint): FinalState;
};

export type Actor = {
  name: string;
  trace: PhaseTrace;
  /** An honest party's binding knowledge (none: it only plays games). */
  check?: ClaimCheck;
  /** A griefer: calls the binding move with these arguments before anything else (it must fail). */
  grief?: { kind: "start"; input: Hex; aux: Hex } | { kind: "output"; opening: Hex };
  timing: Timing;
  choice: Choice;
  /** Challenge even when its view of the final root matches the claim. */
  challengeAlways: boolean;
};

const PROMPT: Timing = { kind: "prompt", delay: 1 };

export function honest(w: World): Actor {
  return {
    name: "honest",
    trace: w({ kind: "none" }),
    timing: PROMPT,
    choice: "first-disagreement",
    challengeAlways: false,
  };
}
export function dishonest(w: World, step: bigint): Actor {
  return {
    name: `dishonest@${step}`,
    trace: w({ kind: "from", step }),
    timing: PROMPT,
    choice: "first-disagreement",
    challengeAlways: true,
  };
}
export function phaseLiar(w: World, phase: number, from: bigint): Actor {
  return {
    name: `phaseLiar@${phase}:${from}`,
    trace: w({ kind: "phase", phase, from }),
    timing: PROMPT,
    choice: "first-disagreement",
    challengeAlways: true,
  };
}
export function contrarian(w: World): Actor {
  return {
    name: "contrarian",
    trace: w({ kind: "from", step: 1n }),
    timing: PROMPT,
    choice: "always-first",
    challengeAlways: true,
  };
}
export function lazy(a: Actor, moves: number): Actor {
  return { ...a, name: `lazy${moves}(${a.name})`, timing: { kind: "lazy", moves, delay: 1 } };
}
export function staller(a: Actor): Actor {
  return { ...a, name: `staller(${a.name})`, timing: { kind: "stall" } };
}

/**
 * Seconds to wait before a move, or null for "never". `movesMade` counts this party's moves so far;
 * `reserve` is an upper bound on the seconds its later moves need (1 s each), 0 for its last move.
 */
export function delayFor(t: Timing, remaining: number, movesMade: number, reserve: number): number | null {
  switch (t.kind) {
    case "prompt":
      return Math.min(t.delay, remaining);
    case "lazy":
      return movesMade >= t.moves ? null : Math.min(t.delay, remaining);
    case "stall":
      return Math.max(Math.min(1, remaining), remaining - reserve);
  }
}
