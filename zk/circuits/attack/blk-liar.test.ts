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
 * Targeted block-specific attacks first (each expected to hold), then a seeded mutation fuzzer over
 * honest windows of committed guests (CAPS) and input / blob reading windows (CAPS_IO).
 * ZKFP_HEAVY=1 runs 10x the mutations over more windows, and the same fuzzer over the production caps
 * of m = 4 (`blkCapsFor(4, "blk")`: one W block, `"blkio"`: 4-word memory blocks with 16-word aux
 * blocks), two more compiles.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { blkCapsFor, compileBlk, type BlkCaps, type CircuitArtifacts } from "../build.ts";
import { blkInputFromMachine, blkInputFromTrace, type BlkInput } from "../blk/input.ts";
import { WindowFitError } from "../mem/input.ts";
import { Machine, blobKey } from "../../../vm/machine.ts";
import { Trace } from "../../../vm/trace.ts";
import { loadElf, type Program } from "../../../vm/elf.ts";
import { MEM_SIZE, CODE_BASE } from "../../../vm/layout.ts";
import { FIELD_MODULUS as P, initPoseidon } from "../../../vm/poseidon/index.ts";

const M = 4;
const CAPS: BlkCaps = { CJ: 2, CB: 1, CS: 2, MJ: 1, KR: 2, KW: 2, H: 2, AJ: 1, A: 0 };
const CAPS_IO: BlkCaps = { CJ: 2, CB: 1, CS: 2, MJ: 0, KR: 2, KW: 2, H: 2, AJ: 1, A: 2 };
const HEAVY = process.env.ZKFP_HEAVY === "1";
let art: CircuitArtifacts;
let artIo: CircuitArtifacts;

const SRC = readFileSync(new URL("../blk/rv32im_blk.circom", import.meta.url), "utf8").split("\n");
/** Compiled-source line shift (the compile cache ignores comments): learned from a post-root probe. */
let shift = 0;
const srcLine = (marker: string) => {
  const hits = SRC.flatMap((l, i) => (l.includes(marker) ? [i + 1] : []));
  if (hits.length !== 1) throw new Error(`marker ${marker} found ${hits.length} times`);
  return hits[0]!;
};
const lineOf = (marker: string) => srcLine(marker) - shift;
const POST = () => lineOf("post.root === postRoot");

type Calc = { calculateWitness(input: unknown, sanityCheck: boolean): Promise<bigint[]> };
const calcs = new Map<string, { c: Calc; frames: number }>();
/** Witness generator verdict and the assert frames this call added (innermost first). */
async function verdict(
  a: CircuitArtifacts,
  input: BlkInput,
): Promise<{ ok: true } | { ok: false; trace: { tpl: string; line: number }[] }> {
  let e0 = calcs.get(a.wasm);
  if (!e0) {
    const pkg = join(a.dir, `${a.name}_js`, "package.json");
    if (!existsSync(pkg)) writeFileSync(pkg, '{ "type": "commonjs" }\n'); // circom emits CommonJS
    const builder = createRequire(import.meta.url)(join(a.dir, `${a.name}_js`, "witness_calculator.js")) as (
      code: Buffer,
    ) => Promise<Calc>;
    e0 = { c: await builder(readFileSync(a.wasm)), frames: 0 };
    calcs.set(a.wasm, e0);
  }
  try {
    await e0.c.calculateWitness(input, true);
    return { ok: true };
  } catch (e) {
    const all = [...String((e as Error).message).matchAll(/template (\w+?)_\d+ line: (\d+)/g)].map((x) => ({
      tpl: x[1]!,
      line: Number(x[2]),
    }));
    const trace = all.length > e0.frames ? all.slice(e0.frames) : all;
    e0.frames = all.length;
    return { ok: false, trace };
  }
}
async function stoppedAt(a: CircuitArtifacts, input: BlkInput): Promise<number | "accepted" | "malformed"> {
  const v = await verdict(a, input);
  if (v.ok) return "accepted";
  const top = v.trace.filter((f) => f.tpl === "RvStepsBlk").at(-1);
  return top ? top.line : "malformed";
}

function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}
type Rng = ReturnType<typeof rng>;

