/**
 * Tests of the block-table circuit RvStepsBlk (rv32im_blk.circom) at m = 4, two compiles:
 * CAPS (code 1 block of 16 + 2 of 4, memory blocks of 4 words, no aux) and CAPS_IO (memory single
 * words, aux blocks of 4):
 *  - twin of vm/verify.ts / the TS machine on windows of committed guests (loops, output writes,
 *    exit, halted fixed point, input and blob reads); the circuit asserts postRoot;
 *  - tampering, checked against the failing constraint line where one line is responsible: a
 *    changed word, a block at a wrong position, an index outside the selected block, a fetch in no
 *    block, duplicated and dropped accesses, a read that does not see the last write, wrong aux
 *    word / kind / key / length, and single-wire edits of hints against the R1CS.
 * Heavy (ZKFP_HEAVY=1): every window of several guests.
 * Pitfall (as mem.test.ts): line numbers come from the compiled wasm while the compile cache key
 * ignores comments: after a comment edit that moves lines, clear .cache/zk-circuits/rv32im_blk_m4_*.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { blkCapsFor, BLK_VARIANTS, tableConstraints, type CircuitArtifacts } from "../build.ts";
import { calculateWitness, firstUnsatisfied, readR1cs, readSym, publicSignals, type R1cs } from "../harness.ts";
import { blkInputFromMachine, blkInputFromTrace, blkFits, coverCode, type BlkInput } from "./input.ts";
import { WindowFitError } from "../mem/input.ts";
import {
  ADDI,
  BLK_CAPS as CAPS,
  BLK_CAPS_IO as CAPS_IO,
  HEAVY,
  J,
  LW,
  M,
  SW,
  accepts as acceptsOn,
  bump,
  compileBlkTest,
  failLine as failLineOn,
  markerLines,
  guest,
  preimageTrace,
  program,
  readsAux,
  verifyChain,
  windows,
} from "../testing.ts";
import { Machine } from "../../../vm/machine.ts";
import { Trace } from "../../../vm/trace.ts";
import { CODE_BASE } from "../../../vm/layout.ts";
import { FIELD_MODULUS as P, initPoseidon } from "../../../vm/poseidon/index.ts";
import { tableCircuitsFor } from "../../witness-input.ts";

let art: CircuitArtifacts;
let r1cs: R1cs;
let artIo: CircuitArtifacts;

beforeAll(async () => {
  await initPoseidon();
  ({ art, artIo } = await compileBlkTest());
  r1cs = readR1cs(art.r1cs);
}, 900_000);

const accepts = (input: BlkInput, a = art) => acceptsOn(a, input);
const failLine = (input: BlkInput, a = art) => failLineOn(a, input);
const lineOf = markerLines(new URL("./rv32im_blk.circom", import.meta.url));
const L = {
  codeOneHot: () => lineOf("cs === 1;"),
  codeIdx: () => lineOf("cIdxSum + lowS + cLow[j] === st[j].codeIdx;"),
  codeVal: () => lineOf("cValSum === insn[j];"),
  codeRoot: () => lineOf("cbO[b].root === codeRoot;"),
  memOneHot: () => lineOf("ms === st[j].slot;"),
  memIdx: () => lineOf("mIdxSum === mHi;"),
  memVal: () => lineOf("mValSum === memWord[j];"),
  roWrite: () => lineOf("rSel[j] * (st[j].memNew - memWord[j]) === 0;"),
  distinct: () => lineOf("dInv * dp[nD] === 1;"),
  rRoot: () => lineOf("rO[k].root === memRoot;"),
  wRoot: () => lineOf("wOld[k].root === mroot[k];"),
  post: () => lineOf("post.root === postRoot;"),
  auxOneHot: () => lineOf("as === st[j].aEn;"),
  auxTag: () => lineOf("aTagSum === 2 * aHiE[j] + st[j].sel5;"),
  auxVal: () => lineOf("aValSum === aWordE[j];"),
  auxKey: () => lineOf("kd === aKeyS[j];"),
  auxLen: () => lineOf("ld === aLenS[j];"),
  auxRoot: () => lineOf("aO[s].root === aRootSel[s];"),
};

const at = <T>(xs: T[], i: number, v: T) => xs.map((x, k) => (k === i ? v : x));
/** Windows of `tr` that fit CAPS_IO and read input / blob data. */
const auxWindows = (tr: Trace, limit: number): BlkInput[] =>
  windows(tr, (x, t) => blkInputFromTrace(x, t, M, CAPS_IO), limit, readsAux);

