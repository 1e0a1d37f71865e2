/** zkfp CLI dispatcher: `zkfp <command> [options] [--json]`. Commands live in cli/commands/. */
import { parseArgs, UsageError } from "./args.ts";
import type { Command, CommandContext } from "./command.ts";
import { ZkfpError } from "../vm/errors.ts";
import { commandNames, loadAllCommands, loadCommand } from "./commands/index.ts";

function help(commands: Command[]): string {
  const lines = ["usage: zkfp <command> [options] [--json]", "", "commands:"];
  for (const c of commands) lines.push(`  ${c.name.padEnd(10)} ${c.summary}`);
  return lines.join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const json = argv.includes("--json");
  const name = argv[0];
  try {
    if (!name || name === "help" || name === "--help" || name === "--json") {
      const commands = await loadAllCommands();
      process.stdout.write(json ? JSON.stringify({ commands: commands.map((c) => ({ name: c.name, summary: c.summary, usage: c.usage })) }) + "\n" : help(commands) + "\n");
      return 0;
    }
    const cmd = await loadCommand(name);
    if (!cmd) throw new UsageError(`unknown command ${JSON.stringify(name)}`, { command: name, commands: commandNames() });
    const spec = { ...cmd.options, json: { type: "boolean" as const, desc: "print one JSON object on stdout" }, help: { type: "boolean" as const, desc: "show usage" } };
    const parsed = parseArgs(argv.slice(1), spec);
    if (parsed.opts.help) {
      const opts = Object.entries(cmd.options).map(([k, s]) => `  --${k.padEnd(18)} ${s.desc}`);
      process.stdout.write(`usage: ${cmd.usage}\n${cmd.summary}\n${opts.join("\n")}\n`);
      return 0;
    }
    const ctx: CommandContext = {
      json,
      progress: (msg) => { if (!json || process.stderr.isTTY) process.stderr.write(msg + "\n"); },
    };
    const res = await cmd.run(parsed, ctx);
    process.stdout.write(json ? JSON.stringify(res.json) + "\n" : res.text + (res.text.endsWith("\n") ? "" : "\n"));
    return res.exitCode;
  } catch (e) {
    const err = e instanceof ZkfpError ? e.toJSON() : { name: (e as Error).name ?? "Error", message: String((e as Error).message ?? e), detail: {} };
    if (json) process.stdout.write(JSON.stringify({ error: err }) + "\n");
    else process.stderr.write(`zkfp: ${err.name}: ${err.message}${Object.keys(err.detail as object).length ? " " + JSON.stringify(err.detail) : ""}\n`);
    return e instanceof UsageError ? 64 : 70;
  }
}
