/**
 * Deploys contracts from one account over JSON-RPC (eth_sendTransaction, so any node with unlocked
 * accounts works), with artifacts from contracts/build.ts, deploying each library (PoseidonT3/T5 of
 * poseidon-solidity) once on first use and linking it by name; sums the deployment gas. Used by
 * `playDispute` (zk leaves: the snark verifier, its arbitrator, the binding and the game) and by
 * demo/.
 */
import { ContractFactory, type InterfaceAbi } from "ethers";
import { artifact, link } from "../../contracts/build.ts";
import { ChainError, receiptOf } from "./backend.ts";
import type { Chain } from "./anvil.ts";

const GAS_LIMIT = 30_000_000n;

export class Deployer {
  gas = 0n;
  private libs = new Map<string, string>();
  constructor(
    readonly chain: Chain,
    readonly from: string,
  ) {}

  async deployBytecode(name: string, abi: InterfaceAbi, bytecode: string, args: unknown[]): Promise<string> {
    const f = new ContractFactory(abi, bytecode);
    const { data } = await f.getDeployTransaction(...args);
    const hash: string = await this.chain.provider.send("eth_sendTransaction", [
      { from: this.from, data, gas: "0x" + GAS_LIMIT.toString(16) },
    ]);
    const r = await receiptOf(this.chain, hash);
    if (r.status !== 1 || !r.contractAddress) throw new ChainError("deployment reverted", { contract: name, hash });
    this.gas += r.gasUsed;
    return r.contractAddress;
  }

  async deploy(file: string, name: string, args: unknown[] = []): Promise<string> {
    const a = artifact(file, name);
    const libs: Record<string, string> = {};
    for (const refs of Object.values(a.linkReferences))
      for (const lib of Object.keys(refs)) libs[lib] = await this.library(lib);
    return this.deployBytecode(name, a.abi, link(a, libs), args);
  }

  private async library(name: string): Promise<string> {
    let a = this.libs.get(name);
    if (!a) {
      a = await this.deploy(`${name}.sol`, name);
      this.libs.set(name, a);
    }
    return a;
  }
}
