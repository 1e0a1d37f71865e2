/**
 * Test/report harness for compiled circuits: circom's own wasm witness generator (in memory, no
 * files), an R1CS reader and an independent constraint checker (A·w * B·w = C·w mod p for every
 * constraint), and the .sym name -> wire map used to tamper with single witness values.
 *
 * Why a checker of our own: circom's witness generator asserts `===` constraints while computing,
 * but never re-checks values assigned with `<--` (hints such as the division quotient); a
 * malicious prover controls those. Checking a (tampered) witness against the R1CS is exactly what
 * the proof system enforces, without the cost of a proof. Format: iden3 r1cs v1 (sections 1 header,
 * 2 constraints; coefficients little-endian, standard form).
 *
 * Where a rejected witness is stopped: `verdict` / `stoppedAt` parse the generator's assert trace
 * (template and line per frame), and `CircuitSource` maps marker strings to the lines that trace
 * reports for a given compile (the red-team tests of zk/circuits/attack/).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ZkfpError } from "../../vm/errors.ts";
import { FIELD_MODULUS as P } from "../../vm/poseidon/index.ts";
import type { CircuitArtifacts } from "./build.ts";

export class HarnessError extends ZkfpError {
  override readonly name = "HarnessError";
}

type Calc = { calculateWitness(input: unknown, sanityCheck: boolean): Promise<bigint[]> };
const calcs = new Map<string, Promise<Calc>>();
/** One frame of the witness generator's assert trace: template name and (compiled-source) line. */
export type AssertFrame = { tpl: string; line: number };
const FRAME = /template (\w+?)_\d+ line: (\d+)/g;
/**
 * Per circuit: how many assert frames its calculator's error text holds (circom's calculator
 * accumulates that text over calls) and the frames the last rejected call added.
 */
const frames = new Map<string, { seen: number; last: AssertFrame[] }>();

/** Witness (indexed by wire) for `input`; rejects when an `===` fails or an input is malformed. */
export async function calculateWitness(art: CircuitArtifacts, input: unknown): Promise<bigint[]> {
  let c = calcs.get(art.wasm);
  if (!c) {
    const jsDir = join(art.dir, `${art.name}_js`);
    // circom emits CommonJS; the repo's package.json says "type": "module"
    if (!existsSync(join(jsDir, "package.json")))
      writeFileSync(join(jsDir, "package.json"), '{ "type": "commonjs" }\n');
    const require = createRequire(import.meta.url);
    const builder = require(join(jsDir, "witness_calculator.js")) as (code: Buffer, o?: unknown) => Promise<Calc>;
    c = builder(readFileSync(art.wasm));
    calcs.set(art.wasm, c);
  }
  const calc = await c;
  try {
    return await calc.calculateWitness(input, true);
  } catch (e) {
    const all = [...String((e as Error).message).matchAll(FRAME)].map((x) => ({ tpl: x[1]!, line: Number(x[2]) }));
    const seen = frames.get(art.wasm)?.seen ?? 0;
    frames.set(art.wasm, { seen: all.length, last: all.length > seen ? all.slice(seen) : all });
    throw e;
  }
}

/**
 * The witness generator's verdict on `input`, with the assert frames this call added (innermost
 * first). One calculator per circuit; its error text accumulates over calls, so only the frames
 * this call added count.
 */
export async function verdict(
  art: CircuitArtifacts,
  input: unknown,
): Promise<{ ok: true } | { ok: false; trace: AssertFrame[] }> {
  try {
    await calculateWitness(art, input);
    return { ok: true };
  } catch {
    return { ok: false, trace: frames.get(art.wasm)?.last ?? [] };
  }
}

/** Where the witness generator stops `input`: an outcome of `stoppedAt`. */
export type Stop = number | "accepted" | "malformed";

/**
 * The line of the outermost `template` frame at which `input` is stopped (compiled-source lines),
 * "accepted" when the witness exists, "malformed" when no frame is in `template` (e.g. a wrong
 * input length).
 */
export async function stoppedAt(art: CircuitArtifacts, input: unknown, template: string): Promise<Stop> {
  const v = await verdict(art, input);
  if (v.ok) return "accepted";
  const top = v.trace.filter((f) => f.tpl === template).at(-1);
  return top ? top.line : "malformed";
}

/** A circuit source file, its lines found by unique markers (1-based, as the witness generator counts). */
export class CircuitSource {
  readonly lines: readonly string[];
  constructor(readonly url: URL) {
    this.lines = readFileSync(url, "utf8").split("\n");
  }

  /** 1-based line of the unique source line containing `marker`. */
  line(marker: string): number {
    const hits = this.lines.flatMap((l, i) => (l.includes(marker) ? [i + 1] : []));
    if (hits.length !== 1) throw new HarnessError("marker not found exactly once", { marker, hits: hits.length });
    return hits[0]!;
  }

  /**
   * The compiled-line view of one compile of this source. Line numbers in the witness generator's
   * errors are those of the COMPILED source, and the build cache key ignores comments (build.ts), so a
   * cached compile may report lines shifted by a comment edit. The shift is learned from `probe`, an
   * input that must fail at the source line of `marker` in `template` (e.g. an honest window with a
   * wrong postRoot); it is exact for edits above the templates (the header).
   */
  async compiled(art: CircuitArtifacts, template: string, probe: unknown, marker: string): Promise<CompiledLines> {
    const at = await stoppedAt(art, probe, template);
    if (typeof at !== "number")
      throw new HarnessError("the probe did not fail in the template", { circuit: art.name, template, at });
    const shift = this.line(marker) - at;
    return {
      shift,
      of: (m) => this.line(m) - shift,
      text: (line) => this.lines[line + shift - 1],
    };
  }
}

