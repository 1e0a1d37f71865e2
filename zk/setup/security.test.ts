/**
 * The security verdict (zk/setup/security.ts): both phases or INSECURE, and the deploy guard.
 * The verdict function's rules and the hash table; a real provided file (zk/setup/data pot12, one
 * known contribution) must come out INSECURE. The "known ceremony" branch end to end, with a
 * locally generated ceremony file injected as known: secure.test.ts.
 */
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../prover/circuits.ts";
import { cacheRoot } from "../prover/snark.ts";
import { terminateCurve } from "../snarkjs.ts";
import { resolvePtau } from "./ptau.ts";
import {
  assertDeployable,
  assessSetup,
  InsecureSetupError,
  KNOWN_CEREMONIES,
  knownCeremony,
  securityLabel,
} from "./security.ts";

afterAll(terminateCurve);

const PTAU = { sha256: "00", blake2b: "00", ceremony: "powersOfTau28_hez_final_16.ptau", verified: true };
const P2 = { secretContributions: 1, beacons: 1, verified: true };

describe("setup security verdict", () => {
  it("is secure only with a verified known-ceremony ptau and a verified phase 2 with a secret contribution", () => {
    expect(assessSetup("groth16", PTAU, P2)).toMatchObject({ secure: true, reasons: [] });
    expect(assessSetup("plonk", PTAU, null).secure).toBe(true); // universal setup: no phase 2
    const bad: [string, ReturnType<typeof assessSetup>][] = [
      ["unknown ptau", assessSetup("groth16", { ...PTAU, ceremony: null }, P2)],
      ["ptau fails verify", assessSetup("groth16", { ...PTAU, verified: false }, P2)],
      ["ptau not verified", assessSetup("plonk", { ...PTAU, verified: null }, null)],
      ["beacon-only phase 2", assessSetup("groth16", PTAU, { ...P2, secretContributions: 0 })],
      ["zkey verify failed", assessSetup("groth16", PTAU, { ...P2, verified: false })],
      ["zkey not verified", assessSetup("groth16", PTAU, { ...P2, verified: null })],
      ["no phase 2 record", assessSetup("groth16", PTAU, null)],
    ];
    for (const [what, v] of bad) {
      expect(v.secure, what).toBe(false);
      expect(v.reasons.length, what).toBeGreaterThan(0);
      expect(securityLabel(v), what).toMatch(/^INSECURE: /);
    }
  });

  it("knows the Hermez ceremony files by blake2b-512 (2^8 .. 2^28)", () => {
    expect(KNOWN_CEREMONIES.map((c) => c.power)).toEqual(Array.from({ length: 21 }, (_, i) => i + 8));
    for (const c of KNOWN_CEREMONIES) expect(c.blake2b).toMatch(/^[0-9a-f]{128}$/);
    expect(knownCeremony(KNOWN_CEREMONIES[8]!.blake2b.toUpperCase())?.name).toBe("powersOfTau28_hez_final_16.ptau");
    expect(knownCeremony("ab".repeat(64))).toBeNull();
  });

  it("the deploy guard refuses an insecure setup unless --insecure-dev", () => {
    const insecure = { meta: { insecure: true, security: { reasons: ["ptau is not a known public ceremony file"] } } };
    expect(() => assertDeployable(insecure)).toThrow(InsecureSetupError);
    expect(() => assertDeployable(insecure, { insecureDev: false })).toThrow(/INSECURE/);
    expect(() => assertDeployable(insecure, { insecureDev: true })).not.toThrow();
    expect(() => assertDeployable({ meta: { insecure: false } })).not.toThrow();
    expect(() => assertDeployable(assessSetup("groth16", PTAU, { ...P2, secretContributions: 0 }))).toThrow(
      InsecureSetupError,
    );
  });

  it("a provided ptau that is not a known ceremony is INSECURE (not called secure for being provided)", async () => {
    const f = join(REPO_ROOT, "zk", "setup", "data", "pot12_final.ptau"); // committed, one known contribution
    const p = await resolvePtau({ power: 10, ptau: f, cacheDir: cacheRoot() });
    expect(p).toMatchObject({ source: "provided", ceremony: null, verified: null, insecure: true });
    expect(p.label).toMatch(/^INSECURE/);
  });
});
