/**
 * Groth16 `zkey new` for a single-beacon (dev) ptau, in O(signals) fixed-base multiplications
 * instead of snarkjs' one variable-base multiplication per R1CS coefficient.
 *
 * Input: a compiled .r1cs and a prepared ptau whose only contribution is a beacon (the INSECURE dev
 * ptau of devptau.ts: its tau, alpha and beta are recomputed from the beacon hash and iteration
 * count recorded in the file, exactly as devptau.ts derives them). Output: the zkey file
 * `snarkjs zkey new r1cs ptau out` writes, byte for byte (phase-2 start: delta = gamma = 1, no
 * contribution yet). Phase 2 (zk/setup/ceremony.ts) then runs unchanged on it.
 *
 * Spec: snarkjs 0.7.6 src/zkey_new.js. With D = 2^cirPower the circuit's domain and L_c(tau) the
 * Lagrange basis of the size-D domain at tau (snarkjs' own ordering: Fr.lagrangeEvaluations of
 * tau^0..tau^(D-1), which is what the ptau's section 12 level cirPower holds), every signal s has
 *   a_s = sum over A entries (c, k) of k L_c,  b_s, c_s likewise over B and C,
 * plus L_(nConstraints + s) in a_s for each public signal s <= nPublic (snarkjs' extra rows). Then
 *   A_s = a_s G1, B1_s = b_s G1, B2_s = b_s G2, C_s / IC_s = (beta a_s + alpha b_s + c_s) G1,
 * the same group elements snarkjs obtains as multi-exponentiations of the ptau's Lagrange points
 * (sections 12..15 = L_c G1, L_c G2, alpha L_c G1, beta L_c G1). Everything else (the header, the
 * coefficient section, the H points = odd points of section 12 at level cirPower + 1, the circuit
 * hash over the uncompressed points, including snarkjs' hash of tauG1[i + D] - tauG1[i] read from
 * section 2) is read from the ptau file the way snarkjs reads it, so the file is the same.
 *
 * Why hand-written: snarkjs has no fast path for a known tau; at 241,901 constraints its `zkey new`
 * spends tens of minutes in per-signal multi-exponentiations (zk/CONSTRAINTS.md "Proving").
 *
 * Checks: the tau, alpha and beta recomputed from the beacon must reproduce the file's tau G1,
 * alpha G1 and beta G1 points and the first and last Lagrange point of level cirPower; otherwise
 * DevZkeyError (the file is not a single-beacon ptau, or not prepared the way devptau.ts prepares).
 *
 * INSECURE by construction: whoever runs this knows tau. Dev setups only; a ceremony ptau goes
 * through snarkjs `zkey new` (zk/prover/snark.ts decides).
 *
 * Pitfalls: snarkjs hashes one H point more than it writes when D > 2^14 (its chunk loop), and
 * when cirPower is the ptau's power that point's first operand lies past the end of section 2 (the
 * next section's header bytes); reading the same file positions reproduces it. Zero scalars give
 * the point at infinity, encoded as zeros, as snarkjs writes it.
 */
import { ZkfpError } from "../../vm/errors.ts";
import { getCurve, internals } from "../snarkjs.ts";
import { FixedBasePool } from "./fixedbase.ts";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

export class DevZkeyError extends ZkfpError {
  override readonly name = "DevZkeyError";
}

/** Scalars per fixed-base call (bounds the memory of one batch of points). */
const BATCH = 1 << 16;

export type DevZkeyResult = { seconds: number; csHash: Uint8Array; nVars: number; domainSize: number };

type R1csHeader = {
  n8: number;
  prime: bigint;
  nVars: number;
  nOutputs: number;
  nPubInputs: number;
  nConstraints: number;
};

function leBig(b: Uint8Array): bigint {
  let x = 0n;
  for (let i = b.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[i]!);
  return x;
}

async function readR1csHeader(fd: Any, sections: Any): Promise<R1csHeader> {
  fd.pos = sections[1][0].p;
  const n8 = await fd.readULE32();
  const prime = leBig(await fd.read(n8));
  const nVars = await fd.readULE32();
  const nOutputs = await fd.readULE32();
  const nPubInputs = await fd.readULE32();
  await fd.readULE32(); // nPrvInputs
  await fd.readULE64(); // nLabels
  const nConstraints = await fd.readULE32();
  return { n8, prime, nVars, nOutputs, nPubInputs, nConstraints };
}

function log2floor(n: number): number {
  let p = 0;
  while (2 ** (p + 1) <= n) p++;
  return p;
}

