// vitest config for the TS tests under contracts/test/ts (the root config excludes contracts/**).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["contracts/test/ts/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
  },
});
