/**
 * Builds and deploys the RV32IM one-step verifier (contracts/src/rv32im) with ethers v6: the two
 * Poseidon libraries of npm poseidon-solidity (PoseidonT3 = P2, PoseidonT5 = P4; their `public`
 * functions are called by DELEGATECALL, so the verifier's bytecode has link placeholders), the
 * linked RV32IMStepVerifier, and the RV32IMOneStepArbitrator adapter (IArbitrator, span 1).
 *
 * The build uses its own out/cache dirs under .cache/ (`forge build contracts/src/rv32im`), so a
 * broken or half-written file elsewhere in the shared tree, or a concurrent build into
 * contracts/out, cannot break it; forge's cache makes repeated builds cheap.
 * Pitfall: link references are byte offsets into the creation bytecode (hex offset = 2 * start).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Contract, ContractFactory, type Signer, type InterfaceAbi } from "ethers";
import { ZkfpError } from "../../../vm/errors.ts";

export class DeployError extends ZkfpError {
  override readonly name = "DeployError";
}

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const OUT = ".cache/rv32im-out";

type LinkRefs = Record<string, Record<string, { start: number; length: number }[]>>;
export type Artifact = { abi: InterfaceAbi; bytecode: string; linkReferences: LinkRefs };

let built = false;
export function buildRv32im(): void {
  if (built) return;
  try {
    execFileSync("npx", ["forge", "build", "contracts/src/rv32im", "--out", OUT, "--cache-path", ".cache/rv32im-cache"], { cwd: ROOT, stdio: "pipe" });
  } catch (e) {
    const err = e as { stderr?: Buffer; stdout?: Buffer };
    throw new DeployError("forge build of contracts/src/rv32im failed", { output: (String(err.stdout ?? "") + String(err.stderr ?? "")).slice(-2000) });
  }
  built = true;
}

export function artifact(file: string, name: string): Artifact {
  buildRv32im();
  const j = JSON.parse(readFileSync(`${ROOT}${OUT}/${file}/${name}.json`, "utf8"));
  return { abi: j.abi, bytecode: j.bytecode.object, linkReferences: j.bytecode.linkReferences ?? {} };
}

/** Replace every link placeholder of `a` with the deployed library address. */
export function link(a: Artifact, libs: Record<string, string>): string {
  let code = a.bytecode;
  for (const refs of Object.values(a.linkReferences)) {
    for (const [lib, places] of Object.entries(refs)) {
      const addr = libs[lib];
      if (!addr) throw new DeployError("no address for a linked library", { library: lib });
      for (const p of places) {
        const at = 2 + 2 * p.start;
        code = code.slice(0, at) + addr.toLowerCase().replace(/^0x/, "") + code.slice(at + 2 * p.length);
      }
    }
  }
  if (code.includes("__$")) throw new DeployError("unlinked placeholder left in bytecode", {});
  return code;
}

export type Rv32imDeployment = { verifier: Contract; arbitrator: Contract; libraries: Record<string, string> };

export async function deployRv32im(signer: Signer): Promise<Rv32imDeployment> {
  const libraries: Record<string, string> = {};
  for (const [file, name] of [["PoseidonT3.sol", "PoseidonT3"], ["PoseidonT5.sol", "PoseidonT5"]] as const) {
    const a = artifact(file, name);
    const c = await new ContractFactory(a.abi, a.bytecode, signer).deploy();
    await c.waitForDeployment();
    libraries[name] = await c.getAddress();
  }
  const v = artifact("RV32IMStepVerifier.sol", "RV32IMStepVerifier");
  const verifier = (await new ContractFactory(v.abi, link(v, libraries), signer).deploy()) as Contract;
  await verifier.waitForDeployment();
  const a = artifact("RV32IMOneStepArbitrator.sol", "RV32IMOneStepArbitrator");
  const arbitrator = (await new ContractFactory(a.abi, a.bytecode, signer).deploy(await verifier.getAddress())) as Contract;
  await arbitrator.waitForDeployment();
  return { verifier, arbitrator, libraries };
}
