/**
 * Test fixture: a test file's own zk cache. `isolatedCache(prefix)` (called at a test file's top level)
 * makes a temporary directory whose `cache` folder is ZKFP_CACHE_DIR, with ZKFP_PTAU unset, for the
 * file's tests; after them both variables are restored, the directory is removed and snarkjs's curve
 * is terminated. Vitest only (beforeAll/afterAll).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { terminateCurve } from "./snarkjs.ts";

export function isolatedCache(prefix: string): { dir: string; cache: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const cache = join(dir, "cache");
  const envBefore = { cache: process.env.ZKFP_CACHE_DIR, ptau: process.env.ZKFP_PTAU };
  beforeAll(() => {
    process.env.ZKFP_CACHE_DIR = cache; // a cache of this file's own: its entries never reach another run
    delete process.env.ZKFP_PTAU;
  });
  afterAll(async () => {
    for (const [k, v] of [
      ["ZKFP_CACHE_DIR", envBefore.cache],
      ["ZKFP_PTAU", envBefore.ptau],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(dir, { recursive: true, force: true });
    await terminateCurve();
  });
  return { dir, cache };
}
