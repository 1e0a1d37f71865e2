/**
 * The snarkjs backends end to end on the dev circuit (CounterChain, zk/prover/testdata): a real
 * setup (cached in .cache/zk), real proofs, and the ways a proof must fail. PLONK's setup needs a
 * 2^13 ptau for this circuit, so its prover test runs under ZKFP_HEAVY=1 (its verifier is exercised
 * in contracts/test/zk with committed proofs).
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { snarkjs, terminateCurve } from "../snarkjs.ts";
import { transcriptHash, vkeySha256 } from "../setup/ceremony.ts";
import { counterCircuit, counterInput, counterRoots } from "./circuits.ts";
import { COUNTER_FIXTURE, FIXTURE_DIR, GENERATED_DIR, readCommittedSetup, renderCommitted } from "./fixtures.ts";
import { SnarkProver, setupCircuit, toBytes32 } from "./snark.ts";
import { WitnessUnsatisfiable } from "./witness.ts";

afterAll(terminateCurve);
const heavy = !!process.env.ZKFP_HEAVY;

/** Inverse of encodeCalldata for Groth16 (EVM G2 order back to snarkjs'). */
function decodeGroth16Calldata(hex: string) {
  const w = (hex.slice(2).match(/.{64}/g) ?? []).map((x) => BigInt("0x" + x).toString());
  return {
    pi_a: [w[0]!, w[1]!, "1"],
    pi_b: [
      [w[3]!, w[2]!],
      [w[5]!, w[4]!],
      ["1", "0"],
    ],
    pi_c: [w[6]!, w[7]!, "1"],
    protocol: "groth16",
    curve: "bn128",
  };
}

describe("groth16 prover (dev circuit)", () => {
  const prover = new SnarkProver("groth16", async (m) => counterCircuit(m));

  it("proves root(t) -> root(t + m) and the proof verifies; the setup is reused", async () => {
    const { bundle, timings } = await prover.prove({ m: 2, circuitInput: await counterInput(7, 2), fromStep: 7 });
    const roots = await counterRoots(9);
    expect(bundle.preRoot).toBe(toBytes32(roots[7]!));
    expect(bundle.postRoot).toBe(toBytes32(roots[9]!));
    expect(bundle.interval).toEqual({ fromStep: 7, steps: 2 });
    expect(bundle.setup.insecure).toBe(true);
    expect((bundle.calldata.length - 2) / 2).toBe(256);
    expect(await prover.verify(bundle)).toBe(true);
    const again = await prover.prove({ m: 2, circuitInput: await counterInput(0, 2) });
    expect(again.timings.cached).toBe(true);
    expect(again.bundle.circuit.key).toBe(bundle.circuit.key);
    expect(timings.proveSeconds).toBeGreaterThan(0);
  });

  it("rejects a proof whose post-root or pre-root is swapped for another state", async () => {
    const { bundle } = await prover.prove({ m: 2, circuitInput: await counterInput(1, 2) });
    const roots = (await counterRoots(4)).map(String);
    expect(
      await prover.verify({ ...bundle, publicSignals: [roots[1]!, roots[4]!], postRoot: toBytes32(BigInt(roots[4]!)) }),
    ).toBe(false);
    expect(
      await prover.verify({ ...bundle, publicSignals: [roots[2]!, roots[3]!], preRoot: toBytes32(BigInt(roots[2]!)) }),
    ).toBe(false);
    // public signals that disagree with the bundle's own roots
    expect(await prover.verify({ ...bundle, postRoot: toBytes32(1n) })).toBe(false);
  });

  it("rejects a tampered proof point", async () => {
    const { bundle } = await prover.prove({ m: 2, circuitInput: await counterInput(4, 2) });
    const p = structuredClone(bundle.proof) as { pi_c: string[] };
    p.pi_c[0] = (BigInt(p.pi_c[0]!) + 1n).toString();
    expect(await prover.verify({ ...bundle, proof: p })).toBe(false);
  });

  it("refuses to prove a false transition (typed WitnessUnsatisfiable: witness generation fails)", async () => {
    const input = await counterInput(3, 2);
    const wrong = { ...input, postRoot: (await counterInput(3, 3)).postRoot };
    await expect(prover.prove({ m: 2, circuitInput: wrong })).rejects.toBeInstanceOf(WitnessUnsatisfiable);
    const skipped = { ...input, n: "4" }; // claims to start one step later than preRoot says
    await expect(prover.prove({ m: 2, circuitInput: skipped })).rejects.toBeInstanceOf(WitnessUnsatisfiable);
  });

  it("a default setup has one secret phase-2 contribution, a transcript, and says INSECURE everywhere", async () => {
    const art = await setupCircuit("groth16", counterCircuit(COUNTER_FIXTURE.m));
    expect(art.transcript.phase2!.contributions).toHaveLength(1);
    expect(art.transcript.phase2!.contributions[0]!.type).toBe("contribution");
    expect(transcriptHash(art.transcript)).toBe(art.meta.transcriptHash);
    expect(art.meta).toMatchObject({ insecure: true, security: { secure: false, phase2: { secretContributions: 1 } } });
    expect(art.meta.label).toMatch(/^INSECURE: /);
    expect(art.verifierSol.split("\n")[1]).toMatch(/^\/\/ INSECURE setup/);
    expect(art.verifierSol).toContain(`SETUP_TRANSCRIPT_HASH = ${art.meta.transcriptHash};`);
    expect(art.verifierSol).toContain("SETUP_INSECURE = true;");
  });

  it("the committed verifiers re-render from their committed setup records, and the fixture proofs verify", async () => {
    const fx = JSON.parse(readFileSync(join(FIXTURE_DIR, `zk_counter_m${COUNTER_FIXTURE.m}.json`), "utf8"));
    expect(fx.roots).toEqual((await counterRoots(COUNTER_FIXTURE.n)).map(toBytes32));
    const names = readdirSync(GENERATED_DIR)
      .filter((f) => f.endsWith(".setup.json"))
      .map((f) => f.replace(/\.setup\.json$/, ""));
    expect(names).toEqual(
      expect.arrayContaining(["Groth16Verifier_counter_m2", "PlonkVerifier_counter_m2", "FflonkVerifier_counter_m2"]),
    );
    for (const n of names) {
      const rec = readCommittedSetup(n);
      expect(transcriptHash(rec.transcript), n).toBe(rec.transcriptHash);
      expect(vkeySha256(rec.vkey), n).toBe(rec.transcript.vkeySha256);
      expect(await renderCommitted(rec), n).toBe(readFileSync(join(GENERATED_DIR, `${n}.sol`), "utf8"));
    }
    // Groth16 fixture proofs against the committed key (the forge tests check them on the .sol)
    const s = await snarkjs();
    const rec = readCommittedSetup("Groth16Verifier_counter_m2");
    expect(fx.groth16.transcriptHash).toBe(rec.transcriptHash);
    for (const [j, cd] of (fx.groth16.proofs as string[]).entries()) {
      const proof = decodeGroth16Calldata(cd);
      const pub = [BigInt(fx.roots[j * 2]).toString(), BigInt(fx.roots[j * 2 + 2]).toString()];
      expect(await s.groth16.verify(rec.vkey, pub, proof)).toBe(true);
      expect(await s.groth16.verify(rec.vkey, [pub[1]!, pub[0]!], proof)).toBe(false);
    }
  });
});

