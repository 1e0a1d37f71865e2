/**
 * The block fit rule of the report (blk/input.ts `blkFitsStat`, on window statistics) agrees with
 * the input generator (blkInputFromTrace, which throws WindowFitError), and cheapestCircuitFor
 * takes the first table circuit of tableCircuitsFor(m) that fits, else rv32im. No circom (seconds).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Trace } from "../../../vm/trace.ts";
import { loadElf } from "../../../vm/elf.ts";
import { blkCapsFor, memCapsFor, type BlkCaps, type BlkVariant, type MemVariant } from "../build.ts";
import { WindowFitError, memInputFromTrace } from "../mem/input.ts";
import { recordRun } from "../mem/window-stats.ts";
import { blkFitsStat, blkInputFromTrace } from "./input.ts";
import { cheapestCircuitFor, tableCircuitsFor } from "../../witness-input.ts";

const elf = (n: string) => `vm/guests/bin/${n}.elf`;
const fitsGen = (f: () => unknown) => {
  try {
    f();
    return true;
  } catch (e) {
    if (e instanceof WindowFitError) return false;
    throw e;
  }
};

describe("block fit rule", () => {
  it("agrees with the input generator on windows of sort, matmul_int and echo_input", async () => {
    const input = new TextEncoder().encode("fit rule input for blocks");
    for (const [name, opts] of [
      ["sort", {}],
      ["matmul_int", {}],
      ["echo_input", { input }],
    ] as const) {
      const rec = await recordRun(elf(name), opts, 1500);
      const tr = await Trace.create(loadElf(readFileSync(elf(name))), { ...opts, maxSteps: 1500 });
      for (const [m, caps] of [
        [4, { CJ: 2, CB: 1, CS: 1, MJ: 1, KR: 1, KW: 1, H: 1, AJ: 1, A: 0 }],
        [8, { CJ: 1, CB: 1, CS: 2, MJ: 0, KR: 2, KW: 1, H: 1, AJ: 0, A: 1 }],
        [16, blkCapsFor(16, "blk")],
        [16, blkCapsFor(16, "blkio")],
      ] as [number, BlkCaps][]) {
        let yes = 0,
          no = 0;
        for (let t = 0; t + m <= Math.min(rec.n, tr.length); t += 5 * m + 1) {
          const gen = fitsGen(() => blkInputFromTrace(tr, t, m, caps));
          expect(blkFitsStat(rec, t, m, caps), `${name} t=${t} m=${m}`).toBe(gen);
          if (gen) yes++;
          else no++;
        }
        expect(yes + no).toBeGreaterThan(5);
      }
    }
  }, 120_000);

  it("cheapestCircuitFor takes the first fitting table circuit in cost order, else rv32im", async () => {
    const input = new TextEncoder().encode("abc");
    const echo = await Trace.create(loadElf(readFileSync(elf("echo_input"))), { input });
    const sort = await Trace.create(loadElf(readFileSync(elf("sort"))), { maxSteps: 20000 });
    const first = (tr: Trace, t: number, m: number) =>
      tableCircuitsFor(m).find(({ id }) => {
        const v = id.slice(7);
        return fitsGen(() =>
          v.startsWith("blk")
            ? blkInputFromTrace(tr, t, m, blkCapsFor(m, v as BlkVariant))
            : memInputFromTrace(tr, t, m, memCapsFor(m, v as MemVariant)),
        );
      })?.id;
    const seen = new Set<string>();
    for (const [tr, ts, m] of [
      [echo, [0, 20, 40, 60, 80], 4],
      [sort, [0, 3000, 7001, 12000, 16000, 19000], 16],
    ] as const) {
      for (const t of ts) {
        if (t + m > tr.length) continue;
        const c = cheapestCircuitFor(tr, t, m);
        expect(c.id).toBe(first(tr, t, m) ?? "rv32im");
        expect(c.input.postRoot).toBe(tr.rootAt(t + m).toString());
        seen.add(c.id);
      }
    }
    expect(seen.has("rv32im_blk")).toBe(true);
    // the order is by estimated constraints
    const est = tableCircuitsFor(64).map((x) => x.constraints);
    expect(est).toEqual([...est].sort((a, b) => a - b));
  }, 120_000);
});
