/**
 * Checks cli/main.ts runs on option values BEFORE a command starts, so a long run never ends in a
 * failure the command line already showed (e.g. `sim km --out /dev/null/x` used to run the whole
 * sweep first). An option gets a check from its spec (`OptionSpec.check`) or, when it declares none,
 * from its name: `--out` is an output path, `--rpc-url` a JSON-RPC endpoint. So every command,
 * present or future, inherits them without edits.
 *
 *  - out-path: the path, if it exists, is writable; otherwise its nearest existing ancestor is a
 *    writable directory (the command may create the missing directories). OutPathError, exit 64.
 *  - in-file: the file exists, is not a directory and is readable. UsageError, exit 64.
 *  - rpc-url: an http(s) URL (RpcUrlError) that answers `eth_chainId` within 5 s over node:http
 *    (RpcUnreachableError, naming the cause, e.g. ECONNREFUSED). Probing with fetch means ethers
 *    never gets to print "JsonRpcProvider failed to detect network" and retry forever.
 */
import { accessSync, constants, statSync, type Stats } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { dirname, resolve } from "node:path";
import { ZkfpError } from "../vm/errors.ts";
import { UsageError, type OptionCheck, type OptionSpec } from "./args.ts";

export class OutPathError extends ZkfpError {
  override readonly name = "OutPathError";
}
export class RpcUrlError extends ZkfpError {
  override readonly name = "RpcUrlError";
}
export class RpcUnreachableError extends ZkfpError {
  override readonly name = "RpcUnreachableError";
}

const BY_NAME: Record<string, OptionCheck> = { out: "out-path", "rpc-url": "rpc-url" };

export function checkOf(name: string, spec: OptionSpec): OptionCheck | undefined {
  return spec.check ?? (spec.type === "string" ? BY_NAME[name] : undefined);
}

/** stat, or null when nothing is there (ENOENT, or ENOTDIR: a path component is a file). */
function statOrNull(p: string): Stats | null {
  try {
    return statSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw e;
  }
}

/** Throws OutPathError unless `path` can be written (see the module header). */
export function checkOutPath(path: string, option = "out"): void {
  if (path === "") throw new OutPathError(`--${option} is empty`, { option, path });
  const abs = resolve(path);
  const st = statOrNull(abs);
  if (st) {
    try {
      accessSync(abs, constants.W_OK);
    } catch {
      throw new OutPathError(`--${option} is not writable`, { option, path });
    }
    return;
  }
  let dir = dirname(abs);
  for (;;) {
    const d = statOrNull(dir);
    if (d) {
      if (!d.isDirectory())
        throw new OutPathError(`--${option}: ${dir} is not a directory`, { option, path, notADirectory: dir });
      try {
        accessSync(dir, constants.W_OK | constants.X_OK);
      } catch {
        throw new OutPathError(`--${option}: directory ${dir} is not writable`, { option, path, directory: dir });
      }
      return;
    }
    const up = dirname(dir);
    if (up === dir) throw new OutPathError(`--${option}: no existing parent directory`, { option, path });
    dir = up;
  }
}

export function checkInFile(path: string, option: string): void {
  const st = statOrNull(path);
  if (!st) throw new UsageError(`--${option}: no such file`, { option, path });
  if (st.isDirectory()) throw new UsageError(`--${option} is a directory`, { option, path });
  try {
    accessSync(path, constants.R_OK);
  } catch {
    throw new UsageError(`--${option} is not readable`, { option, path });
  }
}

/** Throws RpcUrlError for a non-http(s) URL, RpcUnreachableError when it does not answer eth_chainId. */
export async function checkRpcUrl(url: string, option = "rpc-url", timeoutMs = 5000): Promise<{ chainId: string }> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new RpcUrlError(`--${option} is not a URL`, { option, url });
  }
  if (u.protocol !== "http:" && u.protocol !== "https:")
    throw new RpcUrlError(`--${option} must be an http:// or https:// URL`, { option, url, protocol: u.protocol });
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] });
  // node:http, not fetch: fetch refuses some ports outright ("bad port"), JSON-RPC servers may use any
  const reply = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = (u.protocol === "https:" ? httpsRequest : httpRequest)(
      u,
      {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => {
          if (text.length < 1 << 16) text += d;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () =>
      req.destroy(Object.assign(new Error(`no answer in ${timeoutMs / 1000} s`), { code: "ETIMEDOUT" })),
    );
    req.on("error", reject);
    req.end(body);
  }).catch((e: NodeJS.ErrnoException) => {
    const reason = e.code ?? e.message;
    throw new RpcUnreachableError(`--${option} does not answer (${reason})`, { option, url, reason });
  });
  let result: unknown;
  try {
    result = (JSON.parse(reply.text) as { result?: unknown }).result;
  } catch {
    result = undefined;
  }
  if (reply.status !== 200 || typeof result !== "string")
    throw new RpcUnreachableError(`--${option} is not a JSON-RPC endpoint (eth_chainId failed)`, {
      option,
      url,
      status: reply.status,
    });
  return { chainId: result };
}

/** Runs the check of every option the user gave; returns when all pass. */
export async function runChecks(
  spec: Record<string, OptionSpec>,
  opts: Record<string, unknown>,
  given: ReadonlySet<string>,
): Promise<void> {
  for (const name of given) {
    const s = spec[name];
    const v = opts[name];
    if (!s || typeof v !== "string") continue;
    const c = checkOf(name, s);
    if (c === "out-path") checkOutPath(v, name);
    else if (c === "in-file") checkInFile(v, name);
    else if (c === "rpc-url") await checkRpcUrl(v, name);
  }
}
