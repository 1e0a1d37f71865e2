/**
 * Soundness and differential tests of the m-step RV32IM circuit (rv32im.circom) against the TS
 * machine (vm/machine.ts) and one-step verifier (vm/verify.ts).
 *
 *  - differential: seeded random instructions of every class (ALU, M, shifts, branches, jumps,
 *    loads/stores incl. sub-word and faulting addresses, ECALL exit/write/read/ENOSYS/EBADF/
 *    EFAULT/EINVAL, fetch traps, EBREAK, FENCE, illegal words) with random registers, run on the
 *    Machine; the circuit must accept the witness whose post-root is the Machine's (the circuit
 *    asserts postRoot) and reject the same witness with another post-root;
 *  - guests: real programs (input reads, output writes, exit) over a trace window;
 *  - tampering: wrong register / memory value, wrong Merkle sibling (code, memory, aux), wrong
 *    post-root, a skipped step, and single-wire edits of hint signals checked against the R1CS.
 *
 * The circuit (m = 2) is compiled once and cached under .cache/zk-circuits/ (build.ts).
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { compileSteps, type CircuitArtifacts } from "./build.ts";
import { calculateWitness, firstUnsatisfied, readR1cs, readSym, publicSignals, type R1cs } from "./harness.ts";
import { circuitInputFromMachine, circuitInputFromTrace, variantFor, type CircuitInput } from "../witness-input.ts";
import { Machine } from "../../vm/machine.ts";
import { Trace } from "../../vm/trace.ts";
import { loadElf } from "../../vm/elf.ts";
import { MEM_SIZE, CODE_BASE } from "../../vm/layout.ts";
import { verifyStep } from "../../vm/verify.ts";
import { stepWitness } from "../../vm/witness.ts";
import { initPoseidon } from "../../vm/poseidon/index.ts";
import { Bt, I, J, R, S, program } from "./testing.ts";
import { Rng as SeededRng } from "../../lib/rng.ts";

const M = 2;
let art: CircuitArtifacts;
let r1cs: R1cs;

beforeAll(async () => {
  await initPoseidon(); // blobKey() below hashes before any Machine is created
  art = await compileSteps(M);
  r1cs = readR1cs(art.r1cs);
});

/** The repo's seeded generator (lib/rng.ts) under this file's short names. */
function rng(seed: number) {
  const g = new SeededRng(seed);
  return {
    next: () => g.uniform(),
    int: (n: number) => g.below(n),
    pick: <T>(xs: readonly T[]): T => g.pick(xs),
    u32: () => g.u32(),
  };
}
type Rng = ReturnType<typeof rng>;

const EDGE = [0, 1, 2, 3, 4, 31, 32, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x80000001] as const;
const r = (g: Rng) => 1 + g.int(31);
/** A random data address: mostly inside the data region, sometimes in code or outside memory. */
function addr(g: Rng): number {
  const k = g.int(10);
  if (k < 7) return 0x20000 + g.int(0x1000);
  if (k < 8) return CODE_BASE + g.int(0x100);
  if (k < 9) return MEM_SIZE - 4 + g.int(8);
  return g.u32();
}

type Setup = (m: Machine, g: Rng) => void;
type Case = { words: number[]; setup?: Setup };
type Gen = (g: Rng) => Case;

const BLOB = new TextEncoder().encode("preimage blob for the fd 5 reads, long enough to span words");
const INPUT = new TextEncoder().encode("input stream bytes 0123456789");

