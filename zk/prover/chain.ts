/**
 * On-chain side of the zk arbitrator for TS callers (the anvil e2e test and zk.bench.ts):
 * compiles the generated verifier of a setup with solc-js (same compiler and optimizer settings as
 * foundry.toml: 0.8.37, runs = 1e6, cancun), compiles the arbitrators and the game with forge into
 * .cache/zk-out (this helper's sources only, like protocol/chain/artifacts.ts), deploys them, and
 * measures `arbitrate` gas with eth_estimateGas.
 *
 * Pitfall: estimateGas includes the 21,000 base and calldata costs of a transaction; `gasOfArbitrate`
 * returns both that and the execution part (estimate - 21,000 - calldata gas).
 */
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { ContractFactory, Interface, getBytes, type Signer, type BaseContract } from "ethers";
import { ZkfpError } from "../../vm/errors.ts";
import { REPO_ROOT } from "./circuits.ts";

export class ChainError extends ZkfpError {
  override readonly name = "ChainError";
}

export type Artifact = { abi: unknown[]; bytecode: string };
const OUT = ".cache/zk-out";
let built = false;

export function buildZkContracts(): void {
  if (built) return;
  try {
    execFileSync("npx", ["forge", "build", "contracts/src/zk", "contracts/src/game", "contracts/src/interfaces", "contracts/src/alphabet",
      "--out", OUT, "--cache-path", ".cache/zk-forge-cache"], { cwd: REPO_ROOT, stdio: "pipe" });
  } catch (e) {
    const err = e as { stderr?: Buffer; stdout?: Buffer };
    throw new ChainError("forge build failed", { output: (String(err.stdout ?? "") + String(err.stderr ?? "")).slice(-3000) });
  }
  built = true;
}

export function forgeArtifact(file: string, name: string): Artifact {
  buildZkContracts();
  const j = JSON.parse(readFileSync(`${REPO_ROOT}/${OUT}/${file}/${name}.json`, "utf8"));
  return { abi: j.abi, bytecode: j.bytecode.object };
}

/** Compiles one generated verifier source (no imports) with solc-js. */
export function compileVerifier(source: string, name: string): Artifact {
  const solc = createRequire(import.meta.url)("solc") as { compile(input: string): string };
  const input = {
    language: "Solidity",
    sources: { "Verifier.sol": { content: source } },
    settings: { optimizer: { enabled: true, runs: 1_000_000 }, evmVersion: "cancun", outputSelection: { "*": { [name]: ["abi", "evm.bytecode.object"] } } },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input))) as { errors?: { severity: string; formattedMessage: string }[]; contracts?: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>> };
  const errs = (out.errors ?? []).filter((e) => e.severity === "error");
  const c = out.contracts?.["Verifier.sol"]?.[name];
  if (errs.length || !c) throw new ChainError("verifier compilation failed", { name, errors: errs.map((e) => e.formattedMessage).join("\n").slice(0, 2000) });
  return { abi: c.abi, bytecode: "0x" + c.evm.bytecode.object };
}

export async function deploy(signer: Signer, art: Artifact, ...args: unknown[]): Promise<BaseContract & Record<string, any>> {
  const f = new ContractFactory(art.abi as never, art.bytecode, signer);
  const c = await f.deploy(...args);
  await c.waitForDeployment();
  return c as BaseContract & Record<string, any>;
}

/** Deploys `verifier` and an arbitrator of `backend` with span m -> verifier. */
export async function deployArbitrator(signer: Signer, backend: "groth16" | "plonk", verifier: Artifact, m: number) {
  const v = await deploy(signer, verifier);
  const name = backend === "groth16" ? "Groth16Arbitrator" : "PlonkArbitrator";
  const arb = await deploy(signer, forgeArtifact(`${name}.sol`, name), [m], [await v.getAddress()]);
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
export async function gasOfArbitrate(arbitrator: BaseContract, pre: string, post: string, span: number, proof: string): Promise<{ tx: number; execution: number; accepted: boolean }> {
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
