/**
 * Tests of the table circuit RvStepsMem (rv32im_mem.circom) at m = 4:
 *  - twin of vm/verify.ts / the TS machine: seeded random instructions of every class (as in
 *    rv32im.test.ts) and windows of committed guests; the circuit asserts postRoot, so accepting
 *    the window's input means it computed the machine's post-root;
 *  - tampering: a changed table or step value, a reordered access, a duplicated or dropped access,
 *    a read that does not see the last write (stale R slot, R+W copy of a word, W slot reused),
 *    swapped/dropped output records, hint wires (the distinctness inverse, selectors) against the
 *    R1CS. There is no Fiat-Shamir challenge in this circuit (deterministic one-hot lookups).
 * Heavy (ZKFP_HEAVY=1): every window of several guests.
 * Pitfall: the failing-line assertions read line numbers from the circom wasm, while build.ts caches
 * compiles by the sources WITHOUT comments: after a comment edit that moves lines in
 * rv32im_mem.circom, clear .cache/zk-circuits/rv32im_mem_m4_* so the test circuits recompile.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { CircuitArtifacts, MemCaps } from "../build.ts";
import { calculateWitness, firstUnsatisfied, readR1cs, readSym, publicSignals, type R1cs } from "../harness.ts";
import { memInputFromMachine, memInputFromTrace, memFits, WindowFitError, type MemInput } from "./input.ts";
import {
  ADDI,
  Bt,
  HEAVY,
  I,
  J,
  LW,
  M,
  MEM_CAPS as CAPS,
  MEM_CAPS_IO as CAPS_IO,
  R,
  S,
  SW,
  accepts as acceptsOn,
  bump,
  compileMemTest,
  failLine as failLineOn,
  markerLines,
  guest,
  preimageTrace,
  program,
  readsAux,
  verifyChain,
  windows,
} from "../testing.ts";
import { Rng } from "../../../lib/rng.ts";
import { Machine } from "../../../vm/machine.ts";
import { Trace } from "../../../vm/trace.ts";
import { MEM_SIZE, CODE_BASE } from "../../../vm/layout.ts";
import { FIELD_MODULUS as P, initPoseidon } from "../../../vm/poseidon/index.ts";

let art: CircuitArtifacts;
let r1cs: R1cs;
let artIo: CircuitArtifacts;

beforeAll(async () => {
  await initPoseidon();
  ({ art, artIo } = await compileMemTest());
  r1cs = readR1cs(art.r1cs);
}, 900_000);

const EDGE = [0, 1, 2, 3, 4, 31, 32, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x80000001] as const;
const r = (g: Rng) => 1 + g.below(31);
function addr(g: Rng): number {
  const k = g.below(10);
  if (k < 7) return 0x20000 + g.below(0x40);
  if (k < 8) return CODE_BASE + g.below(0x100);
  if (k < 9) return MEM_SIZE - 4 + g.below(8);
  return g.u32();
}

type Case = { words: number[]; setup?: (m: Machine, g: Rng) => void };
const classes: Record<string, (g: Rng) => Case> = {
  "OP/OP-IMM/M": (g) => ({
    words: [0, 1, 2, 3].map(() =>
      g.uniform() < 0.5
        ? R(g.pick([0, 1, 0x20]), g.below(32), g.below(32), g.below(8), g.below(32), 0x33)
        : I(g.below(4096), g.below(32), g.below(8), g.below(32), 0x13),
    ),
  }),
  "LUI/AUIPC/JAL/JALR/branches": (g) => ({
    words: [
      ((g.u32() & 0xfffff000) | (r(g) << 7) | g.pick([0x37, 0x17])) >>> 0,
      Bt(g.pick([8, -8, 4, 6]), r(g), r(g), g.pick([0, 1, 4, 5, 6, 7])),
      g.uniform() < 0.5 ? J(g.pick([4, 8, -4, 2]), g.below(32)) : I(g.below(64), r(g), 0, g.below(32), 0x67),
      0x13,
    ],
    setup: (m, g) => {
      for (let i = 1; i < 32; i++) if (g.uniform() < 0.5) m.regs[i] = CODE_BASE + g.below(64);
    },
  }),
  "loads and stores": (g) => {
    const rs1 = r(g);
    const ws = [0, 1, 2, 3].map(() => {
      const imm = g.below(64) - 32;
      return g.uniform() < 0.5
        ? I(imm & 0xfff, rs1, g.pick([0, 1, 2, 4, 5]), g.pick([0, 5, 6, 7]), 0x03)
        : S(imm, g.below(32), rs1, g.below(3));
    });
    return {
      words: ws,
      setup: (m, g) => {
        m.regs[rs1] = addr(g) | 0;
      },
    };
  },
  "ecall exit/write/ENOSYS/EBADF/EINVAL": (g) => ({
    words: [0x73, 0x73, 0x73, 0x73],
    setup: (m, g) => {
      m.regs[17] = g.pick([93, 64, 64, 64, 17, 63]);
      m.regs[10] = g.pick([1, 2, 6, 3, 4]);
      m.regs[11] = addr(g);
      m.regs[12] = g.pick([0, 1, 2, 3, 4, 100, 0xffffffff]);
      m.preimageKey = BigInt(g.u32());
    },
  }),
  "fetch traps, EBREAK, FENCE, illegal": (g) => ({
    words: [g.pick([0x00100073, 0x0000000f, g.u32(), g.u32() | 3]), g.u32(), 0x13, 0x13],
    setup: (m, g) => {
      const k = g.below(4);
      if (k === 0) m.pc = CODE_BASE + 2;
      else if (k === 1) m.pc = g.pick([0x20000, 0xfffc, 0]);
    },
  }),
};

async function machineFor(c: Case, g: Rng): Promise<Machine> {
  const m = await Machine.create(program(c.words));
  for (let i = 1; i < 32; i++) m.regs[i] = (g.uniform() < 0.4 ? g.pick(EDGE) : g.u32()) | 0;
  for (let k = 0; k < 16; k++) m.m32[(0x20000 >>> 2) + g.below(0x10)] = g.u32();
  c.setup?.(m, g);
  return m;
}

const accepts = (input: MemInput, a = art) => acceptsOn(a, input);
/** Line of the first failing assertion for `input` (undefined when the witness exists). */
const failLine = (input: MemInput, a = art) => failLineOn(a, input);
/** 1-based line of the unique source line containing `marker` (the witness generator reports it). */
const lineOf = markerLines(new URL("./rv32im_mem.circom", import.meta.url));
const L = {
  distinct: () => lineOf("dInv * dp[nD] === 1"),
  roWrite: () => lineOf("rSel[j] * (st[j].memNew - memWord[j]) === 0"),
  memLookup: () => lineOf("lm[j].out === st[j].memIdx * T32 + memWord[j]"),
  outLookup: () => lineOf("lo[j].out === st[j].outRec"),
  outIndex: () => lineOf("idx === outCount * st[j].doOut"),
  auxLookup: () => lineOf("la[j].out === aStep[j] + st[j].sel5;"),
  auxKey: () => lineOf("kd === aKeyS[j];"),
  auxLen: () => lineOf("ld === aLenS[j];"),
  auxOneHot: () => lineOf("la[j].en <== st[j].aEn;"),
  // OneHotDot's `sum(sel) === en` fails when its last input is set: reported at that line
  memOneHot: () => lineOf("lm[j].en <== st[j].slot;"),
  outOneHot: () => lineOf("lo[j].en <== st[j].doOut;"),
};

