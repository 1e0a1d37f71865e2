/**
 * On-chain side of the zk arbitrator for TS callers (the anvil e2e test, zk.bench.ts, `zkfp dispute`
 * and the demo): deploys generated verifiers (compiled by contracts/build.ts's compileVerifier) and an
 * arbitrator over a key set of them (`deployKeySet`: span m -> the verifiers in key-index order,
 * contracts/src/zk/SpanVerifiers.sol), encodes the calldata (`keyedProof`: key index ++ proof) and
 * measures `arbitrate` gas.
 *
 * Pitfall: a transaction's gas includes the 21,000 base and calldata costs; `gasOfArbitrate` returns
 * both the whole and the execution part (gas used - 21,000 - calldata gas).
 */
import { AbiCoder, ContractFactory, Interface, concat, getBytes, type Signer, type BaseContract } from "ethers";
import { checkKeySet } from "./leaf.ts";
import { artifact, link, type Artifact } from "../../contracts/build.ts";
import { ChainError } from "../../protocol/chain/backend.ts";
import type { SnarkBackend } from "./snark.ts";

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

/** The arbitrator contract of a snark backend (contracts/src/zk/<name>.sol). */
export function arbitratorName(backend: SnarkBackend): "Groth16Arbitrator" | "PlonkArbitrator" | "FflonkArbitrator" {
  return backend === "groth16" ? "Groth16Arbitrator" : backend === "plonk" ? "PlonkArbitrator" : "FflonkArbitrator";
}

/** Deploys `verifier` and an arbitrator of `backend` with span m -> [verifier] (key index 0). */
export async function deployArbitrator(signer: Signer, backend: SnarkBackend, verifier: Artifact, m: number) {
  const v = await deploy(signer, verifier);
  const name = arbitratorName(backend);
  const arb = await deploy(signer, artifact(`${name}.sol`, name), [m], [await v.getAddress()]);
  return { verifier: v, arbitrator: arb };
}

/** Arbitrator calldata: the key index (32 bytes) then the verifier's proof bytes (SpanVerifiers `_arbitrate`). */
export function keyedProof(index: number, proof: string): string {
  return concat([AbiCoder.defaultAbiCoder().encode(["uint256"], [index]), proof]);
}

/** What `deployKeySet` needs of a deployer (protocol/chain/deployer.ts `Deployer`). */
export type KeySetDeployer = {
  deployBytecode(name: string, abi: Artifact["abi"], bytecode: string, args: unknown[]): Promise<string>;
  deploy(file: string, name: string, args: unknown[]): Promise<string>;
};

/**
 * Deploys one verifier per key and the arbitrator with span m -> [verifiers...] in key order (the
 * order the leaf prover's key indices refer to). The key set is checked first (KeySetError without a
 * complete circuit); the constructor repeats the check on the verifiers' CIRCUIT_* constants.
 */
export async function deployKeySet(
  dep: KeySetDeployer,
  backend: SnarkBackend,
  m: number,
  keys: { circuit: string; verifier: Artifact }[],
): Promise<{ arbitrator: string; verifiers: string[] }> {
  checkKeySet(keys.map((k) => k.circuit));
  const verifiers: string[] = [];
  for (const k of keys)
    verifiers.push(await dep.deployBytecode(`verifier ${k.circuit}`, k.verifier.abi, k.verifier.bytecode, []));
  const name = arbitratorName(backend);
  const arbitrator = await dep.deploy(`${name}.sol`, name, [verifiers.map(() => m), verifiers]);
  return { arbitrator, verifiers };
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
