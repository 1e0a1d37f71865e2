import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildPaper, fmt, BuildError, lintTemplate, hiddenSeries } from "./build.ts";
import { lineChart } from "../sims/charts.ts";

describe("paper build", () => {
  it("fills every placeholder from generated data and renders every figure (quick sweeps)", async () => {
    const d = mkdtempSync(join(tmpdir(), "zkfp-paper-"));
    try {
      const r = await buildPaper({ quick: true, outDir: d, benchDir: join(d, "no-bench"), anvil: false });
      const md = readFileSync(join(d, "zkfp.md"), "utf8");
      expect(md).not.toMatch(/\{\{/);
      expect(md).toContain("| constant | meaning | value | unit | provenance |");
      const figs = readdirSync(join(d, "figures"));
      for (const m of md.matchAll(/\(figures\/([^)]+\.svg)\)/g)) expect(figs).toContain(m[1]);
      for (const f of figs) expect(readFileSync(join(d, "figures", f), "utf8")).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
      expect(r.values["checks.passed"]).toBe(r.values["checks.total"]);
      expect(JSON.parse(readFileSync(join(d, "data", "values.json"), "utf8"))["economics.optimism.bond0_eth"]).toBe(
        0.08,
      );
    } finally {
      rmSync(d, { recursive: true });
    }
  });
  it("fails the template lint on a hand-typed number, not on placeholders, code or definitions", () => {
    expect(lintTemplate("The seed is {{economics.seed|raw}} and k = 1 is binary; `npm run 2`.\n")).toEqual([]);
    expect(lintTemplate("A dispute takes 35 h.\n").map((x) => x.line)).toEqual([1]);
    expect(lintTemplate("## Sources\n- Foo, 2023, 17 pages\n")).toEqual([]);
    expect(
      lintTemplate(readFileSync(join(new URL(".", import.meta.url).pathname, "zkfp.template.md"), "utf8")),
    ).toEqual([]);
  });
  it("detects a series drawn exactly under another", () => {
    const rows = [
      { x: 1, y: 2, s: "a" },
      { x: 2, y: 3, s: "a" },
      { x: 1, y: 2, s: "b" },
      { x: 2, y: 3, s: "b" },
      { x: 1, y: 5, s: "c" },
    ];
    expect(
      hiddenSeries({
        name: "f",
        caption: "",
        spec: lineChart({ title: "", rows, x: "x", y: "y", series: "s", xTitle: "", yTitle: "" }),
      }),
    ).toEqual(["b", "a"]);
    expect(
      hiddenSeries({
        name: "f",
        caption: "",
        spec: lineChart({
          title: "",
          rows: rows.filter((r) => r.s !== "b"),
          x: "x",
          y: "y",
          series: "s",
          xTitle: "",
          yTitle: "",
        }),
      }),
    ).toBeNull();
  });
  it("formats prose numbers and refuses non-numbers", () => {
    expect(fmt(20261125)).toBe("20,261,125");
    expect(fmt(20261125, "raw")).toBe("20261125");
    expect(fmt(4096)).toBe("4,096");
    expect(fmt(0.020660377)).toBe("0.0207");
    expect(fmt(1.75e9, "sci")).toBe("1.75e9");
    expect(fmt(Number.NaN)).toBe("none in range");
    expect(() => fmt({})).toThrow(BuildError);
  });
});
