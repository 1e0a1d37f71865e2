/** The error base class lives in lib/errors.ts; re-exported here for the modules that import it from vm/. */
export { ZkfpError } from "../lib/errors.ts";
