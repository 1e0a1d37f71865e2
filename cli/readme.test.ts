/** README's CLI table documents every command, each with every one of its options, and every exit code of cli/exit.ts. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadAllCommands } from "./commands/index.ts";
import { EXIT } from "./exit.ts";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README", () => {
  it("lists every command with all its options", async () => {
    for (const c of await loadAllCommands()) {
      const row = readme.split("\n").find((l) => l.startsWith(`| \`zkfp ${c.name}`));
      expect(row, `README row for zkfp ${c.name}`).toBeDefined();
      for (const o of Object.keys(c.options)) expect(row, `zkfp ${c.name} --${o}`).toContain(`\`--${o}`);
    }
  });

  it("documents every exit code and environment variable", () => {
    for (const code of Object.values(EXIT)) expect(readme).toMatch(new RegExp(`\\n\\| ${code} \\|`));
    for (const v of ["ZKFP_MNIST_DIR", "ZKFP_STORIES", "ZKFP_CACHE_DIR", "ZKFP_HEAVY", "ZKFP_POSEIDON"])
      expect(readme).toContain(`| \`${v}\` |`);
  });
});
