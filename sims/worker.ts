/**
 * Worker side of sims/pool.ts: receives `{ id, fn, task }`, runs the named task function from the
 * registry (sims/tasks.ts) and posts `{ id, result }` or `{ id, error }`. Task functions are pure
 * functions of their task (which carries its own seed), so which thread ran a task never matters.
 */
import { parentPort } from "node:worker_threads";
import { taskRegistry } from "./tasks.ts";

parentPort!.on("message", (msg: { id: number; fn: string; task: unknown }) => {
  try {
    const f = taskRegistry[msg.fn];
    if (!f) throw new Error(`unknown sweep task ${msg.fn}`);
    parentPort!.postMessage({ id: msg.id, result: f(msg.task) });
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, error: { name: (e as Error).name, message: (e as Error).message } });
  }
});
