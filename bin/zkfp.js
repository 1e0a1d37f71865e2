#!/usr/bin/env node
// Entry point of the `zkfp` CLI: runs the TypeScript sources through tsx's loader.
import { register } from "tsx/esm/api";
register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
