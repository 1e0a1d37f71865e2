/**
 * On-chain side of the zk arbitrator for TS callers (the anvil e2e test and zk.bench.ts): deploys a
 * generated verifier (compiled by contracts/build.ts's compileVerifier) and an arbitrator over it,
 * and measures `arbitrate` gas.
 *
 * Pitfall: a transaction's gas includes the 21,000 base and calldata costs; `gasOfArbitrate` returns
 * both the whole and the execution part (gas used - 21,000 - calldata gas).
 */
import { ContractFactory, Interface, getBytes, type Signer, type BaseContract } from "ethers";
import { artifact, link, type Artifact } from "../../contracts/build.ts";
import { ChainError } from "../../protocol/chain/backend.ts";

/** Re-export for callers written against the old zk/prover/chain.ts; the builder is contracts/build.ts. */
export { compileVerifier } from "../../contracts/build.ts";

export async function deploy(
  signer: Signer,
  art: Artifact,
  ...args: unknown[]
): Promise<BaseContract & Record<string, any>> {
  const f = new ContractFactory(art.abi, link(art, {}), signer);
  const c = await f.deploy(...args);
  await c.waitForDeployment();
  return c as BaseContract & Record<string, any>;
}

/** Deploys `verifier` and an arbitrator of `backend` with span m -> verifier. */
export async function deployArbitrator(signer: Signer, backend: "groth16" | "plonk", verifier: Artifact, m: number) {
  const v = await deploy(signer, verifier);
  const name = backend === "groth16" ? "Groth16Arbitrator" : "PlonkArbitrator";
  const arb = await deploy(signer, artifact(`${name}.sol`, name), [m], [await v.getAddress()]);
  return { verifier: v, arbitrator: arb };
}

function calldataGas(data: string): number {
  let g = 0;
  for (const b of getBytes(data)) g += b === 0 ? 4 : 16;
  return g;
}

/**
 * Gas of `arbitrate(pre, post, span, proof)`: the whole transaction and its execution part, from the
 * receipt of a real transaction with a generous gas limit. Not eth_estimateGas: arbitrate never
 * reverts, so the estimate's binary search settles on a limit at which the verifier runs out of gas
 * and returns false.
 */
export async function gasOfArbitrate(
  arbitrator: BaseContract,
  pre: string,
  post: string,
  span: number,
  proof: string,
): Promise<{ tx: number; execution: number; accepted: boolean }> {
  const iface = new Interface(["function arbitrate(bytes32,bytes32,uint256,bytes) returns (bool)"]);
  const data = iface.encodeFunctionData("arbitrate", [pre, post, span, proof]);
  const runner = arbitrator.runner as Signer;
  const to = await arbitrator.getAddress();
  const accepted = iface.decodeFunctionResult("arbitrate", await runner.call({ to, data }))[0] as boolean;
  const rc = await (await runner.sendTransaction({ to, data, gasLimit: 5_000_000 })).wait();
  if (!rc || rc.status !== 1) throw new ChainError("arbitrate transaction failed", { to });
  const tx = Number(rc.gasUsed);
  return { tx, execution: tx - 21_000 - calldataGas(data), accepted };
}