/** Lines of one compile: `of(marker)` its compiled line, `text(line)` the source text at a compiled line. */
export type CompiledLines = {
  shift: number;
  of(marker: string): number;
  text(line: number): string | undefined;
};

type Term = [number, bigint];
export type R1cs = {
  nWires: number;
  nPubOut: number;
  nPubIn: number;
  nPrvIn: number;
  nConstraints: number;
  constraints: [Term[], Term[], Term[]][];
};

const r1csCache = new Map<string, R1cs>();

export function readR1cs(path: string): R1cs {
  const hit = r1csCache.get(path);
  if (hit) return hit;
  const b = readFileSync(path);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.toString("ascii", 0, 4) !== "r1cs") throw new HarnessError("not an r1cs file", { path });
  const nSec = dv.getUint32(8, true);
  let o = 12;
  const secs = new Map<number, [number, number]>();
  for (let i = 0; i < nSec; i++) {
    const type = dv.getUint32(o, true);
    const size = Number(dv.getBigUint64(o + 4, true));
    secs.set(type, [o + 12, size]);
    o += 12 + size;
  }
  const [h] = secs.get(1)!;
  const n8 = dv.getUint32(h, true);
  let q = h + 4 + n8;
  const nWires = dv.getUint32(q, true),
    nPubOut = dv.getUint32(q + 4, true),
    nPubIn = dv.getUint32(q + 8, true);
  const nPrvIn = dv.getUint32(q + 12, true),
    nConstraints = dv.getUint32(q + 24, true);
  const le = (at: number) => {
    let v = 0n;
    for (let i = n8 - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[at + i]!);
    return v;
  };
  let c = secs.get(2)![0];
  const constraints: [Term[], Term[], Term[]][] = [];
  for (let i = 0; i < nConstraints; i++) {
    const lcs: Term[][] = [];
    for (let k = 0; k < 3; k++) {
      const n = dv.getUint32(c, true);
      c += 4;
      const lc: Term[] = [];
      for (let j = 0; j < n; j++) {
        lc.push([dv.getUint32(c, true), le(c + 4)]);
        c += 4 + n8;
      }
      lcs.push(lc);
    }
    constraints.push(lcs as [Term[], Term[], Term[]]);
  }
  const r: R1cs = { nWires, nPubOut, nPubIn, nPrvIn, nConstraints, constraints };
  r1csCache.set(path, r);
  return r;
}

/** Index of the first unsatisfied constraint, or -1 when the witness satisfies the R1CS. */
export function firstUnsatisfied(r1cs: R1cs, w: readonly bigint[]): number {
  if (w.length !== r1cs.nWires)
    throw new HarnessError("witness length differs from the r1cs wire count", { length: w.length, wires: r1cs.nWires });
  if (w[0] !== 1n) return -2;
  const ev = (lc: Term[]) => {
    let s = 0n;
    for (const [i, k] of lc) s += k * w[i]!;
    return s % P;
  };
  for (let i = 0; i < r1cs.constraints.length; i++) {
    const [a, b, c] = r1cs.constraints[i]!;
    if ((ev(a) * ev(b) - ev(c)) % P !== 0n) return i;
  }
  return -1;
}

/** Wire index of each named signal kept in the R1CS (from the .sym file; eliminated ones are absent). */
export function readSym(path: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (!line) continue;
    const [, wire, , name] = line.split(",");
    const wi = Number(wire);
    if (wi >= 0) m.set(name!, wi);
  }
  return m;
}

/** Public signals as the verifier sees them: wires 1 .. nPubOut + nPubIn. */
export function publicSignals(r1cs: R1cs, w: readonly bigint[]): bigint[] {
  return w.slice(1, 1 + r1cs.nPubOut + r1cs.nPubIn);
}

/** Header counts of an r1cs file without parsing its constraints. */
export function r1csInfo(path: string): {
  nWires: number;
  nConstraints: number;
  nPubIn: number;
  nPubOut: number;
  nPrvIn: number;
  bytes: number;
} {
  const b = readFileSync(path);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.toString("ascii", 0, 4) !== "r1cs") throw new HarnessError("not an r1cs file", { path });
  const nSec = dv.getUint32(8, true);
  let o = 12;
  for (let i = 0; i < nSec; i++) {
    const type = dv.getUint32(o, true);
    const size = Number(dv.getBigUint64(o + 4, true));
    if (type === 1) {
      const h = o + 12,
        n8 = dv.getUint32(h, true),
        q = h + 4 + n8;
      return {
        nWires: dv.getUint32(q, true),
        nPubOut: dv.getUint32(q + 4, true),
        nPubIn: dv.getUint32(q + 8, true),
        nPrvIn: dv.getUint32(q + 12, true),
        nConstraints: dv.getUint32(q + 24, true),
        bytes: b.length,
      };
    }
    o += 12 + size;
  }
  throw new HarnessError("r1cs has no header section", { path });
}
