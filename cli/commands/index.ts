/**
 * Registry of zkfp subcommands, discovered from this folder: the module `<name>.ts` exports the
 * `Command` called `<name>`. Adding a command never requires editing this file. Modules are
 * imported lazily (only the one being run; all of them for `--help`), so the CLI starts fast even
 * though some commands pull in snarkjs, ethers or the ML models.
 */
import { readdirSync, readFileSync } from "node:fs";
import type { Command } from "../command.ts";

const dir = new URL("./", import.meta.url);
const ORDER = ["demo", "run", "dispute", "prove", "verify", "infer", "eval", "sim", "cache"];

export function commandNames(): string[] {
  const names = readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && f !== "index.ts" && !f.endsWith(".test.ts"))
    .map((f) => f.slice(0, -3));
  return names.sort((a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b));
}

function isCommand(x: unknown): x is Command {
  return (
    typeof x === "object" &&
    x !== null &&
    typeof (x as Command).name === "string" &&
    typeof (x as Command).run === "function" &&
    typeof (x as Command).usage === "string"
  );
}

export async function loadCommand(name: string): Promise<Command | undefined> {
  if (!commandNames().includes(name)) return undefined;
  const mod = (await import(new URL(`${name}.ts`, dir).href)) as Record<string, unknown>;
  return Object.values(mod).find((v): v is Command => isCommand(v) && v.name === name);
}

export async function loadAllCommands(): Promise<Command[]> {
  const out: Command[] = [];
  for (const n of commandNames()) {
    const c = await loadCommand(n);
    if (c) out.push(c);
  }
  return out;
}

export type CommandInfo = { name: string; summary: string; usage: string };

const literal = (src: string, key: string): string | undefined => {
  const m = new RegExp(`\\b${key}:\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(src);
  return m ? (JSON.parse(`"${m[1]}"`) as string) : undefined;
};

/** name, summary and usage of every command, for the help listing (see the module header). */
export async function describeCommands(): Promise<CommandInfo[]> {
  const out: CommandInfo[] = [];
  for (const n of commandNames()) {
    const src = readFileSync(new URL(`${n}.ts`, dir), "utf8");
    const name = literal(src, "name"),
      summary = literal(src, "summary"),
      usage = literal(src, "usage");
    if (name === n && summary !== undefined && usage !== undefined) {
      out.push({ name, summary, usage });
      continue;
    }
    const c = await loadCommand(n);
    if (c) out.push({ name: c.name, summary: c.summary, usage: c.usage });
  }
  return out;
}
