/**
 * The fit rule of the report (window-stats.ts `fits`) agrees with the input generator
 * (input.ts, which throws WindowFitError). cheapestCircuitFor (both table families): blk/fit.test.ts.
 * No circom: inputs only (seconds).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Trace } from "../../../vm/trace.ts";
import { loadElf } from "../../../vm/elf.ts";
import { memCapsFor, type MemCaps } from "../build.ts";
import { memInputFromTrace, WindowFitError } from "./input.ts";
import { recordRun, windowStat, fits } from "./window-stats.ts";

const elf = (n: string) => `vm/guests/bin/${n}.elf`;

describe("window fit rule", () => {
  it("agrees with the input generator on windows of sort and echo_input", async () => {
    const input = new TextEncoder().encode("fit rule input");
    for (const [name, opts] of [
      ["sort", {}],
      ["echo_input", { input }],
    ] as const) {
      const rec = await recordRun(elf(name), opts, 1500);
      const tr = await Trace.create(loadElf(readFileSync(elf(name))), { ...opts, maxSteps: 1500 });
      for (const [m, caps] of [
        [4, { C: 4, KR: 1, KW: 1, H: 1, A: 0 }],
        [8, { C: 5, KR: 2, KW: 1, H: 1, A: 1 }],
        [16, memCapsFor(16, "memio")],
      ] as [number, MemCaps][]) {
        let yes = 0,
          no = 0;
        for (let t = 0; t + m <= Math.min(rec.n, tr.length); t += 5 * m + 1) {
          let gen = true;
          try {
            memInputFromTrace(tr, t, m, caps);
          } catch (e) {
            if (e instanceof WindowFitError) gen = false;
            else throw e;
          }
          expect(fits(windowStat(rec, t, m), caps), `${name} t=${t} m=${m}`).toBe(gen);
          if (gen) yes++;
          else no++;
        }
        expect(yes + no).toBeGreaterThan(5);
      }
    }
  }, 120_000);
});
