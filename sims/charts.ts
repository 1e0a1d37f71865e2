/**
 * Vega-Lite specs rendered to SVG strings in Node, headless: vega-lite compiles the spec, a vega
 * View with renderer "none" runs the dataflow and `toSVG()` serialises it (no canvas, no native
 * dependency). Text widths are estimated without a canvas, so labels may sit a few pixels off.
 * Charts get their data inline (`data.values`) so the SVG depends only on the rows passed in.
 */
import * as vega from "vega";
import * as vl from "vega-lite";
import type { Row } from "./csv.ts";

export type VlSpec = Record<string, unknown>;

export async function renderSvg(spec: VlSpec): Promise<string> {
  const compiled = vl.compile(spec as unknown as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg + (svg.endsWith("\n") ? "" : "\n");
}

const base = {
  $schema: "https://vega.github.io/schema/vega-lite/v6.json",
  width: 600,
  height: 320,
  background: "white",
  config: { font: "sans-serif" },
};

/**
 * Lines of y over x per series; log scales on request. `lo`/`hi`: fields of a 95 % interval drawn
 * as error bars; `dash`: a nominal field drawn as the line's dash pattern (e.g. measured vs
 * extrapolated), with its own legend.
 */
export function lineChart(o: {
  title: string;
  rows: Row[];
  x: string;
  y: string;
  series: string;
  xTitle: string;
  yTitle: string;
  logX?: boolean;
  logY?: boolean;
  rules?: { y: number; label: string }[];
  lo?: string;
  hi?: string;
  dash?: string;
}): VlSpec {
  const x = {
    field: o.x,
    type: "quantitative",
    title: o.xTitle,
    scale: o.logX ? { type: "log" } : {},
    axis: o.logX ? { format: "~e" } : {},
  };
  const color = {
    field: o.series,
    type: "nominal",
    title: null,
    legend: { orient: "bottom", columns: 2, labelLimit: 600 },
  };
  const layers: VlSpec[] = [
    {
      mark: { type: "line", point: true },
      encoding: {
        x,
        y: {
          field: o.y,
          type: "quantitative",
          title: o.yTitle,
          scale: o.logY ? { type: "log" } : { zero: false },
          axis: o.logY ? { format: "~e" } : {},
        },
        color,
        ...(o.dash
          ? { strokeDash: { field: o.dash, type: "nominal", title: null, legend: { orient: "bottom" } } }
          : {}),
      },
    },
  ];
  if (o.lo && o.hi)
    layers.push({
      mark: { type: "rule" },
      encoding: { x, y: { field: o.lo, type: "quantitative" }, y2: { field: o.hi }, color },
    });
  if (o.rules?.length)
    layers.push({
      data: { values: o.rules },
      mark: { type: "rule", strokeDash: [4, 4], color: "gray" },
      encoding: { y: { field: "y", type: "quantitative" } },
    });
  return { ...base, title: o.title, data: { values: o.rows }, layer: layers };
}

/** Tornado chart: one horizontal bar per row from `lo` to `hi`, rows in the given order, base as a rule. */
export function tornadoChart(o: {
  title: string;
  rows: Row[];
  label: string;
  lo: string;
  hi: string;
  base: number;
  xTitle: string;
  logX?: boolean;
}): VlSpec {
  const order = o.rows.map((r) => String(r[o.label]));
  const x = { field: o.lo, type: "quantitative", title: o.xTitle, scale: o.logX ? { type: "log" } : { zero: false } };
  return {
    ...base,
    height: 24 * o.rows.length,
    title: o.title,
    data: {
      values: o.rows.map((r) => ({
        ...r,
        lo_: Math.min(Number(r[o.lo]), Number(r[o.hi])),
        hi_: Math.max(Number(r[o.lo]), Number(r[o.hi])),
      })),
    },
    layer: [
      {
        mark: { type: "bar" },
        encoding: {
          y: { field: o.label, type: "nominal", sort: order, title: null },
          x: { ...x, field: "lo_" },
          x2: { field: "hi_" },
        },
      },
      {
        data: { values: [{ b: o.base }] },
        mark: { type: "rule", color: "black" },
        encoding: { x: { field: "b", type: "quantitative" } },
      },
    ],
  };
}