const guest = (n: string) => loadElf(readFileSync(new URL(`../../../vm/guests/bin/${n}.elf`, import.meta.url)));
const T32 = 1n << 32n;
const fe = (x: bigint) => (((x % P) + P) % P).toString();
const add = (v: string, d: bigint) => fe(BigInt(v) + d);

function windows(tr: Trace, caps: BlkCaps, limit: number, want?: (i: BlkInput) => boolean): BlkInput[] {
  const out: BlkInput[] = [];
  const stride = want ? 1 : Math.max(1, Math.floor(tr.length / (limit * 8)));
  for (let t = 0; t + M <= tr.length && out.length < limit; t += stride) {
    try {
      const inp = blkInputFromTrace(tr, t, M, caps);
      if (!want || want(inp)) out.push(inp);
    } catch (e) {
      if (!(e instanceof WindowFitError)) throw e;
    }
  }
  return out;
}

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
type Mut = { name: string; apply(i: BlkInput, g: Rng): boolean };
const muts: Mut[] = [
  {
    name: "scalar += delta",
    apply(i, g) {
      const xs = i[g.pick(FLAT)];
      if (!xs.length) return false;
      const k = g.int(xs.length);
      xs[k] = add(xs[k]!, g.pick(DELTAS));
      return true;
    },
  },
  {
    name: "block word += delta",
    apply(i, g) {
      const bs = i[g.pick(BLOCKS)];
      if (!bs.length) return false;
      const b = bs[g.int(bs.length)]!;
      const k = g.int(b.length);
      b[k] = add(b[k]!, g.pick(DELTAS));
      return true;
    },
  },
  {
    name: "block words rotated / swapped",
    apply(i, g) {
      const bs = i[g.pick(BLOCKS)];
      if (!bs.length) return false;
      const b = bs[g.int(bs.length)]!;
      if (b.length < 2) return false;
      const before = b.join();
      if (g.int(2) === 0) b.push(b.shift()!);
      else {
        const x = g.int(b.length),
          y = g.int(b.length);
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
      const a = g.int(xs.length),
        b = g.int(xs.length);
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
      const row = rows[g.int(rows.length)]!;
      if (!row.length) return false;
      const k = g.int(row.length);
      const before = row.join();
      const op = g.int(3);
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
      const row = rows[g.int(rows.length)]!;
      if (row.length < 2) return false;
      const a = g.int(row.length);
      let b = g.int(row.length);
      if (a === b) b = (a + 1) % row.length;
      const x = g.pick([2n, P - 1n, (P + 1n) / 2n, BigInt(g.int(1 << 30)) + 2n]);
      const s = BigInt(row[a]!) + BigInt(row[b]!);
      row[a] = fe(x);
      row[b] = fe(s - x);
      return true;
    },
  },
  {
    name: "step reads another block's word",
    apply(i, g) {
      const j = g.int(M);
      const KR = i.rAddr.length;
      const K = KR + i.wAddr.length;
      if (!K) return false;
      const k = g.int(K);
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
      const j = g.int(M);
      const all = [...i.cbWord, ...i.csWord];
      const c = g.int(all.length);
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
      const p = ps[g.int(ps.length)]!;
      const k = g.int(p.length);
      p[k] = add(p[k]!, g.pick([1n, -1n]));
      return true;
    },
  },
];

function mutate(inp: BlkInput, g: Rng): { input: BlkInput; what: string[] } {
  for (;;) {
    const x = structuredClone(inp);
    const what: string[] = [];
    const n = 1 + (g.next() < 0.3 ? 1 : 0);
    while (what.length < n) {
      const m = g.pick(muts);
      if (m.apply(x, g)) what.push(m.name);
    }
    if (JSON.stringify(x) !== JSON.stringify(inp)) return { input: x, what };
  }
}

async function fuzz(a: CircuitArtifacts, inputs: BlkInput[], perWindow: number, seed: number) {
  const g = rng(seed);
  // the post-root line of THIS compile (a cached compile of an older comment layout shifts lines)
  const post = await stoppedAt(a, { ...inputs[0]!, postRoot: add(inputs[0]!.postRoot, 1n) });
  if (typeof post !== "number") throw new Error(`post-root probe did not fail in ${a.name}`);
  const sh = srcLine("post.root === postRoot") - post;
  const wins: { what: string[]; input: BlkInput }[] = [];
  const stops = new Map<string, number>();
  let accepted = 0;
  for (const inp of inputs) {
    expect(await stoppedAt(a, inp)).toBe("accepted");
    for (let n = 0; n < perWindow; n++) {
      const { input, what } = mutate(inp, g);
      const at = await stoppedAt(a, input);
      if (at === "accepted") {
        accepted++;
        continue;
      }
      if (at === post) wins.push({ what, input });
      const key = at === "malformed" ? "malformed" : (SRC[at + sh - 1] ?? `line ${at}`).trim().slice(0, 60);
      stops.set(key, (stops.get(key) ?? 0) + 1);
    }
  }
  return { wins, stops, accepted };
}

// ---------------------------------------------------------------- programs
const I = (imm: number, rs1: number, f3: number, rd: number, op: number) =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const S = (imm: number, rs2: number, rs1: number, f3: number) =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 31) << 7) | 0x23) >>> 0;
const ADDI = (rd: number, rs1: number, imm: number) => I(imm, rs1, 0, rd, 0x13);
const LW = (rd: number, rs1: number, imm: number) => I(imm, rs1, 2, rd, 0x03);
const SW = (rs2: number, rs1: number, imm: number) => S(imm, rs2, rs1, 2);

