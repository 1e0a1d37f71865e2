/** cli/grid.ts: axes validation, product order, progress lines, CSV/JSON output. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { checkGridOut, columnsOf, expandGrid, parseAxes, readJsonFile, runGrid, writeGrid } from "./grid.ts";
import { configureProgress } from "./progress.ts";
import { int, oneOf, num } from "../sims/schema.ts";
import { SimConfigError } from "../sims/errors.ts";

const dir = mkdtempSync(join(tmpdir(), "zkfp-grid-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => configureProgress({ enabled: false }));
const specs = { k: int(1, 255), liar: oneOf("claimer", "challenger"), gwei: num({ min: 0 }) };

describe("grid helper", () => {
  it("expands axes as a cartesian product, first axis slowest, with lin/log axes", () => {
    const axes = parseAxes(
      { k: [1, 3], liar: ["claimer", "challenger"], gwei: { from: 1, to: 3, steps: 3 } },
      "grid",
      specs,
    );
    const pts = expandGrid(axes);
    expect(pts).toHaveLength(12);
    expect(pts.slice(0, 4)).toEqual([
      { k: 1, liar: "claimer", gwei: 1 },
      { k: 1, liar: "claimer", gwei: 2 },
      { k: 1, liar: "claimer", gwei: 3 },
      { k: 1, liar: "challenger", gwei: 1 },
    ]);
    expect(parseAxes({ gwei: { from: 1, to: 100, perDecade: 1 } }, "grid", specs).gwei).toEqual([1, 10, 100]);
  });

  it("names the bad field: unknown axis, bad value, empty axis, non-object", () => {
    const field = (raw: unknown) => {
      try {
        parseAxes(raw, "grid", specs);
      } catch (e) {
        expect(e).toBeInstanceOf(SimConfigError);
        return (e as SimConfigError).detail.field;
      }
      return null;
    };
    expect(field({ kk: [1] })).toBe("grid.kk");
    expect(field({ k: [1, 0] })).toBe("grid.k[1]");
    expect(field({ liar: ["both"] })).toBe("grid.liar[0]");
    expect(field({ k: [] })).toBe("grid.k");
    expect(field({ k: [[1]] })).toBe("grid.k[0]");
    expect(field([1])).toBe("grid");
    writeFileSync(join(dir, "bad.json"), "{oops");
    expect(() => readJsonFile(join(dir, "bad.json"))).toThrow(SimConfigError);
  });

  it("runs every point in order with progress lines, and stops or keeps going on errors", async () => {
    const lines: string[] = [];
    configureProgress({ enabled: true, write: (l) => lines.push(l) });
    const pts = expandGrid({ k: [1, 2, 3] });
    const rows = await runGrid(pts, async (p) => ({ sq: (p.k as number) ** 2 }), { label: "squares" });
    expect(rows).toEqual([
      { k: 1, sq: 1 },
      { k: 2, sq: 4 },
      { k: 3, sq: 9 },
    ]);
    expect(lines[0]).toMatch(/squares: 3 points \.\.\./);
    expect(lines.some((l) => /squares: 3 points: 3\/3/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/done in .*3\/3 points/);
    const boom = async (p: Record<string, unknown>) => {
      if (p.k === 2) throw new SimConfigError("k", "two");
      return { ok: true };
    };
    await expect(runGrid(pts, boom, { label: "x" })).rejects.toThrow(SimConfigError);
    const kept = await runGrid(pts, boom, { label: "x", keepGoing: true });
    expect(kept[1]).toEqual({ k: 2, error: "SimConfigError: config field k: two" });
    expect(columnsOf(kept)).toEqual(["k", "ok", "error"]);
  });

  it("writes CSV or JSON by extension and refuses other outputs before work", () => {
    const rows = [
      { k: 1, gas: 123.5 },
      { k: 2, gas: null },
    ];
    writeGrid(join(dir, "g.csv"), { name: "g", columns: ["k", "gas"], rows });
    expect(readFileSync(join(dir, "g.csv"), "utf8")).toBe("k,gas\n1,123.5\n2,\n");
    writeGrid(join(dir, "g.json"), { name: "g", columns: ["k", "gas"], rows });
    expect(JSON.parse(readFileSync(join(dir, "g.json"), "utf8"))).toEqual({ name: "g", columns: ["k", "gas"], rows });
    expect(() => checkGridOut(join(dir, "g.txt"))).toThrow(/\.csv or \.json/);
    expect(() => checkGridOut("/dev/null/g.csv")).toThrow(/not a directory/);
  });
});
