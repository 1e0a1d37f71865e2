/**
 * RV32IM trace provider: adapts a `StepMachine` (vm/, state roots after step t as Poseidon field
 * elements and 165-element step witnesses, vm/STATE.md) to a single-phase `PhaseTrace` whose leaves
 * are one step (m = 1) and whose leaf proof is `abi.encode(uint256[165] witness)`, the calldata the
 * RV32IM one-step verifier wrapped as an IArbitrator (contracts/src/rv32im, other helper) must take.
 *
 * `rv32imTrace` is the entry point the CLI and driver use for `--vm rv32im`; until the machine's
 * snapshot/witness API and its on-chain verifier are in the tree it fails with
 * ProviderUnavailableError instead of pretending.
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
    "the rv32im trace provider is not available yet: it needs vm/'s StepMachine (state root after step t, step witness) and the on-chain RV32IM step verifier (contracts/src/rv32im)",
    { vm: "rv32im", elf: opts.elf ?? null },
  );
}
