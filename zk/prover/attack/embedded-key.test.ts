/**
 * The library twin of `zkfp verify`'s pinning rule: a proof bundle brings its own vkey, which its
 * author chose. A forger who doctors that key (delta it knows, zk/setup/forge.ts) and forges a proof
 * for a false post-root under it must not pass `SnarkProver.verify` (which checks against the
 * prover's own setup key) nor `verifySnarkBundle` (which has no default key at all).
 */
import { afterAll, describe, expect, it } from "vitest";
import { terminateCurve } from "../../snarkjs.ts";
import { forgeGroth16, keyWithKnownDelta } from "../../setup/forge.ts";
import { counterCircuit, counterInput } from "../circuits.ts";
import { SnarkProver, encodeCalldata, solidityCallData, toBytes32, verifySnarkBundle } from "../snark.ts";
import { ProverError } from "../errors.ts";

afterAll(terminateCurve);

describe("a bundle whose embedded vkey is the forger's", () => {
  const prover = new SnarkProver("groth16", async (m) => counterCircuit(m));

  it("is rejected by the prover's verify and refused by verifySnarkBundle without a pinned key", async () => {
    const { bundle } = await prover.prove({ m: 2, circuitInput: await counterInput(5, 2), fromStep: 5 });
    const { vkey: forgedKey, d } = await keyWithKnownDelta(bundle.vkey as Record<string, unknown>);
    const falsePost = 987654321n;
    const f = await forgeGroth16(forgedKey, d, BigInt(bundle.preRoot), falsePost);
    const forged = {
      ...bundle,
      vkey: forgedKey,
      proof: f.proof,
      publicSignals: f.publicSignals,
      postRoot: toBytes32(falsePost),
      // the forgery's own calldata: verifySnarkBundle checks the calldata too (attack7)
      calldata: encodeCalldata("groth16", f.proof, await solidityCallData("groth16", f.proof, f.publicSignals)),
    };
    // the attack is real: under the key the bundle brings, the forgery verifies
    expect(await verifySnarkBundle(forged, forged.vkey)).toBe(true);
    // the prover checks against its own setup key, never the bundle's
    expect(await prover.verify(forged)).toBe(false);
    expect(await prover.verify(bundle)).toBe(true);
    // the library function makes the caller name a key
    await expect(verifySnarkBundle(forged, undefined)).rejects.toBeInstanceOf(ProverError);
  });
});
