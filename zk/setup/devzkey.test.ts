/**
 * The dev `zkey new` (devzkey.ts) writes the file snarkjs' own `zkey new` writes for the same r1cs
 * and single-beacon ptau, and refuses a ptau whose tau it cannot know. Small dev circuits only
 * (CounterChain m = 1, 2: domain 2^9 < ptau 2^10 and domain = ptau power); the real m = 64 table
 * circuit (domain 2^18 = ptau power, where snarkjs hashes a point past section 2) is compared by
 * `npx tsx zk/circuits/mem/bench.ts devzkey-check 64` against a snarkjs setup in the cache.
 */
import { copyFileSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { counterCircuit } from "../prover/circuits.ts";
import { compileCircuit } from "../prover/snark.ts";
import { getCurve, internals, snarkjs, terminateCurve } from "../snarkjs.ts";
import { writeDevPtau } from "./devptau.ts";
import { DevZkeyError, writeDevZkey } from "./devzkey.ts";

const dir = mkdtempSync(join(tmpdir(), "zkfp-devzkey-"));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await terminateCurve();
});

describe("dev zkey new", () => {
  it("is byte-identical to snarkjs zkey new (domain below and at the ptau's power)", async () => {
    const s = await snarkjs();
    const ptau = join(dir, "dev10.ptau");
    await writeDevPtau({ power: 10, out: ptau });
    for (const m of [1, 2]) {
      const r1cs = join(await compileCircuit(counterCircuit(m)), "circuit.r1cs");
      const ref = join(dir, `ref${m}.zkey`),
        dev = join(dir, `dev${m}.zkey`);
      await s.zKey.newZKey(r1cs, ptau, ref);
      const r = await writeDevZkey({ r1cs, ptau, out: dev });
      expect(r.domainSize).toBe(m === 1 ? 512 : 1024);
      expect(readFileSync(dev).equals(readFileSync(ref))).toBe(true);
    }
  });

  it("refuses a ptau with a secret contribution (tau unknown) and a ptau too small for the circuit", async () => {
    const s = await snarkjs();
    const curve = await getCurve();
    const r1cs = join(await compileCircuit(counterCircuit(2)), "circuit.r1cs");
    // a ptau whose only contribution is a secret one (type 0): snarkjs new + contribute + prepare
    await s.powersOfTau.newAccumulator(curve, 4, join(dir, "n.ptau"));
    const ptauApi = s.powersOfTau as unknown as {
      contribute(a: string, b: string, name: string, entropy: string): Promise<unknown>;
    };
    await ptauApi.contribute(join(dir, "n.ptau"), join(dir, "c.ptau"), "secret", "some entropy");
    await s.powersOfTau.preparePhase2(join(dir, "c.ptau"), join(dir, "secret.ptau"));
    await expect(writeDevZkey({ r1cs, ptau: join(dir, "secret.ptau"), out: join(dir, "x.zkey") })).rejects.toThrow(
      /single-beacon/,
    );
    const small = join(dir, "dev8.ptau");
    await writeDevPtau({ power: 8, out: small });
    await expect(writeDevZkey({ r1cs, ptau: small, out: join(dir, "y.zkey") })).rejects.toThrow(DevZkeyError);
    await expect(writeDevZkey({ r1cs, ptau: small, out: join(dir, "y.zkey") })).rejects.toThrow(/too big/);
  });

  it("refuses a ptau whose beacon record is another file's (points not derived from that beacon)", async () => {
    const r1cs = join(await compileCircuit(counterCircuit(1)), "circuit.r1cs");
    const a = join(dir, "seedA.ptau"),
      b = join(dir, "seedB.ptau"),
      liar = join(dir, "liar.ptau");
    await writeDevPtau({ power: 9, seed: "seed A", out: a });
    await writeDevPtau({ power: 9, seed: "seed B", out: b });
    // B's points under A's contribution record (same layout and sizes: one beacon each)
    const { binFileUtils } = await internals();
    const sec = async (f: string) => {
      const { fd, sections } = await binFileUtils.readBinFile(f, "ptau", 1);
      await fd.close();
      return sections[7][0] as { p: number; size: number };
    };
    const [sa, sb] = [await sec(a), await sec(b)];
    expect(sa).toEqual(sb);
    copyFileSync(b, liar);
    const fd = openSync(liar, "r+");
    writeSync(fd, readFileSync(a).subarray(sa.p, sa.p + sa.size), 0, sa.size, sb.p);
    closeSync(fd);
    await expect(writeDevZkey({ r1cs, ptau: liar, out: join(dir, "liar.zkey") })).rejects.toThrow(
      /do not match the key derived from its beacon/,
    );
    // the untouched files are accepted
    await writeDevZkey({ r1cs, ptau: a, out: join(dir, "a.zkey") });
  });

  // snarkjs hashes D points of H when D > 2^14, the last one read past section 2 when the domain is
  // the ptau's power (the m = 64 table circuit's case): a 2^15 domain on a 2^15 ptau (minutes)
  it.runIf(process.env.ZKFP_HEAVY === "1")(
    "is byte-identical to snarkjs zkey new above 2^14 constraints at the ptau's power",
    async () => {
      const s = await snarkjs();
      const ptau = join(dir, "dev15.ptau");
      await writeDevPtau({ power: 15, out: ptau });
      const r1cs = join(await compileCircuit(counterCircuit(80)), "circuit.r1cs");
      const ref = join(dir, "ref80.zkey"),
        dev = join(dir, "dev80.zkey");
      await s.zKey.newZKey(r1cs, ptau, ref);
      const r = await writeDevZkey({ r1cs, ptau, out: dev });
      expect(r.domainSize).toBe(2 ** 15);
      expect(readFileSync(dev).equals(readFileSync(ref))).toBe(true);
    },
    3_600_000,
  );
});
