/**
 * RV32IM trace provider. `VmStepMachine` is a `StepMachine` over the zkfp machine (vm/machine.ts,
 * vm/STATE.md): it runs the guest once to learn N (the step at which it halts), keeps up to
 * `snapshots` evenly spaced snapshots (4 MiB each), and answers "root after step t" / "witness of
 * step t" by restoring the nearest snapshot at or before t and running forward (the memory tree
 * re-syncs the words that differ). `machineTrace` adapts any StepMachine to a single-phase
 * `PhaseTrace` with one-step leaves (m = 1) whose proof is `abi.encode(uint256[165] witness)` - the
 * calldata of RV32IMOneStepArbitrator (contracts/src/rv32im), which forwards it to the verifier.
 *
 * Pitfalls: a claim is about the guest run to its halt (exit or trap), so N is not chosen by the
 * caller; a guest that does not halt within `maxSteps` is rejected. Roots are Poseidon field
 * elements as bytes32 (`rootFromField`).
 */
import { readFileSync } from "node:fs";
import { AbiCoder } from "ethers";
import type { Hex } from "../game/types.ts";
import { rootFromField } from "../game/types.ts";
import type { PhaseTrace, StepMachine } from "./types.ts";
import { ProviderUnavailableError, TraceError } from "./types.ts";
import { loadElf, Machine, type Program } from "../../vm/index.ts";
import type { MachineSnapshot } from "../../vm/machine.ts";
import { stepWitness } from "../../vm/witness.ts";

export const STEP_WITNESS_LEN = 165;
const abi = AbiCoder.defaultAbiCoder();

export function machineTrace(machine: StepMachine, phase = 0, off = 0n, steps = machine.steps): PhaseTrace {
  return {
    phase,
    steps,
    rootAt: (t) => rootFromField(machine.stateRoot(off + t)),
    async leafProof(t: bigint, span: bigint): Promise<Hex> {
      if (span !== 1n) throw new TraceError("the RV32IM arbitrator settles single steps (m = 1)", { span: span.toString() });
      const w = await machine.stepWitness(off + t);
      if (w.length !== STEP_WITNESS_LEN) throw new TraceError("step witness has the wrong length", { length: w.length });
      return abi.encode([`uint256[${STEP_WITNESS_LEN}]`], [w]) as Hex;
    },
    open() {
      throw new TraceError("the RV32IM trace is a last phase", { phase });
    },
  };
}

export type VmStepMachineOptions = { input?: Uint8Array; maxSteps?: number; snapshots?: number };

export class VmStepMachine implements StepMachine {
  private constructor(private readonly m: Machine, private readonly snaps: MachineSnapshot[], private readonly every: number, readonly steps: bigint) {}

  static async create(program: Program, opts: VmStepMachineOptions = {}): Promise<VmStepMachine> {
    const m = await Machine.create(program, { input: opts.input });
    const s0 = m.snapshot();
    const maxSteps = opts.maxSteps ?? 50_000_000;
    m.run(maxSteps);
    if (!m.halted) throw new TraceError("the guest did not halt within maxSteps", { maxSteps });
    const n = m.step;
    if (n === 0) throw new TraceError("the guest halts before its first step", {});
    const every = Math.max(1, Math.ceil(n / (opts.snapshots ?? 16)));
    m.restore(s0);
    const snaps = [s0];
    while (m.step + every < n) {
      m.run(every);
      snaps.push(m.snapshot());
    }
    return new VmStepMachine(m, snaps, every, BigInt(n));
  }

  private goto(t: bigint): void {
    if (t < 0n || t > this.steps) throw new TraceError("step outside the run", { t: t.toString(), steps: this.steps.toString() });
    const target = Number(t);
    if (!(this.m.step <= target && target - this.m.step <= this.every)) this.m.restore(this.snaps[Math.min(this.snaps.length - 1, Math.floor(target / this.every))]!);
    this.m.run(target - this.m.step);
    if (this.m.step !== target) throw new TraceError("internal: machine did not reach the step", { t: target, at: this.m.step });
  }

  stateRoot(t: bigint): bigint {
    this.goto(t);
    return this.m.stateRoot();
  }

  stepWitness(t: bigint): bigint[] {
    if (t >= this.steps) throw new TraceError("no step after the halt", { t: t.toString() });
    this.goto(t);
    return stepWitness(this.m);
  }
}

export type Rv32imTraceOptions = { elf?: string; input?: Uint8Array; maxSteps?: number };

/** The honest RV32IM trace of `elf` on `input` (the guest run to its halt). */
export async function rv32imTrace(opts: Rv32imTraceOptions): Promise<{ trace: PhaseTrace; machine: VmStepMachine }> {
  if (!opts.elf) throw new ProviderUnavailableError("the rv32im trace provider needs a guest ELF (--elf)", { vm: "rv32im" });
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(opts.elf));
  } catch (e) {
    throw new TraceError("cannot read the guest ELF", { elf: opts.elf, reason: (e as Error).message });
  }
  const machine = await VmStepMachine.create(loadElf(bytes), { input: opts.input, maxSteps: opts.maxSteps });
  return { trace: machineTrace(machine), machine };
}
