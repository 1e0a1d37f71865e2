/**
 * Attack: `zkfp verify --arbitrator ADDRESS` pointed at a contract that is NOT a zkfp arbitrator.
 * The attacker hands the user a proof file under a key of his own (a delta he knows: a forged
 * proof of roots no execution reaches, zk/setup/forge.ts) and "the arbitrator's address", a
 * contract of his that answers `verifiers(m)` with one address, `arbitrate` with true and
 * `setupInsecure` with false. Before the fix verify believed the answers: VALID, exit 0, "verifier
 * says secure setup". The attacker loses if verify refuses an address whose code is not the
 * Groth16Arbitrator / PlonkArbitrator runtime code (of this checkout's contracts/src), while the
 * real arbitrator still decides: the honest proof VALID, the forged one INVALID.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileVerifier } from "../../contracts/build.ts";
import { startAnvil, type Chain } from "../../protocol/chain/anvil.ts";
import { deploy, deployArbitrator } from "../../zk/prover/chain.ts";
import { counterCircuit, counterInput } from "../../zk/prover/circuits.ts";
import { SnarkProver, encodeCalldata, toBytes32 } from "../../zk/prover/snark.ts";
import type { ProofBundle } from "../../zk/prover/types.ts";
import { forgeGroth16, keyWithKnownDelta } from "../../zk/setup/forge.ts";
import { snarkjs, terminateCurve } from "../../zk/snarkjs.ts";
import { runCli } from "../testing.ts";

const FAKE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;
contract FakeArbitrator {
    function verifiers(uint256) external view returns (address[] memory v) {
        v = new address[](1);
        v[0] = address(this);
    }
    function arbitrate(bytes32, bytes32, uint256, bytes calldata) external pure returns (bool) { return true; }
    function setupTranscriptHash(uint256, uint256) external pure returns (bytes32) { return bytes32(uint256(1)); }
    function setupInsecure(uint256, uint256) external pure returns (bool) { return false; }
    function circuitId(uint256, uint256) external pure returns (bytes32) { return "counter"; }
}
`;

const dir = mkdtempSync(join(tmpdir(), "zkfp-attack-verify-"));
const envBefore = process.env.ZKFP_CACHE_DIR;
let chain: Chain;
let honest: ProofBundle, forged: ProofBundle;

beforeAll(async () => {
  process.env.ZKFP_CACHE_DIR = join(dir, "cache");
  const prover = new SnarkProver("groth16", async (m) => counterCircuit(m));
  honest = (await prover.prove({ m: 1, circuitInput: await counterInput(0, 1) } as never)).bundle;
  // the attacker's key (a delta he knows) and a proof under it of roots no execution reaches
  const { vkey, d } = await keyWithKnownDelta(honest.vkey as Record<string, unknown>);
  const f = await forgeGroth16(vkey, d, 11n, 22n);
  const s = await snarkjs();
  const calldata = encodeCalldata("groth16", f.proof, await s.groth16.exportSolidityCallData(f.proof, f.publicSignals));
  forged = {
    ...honest,
    vkey,
    proof: f.proof,
    publicSignals: f.publicSignals,
    preRoot: toBytes32(11n),
    postRoot: toBytes32(22n),
    calldata,
    setup: { ...honest.setup, insecure: false },
  };
  chain = await startAnvil();
}, 120_000);
afterAll(async () => {
  await chain?.stop();
  if (envBefore === undefined) delete process.env.ZKFP_CACHE_DIR;
  else process.env.ZKFP_CACHE_DIR = envBefore;
  rmSync(dir, { recursive: true, force: true });
  await terminateCurve();
});

async function verify(b: ProofBundle, arbitrator: string): Promise<{ code: number; out: Record<string, any> }> {
  const f = join(dir, `proof-${Math.random().toString(16).slice(2)}.json`);
  writeFileSync(f, JSON.stringify(b));
  return runCli(["verify", "--proof", f, "--arbitrator", arbitrator, "--rpc-url", chain.url]);
}

describe("attack: zkfp verify --arbitrator at a contract that is not an arbitrator", () => {
  it("the forged proof passes its own key (so the attack is real)", async () => {
    const s = await snarkjs();
    expect(await s.groth16.verify(forged.vkey, forged.publicSignals, forged.proof)).toBe(true);
  });

  it("a fake arbitrator answering true is refused; the real one decides", async () => {
    const signer = await chain.provider.getSigner(0);
    const fake = await deploy(signer, compileVerifier(FAKE, "FakeArbitrator"));
    const r = await verify(forged, await fake.getAddress());
    expect(r.code).not.toBe(0);
    expect(r.out.verdict).not.toBe("VALID");
    expect(r).toMatchObject({ code: 64, out: { error: { name: "UsageError", detail: { option: "arbitrator" } } } });
    expect(JSON.stringify(r.out)).toMatch(/not zkfp's Groth16Arbitrator/);

    const art = await new SnarkProver("groth16", async (m) => counterCircuit(m)).setup(1);
    const { arbitrator } = await deployArbitrator(
      signer,
      "groth16",
      compileVerifier(art.verifierSol, art.verifierName),
      1,
    );
    const real = await arbitrator.getAddress();
    expect(await verify(honest, real)).toMatchObject({ code: 0, out: { verdict: "VALID" } });
    expect(await verify(forged, real)).toMatchObject({ code: 1, out: { verdict: "INVALID" } });
  }, 120_000);
});
