/**
 * Strict argument parser for the zkfp CLI: `--name value`, `--name=value`, `--flag`, positionals,
 * `--` ends the options. Every command gets the same rules (cli/main.ts calls this for all):
 *
 *  - an option not in the command's spec is a UsageError naming it and suggesting the closest one;
 *  - an option given twice, a number option whose value is not a finite number (the empty string
 *    included), a boolean written `--flag=x` with x not true/false: UsageError;
 *  - single-dash words (`-x`) are unknown options (`-h` is `--help`); negative numbers are values;
 *  - positionals beyond what the command declares (`Command.positionals`, none by default) are a
 *    UsageError naming the first extra one, and declared required ones must be present;
 *  - an option with `when` given while its positional has another value is a UsageError (checked
 *    before "needs a value", so `infer mnist --tokens` says --tokens is not for mnist).
 *
 * `given` lists the options the user actually wrote, so a command can tell "--tokens 1" from the
 * default and refuse options that do not apply to the case at hand.
 */
import { ZkfpError } from "../vm/errors.ts";

/** Bad usage or a bad value on the command line: exit 64. */
export class UsageError extends ZkfpError {
  override readonly name = "UsageError";
}

/** What a pre-run check (cli/checks.ts) does with the option's value before the command starts. */
export type OptionCheck = "out-path" | "rpc-url" | "in-file";
export type OptionSpec = {
  type: "string" | "number" | "boolean";
  desc: string;
  default?: string | number | boolean;
  check?: OptionCheck;
  /** the option applies only when positional `arg` (an index) is one of `is` (e.g. --tokens: model stories260K) */
  when?: { arg: number; is: string[] };
};
export type PositionalSpec = { name: string; desc: string; required?: boolean };
export type Parsed = {
  positionals: string[];
  opts: Record<string, string | number | boolean | undefined>;
  given: ReadonlySet<string>;
};

/** Levenshtein distance (small strings: option names). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length]!;
}

/** The closest candidate to `word` if it is plausibly a typo of it (or a prefix of exactly one). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const prefixed = candidates.filter((c) => c.startsWith(word) && word.length >= 2);
  if (prefixed.length === 1) return prefixed[0];
  let best: string | undefined,
    bestD = Infinity;
  for (const c of candidates) {
    const dd = editDistance(word, c);
    if (dd < bestD) {
      best = c;
      bestD = dd;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function unknownOption(key: string, spec: Record<string, OptionSpec>, dashes = "--"): UsageError {
  const names = Object.keys(spec);
  const hint = closest(key, names);
  return new UsageError(`unknown option ${dashes}${key}${hint ? ` (did you mean --${hint}?)` : ""}`, {
    option: key,
    ...(hint ? { suggestion: hint } : {}),
    options: names,
  });
}

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$|^\s*0x[0-9a-f]+\s*$/i;

export function parseArgs(
  argv: string[],
  spec: Record<string, OptionSpec>,
  positionals: readonly PositionalSpec[] | "any" = "any",
): Parsed {
  const opts: Parsed["opts"] = {};
  const given = new Set<string>();
  const pos: string[] = [];
  for (const [k, s] of Object.entries(spec)) if (s.default !== undefined) opts[k] = s.default;
  let optionsEnded = false;
  let pending: UsageError | undefined; // a missing value: reported after the `when` checks
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (optionsEnded || a === "-" || !a.startsWith("-") || NUMBER.test(a)) {
      pos.push(a);
      continue;
    }
    if (a === "--") {
      optionsEnded = true;
      continue;
    }
    if (!a.startsWith("--")) {
      if (a === "-h" && spec.help) {
        given.add("help");
        opts.help = true;
        continue;
      }
      throw unknownOption(a.slice(1), spec, "-");
    }
    const eq = a.indexOf("=");
    const key = a.slice(2, eq < 0 ? undefined : eq);
    const s = spec[key];
    if (!s) throw unknownOption(key, spec);
    if (given.has(key)) throw new UsageError(`option --${key} given twice`, { option: key });
    given.add(key);
    if (s.type === "boolean") {
      if (eq < 0) {
        opts[key] = true;
        continue;
      }
      const v = a.slice(eq + 1);
      if (v !== "true" && v !== "false")
        throw new UsageError(`option --${key} is a flag (true|false)`, { option: key, value: v });
      opts[key] = v === "true";
      continue;
    }
    const raw = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (raw === undefined || (eq < 0 && raw.startsWith("--") && raw.length > 2)) {
      pending ??= new UsageError(`option --${key} needs a value`, { option: key });
      if (raw !== undefined) i--;
      continue;
    }
    if (s.type === "number") {
      const n = Number(raw);
      if (!NUMBER.test(raw) || !Number.isFinite(n))
        throw new UsageError(`option --${key} expects a number`, { option: key, value: raw });
      opts[key] = n;
    } else opts[key] = raw;
  }
  for (const key of given) {
    const w = spec[key]!.when;
    if (w && pos[w.arg] !== undefined && !w.is.includes(pos[w.arg]!)) {
      throw new UsageError(`option --${key} does not apply to ${pos[w.arg]} (only to ${w.is.join(", ")})`, {
        option: key,
        argument: pos[w.arg],
        appliesTo: w.is,
      });
    }
  }
  if (pending) throw pending;
  if (positionals !== "any") {
    if (pos.length > positionals.length) {
      const extra = pos[positionals.length]!;
      const what = positionals.length
        ? `takes ${positionals.length} argument(s) (${positionals.map((p) => p.name).join(", ")})`
        : "takes no positional arguments";
      throw new UsageError(`unexpected argument ${JSON.stringify(extra)}: this command ${what}`, {
        argument: extra,
        extra: pos.slice(positionals.length),
      });
    }
    const missing = positionals.slice(pos.length).find((p) => p.required);
    if (missing)
      throw new UsageError(`missing argument <${missing.name}> (${missing.desc})`, { argument: missing.name });
  }
  return { positionals: pos, opts, given };
}
