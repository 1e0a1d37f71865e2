/**
 * Test scaffolding shared by the table circuits' tests (blk/blk.test.ts, mem/mem.test.ts) and
 * their red-team tests (attack/*-liar.test.ts): the m = 4 test compiles (two capacity sets per
 * circuit, one without and one with aux slots), RV32IM instruction encoders and a code image
 * builder, the committed guests, windows of a trace that fit a circuit, the vm/verify.ts chain the
 * circuits are checked against, and witness-generator outcomes (accepted / failing line).
 *
 * Pitfall (failLine): line numbers come from the compiled wasm while the compile cache key ignores
 * comments: after a comment edit that moves lines of a .circom file, clear its
 * .cache/zk-circuits/ entries, or map lines through harness.ts `CircuitSource.compiled`.
 */
import { readFileSync } from "node:fs";
import { compileBlk, compileMem, type BlkCaps, type CircuitArtifacts, type MemCaps } from "./build.ts";
import { CircuitSource, calculateWitness } from "./harness.ts";
import { WindowFitError } from "./mem/input.ts";
import { Machine, blobKey } from "../../vm/machine.ts";
import { Trace } from "../../vm/trace.ts";
import { loadElf, type Program } from "../../vm/elf.ts";
import { verifyStep } from "../../vm/verify.ts";
import { stepWitness } from "../../vm/witness.ts";
import { FIELD_MODULUS as P } from "../../vm/poseidon/index.ts";
import { B, S as asmS, asm, programOf } from "../../vm/test/asm.ts";

export const HEAVY = process.env.ZKFP_HEAVY === "1";
/**
 * Timeout of a red-team fuzz test: ZKFP_HEAVY's 10x mutations took up to 911 s niced on the shared
 * 2 cores (load ~11), past the default runs' 600 s.
 */
export const FUZZ_TIMEOUT = HEAVY ? 1_800_000 : 600_000;

/** Window length of the table-circuit tests. */
export const M = 4;
/** RvStepsMem(4) test capacities: 4 code slots, 2 R + 2 W memory words, 2 output records; no aux / 2 aux words. */
export const MEM_CAPS: MemCaps = { C: 4, KR: 2, KW: 2, H: 2, A: 0 };
export const MEM_CAPS_IO: MemCaps = { ...MEM_CAPS, A: 2 };
/**
 * RvStepsBlk(4) test capacities: code 1 block of 16 + 2 of 4 words; memory blocks of 4 words and
 * no aux, or single memory words and aux blocks of 4 words.
 */
export const BLK_CAPS: BlkCaps = { CJ: 2, CB: 1, CS: 2, MJ: 1, KR: 2, KW: 2, H: 2, AJ: 1, A: 0 };
export const BLK_CAPS_IO: BlkCaps = { CJ: 2, CB: 1, CS: 2, MJ: 0, KR: 2, KW: 2, H: 2, AJ: 1, A: 2 };

/** The two RvStepsMem(4) test compiles (cached by build.ts). */
export async function compileMemTest(): Promise<{ art: CircuitArtifacts; artIo: CircuitArtifacts }> {
  const [art, artIo] = await Promise.all([compileMem(M, MEM_CAPS), compileMem(M, MEM_CAPS_IO)]);
  return { art, artIo };
}

/** The two RvStepsBlk(4) test compiles (cached by build.ts). */
export async function compileBlkTest(): Promise<{ art: CircuitArtifacts; artIo: CircuitArtifacts }> {
  const [art, artIo] = await Promise.all([compileBlk(M, BLK_CAPS), compileBlk(M, BLK_CAPS_IO)]);
  return { art, artIo };
}

// ---------------------------------------------------------------- field values of inputs
/** Canonical decimal field element of x (negative x wraps). */
export const fe = (x: bigint): string => (((x % P) + P) % P).toString();
/** The input value v plus d in the field. */
export const bump = (v: string, d = 1n): string => fe(BigInt(v) + d);

// ---------------------------------------------------------------- RV32IM encoders (vm/test/asm.ts formats)
export { R, I, J } from "../../vm/test/asm.ts";
/** S-type store: sb / sh / sw for f3 = 0 / 1 / 2. */
export const S = (imm: number, rs2: number, rs1: number, f3: number) => asmS(imm, rs2, rs1, f3, 0x23);
/** B-type branch. */
export const Bt = B;
export const ADDI = (rd: number, rs1: number, imm: number) => asm.i("addi", rd, rs1, imm);
export const LW = (rd: number, rs1: number, imm: number) => asm.load("lw", rd, rs1, imm);
export const SW = (rs2: number, rs1: number, imm: number) => asm.store("sw", rs2, rs1, imm);
export const ECALL = 0x73;
export const NOP = 0x13;

/**
 * A program of `len` code words at CODE_BASE: `words` by word offset (an array: its words in order),
 * NOP where none is given; `len` defaults to the array's length, else 64 words.
 */
