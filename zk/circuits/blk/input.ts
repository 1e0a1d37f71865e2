/**
 * Input JSON for the block-table circuit zk/circuits/blk/rv32im_blk.circom `RvStepsBlk` from a
 * run: the pre-state fields, the window's block tables with their Merkle paths, and per step the
 * instruction, memory slot word and one-hot block selectors. The steps are recorded by
 * zk/circuits/table-input.ts `recordWindow` (same per-step facts as the word-table circuit), whose
 * memory / output / aux tables this builder uses with units of blocks; the code cover is its own.
 *
 * Block assignment (completeness only; any assignment the circuit accepts is sound):
 *  - code: the CB big blocks (4^CJ words) holding the most distinct 4-word groups of the fetched
 *    indices (ties: first use), the remaining fetches in CS blocks of 4 (order of first use);
 *    padding repeats the first block;
 *  - memory: blocks of 4^MJ words; a block with any word whose value changes in the window is a W
 *    block, blocks only read are R blocks overflowing into spare W blocks; spare W blocks get
 *    fresh untouched blocks, spare R blocks repeat R block 0 (or one fresh block);
 *    W proofs chain: proof k is against M_0 with W blocks 0..k-1 already at their final words;
 *  - aux: distinct (input | blob key, block index) in order of first use, padded with block 0.
 * A window that does not fit throws WindowFitError (the prover picks another circuit).
 */
import type { Machine } from "../../../vm/machine.ts";
import type { Trace } from "../../../vm/trace.ts";
import type { BlkCaps } from "../build.ts";
import {
  WindowFitError,
  auxTable,
  fits,
  inputFromTrace,
  memoryTable,
  oneHot,
  outputTable,
  recordWindow,
  type AuxRec,
  type PreFields,
} from "../table-input.ts";
import type { StepRec } from "../mem/window-stats.ts";

