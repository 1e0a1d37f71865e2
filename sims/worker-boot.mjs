// Worker-thread entry for sims/pool.ts. Node 20 does not apply `--import tsx` passed in a Worker's
// execArgv to ESM resolution of the worker's own .ts entry (ERR_UNKNOWN_FILE_EXTENSION, checked
// 2026-11-25), so this plain-JS file registers tsx's loader first and then imports the TS worker.
import { register } from "tsx/esm/api";
register();
await import(new URL("./worker.ts", import.meta.url).href);
