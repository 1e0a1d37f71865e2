/**
 * Input JSON for the m-step circuit (zk/circuits/rv32im.circom `RvSteps(m)`; format in
 * zk/circuits/README.md) from a run: the pre-state fields with the register file as 32 values,
 * then per step the instruction with its code proof, the memory slot word with its proof, and the
 * aux word (input word, or the blob word on a read(fd 5) step) — all taken from the TS step
 * witness (vm/witness.ts), so the circuit sees exactly the slots vm/verify.ts checks.
 *
 * Two entry points: `circuitInputFromTrace(trace, t, m)` for a recorded run (the prover's path),
 * and `circuitInputFromMachine(machine, m)`, which steps a live Machine m times (tests seed
 * arbitrary registers/memory on it). Steps past a halt repeat the halted state, as in the trace.
 */
import { ZkfpError } from "../vm/errors.ts";
import type { Machine } from "../vm/machine.ts";
import type { Trace } from "../vm/trace.ts";
import { stepWitness, fetchOk } from "../vm/witness.ts";
import { W, Syscall, Fd } from "../vm/layout.ts";
import {
  memCapsFor,
  MEM_VARIANTS,
  blkCapsFor,
  BLK_VARIANTS,
  tableConstraints,
  type MemVariant,
  type BlkVariant,
} from "./circuits/build.ts";
import { blkInputFromTrace, type BlkInput } from "./circuits/blk/input.ts";
import { memInputFromTrace, WindowFitError, type MemInput } from "./circuits/mem/input.ts";
import { preFields, type PreFields } from "./circuits/table-input.ts";

export class CircuitInputError extends ZkfpError {
  override readonly name = "CircuitInputError";
}

export type CircuitInput = PreFields & {
  postRoot: string;
  insn: string[];
  codeProof: string[][];
  memWord: string[];
  memProof: string[][];
  auxWord: string[];
  auxProof: string[][];
  blobRoot: string[];
  blobLen: string[];
};

const ECALL = 0x73n;
const s = (x: bigint | number) => x.toString();

/** The circuit's per-step private inputs, from one 165-element step witness. */
export function stepInputs(
  w: readonly bigint[],
): Pick<CircuitInput, "insn" | "codeProof" | "memWord" | "memProof" | "auxWord" | "auxProof" | "blobRoot" | "blobLen"> {
  if (w.length !== W.LENGTH)
    throw new CircuitInputError("step witness has the wrong length", { length: w.length, expected: W.LENGTH });
  const pc = Number(w[0]!);
  const running = (w[2]! & 3n) === 0n;
  const insn = w[W.INSN]!;
  // ECALL reads a7, a0 into register slots 0 and 1 (value at +1 of each 7-element slot)
  const a7 = w[W.REG_READS + 1]!,
    a0 = w[W.REG_READS + 7 + 1]!;
  const blob5 =
    running && fetchOk(pc) && insn === ECALL && a7 === BigInt(Syscall.Read) && a0 === BigInt(Fd.PreimageData);
  const aux = blob5 ? w.slice(W.BLOB + 2, W.BLOB + 33) : w.slice(W.INPUT, W.INPUT + 31);
  return {
    insn: [s(insn)],
    codeProof: [w.slice(W.CODE_PROOF, W.CODE_PROOF + 21).map(s)],
    memWord: [s(w[W.MEM + 1]!)],
    memProof: [w.slice(W.MEM + 2, W.MEM + 32).map(s)],
    auxWord: [s(aux[0]!)],
    auxProof: [aux.slice(1).map(s)],
    blobRoot: [s(w[W.BLOB]!)],
    blobLen: [s(w[W.BLOB + 1]!)],
  };
}

/** Input for the m steps starting at the machine's current state; advances the machine by m steps. */
export function circuitInputFromMachine(machine: Machine, m: number): CircuitInput {
  if (!Number.isInteger(m) || m < 1) throw new CircuitInputError("m must be a positive integer", { m });
  const pre = preFields(machine);
  const acc: CircuitInput = {
    ...pre,
    postRoot: "",
    insn: [],
    codeProof: [],
    memWord: [],
    memProof: [],
    auxWord: [],
    auxProof: [],
    blobRoot: [],
    blobLen: [],
  };
  for (let i = 0; i < m; i++) {
    const st = stepInputs(stepWitness(machine));
    for (const k of Object.keys(st) as (keyof typeof st)[]) (acc[k] as unknown[]).push(st[k][0]);
    machine.run(1);
  }
  acc.postRoot = s(machine.stateRoot());
  return acc;
}

