/**
 * Red team against the table circuit RvStepsMem (zk/circuits/mem/rv32im_mem.circom), m = 4.
 *
 * A lying prover keeps preRoot (the agreed pre-state fields stay honest) and changes any private
 * witness value it chooses: table slots (code, R, W, output, aux), per-step words, selectors,
 * Merkle proofs. The question per tampering is WHERE the circuit stops it:
 *  - at `post.root === postRoot`, and nowhere earlier: every table / lookup / range constraint
 *    holds for the tampered window, so the circuit has computed ANOTHER post-root from the same
 *    pre-root: the liar wins by publishing that root. This is what the tests look for;
 *  - anywhere earlier (a lookup, a range check, a Merkle root, a one-hot sum): the attack held;
 *  - nowhere (the witness exists): the tampering did not change the statement (e.g. a step
 *    selecting a padding copy of its code slot), harmless.
 * "Where" comes from the witness generator's assert trace (harness.ts `stoppedAt`: the outermost
 * RvStepsMem frame this call added); hint wires (`<--`) are covered by the R1CS checks at the end.
 *
 * Targeted attacks (each expected to hold, with the constraint that stops it) plus a seeded
 * mutation fuzzer (attack/fuzz.ts, seeded lib/rng.ts stream) over honest windows of committed guests
 * (A = 0) and input/blob-reading windows (A = 2). ZKFP_HEAVY=1 runs 10x the mutations.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { CircuitArtifacts } from "../build.ts";
import {
  CircuitSource,
  calculateWitness,
  firstUnsatisfied,
  readR1cs,
  readSym,
  stoppedAt,
  verdict,
  type CompiledLines,
  type R1cs,
} from "../harness.ts";
import { memInputFromMachine, memInputFromTrace, type MemInput } from "../mem/input.ts";
import {
  ADDI,
  FUZZ_TIMEOUT,
  HEAVY,
  LW,
  M,
  MEM_CAPS as CAPS,
  MEM_CAPS_IO as CAPS_IO,
  SW,
  bump as add,
  compileMemTest,
  fe,
  auxReadWindows,
  guestWindows,
  program,
} from "../testing.ts";
import { expectNoWin, type Mut } from "./fuzz.ts";
import { Machine } from "../../../vm/machine.ts";
import { Trace } from "../../../vm/trace.ts";
import type { MemCaps } from "../build.ts";
import { FIELD_MODULUS as P, initPoseidon } from "../../../vm/poseidon/index.ts";

const TPL = "RvStepsMem";
const SRC = new CircuitSource(new URL("../mem/rv32im_mem.circom", import.meta.url));
let art: CircuitArtifacts;
let artIo: CircuitArtifacts;
let r1cs: R1cs;
/** Lines of the A = 0 compile (learned from a post-root probe in beforeAll). */
let lines: CompiledLines;
const lineOf = (marker: string) => lines.of(marker);
const POST = () => lineOf("post.root === postRoot");
/** The RvStepsMem line where the tampering is stopped (outermost frame), or "accepted". */
const stopped = (a: CircuitArtifacts, input: MemInput) => stoppedAt(a, input, TPL);

beforeAll(async () => {
  await initPoseidon();
  ({ art, artIo } = await compileMemTest());
  r1cs = readR1cs(art.r1cs);
  const honest = await storeLoadWrite();
  lines = await SRC.compiled(art, TPL, { ...honest, postRoot: add(honest.postRoot, 1n) }, "post.root === postRoot");
}, 900_000);

const T32 = 1n << 32n;
const memBuild = (caps: MemCaps) => (tr: Trace, t: number) => memInputFromTrace(tr, t, M, caps);

