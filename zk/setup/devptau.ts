/**
 * INSECURE development powers of tau: writes a *prepared* BN254 .ptau (the file
 * `snarkjs powersoftau prepare phase2` outputs) from a public seed, in O(n) scalar multiplications
 * instead of snarkjs' O(n log n) group FFTs.
 *
 * Parameters: `power` (the file supports circuits of up to 2^power constraints for Groth16),
 * `seed` (any string; the beacon hash is sha256(seed)), `numIterationsExp` (beacon iterations,
 * 2^exp sha256 rounds; snarkjs requires 10..63).
 *
 * What it computes (spec: snarkjs 0.7.6 src/powersoftau_new.js, _beacon.js, _preparephase2.js):
 * the file is byte-for-byte the one `snarkjs powersoftau new bn128 P` + `beacon <sha256(seed)> <exp>`
 * + `prepare phase2` would write. The toxic values (tau, alpha, beta) are derived exactly as the
 * snarkjs beacon derives them (ChaCha seeded by iterated sha256 of the beacon hash, then
 * `createPTauKey`), so the contribution record and its proofs of knowledge are valid and
 * `snarkjs powersoftau verify` accepts the file. Instead of applying the key to the previous points
 * and running group FFTs, every point is `s * g` for a scalar computed directly in Fr:
 *   section 2  tauG1      tau^i                     i < 2N - 1        (N = 2^power)
 *   section 3  tauG2      tau^i                     i < N
 *   section 4  alphaTauG1 alpha * tau^i             i < N
 *   section 5  betaTauG1  beta * tau^i              i < N
 *   section 6  betaG2     beta
 *   sections 12..15: for each p = 0..power (and p = power + 1 for section 12 only, whose input
 *   vector is tau^0..tau^(2N-2) followed by a zero, as snarkjs pads it), Fr.lagrangeEvaluations of
 *   the section's scalar vector truncated to 2^p, i.e. the same linear map snarkjs applies to the
 *   points, applied to the scalars (so the ordering and the root of unity are snarkjs' own).
 * The scalar multiplications use a fixed-base comb (fixedbase.ts). Hashes (response hash, partial
 * hash, next challenge) are computed over the same compressed/uncompressed encodings snarkjs hashes.
 *
 * INSECURE: anyone can recompute tau from the seed and forge proofs for any circuit set up with
 * this file. Development and tests only; use `--ptau FILE` / ZKFP_PTAU with a public ceremony file
 * for anything else. The file name starts with "INSECURE-dev-" and the contribution is named so.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { ZkfpError } from "../../vm/errors.ts";
import { getCurve, internals } from "../snarkjs.ts";
import { FixedBasePool } from "./fixedbase.ts";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

export class DevPtauError extends ZkfpError {
  override readonly name = "DevPtauError";
}

export const DEV_PTAU_CONTRIBUTION_NAME = "zkfp INSECURE dev setup: tau is derivable from the beacon";
export const DEFAULT_DEV_SEED = "zkfp-insecure-dev-ptau-v1";
export const MAX_POWER = 28;

export type DevPtauOptions = {
  power: number;
  seed?: string;
  numIterationsExp?: number;
  out: string;
  /** called after each of the file's 9 sections with the percent of the work done (`done` of 100) */
  onProgress?: (done: number, total: number) => void;
};
export type DevPtauResult = {
  file: string;
  power: number;
  seed: string;
  beaconHash: string;
  numIterationsExp: number;
  seconds: number;
  insecure: true;
};

export function beaconHashOf(seed: string): string {
  return createHash("sha256").update(seed).digest("hex");
}

/** Fr vector [first * inc^i for i < n] (Montgomery form, 32 bytes each), optionally zero-padded to `len`. */
async function geometric(curve: Any, n: number, first: Any, inc: Any, len = n): Promise<Uint8Array> {
  const Fr = curve.Fr;
  const ones = new Uint8Array(n * 32);
  for (let i = 0; i < n; i++) ones.set(Fr.one, i * 32);
  const v: Uint8Array = await Fr.batchApplyKey(ones, first, inc);
  if (len === n) return v;
  const padded = new Uint8Array(len * 32);
  padded.set(v, 0);
  return padded;
}

