/**
 * Attack: a phase 2 whose only contribution is a PUBLIC beacon (delta = a function of the beacon
 * value: anyone forges proofs, zk/setup/forge.ts) relabelled as a secret contribution. The record's
 * `type` is a 4-byte field outside everything `snarkjs zkey verify` hashes or checks for a type-0
 * entry (the transcript chain, the proof of knowledge and deltaAfter do not depend on it), so the
 * relabelled zkey still verifies and, before the fix, counted as "1 secret contribution": with a
 * known-ceremony ptau, `groth16SetupVerdict` (what `zkfp setup export` decides with) said SECURE.
 * The ptau here is the committed pot12 file injected as "known" through the test-only list.
 * The attacker loses if the relabelled key is not SECURE and its record reads as a beacon.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, counterCircuit } from "../../prover/circuits.ts";
import { compileCircuit } from "../../prover/snark.ts";
import { internals, snarkjs, terminateCurve } from "../../snarkjs.ts";
import { CeremonyError, phase2Beacon, phase2Start, phase2Verify, readPhase2 } from "../ceremony.ts";
import { deltaOfFirstBeacon, forgeGroth16 } from "../forge.ts";
import { fileHashes, type KnownCeremony } from "../security.ts";
import { groth16SetupVerdict } from "../verdict.ts";

const dir = mkdtempSync(join(tmpdir(), "zkfp-attack-relabel-"));
const cache = join(dir, "cache");
const PTAU = join(REPO_ROOT, "zk", "setup", "data", "pot12_final.ptau");
const BEACON = "ab".repeat(32);
const envBefore = process.env.ZKFP_CACHE_DIR;
let known: KnownCeremony[];
let r1cs: string;

beforeAll(async () => {
  process.env.ZKFP_CACHE_DIR = cache;
  r1cs = join(await compileCircuit(counterCircuit(1)), "circuit.r1cs");
  known = [{ name: "pot12 (test)", power: 12, blake2b: (await fileHashes(PTAU)).blake2b, source: "test" }];
});
afterAll(async () => {
  if (envBefore === undefined) delete process.env.ZKFP_CACHE_DIR;
  else process.env.ZKFP_CACHE_DIR = envBefore;
  rmSync(dir, { recursive: true, force: true });
  await terminateCurve();
});

/** Byte offset of contribution 0's `type` field (section 10: csHash, count, 3 G1, 1 G2, transcript). */
async function typeOffset(zkey: string): Promise<number> {
  const { binFileUtils } = await internals();
  const r = await binFileUtils.readBinFile(zkey, "zkey", 2);
  const p = (r.sections[10][0] as { p: number }).p;
  await r.fd.close();
  return p + 64 + 4 + 3 * 64 + 128 + 64;
}

describe("attack: a public beacon relabelled as a secret phase-2 contribution", () => {
  it("is not SECURE (the record still carries the beacon parameters)", async () => {
    const z0 = join(dir, "z0.zkey"),
      beacon = join(dir, "beacon.zkey"),
      relabelled = join(dir, "relabelled.zkey");
    await phase2Start(r1cs, PTAU, z0);
    await phase2Beacon(z0, beacon, { beaconHex: BEACON, iterationsExp: 10 });
    const bytes = readFileSync(beacon);
    const at = await typeOffset(beacon);
    expect(bytes.readUInt32LE(at)).toBe(1); // snarkjs: 1 = beacon
    bytes.writeUInt32LE(0, at); // 0 = contribution
    writeFileSync(relabelled, bytes);

    // the relabelled key still verifies, and its delta is public: a forged proof of any roots passes
    expect(await phase2Verify(relabelled, r1cs, PTAU)).toBe(true);
    const s = await snarkjs();
    const vkey = await s.zKey.exportVerificationKey(relabelled);
    const f = await forgeGroth16(vkey, await deltaOfFirstBeacon(BEACON, 10), 11n, 22n);
    expect(await s.groth16.verify(vkey, f.publicSignals, f.proof)).toBe(true);

    const v = await groth16SetupVerdict({
      zkey: relabelled,
      r1cs,
      ptau: PTAU,
      cacheDir: cache,
      knownCeremonies: known,
    });
    expect(v.secure).toBe(false);
    expect(v.phase2).toMatchObject({ secretContributions: 0, beacons: 1 });
    const rec = await readPhase2(relabelled);
    expect(rec.contributions.map((c) => c.type)).toEqual(["beacon"]);

    // a type snarkjs never writes (its verify treats every type but 1 as a contribution): refused
    bytes.writeUInt32LE(7, at);
    writeFileSync(relabelled, bytes);
    expect(await phase2Verify(relabelled, r1cs, PTAU)).toBe(true);
    await expect(readPhase2(relabelled)).rejects.toThrow(CeremonyError);
  }, 120_000);
});
