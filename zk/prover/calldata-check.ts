/**
 * What the generated Solidity verifiers refuse in a proof's arbitrator calldata (contracts/src/zk/),
 * checked off chain so that `verifySnarkBundle` (`zkfp verify`) never calls VALID a proof the
 * arbitrator rejects under the same key.
 *
 * snarkjs' JS verifiers read the proof JSON: they reduce every value mod its field (an evaluation
 * + R or a coordinate + P verifies as the canonical value) and FFLONK's never reads the batch inverse
 * `inv` (it inverts on its own), while the calldata is that JSON word for word. The Solidity verifiers
 * (snarkjs 0.7.6 templates) refuse:
 *   groth16  a coordinate >= P (the pairing precompile fails);
 *   plonk    any of the 24 words >= R (coordinates included: `checkField` is the scalar field's);
 *   fflonk   any of the 24 words >= R, and an `inv` that is not the inverse of the product of the
 *            denominators the verifier batches (`inverseArray`: Z_H(xi), the two H denominators, the
 *            18 Lagrange denominators of S0, S1, S2 and the public inputs' L_i denominators).
 * `proofFromCalldata` rebuilds the snarkjs proof object the calldata stands for (affine points), so the
 * proof checked is the one the arbitrator gets. Red team: cli/attack/verify-noncanonical.test.ts.
 */
import { keccak256 } from "ethers";
import type { SnarkBackend } from "./snark.ts";

/** BN254 scalar field (public signals, evaluations; PLONK/FFLONK verifiers also bound coordinates by it). */
export const BN254_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
/** BN254 base field (G1/G2 coordinates). */
export const BN254_P = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

const WORDS: Readonly<Record<SnarkBackend, number>> = { groth16: 8, plonk: 24, fflonk: 24 };
const PLONK_POINTS = ["A", "B", "C", "Z", "T1", "T2", "T3", "Wxi", "Wxiw"];
const PLONK_EVALS = ["eval_a", "eval_b", "eval_c", "eval_s1", "eval_s2", "eval_zw"];
const FFLONK_EVALS = ["ql", "qr", "qm", "qo", "qc", "s1", "s2", "s3", "a", "b", "c", "z", "zw", "t1w", "t2w", "inv"];

/** The calldata's 32-byte words, or null if it is not 0x + whole words of the backend's count. */
export function calldataWords(backend: SnarkBackend, calldata: string): bigint[] | null {
  if (!/^0x([0-9a-fA-F]{64})*$/.test(calldata)) return null;
  const words = (calldata.slice(2).match(/.{64}/g) ?? []).map((h) => BigInt(`0x${h}`));
  return words.length === WORDS[backend] ? words : null;
}

/** The snarkjs proof object (affine points, decimal strings) whose arbitrator calldata is `words`. */
export function proofFromWords(backend: SnarkBackend, w: bigint[]): Record<string, unknown> {
  const s = (i: number) => w[i]!.toString();
  const pt = (i: number) => [s(i), s(i + 1), "1"];
  if (backend === "groth16")
    // G2 coordinates are (c1, c0) on the EVM (EIP-197), snarkjs stores (c0, c1): snark.ts encodeCalldata
    return {
      pi_a: pt(0),
      pi_b: [
        [s(3), s(2)],
        [s(5), s(4)],
        ["1", "0"],
      ],
      pi_c: pt(6),
      protocol: "groth16",
      curve: "bn128",
    };
  if (backend === "plonk") {
    const o: Record<string, unknown> = { protocol: "plonk", curve: "bn128" };
    PLONK_POINTS.forEach((k, i) => {
      o[k] = pt(2 * i);
    });
    PLONK_EVALS.forEach((k, i) => {
      o[k] = s(18 + i);
    });
    return o;
  }
  const evaluations: Record<string, string> = {};
  FFLONK_EVALS.forEach((k, i) => {
    evaluations[k] = s(8 + i);
  });
  return {
    polynomials: { C1: pt(0), C2: pt(2), W1: pt(4), W2: pt(6) },
    evaluations,
    protocol: "fflonk",
    curve: "bn128",
  };
}

/**
 * Why the Solidity verifier of `backend` with key `vkey` refuses these calldata words before its final
 * pairing (a word out of its field, FFLONK's wrong batch inverse), or null. The pairing itself is
 * snarkjs' JS verifier's job on `proofFromWords`.
 */
export function calldataWordIssue(
  backend: SnarkBackend,
  vkey: unknown,
  publicSignals: readonly string[],
  words: readonly bigint[],
): string | null {
  if (words.length !== WORDS[backend]) return `${words.length} words, the ${backend} verifier reads ${WORDS[backend]}`;
  const bound = backend === "groth16" ? BN254_P : BN254_R;
  const i = words.findIndex((x) => x >= bound);
  if (i >= 0) return `word ${i} is not below the ${backend === "groth16" ? "base" : "scalar"} field`;
  if (backend === "fflonk" && !fflonkInverseOk(vkey as FflonkVkey, publicSignals, words))
    return "word 23 (inv) is not the batch inverse the FFLONK verifier checks";
  return null;
}

