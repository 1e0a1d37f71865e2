/**
 * `zkfp/cli`: the CLI as a library: `runCli(argv)` runs a command as `zkfp` would and returns the
 * exit code; `step`/`withStep` print progress lines for long steps (cli/progress.ts); `EXIT` and
 * `exitCodeFor` are the exit codes (cli/exit.ts); `checkOutPath`/`checkRpcUrl` the pre-run checks;
 * `writeFileAtomic` the atomic output writer; `onInterrupt` registers a Ctrl-C cleanup;
 * `listCache`/`removeStale` read and clean the caches.
 */
export { main as runCli, type MainOptions } from "./main.ts";
export { parseArgs, UsageError, type OptionSpec, type PositionalSpec, type Parsed } from "./args.ts";
export type { Command, CommandContext, CommandResult } from "./command.ts";
export {
  step,
  withStep,
  progressLine,
  configureProgress,
  fmtSeconds,
  type Step,
  type StepOptions,
} from "./progress.ts";
export { EXIT, exitCodeFor, errorJson } from "./exit.ts";
export { checkOutPath, checkRpcUrl, OutPathError, RpcUrlError, RpcUnreachableError } from "./checks.ts";
export { writeFileAtomic, cleanTempsOnInterrupt } from "./output.ts";
export { onInterrupt, InterruptedError } from "./interrupt.ts";
export { listCache, removeStale, type CacheEntry } from "./cache.ts";
export {
  parseAxes,
  expandGrid,
  runGrid,
  checkGridOut,
  writeGrid,
  columnsOf,
  readJsonFile,
  type GridPoint,
  type GridOptions,
} from "./grid.ts";
