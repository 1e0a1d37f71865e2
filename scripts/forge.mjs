#!/usr/bin/env node
// Runs the forge binary of the npm package @foundry-rs/forge and exits with ITS status. The
// package's own wrapper (`npx forge`, bin.mjs 1.7.1) spawns the binary but never passes its exit
// code on, so `npx forge test` exits 0 even when tests fail or compilation breaks; scripts and
// contracts/build.ts call this file instead. Usage: node scripts/forge.mjs <forge arguments>
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const exe = process.platform === "win32" ? "forge.exe" : "forge";
const arch = { x64: "amd64", arm64: "arm64" }[process.arch] ?? process.arch;
let bin;
try {
  bin = require.resolve(`@foundry-rs/forge-${process.platform}-${arch}/bin/${exe}`);
} catch {
  bin = join(dirname(require.resolve("@foundry-rs/forge/package.json")), "dist", exe); // the wrapper's fallback
}
if (!existsSync(bin)) {
  process.stderr.write(
    `scripts/forge.mjs: no forge binary for ${process.platform}-${process.arch} (npm ci installs it)\n`,
  );
  process.exit(127);
}
const r = spawnSync(bin, process.argv.slice(2), { stdio: "inherit" });
if (r.error) {
  process.stderr.write(`scripts/forge.mjs: ${r.error.message}\n`);
  process.exit(127);
}
process.exit(r.status ?? 1);
