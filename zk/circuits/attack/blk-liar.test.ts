/**
 * Red team against the block-table circuit RvStepsBlk (zk/circuits/blk/rv32im_blk.circom), m = 4,
 * the two compiles of zk/circuits/blk/blk.test.ts (CAPS: code 1 block of 16 + 2 of 4 words, memory
 * blocks of 4 words, no aux; CAPS_IO: single memory words, aux blocks of 4 words).
 *
 * A lying prover keeps preRoot (the agreed pre-state fields stay honest: they are the preimage of the
 * public preRoot) and changes any private witness value: block indices and words, Merkle paths,
 * per-step words, selectors (moved, added, dropped, non-boolean with the same sum). Per tampering the
 * question is WHERE the circuit stops it (witness generator's assert trace, outermost RvStepsBlk frame):
 *  - at `post.root === postRoot` and nowhere earlier: every table / lookup / range constraint held,
 *    so the circuit computed ANOTHER post-root from the same pre-root: the liar wins by claiming it;
 *  - anywhere earlier: the attack held; nowhere: the tampering did not change the statement.
 * Targeted block-specific attacks first (each expected to hold), then a seeded mutation fuzzer
 * (attack/fuzz.ts, lib/rng.ts stream) over honest windows of committed guests (CAPS) and input /
 * blob reading windows (CAPS_IO).
 * ZKFP_HEAVY=1 runs 10x the mutations over more windows, and the same fuzzer over the production caps
 * of m = 4 (`blkCapsFor(4, "blk")`: one W block, `"blkio"`: 4-word memory blocks with 16-word aux
 * blocks), two more compiles.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { blkCapsFor, compileBlk, type CircuitArtifacts } from "../build.ts";
import { CircuitSource, stoppedAt, type CompiledLines } from "../harness.ts";
import { blkInputFromMachine, blkInputFromTrace, type BlkInput } from "../blk/input.ts";
import {
  BLK_CAPS as CAPS,
  BLK_CAPS_IO as CAPS_IO,
  FUZZ_TIMEOUT,
  HEAVY,
  LW,
  M,
  SW,
  bump as add,
  compileBlkTest,
  fe,
  auxReadWindows,
  guestWindows,
  program,
} from "../testing.ts";
import { expectNoWin, type Mut } from "./fuzz.ts";
import { Machine } from "../../../vm/machine.ts";
import { Trace } from "../../../vm/trace.ts";
import type { BlkCaps } from "../build.ts";
import { FIELD_MODULUS as P, initPoseidon } from "../../../vm/poseidon/index.ts";

const TPL = "RvStepsBlk";
const SRC = new CircuitSource(new URL("../blk/rv32im_blk.circom", import.meta.url));
let art: CircuitArtifacts;
let artIo: CircuitArtifacts;
/** Lines of the CAPS compile (learned from a post-root probe in beforeAll). */
let lines: CompiledLines;
const lineOf = (marker: string) => lines.of(marker);
const POST = () => lineOf("post.root === postRoot");
const stopped = (a: CircuitArtifacts, input: BlkInput) => stoppedAt(a, input, TPL);

const T32 = 1n << 32n;
const blkBuild = (caps: BlkCaps) => (tr: Trace, t: number) => blkInputFromTrace(tr, t, M, caps);

