/**
 * The shape of one zkfp subcommand (a module `cli/commands/<name>.ts` exporting it; discovered by
 * cli/commands/index.ts). `run` returns a result: `json` is printed as exactly one JSON object on
 * stdout under `--json`, `text` otherwise, and `exitCode` is the process's (cli/exit.ts).
 *
 * What every command inherits from cli/main.ts without writing it: strict options (unknown ones are
 * UsageErrors with a suggestion; cli/args.ts), no positionals unless declared in `positionals`,
 * pre-run checks of `--out` and `--rpc-url` (cli/checks.ts), errors mapped to exit codes in one
 * place (cli/exit.ts) and printed as `{"error": {name, message, detail, exitCode}}` under --json,
 * stdout reserved for the result (anything else a library prints, e.g. ethers' console noise, is
 * sent to stderr while the command runs), progress on stderr (`ctx.progress`, or `step` of
 * cli/progress.ts for long steps with an estimate), and Ctrl-C cleanup (cli/interrupt.ts).
 */
import type { OptionSpec, Parsed, PositionalSpec } from "./args.ts";

export type CommandResult = { exitCode: number; json: Record<string, unknown>; text: string };
export type CommandContext = { json: boolean; progress: (msg: string) => void };
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  /** positional arguments it accepts (default: none; extras are a UsageError) */
  positionals?: PositionalSpec[];
  run(args: Parsed, ctx: CommandContext): Promise<CommandResult>;
}