const classes: Record<string, Gen> = {
  "OP (base)": (g) => ({
    words: [0, 1].map(() => {
      const f3 = g.int(8);
      const f7 = (f3 === 0 || f3 === 5) && g.next() < 0.5 ? 0x20 : 0;
      return R(f7, g.int(32), g.int(32), f3, g.int(32), 0x33);
    }),
  }),
  "OP-IMM": (g) => ({
    words: [0, 1].map(() => {
      const f3 = g.int(8);
      const imm = f3 === 1 ? g.int(32) : f3 === 5 ? g.int(32) | (g.next() < 0.5 ? 0x400 : 0) : g.int(4096);
      return I(imm, g.int(32), f3, g.int(32), 0x13);
    }),
  }),
  "M extension": (g) => ({ words: [0, 1].map(() => R(1, r(g), r(g), g.int(8), g.int(32), 0x33)) }),
  "LUI/AUIPC": (g) => ({
    words: [0, 1].map(() => ((g.u32() & 0xfffff000) | (g.int(32) << 7) | g.pick([0x37, 0x17])) >>> 0),
  }),
  "JAL/JALR": (g) => ({
    words: [
      g.next() < 0.5
        ? J(g.pick([4, 8, -4, 2, 0x1000, g.int(1 << 20) * 2 - (1 << 20)]), g.int(32))
        : I(g.int(4096), r(g), 0, g.int(32), 0x67),
      0x13,
    ],
    setup: (m, g) => {
      for (let i = 1; i < 32; i++) if (g.next() < 0.5) m.regs[i] = CODE_BASE + g.int(64);
    },
  }),
  branches: (g) => ({
    words: [Bt(g.pick([8, -8, 4, 6, 0x800, -4096]), r(g), r(g), g.pick([0, 1, 4, 5, 6, 7])), 0x13],
    setup: (m, g) => {
      const v = g.pick(EDGE) | 0;
      for (let i = 1; i < 32; i++) if (g.next() < 0.4) m.regs[i] = v;
    },
  }),
  loads: (g) => {
    const rs1 = r(g),
      imm = g.int(4096) - 2048;
    return {
      words: [I(imm & 0xfff, rs1, g.pick([0, 1, 2, 4, 5]), g.int(32), 0x03), 0x13],
      setup: (m, g) => {
        m.regs[rs1] = (addr(g) - imm) | 0;
      },
    };
  },
  stores: (g) => {
    const rs1 = r(g),
      imm = g.int(4096) - 2048;
    return {
      words: [S(imm, g.int(32), rs1, g.int(3)), I(0, rs1, 2, 5, 0x03)],
      setup: (m, g) => {
        m.regs[rs1] = (addr(g) - imm) | 0;
      },
    };
  },
  "ecall exit/ENOSYS/EBADF": (g) => ({
    words: [0x73, 0x73],
    setup: (m, g) => {
      m.regs[17] = g.pick([93, 94, 17, 64, 63, 0]);
      m.regs[10] = g.pick([3, 4, 7, 0xffffffff, 1]);
      m.regs[11] = addr(g);
      m.regs[12] = g.pick(EDGE);
    },
  }),
  "ecall write": (g) => ({
    words: [0x73, 0x73],
    setup: (m, g) => {
      m.regs[17] = 64;
      m.regs[10] = g.pick([1, 2, 6, 6, 3]);
      m.regs[11] = addr(g);
      m.regs[12] = g.pick([0, 1, 2, 3, 4, 5, 100, 0xffffffff]);
      m.preimageKey = BigInt(g.u32());
    },
  }),
  "ecall read": (g) => ({
    words: [0x73, 0x73],
    setup: (m, g) => {
      m.regs[17] = 63;
      m.regs[10] = g.pick([0, 0, 5, 5, 4]);
      m.regs[11] = addr(g);
      m.regs[12] = g.pick([0, 1, 2, 3, 4, 7, 0xffffffff]);
      m.inputPos = g.int(INPUT.length + 1);
      m.preimageKey = m.addPreimage(BLOB);
      m.preimageOffset = g.int(BLOB.length + 1);
    },
  }),
  "fetch traps, EBREAK, FENCE, illegal": (g) => ({
    words: [g.pick([0x00100073, 0x0000000f, 0x0ff0000f, g.u32(), g.u32() | 3, 0x00200073, 0x00001073]), g.u32()],
    setup: (m, g) => {
      const k = g.int(4);
      if (k === 0) m.pc = CODE_BASE + 2;
      else if (k === 1) m.pc = g.pick([0x20000, 0xfffc, 0, 0x400000]);
    },
  }),
};

async function machineFor(c: Case, g: Rng): Promise<Machine> {
  const m = await Machine.create(program(c.words), { input: INPUT });
  for (let i = 1; i < 32; i++) m.regs[i] = (g.next() < 0.4 ? g.pick(EDGE) : g.u32()) | 0;
  for (let k = 0; k < 64; k++) m.m32[(0x20000 >>> 2) + g.int(0x400)] = g.u32();
  m.m32[(MEM_SIZE >>> 2) - 1] = g.u32();
  c.setup?.(m, g);
  return m;
}

