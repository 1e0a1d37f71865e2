/**
 * The fit rule of the report (window-stats.ts `fits`) agrees with the input generator
 * (input.ts, which throws WindowFitError), and cheapestCircuitFor picks mem / memio / rv32im.
 * No circom: inputs only (seconds).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Trace } from "../../../vm/trace.ts";
import { loadElf } from "../../../vm/elf.ts";
import { memCapsFor, type MemCaps } from "../build.ts";
import { memInputFromTrace, WindowFitError } from "./input.ts";
import { recordRun, windowStat, fits } from "./window-stats.ts";
import { cheapestCircuitFor } from "../../witness-input.ts";

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

  it("cheapestCircuitFor: mem for a plain loop window, memio for an input read, memwide for many fetches, rv32im when nothing fits", async () => {
    const input = new TextEncoder().encode("abc");
    const tr = await Trace.create(loadElf(readFileSync(elf("echo_input"))), { input });
    const rec = await recordRun(elf("echo_input"), { input }, 1e6);
    const tRead = rec.aux.findIndex((x) => x > 0);
    expect(tRead).toBeGreaterThan(0);
    expect(cheapestCircuitFor(tr, tRead, 4).id).toBe("rv32im_memio");
    expect(cheapestCircuitFor(tr, 0, 4).id).toBe("rv32im_mem");
    // more than 8 distinct fetches: only the wide variant's m code slots hold them
    const sort = await Trace.create(loadElf(readFileSync(elf("sort"))), { maxSteps: 20000 });
    const r = await recordRun(elf("sort"), {}, 20000);
    const ok = (s: ReturnType<typeof windowStat>) => s.written <= 2 && s.mem <= 5 && s.outs <= 1;
    const tWide = [...Array(2000).keys()].find((tt) => windowStat(r, tt, 16).code > 8 && ok(windowStat(r, tt, 16)));
    expect(tWide).toBeDefined();
    expect(cheapestCircuitFor(sort, tWide!, 16).id).toBe("rv32im_memwide");
    // more than KW = 2 written words fits no table variant
    const tNone = [...Array(19000).keys()].find((tt) => windowStat(r, tt, 16).written > 2);
    expect(tNone).toBeDefined();
    const c = cheapestCircuitFor(sort, tNone!, 16);
    expect(c.id).toBe("rv32im");
  }, 60_000);
});
