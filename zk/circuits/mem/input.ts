/**
 * Input JSON for the table circuit zk/circuits/mem/rv32im_mem.circom `RvStepsMem(m, C, KR, KW, H)`
 * from a run: the pre-state fields (registers as values), the window's tables (code slots,
 * read-only and writable memory slots with their Merkle proofs, output records) and per step the
 * instruction, the memory slot word (0 for steps without a memory slot) and the one-hot slot
 * selectors. Slot assignment (zk/circuits/mem/rv32im_mem.circom header):
 *  - code: the distinct fetch indices in order of first use (index 0 for a trapping fetch), padded
 *    with copies of slot 0;
 *  - memory: every word whose value changes in the window goes to a W slot; words only read go to
 *    R slots, overflowing into spare W slots; spare W slots get fresh untouched words (distinct),
 *    spare R slots repeat R slot 0 (or one fresh word distinct from the W words);
 *  - W proofs chain: proof k is against M_0 with W slots 0..k-1 already updated (computed by
 *    reverting the post-state tree slot by slot, then restoring it).
 * A window that does not fit the capacities, or that contains a running read(fd 0/5) ECALL, throws
 * WindowFitError: the prover then uses the full rv32im circuit (zk/witness-input.ts `variantFor`).
 * The window record, memory / output / aux tables and the errors come from zk/circuits/table-input.ts
 * (shared with blk/input.ts, memory units of one word here); the code table is this circuit's own.
 */
import type { Machine } from "../../../vm/machine.ts";
import type { Trace } from "../../../vm/trace.ts";
import type { MemCaps } from "../build.ts";
import {
  WindowFitError,
  auxTable,
  fits,
  inputFromTrace,
  memoryTable,
  outputTable,
  recordWindow,
  type AuxRec,
  type PreFields,
} from "../table-input.ts";

// the errors live in table-input.ts (shared with blk/input.ts); importers of this builder get them here
export { MemInputError, WindowFitError } from "../table-input.ts";

export type MemInput = PreFields & {
  postRoot: string;
  codeIdx: string[];
  codeWord: string[];
  codeProof: string[][];
  rAddr: string[];
  rWord: string[];
  rProof: string[][];
  wAddr: string[];
  wInit: string[];
  wProof: string[][];
  oFd: string[];
  oCnt: string[];
  oVal: string[];
  aKind: string[];
  aRoot: string[];
  aLen: string[];
  aIdx: string[];
  aWord: string[];
  aProof: string[][];
  insn: string[];
  memWord: string[];
  selC: string[][];
  selM: string[][];
  selO: string[][];
  /** per step, only when caps.A > 0 (else empty) */
  auxWord: string[];
  blobLen: string[];
  selA: string[][];
};

const s = (x: bigint | number) => x.toString();
export const auxKey = (a: AuxRec) => `${a.kind}:${a.root}:${a.len}:${a.idx}`;

/** Input for the m steps starting at the machine's current state; advances the machine by m steps. */
export function memInputFromMachine(machine: Machine, m: number, caps: MemCaps): MemInput {
  const { pre, recs } = recordWindow(machine, m, caps.A > 0);
  // code table
  const codeIdxs: number[] = [];
  for (const r of recs) if (!codeIdxs.includes(r.codeIdx)) codeIdxs.push(r.codeIdx);
  if (codeIdxs.length > caps.C)
    throw new WindowFitError("window fetches more distinct code words than the code table holds", {
      distinct: codeIdxs.length,
      C: caps.C,
    });
  const codeSlots = [...codeIdxs, ...new Array<number>(caps.C - codeIdxs.length).fill(codeIdxs[0]!)];
  // memory table: one word per slot
  const mem = memoryTable(machine, pre, recs, caps, {
    noun: "words",
    unitOf: (w) => w,
    wordsOf: (w) => [w],
    proof: (tree, w) => tree.proof(w).map(s),
  });
  const outs = outputTable(recs, caps.H);
  // aux table: distinct (kind, blob, word index)
  const aux = auxTable(machine, recs, caps.A, auxKey, "words");
  return {
    ...pre,
    postRoot: s(machine.stateRoot()),
    codeIdx: codeSlots.map(s),
    codeWord: codeSlots.map((i) => s(machine.codeTree.leaves[i]!)),
    codeProof: codeSlots.map((i) => machine.codeTree.proof(i).map(s)),
    rAddr: mem.R.map(s),
    rWord: mem.R.map((w) => s(mem.initOf(w))),
    rProof: mem.rProof,
    wAddr: mem.W.map(s),
    wInit: mem.W.map((w) => s(mem.initOf(w))),
    wProof: mem.wProof,
    ...outs.records,
    ...aux.head,
    aIdx: aux.aux.map((a) => s(a.idx)),
    aWord: aux.aux.map((a) => s(a.word)),
    aProof: aux.aux.map((a) => a.proof.map(s)),
    insn: recs.map((r) => s(r.insn)),
    memWord: recs.map((r) => s(r.slot ? r.old : 0)),
    selC: recs.map((r) => codeSlots.map((c, i) => (i === codeSlots.indexOf(r.codeIdx) ? "1" : "0"))),
    selM: mem.selM,
    selO: outs.selO,
    ...aux.steps,
  };
}

/** Input for steps t .. t+m of a recorded run; throws WindowFitError when the window does not fit. */
export function memInputFromTrace(trace: Trace, t: number, m: number, caps: MemCaps): MemInput {
  return inputFromTrace(trace, t, m, (machine) => memInputFromMachine(machine, m, caps));
}

/** True when steps t .. t+m fit the table circuit with these capacities. */
export function memFits(trace: Trace, t: number, m: number, caps: MemCaps): boolean {
  return fits(() => memInputFromTrace(trace, t, m, caps));
}