type FflonkVkey = {
  power: number;
  nPublic: number;
  w: string;
  w3: string;
  w4: string;
  w8: string;
  wr: string;
  C0: string[];
};

const R = BN254_R;
const mod = (x: bigint) => ((x % R) + R) % R;
const pow = (b: bigint, e: number) => {
  let r = 1n;
  for (let i = 0; i < e; i++) r = mod(r * b);
  return r;
};
/** keccak256 of 32-byte big-endian words, mod R: the FFLONK verifier's challenge. */
const challenge = (...xs: bigint[]) =>
  mod(BigInt(keccak256(`0x${xs.map((x) => x.toString(16).padStart(64, "0")).join("")}`)));

/**
 * The FFLONK verifier's `inv` check (snarkjs 0.7.6 verifier_fflonk.sol.ejs, `computeChallenges`,
 * `computeInversions`, `inverseArray`): inv * (product of the batched denominators) == 1 mod R, with the
 * challenges from the transcript of the raw words. Public signals are taken as given (< R is checked by
 * the JS verifier and by the arbitrator).
 */
function fflonkInverseOk(vk: FflonkVkey, publicSignals: readonly string[], w: readonly bigint[]): boolean {
  const [c1x, c1y, c2x, c2y, w1x, w1y] = [w[0]!, w[1]!, w[2]!, w[3]!, w[4]!, w[5]!];
  const evals = w.slice(8, 23);
  const inv = w[23]!;
  const pubs = publicSignals.map((p) => BigInt(p));
  const beta = challenge(BigInt(vk.C0[0]!), BigInt(vk.C0[1]!), ...pubs, c1x, c1y);
  const gamma = challenge(beta);
  const xiSeed = challenge(gamma, c2x, c2y);
  const xiSeed2 = mod(xiSeed * xiSeed);
  const w8 = BigInt(vk.w8);
  const w4 = BigInt(vk.w4);
  const w3 = BigInt(vk.w3);
  const h0 = mod(xiSeed2 * xiSeed);
  const h0w8 = Array.from({ length: 8 }, (_, i) => mod(h0 * pow(w8, i)));
  const h1 = mod(h0 * h0);
  const h1w4 = Array.from({ length: 4 }, (_, i) => mod(h1 * pow(w4, i)));
  const h2 = mod(h1 * xiSeed2);
  const h2w3 = Array.from({ length: 3 }, (_, i) => mod(h2 * pow(w3, i)));
  const h3 = mod(h2 * BigInt(vk.wr));
  const h3w3 = Array.from({ length: 3 }, (_, i) => mod(h3 * pow(w3, i)));
  const xi = mod(h2 * h2 * h2);
  let xin = xi;
  for (let i = 0; i < vk.power; i++) xin = mod(xin * xin);
  const zh = mod(xin - 1n);
  const alpha = challenge(xiSeed, ...evals);
  const y = challenge(alpha, w1x, w1y);

  let acc = zh;
  const times = (x: bigint) => {
    acc = mod(acc * x);
  };
  for (const h of h1w4) times(y - h); // denH1
  for (const h of [...h2w3, ...h3w3]) times(y - h); // denH2
  const s0 = mod(8n * pow(h0, 6));
  for (let i = 0; i < 8; i++) times(s0 * h0w8[(7 * i) % 8]! * mod(y - h0w8[i]!)); // LiS0
  const s1 = mod(4n * h1 * h1);
  for (let i = 0; i < 4; i++) times(s1 * h1w4[(3 * i) % 4]! * mod(y - h1w4[i]!)); // LiS1
  const omega = BigInt(vk.w);
  const d2 = mod(3n * h2 * mod(xi - xi * omega));
  for (let i = 0; i < 3; i++) times(d2 * h2w3[(2 * i) % 3]! * mod(y - h2w3[i]!)); // LiS2, roots of xi
  const d3 = mod(3n * h3 * mod(xi * omega - xi));
  for (let i = 0; i < 3; i++) times(d3 * h3w3[(2 * i) % 3]! * mod(y - h3w3[i]!)); // LiS2, roots of xi w
  const n = 2n ** BigInt(vk.power);
  let wi = 1n;
  for (let i = 0; i < Math.max(1, vk.nPublic); i++) {
    times(n * mod(xi - wi)); // L_i denominators
    wi = mod(wi * omega);
  }
  return mod(acc * inv) === 1n;
}
