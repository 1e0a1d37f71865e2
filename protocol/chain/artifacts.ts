/**
 * Compiled contracts for the driver: runs `forge build` on the sources it deploys only
 * (contracts/src/game, alphabet, interfaces, rv32im) into .cache/protocol-out, so a broken file
 * elsewhere in the shared tree cannot stop the game, and loads ABI + bytecode from there; `link`
 * fills library placeholders (forge's linkReferences) with deployed addresses. forge's cache makes
 * repeated calls cheap (~1 s when nothing changed).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ZkfpError } from "../../vm/errors.ts";

export class ArtifactError extends ZkfpError {
  override readonly name = "ArtifactError";
}

export type Artifact = { abi: unknown[]; bytecode: string; linkReferences: Record<string, Record<string, { start: number; length: number }[]>> };

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const OUT = ".cache/protocol-out";
let built = false;

export function buildContracts(): void {
  if (built) return;
  try {
    execFileSync("npx", ["forge", "build", "contracts/src/game", "contracts/src/alphabet", "contracts/src/interfaces", "contracts/src/rv32im",
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
