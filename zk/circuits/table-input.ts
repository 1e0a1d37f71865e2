/**
 * What the table circuits' input builders (mem/input.ts RvStepsMem, blk/input.ts RvStepsBlk) share:
 * the window record (`recordWindow`: per step the fetch, the memory slot word before / after, the
 * output record and the aux read, run on the machine), and the parts of the tables whose rules do
 * not depend on the table's layout, over memory UNITS (a word for RvStepsMem, a block of 4^MJ words
 * for RvStepsBlk):
 *  - memory: a unit with any word whose value changes in the window is a W unit; units only read
 *    are R units, overflowing into spare W units; spare W units get fresh untouched units
 *    (distinct), spare R units repeat R unit 0 (or one fresh unit); W proofs chain: proof k is
 *    against M_0 with W units 0..k-1 already at their final words (computed by reverting the
 *    post-state tree unit by unit, then restoring it);
 *  - outputs: the window's output records in order, padded with zero records;
 *  - aux: the distinct reads (by the caller's key) in order of first use, padded with the first
 *    (or the input's word 0).
 * A window that does not fit the capacities throws WindowFitError (the prover picks another circuit).
 */
import { ZkfpError } from "../../vm/errors.ts";
import type { Machine } from "../../vm/machine.ts";
import type { Trace } from "../../vm/trace.ts";
import { fetchOk } from "../../vm/witness.ts";
import { CODE_BASE, MEM_SIZE, Syscall, Fd } from "../../vm/layout.ts";
import { Op, decode, isLoad, isStore } from "../../vm/isa.ts";
import type { WordTree } from "../../vm/merkle.ts";

export class WindowFitError extends ZkfpError {
  override readonly name = "WindowFitError";
}
export class MemInputError extends ZkfpError {
  override readonly name = "MemInputError";
}

const s = (x: bigint | number) => x.toString();
export const zeros = (n: number): string[] => new Array<string>(n).fill("0");
export const oneHot = (n: number, i: number): string[] => zeros(n).map((z, k) => (k === i ? "1" : z));
const ECALL = 0x73;

/** An aux read: the input word (kind 0) or blob word (kind 1) at word index idx of `tree`. */
export type AuxRec = {
  kind: 0 | 1;
  root: bigint;
  len: number;
  idx: number;
  word: number;
  proof: bigint[];
  tree: WordTree;
};
/** One step as the tables see it. */
export type StepRec = {
  codeIdx: number;
  insn: number;
  slot: boolean;
  word: number;
  old: number;
  new: number;
  out?: { fd: number; c: number; v: number };
  aux?: AuxRec;
};

/** The pre-state fields of the input (registers as values). */
export type PreFields = {
  preRoot: string;
  pc: string;
  step: string;
  status: string;
  regs: string[];
  memRoot: string;
  codeRoot: string;
  inputRoot: string;
  inputLen: string;
  inputPos: string;
  outHash: string;
  preimageKey: string;
  preimageOffset: string;
};

/** The pre-state fields of the machine's current state, as every step circuit's input has them. */
export function preFields(machine: Machine): PreFields {
  const f = machine.fields();
  return {
    preRoot: s(machine.stateRoot()),
    pc: s(f.pc),
    step: s(f.step),
    status: s(f.status),
    regs: Array.from(machine.regs, (r) => s(r >>> 0)),
    memRoot: s(f.memRoot),
    codeRoot: s(f.codeRoot),
    inputRoot: s(f.inputRoot),
    inputLen: s(f.inputLen),
    inputPos: s(f.inputPos),
    outHash: s(f.outHash),
    preimageKey: s(f.preimageKey),
    preimageOffset: s(f.preimageOffset),
  };
}

/** The memory slot of the step about to run (rv32im_mem.circom MemStep `slot`, vm/witness.ts memorySlot). */
function memSlotOf(m: Machine, insn: number, ok: boolean): number | undefined {
  if (!ok) return undefined;
  const d = decode(insn);
  let a: number | undefined;
  if (isLoad(d.op) || isStore(d.op)) a = (m.regs[d.rs1]! + d.imm) >>> 0;
  else if (d.op === Op.ECALL && (m.regs[17] === Syscall.Read || m.regs[17] === Syscall.Write)) a = m.regs[11]! >>> 0;
  return a !== undefined && a < MEM_SIZE ? a >>> 2 : undefined;
}

/**
 * Runs m steps of the machine, recording per step what the tables need (fetch index and word,
 * memory slot word before/after, output record, aux word with its proof). `withAux` false throws
 * WindowFitError at a running read(fd 0/5). Shared by the table circuits (mem/, blk/).
 */
