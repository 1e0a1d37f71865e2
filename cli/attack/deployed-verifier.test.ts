/**
 * Attack: the deployer registers, in a genuine Groth16Arbitrator, a verifier whose labels are an
 * honest ceremony's (SETUP_TRANSCRIPT_HASH = the ceremony transcript's hash, the ceremony's
 * circuit) but whose KEY is his own (a delta he knows: he forges any proof). Everything a user
 * could check said "the ceremony's key": `zkfp verify --arbitrator` prints the transcript hash from
 * chain, `zkfp setup verify --transcript` says the transcript matches the ceremony zkey; nothing
 * compared the deployed verifier's key with the zkey's. Likewise an honest key deployed with a
 * SETUP_INSECURE label that is not the files' verdict.
 *
 * The attacker loses if `zkfp setup verify --zkey ... --arbitrator A --rpc-url U --span M` fails
 * (exit 1, naming the mismatch) for such a deployment and passes for the honest export.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileVerifier } from "../../contracts/build.ts";
import { startAnvil, type Chain } from "../../protocol/chain/anvil.ts";
import { deployArbitrator } from "../../zk/prover/chain.ts";
import { REPO_ROOT, counterCircuit } from "../../zk/prover/circuits.ts";
import { compileCircuit, renderVerifier, withCircuitConstants } from "../../zk/prover/snark.ts";
import { phase2Contribute, phase2Start } from "../../zk/setup/ceremony.ts";
import { keyWithKnownDelta } from "../../zk/setup/forge.ts";
import { terminateCurve } from "../../zk/snarkjs.ts";
import { runCli as cli } from "../testing.ts";

const dir = mkdtempSync(join(tmpdir(), "zkfp-attack-deployed-"));
const PTAU = join(REPO_ROOT, "zk", "setup", "data", "pot12_final.ptau");
const envBefore = process.env.ZKFP_CACHE_DIR;
const zkey = join(dir, "final.zkey");
const out = join(dir, "export");
let chain: Chain;
let r1cs: string;

beforeAll(async () => {
  process.env.ZKFP_CACHE_DIR = join(dir, "cache");
  r1cs = join(await compileCircuit(counterCircuit(1)), "circuit.r1cs");
  await phase2Start(r1cs, PTAU, `${zkey}.0`);
  await phase2Contribute(`${zkey}.0`, zkey, { name: "alice" });
  const e = await cli([
    "setup",
    "export",
    "--zkey",
    zkey,
    "--r1cs",
    r1cs,
    "--ptau",
    PTAU,
    "--out",
    out,
    "--name",
    "CeremonyVerifier",
    "--circuit",
    "counter",
    "--steps",
    "1",
  ]);
  expect(e.code).toBe(0);
  chain = await startAnvil();
}, 120_000);
afterAll(async () => {
  await chain?.stop();
  if (envBefore === undefined) delete process.env.ZKFP_CACHE_DIR;
  else process.env.ZKFP_CACHE_DIR = envBefore;
  rmSync(dir, { recursive: true, force: true });
  await terminateCurve();
});

/** `setup verify` of the ceremony files against verifier `sol` deployed behind a genuine arbitrator. */
async function checkDeployment(sol: string, name: string) {
  const signer = await chain.provider.getSigner(0);
  const { arbitrator } = await deployArbitrator(signer, "groth16", compileVerifier(sol, name), 1);
  return cli([
    "setup",
    "verify",
    "--zkey",
    zkey,
    "--r1cs",
    r1cs,
    "--ptau",
    PTAU,
    "--arbitrator",
    await arbitrator.getAddress(),
    "--rpc-url",
    chain.url,
    "--span",
    "1",
  ]);
}

describe("attack: a deployed verifier labelled with a ceremony it does not come from", () => {
  it("the honest export passes; the attacker's key under the ceremony's labels, or a false label, fail", async () => {
    const honestSol = readFileSync(join(out, "verifier.sol"), "utf8");
    const meta = JSON.parse(readFileSync(join(out, "meta.json"), "utf8"));
    const honest = await checkDeployment(honestSol, "CeremonyVerifier");
    expect(honest.code).toBe(0);
    expect(honest.out.deployed).toMatchObject({ problems: [], transcriptHash: meta.transcriptHash });

    // the attacker's key, every label the ceremony's
    const vkey = JSON.parse(readFileSync(join(out, "vkey.json"), "utf8"));
    const { vkey: evil } = await keyWithKnownDelta(vkey);
    const render = async (k: unknown, secure: boolean) =>
      withCircuitConstants(
        await renderVerifier("groth16", k, {
          name: "EvilVerifier",
          circuitLabel: "counter m=1",
          transcriptHash: meta.transcriptHash,
          security: { secure, reasons: secure ? [] : meta.security.reasons },
        }),
        "EvilVerifier",
        counterCircuit(1),
      );
    const swapped = await checkDeployment(await render(evil, meta.security.secure), "EvilVerifier");
    expect(swapped.code).toBe(1);
    expect(swapped.out.deployed.problems).toEqual(["its code is not the verifier of this zkey's key"]);

    // the ceremony's key, labelled secure though these files are INSECURE (pot12 is no known ceremony)
    expect(meta.insecure).toBe(true);
    const relabelled = await checkDeployment(await render(vkey, true), "EvilVerifier");
    expect(relabelled.code).toBe(1);
    expect(relabelled.out.deployed.problems).toEqual(["its SETUP_INSECURE is false, these files are INSECURE"]);
  }, 120_000);
});
