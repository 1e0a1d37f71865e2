#!/usr/bin/env node
// forge cannot download solc here: this wrapper answers forge's two calls
// (`--version`, `--standard-json` on stdin) with the solc-js compiler from npm.
const solc = require("solc");
const args = process.argv.slice(2);
if (process.env.ZKFP_SOLC_DEBUG)
  require("fs").appendFileSync("/tmp/solcdbg", JSON.stringify({ args, cwd: process.cwd() }) + "\n");
if (args.includes("--version")) {
  const v = solc.version(); // e.g. 0.8.37+commit.xxxx.Emscripten.clang
  process.stdout.write(
    `solc, the solidity compiler commandline interface\nVersion: ${v.replace(".Emscripten.clang", ".Linux.g++")}\n`,
  );
  process.exit(0);
}
if (args.includes("--standard-json")) {
  const chunks = [];
  process.stdin.on("data", (c) => chunks.push(c));
  process.stdin.on("end", () => {
    const input = Buffer.concat(chunks).toString("utf8");
    const findImports = (p) => {
      const fs = require("fs");
      const path = require("path");
      for (const base of [process.cwd(), ...args.filter((a) => !a.startsWith("-"))]) {
        const f = path.resolve(base, p);
        if (fs.existsSync(f)) return { contents: fs.readFileSync(f, "utf8") };
      }
      return { error: `File not found: ${p}` };
    };
    process.stdout.write(solc.compile(input, { import: findImports }));
  });
} else {
  process.stderr.write(`solc wrapper: unsupported arguments ${JSON.stringify(args)}\n`);
  process.exit(2);
}