export async function writeDevPtau(opts: DevPtauOptions): Promise<DevPtauResult> {
  const { power } = opts;
  const seed = opts.seed ?? DEFAULT_DEV_SEED;
  const numIterationsExp = opts.numIterationsExp ?? 10;
  if (!Number.isInteger(power) || power < 1 || power > MAX_POWER)
    throw new DevPtauError("power out of range", { power, max: MAX_POWER });
  if (!Number.isInteger(numIterationsExp) || numIterationsExp < 10 || numIterationsExp > 63) {
    throw new DevPtauError("numIterationsExp must be 10..63 (snarkjs beacon range)", { numIterationsExp });
  }
  const t0 = performance.now();
  const { misc, ptauUtils, binFileUtils, blake2b } = await internals();
  const curve = await getCurve();
  const Fr = curve.Fr;
  const N = 2 ** power;
  const beaconHashHex = beaconHashOf(seed);
  const beaconHash = misc.hex2ByteArray(beaconHashHex);

  // The key exactly as `snarkjs powersoftau beacon` derives it for the first contribution.
  const firstChallenge = ptauUtils.calculateFirstChallengeHash(curve, power);
  const key = await ptauUtils.keyFromBeacon(curve, firstChallenge, beaconHash, numIterationsExp);
  const tau = key.tau.prvKey;
  const alpha = key.alpha.prvKey;
  const beta = key.beta.prvKey;

  // write to a temp name, rename at the end (never a half-written ptau under the final name)
  const tmp = `${opts.out}.tmp-${process.pid}`;
  // 16-bit comb windows: tables cost ~16 s CPU (two workers), each point saves 6 µs (G1) / 42 µs (G2)
  const pool = await FixedBasePool.create({ windowBits: power >= 17 ? 16 : 8 });
  const mul1 = (s: Uint8Array) => pool.mul("G1", s);
  const mul2 = (s: Uint8Array) => pool.mul("G2", s);
  try {
    // progress in percent of the work: each section's weight in G1 scalar multiplications of N
    // points (a G2 multiplication costs about 3.3 G1 ones): sections 2, 3, 4, 5, 6, 12, 13, 14, 15
    const weights = [2, 3.3, 1, 1, 0, 4, 6.6, 2, 2];
    const totalW = weights.reduce((a, b) => a + b, 0);
    let sections = 0,
      doneW = 0;
    const done = () => {
      doneW += weights[sections++]!;
      opts.onProgress?.(Math.round((100 * doneW) / totalW), 100);
    };

    // phase-1 scalars
    const sTau = await geometric(curve, 2 * N - 1, Fr.one, tau);
    const sec2 = await mul1(sTau);
    done();
    const sec3 = await mul2(sTau.subarray(0, N * 32));
    done();
    const sec4 = await mul1(await geometric(curve, N, alpha, tau));
    done();
    const sec5 = await mul1(await geometric(curve, N, beta, tau));
    done();
    const sec6 = await mul2(Uint8Array.from(beta as Uint8Array));
    done();

    // contribution record + hashes, as powersoftau_beacon.js computes them
    const responseHasher = blake2b.create({ dkLen: 64 });
    responseHasher.update(firstChallenge);
    for (const [G, s] of [
      [curve.G1, sec2],
      [curve.G2, sec3],
      [curve.G1, sec4],
      [curve.G1, sec5],
      [curve.G2, sec6],
    ] as const) {
      responseHasher.update(await G.batchLEMtoC(s));
    }
    const contribution: Any = {
      name: DEV_PTAU_CONTRIBUTION_NAME,
      type: 1,
      numIterationsExp,
      beaconHash,
      key,
      tauG1: curve.G1.fromRprLEM(sec2, 64),
      tauG2: curve.G2.fromRprLEM(sec3, 128),
      alphaG1: curve.G1.fromRprLEM(sec4, 0),
      betaG1: curve.G1.fromRprLEM(sec5, 0),
      betaG2: curve.G2.fromRprLEM(sec6, 0),
    };
    contribution.partialHash = misc.toPartialHash(responseHasher);
    const buffKey = new Uint8Array(curve.F1.n8 * 2 * 6 + curve.F2.n8 * 2 * 3);
    ptauUtils.toPtauPubKeyRpr(buffKey, 0, curve, key, false);
    responseHasher.update(buffKey);
    const hashResponse = responseHasher.digest();
    const next = blake2b.create({ dkLen: 64 });
    next.update(hashResponse);
    for (const [G, s] of [
      [curve.G1, sec2],
      [curve.G2, sec3],
      [curve.G1, sec4],
      [curve.G1, sec5],
      [curve.G2, sec6],
    ] as const) {
      next.update(await G.batchLEMtoU(s));
    }
    contribution.nextChallenge = next.digest();

    mkdirSync(dirname(opts.out), { recursive: true });
    if (existsSync(tmp)) rmSync(tmp);
    const fd = await binFileUtils.createBinFile(tmp, "ptau", 1, 11);
    try {
      await ptauUtils.writePTauHeader(fd, curve, power);
      for (const [id, s] of [
        [2, sec2],
        [3, sec3],
        [4, sec4],
        [5, sec5],
        [6, sec6],
      ] as const) {
        await binFileUtils.startWriteSection(fd, id);
        await fd.write(s);
        await binFileUtils.endWriteSection(fd);
      }
      await ptauUtils.writeContributions(fd, curve, [contribution]);

      // phase-2 preparation: Lagrange bases over every domain 2^p
      const lagrange = async (v: Uint8Array): Promise<Uint8Array> => {
        const r = await Fr.lagrangeEvaluations(v);
        return r instanceof Uint8Array ? r : r.slice(0, r.byteLength);
      };
      const scale = async (v: Uint8Array, k: Any): Promise<Uint8Array> => Fr.batchApplyKey(v, k, Fr.one);
      const lag: Uint8Array[] = [];
      for (let p = 0; p <= power; p++) lag.push(await lagrange(sTau.slice(0, 2 ** p * 32)));
      const padded = new Uint8Array(2 * N * 32);
      padded.set(sTau, 0); // last scalar stays 0: snarkjs pads tauG1 (2N - 1 points) with the zero point
      const lagTop = await lagrange(padded);

      await binFileUtils.startWriteSection(fd, 12);
      for (const l of lag) await fd.write(await mul1(l));
      await fd.write(await mul1(lagTop));
      await binFileUtils.endWriteSection(fd);
      done();
      await binFileUtils.startWriteSection(fd, 13);
      for (const l of lag) await fd.write(await mul2(l));
      await binFileUtils.endWriteSection(fd);
      done();
      await binFileUtils.startWriteSection(fd, 14);
      for (const l of lag) await fd.write(await mul1(await scale(l, alpha)));
      await binFileUtils.endWriteSection(fd);
      done();
      await binFileUtils.startWriteSection(fd, 15);
      for (const l of lag) await fd.write(await mul1(await scale(l, beta)));
      await binFileUtils.endWriteSection(fd);
      done();
    } finally {
      await fd.close();
    }
    renameSync(tmp, opts.out);
  } catch (e) {
    rmSync(tmp, { force: true }); // never leave a half-written file behind, even under the temp name
    throw e;
  } finally {
    await pool.close();
  }
  return {
    file: opts.out,
    power,
    seed,
    beaconHash: beaconHashHex,
    numIterationsExp,
    seconds: (performance.now() - t0) / 1000,
    insecure: true,
  };
}

/** Default location of a cached dev ptau for `power` and `seed`. */
export function devPtauPath(cacheDir: string, power: number, seed = DEFAULT_DEV_SEED): string {
  return join(cacheDir, "ptau", `INSECURE-dev-pot${power}-${beaconHashOf(seed).slice(0, 12)}.ptau`);
}