describe("RvStepsBlk(4) against vm/verify.ts and the machine", () => {
  it("proves windows of committed guests (loops, output writes, exit, halted fixed point)", async () => {
    for (const name of ["hello", "matmul_int", "sort", "exitcode", "badjump"]) {
      const tr = await Trace.create(guest(name), { maxSteps: 3000 });
      const halts = tr.length < 3000;
      const ts = [0, 1, 7, tr.length - 2, tr.length, 101, 555, 1234, 2222].filter(
        (t) => t >= 0 && (halts || t + M <= tr.length),
      );
      let proved = 0;
      for (const t of ts) {
        for (const [caps, a] of [
          [CAPS, art],
          [CAPS_IO, artIo],
        ] as const) {
          let inp: BlkInput;
          try {
            inp = blkInputFromTrace(tr, t, M, caps);
          } catch (e) {
            if (e instanceof WindowFitError) continue;
            throw e;
          }
          expect(inp.postRoot).toBe(verifyChain(tr.seek(t), M).toString());
          const wit = await calculateWitness(a, inp);
          if (proved === 0) {
            expect(firstUnsatisfied(readR1cs(a.r1cs), wit)).toBe(-1);
            expect(publicSignals(readR1cs(a.r1cs), wit)).toEqual([BigInt(inp.preRoot), BigInt(inp.postRoot)]);
          }
          proved++;
        }
      }
      expect(proved, name).toBeGreaterThanOrEqual(6);
    }
  }, 300_000);

  it("proves input reads (echo_input) and blob reads (preimage) with aux blocks", async () => {
    const echo = await Trace.create(guest("echo_input"), { input: new TextEncoder().encode("blocks of input!") });
    const pre = await preimageTrace(45);
    for (const tr of [echo, pre]) {
      const ws = auxWindows(tr, 5);
      expect(ws.length).toBeGreaterThanOrEqual(3);
      for (const inp of ws) {
        const t = Number(inp.step);
        expect(inp.postRoot).toBe(verifyChain(tr.seek(t), M).toString());
        await calculateWitness(artIo, inp);
      }
    }
  }, 300_000);

  it("straight-line code across a 16-word block boundary plus a call into another block", async () => {
    // words 13..16 run straight (crossing block 0 -> 1), word 16 jumps to word 40 (block 2)
    const mk = () => Machine.create(program({ 13: ADDI(5, 5, 1), 14: ADDI(5, 5, 2), 15: ADDI(5, 5, 3), 16: J(96, 1) }));
    const m0 = await mk();
    m0.pc = CODE_BASE + 4 * 13;
    const want = verifyChain(m0, M);
    const m1 = await mk();
    m1.pc = CODE_BASE + 4 * 13;
    const inp = blkInputFromMachine(m1, M, CAPS);
    expect(inp.postRoot).toBe(want.toString());
    expect(inp.cbIdx).toEqual(["0"]); // block 0 holds 13..15; word 16 in a 4-word block
    expect(inp.csIdx[0]).toBe("4");
    expect(await accepts(inp)).toBe(true);
  });

  it("rejects windows it cannot prove with a typed error", async () => {
    // four fetches in three different 16-word blocks, 4-word groups 0, 4, 8: CB 1 + CS 2 cover them
    expect(coverCode([0, 16, 32], CAPS)).toBeDefined();
    expect(coverCode([0, 16, 32, 48], CAPS)).toBeUndefined();
    const m = await Machine.create(program({ 0: J(64, 0), 16: J(64, 0), 32: J(64, 0), 48: 0x13 }));
    expect(() => blkInputFromMachine(m, M, CAPS)).toThrow(WindowFitError);
    // three stores into three distinct 4-word blocks: more than KW = 2
    const s = await Machine.create(program({ 0: SW(5, 6, 0), 1: SW(5, 6, 16), 2: SW(5, 6, 32) }));
    s.regs[5] = 7;
    s.regs[6] = 0x20000;
    expect(() => blkInputFromMachine(s, M, CAPS)).toThrow(WindowFitError);
    // a read(fd 0) without aux blocks
    const echo = await Trace.create(guest("echo_input"), { input: new TextEncoder().encode("x") });
    let saw = false;
    for (let t = 0; t < echo.length && !saw; t++)
      if (!blkFits(echo, t, M, CAPS) && blkFits(echo, t, M, CAPS_IO)) saw = true;
    expect(saw).toBe(true);
  }, 60_000);
});

