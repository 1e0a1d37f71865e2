/**
 * Registry of zkfp subcommands. Commands are DISCOVERED automatically: every module in this
 * folder that exports a `Command` object (name, summary, usage, options, run) is registered, so
 * adding a command never requires editing this file.
 */
import { readdirSync } from "node:fs";
import type { Command } from "../command.ts";

function isCommand(x: unknown): x is Command {
  return typeof x === "object" && x !== null && typeof (x as Command).name === "string" && typeof (x as Command).run === "function" && typeof (x as Command).usage === "string";
}

const dir = new URL("./", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "index.ts" && !f.endsWith(".test.ts")).sort();
const found: Command[] = [];
for (const f of files) {
  const mod = (await import(new URL(f, dir).href)) as Record<string, unknown>;
  for (const v of Object.values(mod)) if (isCommand(v) && !found.some((c) => c.name === v.name)) found.push(v);
}
const order = ["demo", "run", "dispute", "prove", "verify", "infer", "sim"];
found.sort((a, b) => (order.indexOf(a.name) + 1 || 99) - (order.indexOf(b.name) + 1 || 99) || a.name.localeCompare(b.name));

export const commands: Command[] = found;
