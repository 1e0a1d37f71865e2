/**
 * `zkfp cache ls|clean`: what each entry of zkfp's caches is (.cache/ and ZKFP_CACHE_DIR, layout in
 * cli/cache.ts), its size, and whether it is stale; `clean` removes exactly the entries `ls` marks
 * stale (temp dirs and locks of processes that are not running, compiled circuits no recipe refers
 * to, superseded setups), re-checking each owner pid just before removing. `--dry-run` shows what
 * `clean` would remove.
 */
import type { Command } from "../command.ts";
import { UsageError } from "../args.ts";
import { listCache, relToRepo, removeStale, type CacheEntry } from "../cache.ts";

const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;

function table(es: CacheEntry[]): string[] {
  return es.map(
    (e) =>
      `  ${e.stale ? "STALE" : "     "} ${mb(e.bytes).padStart(10)}  ${e.kind.padEnd(14)} ${relToRepo(e.path)}\n${" ".repeat(34)}${e.what}${e.reason ? `; ${e.reason}` : ""}`,
  );
}

const row = (e: CacheEntry) => ({ ...e, path: relToRepo(e.path) });

export const cache: Command = {
  name: "cache",
  summary: "list zkfp's caches (what, size, stale) or remove the stale entries",
  usage: "zkfp cache ls|clean [--dry-run] [--json]",
  positionals: [{ name: "action", desc: "ls | clean", required: true }],
  options: {
    "dry-run": { type: "boolean", desc: "clean: list what would be removed, remove nothing" },
  },
  async run({ positionals, opts }) {
    const action = positionals[0];
    if (action !== "ls" && action !== "clean")
      throw new UsageError("cache action must be ls or clean", { action, actions: ["ls", "clean"] });
    if (action === "ls" && opts["dry-run"]) throw new UsageError("--dry-run applies to clean", { option: "dry-run" });
    const entries = await listCache();
    const total = entries.reduce((a, e) => a + e.bytes, 0);
    const stale = entries.filter((e) => e.stale);
    const staleBytes = stale.reduce((a, e) => a + e.bytes, 0);
    if (action === "ls") {
      const text = [
        `zkfp cache: ${entries.length} entries, ${mb(total)}; ${stale.length} stale (${mb(staleBytes)})`,
        ...table(entries),
      ].join("\n");
      return { exitCode: 0, json: { entries: entries.map(row), bytes: total, stale: stale.length, staleBytes }, text };
    }
    const removed = opts["dry-run"] ? stale : removeStale(entries);
    const freed = removed.reduce((a, e) => a + e.bytes, 0);
    const verb = opts["dry-run"] ? "would remove" : "removed";
    const text = [`zkfp cache clean: ${verb} ${removed.length} stale entries, ${mb(freed)}`, ...table(removed)].join(
      "\n",
    );
    return { exitCode: 0, json: { dryRun: opts["dry-run"] === true, removed: removed.map(row), bytes: freed }, text };
  },
};