describe("RvStepsMem(4) against vm/verify.ts and the machine", () => {
  for (const [name, gen] of Object.entries(classes)) {
    it(`agrees on random ${name}`, async () => {
      const g = new Rng([...name].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 11));
      let proved = 0;
      for (let n = 0; n < 4; n++) {
        const c = gen(g);
        const seed = g.u32();
        const want = verifyChain(await machineFor(c, new Rng(seed)), M);
        let input: MemInput;
        try {
          input = memInputFromMachine(await machineFor(c, new Rng(seed)), M, CAPS);
        } catch (e) {
          if (e instanceof WindowFitError) continue; // e.g. more than KW written words
          throw e;
        }
        expect(input.postRoot).toBe(want.toString());
        const wit = await calculateWitness(art, input);
        expect(publicSignals(r1cs, wit)).toEqual([BigInt(input.preRoot), BigInt(input.postRoot)]);
        if (n === 0) expect(firstUnsatisfied(r1cs, wit)).toBe(-1);
        if (input.postRoot !== input.preRoot) expect(await accepts({ ...input, postRoot: input.preRoot })).toBe(false);
        proved++;
      }
      expect(proved).toBeGreaterThanOrEqual(2);
    });
  }

  it("proves windows of committed guests (output writes, exit, halted fixed point, loops)", async () => {
    for (const name of ["hello", "matmul_int", "sort", "exitcode", "badjump"]) {
      const tr = await Trace.create(guest(name), { maxSteps: 3000 });
      const g = new Rng(name.length * 977);
      const halts = tr.length < 3000; // else the trace stops at maxSteps: stay below it
      const ts = [0, 1, tr.length - 2, tr.length, ...[0, 1, 2, 3, 4].map(() => g.below(tr.length))].filter(
        (t) => halts || t + M <= tr.length,
      );
      let proved = 0;
      for (const t of ts) {
        let inp: MemInput;
        try {
          inp = memInputFromTrace(tr, t, M, CAPS);
        } catch (e) {
          if (e instanceof WindowFitError) continue;
          throw e;
        }
        const want = verifyChain(tr.seek(t), M);
        expect(inp.postRoot).toBe(want.toString());
        await calculateWitness(art, inp);
        proved++;
      }
      expect(proved, name).toBeGreaterThanOrEqual(5);
    }
  }, 120_000);

  it("rejects windows it cannot prove with a typed error: input reads, too many words", async () => {
    const tr = await Trace.create(guest("echo_input"), {
      input: new TextEncoder().encode("hello input"),
      maxSteps: 2000,
    });
    let sawRead = false;
    for (let t = 0; t < tr.length && !sawRead; t++) {
      try {
        memInputFromTrace(tr, t, M, CAPS);
      } catch (e) {
        if (e instanceof WindowFitError && /read fd 0\/5/.test(e.message)) sawRead = true;
        else if (!(e instanceof WindowFitError)) throw e;
      }
    }
    expect(sawRead).toBe(true);
    // three stores to distinct words: more than KW = 2 writable slots
    const m = await Machine.create(program([SW(5, 6, 0), SW(5, 6, 4), SW(5, 6, 8), 0x13]));
    m.regs[5] = 7;
    m.regs[6] = 0x20000;
    expect(() => memInputFromMachine(m, M, CAPS)).toThrow(WindowFitError);
  });
});

