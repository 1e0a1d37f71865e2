/**
 * Exit codes of the zkfp CLI, and the ONE place that maps an error to its code (sysexits.h values):
 *
 *   0   ok
 *   1   the checked thing is false (verify: INVALID; demo/dispute: the honest party lost; sim: a check failed)
 *   64  bad usage or a bad value on the command line (EX_USAGE), an --out path that cannot be
 *       written, an --rpc-url that is not a URL or does not answer, a huge request without --yes
 *   65  bad input data: a file the user supplied is malformed (EX_DATAERR): ELF, proof file, config
 *   70  internal error (EX_SOFTWARE): anything not classified below
 *   124 `run` stopped at --max-steps before the guest halted (as timeout(1))
 *   130 interrupted (SIGINT / SIGTERM)
 *
 * (`run` exits with the guest's own exit code when the guest halts, 128 + trap cause when it traps.)
 *
 * Errors are classified by their literal `name` (vm/errors.ts: every ZkfpError subclass has one), so
 * this table needs no import of the modules that define them (commands load lazily).
 */
export const EXIT = { OK: 0, FALSE: 1, USAGE: 64, DATA: 65, INTERNAL: 70, MAX_STEPS: 124, INTERRUPTED: 130 } as const;

/** Errors caused by what the user typed on the command line. */
const USAGE_ERRORS = new Set([
  "UsageError",
  "OutPathError",
  "RpcUrlError",
  "RpcUnreachableError",
  "DemoConfigError",
  "DisputeConfigError",
  "BadPhaseParamsError",
  "EndpointError",
  "ProviderUnavailableError",
  "Risc0NotInstalledError",
  "SimDomainError",
  "InsecureSetupError",
  "LargeRequestError",
]);

/** Errors caused by the content of a file the user supplied. */
const DATA_ERRORS = new Set([
  "ElfError",
  "ProofFileError",
  "SimConfigError",
  "BenchFileError",
  "FormatError",
  "CheckpointError",
  "MnistError",
  "PtauError",
  "CeremonyError",
]);

export function exitCodeFor(e: unknown): number {
  const name = e instanceof Error ? e.name : "";
  if (name === "InterruptedError") return EXIT.INTERRUPTED;
  if (USAGE_ERRORS.has(name)) return EXIT.USAGE;
  if (DATA_ERRORS.has(name)) return EXIT.DATA;
  return EXIT.INTERNAL;
}

/** The `{name, message, detail}` of any thrown value, for `{"error": ...}` under --json. */
export function errorJson(e: unknown): {
  name: string;
  message: string;
  detail: Record<string, unknown>;
  exitCode: number;
} {
  const exitCode = exitCodeFor(e);
  if (e instanceof Error) {
    const detail = (e as { detail?: unknown }).detail;
    const d: Record<string, unknown> =
      typeof detail === "object" && detail !== null ? { ...(detail as Record<string, unknown>) } : {};
    const code = (e as { code?: unknown }).code;
    if (code !== undefined && d.code === undefined) d.code = code;
    if (e.cause !== undefined && d.cause === undefined)
      d.cause = e.cause instanceof Error ? { name: e.cause.name, message: e.cause.message } : String(e.cause);
    return { name: e.name || "Error", message: e.message, detail: safe(d), exitCode };
  }
  return { name: "Error", message: String(e), detail: {}, exitCode };
}

/** JSON-safe copy: bigint as decimal strings, cycles and functions dropped. */
function safe(v: Record<string, unknown>): Record<string, unknown> {
  const seen = new WeakSet();
  return JSON.parse(
    JSON.stringify(v, (_k, x) => {
      if (typeof x === "bigint") return x.toString();
      if (typeof x === "function") return undefined;
      if (typeof x === "object" && x !== null) {
        if (seen.has(x)) return undefined;
        seen.add(x);
      }
      return x;
    }),
  ) as Record<string, unknown>;
}