async function accepts(input: CircuitInput): Promise<boolean> {
  try {
    await calculateWitness(art, input);
    return true;
  } catch {
    return false;
  }
}

describe("RvSteps(2) against the TS machine", () => {
  for (const [name, gen] of Object.entries(classes)) {
    it(`agrees with the machine on random ${name} instructions`, async () => {
      const g = rng([...name].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7));
      for (let n = 0; n < 3; n++) {
        const c = gen(g);
        const seed = g.u32();
        // the TS one-step verifier is the twin the circuit mirrors: it must agree with the machine
        const mA = await machineFor(c, rng(seed));
        const pre = mA.stateRoot();
        const w0 = stepWitness(mA);
        mA.run(1);
        expect(verifyStep(pre, w0)).toBe(mA.stateRoot());
        const input = circuitInputFromMachine(await machineFor(c, rng(seed)), M);
        expect(input.preRoot).toBe(pre.toString());
        const wit = await calculateWitness(art, input).catch((e: Error) => {
          throw new Error(
            `circuit rejected a valid witness for ${c.words.map((x) => x.toString(16)).join(",")}: ${e.message.slice(0, 200)}`,
          );
        });
        expect(publicSignals(r1cs, wit)).toEqual([BigInt(input.preRoot), BigInt(input.postRoot)]);
        if (n === 0) expect(firstUnsatisfied(r1cs, wit)).toBe(-1);
        // same witness, another post-root: rejected
        expect(await accepts({ ...input, postRoot: input.preRoot })).toBe(input.postRoot === input.preRoot);
      }
    });
  }
});

const guest = (n: string) => loadElf(readFileSync(new URL(`../../vm/guests/bin/${n}.elf`, import.meta.url)));

/** Steps t whose instruction is ECALL with a7 = nr (and a0 = fd when given), found by stepping the trace's machine. */
function ecallSteps(tr: Trace, nr: number, fd?: number): number[] {
  const out: number[] = [];
  const m = tr.seek(0);
  while (!m.halted) {
    if (m.fetch() === 0x73 && m.regs[17] === nr && (fd === undefined || m.regs[10] === fd)) out.push(m.step);
    m.run(1);
  }
  return out;
}

describe("RvSteps(2) on M-extension edge cases", () => {
  it("matches the machine on x/0, x%0, INT_MIN/-1, signs and high products", async () => {
    const pairs: [number, number][] = [
      [0x80000000, 0xffffffff],
      [12345, 0],
      [0x80000000, 0],
      [-7 >>> 0, 2],
      [7, -2 >>> 0],
      [0xffffffff, 0x80000000],
    ];
    let n = 0;
    for (const [x, y] of pairs) {
      for (let f3 = 0; f3 < 8; f3 += 2) {
        const m = await Machine.create(program([R(1, 6, 5, f3, 7, 0x33), R(1, 10, 9, f3 + 1, 8, 0x33)]));
        m.regs[5] = x | 0;
        m.regs[6] = y | 0;
        m.regs[9] = x | 0;
        m.regs[10] = y | 0;
        const input = circuitInputFromMachine(m, M);
        expect(m.step).toBe(2);
        await calculateWitness(art, input).catch((e: Error) => {
          throw new Error(`f3 ${f3}/${f3 + 1} on ${x}, ${y}: ${e.message.slice(0, 120)}`);
        });
        n++;
      }
    }
    expect(n).toBe(24);
  });
});

