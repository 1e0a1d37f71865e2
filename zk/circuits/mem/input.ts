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
 */
import { ZkfpError } from "../../../vm/errors.ts";
import type { Machine } from "../../../vm/machine.ts";
import type { Trace } from "../../../vm/trace.ts";
import { fetchOk } from "../../../vm/witness.ts";
import { CODE_BASE, MEM_SIZE, Syscall, Fd } from "../../../vm/layout.ts";
import { Op, decode, isLoad, isStore } from "../../../vm/isa.ts";
import type { MemCaps } from "../build.ts";
import type { WordTree } from "../../../vm/merkle.ts";

export class WindowFitError extends ZkfpError {
  override readonly name = "WindowFitError";
}
export class MemInputError extends ZkfpError {
  override readonly name = "MemInputError";
}

export type MemInput = {
  preRoot: string;
  postRoot: string;
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
const ECALL = 0x73;

/** One step as the tables see it. */
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
export const auxKey = (a: AuxRec) => `${a.kind}:${a.root}:${a.len}:${a.idx}`;

/** The memory slot of the step about to run (rv32im_mem.circom MemStep `slot`, vm/witness.ts memorySlot). */
function memSlotOf(m: Machine, insn: number, ok: boolean): number | undefined {
  if (!ok) return undefined;
  const d = decode(insn);
  let a: number | undefined;
  if (isLoad(d.op) || isStore(d.op)) a = (m.regs[d.rs1]! + d.imm) >>> 0;
  else if (d.op === Op.ECALL && (m.regs[17] === Syscall.Read || m.regs[17] === Syscall.Write)) a = m.regs[11]! >>> 0;
  return a !== undefined && a < MEM_SIZE ? a >>> 2 : undefined;
}

function zeros(n: number): string[] {
  return new Array<string>(n).fill("0");
}

/** The pre-state fields of the input (registers as values). */
export type PreFields = Pick<
  MemInput,
  | "preRoot"
  | "pc"
  | "step"
  | "status"
  | "regs"
  | "memRoot"
  | "codeRoot"
  | "inputRoot"
  | "inputLen"
  | "inputPos"
  | "outHash"
  | "preimageKey"
  | "preimageOffset"
>;

/**
 * Runs m steps of the machine, recording per step what the tables need (fetch index and word,
 * memory slot word before/after, output record, aux word with its proof). `withAux` false throws
 * WindowFitError at a running read(fd 0/5). Shared by the table circuits (mem/, blk/).
 */
export function recordWindow(machine: Machine, m: number, withAux: boolean): { pre: PreFields; recs: StepRec[] } {
  if (!Number.isInteger(m) || m < 1) throw new MemInputError("m must be a positive integer", { m });
  const f = machine.fields();
  const pre: PreFields = {
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

/** Input for the m steps starting at the machine's current state; advances the machine by m steps. */
export function memInputFromMachine(machine: Machine, m: number, caps: MemCaps): MemInput {
  const f = machine.fields();
  const { pre, recs } = recordWindow(machine, m, caps.A > 0);
  // 2. code table
  const codeIdxs: number[] = [];
  for (const r of recs) if (!codeIdxs.includes(r.codeIdx)) codeIdxs.push(r.codeIdx);
  if (codeIdxs.length > caps.C)
    throw new WindowFitError("window fetches more distinct code words than the code table holds", {
      distinct: codeIdxs.length,
      C: caps.C,
    });
  const codeSlots = [...codeIdxs, ...new Array<number>(caps.C - codeIdxs.length).fill(codeIdxs[0]!)];
  // 3. memory table
  const touched: number[] = [];
  const changed = new Set<number>();
  const init = new Map<number, number>();
  for (const r of recs) {
    if (!r.slot) continue;
    if (!init.has(r.word)) {
      init.set(r.word, r.old);
      touched.push(r.word);
    }
    if (r.new !== r.old) changed.add(r.word);
  }
  const W = touched.filter((w) => changed.has(w));
  const Rw = touched.filter((w) => !changed.has(w));
  if (W.length > caps.KW)
    throw new WindowFitError("window writes more distinct memory words than the table's writable slots", {
      written: W.length,
      KW: caps.KW,
    });
  if (touched.length > caps.KR + caps.KW)
    throw new WindowFitError("window touches more distinct memory words than the table holds", {
      touched: touched.length,
      slots: caps.KR + caps.KW,
    });
  const R = Rw.slice(0, caps.KR);
  W.push(...Rw.slice(caps.KR));
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
  // 4. Merkle proofs: revert the post tree W slot by slot (M_KW -> M_0), then restore it
  machine.syncMemory();
  const tree = machine.memTree;
  const wProof: bigint[][] = new Array(caps.KW);
  for (let k = caps.KW - 1; k >= 0; k--) {
    tree.set(W[k]!, initOf(W[k]!));
    wProof[k] = tree.proof(W[k]!);
  }
  const rProof = R.map((w) => tree.proof(w));
  if (tree.root() !== BigInt(pre.memRoot))
    throw new MemInputError("internal: reverted memory tree differs from the pre memRoot", { step: f.step });
  for (const w of W) tree.set(w, post[w]!);
  // 5. outputs
  const outs = recs.filter((r) => r.out).map((r) => r.out!);
  if (outs.length > caps.H)
    throw new WindowFitError("window writes more output records than the output slots", {
      writes: outs.length,
      H: caps.H,
    });
  // 6. aux table: distinct (kind, blob, word index), padded with copies of slot 0 (or a zero input word)
  const auxSlots: AuxRec[] = [];
  for (const r of recs) if (r.aux && !auxSlots.some((a) => auxKey(a) === auxKey(r.aux!))) auxSlots.push(r.aux);
  if (auxSlots.length > caps.A)
    throw new WindowFitError("window reads more distinct input/blob words than the aux table holds", {
      distinct: auxSlots.length,
      A: caps.A,
    });
  if (caps.A > 0) {
    const pad = auxSlots[0] ?? {
      kind: 0 as const,
      root: 0n,
      len: 0,
      idx: 0,
      word: machine.inputTree.leaves[0]!,
      proof: machine.inputTree.proof(0),
      tree: machine.inputTree,
    };
    while (auxSlots.length < caps.A) auxSlots.push(pad);
  }
  // 7. per-step selectors
  const selC = recs.map((r) => codeSlots.map((c, i) => (i === codeSlots.indexOf(r.codeIdx) ? "1" : "0")));
  const slotOf = (w: number) => {
    const i = R.indexOf(w);
    return i >= 0 && !changed.has(w) ? i : caps.KR + W.indexOf(w);
  };
  const selM = recs.map((r) => {
    const z = zeros(caps.KR + caps.KW);
    if (r.slot) z[slotOf(r.word)] = "1";
    return z;
  });
  let nOut = 0;
  const selO = recs.map((r) => {
    const z = zeros(caps.H);
    if (r.out) z[nOut++] = "1";
    return z;
  });
  return {
    ...pre,
    postRoot: s(machine.stateRoot()),
    codeIdx: codeSlots.map(s),
    codeWord: codeSlots.map((i) => s(machine.codeTree.leaves[i]!)),
    codeProof: codeSlots.map((i) => machine.codeTree.proof(i).map(s)),
    rAddr: R.map(s),
    rWord: R.map((w) => s(initOf(w))),
    rProof: rProof.map((p) => p.map(s)),
    wAddr: W.map(s),
    wInit: W.map((w) => s(initOf(w))),
    wProof: wProof.map((p) => p.map(s)),
    oFd: [...outs.map((o) => s(o.fd)), ...zeros(caps.H - outs.length)],
    oCnt: [...outs.map((o) => s(o.c)), ...zeros(caps.H - outs.length)],
    oVal: [...outs.map((o) => s(o.v)), ...zeros(caps.H - outs.length)],
    aKind: auxSlots.map((a) => s(a.kind)),
    aRoot: auxSlots.map((a) => s(a.root)),
    aLen: auxSlots.map((a) => s(a.len)),
    aIdx: auxSlots.map((a) => s(a.idx)),
    aWord: auxSlots.map((a) => s(a.word)),
    aProof: auxSlots.map((a) => a.proof.map(s)),
    insn: recs.map((r) => s(r.insn)),
    memWord: recs.map((r) => s(r.slot ? r.old : 0)),
    selC,
    selM,
    selO,
    auxWord: caps.A > 0 ? recs.map((r) => s(r.aux?.word ?? 0)) : [],
    blobLen: caps.A > 0 ? recs.map((r) => s(r.aux?.kind === 1 ? r.aux.len : 0)) : [],
    selA: recs.map((r) => {
      const z = zeros(caps.A);
      if (r.aux) z[auxSlots.findIndex((a) => auxKey(a) === auxKey(r.aux!))] = "1";
      return z;
    }),
  };
}

/** Input for steps t .. t+m of a recorded run; throws WindowFitError when the window does not fit. */
export function memInputFromTrace(trace: Trace, t: number, m: number, caps: MemCaps): MemInput {
  if (!Number.isInteger(t) || t < 0) throw new MemInputError("start step must be a non-negative integer", { t });
  const inp = memInputFromMachine(trace.seek(t), m, caps);
  if (inp.postRoot !== s(trace.rootAt(t + m)))
    throw new MemInputError("internal: post-root differs from the trace", { t, m });
  return inp;
}

/** True when steps t .. t+m fit the table circuit with these capacities. */
export function memFits(trace: Trace, t: number, m: number, caps: MemCaps): boolean {
  try {
    memInputFromTrace(trace, t, m, caps);
    return true;
  } catch (e) {
    if (e instanceof WindowFitError) return false;
    throw e;
  }
}
