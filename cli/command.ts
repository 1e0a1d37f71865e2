/**
 * The shape of one zkfp subcommand. `run` returns a result: `json` is printed as exactly one JSON
 * object on stdout under `--json`, `text` otherwise. Progress goes to stderr through `ctx.progress`
 * (silent under --json unless stderr is a TTY), so stdout stays machine-readable.
 */
import type { OptionSpec, Parsed } from "./args.ts";

export type CommandResult = { exitCode: number; json: Record<string, unknown>; text: string };
export type CommandContext = { json: boolean; progress: (msg: string) => void };
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  run(args: Parsed, ctx: CommandContext): Promise<CommandResult>;
}
