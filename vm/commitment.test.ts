import { describe, it, expect, beforeAll } from "vitest";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { loadElf, ElfError } from "./elf.ts";
import { Machine, blobKey } from "./machine.ts";
import { WordTree, rootFromProof, zeroHashes } from "./merkle.ts";
import { MEM_TREE, CODE_BASE, W } from "./layout.ts";
import { initPoseidon, poseidon2, poseidon4 } from "./poseidon/index.ts";
import { Trace } from "./trace.ts";
import { stepWitness } from "./witness.ts";
import { verifyStep, WitnessError } from "./verify.ts";
import { Rng } from "../lib/rng.ts";

const guest = (n: string) => readFileSync(new URL(`./guests/bin/${n}.elf`, import.meta.url));

beforeAll(async () => {
  await initPoseidon();
});

describe("Poseidon", () => {
  it("matches circomlibjs on random inputs (P2 and P4)", async () => {
    const { buildPoseidon } = createRequire(import.meta.url)("circomlibjs");
    const ref = await buildPoseidon();
    const rng = new Rng(7);
    for (let i = 0; i < 50; i++) {
      const x = Array.from({ length: 4 }, () => BigInt(rng.u32()) * BigInt(rng.u32()));
      expect(poseidon2(x[0]!, x[1]!)).toBe(ref.F.toObject(ref([x[0], x[1]])));
      expect(poseidon4(x[0]!, x[1]!, x[2]!, x[3]!)).toBe(ref.F.toObject(ref(x)));
    }
  });
});

describe("state commitment", () => {
  it("the incremental root of a run equals the root recomputed from scratch", async () => {
    const m = await Machine.create(loadElf(guest("sort")));
    m.run(50_000);
    const incremental = m.stateRoot(); // memory tree synced incrementally from the initial image
    const fresh = new WordTree(MEM_TREE, m.m32.slice());
    expect(m.memTree.root()).toBe(fresh.root());
    m.run();
    const again = m.stateRoot();
    expect(again).not.toBe(incremental);
    expect(new WordTree(MEM_TREE, m.m32.slice()).root()).toBe(m.memTree.root());
  });
  it("a memory proof verifies and a tampered one does not", async () => {
    const tr = await Trace.create(loadElf(guest("primes")));
    const { word, proof, memRoot } = tr.memoryProof(1000, 0x20000);
    expect(rootFromProof(MEM_TREE, 0x20000 >>> 2, BigInt(word), proof)).toBe(memRoot);
    expect(rootFromProof(MEM_TREE, 0x20000 >>> 2, BigInt(word + 1), proof)).not.toBe(memRoot);
    const bad = [...proof];
    bad[7] = bad[7]! + 1n;
    expect(rootFromProof(MEM_TREE, 0x20000 >>> 2, BigInt(word), bad)).not.toBe(memRoot);
    expect(rootFromProof(MEM_TREE, (0x20000 >>> 2) + 1, BigInt(word), proof)).not.toBe(memRoot);
  });
  it("an empty tree's root is the chain of zero hashes", () => {
    expect(new WordTree({ arity: 4, depth: 3 }).root()).toBe(zeroHashes({ arity: 4, depth: 3 })[3]);
    expect(zeroHashes({ arity: 2, depth: 1 })[1]).toBe(poseidon2(0n, 0n));
  });
  it("the trace gives the same root at step t whether reached forwards or backwards", async () => {
    const tr = await Trace.create(loadElf(guest("collatz")), { snapshotEvery: 1 << 14 });
    const late = tr.rootAt(900_000);
    const early = tr.rootAt(12_345);
    expect(tr.rootAt(900_000)).toBe(late);
    expect(tr.rootAt(12_345)).toBe(early);
    expect(tr.rootAt(tr.length + 1000)).toBe(tr.rootAt(tr.length));
  });
});