// ---------------------------------------------------------------- mutation operators
/** One-level arrays of scalars. */
const FLAT = [
  "cbIdx",
  "csIdx",
  "rAddr",
  "wAddr",
  "oFd",
  "oCnt",
  "oVal",
  "aKind",
  "aRoot",
  "aLen",
  "aIdx",
  "insn",
  "memWord",
  "auxWord",
  "blobLen",
] as const;
/** Arrays of blocks of words. */
const BLOCKS = ["cbWord", "csWord", "rWord", "wInit", "aWord"] as const;
const PROOFS = ["cbProof", "csProof", "rProof", "wProof", "aProof"] as const;
const SELS = ["selC", "selM", "selO", "selA"] as const;
const DELTAS = [1n, -1n, 4n, -4n, 16n, T32, -T32, 1n << 12n, 1n << 18n, P - 1n, (P + 1n) / 2n];
const muts: Mut<BlkInput>[] = [
  {
    name: "scalar += delta",
    apply(i, g) {
      const xs = i[g.pick(FLAT)];
      if (!xs.length) return false;
      const k = g.below(xs.length);
      xs[k] = add(xs[k]!, g.pick(DELTAS));
      return true;
    },
  },
  {
    name: "block word += delta",
    apply(i, g) {
      const bs = i[g.pick(BLOCKS)];
      if (!bs.length) return false;
      const b = bs[g.below(bs.length)]!;
      const k = g.below(b.length);
      b[k] = add(b[k]!, g.pick(DELTAS));
      return true;
    },
  },
  {
    name: "block words rotated / swapped",
    apply(i, g) {
      const bs = i[g.pick(BLOCKS)];
      if (!bs.length) return false;
      const b = bs[g.below(bs.length)]!;
      if (b.length < 2) return false;
      const before = b.join();
      if (g.below(2) === 0) b.push(b.shift()!);
      else {
        const x = g.below(b.length),
          y = g.below(b.length);
        [b[x], b[y]] = [b[y]!, b[x]!];
      }
      return b.join() !== before;
    },
  },
  {
    name: "swap two blocks / entries",
    apply(i, g) {
      const f = g.pick([...FLAT, ...BLOCKS, ...PROOFS, ...SELS] as const);
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
      const rows = i[g.pick(SELS)];
      if (!rows.length) return false;
      const row = rows[g.below(rows.length)]!;
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
    name: "selector: non-boolean pair with the same sum",
    apply(i, g) {
      const rows = i[g.pick(SELS)];
      if (!rows.length) return false;
      const row = rows[g.below(rows.length)]!;
      if (row.length < 2) return false;
      const a = g.below(row.length);
      let b = g.below(row.length);
      if (a === b) b = (a + 1) % row.length;
      const x = g.pick([2n, P - 1n, (P + 1n) / 2n, BigInt(g.below(1 << 30)) + 2n]);
      const s = BigInt(row[a]!) + BigInt(row[b]!);
      row[a] = fe(x);
      row[b] = fe(s - x);
      return true;
    },
  },
  {
    name: "step reads another block's word",
    apply(i, g) {
      const j = g.below(M);
      const KR = i.rAddr.length;
      const K = KR + i.wAddr.length;
      if (!K) return false;
      const k = g.below(K);
      const row = i.selM[j]!;
      if (row[k] === "1") return false;
      row.fill("0");
      row[k] = "1";
      const blk = k < KR ? i.rWord[k]! : i.wInit[k - KR]!;
      i.memWord[j] = g.pick(blk);
      return true;
    },
  },
  {
    name: "step fetches from another code block",
    apply(i, g) {
      const j = g.below(M);
      const all = [...i.cbWord, ...i.csWord];
      const c = g.below(all.length);
      if (i.selC[j]![c] === "1") return false;
      i.selC[j]!.fill("0");
      i.selC[j]![c] = "1";
      i.insn[j] = g.pick(all[c]!);
      return true;
    },
  },
  {
    name: "Merkle path element",
    apply(i, g) {
      const ps = i[g.pick(PROOFS)];
      if (!ps.length) return false;
      const p = ps[g.below(ps.length)]!;
      const k = g.below(p.length);
      p[k] = add(p[k]!, g.pick([1n, -1n]));
      return true;
    },
  },
];

// ---------------------------------------------------------------- programs
/** store x5 -> [x6]; load [x6] -> x7; load [x6 + 4] -> x8 (same 4-word block); ECALL write(1, x6, 1). */
async function storeLoadWrite(): Promise<{ inp: BlkInput; mk: () => Promise<Machine> }> {
  const mk = async () => {
    const m = await Machine.create(program({ 0: SW(5, 6, 0), 1: LW(7, 6, 0), 2: LW(8, 6, 4), 3: 0x73 }));
    m.regs[5] = 0x41424344;
    m.regs[6] = 0x20000;
    m.regs[17] = 64;
    m.regs[10] = 1;
    m.regs[11] = 0x20000;
    m.regs[12] = 1;
    m.m32[0x20000 >>> 2] = 0xdeadbeef;
    m.m32[(0x20000 >>> 2) + 1] = 0xcafe;
    return m;
  };
  return { inp: blkInputFromMachine(await mk(), M, CAPS), mk };
}

beforeAll(async () => {
  await initPoseidon();
  ({ art, artIo } = await compileBlkTest());
  const { inp } = await storeLoadWrite();
  lines = await SRC.compiled(art, TPL, { ...inp, postRoot: add(inp.postRoot, 1n) }, "post.root === postRoot");
}, 900_000);

// ---------------------------------------------------------------- tests
describe("liar vs RvStepsBlk(4): targeted block attacks (all expected to hold)", () => {
  it("a write changes only its own word of a 4-word W block; a neighbour word forged in the final block is refused", async () => {
    const { inp } = await storeLoadWrite();
    expect(await stopped(art, inp)).toBe("accepted");
    const k = inp.wAddr.indexOf(String(0x20000 >>> 4));
    expect(k).toBeGreaterThanOrEqual(0);
    // the liar wants word 2 of the written block to end as X (no step writes it): it can only present
    // a different INITIAL word 2, which no longer opens under the pre memRoot
    const forged = structuredClone(inp);
    forged.wInit[k]![2] = "7";
    const at = await stopped(art, forged);
    expect(at).not.toBe("accepted");
    expect(at).not.toBe(POST());
    expect(at).toBe(lineOf("wOld[k].root === mroot[k];"));
  }, 60_000);

  it("a load served by the right block at the wrong low bits, or by a word of the next aligned block, is refused", async () => {
    const { inp, mk } = await storeLoadWrite();
    // step 2 loads word 1 of the block; a liar claims it read word 3 (same block, other low bits)
    const k = inp.wAddr.indexOf(String(0x20000 >>> 4));
    const w3 = structuredClone(inp);
    w3.memWord[2] = inp.wInit[k]![3]!;
    expect(await stopped(art, w3)).toBe(lineOf("mValSum === memWord[j];"));
    // an R block at the NEXT 4-word block address (a genuine opening) selected by the load: index mismatch
    const pre = await mk();
    pre.syncMemory();
    const b = (0x20000 >>> 4) + 1;
    const r = structuredClone(inp);
    r.rAddr[0] = String(b);
    r.rWord[0] = Array.from(pre.m32.subarray(4 * b, 4 * b + 4), String);
    r.rProof[0] = pre.memTree
      .proof(4 * b)
      .slice(3)
      .map(String);
    expect(await stopped(r.rAddr.length ? art : art, r)).toBe("accepted"); // a spare genuine R block is harmless
    r.selM[2] = r.selM[2]!.map((_, i) => (i === 0 ? "1" : "0"));
    r.memWord[2] = r.rWord[0]![1]!;
    expect(await stopped(art, r)).toBe(lineOf("mIdxSum === mHi;"));
  }, 60_000);

  it("a code block index off by a multiple of 4^(CJ-1) with the matching low-bit shift is refused", async () => {
    const { inp } = await storeLoadWrite();
    // cbIdx * 16 + low == codeIdx: the liar moves the block one down and compensates through a small block
    const c = structuredClone(inp);
    c.cbIdx[0] = add(c.cbIdx[0]!, 1n << 12n); // above the 10-bit block index range (aliases nothing)
    const at = await stopped(art, c);
    expect(at).not.toBe("accepted");
    expect(at).not.toBe(POST());
  }, 60_000);
});

describe("liar vs RvStepsBlk(4): seeded mutation fuzzer (a stop only at the post-root would be a win)", () => {
  it(
    "guest windows (CAPS, 4-word memory blocks): no tampering reaches the post-root check",
    async () => {
      const names = HEAVY ? ["hello", "sort", "matmul_int", "linkedlist", "badjump", "exitcode"] : ["hello", "sort"];
      const inputs = [(await storeLoadWrite()).inp, ...(await guestWindows(names, blkBuild(CAPS), HEAVY ? 6 : 1))];
      await expectNoWin("CAPS", art, SRC, TPL, muts, inputs, HEAVY ? 80 : 8, 0xb10c1);
    },
    FUZZ_TIMEOUT,
  );

  it(
    "input/blob windows (CAPS_IO, aux blocks): no tampering reaches the post-root check",
    async () => {
      const inputs = await auxReadWindows(blkBuild(CAPS_IO), "blocks of input!", 45, HEAVY ? 6 : 1);
      expect(inputs.length).toBeGreaterThanOrEqual(2);
      await expectNoWin("CAPS_IO", artIo, SRC, TPL, muts, inputs, HEAVY ? 80 : 8, 0xb10c2);
    },
    FUZZ_TIMEOUT,
  );
});

describe.runIf(HEAVY)("liar vs RvStepsBlk(4) with the production caps of m = 4 (heavy: two more compiles)", () => {
  it("blk and blkio windows of guests and input/blob reads: no tampering reaches the post-root check", async () => {
    const blk = blkCapsFor(M, "blk");
    const blkio = blkCapsFor(M, "blkio");
    const [aBlk, aBlkio] = await Promise.all([compileBlk(M, blk), compileBlk(M, blkio)]);
    const guests = await guestWindows(
      ["hello", "sort", "matmul_int", "linkedlist", "badjump", "exitcode"],
      blkBuild(blk),
      6,
    );
    const io = await auxReadWindows(blkBuild(blkio), "blocks of input!", 45, 6);
    expect(io.length).toBeGreaterThanOrEqual(2);
    for (const [a, inputs, seed] of [
      [aBlk, guests, 0xb10c3],
      [aBlkio, io, 0xb10c4],
    ] as const)
      await expectNoWin(a.name, a, SRC, TPL, muts, inputs, 60, seed);
  }, 1_800_000);
});
