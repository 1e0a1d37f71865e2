/**
 * `zkfp infer` end to end through the CLI dispatcher: one JSON object with the prediction and the
 * graph root; the qemu cross-run agrees with the native graph; bad model names, images and prompts
 * are typed errors.
 */
import { describe, it, expect, vi } from "vitest";
import { main } from "../cli/main.ts";
import { inferMnist, inferStories, InferError } from "./infer.ts";
import { qemuAvailable } from "./guests/run.ts";

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  try {
    const code = await main(args);
    return { code, out };
  } finally {
    spy.mockRestore();
  }
}

describe("zkfp infer", () => {
  it("prints one JSON object with the MNIST prediction and a 32-byte graph root", async () => {
    const r = await cli(["infer", "mnist", "--image", "8001", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.prediction).toBe(j.label);
    expect(j.graphRoot).toMatch(/^0x[0-9a-f]{64}$/);
    expect(j.graphNodes).toBe(10);
  });

  it.skipIf(!qemuAvailable())("qemu cross-runs agree with the native graph (mnist, stories260K)", async () => {
    const m = await inferMnist(8002, "qemu");
    expect(m.vm?.matchesNative).toBe(true);
    const s = await inferStories([1, 400], 4, "qemu");
    expect(s.vm?.matchesNative).toBe(true);
    expect(s.tokens.slice(0, 2)).toEqual([1, 400]);
    expect(s.tokens).toHaveLength(5);
  });

  it("rejects unknown models, bad images and bad prompts", async () => {
    expect((await cli(["infer", "resnet", "--json"])).code).toBe(64);
    await expect(inferMnist(10000, "native")).rejects.toThrow(InferError);
    await expect(inferStories([1, 512], 4, "native")).rejects.toThrow(/vocab/);
    await expect(inferStories([1], 129, "native")).rejects.toThrow(/positions/);
  });
});
