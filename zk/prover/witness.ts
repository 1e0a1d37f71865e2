/**
 * Witness failures as typed errors, with nothing raw on the console.
 *
 * circom's witness calculator (circom_runtime, run by snarkjs `wtns.calculate` / `*.fullProve`)
 * reports a failed `assert` or `===` by writing `ERROR:  4 Error in template RvSteps_162 line: 616`
 * with console.error (console.log for a failed constraint check, code 7/9) and then throwing
 * `Error("Assert Failed. Error in template ...")`. `quietWitness(fn)` runs `fn` with exactly those
 * console calls (first argument "ERROR: ") captured, and turns the throw into:
 *
 *  - `WitnessUnsatisfiable` (a ProverError; literal name; detail: kind, template, line, code) when the inputs
 *    violate the circuit (an assert, a constraint): the claimed transition is false, e.g. a liar's
 *    post-root. The caller decides how to report it (the demo: the liar's proof is refused);
 *  - the original error otherwise (an input signal missing, memory): a caller bug, not a verdict.
 *
 * zk/snarkjs.ts applies it to every `fullProve` and `wtns.calculate`, so all callers get it.
 * Other console output passes through untouched, also from code running concurrently.
 */
import { ZkfpError } from "../../vm/errors.ts";
import { ProverError } from "./errors.ts";

/**
 * The inputs do not satisfy the circuit (the statement to prove is false). A ProverError, so a
 * caller that treats "no proof" as one case (protocol/trace/leaf.ts) still catches it.
 */
export class WitnessUnsatisfiable extends ProverError {
  override readonly name = "WitnessUnsatisfiable";
}

/** circom_runtime exception codes (witness_calculator.js `exceptionHandler`) that mean "unsatisfiable". */
const UNSAT_KINDS = ["Assert Failed"] as const;

export type WitnessFailure = {
  kind: string;
  template: string | null;
  line: number | null;
  code: number | null;
  message: string;
};

/** Parses circom_runtime's error message and the captured "ERROR:" console lines. */
export function parseWitnessError(message: string, captured: unknown[][] = []): WitnessFailure {
  const loc =
    /Error in template (\S+) line: (\d+)/.exec(message) ??
    captured.map((a) => /Error in template (\S+) line: (\d+)/.exec(a.map(String).join(" "))).find(Boolean) ??
    null;
  // snarkjs may rethrow it as "Error: Assert Failed. ..."
  const kind = /^(?:Error: )*([A-Z][A-Za-z ]+?)\. /.exec(message)?.[1] ?? message.split("\n")[0]!.trim();
  const codeArg = captured.map((a) => a[1]).find((c) => typeof c === "number");
  return {
    kind,
    template: loc?.[1] ?? null,
    line: loc ? Number(loc[2]) : null,
    code: typeof codeArg === "number" ? codeArg : null,
    message: message.trim(),
  };
}

/** True for a failure that means the witness does not exist (vs a malformed input or a crash). */
export function isUnsatisfiable(f: WitnessFailure): boolean {
  // code 7 / 9: a constraint check (`a === b` with sanity checks on) failed
  return (UNSAT_KINDS as readonly string[]).includes(f.kind) || f.code === 4 || f.code === 7 || f.code === 9;
}

let depth = 0;
let saved: { error: typeof console.error; log: typeof console.log } | null = null;
const sinks = new Set<unknown[][]>();

function install(): void {
  if (depth++ > 0) return;
  saved = { error: console.error, log: console.log };
  const filter =
    (orig: (...a: unknown[]) => void) =>
    (...a: unknown[]) => {
      if (a[0] === "ERROR: ") {
        for (const s of sinks) s.push(a);
        return;
      }
      orig(...a);
    };
  console.error = filter(saved.error);
  console.log = filter(saved.log);
}

function uninstall(): void {
  if (--depth > 0 || !saved) return;
  console.error = saved.error;
  console.log = saved.log;
  saved = null;
}

/** Runs a witness computation (see the module header); `what` names the circuit in the error. */
export async function quietWitness<T>(fn: () => Promise<T>, what: Record<string, unknown> = {}): Promise<T> {
  const captured: unknown[][] = [];
  sinks.add(captured);
  install();
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof Error) || e instanceof ZkfpError) throw e;
    const f = parseWitnessError(e.message, captured);
    if (!isUnsatisfiable(f)) throw e;
    const where = f.template ? ` in template ${f.template}${f.line !== null ? ` line ${f.line}` : ""}` : "";
    throw new WitnessUnsatisfiable(`the inputs do not satisfy the circuit (${f.kind}${where})`, {
      ...what,
      kind: f.kind,
      template: f.template,
      line: f.line,
      code: f.code,
    });
  } finally {
    sinks.delete(captured);
    uninstall();
  }
}