export function recordWindow(machine: Machine, m: number, withAux: boolean): { pre: PreFields; recs: StepRec[] } {
  if (!Number.isInteger(m) || m < 1) throw new MemInputError("m must be a positive integer", { m });
  const pre = preFields(machine);
  // 1. run the window, recording what each step fetches, touches and writes out
  const recs: StepRec[] = [];
  for (let j = 0; j < m; j++) {
    const ok = fetchOk(machine.pc);
    const running = !machine.halted;
    const codeIdx = ok ? (machine.pc - CODE_BASE) >>> 2 : 0;
    const insn = machine.codeTree.leaves[codeIdx]!;
    let aux: AuxRec | undefined;
    if (
      running &&
      ok &&
      insn === ECALL &&
      machine.regs[17] === Syscall.Read &&
      (machine.regs[10] === Fd.Input || machine.regs[10] === Fd.PreimageData)
    ) {
      if (!withAux)
        throw new WindowFitError("the window reads input/blob data (read fd 0/5) and the circuit has no aux slots", {
          step: machine.step,
        });
      if (machine.regs[10] === Fd.Input) {
        const idx = (machine.inputPos >>> 2) & 0xfffff;
        aux = {
          kind: 0,
          root: 0n,
          len: 0,
          idx,
          word: machine.inputTree.leaves[idx]!,
          proof: machine.inputTree.proof(idx),
          tree: machine.inputTree,
        };
      } else {
        const blob = machine.blobs.get(machine.preimageKey);
        if (!blob)
          throw new MemInputError("read(fd 5) of a key the preimage oracle does not know: no witness exists", {
            key: machine.preimageKey.toString(),
          });
        const idx = (machine.preimageOffset >>> 2) & 0xfffff;
        aux = {
          kind: 1,
          root: blob.root,
          len: blob.len,
          idx,
          word: blob.tree.leaves[idx]!,
          proof: blob.tree.proof(idx),
          tree: blob.tree,
        };
      }
    }
    const wi = memSlotOf(machine, insn, ok);
    const old = wi === undefined ? 0 : machine.m32[wi]!;
    const outLen = machine.out.length;
    machine.run(1);
    const rec: StepRec = {
      codeIdx,
      insn,
      slot: wi !== undefined,
      word: wi ?? 0,
      old,
      new: wi === undefined ? 0 : machine.m32[wi]!,
      aux,
    };
    if (machine.out.length > outLen) {
      const o = machine.out[outLen]!;
      let v = 0;
      for (let k = o.bytes.length - 1; k >= 0; k--) v = v * 256 + o.bytes[k]!;
      rec.out = { fd: o.fd, c: o.bytes.length, v };
    }
    recs.push(rec);
  }
  return { pre, recs };
}

/** The memory table of a window: R and W units (padded), and each step's one-hot unit selector. */
export type MemoryTable<P> = {
  R: number[];
  W: number[];
  /** the pre-window word at word index w (untouched words did not change) */
  initOf(w: number): number;
  rProof: P[];
  wProof: P[];
  selM: string[][];
};

const MEMORY_FIT = {
  words: ["window writes more distinct memory words than the table's writable slots", "slots"],
  blocks: ["window writes more distinct memory blocks than the writable blocks", "blocks"],
} as const;

/**
 * Assigns the touched memory units of `recs` (unit of a word: `unitOf`, its words: `wordsOf`) to
 * KR R and KW W units and opens them (`proof` of a unit in the memory tree) against the pre-state
 * memory root. Call after the window ran (the machine is at the post-state); restores its tree.
 */
export function memoryTable<P>(
  machine: Machine,
  pre: PreFields,
  recs: readonly StepRec[],
  caps: { KR: number; KW: number },
  unit: {
    noun: keyof typeof MEMORY_FIT;
    unitOf(word: number): number;
    wordsOf(u: number): number[];
    proof(tree: WordTree, u: number): P;
  },
): MemoryTable<P> {
  const init = new Map<number, number>();
  const touched: number[] = [];
  const changed = new Set<number>();
  for (const r of recs) {
    if (!r.slot) continue;
    if (!init.has(r.word)) init.set(r.word, r.old);
    const u = unit.unitOf(r.word);
    if (!touched.includes(u)) touched.push(u);
    if (r.new !== r.old) changed.add(u);
  }
  const W = touched.filter((u) => changed.has(u));
  const Ru = touched.filter((u) => !changed.has(u));
  const [writes, slots] = MEMORY_FIT[unit.noun];
  if (W.length > caps.KW) throw new WindowFitError(writes, { written: W.length, KW: caps.KW });
  if (touched.length > caps.KR + caps.KW)
    throw new WindowFitError(`window touches more distinct memory ${unit.noun} than the table holds`, {
      touched: touched.length,
      [slots]: caps.KR + caps.KW,
    });
  const R = Ru.slice(0, caps.KR);
  W.push(...Ru.slice(caps.KR));
  const used = new Set(touched);
  let next = 0;
  const fresh = () => {
    while (used.has(next)) next++;
    used.add(next);
    return next;
  };
  while (W.length < caps.KW) W.push(fresh());
  const rFill = R.length > 0 ? R[0]! : fresh();
  while (R.length < caps.KR) R.push(rFill);
  const post = machine.m32; // the machine is at the post-state now
  const initOf = (w: number) => init.get(w) ?? post[w]!; // untouched words did not change
  // Merkle proofs: revert the post tree W unit by unit (M_KW -> M_0), then restore it
  machine.syncMemory();
  const tree = machine.memTree;
  const wProof: P[] = new Array(caps.KW);
  for (let k = caps.KW - 1; k >= 0; k--) {
    for (const w of unit.wordsOf(W[k]!)) tree.set(w, initOf(w));
    wProof[k] = unit.proof(tree, W[k]!);
  }
  const rProof = R.map((u) => unit.proof(tree, u));
  if (tree.root() !== BigInt(pre.memRoot))
    throw new MemInputError("internal: reverted memory tree differs from the pre memRoot", { step: pre.step });
  for (const u of W) for (const w of unit.wordsOf(u)) tree.set(w, post[w]!);
  const selM = recs.map((r) => {
    if (!r.slot) return zeros(caps.KR + caps.KW);
    const u = unit.unitOf(r.word);
    const i = R.indexOf(u);
    return oneHot(caps.KR + caps.KW, i >= 0 && !changed.has(u) ? i : caps.KR + W.indexOf(u));
  });
  return { R, W, initOf, rProof, wProof, selM };
}

