/**
 * Input JSON for the block-table circuit zk/circuits/blk/rv32im_blk.circom `RvStepsBlk` from a
 * run: the pre-state fields, the window's block tables with their Merkle paths, and per step the
 * instruction, memory slot word and one-hot block selectors. The steps are recorded by
 * zk/circuits/mem/input.ts `recordWindow` (same per-step facts as the word-table circuit).
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
import { MemInputError, WindowFitError, recordWindow, type AuxRec, type PreFields } from "../mem/input.ts";
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
const zeros = (n: number) => new Array<string>(n).fill("0");
const oneHot = (n: number, i: number) => zeros(n).map((z, k) => (k === i ? "1" : z));

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
  const f = machine.fields();
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

  // 2. memory blocks
  const MJ = caps.MJ,
    NM = 4 ** MJ;
  const init = new Map<number, number>();
  const touched: number[] = [];
  const changed = new Set<number>();
  for (const r of recs) {
    if (!r.slot) continue;
    if (!init.has(r.word)) init.set(r.word, r.old);
    const b = r.word >> (2 * MJ);
    if (!touched.includes(b)) touched.push(b);
    if (r.new !== r.old) changed.add(b);
  }
  const W = touched.filter((b) => changed.has(b));
  const Rb = touched.filter((b) => !changed.has(b));
  if (W.length > caps.KW)
    throw new WindowFitError("window writes more distinct memory blocks than the writable blocks", {
      written: W.length,
      KW: caps.KW,
    });
  if (touched.length > caps.KR + caps.KW)
    throw new WindowFitError("window touches more distinct memory blocks than the table holds", {
      touched: touched.length,
      blocks: caps.KR + caps.KW,
    });
  const R = Rb.slice(0, caps.KR);
  W.push(...Rb.slice(caps.KR));
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
  const words = (b: number, val: (w: number) => number) => Array.from({ length: NM }, (_, i) => val(b * NM + i));
  machine.syncMemory();
  const tree = machine.memTree;
  const wProof: string[][] = new Array(caps.KW);
  for (let k = caps.KW - 1; k >= 0; k--) {
    for (const w of words(W[k]!, (w) => w)) tree.set(w, initOf(w));
    wProof[k] = path(tree, W[k]!, MJ);
  }
  const rProof = R.map((b) => path(tree, b, MJ));
  if (tree.root() !== BigInt(pre.memRoot))
    throw new MemInputError("internal: reverted memory tree differs from the pre memRoot", { step: f.step });
  for (const b of W) for (const w of words(b, (w) => w)) tree.set(w, post[w]!);
  const selM = recs.map((r) => {
    if (!r.slot) return zeros(caps.KR + caps.KW);
    const b = r.word >> (2 * MJ);
    const i = R.indexOf(b);
    return oneHot(caps.KR + caps.KW, i >= 0 && !changed.has(b) ? i : caps.KR + W.indexOf(b));
  });

  // 3. outputs
  const outs = recs.filter((r) => r.out).map((r) => r.out!);
  if (outs.length > caps.H)
    throw new WindowFitError("window writes more output records than the output slots", {
      writes: outs.length,
      H: caps.H,
    });
  let nOut = 0;
  const selO = recs.map((r) => (r.out ? oneHot(caps.H, nOut++) : zeros(caps.H)));

  // 4. aux blocks
  const AJ = caps.AJ,
    NA = 4 ** AJ;
  const aKey = (a: AuxRec) => `${a.kind}:${a.root}:${a.len}:${a.idx >> (2 * AJ)}`;
  const aux: AuxRec[] = [];
  for (const r of recs) if (r.aux && !aux.some((a) => aKey(a) === aKey(r.aux!))) aux.push(r.aux);
  if (aux.length > caps.A)
    throw new WindowFitError("window reads more distinct input/blob blocks than the aux table holds", {
      distinct: aux.length,
      A: caps.A,
    });
  if (caps.A > 0) {
    const pad: AuxRec = aux[0] ?? {
      kind: 0,
      root: 0n,
      len: 0,
      idx: 0,
      word: machine.inputTree.leaves[0]!,
      proof: machine.inputTree.proof(0),
      tree: machine.inputTree,
    };
    while (aux.length < caps.A) aux.push(pad);
  }
  const aBase = (a: AuxRec) => a.idx >> (2 * AJ);

  return {
    ...pre,
    postRoot: s(machine.stateRoot()),
    cbIdx: big.map(s),
    cbWord: big.map((b) => block(b, NC)),
    cbProof: big.map((b) => path(code, b, caps.CJ)),
    csIdx: small.map(s),
    csWord: small.map((b) => block(b, 4)),
    csProof: small.map((b) => path(code, b, 1)),
    rAddr: R.map(s),
    rWord: R.map((b) => words(b, initOf).map(s)),
    rProof,
    wAddr: W.map(s),
    wInit: W.map((b) => words(b, initOf).map(s)),
    wProof,
    oFd: [...outs.map((o) => s(o.fd)), ...zeros(caps.H - outs.length)],
    oCnt: [...outs.map((o) => s(o.c)), ...zeros(caps.H - outs.length)],
    oVal: [...outs.map((o) => s(o.v)), ...zeros(caps.H - outs.length)],
    aKind: aux.map((a) => s(a.kind)),
    aRoot: aux.map((a) => s(a.root)),
    aLen: aux.map((a) => s(a.len)),
    aIdx: aux.map((a) => s(aBase(a))),
    aWord: aux.map((a) => Array.from(a.tree.leaves.subarray(aBase(a) * NA, aBase(a) * NA + NA), s)),
    aProof: aux.map((a) => path(a.tree, aBase(a), AJ)),
    insn: recs.map((r) => s(r.insn)),
    memWord: recs.map((r) => s(r.slot ? r.old : 0)),
    selC,
    selM,
    selO,
    auxWord: caps.A > 0 ? recs.map((r) => s(r.aux?.word ?? 0)) : [],
    blobLen: caps.A > 0 ? recs.map((r) => s(r.aux?.kind === 1 ? r.aux.len : 0)) : [],
    selA: recs.map((r) =>
      r.aux
        ? oneHot(
            caps.A,
            aux.findIndex((a) => aKey(a) === aKey(r.aux!)),
          )
        : zeros(caps.A),
    ),
  };
}

/** Input for steps t .. t+m of a recorded run; throws WindowFitError when the window does not fit. */
export function blkInputFromTrace(trace: Trace, t: number, m: number, caps: BlkCaps): BlkInput {
  if (!Number.isInteger(t) || t < 0) throw new MemInputError("start step must be a non-negative integer", { t });
  const inp = blkInputFromMachine(trace.seek(t), m, caps);
  if (inp.postRoot !== s(trace.rootAt(t + m)))
    throw new MemInputError("internal: post-root differs from the trace", { t, m });
  return inp;
}

/** True when steps t .. t+m fit the block circuit with these capacities. */
export function blkFits(trace: Trace, t: number, m: number, caps: BlkCaps): boolean {
  try {
    blkInputFromTrace(trace, t, m, caps);
    return true;
  } catch (e) {
    if (e instanceof WindowFitError) return false;
    throw e;
  }
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
