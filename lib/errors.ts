/**
 * Typed errors for zkfp (viem's BaseError pattern): every error has a literal `name`, a short
 * message, the offending value in `detail`, and optionally the error that caused it (`cause`, ES2022
 * ErrorOptions), so callers and the CLI can report bad input precisely. Modules subclass ZkfpError
 * with their own literal names. vm/errors.ts re-exports this class for its existing importers.
 */
export class ZkfpError extends Error {
  override readonly name: string = "ZkfpError";
  readonly detail: Record<string, unknown>;
  constructor(message: string, detail: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.detail = detail;
  }

  /**
   * Follows the `cause` chain from this error: returns the first error for which `fn` holds (null if
   * none does), or without `fn` the deepest cause.
   */
  walk(fn?: (err: unknown) => boolean): unknown {
    const seen = new Set<unknown>();
    let err: unknown = this;
    for (;;) {
      if (fn?.(err)) return err;
      const next =
        err !== null && typeof err === "object" && "cause" in err ? (err as { cause: unknown }).cause : undefined;
      if (next === undefined || seen.has(next)) return fn ? null : err;
      seen.add(err);
      err = next;
    }
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message, detail: this.detail };
    if (this.cause !== undefined) {
      const c = this.cause;
      out.cause =
        c instanceof ZkfpError ? c.toJSON() : c instanceof Error ? { name: c.name, message: c.message } : String(c);
    }
    return out;
  }
}
