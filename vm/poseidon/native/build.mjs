#!/usr/bin/env node
/**
 * Builds the native Poseidon addon vm/poseidon/native/build/poseidon.node with the system C compiler
 * and Node's own headers (Node-API, so the binary works on any Node >= 12.22 without a rebuild).
 * Runs from the root package.json "prepare" script, i.e. after `npm ci` / `npm install`.
 *
 * No node-gyp: it would fetch headers over the network, while Node installs ship them
 * (<prefix>/include/node); one `cc` call is all a single-file addon needs.
 *
 * Never fails the install: if no compiler or no headers are found, or the compile fails, it prints
 * why and exits 0, and vm/poseidon falls back to circomlibjs' wasm (ZKFP_POSEIDON=native then
 * reports the missing addon). Env: CC (compiler, default cc), ZKFP_SKIP_NATIVE=1 (skip the build),
 * ZKFP_NATIVE_STRICT=1 (exit 1 instead of 0 on failure, for CI that must have the addon).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, "build");
const out = join(outDir, "poseidon.node");
const strict = process.env.ZKFP_NATIVE_STRICT === "1";

function giveUp(why) {
  console.warn(`[zkfp] native Poseidon not built: ${why}`);
  console.warn("[zkfp] vm/poseidon will use circomlibjs' wasm backend (slower, same results).");
  process.exit(strict ? 1 : 0);
}

if (process.env.ZKFP_SKIP_NATIVE === "1") giveUp("ZKFP_SKIP_NATIVE=1");

function findHeaders() {
  const candidates = [
    process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, "include", "node"),
    join(dirname(process.execPath), "..", "include", "node"),
    "/usr/include/node",
    "/usr/local/include/node",
  ].filter(Boolean);
  return candidates.find((d) => existsSync(join(d, "node_api.h")));
}

const include = findHeaders();
if (!include)
  giveUp("node_api.h not found (looked in <node prefix>/include/node, /usr/include/node); install Node's headers");

const cc = process.env.CC || "cc";
const probe = spawnSync(cc, ["--version"], { encoding: "utf8" });
if (probe.error || probe.status !== 0) giveUp(`C compiler '${cc}' not found (install gcc or clang, or set CC)`);

const args = [
  "-O3",
  "-std=gnu11",
  "-Wall",
  "-Wextra",
  "-shared",
  "-fPIC",
  "-fvisibility=hidden",
  "-pthread",
  "-I",
  include,
  "-o",
  out + ".tmp",
  join(here, "poseidon.c"),
];
if (process.platform === "darwin") args.push("-undefined", "dynamic_lookup");
mkdirSync(outDir, { recursive: true });
const t0 = Date.now();
const res = spawnSync(cc, args, { encoding: "utf8" });
if (res.status !== 0) {
  rmSync(out + ".tmp", { force: true });
  process.stderr.write(res.stderr || "");
  giveUp(`compile failed (${cc} exited ${res.status})`);
}
if (res.stderr) process.stderr.write(res.stderr);
renameSync(out + ".tmp", out);
console.log(`[zkfp] built ${out} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
