/**
 * Anvil e2e of the FFLONK arbitrator from TS, with the committed FFLONK fixture (no setup, no
 * proving: contracts/test/fixtures/zk_counter_m2_fflonk.json and the committed
 * FflonkVerifier_counter_m2, both written by `zk/prover/fixtures.ts fflonk`): zk/prover/chain.ts
 * deploys the verifier and FflonkArbitrator, a game's leaf is settled by the honest FFLONK proof
 * (the lying challenger loses its bond) and the lying claimer cannot prove its leaf; `arbitrate`
 * gas is measured; `zkfp verify` checks an FFLONK proof file against the pinned committed vkey and
 * against the deployed arbitrator. Same scenario as zk/arbitration.e2e.test.ts (Groth16).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Contract, type JsonRpcSigner } from "ethers";
import { runCli as cli } from "../cli/testing.ts";
import { startAnvil, type Chain } from "../protocol/chain/anvil.ts";
import { artifact, compileVerifier } from "../contracts/build.ts";
import { terminateCurve } from "./snarkjs.ts";
import { counterRoots } from "./prover/circuits.ts";
import { FIXTURE_DIR, GENERATED_DIR, readCommittedSetup } from "./prover/fixtures.ts";
import { FIELD_R, SNARK_PROOF_BYTES, encodeCalldata, solidityCallData, toBytes32 } from "./prover/snark.ts";
import { deploy, deployArbitrator, gasOfArbitrate, keyedProof } from "./prover/chain.ts";
import type { ProofBundle } from "./prover/types.ts";

const M = 2,
  N = 4;
const NAME = "FflonkVerifier_counter_m2";
const CLAIM_BOND = 10n ** 18n,
  CHALLENGE_BOND = 10n ** 17n,
  BURN_BPS = 2500n;
const ZERO = toBytes32(0n);

type Fixture = { m: number; n: number; roots: string[]; fflonk: { proofs: string[]; transcriptHash: string } };
const fx = JSON.parse(readFileSync(join(FIXTURE_DIR, "zk_counter_m2_fflonk.json"), "utf8")) as Fixture;

/** snarkjs' FFLONK proof object from the 24 calldata words (the order of fflonk_export_calldata.js). */
function decodeFflonkCalldata(hex: string): Record<string, unknown> {
  const w = (hex.slice(2).match(/.{64}/g) ?? []).map((x) => BigInt("0x" + x).toString());
  const pt = (i: number) => [w[i]!, w[i + 1]!, "1"];
  const ev = ["ql", "qr", "qm", "qo", "qc", "s1", "s2", "s3", "a", "b", "c", "z", "zw", "t1w", "t2w", "inv"];
  return {
    polynomials: { C1: pt(0), C2: pt(2), W1: pt(4), W2: pt(6) },
    evaluations: Object.fromEntries(ev.map((k, i) => [k, w[8 + i]!])),
    protocol: "fflonk",
    curve: "bn128",
  };
}

/** A zkfp-proof/1 file of fixture leaf j, as `zkfp prove --backend fflonk` writes it. */
function bundleOf(j: number): ProofBundle {
  const rec = readCommittedSetup(NAME);
  const pre = fx.roots[j * M]!,
    post = fx.roots[(j + 1) * M]!;
  return {
    format: "zkfp-proof/1",
    backend: "fflonk",
    circuit: { id: "counter", m: M, key: "committed" },
    interval: { fromStep: j * M, steps: M },
    preRoot: pre,
    postRoot: post,
    publicSignals: [BigInt(pre).toString(), BigInt(post).toString()],
    proof: decodeFflonkCalldata(fx.fflonk.proofs[j]!),
    calldata: fx.fflonk.proofs[j]!,
    vkey: rec.vkey,
    setup: { ptau: "INSECURE dev ptau", ptauSha256: rec.transcript.ptau.sha256, insecure: true },
  };
}

let chain: Chain;
let claimer: JsonRpcSigner, challenger: JsonRpcSigner;
let arbitrator: Contract;
let proofs: string[]; // key index 0 ++ fixture proof j: [j*M, (j+1)*M]

