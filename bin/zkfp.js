#!/usr/bin/env node
// Entry point of the `zkfp` CLI: runs the TypeScript sources through tsx's loader. Exits as soon as
// the command returns (a library's leftover timer, e.g. an RPC provider's retry loop, must not keep
// a finished command alive); stdout/stderr writes to files and pipes are synchronous on Linux.
import { register } from "tsx/esm/api";
register();
const { main } = await import("../cli/main.ts");
process.exit(await main(process.argv.slice(2), { signals: true }));