describe("RvSteps(2) on guest programs", () => {
  it("accepts input reads, output writes and the exit of echo_input, and the halted fixed point", async () => {
    const tr = await Trace.create(guest("echo_input"), { input: new TextEncoder().encode("zk!") });
    const reads = ecallSteps(tr, 63, 0),
      writes = ecallSteps(tr, 64, 1);
    expect(reads.length).toBeGreaterThan(0);
    expect(writes.length).toBeGreaterThan(0);
    const starts = [
      0,
      reads[0]!,
      reads[reads.length - 1]!,
      writes[0]!,
      writes[writes.length - 1]! - 1,
      tr.length - 1,
      tr.length,
      tr.length + 5,
    ];
    for (const t of starts) {
      const input = circuitInputFromTrace(tr, t, M);
      expect(await accepts(input), `window at step ${t}`).toBe(true);
      expect(await accepts({ ...input, postRoot: tr.rootAt(t + M + 1).toString() })).toBe(
        input.postRoot === tr.rootAt(t + M + 1).toString(),
      );
    }
    const halted = circuitInputFromTrace(tr, tr.length, M);
    expect(halted.postRoot).toBe(halted.preRoot);
  });

  it("accepts preimage key writes (fd 6) and blob reads (fd 5)", async () => {
    const blob = new Uint8Array(37).map((_, i) => (i * 41) & 0xff);
    const { blobKey } = await import("../../vm/machine.ts");
    let k = blobKey(blob);
    const words = new Uint32Array(8);
    for (let i = 7; i >= 0; i--) {
      words[i] = Number(k & 0xffffffffn);
      k >>= 32n;
    }
    const tr = await Trace.create(guest("preimage"), { input: new Uint8Array(words.buffer), preimages: [blob] });
    const keyW = ecallSteps(tr, 64, 6),
      blobR = ecallSteps(tr, 63, 5);
    expect(keyW.length).toBe(8);
    expect(blobR.length).toBeGreaterThan(8);
    for (const t of [keyW[0]!, keyW[7]!, blobR[0]!, blobR[5]!, blobR[blobR.length - 1]!]) {
      const input = circuitInputFromTrace(tr, t, M);
      const wit = await calculateWitness(art, input);
      expect(publicSignals(r1cs, wit)).toEqual([tr.rootAt(t), tr.rootAt(t + M)]);
    }
  });
});

