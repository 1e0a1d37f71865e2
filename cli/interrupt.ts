/**
 * Ctrl-C (SIGINT) and SIGTERM for the CLI: leave nothing behind that blocks or slows the next run.
 * On the first signal, in this order:
 *   1. the cleanups registered with `onInterrupt` run (last registered first), e.g. an atomic
 *      writer's temp file (cli/output.ts);
 *   2. this process's own cache entries are removed: `*.tmp-<our pid>` temp dirs/files and
 *      `*.lock.<our pid>`, and `*.lock` files holding our pid (cli/cache.ts `ownEntries`);
 *   3. our descendant processes (anvil, forge, circom; found through /proc on Linux) get SIGTERM;
 *   4. the CLI reports an InterruptedError (one JSON object under --json) and exits 130.
 * A second signal while cleaning exits at once. Code between the signal and the handler (a
 * synchronous forge build, an Atomics.wait) finishes its own `finally` first: Node runs signal
 * handlers on the event loop.
 */
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { ZkfpError } from "../vm/errors.ts";
import { ownEntries } from "./cache.ts";

export class InterruptedError extends ZkfpError {
  override readonly name = "InterruptedError";
}

const cleanups: (() => void)[] = [];

/** Registers a cleanup for an interrupt; returns its remover (call it once the work is done). */
export function onInterrupt(fn: () => void): () => void {
  cleanups.push(fn);
  return () => {
    const i = cleanups.lastIndexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

/** pids of every descendant of `root` (Linux /proc; empty elsewhere). */
export function descendants(root = process.pid): number[] {
  const parent = new Map<number, number>();
  let names: string[];
  try {
    names = readdirSync("/proc");
  } catch {
    return [];
  }
  for (const n of names) {
    if (!/^\d+$/.test(n)) continue;
    try {
      const stat = readFileSync(`/proc/${n}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parent.set(Number(n), ppid);
    } catch {
      /* exited meanwhile */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [c, pp] of parent)
      if (pp === p && c !== root) {
        out.push(c);
        walk(c);
      }
  };
  walk(root);
  return out;
}

/** Runs steps 1-3 of the module header; returns what it removed and signalled. */
export function cleanUpNow(): { removed: string[]; killed: number[] } {
  while (cleanups.length) {
    try {
      cleanups.pop()!();
    } catch {
      /* keep cleaning */
    }
  }
  const removed: string[] = [];
  for (const p of ownEntries()) {
    try {
      rmSync(p, { recursive: true, force: true });
      removed.push(p);
    } catch {
      /* gone */
    }
  }
  const killed: number[] = [];
  for (const pid of descendants().reverse()) {
    try {
      process.kill(pid, "SIGTERM");
      killed.push(pid);
    } catch {
      /* gone */
    }
  }
  return { removed, killed };
}

let installed = false;

/** Installs the SIGINT/SIGTERM handlers; `report` prints the InterruptedError and returns the exit code. */
export function installInterruptHandler(report: (e: InterruptedError) => number): void {
  if (installed) return;
  installed = true;
  let cleaning = false;
  const handler = (sig: NodeJS.Signals) => {
    if (cleaning) process.exit(130);
    cleaning = true;
    const { removed, killed } = cleanUpNow();
    const code = report(new InterruptedError(`interrupted by ${sig}`, { signal: sig, removed, killedPids: killed }));
    process.exit(code);
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
}