export function program(words: readonly number[] | Readonly<Record<number, number>>, len?: number): Program {
  const n = len ?? (Array.isArray(words) ? words.length : 64);
  const w = words as Readonly<Record<number, number>>;
  return programOf(Array.from({ length: n }, (_, i) => w[i] ?? NOP));
}

// ---------------------------------------------------------------- runs and windows
/** A committed guest (vm/guests/bin/<name>.elf). */
export const guest = (name: string): Program =>
  loadElf(readFileSync(new URL(`../../vm/guests/bin/${name}.elf`, import.meta.url)));

/** A run of the preimage guest: writes the key of a `len`-byte blob (fd 6), then reads the blob (fd 5). */
export async function preimageTrace(len: number): Promise<Trace> {
  const blob = new Uint8Array(len).map((_, i) => (i * 41 + 3) & 0xff);
  let k = blobKey(blob);
  const words = new Uint32Array(8);
  for (let i = 7; i >= 0; i--) {
    words[i] = Number(k & 0xffffffffn);
    k >>= 32n;
  }
  return Trace.create(guest("preimage"), { input: new Uint8Array(words.buffer), preimages: [blob] });
}

/**
 * Up to `limit` inputs of windows of `tr` that fit (`build` throws WindowFitError otherwise): with
 * `want`, the first windows it keeps (every start step); without, windows spread over the run.
 */
export function windows<T>(
  tr: Trace,
  build: (tr: Trace, t: number) => T,
  limit: number,
  want?: (input: T) => boolean,
): T[] {
  const out: T[] = [];
  const stride = want ? 1 : Math.max(1, Math.floor(tr.length / (limit * 8)));
  for (let t = 0; t + M <= tr.length && out.length < limit; t += stride) {
    try {
      const inp = build(tr, t);
      if (!want || want(inp)) out.push(inp);
    } catch (e) {
      if (!(e instanceof WindowFitError)) throw e;
    }
  }
  return out;
}

/** The window reads input or blob data (an aux selector is set). */
export const readsAux = (input: { selA: string[][] }): boolean => input.selA.some((row) => row.includes("1"));

/**
 * Up to `limit` fitting windows (spread over the run) of each named guest's first 4,000 steps; a run
 * cut at 4,000 steps gives only windows that end inside it.
 */
export async function guestWindows<T extends { step: string }>(
  names: readonly string[],
  build: (tr: Trace, t: number) => T,
  limit: number,
): Promise<T[]> {
  const out: T[] = [];
  for (const name of names) {
    const tr = await Trace.create(guest(name), { maxSteps: 4000 });
    const halts = tr.length < 4000;
    out.push(...windows(tr, build, limit).filter((i) => halts || Number(i.step) + M <= tr.length));
  }
  return out;
}

/**
 * Up to `limit` fitting windows that read input (echo_input on `text`) and up to `limit` that read a
 * blob (preimage guest, a `blobLen`-byte blob), in that order.
 */
export async function auxReadWindows<T extends { selA: string[][]; aKind: string[] }>(
  build: (tr: Trace, t: number) => T,
  text: string,
  blobLen: number,
  limit: number,
): Promise<T[]> {
  const echo = await Trace.create(guest("echo_input"), { input: new TextEncoder().encode(text) });
  const pre = await preimageTrace(blobLen);
  return [
    ...windows(echo, build, limit, readsAux),
    ...windows(pre, build, limit, (i) => i.aKind.includes("1") && readsAux(i)),
  ];
}

/** Post-root of n steps by chaining vm/verify.ts over the machine's step witnesses (advances it). */
export function verifyChain(m: Machine, n: number): bigint {
  let root = m.stateRoot();
  for (let i = 0; i < n; i++) {
    root = verifyStep(root, stepWitness(m));
    m.run(1);
  }
  return root;
}

// ---------------------------------------------------------------- witness generator outcomes
/** The witness exists (every `===` held). */
export async function accepts(art: CircuitArtifacts, input: unknown): Promise<boolean> {
  try {
    await calculateWitness(art, input);
    return true;
  } catch {
    return false;
  }
}

/** Line of the first failing assertion for `input` (undefined when the witness exists, -1 without a line). */
export async function failLine(art: CircuitArtifacts, input: unknown): Promise<number | undefined> {
  try {
    await calculateWitness(art, input);
    return undefined;
  } catch (e) {
    // circom's calculator aborts at the first failing assert; its error text accumulates over calls
    const all = [...String((e as Error).message).matchAll(/line: (\d+)/g)];
    return all.length ? Number(all.at(-1)![1]) : -1;
  }
}

/** `marker` -> its 1-based line in the circuit source at `url` (see the pitfall above for cached compiles). */
export function markerLines(url: URL): (marker: string) => number {
  const src = new CircuitSource(url);
  return (marker) => src.line(marker);
}