describe("RvStepsBlk(4) tampering", () => {
  /** store x5 -> [x6], load it back into x7, load [x6+4] (same 4-word block) into x8, addi */
  async function storeLoad(caps = CAPS) {
    const mk = async () => {
      const m = await Machine.create(program({ 0: SW(5, 6, 0), 1: LW(7, 6, 0), 2: LW(8, 6, 4), 3: ADDI(9, 9, 1) }));
      m.regs[5] = 0x1234567;
      m.regs[6] = 0x20000;
      m.m32[0x20000 >>> 2] = 0xdeadbeef;
      m.m32[(0x20000 >>> 2) + 1] = 0xcafe;
      return m;
    };
    return { inp: blkInputFromMachine(await mk(), M, caps), mk };
  }

  it("accepts the honest window and rejects changed words", async () => {
    const { inp } = await storeLoad();
    expect(await accepts(inp)).toBe(true);
    expect(inp.wAddr[0]).toBe(String(0x20000 >>> 4)); // the written 4-word block
    expect(inp.memWord[1]).toBe(String(0x1234567));
    // the load sees the stored value; the stale pre-store value fails the value lookup
    expect(await failLine({ ...inp, memWord: at(inp.memWord, 1, String(0xdeadbeef)) })).toBe(L.memVal());
    // the second load reads word 1 of the block: word 0's value there fails
    expect(await failLine({ ...inp, memWord: at(inp.memWord, 2, inp.memWord[1]!) })).toBe(L.memVal());
    // table words: the block's initial words (any of them) no longer open under the roots
    // (a word a step reads fails that step's lookup first, an unread one the chained W path)
    for (const i of [0, 1, 3]) {
      expect(await failLine({ ...inp, wInit: at(inp.wInit, 0, at(inp.wInit[0]!, i, bump(inp.wInit[0]![i]!))) })).toBe(
        i === 3 ? L.wRoot() : L.memVal(),
      );
      expect(
        await failLine({ ...inp, cbWord: at(inp.cbWord, 0, at(inp.cbWord[0]!, i, bump(inp.cbWord[0]![i]!))) }),
      ).toBe(L.codeRoot());
    }
    expect(await failLine({ ...inp, rWord: at(inp.rWord, 0, at(inp.rWord[0]!, 2, bump(inp.rWord[0]![2]!))) })).toBe(
      L.rRoot(),
    );
    // the instruction differs from the block's word
    expect(await failLine({ ...inp, insn: at(inp.insn, 3, bump(inp.insn[3]!, 1n << 20n)) })).toBe(L.codeVal());
    // another word of the same block (the mux must use the fetch index's low bits)
    expect(await failLine({ ...inp, insn: at(inp.insn, 1, inp.cbWord[0]![2]!) })).toBe(L.codeVal());
    // a Merkle sibling of the code block path, of a W path
    expect(
      await failLine({ ...inp, cbProof: at(inp.cbProof, 0, at(inp.cbProof[0]!, 4, bump(inp.cbProof[0]![4]!))) }),
    ).toBe(L.codeRoot());
    expect(await accepts({ ...inp, wProof: at(inp.wProof, 0, at(inp.wProof[0]!, 7, bump(inp.wProof[0]![7]!))) })).toBe(
      false,
    );
    expect(await failLine({ ...inp, postRoot: bump(inp.postRoot) })).toBe(L.post());
  });

  it("rejects a block at a wrong position or alignment and an index outside the selected block", async () => {
    const { inp, mk } = await storeLoad();
    // the code block claimed one block further (same words): its path no longer reaches codeRoot
    expect(await failLine({ ...inp, cbIdx: at(inp.cbIdx, 0, bump(inp.cbIdx[0]!)) })).toBe(L.codeRoot());
    // a misaligned block: words 1..16 presented as block 0 (shifted by one word)
    const m = await mk();
    const shifted = Array.from(m.codeTree.leaves.subarray(1, 17), String);
    expect(await failLine({ ...inp, cbWord: [shifted] })).toBe(L.codeRoot());
    // a genuine block elsewhere (block 1: words 16..31, all NOP) selected by steps fetching block 0
    const b1 = {
      ...inp,
      cbIdx: ["1"],
      cbWord: [Array.from(m.codeTree.leaves.subarray(16, 32), String)],
      cbProof: [m.codeTree.proof(16).slice(6).map(String)],
    };
    expect(await failLine(b1)).toBe(L.codeIdx());
    // memory: the W block address off by one (its proof is for the real block)
    expect(await accepts({ ...inp, wAddr: at(inp.wAddr, 0, bump(inp.wAddr[0]!)) })).toBe(false);
    // a step selecting a genuine R block that does not hold its word (R block 0 is a spare)
    const j = 2; // the load of [x6 + 4]
    const row = inp.selM[j]!.map(() => "0");
    row[0] = "1";
    expect(await failLine({ ...inp, selM: at(inp.selM, j, row), memWord: at(inp.memWord, j, inp.rWord[0]![1]!) })).toBe(
      L.memIdx(),
    );
  });

  it("rejects fetches in no block, duplicated and dropped accesses", async () => {
    const { inp } = await storeLoad();
    const none = (row: string[]) => row.map(() => "0");
    const all = (row: string[]) => row.map(() => "1");
    expect(await failLine({ ...inp, selC: at(inp.selC, 1, none(inp.selC[1]!)) })).toBe(L.codeOneHot());
    expect(await failLine({ ...inp, selC: at(inp.selC, 1, all(inp.selC[1]!)) })).toBe(L.codeOneHot());
    expect(await failLine({ ...inp, selM: at(inp.selM, 1, none(inp.selM[1]!)) })).toBe(L.memOneHot());
    expect(await failLine({ ...inp, selM: at(inp.selM, 1, all(inp.selM[1]!)) })).toBe(L.memOneHot());
    // step 3 (ADDI, no memory slot) claims an access
    expect(await failLine({ ...inp, selM: at(inp.selM, 3, inp.selM[1]!) })).toBe(L.memOneHot());
    // reordered: steps 1 and 2 swap their words
    const sw = (xs: string[]) => xs.map((v, j) => (j === 1 ? xs[2]! : j === 2 ? xs[1]! : v));
    expect(await accepts({ ...inp, memWord: sw(inp.memWord) })).toBe(false);
  });

  it("rejects reads that do not see the last write", async () => {
    const { inp, mk } = await storeLoad();
    const pre = await mk();
    pre.syncMemory();
    const blk = Number(inp.wAddr[0]);
    const words = (b: number) => Array.from(pre.m32.subarray(4 * b, 4 * b + 4), String);
    const proof = (b: number) =>
      pre.memTree
        .proof(4 * b)
        .slice(3)
        .map(String);
    // (a) the written block also as an R block: the load reads the stale R copy
    const rw: BlkInput = {
      ...inp,
      rAddr: [String(blk), inp.rAddr[1]!],
      rWord: [words(blk), inp.rWord[1]!],
      rProof: [proof(blk), inp.rProof[1]!],
      selM: at(inp.selM, 1, ["1", "0", "0", "0"]),
      memWord: at(inp.memWord, 1, String(0xdeadbeef)),
    };
    expect(await failLine(rw)).toBe(L.distinct());
    // (b) the store goes through an R block (which must not change)
    const onlyR: BlkInput = {
      ...inp,
      rAddr: [String(blk), inp.rAddr[1]!],
      rWord: [words(blk), inp.rWord[1]!],
      rProof: [proof(blk), inp.rProof[1]!],
      wAddr: [inp.wAddr[1]!, String(blk + 1)],
      wInit: [inp.wInit[1]!, words(blk + 1)],
      wProof: [inp.wProof[1]!, proof(blk + 1)],
      selM: inp.selM.map((row) => (row.includes("1") ? ["1", "0", "0", "0"] : row)),
      memWord: at(inp.memWord, 1, String(0xdeadbeef)),
    };
    expect(await failLine(onlyR)).toBe(L.roWrite());
    // (c) two W blocks with the same address
    expect(await failLine({ ...inp, wAddr: [inp.wAddr[0]!, inp.wAddr[0]!] })).toBe(L.distinct());
  });

  it("rejects a wrong aux word, kind, blob length or key, and a dropped aux lookup", async () => {
    const pre = await preimageTrace(37);
    const inp = auxWindows(pre, 40).find((x) => x.aKind.includes("1"))!;
    expect(inp).toBeDefined();
    expect(await accepts(inp, artIo)).toBe(true);
    const j = inp.selA.findIndex((row) => row.includes("1"));
    const sl = inp.selA[j]!.indexOf("1");
    expect(await failLine({ ...inp, auxWord: at(inp.auxWord, j, bump(inp.auxWord[j]!)) }, artIo)).toBe(L.auxVal());
    expect(
      await failLine({ ...inp, aWord: at(inp.aWord, sl, at(inp.aWord[sl]!, 0, bump(inp.aWord[sl]![0]!))) }, artIo),
    ).toBe(L.auxRoot());
    // the block one position further (its path is for the real one)
    expect(await failLine({ ...inp, aIdx: at(inp.aIdx, sl, bump(inp.aIdx[sl]!)) }, artIo)).toBe(L.auxRoot());
    // the blob block served as input (kind 0): opened against inputRoot instead
    expect(await accepts({ ...inp, aKind: at(inp.aKind, sl, "0") }, artIo)).toBe(false);
    expect(
      await failLine(
        { ...inp, aLen: at(inp.aLen, sl, bump(inp.aLen[sl]!)), blobLen: at(inp.blobLen, j, bump(inp.blobLen[j]!)) },
        artIo,
      ),
    ).toBe(L.auxKey());
    expect(await failLine({ ...inp, blobLen: at(inp.blobLen, j, bump(inp.blobLen[j]!)) }, artIo)).toBe(L.auxLen());
    expect(
      await failLine(
        {
          ...inp,
          selA: at(
            inp.selA,
            j,
            inp.selA[j]!.map(() => "0"),
          ),
        },
        artIo,
      ),
    ).toBe(L.auxOneHot());
  }, 120_000);

  it("rejects single-wire edits of hints against the R1CS", async () => {
    const { inp } = await storeLoad();
    const wit = await calculateWitness(art, inp);
    expect(firstUnsatisfied(r1cs, wit)).toBe(-1);
    const sym = readSym(art.sym);
    const names = [
      "main.dInv",
      "main.selM[1][2]",
      "main.selM[1][0]",
      "main.selC[0][0]",
      "main.selC[0][1]",
      "main.selO[0][0]",
      "main.cur[1][0][0]",
      "main.cur[2][0][1]",
      "main.cLow[0]",
      "main.mroot[1]",
      "main.st[1].memNew",
      "main.st[0].f[5]",
    ];
    let tried = 0;
    for (const n of names) {
      const wire = sym.get(n);
      if (wire === undefined) continue;
      tried++;
      for (const d of [1n, P - 1n]) {
        const bad = [...wit];
        bad[wire] = (bad[wire]! + d) % P;
        expect(firstUnsatisfied(r1cs, bad), `${n} +${d}`).not.toBe(-1);
      }
    }
    expect(tried).toBeGreaterThanOrEqual(9);
  });
});

