/**
 * The circuit input builder (zk/witness-input.ts): shapes, roots against the trace, the variant
 * choice and typed errors. Circuit acceptance itself is tested in rv32im.test.ts.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Trace } from "../../vm/trace.ts";
import { loadElf } from "../../vm/elf.ts";
import { circuitInputFromTrace, variantFor, isAuxRead, CircuitInputError } from "../witness-input.ts";

const guest = (n: string) => loadElf(readFileSync(new URL(`../../vm/guests/bin/${n}.elf`, import.meta.url)));

describe("circuitInputFromTrace", () => {
  it("lays out m steps with full-length proofs and the trace's pre/post roots", async () => {
    const tr = await Trace.create(guest("echo_input"), { input: new TextEncoder().encode("abc") });
    for (const [t, m] of [
      [0, 1],
      [7, 3],
      [tr.length - 2, 4],
    ] as const) {
      const inp = circuitInputFromTrace(tr, t, m);
      expect(inp.preRoot).toBe(tr.rootAt(t).toString());
      expect(inp.postRoot).toBe(tr.rootAt(t + m).toString());
      expect(inp.regs).toHaveLength(32);
      expect(inp.regs[0]).toBe("0");
      for (const k of [
        "insn",
        "memWord",
        "auxWord",
        "blobRoot",
        "blobLen",
        "codeProof",
        "memProof",
        "auxProof",
      ] as const)
        expect(inp[k]).toHaveLength(m);
      expect(inp.codeProof.every((p) => p.length === 21)).toBe(true);
      expect(inp.memProof.every((p) => p.length === 30) && inp.auxProof.every((p) => p.length === 30)).toBe(true);
    }
  });

  it("asks for the full circuit exactly on windows with an input read", async () => {
    const tr = await Trace.create(guest("echo_input"), { input: new TextEncoder().encode("abcd") });
    const reads: number[] = [];
    for (let t = 0; t < tr.length; t++) if (isAuxRead(tr.witnessAt(t))) reads.push(t);
    expect(reads.length).toBeGreaterThan(1);
    const r = reads[0]!;
    expect(variantFor(tr, r, 1)).toBe("full");
    expect(variantFor(tr, r - 3, 4)).toBe("full");
    expect(variantFor(tr, r - 3, 3)).toBe(
      reads.includes(r - 3) || reads.includes(r - 2) || reads.includes(r - 1) ? "full" : "lite",
    );
    expect(variantFor(tr, tr.length, 4)).toBe("lite");
  });

  it("rejects a negative or fractional start and a non-positive m with a typed error", async () => {
    const tr = await Trace.create(guest("exitcode"));
    expect(() => circuitInputFromTrace(tr, -1, 1)).toThrow(CircuitInputError);
    expect(() => circuitInputFromTrace(tr, 1.5, 1)).toThrow(CircuitInputError);
    expect(() => circuitInputFromTrace(tr, 0, 0)).toThrow(CircuitInputError);
  });
});