function program(words: Record<number, number>, len = 64): Program {
  const image = new Uint8Array(MEM_SIZE);
  const dv = new DataView(image.buffer);
  for (let i = 0; i < len; i++) dv.setUint32(CODE_BASE + 4 * i, words[i] ?? 0x13, true);
  return {
    entry: CODE_BASE,
    segments: [{ vaddr: CODE_BASE, memsz: 4 * len, data: image.subarray(CODE_BASE, CODE_BASE + 4 * len), flags: 5 }],
    image,
  };
}

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

async function preimageTrace(len: number): Promise<Trace> {
  const blob = new Uint8Array(len).map((_, i) => (i * 41 + 3) & 0xff);
  let k = blobKey(blob);
  const words = new Uint32Array(8);
  for (let i = 7; i >= 0; i--) {
    words[i] = Number(k & 0xffffffffn);
    k >>= 32n;
  }
  return Trace.create(guest("preimage"), { input: new Uint8Array(words.buffer), preimages: [blob] });
}

beforeAll(async () => {
  await initPoseidon();
  [art, artIo] = await Promise.all([compileBlk(M, CAPS), compileBlk(M, CAPS_IO)]);
  const { inp } = await storeLoadWrite();
  const at = await stoppedAt(art, { ...inp, postRoot: add(inp.postRoot, 1n) });
  if (typeof at !== "number") throw new Error("post-root probe did not fail in RvStepsBlk");
  shift = srcLine("post.root === postRoot") - at;
}, 900_000);

// ---------------------------------------------------------------- tests
describe("liar vs RvStepsBlk(4): targeted block attacks (all expected to hold)", () => {
  it("a write changes only its own word of a 4-word W block; a neighbour word forged in the final block is refused", async () => {
    const { inp } = await storeLoadWrite();
    expect(await stoppedAt(art, inp)).toBe("accepted");
    const k = inp.wAddr.indexOf(String(0x20000 >>> 4));
    expect(k).toBeGreaterThanOrEqual(0);
    // the liar wants word 2 of the written block to end as X (no step writes it): it can only present
    // a different INITIAL word 2, which no longer opens under the pre memRoot
    const forged = structuredClone(inp);
    forged.wInit[k]![2] = "7";
    const at = await stoppedAt(art, forged);
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
    expect(await stoppedAt(art, w3)).toBe(lineOf("mValSum === memWord[j];"));
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
    expect(await stoppedAt(r.rAddr.length ? art : art, r)).toBe("accepted"); // a spare genuine R block is harmless
    r.selM[2] = r.selM[2]!.map((_, i) => (i === 0 ? "1" : "0"));
    r.memWord[2] = r.rWord[0]![1]!;
    expect(await stoppedAt(art, r)).toBe(lineOf("mIdxSum === mHi;"));
  }, 60_000);

  it("a code block index off by a multiple of 4^(CJ-1) with the matching low-bit shift is refused", async () => {
    const { inp } = await storeLoadWrite();
    // cbIdx * 16 + low == codeIdx: the liar moves the block one down and compensates through a small block
    const c = structuredClone(inp);
    c.cbIdx[0] = add(c.cbIdx[0]!, 1n << 12n); // above the 10-bit block index range (aliases nothing)
    const at = await stoppedAt(art, c);
    expect(at).not.toBe("accepted");
    expect(at).not.toBe(POST());
  }, 60_000);
});