describe("RvStepsMem(4) tampering", () => {
  /** store x5 -> [x6], load it back into x7, load [x6+4] into x8, store x8 -> [x6+4] */
  async function storeLoad(): Promise<{ inp: MemInput; m0: () => Promise<Machine> }> {
    const mk = async () => {
      const m = await Machine.create(program([SW(5, 6, 0), LW(7, 6, 0), LW(8, 6, 4), ADDI(9, 9, 1)]));
      m.regs[5] = 0x1234567;
      m.regs[6] = 0x20000;
      m.m32[0x20000 >>> 2] = 0xdeadbeef;
      m.m32[(0x20000 >>> 2) + 1] = 0xcafe;
      return m;
    };
    return { inp: memInputFromMachine(await mk(), M, CAPS), m0: mk };
  }

  it("accepts the honest store/load window and rejects changed values", async () => {
    const { inp } = await storeLoad();
    expect(await accepts(inp)).toBe(true);
    // the load of the stored word: memWord[1] must be the value just written
    expect(inp.memWord[1]).toBe(String(0x1234567));
    expect(await accepts({ ...inp, memWord: inp.memWord.map((v, j) => (j === 1 ? bump(v) : v)) })).toBe(false);
    expect(await accepts({ ...inp, memWord: inp.memWord.map((v, j) => (j === 0 ? bump(v) : v)) })).toBe(false);
    expect(await accepts({ ...inp, rWord: inp.rWord.map((v, k) => (k === 0 ? bump(v) : v)) })).toBe(false);
    expect(await accepts({ ...inp, wInit: inp.wInit.map((v, k) => (k === 0 ? bump(v) : v)) })).toBe(false);
    expect(await accepts({ ...inp, codeWord: inp.codeWord.map((v, k) => (k === 1 ? bump(v) : v)) })).toBe(false);
    expect(await accepts({ ...inp, insn: inp.insn.map((v, j) => (j === 2 ? bump(v, 1n << 20n) : v)) })).toBe(false);
    for (const i of [0, 13, 29]) {
      expect(
        await accepts({
          ...inp,
          wProof: inp.wProof.map((p, k) => (k === 0 ? p.map((v, ii) => (ii === i ? bump(v) : v)) : p)),
        }),
      ).toBe(false);
      expect(
        await accepts({
          ...inp,
          rProof: inp.rProof.map((p, k) => (k === 0 ? p.map((v, ii) => (ii === i ? bump(v) : v)) : p)),
        }),
      ).toBe(false);
    }
    expect(
      await accepts({
        ...inp,
        codeProof: inp.codeProof.map((p, k) => (k === 0 ? p.map((v, ii) => (ii === 5 ? bump(v) : v)) : p)),
      }),
    ).toBe(false);
    // a non-u32 word that aliases another address in the packed lookup: rWord + 2^32, rAddr - 1
    const k = 0;
    const alias = {
      ...inp,
      rWord: inp.rWord.map((v, i) => (i === k ? (BigInt(v) + (1n << 32n)).toString() : v)),
      rAddr: inp.rAddr.map((v, i) => (i === k ? (BigInt(v) - 1n).toString() : v)),
    };
    expect(await accepts(alias)).toBe(false);
    expect(await accepts({ ...inp, postRoot: bump(inp.postRoot) })).toBe(false);
  });

  it("rejects reordered, duplicated and dropped accesses", async () => {
    const { inp } = await storeLoad();
    // reordered: steps 1 and 2 swap their memory slot selections (and words)
    const sw = <T>(xs: T[]) => xs.map((v, j) => (j === 1 ? xs[2]! : j === 2 ? xs[1]! : v));
    expect(await accepts({ ...inp, selM: sw(inp.selM) })).toBe(false);
    expect(await accepts({ ...inp, selM: sw(inp.selM), memWord: sw(inp.memWord) })).toBe(false);
    // dropped: step 2's load selects no slot
    expect(await failLine({ ...inp, selM: inp.selM.map((row, j) => (j === 2 ? row.map(() => "0") : row)) })).toBe(
      L.memOneHot(),
    );
    // duplicated: step 2 selects two slots; step 3 (no memory slot) selects one
    expect(await accepts({ ...inp, selM: inp.selM.map((row, j) => (j === 2 ? row.map(() => "1") : row)) })).toBe(false);
    expect(await accepts({ ...inp, selM: inp.selM.map((row, j) => (j === 3 ? inp.selM[2]! : row)) })).toBe(false);
    // a duplicated code fetch selection, a dropped one
    expect(await accepts({ ...inp, selC: inp.selC.map((row, j) => (j === 0 ? row.map(() => "1") : row)) })).toBe(false);
    expect(await accepts({ ...inp, selC: inp.selC.map((row, j) => (j === 0 ? row.map(() => "0") : row)) })).toBe(false);
  });

  it("rejects reads that do not see the last write", async () => {
    const { inp, m0 } = await storeLoad();
    const word = String(0x20000 >>> 2),
      next = String((0x20000 >>> 2) + 1);
    const written = inp.wAddr.indexOf(word);
    expect(written).toBe(0);
    const pre = await m0();
    pre.syncMemory();
    const proof = (w: string) => pre.memTree.proof(Number(w)).map(String);
    const val = (w: string) => String(pre.m32[Number(w)]!);
    // (a) the written word only in an R slot: the store would have to go through R (stale load after it)
    const spare = ["0", "1"];
    const onlyR: MemInput = {
      ...inp,
      rAddr: [word, next],
      rWord: [val(word), val(next)],
      rProof: [proof(word), proof(next)],
      wAddr: spare,
      wInit: spare.map(val),
      wProof: spare.map(proof),
      selM: inp.selM.map((row, j) =>
        j === 0 || j === 1 ? ["1", "0", "0", "0"] : j === 2 ? ["0", "1", "0", "0"] : row,
      ),
      memWord: inp.memWord.map((v, j) => (j === 1 ? val(word) : v)),
    };
    expect(await failLine(onlyR)).toBe(L.roWrite());
    // the same stale read without the store going through R: the load reads R (stale), the store W
    const rw: MemInput = {
      ...inp,
      rAddr: [word, next],
      rWord: [val(word), val(next)],
      rProof: [proof(word), proof(next)],
      selM: inp.selM.map((row, j) => (j === 1 ? ["1", "0", "0", "0"] : j === 2 ? ["0", "1", "0", "0"] : row)),
      memWord: inp.memWord.map((v, j) => (j === 1 ? val(word) : v)),
    };
    expect(await failLine(rw)).toBe(L.distinct());
    // (b) a stale value from the W slot itself: memWord of the load = the pre-store value
    expect(await failLine({ ...inp, memWord: inp.memWord.map((v, j) => (j === 1 ? val(word) : v)) })).toBe(
      L.memLookup(),
    );
    // (c) two W slots for the same word (each opened against its chained root)
    expect(await failLine({ ...inp, wAddr: [word, word] })).toBe(L.distinct());
  });

  it("rejects dropped, reordered or forged output records", async () => {
    // hello writes 1 byte per ECALL; a window with two writes
    const tr = await Trace.create(guest("hello"), {});
    let inp: MemInput | undefined;
    for (let t = 0; t < tr.length && !inp; t++) {
      try {
        const x = memInputFromTrace(tr, t, M, CAPS);
        if (x.selO.filter((row) => row.includes("1")).length === 2) inp = x;
      } catch (e) {
        if (!(e instanceof WindowFitError)) throw e;
      }
    }
    if (!inp) {
      // fallback: a program with two write ECALLs
      const m = await Machine.create(program([0x73, 0x73, 0x13, 0x13]));
      m.regs[17] = 64;
      m.regs[10] = 1;
      m.regs[11] = 0x20000;
      m.regs[12] = 2;
      m.m32[0x20000 >>> 2] = 0x4241;
      inp = memInputFromMachine(m, M, CAPS);
    }
    expect(inp.selO.filter((row) => row.includes("1")).length).toBe(2);
    expect(await accepts(inp)).toBe(true);
    const swap = <T>(xs: T[]) => [xs[1]!, xs[0]!];
    // the two records in the other order (each step still finds its own record): slot index check
    expect(
      await failLine({
        ...inp,
        oFd: swap(inp.oFd),
        oCnt: swap(inp.oCnt),
        oVal: swap(inp.oVal),
        selO: inp.selO.map((row) => (row.includes("1") ? swap(row) : row)),
      }),
    ).toBe(L.outIndex());
    // the second write dropped from the output slots
    expect(await failLine({ ...inp, selO: inp.selO.map((row) => (row[1] === "1" ? ["0", "0"] : row)) })).toBe(
      L.outOneHot(),
    );
    expect(await accepts({ ...inp, oVal: inp.oVal.map((v, s) => (s === 0 ? bump(v) : v)) })).toBe(false);
    expect(await accepts({ ...inp, oCnt: inp.oCnt.map((v, s) => (s === 0 ? bump(v, 4n) : v)) })).toBe(false);
  });

  it("rejects single-wire edits of hints against the R1CS (distinctness inverse, selectors)", async () => {
    const { inp } = await storeLoad();
    const wit = await calculateWitness(art, inp);
    expect(firstUnsatisfied(r1cs, wit)).toBe(-1);
    const sym = readSym(art.sym);
    const names = [
      "main.dInv",
      "main.selM[1][2]",
      "main.selM[1][3]",
      "main.selC[0][0]",
      "main.selO[0][0]",
      "main.st[0].memNew",
      "main.cur[1][0]",
      "main.cur[1][1]",
      "main.mroot[1]",
      "main.hs[1]",
      "main.st[1].ce[4]",
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
    expect(tried).toBeGreaterThanOrEqual(6);
  });
});

/** Windows of `tr` that fit `caps` and read input / blob data. */
const auxWindows = (tr: Trace, caps: MemCaps, limit: number): MemInput[] =>
  windows(tr, (x, t) => memInputFromTrace(x, t, M, caps), limit, readsAux);

describe("RvStepsMem(4) with aux slots (read fd 0/5)", () => {
  it("proves input reads (echo_input) and blob reads (preimage) against vm/verify.ts", async () => {
    const echo = await Trace.create(guest("echo_input"), { input: new TextEncoder().encode("tables!") });
    const pre = await preimageTrace(37);
    for (const tr of [echo, pre]) {
      const ws = auxWindows(tr, CAPS_IO, 6);
      expect(ws.length).toBeGreaterThanOrEqual(3);
      for (const inp of ws) {
        const t = Number(inp.step);
        expect(inp.postRoot).toBe(verifyChain(tr.seek(t), M).toString());
        await calculateWitness(artIo, inp);
      }
    }
    // random read(fd 0/5) steps from a seeded machine: fd 0, fd 5, EFAULT, c = 0, past the end
    const g = new Rng(4242);
    const BLOB = new TextEncoder().encode("preimage blob for the fd 5 reads, long enough to span words");
    const INPUT = new TextEncoder().encode("input stream bytes 0123456789");
    let n = 0;
    for (let k = 0; k < 8; k++) {
      const seed = g.u32();
      const mk = async () => {
        const h = new Rng(seed);
        const m = await Machine.create(program([0x73, 0x73, 0x73, 0x73]), { input: INPUT });
        m.regs[17] = 63;
        m.regs[10] = h.pick([0, 5]);
        m.regs[11] = addr(h);
        m.regs[12] = h.pick([0, 1, 2, 3, 4, 7, 0xffffffff]);
        m.inputPos = h.below(INPUT.length + 1);
        m.preimageKey = m.addPreimage(BLOB);
        m.preimageOffset = h.below(BLOB.length + 1);
        return m;
      };
      let inp: MemInput;
      try {
        inp = memInputFromMachine(await mk(), M, CAPS_IO);
      } catch (e) {
        if (e instanceof WindowFitError) continue;
        throw e;
      }
      expect(inp.postRoot).toBe(verifyChain(await mk(), M).toString());
      await calculateWitness(artIo, inp);
      n++;
    }
    expect(n).toBeGreaterThanOrEqual(4);
  }, 120_000);

  it("rejects a wrong aux word, kind, blob length or key, and a dropped aux lookup", async () => {
    const pre = await preimageTrace(37);
    const ws = auxWindows(pre, CAPS_IO, 40).filter((inp) => inp.aKind.includes("1"));
    expect(ws.length).toBeGreaterThan(0);
    const inp = ws[0]!;
    expect(await accepts(inp, artIo)).toBe(true);
    const j = inp.selA.findIndex((row) => row.includes("1"));
    const sl = inp.selA[j]!.indexOf("1");
    expect(inp.aKind[sl]).toBe("1");
    const at = (xs: string[], i: number, v: string) => xs.map((x, k) => (k === i ? v : x));
    // the step's aux word differs from the table's
    expect(await failLine({ ...inp, auxWord: at(inp.auxWord, j, bump(inp.auxWord[j]!)) }, artIo)).toBe(L.auxLookup());
    // the table word changed (its Merkle path then fails)
    expect(await accepts({ ...inp, aWord: at(inp.aWord, sl, bump(inp.aWord[sl]!)) }, artIo)).toBe(false);
    // the blob word served as an input word (kind 0): the fd 5 step's lookup fails
    expect(await accepts({ ...inp, aKind: at(inp.aKind, sl, "0") }, artIo)).toBe(false);
    // another blob length: the key P2(root, len) no longer matches preimageKey
    expect(
      await failLine(
        { ...inp, aLen: at(inp.aLen, sl, bump(inp.aLen[sl]!)), blobLen: at(inp.blobLen, j, bump(inp.blobLen[j]!)) },
        artIo,
      ),
    ).toBe(L.auxKey());
    // the step claims a blob length other than the table's
    expect(await failLine({ ...inp, blobLen: at(inp.blobLen, j, bump(inp.blobLen[j]!)) }, artIo)).toBe(L.auxLen());
    // dropped: the read step selects no aux slot
    expect(
      await failLine({ ...inp, selA: inp.selA.map((row, jj) => (jj === j ? row.map(() => "0") : row)) }, artIo),
    ).toBe(L.auxOneHot());
  }, 120_000);

  it("the aux-free circuit has no witness for a window with a read(fd 0/5)", async () => {
    const echo = await Trace.create(guest("echo_input"), { input: new TextEncoder().encode("abc") });
    const [inp] = auxWindows(echo, CAPS_IO, 1);
    // drop the io inputs and feed the aux-free circuit: the running read must be rejected
    expect(
      await accepts({
        ...inp,
        aKind: [],
        aRoot: [],
        aLen: [],
        aIdx: [],
        aWord: [],
        aProof: [],
        auxWord: [],
        blobLen: [],
        selA: inp.selA.map(() => []),
      }),
    ).toBe(false);
  }, 60_000);
});

describe.runIf(HEAVY)("RvStepsMem(4) on every window of guests (ZKFP_HEAVY=1)", () => {
  it("proves every fitting window of hello, exitcode, echo_input, preimage and matmul_int (first 4k steps), each satisfying the R1CS", async () => {
    const r1io = readR1cs(artIo.r1cs);
    const runs: [string, Trace][] = [
      ["hello", await Trace.create(guest("hello"), {})],
      ["exitcode", await Trace.create(guest("exitcode"), {})],
      [
        "echo_input",
        await Trace.create(guest("echo_input"), { input: new TextEncoder().encode("the whole run, window by window") }),
      ],
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
          if (!memFits(tr, t, M, caps)) continue;
          const wit = await calculateWitness(a, memInputFromTrace(tr, t, M, caps));
          expect(firstUnsatisfied(rc, wit), `${name} window ${t}`).toBe(-1);
          proved++;
          break;
        }
      }
      expect(proved, name).toBeGreaterThan(0);
    }
  }, 3_600_000);
});
