/**
 * Contracts of the demo: builds the sources the demo deploys (game, interfaces, rv32im one-step
 * verifier, zk arbitrators, the phase links and claim bindings in contracts/src/link) with forge into
 * .cache/demo-out, links poseidon-solidity's PoseidonT3/T5 libraries at their link references, and
 * compiles the snarkjs-generated verifier of the RV32IM m-step circuit (the setup writes it under
 * .cache/zk/<key>/verifier.sol) with solc-js, cached by the source's sha256 under .cache/demo-verifiers.
 *
 * Pitfall: the build is separate from protocol/chain/artifacts.ts (which builds only the game) so a
 * broken file elsewhere in the tree cannot stop the game driver; a broken rv32im/zk source stops the
 * demo with an ArtifactError naming forge's output.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { ContractFactory } from "ethers";
import { ZkfpError } from "../vm/errors.ts";
import { receiptOf } from "../protocol/chain/backend.ts";
import type { Chain } from "../protocol/chain/anvil.ts";

export class DemoBuildError extends ZkfpError {
  override readonly name = "DemoBuildError";
}

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const OUT = ".cache/demo-out";
const GAS_LIMIT = 30_000_000n;

type LinkRefs = Record<string, Record<string, { start: number; length: number }[]>>;
export type DemoArtifact = { abi: unknown[]; bytecode: string; linkReferences: LinkRefs };

const SOURCES = ["contracts/src/link", "contracts/src/alphabet", "contracts/src/game", "contracts/src/interfaces", "contracts/src/rv32im", "contracts/src/zk"];

/** Newest modification time of the demo's Solidity sources (forge itself takes seconds to find nothing to do). */
function newestSource(): number {
  let t = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(`${d}/${e.name}`);
      else if (e.name.endsWith(".sol")) t = Math.max(t, statSync(`${d}/${e.name}`).mtimeMs);
    }
  };
  for (const s of SOURCES) walk(`${ROOT}${s}`);
  return t;
}

let built = false;
export function buildDemoContracts(): void {
  if (built) return;
  const stamp = `${ROOT}${OUT}/.demo-stamp`;
  const newest = newestSource();
  const fresh = () => existsSync(stamp) && Number(readFileSync(stamp, "utf8")) === newest;
  if (fresh()) { built = true; return; }
  // test files run in parallel processes: one forge build at a time on the shared out/cache dirs
  const lock = `${ROOT}.cache/demo-build.lock`;
  mkdirSync(`${ROOT}.cache`, { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const st = statSync(lock, { throwIfNoEntry: false });
      if (st && Date.now() - st.mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    if (fresh()) { built = true; return; }
    forgeBuild();
    writeFileSync(stamp, String(newest));
    built = true;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function forgeBuild(): void {
  try {
    execFileSync("npx", ["forge", "build", "contracts/src/link", "contracts/src/alphabet", "contracts/src/game", "contracts/src/interfaces", "contracts/src/rv32im",
      "contracts/src/zk/Groth16Arbitrator.sol", "contracts/src/zk/PlonkArbitrator.sol", "--out", OUT, "--cache-path", ".cache/demo-cache"], { cwd: ROOT, stdio: "pipe" });
  } catch (e) {
    const err = e as { stderr?: Buffer; stdout?: Buffer };
    throw new DemoBuildError("forge build of the demo contracts failed", { output: String(err.stdout ?? "").slice(-2000) + String(err.stderr ?? "").slice(-2000) });
  }
}

export function demoArtifact(file: string, name: string): DemoArtifact {
  buildDemoContracts();
  const j = JSON.parse(readFileSync(`${ROOT}${OUT}/${file}/${name}.json`, "utf8"));
  return { abi: j.abi, bytecode: j.bytecode.object, linkReferences: j.bytecode.linkReferences ?? {} };
}

/** Deploys contracts from one account, linking libraries by name; sums the deployment gas. */
export class Deployer {
  gas = 0n;
  private libs = new Map<string, string>();
  constructor(readonly chain: Chain, readonly from: string) {}

  async deployBytecode(name: string, abi: unknown[], bytecode: string, args: unknown[]): Promise<string> {
    const f = new ContractFactory(abi as never, bytecode);
    const { data } = await f.getDeployTransaction(...args);
    const hash: string = await this.chain.provider.send("eth_sendTransaction", [{ from: this.from, data, gas: "0x" + GAS_LIMIT.toString(16) }]);
    const r = await receiptOf(this.chain, hash);
    if (r.status !== 1 || !r.contractAddress) throw new DemoBuildError("deployment reverted", { contract: name, hash });
    this.gas += r.gasUsed;
    return r.contractAddress;
  }

  async deploy(file: string, name: string, args: unknown[] = []): Promise<string> {
    const a = demoArtifact(file, name);
    let code = a.bytecode.startsWith("0x") ? a.bytecode.slice(2) : a.bytecode;
    for (const refs of Object.values(a.linkReferences)) {
      for (const [lib, places] of Object.entries(refs)) {
        const addr = await this.library(lib);
        for (const { start, length } of places) code = code.slice(0, 2 * start) + addr.slice(2).toLowerCase() + code.slice(2 * (start + length));
      }
    }
    return this.deployBytecode(name, a.abi, "0x" + code, args);
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

/** Compiles a generated snark verifier (one contract, no imports) with solc-js; cached by source hash. */
export function compileVerifier(source: string, contractName: string): { abi: unknown[]; bytecode: string } {
  const h = createHash("sha256").update(source).digest("hex").slice(0, 32);
  const dir = `${ROOT}.cache/demo-verifiers`;
  const file = `${dir}/${h}.json`;
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
  const solc = createRequire(import.meta.url)("solc") as { compile(input: string): string };
  const input = {
    language: "Solidity",
    sources: { "Verifier.sol": { content: source } },
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun", outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts?: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>;
  };
  const errs = (out.errors ?? []).filter((e) => e.severity === "error");
  const c = out.contracts?.["Verifier.sol"]?.[contractName];
  if (errs.length || !c) throw new DemoBuildError("solc failed on the generated verifier", { contract: contractName, errors: errs.map((e) => e.formattedMessage).join("\n").slice(0, 2000) });
  const res = { abi: c.abi, bytecode: "0x" + c.evm.bytecode.object };
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${file}.tmp-${process.pid}`, JSON.stringify(res));
  renameSync(`${file}.tmp-${process.pid}`, file);
  return res;
}
