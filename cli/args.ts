/** Minimal, strict argument parser for the zkfp CLI: `--name value`, `--flag`, positionals. */
import { ZkfpError } from "../vm/errors.ts";

export class UsageError extends ZkfpError {
  override readonly name = "UsageError";
}

export type OptionSpec = { type: "string" | "number" | "boolean"; desc: string; default?: string | number | boolean };
export type Parsed = { positionals: string[]; opts: Record<string, string | number | boolean | undefined> };

export function parseArgs(argv: string[], spec: Record<string, OptionSpec>): Parsed {
  const opts: Parsed["opts"] = {};
  const positionals: string[] = [];
  for (const [k, s] of Object.entries(spec)) if (s.default !== undefined) opts[k] = s.default;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--")) { positionals.push(a); continue; }
    const eq = a.indexOf("=");
    const key = a.slice(2, eq < 0 ? undefined : eq);
    const s = spec[key];
    if (!s) throw new UsageError(`unknown option --${key}`, { option: key });
    if (s.type === "boolean") { opts[key] = eq < 0 ? true : a.slice(eq + 1) !== "false"; continue; }
    const raw = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (raw === undefined) throw new UsageError(`option --${key} needs a value`, { option: key });
    if (s.type === "number") {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new UsageError(`option --${key} expects a number`, { option: key, value: raw });
      opts[key] = n;
    } else opts[key] = raw;
  }
  return { positionals, opts };
}