function eq(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

export async function writeDevZkey(opts: {
  r1cs: string;
  ptau: string;
  out: string;
  log?: (m: string) => void;
}): Promise<DevZkeyResult> {
  const t0 = performance.now();
  const { binFileUtils, ptauUtils, blake2b } = await internals();
  const curve = await getCurve();
  const Fr = curve.Fr;
  const sG1 = curve.G1.F.n8 * 2;
  const sG2 = curve.G2.F.n8 * 2;

  const { fd: fdPTau, sections: sPTau } = await binFileUtils.readBinFile(opts.ptau, "ptau", 1, 1 << 22, 1 << 24);
  const { fd: fdR1cs, sections: sR1cs } = await binFileUtils.readBinFile(opts.r1cs, "r1cs", 1, 1 << 22, 1 << 24);
  let fdZKey: Any = null;
  let pool: FixedBasePool | undefined;
  try {
    const { power } = await ptauUtils.readPTauHeader(fdPTau, sPTau);
    const r1cs = await readR1csHeader(fdR1cs, sR1cs);
    if (r1cs.prime !== BigInt(curve.r.toString()))
      throw new DevZkeyError("r1cs field is not BN254's scalar field", { prime: r1cs.prime.toString() });
    // tau, alpha, beta from the file's single beacon contribution (as devptau.ts derives them)
    const contributions = await ptauUtils.readContributions(fdPTau, curve, sPTau);
    if (contributions.length !== 1 || contributions[0].type !== 1)
      throw new DevZkeyError("ptau is not a single-beacon (dev) ptau: tau unknown", {
        contributions: contributions.length,
        type: contributions[0]?.type,
      });
    const nPublic = r1cs.nOutputs + r1cs.nPubInputs;
    const cirPower = log2floor(r1cs.nConstraints + nPublic) + 1;
    if (cirPower > power)
      throw new DevZkeyError("circuit too big for the ptau", { constraints: r1cs.nConstraints, power, cirPower });
    if (!sPTau[12]) throw new DevZkeyError("ptau is not prepared for phase 2", { ptau: opts.ptau });
    if (cirPower >= Fr.s) throw new DevZkeyError("circuit too big for the curve", { cirPower });
    const D = 2 ** cirPower;

    const beacon = contributions[0];
    const key = await ptauUtils.keyFromBeacon(
      curve,
      ptauUtils.calculateFirstChallengeHash(curve, power),
      beacon.beaconHash,
      beacon.numIterationsExp,
    );
    const tau = key.tau.prvKey,
      alpha = key.alpha.prvKey,
      beta = key.beta.prvKey;

    // Lagrange basis of the size-D domain at tau, in snarkjs' ordering
    const ones = new Uint8Array(D * 32);
    for (let i = 0; i < D; i++) ones.set(Fr.one, i * 32);
    const powers: Uint8Array = await Fr.batchApplyKey(ones, Fr.one, tau);
    const lr = await Fr.lagrangeEvaluations(powers);
    const L: Uint8Array = lr instanceof Uint8Array ? lr : lr.slice(0, lr.byteLength);

    // the recomputed key must be the file's
    pool = await FixedBasePool.create({ windowBits: D >= 1 << 16 ? 16 : 8 });
    const probe = new Uint8Array(5 * 32);
    probe.set(tau, 0);
    probe.set(alpha, 32);
    probe.set(beta, 64);
    probe.set(L.subarray(0, 32), 96);
    probe.set(L.subarray((D - 1) * 32, D * 32), 128);
    const want = await pool.mul("G1", probe);
    const got = [
      await fdPTau.read(sG1, sPTau[2][0].p + sG1),
      await fdPTau.read(sG1, sPTau[4][0].p),
      await fdPTau.read(sG1, sPTau[5][0].p),
      await fdPTau.read(sG1, sPTau[12][0].p + (D - 1) * sG1),
      await fdPTau.read(sG1, sPTau[12][0].p + (2 * D - 2) * sG1),
    ];
    for (const [i, g] of got.entries())
      if (!eq(g, want.subarray(i * sG1, (i + 1) * sG1)))
        throw new DevZkeyError("ptau points do not match the key derived from its beacon", {
          ptau: opts.ptau,
          point: ["tauG1[1]", "alphaG1", "betaG1", "L_0", "L_(D-1)"][i],
        });

    // per-signal scalars a_s, b_s, c_s (Montgomery) from the constraints
    const n8r = Fr.n8;
    const cons: Uint8Array = await binFileUtils.readSection(fdR1cs, sR1cs, 2);
    const dv = new DataView(cons.buffer, cons.byteOffset, cons.byteLength);
    const a = new Uint8Array(r1cs.nVars * 32),
      b = new Uint8Array(r1cs.nVars * 32),
      c = new Uint8Array(r1cs.nVars * 32);
    const add = (acc: Uint8Array, s: number, v: Uint8Array) => {
      const o = s * 32;
      acc.set(Fr.add(acc.subarray(o, o + 32), v), o);
    };
    // coefficient section entries, as snarkjs writes them: [matrix, constraint, signal, k * R^2]
    const nCoefs = (() => {
      let n = 0,
        p = 0;
      for (let ci = 0; ci < r1cs.nConstraints; ci++) {
        for (let mtx = 0; mtx < 3; mtx++) {
          const k = dv.getUint32(p, true);
          if (mtx < 2) n += k;
          p += 4 + k * (4 + n8r);
        }
      }
      return n + nPublic + 1;
    })();
    const coefSec = new Uint8Array(4 + nCoefs * (12 + n8r));
    const coefV = new DataView(coefSec.buffer);
    coefV.setUint32(0, nCoefs, true);
    let cp = 4;
    const Rr = (1n << BigInt(n8r * 8)) % r1cs.prime;
    const R2r = Fr.e((Rr * Rr) % r1cs.prime);
    const writeCoef = (mtx: number, ci: number, s: number, nM: Uint8Array) => {
      coefV.setUint32(cp, mtx, true);
      coefV.setUint32(cp + 4, ci, true);
      coefV.setUint32(cp + 8, s, true);
      Fr.toRprLE(coefSec, cp + 12, Fr.mul(nM, R2r));
      cp += 12 + n8r;
    };
    let p = 0;
    for (let ci = 0; ci < r1cs.nConstraints; ci++) {
      const Lc = L.subarray(ci * 32, ci * 32 + 32);
      for (let mtx = 0; mtx < 3; mtx++) {
        const nE = dv.getUint32(p, true);
        p += 4;
        for (let e = 0; e < nE; e++) {
          const s = dv.getUint32(p, true);
          const k = Fr.fromRprLE(cons, p + 4);
          p += 4 + n8r;
          add(mtx === 0 ? a : mtx === 1 ? b : c, s, Fr.mul(k, Lc));
          if (mtx < 2) writeCoef(mtx, ci, s, k);
        }
      }
    }
    for (let s = 0; s <= nPublic; s++) {
      add(a, s, L.subarray((r1cs.nConstraints + s) * 32, (r1cs.nConstraints + s + 1) * 32));
      writeCoef(0, r1cs.nConstraints + s, s, Fr.one);
    }
    if (cp !== coefSec.byteLength) throw new DevZkeyError("r1cs constraint section size mismatch", { cp });
    // C / IC scalars: beta a_s + alpha b_s + c_s
    const ic = new Uint8Array(r1cs.nVars * 32);
    for (let s = 0; s < r1cs.nVars; s++) {
      const o = s * 32;
      const v = Fr.add(
        Fr.add(Fr.mul(beta, a.subarray(o, o + 32)), Fr.mul(alpha, b.subarray(o, o + 32))),
        c.subarray(o, o + 32),
      );
      ic.set(v, o);
    }

    const csHasher = blake2b.create({ dkLen: 64 });
    const hashU32 = (n: number) => {
      const x = new Uint8Array(4);
      new DataView(x.buffer).setUint32(0, n, false);
      csHasher.update(x);
    };

    fdZKey = await binFileUtils.createBinFile(opts.out, "zkey", 1, 10, 1 << 22, 1 << 24);
    // section 1: protocol (Groth16 = 1)
    await binFileUtils.startWriteSection(fdZKey, 1);
    await fdZKey.writeULE32(1);
    await binFileUtils.endWriteSection(fdZKey);
    // section 2: Groth16 header
    await binFileUtils.startWriteSection(fdZKey, 2);
    const primeQ = curve.q;
    const n8q = (Math.floor((primeQ.toString(2).length - 1) / 64) + 1) * 8;
    await fdZKey.writeULE32(n8q);
    await binFileUtils.writeBigInt(fdZKey, primeQ, n8q);
    await fdZKey.writeULE32(n8r);
    await binFileUtils.writeBigInt(fdZKey, curve.r, n8r);
    await fdZKey.writeULE32(r1cs.nVars);
    await fdZKey.writeULE32(nPublic);
    await fdZKey.writeULE32(D);
    for (const [sec, size, G] of [
      [4, sG1, curve.G1],
      [5, sG1, curve.G1],
      [6, sG2, curve.G2],
    ] as const) {
      const pt = await fdPTau.read(size, sPTau[sec][0].p);
      await fdZKey.write(pt);
      csHasher.update(await G.batchLEMtoU(pt));
    }
    const bg1 = new Uint8Array(sG1),
      bg2 = new Uint8Array(sG2),
      bg1U = new Uint8Array(sG1),
      bg2U = new Uint8Array(sG2);
    curve.G1.toRprLEM(bg1, 0, curve.G1.g);
    curve.G2.toRprLEM(bg2, 0, curve.G2.g);
    curve.G1.toRprUncompressed(bg1U, 0, curve.G1.g);
    curve.G2.toRprUncompressed(bg2U, 0, curve.G2.g);
    await fdZKey.write(bg2); // gamma2
    await fdZKey.write(bg1); // delta1
    await fdZKey.write(bg2); // delta2
    csHasher.update(bg2U);
    csHasher.update(bg1U);
    csHasher.update(bg2U);
    await binFileUtils.endWriteSection(fdZKey);

    // section 4: coefficients
    await binFileUtils.startWriteSection(fdZKey, 4);
    await fdZKey.write(coefSec);
    await binFileUtils.endWriteSection(fdZKey);

    /** points s G of scalars[from..to) written to section `id` (and hashed), in batches */
    const points = async (id: number, group: "G1" | "G2", scalars: Uint8Array, from: number, to: number) => {
      const G = curve[group];
      hashU32(to - from);
      await binFileUtils.startWriteSection(fdZKey, id);
      for (let i = from; i < to; i += BATCH) {
        const j = Math.min(to, i + BATCH);
        const pts = await pool!.mul(group, scalars.subarray(i * 32, j * 32));
        await fdZKey.write(pts);
        csHasher.update(await G.batchLEMtoU(pts));
      }
      await binFileUtils.endWriteSection(fdZKey);
      opts.log?.(
        `dev zkey: section ${id} (${to - from} ${group} points) at ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
    };

    await points(3, "G1", ic, 0, nPublic + 1); // IC

    // section 9: H = odd points of section 12 at level cirPower + 1
    await binFileUtils.startWriteSection(fdZKey, 9);
    {
      const lvl = await binFileUtils.readSection(fdPTau, sPTau, 12, (2 * D - 1) * sG1, 2 * D * sG1);
      const out = new Uint8Array(D * sG1);
      for (let i = 0; i < D; i++) out.set(lvl.slice((2 * i + 1) * sG1, (2 * i + 2) * sG1), i * sG1);
      await fdZKey.write(out);
    }
    await binFileUtils.endWriteSection(fdZKey);

    // circuit hash of the H points: tauG1[i + D] - tauG1[i], as snarkjs' hashHPoints reads them
    {
      const CHUNK = 1 << 14;
      hashU32(D - 1);
      const sMid = curve.G1.F.n8 * 3;
      for (let i = 0; i < D - 1; i += CHUNK) {
        const n = Math.min(D - 1, CHUNK);
        const b1 = await fdPTau.read(n * sG1, sPTau[2][0].p + (i + D) * sG1);
        const b2 = await fdPTau.read(n * sG1, sPTau[2][0].p + i * sG1);
        const task: Any[] = [
          { cmd: "ALLOCSET", var: 0, buff: b1 },
          { cmd: "ALLOCSET", var: 1, buff: b2 },
          { cmd: "ALLOC", var: 2, len: n * sMid },
        ];
        for (let k = 0; k < n; k++)
          task.push({
            cmd: "CALL",
            fnName: "g1m_subAffine",
            params: [
              { var: 0, offset: k * sG1 },
              { var: 1, offset: k * sG1 },
              { var: 2, offset: k * sMid },
            ],
          });
        task.push({ cmd: "CALL", fnName: "g1m_batchToAffine", params: [{ var: 2 }, { val: n }, { var: 2 }] });
        task.push({ cmd: "CALL", fnName: "g1m_batchLEMtoU", params: [{ var: 2 }, { val: n }, { var: 2 }] });
        task.push({ cmd: "GET", out: 0, var: 2, len: n * sG1 });
        const [res] = await curve.tm.queueAction(task);
        csHasher.update(res);
      }
    }

    await points(8, "G1", ic, nPublic + 1, r1cs.nVars); // C (private signals)
    await points(5, "G1", a, 0, r1cs.nVars); // A
    await points(6, "G1", b, 0, r1cs.nVars); // B1
    await points(7, "G2", b, 0, r1cs.nVars); // B2

    const csHash: Uint8Array = csHasher.digest();
    await binFileUtils.startWriteSection(fdZKey, 10);
    await fdZKey.write(csHash);
    await fdZKey.writeULE32(0);
    await binFileUtils.endWriteSection(fdZKey);
    return { seconds: (performance.now() - t0) / 1000, csHash, nVars: r1cs.nVars, domainSize: D };
  } finally {
    await pool?.close();
    await fdZKey?.close();
    await fdR1cs.close();
    await fdPTau.close();
  }
}