describe("plonk prover (dev circuit)", () => {
  it.skipIf(!heavy)("proves and verifies", async () => {
    const prover = new SnarkProver("plonk", async (m) => counterCircuit(m));
    const { bundle } = await prover.prove({ m: 2, circuitInput: await counterInput(2, 2) });
    expect((bundle.calldata.length - 2) / 2).toBe(768);
    expect(await prover.verify(bundle)).toBe(true);
    expect(
      await prover.verify({
        ...bundle,
        publicSignals: [bundle.publicSignals[1]!, bundle.publicSignals[0]!],
        preRoot: bundle.postRoot,
        postRoot: bundle.preRoot,
      }),
    ).toBe(false);
  });
});

describe("fflonk prover (dev circuit)", () => {
  // FFLONK needs a 2^16 ptau for this circuit (power cirPower + 3): heavy; its verifier and committed
  // proofs are checked in contracts/test/zk/ZkArbitrationFflonk.t.sol and zk/arbitration-fflonk.e2e.test.ts
  it.skipIf(!heavy)("proves and verifies; the calldata is the 768 bytes the arbitrator takes", async () => {
    const prover = new SnarkProver("fflonk", async (m) => counterCircuit(m));
    const { bundle } = await prover.prove({ m: 2, circuitInput: await counterInput(2, 2) });
    expect(bundle.backend).toBe("fflonk");
    expect((bundle.calldata.length - 2) / 2).toBe(768);
    expect(await prover.verify(bundle)).toBe(true);
    expect(
      await prover.verify({
        ...bundle,
        publicSignals: [bundle.publicSignals[1]!, bundle.publicSignals[0]!],
        preRoot: bundle.postRoot,
        postRoot: bundle.preRoot,
      }),
    ).toBe(false);
    await expect(
      prover.prove({ m: 2, circuitInput: { ...(await counterInput(2, 2)), postRoot: "5" } }),
    ).rejects.toThrow(WitnessUnsatisfiable);
  });
});

describe("groth16 prover (RV32IM circuit)", () => {
  // compile + setup of RvSteps(1) (~31.5k constraints, 2^15 ptau) takes minutes on a fresh cache
  it.skipIf(!heavy)("proves one real guest step; rejects swapped roots", async () => {
    const { RV_FIXTURE } = await import("./fixtures.ts");
    const { rv32imCircuit, REPO_ROOT } = await import("./circuits.ts");
    const { loadElf } = await import("../../vm/index.ts");
    const { Trace } = await import("../../vm/trace.ts");
    const { circuitInputFromTrace } = await import("../witness-input.ts");
    const prog = loadElf(new Uint8Array(readFileSync(join(REPO_ROOT, "vm", "guests", "bin", RV_FIXTURE.guest))));
    const tr = await Trace.create(prog, { maxSteps: RV_FIXTURE.from + 1 });
    const prover = new SnarkProver("groth16", (m) => rv32imCircuit(m));
    const { bundle } = await prover.prove({
      m: 1,
      circuitInput: circuitInputFromTrace(tr, RV_FIXTURE.from, 1) as unknown as Record<string, unknown>,
    });
    expect(bundle.preRoot).toBe(toBytes32(tr.rootAt(RV_FIXTURE.from)));
    expect(bundle.postRoot).toBe(toBytes32(tr.rootAt(RV_FIXTURE.from + 1)));
    expect(await prover.verify(bundle)).toBe(true);
    expect(
      await prover.verify({
        ...bundle,
        publicSignals: [bundle.publicSignals[1]!, bundle.publicSignals[0]!],
        preRoot: bundle.postRoot,
        postRoot: bundle.preRoot,
      }),
    ).toBe(false);
  });
});
