/**
 * Anvil e2e: a dispute game whose leaf is settled by a zk proof made in this process (snarkjs
 * Groth16 on the dev circuit CounterChain(2), INSECURE dev setup, cached). The honest defender's
 * proof is accepted and the game pays out; a wrong post-root and another interval's proof are
 * rejected. Same scenario as contracts/test/zk/ZkArbitration.t.sol, from TS over JSON-RPC.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../cli/main.ts";
import type { ProofBundle } from "./prover/types.ts";
import { Contract, type JsonRpcSigner } from "ethers";
import { startAnvil, type Chain } from "../protocol/chain/anvil.ts";
import { terminateCurve } from "./snarkjs.ts";
import { counterCircuit, counterInput, counterRoots } from "./prover/circuits.ts";
import { SnarkProver, setupCircuit, toBytes32 } from "./prover/snark.ts";
import { artifact, compileVerifier } from "../contracts/build.ts";
import { deploy, deployArbitrator, gasOfArbitrate, keyedProof } from "./prover/chain.ts";

const M = 2,
  N = 4;
const CLAIM_BOND = 10n ** 18n,
  CHALLENGE_BOND = 10n ** 17n,
  BURN_BPS = 2500n;
let chain: Chain;
let claimer: JsonRpcSigner, challenger: JsonRpcSigner;
let roots: string[];
let proofs: string[]; // proofs[j]: [j*M, (j+1)*M]
let bundles: ProofBundle[];

beforeAll(async () => {
  chain = await startAnvil();
  claimer = await chain.provider.getSigner(0);
  challenger = await chain.provider.getSigner(1);
  roots = (await counterRoots(N)).map(toBytes32);
  const prover = new SnarkProver("groth16", async (m) => counterCircuit(m));
  bundles = [];
  for (let t = 0; t < N; t += M)
    bundles.push((await prover.prove({ m: M, circuitInput: await counterInput(t, M), fromStep: t })).bundle);
  proofs = bundles.map((b) => keyedProof(0, b.calldata)); // key 0: the arbitrator's one key for span M
});
afterAll(async () => {
  await chain?.stop();
  await terminateCurve();
});

describe("zk arbitration on anvil", () => {
  it("settles a game: honest proof accepted and paid, wrong post-root and other interval rejected", async () => {
    const art = await setupCircuit("groth16", counterCircuit(M));
    const { arbitrator } = await deployArbitrator(
      claimer,
      "groth16",
      compileVerifier(art.verifierSol, art.verifierName),
      M,
    );
    const gameArt = artifact("DisputeGame.sol", "DisputeGame");
    const cfg = [CLAIM_BOND, CHALLENGE_BOND, BURN_BPS, 86_400, 3_600, 1_800, 1, BURN_BPS]; // one slot: D = the whole stake; b_c = b
    // the leaf test needs no binding move: any claim binding fixes the program hash (SECURITY.md)
    const binding = await deploy(claimer, artifact("AlphabetClaimBinding.sol", "AlphabetClaimBinding"), []);
    const game = await deploy(
      claimer,
      gameArt,
      cfg,
      [[1, M, await arbitrator.getAddress(), "0x0000000000000000000000000000000000000000"]],
      await binding.getAddress(),
    );
    const asClaimer = game.connect(claimer) as Contract,
      asChallenger = game.connect(challenger) as Contract;
    const programHash = await binding.getFunction("programHash")();

    await (
      await asClaimer.getFunction("claim")(programHash, "0x", toBytes32(0n), roots[0], roots[N], N, {
        value: CLAIM_BOND,
      })
    ).wait();
    await (await asChallenger.getFunction("challenge")(1, { value: CHALLENGE_BOND })).wait();
    await (await asClaimer.getFunction("postCheckpoints")(1, roots[0], roots[N], [roots[2]])).wait();
    const ZERO = toBytes32(0n);
    // a dishonest challenger disputes the honest segment [2, 4]
    await (
      await asChallenger.getFunction("chooseSegment")(1, [roots[0], roots[N], roots[2], 1, roots[2], ZERO, [], []])
    ).wait();
    const g = await game.getFunction("games")(1);
    expect([g.lo, g.hi, g.level]).toEqual([2n, 4n, 0n]);

    // the arbitrator alone: honest accepted, wrong post-root / other interval rejected
    expect(await arbitrator.getFunction("arbitrate").staticCall(roots[2], roots[4], M, proofs[1])).toBe(true);
    expect(await arbitrator.getFunction("arbitrate").staticCall(roots[2], roots[3], M, proofs[1])).toBe(false);
    expect(await arbitrator.getFunction("arbitrate").staticCall(roots[2], roots[4], M, proofs[0])).toBe(false);
    // in the game: another interval's proof reverts with ArbitrationRejected
    await expect(asClaimer.getFunction("proveLeaf").staticCall(1, roots[2], roots[4], proofs[0])).rejects.toThrow();
    const gas = await gasOfArbitrate(arbitrator, roots[2]!, roots[4]!, M, proofs[1]!);
    expect(gas.accepted).toBe(true);
    expect(gas.execution).toBeGreaterThan(100_000); // pairing checks ran (a rejected proof costs far less)

    await (await asClaimer.getFunction("proveLeaf")(1, roots[2], roots[4], proofs[1])).wait();
    expect((await game.getFunction("games")(1)).status).toBe(3n); // ClaimerWon
    const burn = (CHALLENGE_BOND * BURN_BPS) / 10_000n;
    expect(await game.getFunction("credit")(await claimer.getAddress())).toBe(CHALLENGE_BOND - burn);
    const before = await chain.provider.getBalance(await challenger.getAddress());
    expect(await game.getFunction("credit")(await challenger.getAddress())).toBe(0n);
    const tx = await (await asClaimer.getFunction("withdraw")()).wait();
    expect(tx?.status).toBe(1);
    expect(await game.getFunction("credit")(await claimer.getAddress())).toBe(0n);
    expect(await chain.provider.getBalance(await challenger.getAddress())).toBe(before);
  });

  it("zkfp verify --arbitrator: the deployed verifier decides, and its setup transcript hash is read from chain", async () => {
    const art = await setupCircuit("groth16", counterCircuit(M));
    const { arbitrator } = await deployArbitrator(
      claimer,
      "groth16",
      compileVerifier(art.verifierSol, art.verifierName),
      M,
    );
    expect(await arbitrator.getFunction("setupTranscriptHash")(M, 0)).toBe(art.meta.transcriptHash);
    expect(await arbitrator.getFunction("setupInsecure")(M, 0)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), "zkfp-verify-chain-"));
    try {
      const good = join(dir, "p.json"),
        bad = join(dir, "bad.json");
      writeFileSync(good, JSON.stringify(bundles[1]));
      // another interval's proof with this leaf's roots: the embedded key would not save it either
      writeFileSync(bad, JSON.stringify({ ...bundles[1], calldata: bundles[0]!.calldata, proof: bundles[0]!.proof }));
      const run = async (f: string) => {
        let buf = "";
        const spy = vi.spyOn(process.stdout, "write").mockImplementation((x: string | Uint8Array) => {
          buf += String(x);
          return true;
        });
        try {
          const code = await main([
            "verify",
            "--proof",
            f,
            "--arbitrator",
            await arbitrator.getAddress(),
            "--rpc-url",
            chain.url,
            "--json",
          ]);
          return { code, out: JSON.parse(buf.trim()) };
        } finally {
          spy.mockRestore();
        }
      };
      const ok = await run(good);
      expect(ok.code).toBe(0);
      expect(ok.out).toMatchObject({
        verdict: "VALID",
        trusted: true,
        vkeySource: "arbitrator",
        insecureSetup: true,
        arbitrator: {
          setupTranscriptHash: art.meta.transcriptHash,
          setupInsecure: true,
          keyIndex: 0,
          keys: 1,
          circuitId: "counter",
        },
      });
      const no = await run(bad);
      expect(no.code).toBe(1);
      expect(no.out).toMatchObject({ verdict: "INVALID", proofValid: false });
      // not an address / not an arbitrator: usage errors naming --arbitrator
      for (const a of ["0x12", await claimer.getAddress()]) {
        let buf = "";
        const spy = vi.spyOn(process.stdout, "write").mockImplementation((x: string | Uint8Array) => {
          buf += String(x);
          return true;
        });
        try {
          expect(await main(["verify", "--proof", good, "--arbitrator", a, "--rpc-url", chain.url, "--json"])).toBe(64);
        } finally {
          spy.mockRestore();
        }
        expect(JSON.parse(buf.trim())).toMatchObject({
          error: { name: "UsageError", detail: { option: "arbitrator" } },
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