/** Input for steps t .. t+m of a recorded run (t past the halt repeats the halted state). */
export function circuitInputFromTrace(trace: Trace, t: number, m: number): CircuitInput {
  if (!Number.isInteger(t) || t < 0) throw new CircuitInputError("start step must be a non-negative integer", { t });
  const machine = trace.seek(t);
  const inp = circuitInputFromMachine(machine, m);
  const want = trace.rootAt(t + m);
  if (inp.postRoot !== s(want)) throw new CircuitInputError("internal: post-root differs from the trace", { t, m });
  return inp;
}

/** True when the step witness `w` is a running read(fd 0 or 5): the lite circuit cannot prove it. */
export function isAuxRead(w: readonly bigint[]): boolean {
  const running = (w[2]! & 3n) === 0n;
  const a7 = w[W.REG_READS + 1]!,
    a0 = w[W.REG_READS + 7 + 1]!;
  return (
    running &&
    fetchOk(Number(w[0]!)) &&
    w[W.INSN] === ECALL &&
    a7 === BigInt(Syscall.Read) &&
    (a0 === BigInt(Fd.Input) || a0 === BigInt(Fd.PreimageData))
  );
}

/** A registered table circuit: a word-table variant (zk/circuits/mem) or a block variant (zk/circuits/blk). */
export type TableCircuitId = `rv32im_${MemVariant}` | `rv32im_${BlkVariant}`;

/**
 * The registered table circuits for m steps, cheapest first by zk/circuits/build.ts
 * `tableConstraints` (ties: block variants first, then registration order).
 */
export function tableCircuitsFor(m: number): { id: TableCircuitId; constraints: number }[] {
  const all = [
    ...BLK_VARIANTS.map((v) => ({ id: `rv32im_${v}` as const, constraints: tableConstraints(m, blkCapsFor(m, v)) })),
    ...MEM_VARIANTS.map((v) => ({ id: `rv32im_${v}` as const, constraints: tableConstraints(m, memCapsFor(m, v)) })),
  ];
  return all.map((x, i) => ({ ...x, i })).sort((a, b) => a.constraints - b.constraints || a.i - b.i);
}

/**
 * The cheapest registered circuit for steps t .. t+m with its input: the first table circuit of
 * `tableCircuitsFor(m)` (block variants `rv32im_blk*` of zk/circuits/blk, word-table variants
 * `rv32im_mem*` of zk/circuits/mem) among `ids` (default: all; an arbitrator's key set registers
 * some) whose tables the window fits, else `rv32im` lite/full.
 */
export function cheapestCircuitFor(
  trace: Trace,
  t: number,
  m: number,
  ids?: readonly TableCircuitId[],
):
  | { id: `rv32im_${BlkVariant}`; input: BlkInput }
  | { id: `rv32im_${MemVariant}`; input: MemInput }
  | { id: "rv32im"; variant: "full" | "lite"; input: CircuitInput } {
  for (const { id } of tableCircuitsFor(m)) {
    if (ids !== undefined && !ids.includes(id)) continue;
    const v = id.slice("rv32im_".length);
    try {
      if ((BLK_VARIANTS as readonly string[]).includes(v))
        return {
          id: id as `rv32im_${BlkVariant}`,
          input: blkInputFromTrace(trace, t, m, blkCapsFor(m, v as BlkVariant)),
        };
      return {
        id: id as `rv32im_${MemVariant}`,
        input: memInputFromTrace(trace, t, m, memCapsFor(m, v as MemVariant)),
      };
    } catch (e) {
      if (!(e instanceof WindowFitError)) throw e;
    }
  }
  return { id: "rv32im", variant: variantFor(trace, t, m), input: circuitInputFromTrace(trace, t, m) };
}

/** Which circuit variant proves steps t .. t+m: "lite" unless the window reads input or blob data. */
export function variantFor(trace: Trace, t: number, m: number): "full" | "lite" {
  for (let i = 0; i < m; i++) if (isAuxRead(trace.witnessAt(t + i))) return "full";
  return "lite";
}
