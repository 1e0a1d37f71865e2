/**
 * Attack: a non-dev ptau planted in the cache under the dev ptau's file name. The dev branch of
 * `resolvePtau` used to assume the file's contents (its contribution list was hard-coded to the dev
 * contribution name), so `setupCircuit` sent a file whose tau nobody can derive to the known-tau
 * `zkey new` (zk/setup/devzkey.ts). That writer refuses a ptau that is not a single beacon
 * (DevZkeyError), so no wrong key came out; the attacker loses if the file is read and refused
 * before (PtauError naming it), no setup is made of it, and a real dev ptau is still accepted.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, counterCircuit } from "../../prover/circuits.ts";
import { setupCircuit } from "../../prover/snark.ts";
import { devPtauPath } from "../devptau.ts";
import { PtauError, resolvePtau } from "../ptau.ts";
import { isolatedCache } from "../../testing.ts";

const { cache } = isolatedCache("zkfp-attack-devptau-");

describe("attack: a non-dev ptau under the dev ptau's name in the cache", () => {
  it("is refused before any setup; a real dev ptau is accepted", async () => {
    const planted = devPtauPath(cache, 9);
    mkdirSync(dirname(planted), { recursive: true });
    copyFileSync(join(REPO_ROOT, "zk", "setup", "data", "pot12_final.ptau"), planted);
    await expect(resolvePtau({ power: 9, cacheDir: cache })).rejects.toBeInstanceOf(PtauError);
    await expect(setupCircuit("groth16", counterCircuit(1))).rejects.toBeInstanceOf(PtauError);
    expect(readdirSync(cache).filter((n) => /^[0-9a-f]{64}/.test(n))).toEqual([]);

    rmSync(planted);
    const dev = await resolvePtau({ power: 9, cacheDir: cache });
    expect(existsSync(dev.file)).toBe(true);
    expect(await resolvePtau({ power: 9, cacheDir: cache })).toMatchObject({ source: "dev", insecure: true });
  }, 120_000);
});