// ---------------------------------------------------------------- mutation operators
const SCALARS = [
  "codeIdx",
  "codeWord",
  "rAddr",
  "rWord",
  "wAddr",
  "wInit",
  "oFd",
  "oCnt",
  "oVal",
  "insn",
  "memWord",
  "aKind",
  "aRoot",
  "aLen",
  "aIdx",
  "aWord",
  "auxWord",
  "blobLen",
] as const;
const SELS = ["selC", "selM", "selO", "selA"] as const;
const DELTAS = [1n, -1n, T32, -T32, 1n << 20n, 4n, P - 1n, (P + 1n) / 2n];
const muts: Mut<MemInput>[] = [
  {
    name: "scalar += delta",
    apply(i, g) {
      const f = g.pick(SCALARS);
      const xs = i[f];
      if (!xs.length) return false;
      const k = g.below(xs.length);
      xs[k] = add(xs[k]!, g.pick(DELTAS));
      return true;
    },
  },
  {
    name: "scalar := small/u32",
    apply(i, g) {
      const f = g.pick(SCALARS);
      const xs = i[f];
      if (!xs.length) return false;
      const k = g.below(xs.length);
      const v = g.pick([0n, 1n, 2n, 3n, 0xffffffffn, BigInt(g.below(1 << 30))]);
      if (xs[k] === v.toString()) return false;
      xs[k] = v.toString();
      return true;
    },
  },
  {
    name: "swap two entries",
    apply(i, g) {
      const f = g.pick([...SCALARS, "rProof", "wProof", "codeProof", "aProof", ...SELS] as const);
      const xs = i[f] as unknown[];
      if (xs.length < 2) return false;
      const a = g.below(xs.length),
        b = g.below(xs.length);
      if (a === b || JSON.stringify(xs[a]) === JSON.stringify(xs[b])) return false;
      [xs[a], xs[b]] = [xs[b], xs[a]];
      return true;
    },
  },
  {
    name: "selector: move / add / drop the 1",
    apply(i, g) {
      const f = g.pick(SELS);
      const rows = i[f];
      const j = g.below(rows.length);
      const row = rows[j]!;
      if (!row.length) return false;
      const k = g.below(row.length);
      const before = row.join();
      const op = g.below(3);
      if (op === 0) {
        const h = row.indexOf("1");
        if (h >= 0) row[h] = "0";
        row[k] = "1";
      } else if (op === 1) row[k] = "1";
      else row[k] = "0";
      return row.join() !== before;
    },
  },
  {
    name: "selector: fractional / non-boolean pair",
    apply(i, g) {
      const f = g.pick(SELS);
      const rows = i[f];
      const j = g.below(rows.length);
      const row = rows[j]!;
      if (row.length < 2) return false;
      const a = g.below(row.length);
      let b = g.below(row.length);
      if (a === b) b = (a + 1) % row.length;
      const x = g.pick([2n, P - 1n, (P + 1n) / 2n, BigInt(g.below(1 << 30)) + 2n]);
      const sa = BigInt(row[a]!),
        sb = BigInt(row[b]!);
      row[a] = fe(x);
      row[b] = fe(sa + sb - x); // keeps the sum
      return true;
    },
  },
  {
    name: "step reads another slot's current value",
    apply(i, g) {
      // move step j's memory selection to slot k and make memWord[j] that slot's initial word
      const j = g.below(M);
      const K = i.rAddr.length + i.wAddr.length;
      const k = g.below(K);
      const row = i.selM[j]!;
      if (row[k] === "1") return false;
      row.fill("0");
      row[k] = "1";
      i.memWord[j] = k < i.rAddr.length ? i.rWord[k]! : i.wInit[k - i.rAddr.length]!;
      return true;
    },
  },
  {
    name: "step fetches another code slot",
    apply(i, g) {
      const j = g.below(M);
      const c = g.below(i.codeIdx.length);
      if (i.selC[j]![c] === "1") return false;
      i.selC[j]!.fill("0");
      i.selC[j]![c] = "1";
      i.insn[j] = i.codeWord[c]!;
      return true;
    },
  },
  {
    name: "Merkle proof element",
    apply(i, g) {
      const f = g.pick(["rProof", "wProof", "codeProof", "aProof"] as const);
      const ps = i[f];
      if (!ps.length) return false;
      const p = ps[g.below(ps.length)]!;
      const k = g.below(p.length);
      p[k] = add(p[k]!, g.pick([1n, -1n]));
      return true;
    },
  },
];