describe("RvSteps(2) rejects tampered witnesses", () => {
  let tr: Trace;
  let tLoad: number, tStore: number, tRead: number;
  beforeAll(async () => {
    tr = await Trace.create(guest("echo_input"), { input: new TextEncoder().encode("tamper test") });
    const find = (f: (insn: number) => boolean, from = 0) => {
      for (let t = from; t < tr.length; t++) if (f(Number(tr.witnessAt(t)[12]!))) return t;
      throw new Error("no such step");
    };
    tLoad = find((i) => (i & 0x7f) === 0x03);
    tStore = find((i) => (i & 0x7f) === 0x23);
    tRead = ecallSteps(tr, 63, 0)[0]!;
  });
  const bump = (x: string, d = 1n) => (BigInt(x) + d).toString();

  it("accepts the untampered windows (control)", async () => {
    for (const t of [tLoad, tStore, tRead]) expect(await accepts(circuitInputFromTrace(tr, t, M))).toBe(true);
  });

  it("rejects a wrong register value, with or without a matching pre-root", async () => {
    const inp = circuitInputFromTrace(tr, tLoad, M);
    const rs1 = (Number(inp.insn[0]) >>> 15) & 31;
    const regs = [...inp.regs];
    regs[rs1] = bump(regs[rs1]!, 4n);
    expect(await accepts({ ...inp, regs })).toBe(false);
    // a consistent but different pre-state (pre-root recomputed) still cannot reach the honest post-root
    const { stateRoot, fieldsFromArray } = await import("../../vm/state.ts");
    const { WordTree } = await import("../../vm/merkle.ts");
    const { REG_TREE } = await import("../../vm/layout.ts");
    const w = tr.witnessAt(tLoad);
    const f = fieldsFromArray(w.slice(0, 12));
    f.regsRoot = new WordTree(REG_TREE, Uint32Array.from(regs.map(Number))).root();
    expect(await accepts({ ...inp, regs, preRoot: stateRoot(f).toString() })).toBe(false);
    // x0 claimed non-zero
    expect(await accepts({ ...inp, regs: ["1", ...inp.regs.slice(1)] })).toBe(false);
  });

  it("rejects a wrong memory value", async () => {
    for (const t of [tLoad, tStore, tRead]) {
      const inp = circuitInputFromTrace(tr, t, M);
      expect(await accepts({ ...inp, memWord: [bump(inp.memWord[0]!), inp.memWord[1]!] })).toBe(false);
      expect(await accepts({ ...inp, auxWord: [bump(inp.auxWord[0]!), inp.auxWord[1]!] })).toBe(false);
    }
  });

  it("rejects a wrong Merkle sibling in the code, memory and aux proofs", async () => {
    const inp = circuitInputFromTrace(tr, tStore, M);
    const at = <T>(xs: T[][], j: number, i: number, f: (v: T) => T) =>
      xs.map((row, jj) => (jj === j ? row.map((v, ii) => (ii === i ? f(v) : v)) : row));
    for (const i of [0, 11, 20])
      expect(await accepts({ ...inp, codeProof: at(inp.codeProof, 0, i, (v) => bump(v)) })).toBe(false);
    for (const i of [0, 14, 29])
      expect(await accepts({ ...inp, memProof: at(inp.memProof, 0, i, (v) => bump(v)) })).toBe(false);
    for (const i of [2, 29])
      expect(await accepts({ ...inp, auxProof: at(inp.auxProof, 1, i, (v) => bump(v)) })).toBe(false);
    expect(await accepts({ ...inp, insn: [bump(inp.insn[0]!, 1n << 20n), inp.insn[1]!] })).toBe(false);
  });

  it("rejects a wrong post-root and a skipped step", async () => {
    const t = tRead;
    const inp = circuitInputFromTrace(tr, t, M);
    expect(await accepts({ ...inp, postRoot: tr.rootAt(t + M + 1).toString() })).toBe(false);
    expect(await accepts({ ...inp, postRoot: bump(inp.postRoot) })).toBe(false);
    // slots of steps t and t+2 (t+1 skipped), claiming the root after t+3 or after t+2
    const a = circuitInputFromTrace(tr, t, 1),
      c = circuitInputFromTrace(tr, t + 2, 1);
    const pick = <K extends keyof CircuitInput>(k: K) =>
      [...(a[k] as unknown[]), ...(c[k] as unknown[])] as CircuitInput[K];
    const skipped: CircuitInput = {
      ...inp,
      insn: pick("insn"),
      codeProof: pick("codeProof"),
      memWord: pick("memWord"),
      memProof: pick("memProof"),
      auxWord: pick("auxWord"),
      auxProof: pick("auxProof"),
      blobRoot: pick("blobRoot"),
      blobLen: pick("blobLen"),
    };
    expect(await accepts({ ...skipped, postRoot: tr.rootAt(t + 3).toString() })).toBe(false);
    expect(await accepts({ ...skipped, postRoot: tr.rootAt(t + 2).toString() })).toBe(false);
  });

  it("rejects single-wire edits of hints and results against the R1CS (wrong opcode result)", async () => {
    // a DIV then a REM on random operands, so the division hints are live
    const m = await Machine.create(program([R(1, 6, 5, 4, 7, 0x33), R(1, 6, 5, 6, 8, 0x33)]));
    m.regs[5] = -1234567;
    m.regs[6] = 321;
    const inp = circuitInputFromMachine(m, M);
    const wit = await calculateWitness(art, inp);
    expect(firstUnsatisfied(r1cs, wit)).toBe(-1);
    const sym = readSym(art.sym);
    const names = [
      "main.s[0].alu.q",
      "main.s[0].alu.r",
      "main.s[1].alu.q",
      "main.s[0].alu.res",
      "main.s[0].regsOut[7]",
      "main.s[0].f[7]",
      "main.s[0].pcOut",
      "main.s[0].a",
      "main.s[0].taken",
      "main.s[0].ce[0]",
      "main.s[0].memRootOut",
      "main.s[0].statusOut",
    ];
    let tried = 0;
    for (const n of names) {
      const wire = sym.get(n);
      if (wire === undefined) continue; // eliminated by --O2 (folded into a linear combination)
      tried++;
      for (const d of [1n, -1n]) {
        const bad = [...wit];
        bad[wire] =
          (bad[wire]! + d + 21888242871839275222246405745257275088548364400416711008692061258037285632513n) %
          21888242871839275222246405745257275088548364400416711008692061258037285632513n;
        expect(firstUnsatisfied(r1cs, bad), `${n} ${d}`).not.toBe(-1);
      }
    }
    expect(tried).toBeGreaterThanOrEqual(10);
  });
});

