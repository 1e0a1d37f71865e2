/**
 * Compiled contracts for the driver: runs `forge build` on this helper's sources only
 * (contracts/src/game, alphabet, interfaces) into .cache/protocol-out, so a broken file elsewhere
 * in the shared tree cannot stop the game, and loads ABI + bytecode from there. forge's cache makes
 * repeated calls cheap (~1 s when nothing changed).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ZkfpError } from "../../vm/errors.ts";

export class ArtifactError extends ZkfpError {
  override readonly name = "ArtifactError";
}

export type Artifact = { abi: unknown[]; bytecode: string };

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const OUT = ".cache/protocol-out";
let built = false;

export function buildContracts(): void {
  if (built) return;
  try {
    execFileSync("npx", ["forge", "build", "contracts/src/game", "contracts/src/alphabet", "contracts/src/interfaces",
      "--out", OUT, "--cache-path", ".cache/protocol-cache"], { cwd: ROOT, stdio: "pipe" });
  } catch (e) {
    const err = e as { stderr?: Buffer; stdout?: Buffer };
    throw new ArtifactError("forge build failed", { output: String(err.stdout ?? "") .slice(-2000) + String(err.stderr ?? "").slice(-2000) });
  }
  built = true;
}

export function artifact(file: string, name: string): Artifact {
  buildContracts();
  const j = JSON.parse(readFileSync(`${ROOT}${OUT}/${file}/${name}.json`, "utf8"));
  return { abi: j.abi, bytecode: j.bytecode.object };
}