// ---------------------------------------------------------------- programs
/** store x5 -> [x6]; addi (no memory slot); load [x6] -> x7; write(1, x6, 1) (ECALL: output record) */
async function storeLoadWrite(): Promise<MemInput> {
  const m = await Machine.create(program([SW(5, 6, 0), ADDI(9, 9, 1), LW(7, 6, 0), 0x73]));
  m.regs[5] = 0x41424344;
  m.regs[6] = 0x20000;
  m.regs[17] = 64;
  m.regs[10] = 1;
  m.regs[11] = 0x20000;
  m.regs[12] = 1;
  m.m32[0x20000 >>> 2] = 0xdeadbeef;
  m.m32[(0x20000 >>> 2) + 1] = 0xcafe;
  return memInputFromMachine(m, M, CAPS);
}

// ---------------------------------------------------------------- tests
describe("liar vs RvStepsMem(4): targeted attacks (all expected to hold)", () => {
  it("a step without a memory slot cannot carry a memory word; packing aliases are range-checked", async () => {
    const inp = await storeLoadWrite();
    expect(await stopped(art, inp)).toBe("accepted");
    expect(inp.selM[1]!.every((s) => s === "0")).toBe(true); // the ADDI has slot = 0
    // slot-0 step with a nonzero word: lm.out (0) === memIdx (0) * 2^32 + memWord
    expect(await stopped(art, { ...inp, memWord: inp.memWord.map((v, j) => (j === 1 ? "7" : v)) })).toBe(
      lineOf("lm[j].out === st[j].memIdx * T32 + memWord[j]"),
    );
    // the load (step 2) reads a forged word w' = w + 2^32 from a slot whose address is one lower
    // (addr * 2^32 + word is the same field element): W slot parts are range-checked first
    const k = inp.wAddr.indexOf(String(0x20000 >>> 2));
    expect(k).toBeGreaterThanOrEqual(0);
    const alias = structuredClone(inp);
    alias.wAddr[k] = add(alias.wAddr[k]!, -1n);
    alias.wInit[k] = add(alias.wInit[k]!, T32);
    expect(await stopped(art, alias)).not.toBe(POST());
    expect(await stopped(art, alias)).not.toBe("accepted");
    // the same through the step side: memWord + 2^32 against the packed slot (Num2Bits in MemStep)
    const v = await verdict(art, { ...inp, memWord: inp.memWord.map((w, j) => (j === 2 ? add(w, T32) : w)) });
    expect(v.ok).toBe(false);
    // a code slot index outside the 2^14-word code region aliasing (idx + 1) * 2^32 + (insn - 2^32)
    const c = structuredClone(inp);
    c.codeIdx[0] = add(c.codeIdx[0]!, 1n);
    c.codeWord[0] = add(c.codeWord[0]!, -T32);
    expect(await stopped(art, c)).not.toBe("accepted");
    const c2 = structuredClone(inp);
    c2.codeIdx[0] = add(c2.codeIdx[0]!, 1n << 14n);
    expect(await stopped(art, c2)).not.toBe("accepted");
  }, 120_000);

  it("fractional / non-boolean one-hot selectors that hit a forged value are rejected", async () => {
    const inp = await storeLoadWrite();
    // step 2 (the load) selects x * slotA + (1 - x) * slotB with x solving for a forged packed value
    const K = inp.rAddr.length + inp.wAddr.length;
    const packed = (k: number, cur: string) =>
      BigInt(k < inp.rAddr.length ? inp.rAddr[k]! : inp.wAddr[k - inp.rAddr.length]!) * T32 + BigInt(cur);
    const j = 2;
    const a = inp.selM[j]!.indexOf("1");
    const b = (a + 1) % K;
    // current values at step 2: the stored word for the written slot, initial words otherwise
    const curOf = (k: number) =>
      k === a ? inp.memWord[j]! : k < inp.rAddr.length ? inp.rWord[k]! : inp.wInit[k - inp.rAddr.length]!;
    const va = packed(a, curOf(a)),
      vb = packed(b, curOf(b));
    const forgedWord = 0x1337n;
    const target = BigInt(0x20000 >>> 2) * T32 + forgedWord; // same address, forged word
    const inv = (x: bigint) => {
      let r = 1n,
        e = P - 2n,
        bb = ((x % P) + P) % P;
      while (e) {
        if (e & 1n) r = (r * bb) % P;
        bb = (bb * bb) % P;
        e >>= 1n;
      }
      return r;
    };
    const x = ((((target - vb) % P) + P) * inv(va - vb)) % P; // x va + (1 - x) vb = target
    const sel = new Array<string>(K).fill("0");
    sel[a] = fe(x);
    sel[b] = fe(1n - x);
    const forged = {
      ...inp,
      selM: inp.selM.map((r, jj) => (jj === j ? sel : r)),
      memWord: inp.memWord.map((w, jj) => (jj === j ? forgedWord.toString() : w)),
    };
    const v = await verdict(art, forged);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.trace[0]!.tpl).toBe("OneHotDot"); // stopped by sel * (sel - 1) === 0
  }, 60_000);

  it("output records: skipped, reordered or doubled slots are rejected", async () => {
    const inp = await storeLoadWrite();
    expect(inp.selO[3]).toEqual(["1", "0"]);
    // the write uses slot 1 (slot 0 unused: the hash would skip a record or take a forged one)
    const skip = structuredClone(inp);
    skip.selO[3] = ["0", "1"];
    [skip.oFd[0], skip.oFd[1]] = [skip.oFd[1]!, skip.oFd[0]!];
    [skip.oCnt[0], skip.oCnt[1]] = [skip.oCnt[1]!, skip.oCnt[0]!];
    [skip.oVal[0], skip.oVal[1]] = [skip.oVal[1]!, skip.oVal[0]!];
    expect(await stopped(art, skip)).toBe(lineOf("idx === outCount * st[j].doOut"));
    // a non-writing step selects an output slot: a record hashed that the machine never wrote
    const extra = structuredClone(inp);
    extra.selO[1] = ["0", "1"];
    expect(await stopped(art, extra)).not.toBe("accepted");
    expect(await stopped(art, extra)).not.toBe(POST());
  }, 60_000);

  it("hint wires against the R1CS: forged distinctness inverse, forged one-hot ce/f hints", async () => {
    const inp = await storeLoadWrite();
    const w = await calculateWitness(art, inp);
    expect(firstUnsatisfied(r1cs, w)).toBe(-1);
    const sym = readSym(art.sym);
    const wire = (name: string) => {
      const i = sym.get(name);
      if (i === undefined) throw new Error(`no wire ${name}`);
      return i;
    };
    for (const name of ["main.dInv", "main.st[0].ce[1]", "main.st[0].f[5]", "main.st[2].f[7]", "main.st[2].ce[2]"]) {
      const t = [...w];
      const i = wire(name);
      t[i] = (t[i]! + 1n) % P;
      expect(firstUnsatisfied(r1cs, t), name).toBeGreaterThanOrEqual(0);
    }
  }, 60_000);
});

describe("liar vs RvStepsMem(4): seeded mutation fuzzer (a stop only at the post-root would be a win)", () => {
  it(
    "guest windows (A = 0): no tampering reaches the post-root check",
    async () => {
      const names = HEAVY
        ? ["hello", "sort", "bytes", "linkedlist", "badjump", "exitcode"]
        : ["hello", "sort", "badjump"];
      const inputs = [await storeLoadWrite(), ...(await guestWindows(names, memBuild(CAPS), HEAVY ? 6 : 1))];
      await expectNoWin("A=0", art, SRC, TPL, muts, inputs, HEAVY ? 60 : 6, 0xa77ac2);
    },
    FUZZ_TIMEOUT,
  );

  it(
    "input/blob windows (A = 2): no tampering reaches the post-root check",
    async () => {
      const inputs = await auxReadWindows(memBuild(CAPS_IO), "tables!", 37, HEAVY ? 6 : 1);
      expect(inputs.length).toBeGreaterThanOrEqual(2);
      await expectNoWin("A=2", artIo, SRC, TPL, muts, inputs, HEAVY ? 60 : 6, 0xa77ac3);
    },
    FUZZ_TIMEOUT,
  );
});
