/**
 * Grids from a config file, for commands that run one job per parameter combination (e.g. a
 * `dispute --config sweep.json` over k, m, N, liars), built from the pieces `zkfp sim` already uses:
 * sims/schema.ts validators (errors name the field path, exit 65), sims/csv.ts output (stable
 * numbers), cli/progress.ts lines and cli/output.ts atomic writes.
 *
 *   const axes = parseAxes(readJsonFile(path).grid, "grid", { k: int(1, 255), liar: oneOf("claimer", "challenger") });
 *   checkGridOut(out);                                   // before any work: .csv or .json, writable
 *   const rows = await runGrid(expandGrid(axes), async (p) => ({ ...p, gas: await play(p) }), { label: "dispute grid" });
 *   writeGrid(out, { name: "dispute_grid", columns: [...], rows });
 *
 * An axis is a non-empty array of scalars, or `{from, to, steps}` (linear) / `{from, to, perDecade}`
 * (log) for numbers. `expandGrid` is the cartesian product, first axis slowest, so the row order is
 * the config's and reruns give identical files. Points run one after another (games share a chain):
 * a point that throws stops the grid unless `keepGoing`, which records the error's name and message
 * in the row's `error` column instead.
 */
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { UsageError } from "./args.ts";
import { checkOutPath, OutPathError } from "./checks.ts";
import { writeFileAtomic } from "./output.ts";
import { step } from "./progress.ts";
import { SimConfigError } from "../sims/errors.ts";
import { expandLin, expandLog, linGrid, logGrid, type Spec } from "../sims/schema.ts";
import { stableJson, toCsv, type Cell, type Row, type Table } from "../sims/csv.ts";

export type GridPoint = Record<string, Cell>;

/** Reads a JSON config file: UsageError if unreadable, SimConfigError (exit 65) if not JSON. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError("cannot read the config file", { path, reason: (e as Error).message });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SimConfigError("(file)", `not JSON: ${(e as Error).message}`, path);
  }
}

const isScalar = (v: unknown): v is Cell => v === null || ["number", "string", "boolean"].includes(typeof v);

/**
 * Validates `raw` as `{axis: values}`; `specs` names the allowed axes and checks each value
 * (an axis not in `specs` is an "unknown field" error, as in sim configs).
 */
export function parseAxes(raw: unknown, path: string, specs: Record<string, Spec<Cell>>): Record<string, Cell[]> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new SimConfigError(path, "expected an object of axes {name: [values]}", raw);
  const out: Record<string, Cell[]> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const p = `${path}.${k}`;
    const spec = specs[k];
    if (!spec) throw new SimConfigError(p, `unknown axis (known: ${Object.keys(specs).join(", ")})`, v);
    let values: unknown[];
    if (Array.isArray(v)) values = v;
    else if (typeof v === "object" && v !== null && "perDecade" in v) values = expandLog(logGrid()(v, p));
    else if (typeof v === "object" && v !== null && "steps" in v) values = expandLin(linGrid()(v, p));
    else throw new SimConfigError(p, "expected an array of values, {from, to, steps} or {from, to, perDecade}", v);
    if (values.length === 0) throw new SimConfigError(p, "needs at least one value", v);
    out[k] = values.map((x, i) => {
      if (!isScalar(x)) throw new SimConfigError(`${p}[${i}]`, "expected a number, string or boolean", x);
      return spec(x, `${p}[${i}]`);
    });
  }
  if (Object.keys(out).length === 0) throw new SimConfigError(path, "needs at least one axis", raw);
  return out;
}

/** Cartesian product of the axes, first axis slowest. */
export function expandGrid(axes: Record<string, readonly Cell[]>): GridPoint[] {
  let points: GridPoint[] = [{}];
  for (const [k, vs] of Object.entries(axes)) points = points.flatMap((p) => vs.map((v) => ({ ...p, [k]: v })));
  return points;
}

export type GridOptions = { label: string; keepGoing?: boolean; estimateSecondsPerPoint?: number };

/** Runs `fn` on every point in order with a progress line per point (done/total, elapsed, time left). */
export async function runGrid(
  points: GridPoint[],
  fn: (p: GridPoint, i: number) => Promise<Row>,
  o: GridOptions,
): Promise<Row[]> {
  const s = step(
    `${o.label}: ${points.length} points`,
    o.estimateSecondsPerPoint !== undefined ? { estimateSeconds: o.estimateSecondsPerPoint * points.length } : {},
  );
  const rows: Row[] = [];
  try {
    for (let i = 0; i < points.length; i++) {
      const p = points[i]!;
      try {
        rows.push({ ...p, ...(await fn(p, i)) });
      } catch (e) {
        if (!o.keepGoing) throw e;
        rows.push({ ...p, error: `${(e as Error).name}: ${(e as Error).message}` });
      }
      s.update(i + 1, points.length);
    }
  } finally {
    s.end(`${rows.length}/${points.length} points`);
  }
  return rows;
}

/** Checks a grid output path before any work: a writable .csv or .json file. */
export function checkGridOut(out: string, option = "out"): "csv" | "json" {
  const ext = extname(out).toLowerCase();
  if (ext !== ".csv" && ext !== ".json")
    throw new OutPathError(`--${option} must end in .csv or .json`, { option, path: out });
  checkOutPath(out, option);
  return ext === ".csv" ? "csv" : "json";
}

/** Writes the grid as CSV or JSON (`{name, columns, rows}`) by the file's extension, atomically. */
export function writeGrid(out: string, t: Table): void {
  const fmt = checkGridOut(out);
  writeFileAtomic(out, fmt === "csv" ? toCsv(t) : stableJson({ name: t.name, columns: t.columns, rows: t.rows }));
}

/** Columns of a table: every key of every row, in first-seen order. */
export function columnsOf(rows: Row[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}
