/**
 * Typed errors for zkfp (viem's BaseError pattern): every error has a literal `name`, a short
 * message and the offending value in `detail`, so callers and the CLI can report bad input
 * precisely. Modules subclass ZkfpError with their own literal names.
 */
export class ZkfpError extends Error {
  override readonly name: string = "ZkfpError";
  readonly detail: Record<string, unknown>;
  constructor(message: string, detail: Record<string, unknown> = {}) {
    super(message);
    this.detail = detail;
  }
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, detail: this.detail };
  }
}
