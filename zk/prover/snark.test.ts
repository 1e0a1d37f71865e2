/**
 * The snarkjs backends end to end on the dev circuit (CounterChain, zk/prover/testdata): a real
 * setup (cached in .cache/zk), real proofs, and the ways a proof must fail. PLONK's setup needs a
 * 2^13 ptau for this circuit, so its prover test runs under ZKFP_HEAVY=1 (its verifier is exercised
 * in contracts/test/zk with committed proofs).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { terminateCurve } from "../snarkjs.ts";
import { counterCircuit, counterInput, counterRoots } from "./circuits.ts";
import { COUNTER_FIXTURE, FIXTURE_DIR, GENERATED_DIR } from "./fixtures.ts";
import { ProverError, SnarkProver, setupCircuit, toBytes32 } from "./snark.ts";

afterAll(terminateCurve);
const heavy = !!process.env.ZKFP_HEAVY;

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
    expect(await prover.verify({ ...bundle, publicSignals: [roots[1]!, roots[4]!], postRoot: toBytes32(BigInt(roots[4]!)) })).toBe(false);
    expect(await prover.verify({ ...bundle, publicSignals: [roots[2]!, roots[3]!], preRoot: toBytes32(BigInt(roots[2]!)) })).toBe(false);
    // public signals that disagree with the bundle's own roots
    expect(await prover.verify({ ...bundle, postRoot: toBytes32(1n) })).toBe(false);
  });

  it("rejects a tampered proof point", async () => {
    const { bundle } = await prover.prove({ m: 2, circuitInput: await counterInput(4, 2) });
    const p = structuredClone(bundle.proof) as { pi_c: string[] };
    p.pi_c[0] = (BigInt(p.pi_c[0]!) + 1n).toString();
    expect(await prover.verify({ ...bundle, proof: p })).toBe(false);
  });

  it("refuses to prove a false transition (witness generation fails)", async () => {
    const input = await counterInput(3, 2);
    const wrong = { ...input, postRoot: (await counterInput(3, 3)).postRoot };
    await expect(prover.prove({ m: 2, circuitInput: wrong })).rejects.toBeInstanceOf(ProverError);
    const skipped = { ...input, n: "4" }; // claims to start one step later than preRoot says
    await expect(prover.prove({ m: 2, circuitInput: skipped })).rejects.toBeInstanceOf(ProverError);
  });

  it("the committed Solidity verifier and fixture come from this setup", async () => {
    const art = await setupCircuit("groth16", counterCircuit(COUNTER_FIXTURE.m));
    expect(readFileSync(join(GENERATED_DIR, `${art.verifierName}.sol`), "utf8")).toBe(art.verifierSol);
    const fx = JSON.parse(readFileSync(join(FIXTURE_DIR, `zk_counter_m${COUNTER_FIXTURE.m}.json`), "utf8"));
    expect(fx.groth16.setupKey).toBe(art.key);
    expect(fx.roots).toEqual((await counterRoots(COUNTER_FIXTURE.n)).map(toBytes32));
  });
});

describe("plonk prover (dev circuit)", () => {
  it.skipIf(!heavy)("proves and verifies; the committed verifier comes from this setup", async () => {
    const prover = new SnarkProver("plonk", async (m) => counterCircuit(m));
    const { bundle } = await prover.prove({ m: 2, circuitInput: await counterInput(2, 2) });
    expect((bundle.calldata.length - 2) / 2).toBe(768);
    expect(await prover.verify(bundle)).toBe(true);
    expect(await prover.verify({ ...bundle, publicSignals: [bundle.publicSignals[1]!, bundle.publicSignals[0]!], preRoot: bundle.postRoot, postRoot: bundle.preRoot })).toBe(false);
    const art = await setupCircuit("plonk", counterCircuit(2));
    expect(readFileSync(join(GENERATED_DIR, `${art.verifierName}.sol`), "utf8")).toBe(art.verifierSol);
  });
});

describe("groth16 prover (RV32IM circuit)", () => {
  // compile + setup of RvSteps(1) (~31.5k constraints, 2^15 ptau) takes minutes on a fresh cache
  it.skipIf(!heavy)("proves one real guest step; rejects swapped roots; the committed verifier is in sync", async () => {
    const { RV_FIXTURE } = await import("./fixtures.ts");
    const { rv32imCircuit, REPO_ROOT } = await import("./circuits.ts");
    const { loadElf } = await import("../../vm/index.ts");
    const { Trace } = await import("../../vm/trace.ts");
    const { circuitInputFromTrace } = await import("../witness-input.ts");
    const prog = loadElf(new Uint8Array(readFileSync(join(REPO_ROOT, "vm", "guests", "bin", RV_FIXTURE.guest))));
    const tr = await Trace.create(prog, { maxSteps: RV_FIXTURE.from + 1 });
    const prover = new SnarkProver("groth16", (m) => rv32imCircuit(m));
    const { bundle } = await prover.prove({ m: 1, circuitInput: circuitInputFromTrace(tr, RV_FIXTURE.from, 1) as unknown as Record<string, unknown> });
    expect(bundle.preRoot).toBe(toBytes32(tr.rootAt(RV_FIXTURE.from)));
    expect(bundle.postRoot).toBe(toBytes32(tr.rootAt(RV_FIXTURE.from + 1)));
    expect(await prover.verify(bundle)).toBe(true);
    expect(await prover.verify({ ...bundle, publicSignals: [bundle.publicSignals[1]!, bundle.publicSignals[0]!], preRoot: bundle.postRoot, postRoot: bundle.preRoot })).toBe(false);
    const art = await setupCircuit("groth16", await rv32imCircuit(1));
    expect(readFileSync(join(GENERATED_DIR, `${art.verifierName}.sol`), "utf8")).toBe(art.verifierSol);
  });
});
