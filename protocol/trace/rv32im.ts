/**
 * RV32IM phase trace over a recorded run (vm/trace.ts `Trace`: snapshots + replay, the one trace of
 * the machine). Used for a guest ELF run to its halt (`zkfp dispute --vm rv32im`), for one ML node's
 * node.elf run (the VM phase under the graph phase, protocol/trace/graph.ts) and for a whole model
 * program (`zkfp demo --phases 1`).
 *
 * Parameters: the run, its leaf prover (protocol/trace/leaf.ts: one-step m = 1, Groth16/PLONK m > 1),
 * the phase's step count (the halting step rounded up to a multiple of m: the halted state is a
 * fixed point, so padded steps repeat it) and optionally a fabricated end root `end`: a party whose
 * belief about the run's result differs from the run (a consistent ML liar) commits to the true
 * roots before the halt and to `end` from the halting step on, so exactly one leaf, the one that
 * crosses the halt, has no proof.
 *
 * Roots and leaves past `steps` exist: the halted state is a fixed point (vm/STATE.md), so a party
 * can answer for a (sub)game whose step count is another party's choice (a claim one step short, or
 * longer than the run).
 *
 * Pitfalls: a claim is about the run to its halt (exit or trap), so N is not chosen by the caller;
 * a guest that does not halt within `maxSteps` is rejected. Roots are Poseidon field elements as
 * bytes32 (`rootFromField`).
 */
import { readFileSync } from "node:fs";
import type { Hex, Root } from "../game/types.ts";
import { rootFromField } from "../game/types.ts";
import type { LeafAttempt, PhaseTrace, SubgameOpening } from "./types.ts";
import { ProviderUnavailableError, TraceError } from "./types.ts";
import { loadElf } from "../../vm/index.ts";
import { Trace } from "../../vm/trace.ts";
import type { LeafProver } from "./leaf.ts";
import type { ClaimCheck } from "../actors/actor.ts";
import { stateOpening } from "../link/rv32im.ts";
import { NO_OUTPUT } from "../game/model.ts";

export type VmPhaseOptions = {
  phase?: number;
  /** Steps of the phase (default: the halting step rounded up to the prover's m). */
  steps?: bigint;
  /** Fabricated root committed from the halting step on (a liar's end state). */
  end?: bigint;
  label?: string;
};

/** A PhaseTrace over a run, plus what the report needs. */
export type VmPhaseTrace = PhaseTrace & {
  readonly run: Trace;
  readonly halt: bigint;
  readonly leaf: LeafProver;
  readonly label: string;
  readonly lying: boolean;
};

export function paddedSteps(halt: bigint, m: bigint): bigint {
  return ((halt + m - 1n) / m) * m;
}

export function vmPhaseTrace(run: Trace, leaf: LeafProver, opts: VmPhaseOptions = {}): VmPhaseTrace {
  // the fixed point past the halt below needs a run that halted (not one cut at maxSteps)
  if (!run.halted)
    throw new TraceError("the VM phase is a run to its halt; this one was cut at maxSteps", { length: run.length });
  const halt = BigInt(run.length);
  const steps = opts.steps ?? paddedSteps(halt, leaf.m);
  if (steps < halt || steps < 1n)
    throw new TraceError("phase steps must cover the run to its halt", {
      steps: steps.toString(),
      halt: halt.toString(),
    });
  const end = opts.end !== undefined ? rootFromField(opts.end) : null;
  const trueEnd = rootFromField(run.rootAt(run.length));
  // a halted state is a fixed point (vm/STATE.md): every root from the halt on, also past `steps`,
  // is the halted root (or the liar's fabricated end)
  const rootAt = (t: bigint): Root => {
    if (t < 0n) throw new TraceError("step index must be non-negative", { t: t.toString() });
    if (t >= halt) return end ?? trueEnd;
    return rootFromField(run.rootAt(Number(t)));
  };
  return {
    phase: opts.phase ?? 0,
    steps,
    run,
    halt,
    leaf,
    label: opts.label ?? "RV32IM run",
    lying: end !== null && end !== trueEnd,
    rootAt,
    leafProof(t: bigint, span: bigint): Promise<LeafAttempt> {
      if (t < 0n || span < 1n)
        throw new TraceError("leaf outside the phase", { t: t.toString(), span: span.toString() });
      return leaf.prove(run, t, span, rootAt(t + span));
    },
    open(): Promise<SubgameOpening> {
      throw new TraceError("the RV32IM trace is a last phase", { phase: opts.phase ?? 0 });
    },
  };
}

/**
 * What an honest party of an RV32IM claim checks before it challenges (RV32IMClaimBinding): its
 * state after any step count n (`at(n)`: the state the claim's final root should be; past the halt
 * the halted state), the output `outputOf` opens from it (outHash if exited 0, else NO_OUTPUT) and
 * that opening (the 12 state fields).
 */
export function rv32imCheck(vm: VmPhaseTrace): ClaimCheck {
  const at = (n: bigint) => {
    if (n < 0n) throw new TraceError("step index must be non-negative", { n: n.toString() });
    const f = vm.run.seek(n < vm.halt ? Number(n) : vm.run.length).fields();
    return {
      finalRoot: vm.rootAt(n),
      output: f.status === 1 ? rootFromField(f.outHash) : NO_OUTPUT,
      opening: stateOpening(f),
    };
  };
  return { startRoot: vm.rootAt(0n), aux: "0x", ...at(vm.steps), at };
}

export type Rv32imTraceOptions = { elf?: string; input?: Uint8Array; maxSteps?: number; leaf: LeafProver };

/** The honest RV32IM trace of `elf` on `input` (the guest run to its halt). */
export async function rv32imTrace(opts: Rv32imTraceOptions): Promise<VmPhaseTrace> {
  if (!opts.elf)
    throw new ProviderUnavailableError("the rv32im trace provider needs a guest ELF (--elf)", { vm: "rv32im" });
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(opts.elf));
  } catch (e) {
    throw new TraceError("cannot read the guest ELF", { elf: opts.elf, reason: (e as Error).message });
  }
  const maxSteps = opts.maxSteps ?? 50_000_000;
  const run = await Trace.create(loadElf(bytes), { input: opts.input, maxSteps });
  if (!run.seek(run.length).halted) throw new TraceError("the guest did not halt within maxSteps", { maxSteps });
  if (run.length === 0) throw new TraceError("the guest halts before its first step", {});
  return vmPhaseTrace(run, opts.leaf, { label: opts.elf });
}

export type { Hex };
