/**
 * Writing command outputs: atomically (a temp file `<path>.tmp-<pid>` in the same directory, then
 * rename(2), so a reader never sees half a file and a crash never leaves a truncated one), and
 * with interrupt cleanup (cli/interrupt.ts) so Ctrl-C leaves no temp files beside the outputs.
 * Validate the path first (cli/checks.ts `checkOutPath`, done by cli/main.ts for every `--out`).
 */
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { onInterrupt } from "./interrupt.ts";

/** Writes `data` to `path` via `<path>.tmp-<pid>` + rename; creates missing parent directories. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const off = onInterrupt(() => rmSync(tmp, { force: true }));
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    off();
  }
}

/** On interrupt, removes this process's `*.tmp-<pid>` files in `dir` (for writers that are not ours). */
export function cleanTempsOnInterrupt(dir: string): () => void {
  return onInterrupt(() => {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names)
      if (n.endsWith(`.tmp-${process.pid}`)) rmSync(join(dir, n), { recursive: true, force: true });
  });
}
