/**
 * Sweeps over worker threads (node:worker_threads) with a progress bar on stderr.
 *
 * `runSweep(fn, tasks, { threads })` runs `taskRegistry[fn](task)` for every task and returns the
 * results in task order. Each task carries its own seed (derived with Rng.forTask), so the output is
 * identical for any thread count, including `threads: 1` which runs inline without workers.
 * Workers start through sims/worker-boot.mjs (registers tsx, see there why).
 * Pitfall: the machine is shared (2 cores); callers default to at most 2 threads.
 */
import { Worker } from "node:worker_threads";
import { taskRegistry } from "./tasks.ts";
import { ZkfpError } from "../vm/errors.ts";

export class SweepTaskError extends ZkfpError {
  override readonly name = "SweepTaskError";
}

export type ProgressFn = (done: number, total: number) => void;

export async function runSweep<R>(
  fn: string,
  tasks: unknown[],
  opts: { threads: number; onProgress?: ProgressFn },
): Promise<R[]> {
  const total = tasks.length;
  const out: R[] = new Array(total);
  const threads = Math.max(1, Math.min(opts.threads, total));
  if (threads === 1) {
    const f = taskRegistry[fn];
    if (!f) throw new SweepTaskError(`unknown sweep task ${fn}`, { fn });
    tasks.forEach((t, i) => {
      out[i] = f(t) as R;
      opts.onProgress?.(i + 1, total);
    });
    return out;
  }
  let next = 0,
    done = 0;
  const workers = Array.from({ length: threads }, () => new Worker(new URL("./worker-boot.mjs", import.meta.url)));
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const feed = () => {
              if (next >= total) {
                resolve();
                return;
              }
              const id = next++;
              w.postMessage({ id, fn, task: tasks[id] });
            };
            w.on("message", (m: { id: number; result?: R; error?: { name: string; message: string } }) => {
              if (m.error) {
                reject(
                  new SweepTaskError(`sweep task ${fn}[${m.id}] failed: ${m.error.message}`, {
                    fn,
                    index: m.id,
                    cause: m.error,
                  }),
                );
                return;
              }
              out[m.id] = m.result as R;
              done++;
              opts.onProgress?.(done, total);
              feed();
            });
            w.on("error", reject);
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}

/**
 * A text progress bar on stderr: redraws in place on a TTY, otherwise prints a line per 10 %.
 * Never writes to stdout (stdout carries the result, one JSON object under --json).
 */
export function progressBar(label: string, enabled: boolean, stream: NodeJS.WriteStream = process.stderr): ProgressFn {
  let lastDecile = -1;
  return (done, total) => {
    if (!enabled) return;
    const frac = total === 0 ? 1 : done / total;
    if (stream.isTTY) {
      const w = 30,
        fill = Math.round(frac * w);
      stream.write(
        `\r${label} [${"#".repeat(fill)}${".".repeat(w - fill)}] ${done}/${total}${done === total ? "\n" : ""}`,
      );
    } else {
      const dec = Math.floor(frac * 10);
      if (dec !== lastDecile) {
        lastDecile = dec;
        stream.write(`${label} ${done}/${total} (${Math.round(frac * 100)}%)\n`);
      }
    }
  };
}
