/**
 * A tiny typed validator for simulation configs: each `Spec<T>` checks an unknown JSON value and
 * returns it typed, or throws SimConfigError naming the field path (`felten.C`, `km.k[3]`). Unknown
 * keys are errors too, so a typo never silently falls back to a default.
 * Hand-written rather than a schema library: the project keeps dependencies few (STYLE.md), and
 * these ~80 lines give exactly the error shape the CLI reports.
 */
import { SimConfigError } from "./errors.ts";

export type Spec<T> = ((v: unknown, path: string) => T) & { optional?: boolean; dflt?: unknown };
type Out<S> = S extends Spec<infer T> ? T : never;

export function num(o: { min?: number; max?: number; gt?: number; int?: boolean } = {}): Spec<number> {
  return (v, p) => {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new SimConfigError(p, "expected a finite number", v);
    if (o.int && !Number.isInteger(v)) throw new SimConfigError(p, "expected an integer", v);
    if (o.min !== undefined && v < o.min) throw new SimConfigError(p, `must be >= ${o.min}`, v);
    if (o.gt !== undefined && !(v > o.gt)) throw new SimConfigError(p, `must be > ${o.gt}`, v);
    if (o.max !== undefined && v > o.max) throw new SimConfigError(p, `must be <= ${o.max}`, v);
    return v;
  };
}
export const prob = (): Spec<number> => num({ min: 0, max: 1 });
export const pos = (): Spec<number> => num({ gt: 0 });
export const nonneg = (): Spec<number> => num({ min: 0 });
export const int = (min = 0, max?: number): Spec<number> => num({ int: true, min, max });

export function str(): Spec<string> {
  return (v, p) => {
    if (typeof v !== "string" || v === "") throw new SimConfigError(p, "expected a non-empty string", v);
    return v;
  };
}
export function oneOf<T extends string>(...vals: T[]): Spec<T> {
  return (v, p) => {
    if (typeof v !== "string" || !(vals as string[]).includes(v))
      throw new SimConfigError(p, `expected one of ${vals.join("|")}`, v);
    return v as T;
  };
}
export function arr<T>(item: Spec<T>, o: { minLen?: number; maxLen?: number } = {}): Spec<T[]> {
  return (v, p) => {
    if (!Array.isArray(v)) throw new SimConfigError(p, "expected an array", v);
    if (o.minLen !== undefined && v.length < o.minLen)
      throw new SimConfigError(p, `needs at least ${o.minLen} entries`, v.length);
    if (o.maxLen !== undefined && v.length > o.maxLen)
      throw new SimConfigError(p, `allows at most ${o.maxLen} entries`, v.length);
    return v.map((x, i) => item(x, `${p}[${i}]`));
  };
}
export function opt<T>(s: Spec<T>, dflt: T): Spec<T> {
  const f = ((v: unknown, p: string) => (v === undefined ? dflt : s(v, p))) as Spec<T>;
  f.optional = true;
  return f;
}
export function obj<S extends Record<string, Spec<unknown>>>(shape: S): Spec<{ [K in keyof S]: Out<S[K]> }> {
  return (v, p) => {
    if (typeof v !== "object" || v === null || Array.isArray(v))
      throw new SimConfigError(p || "(root)", "expected an object", v);
    const o = v as Record<string, unknown>;
    const at = (k: string) => (p ? `${p}.${k}` : k);
    for (const k of Object.keys(o)) if (!(k in shape)) throw new SimConfigError(at(k), "unknown field", o[k]);
    const out: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(shape)) {
      if (o[k] === undefined && !s.optional) throw new SimConfigError(at(k), "is required");
      out[k] = s(o[k], at(k));
    }
    return out as { [K in keyof S]: Out<S[K]> };
  };
}
/** A log-spaced grid: `{from, to, perDecade}` -> values from..to inclusive. */
export type LogGrid = { from: number; to: number; perDecade: number };
export const logGrid = (): Spec<LogGrid> => {
  const base = obj({ from: pos(), to: pos(), perDecade: int(1, 100) });
  return (v, p) => {
    const g = base(v, p);
    if (g.to < g.from) throw new SimConfigError(`${p}.to`, "must be >= from", g.to);
    return g;
  };
};
export function expandLog(g: LogGrid): number[] {
  const a = Math.log10(g.from),
    b = Math.log10(g.to);
  const n = Math.round((b - a) * g.perDecade);
  const out: number[] = [];
  for (let i = 0; i <= n; i++) out.push(Number((10 ** (a + ((b - a) * i) / Math.max(n, 1))).toPrecision(12)));
  return out;
}
export type LinGrid = { from: number; to: number; steps: number };
export const linGrid = (): Spec<LinGrid> => {
  const base = obj({ from: num(), to: num(), steps: int(2, 100000) });
  return (v, p) => {
    const g = base(v, p);
    if (g.to <= g.from) throw new SimConfigError(`${p}.to`, "must be > from", g.to);
    return g;
  };
};
export function expandLin(g: LinGrid): number[] {
  return Array.from({ length: g.steps }, (_, i) =>
    Number((g.from + ((g.to - g.from) * i) / (g.steps - 1)).toPrecision(12)),
  );
}
export function bool(): Spec<boolean> {
  return (v, p) => {
    if (typeof v !== "boolean") throw new SimConfigError(p, "expected true or false", v);
    return v;
  };
}