describe("liar vs RvStepsBlk(4): seeded mutation fuzzer (a stop only at the post-root would be a win)", () => {
  it("guest windows (CAPS, 4-word memory blocks): no tampering reaches the post-root check", async () => {
    const inputs: BlkInput[] = [(await storeLoadWrite()).inp];
    for (const name of HEAVY
      ? ["hello", "sort", "matmul_int", "linkedlist", "badjump", "exitcode"]
      : ["hello", "sort"]) {
      const tr = await Trace.create(guest(name), { maxSteps: 4000 });
      const halts = tr.length < 4000;
      inputs.push(...windows(tr, CAPS, HEAVY ? 6 : 1).filter((i) => halts || Number(i.step) + M <= tr.length));
    }
    const { wins, stops, accepted } = await fuzz(art, inputs, HEAVY ? 80 : 8, 0xb10c1);
    // eslint-disable-next-line no-console
    console.log(`CAPS: ${inputs.length} windows; stopped at`, Object.fromEntries(stops), `accepted: ${accepted}`);
    expect(wins.map((w) => w.what)).toEqual([]);
  }, 600_000);

  it("input/blob windows (CAPS_IO, aux blocks): no tampering reaches the post-root check", async () => {
    const echo = await Trace.create(guest("echo_input"), { input: new TextEncoder().encode("blocks of input!") });
    const pre = await preimageTrace(45);
    const reads = (i: BlkInput) => i.selA.some((r) => r.includes("1"));
    const inputs = [
      ...windows(echo, CAPS_IO, HEAVY ? 6 : 1, reads),
      ...windows(pre, CAPS_IO, HEAVY ? 6 : 1, (i) => i.aKind.includes("1") && reads(i)),
    ];
    expect(inputs.length).toBeGreaterThanOrEqual(2);
    const { wins, stops, accepted } = await fuzz(artIo, inputs, HEAVY ? 80 : 8, 0xb10c2);
    // eslint-disable-next-line no-console
    console.log(`CAPS_IO: ${inputs.length} windows; stopped at`, Object.fromEntries(stops), `accepted: ${accepted}`);
    expect(wins.map((w) => w.what)).toEqual([]);
  }, 600_000);
});

describe.runIf(HEAVY)("liar vs RvStepsBlk(4) with the production caps of m = 4 (heavy: two more compiles)", () => {
  it("blk and blkio windows of guests and input/blob reads: no tampering reaches the post-root check", async () => {
    const blk = blkCapsFor(M, "blk");
    const blkio = blkCapsFor(M, "blkio");
    const [aBlk, aBlkio] = await Promise.all([compileBlk(M, blk), compileBlk(M, blkio)]);
    const guests: BlkInput[] = [];
    for (const name of ["hello", "sort", "matmul_int", "linkedlist", "badjump", "exitcode"]) {
      const tr = await Trace.create(guest(name), { maxSteps: 4000 });
      const halts = tr.length < 4000;
      guests.push(...windows(tr, blk, 6).filter((i) => halts || Number(i.step) + M <= tr.length));
    }
    const echo = await Trace.create(guest("echo_input"), { input: new TextEncoder().encode("blocks of input!") });
    const pre = await preimageTrace(45);
    const reads = (i: BlkInput) => i.selA.some((r) => r.includes("1"));
    const io = [...windows(echo, blkio, 6, reads), ...windows(pre, blkio, 6, (i) => i.aKind.includes("1") && reads(i))];
    expect(io.length).toBeGreaterThanOrEqual(2);
    for (const [a, inputs, seed] of [
      [aBlk, guests, 0xb10c3],
      [aBlkio, io, 0xb10c4],
    ] as const) {
      const { wins, stops, accepted } = await fuzz(a, inputs, 60, seed);
      // eslint-disable-next-line no-console
      console.log(
        `${a.name}: ${inputs.length} windows; stopped at`,
        Object.fromEntries(stops),
        `accepted: ${accepted}`,
      );
      expect(wins.map((w) => w.what)).toEqual([]);
    }
  }, 1_800_000);
});