/** The output records of a window (`records`), padded to H zero records, and each step's one-hot record selector. */
export function outputTable(recs: readonly StepRec[], H: number) {
  const outs = recs.filter((r) => r.out).map((r) => r.out!);
  if (outs.length > H)
    throw new WindowFitError("window writes more output records than the output slots", { writes: outs.length, H });
  let nOut = 0;
  return {
    records: {
      oFd: [...outs.map((o) => s(o.fd)), ...zeros(H - outs.length)],
      oCnt: [...outs.map((o) => s(o.c)), ...zeros(H - outs.length)],
      oVal: [...outs.map((o) => s(o.v)), ...zeros(H - outs.length)],
    },
    selO: recs.map((r) => (r.out ? oneHot(H, nOut++) : zeros(H))),
  };
}

/**
 * The distinct aux reads of a window by `key` (order of first use), padded to A with the first one
 * (or the input's word 0), and per step (`steps`) the aux word, blob length and one-hot selector
 * (the word and length lists are empty when A = 0).
 */
export function auxTable(
  machine: Machine,
  recs: readonly StepRec[],
  A: number,
  key: (a: AuxRec) => string,
  noun: "words" | "blocks",
) {
  const aux: AuxRec[] = [];
  for (const r of recs) if (r.aux && !aux.some((a) => key(a) === key(r.aux!))) aux.push(r.aux);
  if (aux.length > A)
    throw new WindowFitError(`window reads more distinct input/blob ${noun} than the aux table holds`, {
      distinct: aux.length,
      A,
    });
  if (A > 0) {
    const pad: AuxRec = aux[0] ?? {
      kind: 0,
      root: 0n,
      len: 0,
      idx: 0,
      word: machine.inputTree.leaves[0]!,
      proof: machine.inputTree.proof(0),
      tree: machine.inputTree,
    };
    while (aux.length < A) aux.push(pad);
  }
  return {
    aux,
    /** the table's kind, root and length per aux entry (index, words and proofs are the circuit's) */
    head: { aKind: aux.map((a) => s(a.kind)), aRoot: aux.map((a) => s(a.root)), aLen: aux.map((a) => s(a.len)) },
    steps: {
      auxWord: A > 0 ? recs.map((r) => s(r.aux?.word ?? 0)) : [],
      blobLen: A > 0 ? recs.map((r) => s(r.aux?.kind === 1 ? r.aux.len : 0)) : [],
      selA: recs.map((r) =>
        r.aux
          ? oneHot(
              A,
              aux.findIndex((a) => key(a) === key(r.aux!)),
            )
          : zeros(A),
      ),
    },
  };
}

/** The input of steps t .. t+m of a recorded run built by `fromMachine`, checked against the trace's post-root. */
export function inputFromTrace<T extends { postRoot: string }>(
  trace: Trace,
  t: number,
  m: number,
  fromMachine: (machine: Machine) => T,
): T {
  if (!Number.isInteger(t) || t < 0) throw new MemInputError("start step must be a non-negative integer", { t });
  const inp = fromMachine(trace.seek(t));
  if (inp.postRoot !== s(trace.rootAt(t + m)))
    throw new MemInputError("internal: post-root differs from the trace", { t, m });
  return inp;
}

/** False when `build` throws WindowFitError (rethrows anything else). */
export function fits(build: () => unknown): boolean {
  try {
    build();
    return true;
  } catch (e) {
    if (e instanceof WindowFitError) return false;
    throw e;
  }
}
