import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", "contracts/out/**", "contracts/cache/**", ".cache/**"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: "forks",
    // two files at a time on the 2-core CI machine (vitest defaults to cores - 1 = 1)
    maxWorkers: 2,
    reporters: ["default", "json"],
    outputFile: { json: ".test-results/vitest.json" },
  },
});