beforeAll(async () => {
  chain = await startAnvil();
  claimer = await chain.provider.getSigner(0);
  challenger = await chain.provider.getSigner(1);
  const sol = readFileSync(join(GENERATED_DIR, `${NAME}.sol`), "utf8");
  ({ arbitrator } = (await deployArbitrator(claimer, "fflonk", compileVerifier(sol, NAME), M)) as {
    arbitrator: Contract;
  });
  proofs = fx.fflonk.proofs.map((p) => keyedProof(0, p));
});
afterAll(async () => {
  await chain?.stop();
  await terminateCurve();
});

async function newGame(): Promise<{
  game: Contract;
  asClaimer: Contract;
  asChallenger: Contract;
  programHash: string;
}> {
  const binding = await deploy(claimer, artifact("AlphabetClaimBinding.sol", "AlphabetClaimBinding"), []);
  const cfg = [CLAIM_BOND, CHALLENGE_BOND, BURN_BPS, 86_400, 3_600, 1_800, 1, BURN_BPS];
  const game = (await deploy(
    claimer,
    artifact("DisputeGame.sol", "DisputeGame"),
    cfg,
    [[1, M, await arbitrator.getAddress(), "0x0000000000000000000000000000000000000000"]],
    await binding.getAddress(),
  )) as unknown as Contract;
  return {
    game,
    asClaimer: game.connect(claimer) as Contract,
    asChallenger: game.connect(challenger) as Contract,
    programHash: (await binding.getFunction("programHash")()) as string,
  };
}

