/**
 * Starts anvil on a free loopback port (or attaches to a given RPC URL) and returns an ethers v6
 * provider. Used by the chain tests, the benchmark and `zkfp dispute` when no --rpc-url is given.
 * Pitfalls: the port is chosen by binding port 0 first, so a race with another process is possible
 * but retried; the provider is built with `staticNetwork` and no cache (anvil's state changes under
 * our feet with evm_* calls); always call `stop()` (tests do it in afterAll).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { JsonRpcProvider } from "ethers";
import { ZkfpError } from "../../vm/errors.ts";

export class AnvilError extends ZkfpError {
  override readonly name = "AnvilError";
}

export type Chain = { url: string; provider: JsonRpcProvider; stop: () => Promise<void>; spawned: boolean };

const ANVIL = fileURLToPath(new URL("../../node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil", import.meta.url));

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => res(port));
    });
  });
}

export function connect(url: string): Chain {
  const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true, cacheTimeout: -1, batchMaxCount: 1 });
  return { url, provider, stop: async () => provider.destroy(), spawned: false };
}

export async function startAnvil(opts: { accounts?: number; timestamp?: number } = {}): Promise<Chain> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const args = [
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--accounts",
      String(opts.accounts ?? 10),
      "--balance",
      "1000000",
      "--gas-limit",
      "100000000",
      "--code-size-limit",
      "100000",
      "--timestamp",
      String(opts.timestamp ?? 1_700_000_000),
      "--silent",
      // no historical states on disk: anvil otherwise spills them to ~/.foundry/anvil/tmp once a game
      // has produced enough blocks and leaves them behind when killed (47 GB after a day of test runs
      // on one machine); nothing here reads state at a past block (events and receipts are kept)
      "--prune-history",
    ];
    const child: ChildProcess = spawn(ANVIL, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (d) => (stderr += String(d)));
    const url = `http://127.0.0.1:${port}`;
    const up = await waitUp(url, child);
    if (!up) {
      child.kill("SIGKILL");
      if (attempt === 2) throw new AnvilError("anvil did not start", { port, stderr: stderr.slice(0, 500) });
      continue;
    }
    const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true, cacheTimeout: -1, batchMaxCount: 1 });
    const stop = async () => {
      provider.destroy();
      if (child.exitCode === null) {
        const gone = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await gone;
      }
    };
    return { url, provider, stop, spawned: true };
  }
  throw new AnvilError("anvil did not start", {});
}

async function waitUp(url: string, child: ChildProcess): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) return false;
    try {
      const r = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (r.ok) return true;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