describe("block variants", () => {
  it("are ordered by estimated constraints and every one has valid capacities", () => {
    for (const m of [4, 16, 32, 64]) {
      const list = tableCircuitsFor(m);
      expect(list.map((x) => x.constraints)).toEqual([...list.map((x) => x.constraints)].sort((a, b) => a - b));
      for (const v of BLK_VARIANTS) expect(tableConstraints(m, blkCapsFor(m, v))).toBeGreaterThan(18_694 + 900 * m);
    }
  });
});

describe.runIf(HEAVY)("RvStepsBlk(4) on every window of guests (ZKFP_HEAVY=1)", () => {
  it("proves every fitting window of hello, exitcode, echo_input, preimage and matmul_int (first 4k steps)", async () => {
    const r1io = readR1cs(artIo.r1cs);
    const runs: [string, Trace][] = [
      ["hello", await Trace.create(guest("hello"), {})],
      ["exitcode", await Trace.create(guest("exitcode"), {})],
      ["echo_input", await Trace.create(guest("echo_input"), { input: new TextEncoder().encode("window by window") })],
      ["preimage", await preimageTrace(45)],
      ["matmul_int", await Trace.create(guest("matmul_int"), { maxSteps: 4000 })],
    ];
    for (const [name, tr] of runs) {
      let proved = 0;
      for (let t = 0; t + M <= tr.length; t += M) {
        for (const [caps, a, rc] of [
          [CAPS, art, r1cs],
          [CAPS_IO, artIo, r1io],
        ] as const) {
          if (!blkFits(tr, t, M, caps)) continue;
          const wit = await calculateWitness(a, blkInputFromTrace(tr, t, M, caps));
          expect(firstUnsatisfied(rc, wit), `${name} window ${t}`).toBe(-1);
          proved++;
          break;
        }
      }
      expect(proved, name).toBeGreaterThan(0);
    }
  }, 3_600_000);
});