export type BlkInput = PreFields & {
  postRoot: string;
  cbIdx: string[];
  cbWord: string[][];
  cbProof: string[][];
  csIdx: string[];
  csWord: string[][];
  csProof: string[][];
  rAddr: string[];
  rWord: string[][];
  rProof: string[][];
  wAddr: string[];
  wInit: string[][];
  wProof: string[][];
  oFd: string[];
  oCnt: string[];
  oVal: string[];
  aKind: string[];
  aRoot: string[];
  aLen: string[];
  aIdx: string[];
  aWord: string[][];
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

/**
 * Code blocks for the distinct fetch indices `idxs`: big block indices (4^CJ words) and small
 * ones (4 words), each list unpadded; undefined when they do not fit CB / CS.
 */
export function coverCode(idxs: readonly number[], caps: Pick<BlkCaps, "CJ" | "CB" | "CS">) {
  const groups = [...new Set(idxs.map((i) => i >> 2))];
  const sh = 2 * caps.CJ - 2;
  const count = new Map<number, number>();
  for (const g of groups) count.set(g >> sh, (count.get(g >> sh) ?? 0) + 1);
  // stable: Map keeps first-use order, sort keeps it among equal counts
  const big = [...count.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, caps.CB)
    .map((e) => e[0]);
  const small = groups.filter((g) => !big.includes(g >> sh));
  return small.length <= caps.CS ? { big, small } : undefined;
}

/** Input for the m steps starting at the machine's current state; advances the machine by m steps. */
export function blkInputFromMachine(machine: Machine, m: number, caps: BlkCaps): BlkInput {
  const { pre, recs } = recordWindow(machine, m, caps.A > 0);
  // 1. code blocks
  const idxs = [...new Set(recs.map((r) => r.codeIdx))];
  const cover = coverCode(idxs, caps);
  if (!cover)
    throw new WindowFitError("window fetches code words the code blocks do not cover", {
      distinct: idxs.length,
      CB: caps.CB,
      CS: caps.CS,
    });
  const NC = 4 ** caps.CJ;
  const big = [...cover.big];
  const small = [...cover.small];
  while (big.length < caps.CB) big.push(big[0] ?? idxs[0]! >> (2 * caps.CJ));
  while (small.length < caps.CS) small.push(small[0] ?? idxs[0]! >> 2);
  const code = machine.codeTree;
  const block = (base: number, n: number) => Array.from(code.leaves.subarray(base * n, base * n + n), s);
  const path = (tree: { proof(i: number): bigint[] }, base: number, J: number) =>
    tree
      .proof(base * 4 ** J)
      .slice(3 * J)
      .map(s);
  const selC = recs.map((r) => {
    const b = big.indexOf(r.codeIdx >> (2 * caps.CJ));
    return oneHot(caps.CB + caps.CS, b >= 0 ? b : caps.CB + small.indexOf(r.codeIdx >> 2));
  });

  // 2. memory blocks of 4^MJ words
  const MJ = caps.MJ,
    NM = 4 ** MJ;
  const mem = memoryTable(machine, pre, recs, caps, {
    noun: "blocks",
    unitOf: (w) => w >> (2 * MJ),
    wordsOf: (b) => Array.from({ length: NM }, (_, i) => b * NM + i),
    proof: (tree, b) => path(tree, b, MJ),
  });
  const words = (b: number) => Array.from({ length: NM }, (_, i) => s(mem.initOf(b * NM + i)));

  // 3. outputs
  const outs = outputTable(recs, caps.H);

  // 4. aux blocks of 4^AJ words: distinct (kind, blob, block index)
  const AJ = caps.AJ,
    NA = 4 ** AJ;
  const aBase = (a: AuxRec) => a.idx >> (2 * AJ);
  const aux = auxTable(machine, recs, caps.A, (a) => `${a.kind}:${a.root}:${a.len}:${aBase(a)}`, "blocks");

  return {
    ...pre,
    postRoot: s(machine.stateRoot()),
    cbIdx: big.map(s),
    cbWord: big.map((b) => block(b, NC)),
    cbProof: big.map((b) => path(code, b, caps.CJ)),
    csIdx: small.map(s),
    csWord: small.map((b) => block(b, 4)),
    csProof: small.map((b) => path(code, b, 1)),
    rAddr: mem.R.map(s),
    rWord: mem.R.map(words),
    rProof: mem.rProof,
    wAddr: mem.W.map(s),
    wInit: mem.W.map(words),
    wProof: mem.wProof,
    ...outs.records,
    ...aux.head,
    aIdx: aux.aux.map((a) => s(aBase(a))),
    aWord: aux.aux.map((a) => Array.from(a.tree.leaves.subarray(aBase(a) * NA, aBase(a) * NA + NA), s)),
    aProof: aux.aux.map((a) => path(a.tree, aBase(a), AJ)),
    insn: recs.map((r) => s(r.insn)),
    memWord: recs.map((r) => s(r.slot ? r.old : 0)),
    selC,
    selM: mem.selM,
    selO: outs.selO,
    ...aux.steps,
  };
}

/** Input for steps t .. t+m of a recorded run; throws WindowFitError when the window does not fit. */
export function blkInputFromTrace(trace: Trace, t: number, m: number, caps: BlkCaps): BlkInput {
  return inputFromTrace(trace, t, m, (machine) => blkInputFromMachine(machine, m, caps));
}

/** True when steps t .. t+m fit the block circuit with these capacities. */
export function blkFits(trace: Trace, t: number, m: number, caps: BlkCaps): boolean {
  return fits(() => blkInputFromTrace(trace, t, m, caps));
}

/**
 * Does window [t, t+m) of a recorded run (mem/window-stats.ts `recordRun`) fit the block circuit?
 * The rules of blkInputFromMachine, on window statistics (for the report; no Merkle work).
 */
export function blkFitsStat(r: StepRec, t: number, m: number, c: BlkCaps): boolean {
  const code = new Set<number>(),
    mem = new Set<number>(),
    wr = new Set<number>(),
    aux = new Set<string>();
  let outs = 0;
  for (let i = t; i < t + m && i < r.n; i++) {
    code.add(r.code[i]! >= 0 ? r.code[i]! : 0);
    outs += r.out[i]!;
    if (r.mem[i]! >= 0) {
      mem.add(r.mem[i]! >> (2 * c.MJ));
      if (r.wr[i]) wr.add(r.mem[i]! >> (2 * c.MJ));
    }
    const a = r.aux[i]!;
    if (a) {
      const w = Math.floor((a - 1) / 2) % 2 ** 20;
      aux.add(`${a - 1 - 2 * w}:${w >> (2 * c.AJ)}`);
    }
  }
  return (
    outs <= c.H &&
    wr.size <= c.KW &&
    mem.size <= c.KR + c.KW &&
    aux.size <= c.A &&
    coverCode([...code], c) !== undefined
  );
}
