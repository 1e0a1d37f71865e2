/**
 * Builds and deploys the RV32IM one-step verifier (contracts/src/rv32im) with ethers v6: the two
 * Poseidon libraries of npm poseidon-solidity (PoseidonT3 = P2, PoseidonT5 = P4; their `public`
 * functions are called by DELEGATECALL, so the verifier's bytecode has link placeholders), the
 * linked RV32IMStepVerifier, and the RV32IMOneStepArbitrator adapter (IArbitrator, span 1).
 * Artifacts and linking: contracts/build.ts.
 */
import { Contract, ContractFactory, type Signer } from "ethers";
import { artifact, link } from "../../build.ts";

export type Rv32imDeployment = { verifier: Contract; arbitrator: Contract; libraries: Record<string, string> };

export async function deployRv32im(signer: Signer): Promise<Rv32imDeployment> {
  const libraries: Record<string, string> = {};
  for (const [file, name] of [
    ["PoseidonT3.sol", "PoseidonT3"],
    ["PoseidonT5.sol", "PoseidonT5"],
  ] as const) {
    const a = artifact(file, name);
    const c = await new ContractFactory(a.abi, link(a, {}), signer).deploy();
    await c.waitForDeployment();
    libraries[name] = await c.getAddress();
  }
  const v = artifact("RV32IMStepVerifier.sol", "RV32IMStepVerifier");
  const verifier = (await new ContractFactory(v.abi, link(v, libraries), signer).deploy()) as Contract;
  await verifier.waitForDeployment();
  const a = artifact("RV32IMOneStepArbitrator.sol", "RV32IMOneStepArbitrator");
  const arbitrator = (await new ContractFactory(a.abi, link(a, {}), signer).deploy(
    await verifier.getAddress(),
  )) as Contract;
  await arbitrator.waitForDeployment();
  return { verifier, arbitrator, libraries };
}
