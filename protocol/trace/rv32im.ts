/**
 * RV32IM trace provider: adapts a `StepMachine` (vm/, state roots after step t as Poseidon field
 * elements and 165-element step witnesses, vm/STATE.md) to a single-phase `PhaseTrace` whose leaves
 * are one step (m = 1) and whose leaf proof is `abi.encode(uint256[165] witness)`, the calldata the
 * RV32IM one-step verifier wrapped as an IArbitrator (contracts/src/rv32im, other helper) must take.
 *
 * `rv32imTrace` is the entry point the CLI and driver use for `--vm rv32im`. It fails with
 * ProviderUnavailableError instead of pretending: what is missing is the `StepMachine` over
 * vm/machine.ts (`Machine` + `stepWitness`, roots at arbitrary t via snapshots, whose tree state after
 * `restore` must be re-synced) and the driver's deployment of the linked RV32IM verifier
 * (PoseidonT3/T5 libraries -> RV32IMStepVerifier -> RV32IMOneStepArbitrator, contracts/src/rv32im).
 * With those, `machineTrace(machine)` is the provider and the arbitrator takes its `leafProof` as is.
 */
import { AbiCoder } from "ethers";
import type { Hex } from "../game/types.ts";
import { rootFromField } from "../game/types.ts";
import type { PhaseTrace, StepMachine } from "./types.ts";
import { ProviderUnavailableError, TraceError } from "./types.ts";

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

export type Rv32imTraceOptions = { elf?: string; input?: Uint8Array; steps?: bigint };

export function rv32imTrace(opts: Rv32imTraceOptions): PhaseTrace {
  throw new ProviderUnavailableError(
    "the rv32im trace provider is not available yet: the StepMachine adapter over vm/Machine (roots after step t, step witnesses) and the driver's deployment of the linked RV32IM one-step arbitrator are not built",
    { vm: "rv32im", elf: opts.elf ?? null },
  );
}
