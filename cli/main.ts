/**
 * zkfp CLI dispatcher: `zkfp <command> [arguments] [options] [--json]`. Commands live in
 * cli/commands/ (one module each, discovered); the rules every command inherits are listed in
 * cli/command.ts. `zkfp` alone prints the help on stderr and exits 64; `zkfp help`, `--help`, `-h`
 * print it on stdout and exit 0; `zkfp help <command>` = `zkfp <command> --help`.
 */
import { closest, parseArgs, UsageError, type OptionSpec } from "./args.ts";
import type { Command, CommandContext } from "./command.ts";
import { commandNames, describeCommands, loadCommand, type CommandInfo } from "./commands/index.ts";
import { runChecks } from "./checks.ts";
import { errorJson, EXIT } from "./exit.ts";
import { cleanUpNow, installInterruptHandler } from "./interrupt.ts";
import { configureProgress, progressLine } from "./progress.ts";

function help(commands: CommandInfo[]): string {
  const lines = ["usage: zkfp <command> [arguments] [options] [--json]", "", "commands:"];
  for (const c of commands) lines.push(`  ${c.name.padEnd(10)} ${c.summary}`);
  lines.push(
    "",
    "`zkfp <command> --help` shows a command's options. Exit codes: 0 ok, 1 the checked thing is false,",
    "64 bad usage or value, 65 bad input file, 70 internal error, 124 run hit --max-steps, 130 interrupted.",
  );
  return lines.join("\n");
}

const GLOBAL: Record<string, OptionSpec> = {
  json: { type: "boolean", desc: "print exactly one JSON object on stdout (errors too); human text goes to stderr" },
  help: { type: "boolean", desc: "show this command's usage and options" },
};

function commandHelp(cmd: Command): string {
  const fmtDefault = (s: OptionSpec) =>
    s.default !== undefined && s.type !== "boolean" ? ` (default ${String(s.default)})` : "";
  const lines = [`usage: ${cmd.usage}`, cmd.summary];
  if (cmd.positionals?.length) {
    lines.push("", "arguments:");
    for (const p of cmd.positionals)
      lines.push(`  ${`<${p.name}>`.padEnd(20)} ${p.desc}${p.required ? "" : " (optional)"}`);
  }
  lines.push("", "options:");
  for (const [k, s] of Object.entries({ ...cmd.options, ...GLOBAL }))
    lines.push(`  --${k.padEnd(18)} ${s.desc}${fmtDefault(s)}`);
  return lines.join("\n");
}

export type MainOptions = {
  /** install the SIGINT/SIGTERM and uncaught-error handlers (bin/zkfp.js does; in-process callers such as tests do not) */
  signals?: boolean;
};

export async function main(argv: string[], o: MainOptions = {}): Promise<number> {
  if (argv[0] === "help" && argv[1] !== undefined && !argv[1].startsWith("-"))
    argv = [argv[1], "--help", ...argv.slice(2)];
  const json = argv.includes("--json") || argv.includes("--json=true");
  // stdout is the result's alone: while the command runs, whatever else writes to it (ethers'
  // "JsonRpcProvider failed to detect network", snarkjs, console.log in a library) goes to stderr
  const stdout = process.stdout;
  const realWrite = stdout.write;
  const out = (s: string) => {
    realWrite.call(stdout, s);
  };
  stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) =>
    (process.stderr.write as (...a: unknown[]) => boolean)(chunk, ...rest)) as typeof stdout.write;
  configureProgress({ enabled: true }); // stderr: never in the way of --json's stdout
  const fail = (e: unknown): number => {
    const err = errorJson(e);
    if (json) out(JSON.stringify({ error: err }) + "\n");
    else {
      const detail = Object.keys(err.detail).length ? " " + JSON.stringify(err.detail) : "";
      process.stderr.write(`zkfp: ${err.name}: ${err.message}${detail}\n`);
    }
    return err.exitCode;
  };
  if (o.signals) {
    installInterruptHandler((e) => {
      stdout.write = realWrite;
      return fail(e);
    });
    // a library's stray rejection or throw (e.g. from a provider's background poll) ends the run as
    // an internal error with the same cleanup and one JSON object, not a bare stack trace
    const crash = (e: unknown) => {
      cleanUpNow();
      stdout.write = realWrite;
      process.exit(fail(e));
    };
    process.on("uncaughtException", crash);
    process.on("unhandledRejection", crash);
  }
  try {
    const name = argv[0];
    if (name === undefined || (name.startsWith("-") && !["--help", "-h"].includes(name))) {
      // no command: usage on stderr, exit 64 (a script that forgot the command must not "succeed")
      if (name !== undefined && name !== "--json")
        throw new UsageError(`expected a command before ${name}`, { argument: name, commands: commandNames() });
      const commands = await describeCommands();
      if (json) throw new UsageError("no command given", { commands: commandNames() });
      process.stderr.write(help(commands) + "\n");
      return EXIT.USAGE;
    }
    if (name === "help" || name === "--help" || name === "-h") {
      const commands = await describeCommands();
      out(
        json
          ? JSON.stringify({ commands: commands.map((c) => ({ name: c.name, summary: c.summary, usage: c.usage })) }) +
              "\n"
          : help(commands) + "\n",
      );
      return EXIT.OK;
    }
    const cmd = await loadCommand(name);
    if (!cmd) {
      const hint = closest(name, commandNames());
      throw new UsageError(`unknown command ${JSON.stringify(name)}${hint ? ` (did you mean ${hint}?)` : ""}`, {
        command: name,
        ...(hint ? { suggestion: hint } : {}),
        commands: commandNames(),
      });
    }
    const spec = { ...cmd.options, ...GLOBAL };
    const parsed = parseArgs(argv.slice(1), spec, parsedHelp(argv) ? "any" : (cmd.positionals ?? []));
    if (parsed.opts.help) {
      out(
        json
          ? JSON.stringify({
              name: cmd.name,
              summary: cmd.summary,
              usage: cmd.usage,
              positionals: cmd.positionals ?? [],
              options: cmd.options,
            }) + "\n"
          : commandHelp(cmd) + "\n",
      );
      return EXIT.OK;
    }
    await runChecks(spec, parsed.opts, parsed.given);
    const ctx: CommandContext = { json, progress: progressLine };
    const res = await cmd.run(parsed, ctx);
    out(
      json
        ? JSON.stringify(res.json, (_k, v) => (typeof v === "bigint" ? v.toString() : v)) + "\n"
        : res.text + (res.text.endsWith("\n") ? "" : "\n"),
    );
    return res.exitCode;
  } catch (e) {
    return fail(e);
  } finally {
    stdout.write = realWrite;
  }
}

/** `--help` / `-h` anywhere: positionals are not checked (the user asks how to call the command). */
function parsedHelp(argv: string[]): boolean {
  return argv.includes("--help") || argv.includes("-h");
}