describe("RvSteps(1, io = 0): the lite circuit without the input/blob path", () => {
  let lite: CircuitArtifacts;
  beforeAll(async () => {
    lite = await compileSteps(1, "lite");
  });
  const liteAccepts = async (input: CircuitInput) =>
    calculateWitness(lite, input).then(
      () => true,
      () => false,
    );

  it("proves the same transitions as the full circuit when the step reads no input or blob", async () => {
    const tr = await Trace.create(guest("echo_input"), { input: new TextEncoder().encode("lite") });
    const reads = new Set(ecallSteps(tr, 63, 0));
    const writes = ecallSteps(tr, 64, 1);
    let checked = 0;
    for (const t of [
      0,
      1,
      writes[0]!,
      writes[writes.length - 1]!,
      tr.length - 1,
      tr.length,
      ...[...reads].slice(0, 2),
    ]) {
      const input = circuitInputFromTrace(tr, t, 1);
      expect(variantFor(tr, t, 1)).toBe(reads.has(t) ? "full" : "lite");
      expect(await liteAccepts(input), `step ${t}`).toBe(!reads.has(t));
      const other = tr.rootAt(t + 2).toString(); // equal to the post-root only at the halted fixed point
      expect(await liteAccepts({ ...input, postRoot: other })).toBe(other === input.postRoot && !reads.has(t));
      checked++;
    }
    expect(checked).toBe(8);
  });

  it("has no witness for a blob read (fd 5) but proves the preimage key writes (fd 6)", async () => {
    const blob = new Uint8Array(21).map((_, i) => (i * 7 + 3) & 0xff);
    const { blobKey } = await import("../../vm/machine.ts");
    let k = blobKey(blob);
    const words = new Uint32Array(8);
    for (let i = 7; i >= 0; i--) {
      words[i] = Number(k & 0xffffffffn);
      k >>= 32n;
    }
    const tr = await Trace.create(guest("preimage"), { input: new Uint8Array(words.buffer), preimages: [blob] });
    const t5 = ecallSteps(tr, 63, 5)[0]!,
      t6 = ecallSteps(tr, 64, 6)[3]!;
    expect(variantFor(tr, t5, 1)).toBe("full");
    expect(await liteAccepts(circuitInputFromTrace(tr, t5, 1))).toBe(false);
    expect(variantFor(tr, t6, 1)).toBe("lite");
    expect(await liteAccepts(circuitInputFromTrace(tr, t6, 1))).toBe(true);
  });

  it("agrees with the machine on random M-extension, store and ecall write/EBADF-read instructions", async () => {
    const g = rng(4242);
    const gens = [
      classes["M extension"]!,
      classes.stores!,
      classes["ecall write"]!,
      (gg: Rng): Case => ({
        words: [0x73],
        setup: (m, g2) => {
          m.regs[17] = 63;
          m.regs[10] = g2.pick([3, 4, 7]);
          m.regs[11] = addr(gg);
          m.regs[12] = 4;
        },
      }),
    ];
    for (const gen of gens) {
      for (let n = 0; n < 2; n++) {
        const input = circuitInputFromMachine(await machineFor(gen(g), g), 1);
        expect(await liteAccepts(input)).toBe(true);
        expect(await liteAccepts({ ...input, postRoot: input.preRoot })).toBe(input.postRoot === input.preRoot);
      }
    }
  });
});

describe("RvSteps(2) over whole runs (ZKFP_HEAVY=1)", () => {
  it.skipIf(!process.env.ZKFP_HEAVY)(
    "accepts every window of echo_input and preimage, each witness satisfying the R1CS",
    async () => {
      const blob = new Uint8Array(45).map((_, i) => (i * 13 + 1) & 0xff);
      const { blobKey } = await import("../../vm/machine.ts");
      let k = blobKey(blob);
      const words = new Uint32Array(8);
      for (let i = 7; i >= 0; i--) {
        words[i] = Number(k & 0xffffffffn);
        k >>= 32n;
      }
      const runs = [
        await Trace.create(guest("echo_input"), { input: new TextEncoder().encode("the whole run, window by window") }),
        await Trace.create(guest("preimage"), { input: new Uint8Array(words.buffer), preimages: [blob] }),
      ];
      for (const tr of runs) {
        for (let t = 0; t <= tr.length; t += M) {
          const wit = await calculateWitness(art, circuitInputFromTrace(tr, t, M));
          expect(firstUnsatisfied(r1cs, wit), `window ${t}`).toBe(-1);
        }
      }
    },
    1_800_000,
  );
});
