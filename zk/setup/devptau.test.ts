/**
 * The INSECURE dev ptau is the file snarkjs itself would write for the same beacon, and snarkjs
 * accepts it; see devptau.ts. Small powers only (snarkjs' prepare phase2 is the slow reference).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { getCurve, snarkjs, terminateCurve } from "../snarkjs.ts";
import { DEFAULT_DEV_SEED, DEV_PTAU_CONTRIBUTION_NAME, DevPtauError, beaconHashOf, writeDevPtau } from "./devptau.ts";
import { PtauError, readPtauInfo, resolvePtau } from "./ptau.ts";
import { FixedBasePool, fixedBaseMul } from "./fixedbase.ts";

const dir = mkdtempSync(join(tmpdir(), "zkfp-devptau-"));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await terminateCurve();
});

describe("dev ptau", () => {
  it("is byte-identical to snarkjs new + beacon + prepare phase2 for the same beacon", async () => {
    const s = await snarkjs();
    const curve = await getCurve();
    for (const power of [3, 5]) {
      const dev = join(dir, `dev${power}.ptau`);
      await writeDevPtau({ power, out: dev });
      await s.powersOfTau.newAccumulator(curve, power, join(dir, `n${power}.ptau`));
      await s.powersOfTau.beacon(
        join(dir, `n${power}.ptau`),
        join(dir, `b${power}.ptau`),
        DEV_PTAU_CONTRIBUTION_NAME,
        beaconHashOf(DEFAULT_DEV_SEED),
        10,
      );
      await s.powersOfTau.preparePhase2(join(dir, `b${power}.ptau`), join(dir, `ref${power}.ptau`));
      expect(readFileSync(dev).equals(readFileSync(join(dir, `ref${power}.ptau`)))).toBe(true);
    }
  });

  it("passes snarkjs powersoftau verify (contribution proofs and pairing checks)", async () => {
    const s = await snarkjs();
    const f = join(dir, "v5.ptau");
    await writeDevPtau({ power: 5, seed: "another seed", out: f });
    expect(await s.powersOfTau.verify(f)).toBe(true);
  });

  it("changes with the seed and is labelled insecure", async () => {
    const a = join(dir, "s1.ptau"),
      b = join(dir, "s2.ptau");
    await writeDevPtau({ power: 3, seed: "s1", out: a });
    await writeDevPtau({ power: 3, seed: "s2", out: b });
    expect(readFileSync(a).equals(readFileSync(b))).toBe(false);
    const info = await readPtauInfo(a);
    expect(info).toEqual({ power: 3, prepared: true, contributions: [DEV_PTAU_CONTRIBUTION_NAME] });
    const r = await resolvePtau({ power: 3, ptau: a, cacheDir: dir });
    expect(r.insecure).toBe(true);
    expect(r.label).toMatch(/^INSECURE/);
  });

  it("fixed-base multiplication agrees with ffjavascript's timesFr (zero scalar, 8- and 16-bit windows, several chunks)", async () => {
    const curve = await getCurve();
    const Fr = curve.Fr;
    const scal = [Fr.zero, Fr.one, Fr.e(2n), Fr.e(-1n), Fr.e(123456789123456789123456789n)];
    const buf = new Uint8Array(scal.length * 32);
    scal.forEach((x, i) => buf.set(x, i * 32));
    const check = (g: "G1" | "G2", out: Uint8Array, at: number[], scalarOf: (i: number) => Uint8Array) => {
      const G = curve[g];
      const sA = G.F.n8 * 2;
      for (const i of at) {
        const exp = new Uint8Array(sA);
        G.toRprLEM(exp, 0, G.timesFr(G.g, scalarOf(i)));
        expect(Buffer.from(out.subarray(i * sA, (i + 1) * sA)).toString("hex"), `${g} #${i}`).toBe(
          Buffer.from(exp).toString("hex"),
        );
      }
    };
    const all = scal.map((_, i) => i);
    for (const g of ["G1", "G2"] as const) check(g, await fixedBaseMul(g, buf), all, (i) => scal[i]!);
    // the 16-bit windows (dev ptau from 2^17 on), one worker; G1 only (the G2 table alone costs
    // ~5 s CPU; the code is the same with the group's sizes)
    const pool = await FixedBasePool.create({ threads: 1, windowBits: 16 });
    try {
      check("G1", await pool.mul("G1", buf), all, (i) => scal[i]!);
    } finally {
      await pool.close();
    }
    // more points than one worker chunk (4096): every chunk lands at its place
    const n = 4096 + 7;
    const many = new Uint8Array(n * 32);
    let x = Fr.e(5n);
    for (let i = 0; i < n; i++, x = Fr.mul(x, Fr.e(3n))) many.set(x, i * 32);
    check("G1", await fixedBaseMul("G1", many), [0, 4095, 4096, n - 1], (i) => many.slice(i * 32, i * 32 + 32));
  });

  it("rejects bad parameters and bad ptau files with typed errors", async () => {
    await expect(writeDevPtau({ power: 0, out: join(dir, "x.ptau") })).rejects.toBeInstanceOf(DevPtauError);
    await expect(writeDevPtau({ power: 4, numIterationsExp: 5, out: join(dir, "x.ptau") })).rejects.toBeInstanceOf(
      DevPtauError,
    );
    await expect(resolvePtau({ power: 4, ptau: join(dir, "missing.ptau"), cacheDir: dir })).rejects.toBeInstanceOf(
      PtauError,
    );
    const small = join(dir, "small.ptau");
    await writeDevPtau({ power: 3, out: small });
    await expect(resolvePtau({ power: 8, ptau: small, cacheDir: dir })).rejects.toMatchObject({
      name: "PtauError",
      detail: { power: 3, needed: 8 },
    });
    const notPtau = join(dir, "junk.ptau");
    (await import("node:fs")).writeFileSync(notPtau, "not a ptau");
    await expect(resolvePtau({ power: 3, ptau: notPtau, cacheDir: dir })).rejects.toBeInstanceOf(PtauError);
    const unprepared = join(dir, "b3.ptau"); // written by the first test: beacon but no prepare phase2
    await expect(resolvePtau({ power: 3, ptau: unprepared, cacheDir: dir })).rejects.toMatchObject({
      name: "PtauError",
    });
  });
});
