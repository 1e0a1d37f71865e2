/**
 * The typed failure of a game move. `detail.error` is the Solidity custom error's name
 * (contracts/src/game/Errors.sol) so the in-memory model and the chain driver fail identically and
 * the differential test compares them by name.
 */
import { ZkfpError } from "../../vm/errors.ts";

export class GameRevert extends ZkfpError {
  override readonly name = "GameRevert";
  readonly error: string;
  constructor(error: string, args: Record<string, unknown> = {}) {
    super(`move reverted: ${error}`, { error, ...args });
    this.error = error;
  }
}

export function isRevert(e: unknown, error?: string): e is GameRevert {
  return e instanceof GameRevert && (error === undefined || e.error === error);
}