describe("FFLONK arbitration on anvil (committed fixture)", () => {
  it("the fixture is the counter chain's roots, and the proofs have the FFLONK length", async () => {
    expect(fx.roots).toEqual((await counterRoots(N)).map(toBytes32));
    for (const p of fx.fflonk.proofs) expect((p.length - 2) / 2).toBe(SNARK_PROOF_BYTES.fflonk);
    expect(await arbitrator.getFunction("setupTranscriptHash")(M, 0)).toBe(readCommittedSetup(NAME).transcriptHash);
    expect(await arbitrator.getFunction("setupInsecure")(M, 0)).toBe(true);
  });

  it("arbitrate: the true (pre, post) accepted, a wrong post, a root >= R, another interval rejected; gas", async () => {
    const r = fx.roots;
    const arb = arbitrator.getFunction("arbitrate");
    expect(await arb.staticCall(r[2], r[4], M, proofs[1])).toBe(true);
    expect(await arb.staticCall(r[0], r[2], M, proofs[0])).toBe(true);
    expect(await arb.staticCall(r[2], r[3], M, proofs[1])).toBe(false);
    expect(await arb.staticCall(r[2], r[4], M, proofs[0])).toBe(false);
    expect(await arb.staticCall(r[2], toBytes32(BigInt(r[4]!) + FIELD_R), M, proofs[1])).toBe(false);
    expect(await arb.staticCall(r[2], r[4], M, keyedProof(1, fx.fflonk.proofs[1]!))).toBe(false);
    const gas = await gasOfArbitrate(arbitrator, r[2]!, r[4]!, M, proofs[1]!);
    expect(gas.accepted).toBe(true);
    expect(gas.execution).toBeGreaterThan(100_000); // the pairing ran
    const rejected = await gasOfArbitrate(arbitrator, r[2]!, r[3]!, M, proofs[1]!);
    expect(rejected.accepted).toBe(false);
    // a wrong post-root changes the transcript: the batch-inverse check fails before any pairing
    expect(rejected.tx).toBeLessThan(gas.tx / 2);
  });

  it("a lying challenger disputes the honest segment: the FFLONK proof settles it and the claimer is paid", async () => {
    const r = fx.roots;
    const { game, asClaimer, asChallenger, programHash } = await newGame();
    await (await asClaimer.getFunction("claim")(programHash, "0x", ZERO, r[0], r[N], N, { value: CLAIM_BOND })).wait();
    await (await asChallenger.getFunction("challenge")(1, { value: CHALLENGE_BOND })).wait();
    await (await asClaimer.getFunction("postCheckpoints")(1, r[0], r[N], [r[2]])).wait();
    await (await asChallenger.getFunction("chooseSegment")(1, [r[0], r[N], r[2], 1, r[2], ZERO, [], []])).wait();
    // another interval's proof reverts (ArbitrationRejected)
    await expect(asClaimer.getFunction("proveLeaf").staticCall(1, r[2], r[4], proofs[0])).rejects.toThrow();
    await (await asClaimer.getFunction("proveLeaf")(1, r[2], r[4], proofs[1])).wait();
    expect((await game.getFunction("games")(1)).status).toBe(3n); // ClaimerWon
    const burn = (CHALLENGE_BOND * BURN_BPS) / 10_000n;
    expect(await game.getFunction("credit")(await claimer.getAddress())).toBe(CHALLENGE_BOND - burn);
    expect(await game.getFunction("credit")(await challenger.getAddress())).toBe(0n);
  });

  it("a lying claimer (false end root) has no FFLONK proof of its leaf: every proof is rejected, it loses on its clock", async () => {
    const r = fx.roots;
    const lie = toBytes32(0x1234n);
    const { game, asClaimer, asChallenger, programHash } = await newGame();
    await (await asClaimer.getFunction("claim")(programHash, "0x", ZERO, r[0], lie, N, { value: CLAIM_BOND })).wait();
    await (await asChallenger.getFunction("challenge")(1, { value: CHALLENGE_BOND })).wait();
    await (await asClaimer.getFunction("postCheckpoints")(1, r[0], lie, [r[2]])).wait();
    // the challenger agrees with [0, 2] and disputes [2, 4], whose claimed end root is the lie
    await (await asChallenger.getFunction("chooseSegment")(1, [r[0], lie, r[2], 1, r[2], ZERO, [], []])).wait();
    for (const p of [...proofs, "0x" + "00".repeat(32 + 768)])
      await expect(asClaimer.getFunction("proveLeaf").staticCall(1, r[2], lie, p)).rejects.toThrow();
    // the claimer's clock runs out: the challenger wins the claim bond
    await chain.provider.send("evm_increaseTime", [86_401]);
    await (await asChallenger.getFunction("timeout")(1)).wait();
    expect((await game.getFunction("games")(1)).status).toBe(4n); // ChallengerWon
    const burn = (CLAIM_BOND * BURN_BPS) / 10_000n;
    expect(await game.getFunction("credit")(await challenger.getAddress())).toBe(CHALLENGE_BOND + CLAIM_BOND - burn);
  });

  it("zkfp verify: an FFLONK proof file against the pinned committed vkey and against the deployed arbitrator", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zkfp-verify-fflonk-"));
    try {
      const good = join(dir, "p.json"),
        bad = join(dir, "bad.json"),
        short = join(dir, "short.json"),
        vk = join(dir, "vkey.json");
      const b = bundleOf(1);
      // the proof file's calldata is the encoding of its proof (what `zkfp verify` re-derives)
      expect(encodeCalldata("fflonk", b.proof, await solidityCallData("fflonk", b.proof, b.publicSignals))).toBe(
        b.calldata,
      );
      writeFileSync(good, JSON.stringify(b));
      const wrong = bundleOf(0); // [0, 2]'s proof with [2, 4]'s roots
      writeFileSync(bad, JSON.stringify({ ...b, proof: wrong.proof, calldata: wrong.calldata }));
      writeFileSync(short, JSON.stringify({ ...b, calldata: b.calldata.slice(0, -2) }));
      writeFileSync(vk, JSON.stringify(readCommittedSetup(NAME).vkey));
      const pinned = await cli(["verify", "--proof", good, "--vkey", vk]);
      expect(pinned.code).toBe(0);
      expect(pinned.out).toMatchObject({ verdict: "VALID", backend: "fflonk", proofValid: true, calldataValid: true });
      const onChain = await cli([
        "verify",
        "--proof",
        good,
        "--arbitrator",
        await arbitrator.getAddress(),
        "--rpc-url",
        chain.url,
      ]);
      expect(onChain.code).toBe(0);
      expect(onChain.out).toMatchObject({
        verdict: "VALID",
        arbitrator: { keyIndex: 0, keys: 1, circuitId: "counter", setupInsecure: true },
      });
      for (const args of [
        ["--vkey", vk],
        ["--arbitrator", await arbitrator.getAddress(), "--rpc-url", chain.url],
      ]) {
        const no = await cli(["verify", "--proof", bad, ...args]);
        expect(no.code).toBe(1);
        expect(no.out).toMatchObject({ verdict: "INVALID", proofValid: false });
      }
      const s = await cli(["verify", "--proof", short, "--vkey", vk]);
      expect(s.code).not.toBe(0);
      expect(s.out).toMatchObject({ error: { name: "ProofFileError", detail: { field: "calldata" } } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
