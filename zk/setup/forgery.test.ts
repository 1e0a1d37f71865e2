/**
 * The attack of issue 18, run against zkfp's setups: whoever knows a Groth16 setup's delta (here:
 * derived from a public phase-2 beacon, as zkfp's old default did) forges a proof for ANY public
 * inputs with A = alpha, B = beta, C = -delta^-1 * (IC0 + pre * IC1 + post * IC2), because snarkjs'
 * gamma is the G2 generator:  e(alpha, beta) = e(alpha, beta) * e(vk_x, g2) * e(C, delta * g2).
 * (zk/setup/forge.ts.) The forged proof is accepted by a beacon-only setup (so the test can fail), and rejected by every
 * default setup and every committed Groth16 verifier; two default setups have different deltas.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { counterCircuit } from "../prover/circuits.ts";
import { GENERATED_DIR, readCommittedSetup } from "../prover/fixtures.ts";
import { cacheRoot, compileCircuit, setupCircuit } from "../prover/snark.ts";
import { snarkjs, terminateCurve } from "../snarkjs.ts";
import { deltaG2, deltaOfFirstBeacon, forgeGroth16 } from "./forge.ts";
import { phase2Beacon, phase2Start } from "./ceremony.ts";
import { DEFAULT_DEV_SEED, beaconHashOf } from "./devptau.ts";
import { resolvePtau } from "./ptau.ts";

const dir = mkdtempSync(join(tmpdir(), "zkfp-forgery-"));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await terminateCurve();
});

/** The public beacon zkfp's old default phase 2 used (delta = a function of it alone). */
const OLD_BEACON = beaconHashOf(`${DEFAULT_DEV_SEED}/phase2`);
const deltaOfBeacon = (hex: string) => deltaOfFirstBeacon(hex, 10);
const forge = forgeGroth16;

const PRE = 1234567n,
  POST = 7654321n; // roots of no real execution

describe("forging a Groth16 proof from a known delta", () => {
  it("works against a beacon-only phase 2 (the old default), so the attack is real", async () => {
    const r1cs = join(await compileCircuit(counterCircuit(2)), "circuit.r1cs");
    const ptau = (await resolvePtau({ power: 10, cacheDir: cacheRoot() })).file;
    await phase2Start(r1cs, ptau, join(dir, "z0.zkey"));
    await phase2Beacon(join(dir, "z0.zkey"), join(dir, "beacon.zkey"), { beaconHex: OLD_BEACON, iterationsExp: 10 });
    const s = await snarkjs();
    const vkey = await s.zKey.exportVerificationKey(join(dir, "beacon.zkey"));
    const f = await forge(vkey, await deltaOfBeacon(OLD_BEACON), PRE, POST);
    expect(await s.groth16.verify(vkey, f.publicSignals, f.proof)).toBe(true);
  });

  it("fails against the default setup, and two default setups have different deltas", async () => {
    const s = await snarkjs();
    const d = await deltaOfBeacon(OLD_BEACON);
    const deltas: string[] = [];
    const before = process.env.ZKFP_CACHE_DIR;
    try {
      for (const name of ["a", "b"]) {
        // two independent caches outside the repo (each its own random phase 2). The dev ptau is
        // copied to save time; "a" compiles the circuit in its own cache (circom includes must
        // resolve there), "b" copies a's compiled circuit.
        const cache = join(dir, `cache-${name}`);
        cpSync(join(cacheRoot(), "ptau"), join(cache, "ptau"), {
          recursive: true,
          filter: (src) => !src.endsWith(".ptau") || src.includes("pot10-"),
        });
        if (name === "b") cpSync(join(dir, "cache-a", "circuits"), join(cache, "circuits"), { recursive: true });
        process.env.ZKFP_CACHE_DIR = cache;
        const art = await setupCircuit("groth16", counterCircuit(2));
        expect(art.cached).toBe(false);
        expect(art.dir.startsWith(cache)).toBe(true);
        expect(art.transcript.phase2!.contributions.map((c) => c.type)).toEqual(["contribution"]);
        const f = await forge(art.vkey, d, PRE, POST);
        expect(await s.groth16.verify(art.vkey, f.publicSignals, f.proof)).toBe(false);
        deltas.push(JSON.stringify(art.vkey.vk_delta_2));
      }
    } finally {
      if (before === undefined) delete process.env.ZKFP_CACHE_DIR;
      else process.env.ZKFP_CACHE_DIR = before;
    }
    expect(deltas[0]).not.toBe(deltas[1]);
  });

  it("fails against every committed Groth16 verifier's key (none has the beacon's delta)", async () => {
    const s = await snarkjs();
    const d = await deltaOfBeacon(OLD_BEACON);
    const beaconDelta2 = await deltaG2(d);
    const names = readdirSync(GENERATED_DIR)
      .filter((f) => /^Groth16Verifier_.*\.setup\.json$/.test(f))
      .map((f) => f.replace(/\.setup\.json$/, ""));
    expect(names.length).toBeGreaterThanOrEqual(2);
    for (const n of names) {
      const rec = readCommittedSetup(n);
      expect(rec.vkey.vk_delta_2, n).not.toEqual(beaconDelta2);
      const f = await forge(rec.vkey, d, PRE, POST);
      expect(await s.groth16.verify(rec.vkey, f.publicSignals, f.proof), n).toBe(false);
      expect(
        rec.transcript.phase2!.contributions.filter((x) => x.type === "contribution").length,
        n,
      ).toBeGreaterThanOrEqual(1);
    }
  });
});