describe("step witnesses", () => {
  it("the witness verifier's post-root equals the machine's on every step of a run", async () => {
    const tr = await Trace.create(loadElf(guest("echo_input")), {
      input: new TextEncoder().encode("0123456789abcdef!"),
    });
    const m = tr.seek(0);
    for (let t = 0; t <= tr.length; t++) {
      const pre = m.stateRoot();
      const w = stepWitness(m);
      m.stepSlow();
      expect(verifyStep(pre, w)).toBe(m.stateRoot());
    }
  }, 300_000);
  it("covers the preimage oracle: key selection and blob reads", async () => {
    const blob = new Uint8Array(37).map((_, i) => (i * 41) & 0xff);
    const key = blobKey(blob);
    const words = new Uint32Array(8);
    let k = key;
    for (let i = 7; i >= 0; i--) {
      words[i] = Number(k & 0xffffffffn);
      k >>= 32n;
    }
    const input = new Uint8Array(words.buffer);
    const tr = await Trace.create(loadElf(guest("preimage")), { input, preimages: [blob] });
    expect(new TextDecoder().decode(tr.machine.stdout())).toBe("");
    // every syscall step (key writes, blob reads, output) and a sample of the others
    let checked = 0;
    for (let t = 0; t <= tr.length; t++) {
      const m = tr.seek(t);
      const isEcall = m.m32[m.pc >>> 2] === 0x73;
      if (!isEcall && t % 25 !== 0) continue;
      const pre = m.stateRoot();
      const w = stepWitness(m);
      m.stepSlow();
      expect(verifyStep(pre, w)).toBe(m.stateRoot());
      checked++;
    }
    expect(checked).toBeGreaterThan(40);
    expect(new TextDecoder().decode(tr.seek(tr.length).stdout())).toMatch(/^blob words 9 hash /);
  }, 300_000);
  it("a halted state is a fixed point: roots and witnesses at every t >= the halt are the halted state's, and its step verifies to itself", async () => {
    const tr = await Trace.create(loadElf(guest("echo_input")), { input: new TextEncoder().encode("hi") });
    expect(tr.halted).toBe(true);
    const halt = tr.rootAt(tr.length);
    for (const t of [tr.length, tr.length + 1, tr.length + 7, 10 * tr.length + 3]) {
      expect(tr.rootAt(t)).toBe(halt);
      const w = tr.witnessAt(t);
      expect(w).toEqual(tr.witnessAt(tr.length));
      expect(verifyStep(tr.rootAt(t), w)).toBe(halt);
    }
    expect(tr.rootAt(tr.length - 1)).not.toBe(halt);
  });
  it("a trace cut by maxSteps is not clamped: a step past the cut is the run's own state", async () => {
    const full = await Trace.create(loadElf(guest("echo_input")), { input: new TextEncoder().encode("hi") });
    const cut = await Trace.create(loadElf(guest("echo_input")), {
      input: new TextEncoder().encode("hi"),
      maxSteps: 10,
    });
    expect(cut.halted).toBe(false);
    expect(cut.length).toBe(10);
    for (const t of [9, 10, 11, 25, full.length + 3]) expect(cut.rootAt(t)).toBe(full.rootAt(t));
  });
  it("rejects tampered witnesses", async () => {
    const tr = await Trace.create(loadElf(guest("sort")));
    const t = 5000;
    const pre = tr.rootAt(t);
    const w = tr.witnessAt(t);
    const post = tr.rootAt(t + 1);
    expect(verifyStep(pre, w)).toBe(post);
    const tamper = (i: number, d = 1n) => {
      const x = [...w];
      x[i] = x[i]! + d;
      return x;
    };
    for (const i of [
      0,
      3,
      W.INSN,
      W.CODE_PROOF + 3,
      W.REG_READS + 1,
      W.REG_READS + 3,
      W.REG_WRITE + 1,
      W.MEM + 1,
      W.MEM + 10,
      W.INPUT,
    ]) {
      let out: bigint | undefined;
      try {
        out = verifyStep(pre, tamper(i));
      } catch (e) {
        expect(e).toBeInstanceOf(WitnessError);
        continue;
      }
      expect(out, `tampering offset ${i} must not yield the honest post-root`).not.toBe(post);
    }
    expect(() => verifyStep(pre, w.slice(1))).toThrow(WitnessError);
    expect(() => verifyStep(pre + 1n, w)).toThrow(WitnessError);
  });
});

describe("ELF loader", () => {
  const good = guest("hello");
  const patched = (f: (b: Uint8Array, dv: DataView) => void) => {
    const b = new Uint8Array(good);
    f(b, new DataView(b.buffer));
    return b;
  };
  const cases: [string, Uint8Array, RegExp][] = [
    ["truncated header", good.subarray(0, 20), /truncated ELF header/],
    [
      "bad magic",
      patched((b) => {
        b[0] = 0;
      }),
      /bad magic/,
    ],
    [
      "64-bit class",
      patched((b) => {
        b[4] = 2;
      }),
      /ELF32/,
    ],
    [
      "big-endian",
      patched((b) => {
        b[5] = 2;
      }),
      /little-endian/,
    ],
    ["wrong machine", patched((_, dv) => dv.setUint16(18, 62, true)), /RISC-V/],
    ["not executable", patched((_, dv) => dv.setUint16(16, 3, true)), /ET_EXEC/],
    [
      "segment outside memory",
      patched((_, dv) => dv.setUint32(dv.getUint32(28, true) + 32 + 8, 0x3ff000, true)),
      /outside memory|overlap/,
    ],
    ["truncated segment data", good.subarray(0, 0x1010), /beyond end of file/],
    ["entry outside code", patched((_, dv) => dv.setUint32(24, 0x20000, true)), /entry point/],
  ];
  for (const [name, bytes, re] of cases) {
    it(`rejects a malformed file: ${name}`, () => {
      let err: unknown;
      try {
        loadElf(bytes);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ElfError);
      expect((err as ElfError).message).toMatch(re);
    });
  }
  it("rejects overlapping segments", () => {
    const b = patched((_, dv) => {
      const ph = dv.getUint32(28, true);
      dv.setUint32(ph + 32 + 8, CODE_BASE + 0x40, true);
      dv.setUint32(ph + 32 + 24, 6, true);
    });
    expect(() => loadElf(b)).toThrow(/overlap/);
  });
  it("zero-fills .bss and starts at the entry", async () => {
    const p = loadElf(guest("primes"));
    expect(p.entry).toBe(CODE_BASE);
    expect(p.image.subarray(0x20000 + 64, 0x20000 + 20000).every((x) => x === 0)).toBe(true);
  });
});
