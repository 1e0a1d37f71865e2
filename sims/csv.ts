/**
 * Deterministic CSV and JSON output for simulation tables. Numbers are written with
 * `toPrecision(12)` trimmed of trailing zeros, so the same computation gives byte-identical files
 * (the determinism tests compare bytes) and floating-point noise below 12 significant digits never
 * shows. Files are written to a temp name and renamed (nothing half-written).
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export type Cell = number | string | boolean | null;
export type Row = Record<string, Cell>;
export type Table = { name: string; columns: string[]; rows: Row[] };

export function fmtNum(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (x === 0) return "0";
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const s = x.toPrecision(12);
  if (s.includes("e")) {
    const [m, e] = s.split("e");
    return trimZeros(m!) + "e" + e;
  }
  return trimZeros(s);
}
function trimZeros(s: string): string {
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

function cell(v: Cell): string {
  if (v === null) return "";
  if (typeof v === "number") return fmtNum(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function toCsv(t: Table): string {
  const lines = [t.columns.join(",")];
  for (const r of t.rows) lines.push(t.columns.map((c) => cell(r[c] ?? null)).join(","));
  return lines.join("\n") + "\n";
}

/** JSON with numbers rounded the same way as the CSV (stable across runs). */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === "number" && Number.isFinite(x) ? Number(fmtNum(x)) : x), 2) + "\n";
}

export function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
