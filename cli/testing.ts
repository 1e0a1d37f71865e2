/**
 * Test helper: runs the CLI in-process (`main([...args, "--json"])`) with stdout captured, and parses
 * the one JSON object `--json` prints (its last line). Vitest only: it spies on process.stdout.
 */
import { vi } from "vitest";
import { main } from "./main.ts";

export async function runCli(args: string[]): Promise<{ code: number; out: Record<string, any> }> {
  let buf = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
    buf += String(s);
    return true;
  });
  try {
    const code = await main([...args, "--json"]);
    return { code, out: JSON.parse(buf.trim().split("\n").pop()!) };
  } finally {
    spy.mockRestore();
  }
}
