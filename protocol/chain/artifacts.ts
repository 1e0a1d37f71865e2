/**
 * Compiled contracts for the driver: runs `forge build` on the sources it deploys only
 * (contracts/src/game, alphabet, interfaces, link, rv32im) into .cache/protocol-out, so a broken file
 * elsewhere in the shared tree cannot stop the game, and loads ABI + bytecode from there; `link`
 * fills library placeholders (forge's linkReferences) with deployed addresses. forge's cache makes
 * repeated calls cheap (~1 s when nothing changed).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ZkfpError } from "../../vm/errors.ts";

export class ArtifactError extends ZkfpError {
  override readonly name = "ArtifactError";
}

export type Artifact = { abi: unknown[]; bytecode: string; linkReferences: Record<string, Record<string, { start: number; length: number }[]>> };

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const OUT = ".cache/protocol-out";
const BASE = ["contracts/src/game", "contracts/src/alphabet", "contracts/src/interfaces", "contracts/src/link"];
const RV32IM = new Set(["RV32IMStepVerifier.sol", "RV32IMOneStepArbitrator.sol"]);
const built = new Set<string>();

/** Builds the game's sources, plus contracts/src/rv32im when `withRv32im` (only RV32IM games need it). */
export function buildContracts(withRv32im = false): void {
  const key = withRv32im ? "rv32im" : "base";
  if (built.has(key)) return;
  const paths = withRv32im ? [...BASE, "contracts/src/rv32im"] : BASE;
  // Test files run in parallel processes: one forge build at a time on the shared out/cache dirs.
  const lock = `${ROOT}.cache/protocol-build.lock`;
  mkdirSync(`${ROOT}.cache`, { recursive: true });
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (i > 1500) throw new ArtifactError("timed out waiting for another forge build", { lock });
      try {
        if (Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true }); // stale
      } catch {
        /* released meanwhile */
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    execFileSync("npx", ["forge", "build", ...paths, "--out", OUT, "--cache-path", ".cache/protocol-cache"], { cwd: ROOT, stdio: "pipe" });
  } catch (e) {
    const err = e as { stderr?: Buffer; stdout?: Buffer };
    throw new ArtifactError("forge build failed", { output: String(err.stdout ?? "").slice(-2000) + String(err.stderr ?? "").slice(-2000) });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  built.add(key);
  if (withRv32im) built.add("base");
}

export function artifact(file: string, name: string): Artifact {
  buildContracts(RV32IM.has(file));
  const j = JSON.parse(readFileSync(`${ROOT}${OUT}/${file}/${name}.json`, "utf8"));
  return { abi: j.abi, bytecode: j.bytecode.object, linkReferences: j.bytecode.linkReferences ?? {} };
}

/** Bytecode with every library placeholder replaced by its address (by library name). */
export function link(a: Artifact, libs: Record<string, string>): string {
  let code = a.bytecode.startsWith("0x") ? a.bytecode.slice(2) : a.bytecode;
  for (const refs of Object.values(a.linkReferences)) {
    for (const [name, places] of Object.entries(refs)) {
      const addr = libs[name];
      if (!addr) throw new ArtifactError("library address missing for linking", { library: name });
      for (const p of places) code = code.slice(0, p.start * 2) + addr.slice(2).toLowerCase() + code.slice((p.start + p.length) * 2);
    }
  }
  return "0x" + code;
}
