/**
 * Attack: the ceremony coordinator (or the next contributor) drops an honest contribution. Alice
 * contributes 0000 -> alice.zkey and publishes her contribution hash; the attacker builds on 0000
 * instead (and may even name his own contribution "alice"). The final key is a valid chain, so
 * `snarkjs zkey verify` accepts it and `zkfp setup verify` exited 0: nothing let Alice check that
 * her entropy is in the key. The attacker loses if `setup verify` / `setup export` given the hash
 * she published (`--contribution HASH`) fail (exit 1, nothing exported), and pass for a key that
 * does contain it.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli as cli } from "../../../cli/testing.ts";
import { REPO_ROOT, counterCircuit } from "../../prover/circuits.ts";
import { compileCircuit } from "../../prover/snark.ts";
import { terminateCurve } from "../../snarkjs.ts";
import { phase2Beacon, phase2Contribute, phase2Start } from "../ceremony.ts";

const dir = mkdtempSync(join(tmpdir(), "zkfp-attack-skip-"));
const PTAU = join(REPO_ROOT, "zk", "setup", "data", "pot12_final.ptau");
const envBefore = process.env.ZKFP_CACHE_DIR;
const z = (n: string) => join(dir, `${n}.zkey`);
let r1cs: string;

beforeAll(async () => {
  process.env.ZKFP_CACHE_DIR = join(dir, "cache");
  r1cs = join(await compileCircuit(counterCircuit(1)), "circuit.r1cs");
});
afterAll(async () => {
  if (envBefore === undefined) delete process.env.ZKFP_CACHE_DIR;
  else process.env.ZKFP_CACHE_DIR = envBefore;
  rmSync(dir, { recursive: true, force: true });
  await terminateCurve();
});

describe("attack: an honest contribution skipped by the next one", () => {
  it("setup verify / export with the contributor's published hash fail for a key without it", async () => {
    await phase2Start(r1cs, PTAU, z("0000"));
    const alice = await phase2Contribute(z("0000"), z("alice"), { name: "alice" });
    // the attacker builds on 0000, not on Alice's key, under her name, then a public beacon
    await phase2Contribute(z("0000"), z("mallory"), { name: "alice" });
    await phase2Beacon(z("mallory"), z("final"), { beaconHex: "cd".repeat(32), iterationsExp: 10 });
    const files = ["--r1cs", r1cs, "--ptau", PTAU];

    const plain = await cli(["setup", "verify", "--zkey", z("final"), ...files]);
    expect(plain.code).toBe(0); // a valid chain: zkey verify alone cannot tell

    const skipped = await cli(["setup", "verify", "--zkey", z("final"), ...files, "--contribution", alice]);
    expect(skipped.code).toBe(1);
    expect(skipped.out.missingContributions).toEqual([alice]);

    const out = join(dir, "export");
    const exp = await cli(["setup", "export", "--zkey", z("final"), ...files, "--out", out, "--contribution", alice]);
    expect(exp.code).toBe(1);
    expect(existsSync(join(out, "verifier.sol"))).toBe(false);

    // the honest chain (Alice's key, then the beacon) passes with her hash, in any case, 0x or not
    await phase2Beacon(z("alice"), z("honest"), { beaconHex: "cd".repeat(32), iterationsExp: 10 });
    const ok = await cli([
      "setup",
      "verify",
      "--zkey",
      z("honest"),
      ...files,
      "--contribution",
      `0x${alice.toUpperCase()}`,
    ]);
    expect(ok.code).toBe(0);
    expect(ok.out.missingContributions).toEqual([]);
    // a beacon's hash is public: it does not stand for a secret contribution
    const beaconHash = (ok.out.contributions as { type: string; hash: string }[]).find(
      (c) => c.type === "beacon",
    )!.hash;
    const notSecret = await cli(["setup", "verify", "--zkey", z("honest"), ...files, "--contribution", beaconHash]);
    expect(notSecret.code).toBe(1);
    // a malformed hash is a usage error
    expect((await cli(["setup", "verify", "--zkey", z("honest"), ...files, "--contribution", "abc"])).code).toBe(64);
  }, 120_000);
});
