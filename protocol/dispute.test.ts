import { describe, it, expect } from "vitest";
import { dispute } from "../cli/commands/dispute.ts";
import { parseArgs } from "../cli/args.ts";
import { parsePhases, DisputeConfigError } from "./dispute.ts";
import { ProviderUnavailableError } from "./trace/types.ts";
import { startAnvil } from "./chain/anvil.ts";

const run = (argv: string[]) => dispute.run(parseArgs(argv, dispute.options), { json: true, progress: () => {} });

describe("zkfp dispute", () => {
  it("plays a two-phase game on a fresh anvil and reports the honest winner and exact rounds", async () => {
    const r = await run(["--phases", "2^10:3:1,2^20:63:16", "--liar", "claimer", "--lie-at", "12345678"]);
    expect(r.exitCode).toBe(0);
    expect(r.json.winner).toBe("challenger");
    expect(r.json.roundsPerPhase).toEqual([5, 3]);
    expect(r.json.expectedRounds).toEqual([5, 3]);
    expect(BigInt(String((r.json.gas as Record<string, string>).dispute))).toBeGreaterThan(100_000n);
  });

  it("plays on a given --rpc-url (an anvil started elsewhere) and leaves it running", async () => {
    const chain = await startAnvil();
    try {
      const r = await run(["--steps", "5000", "--k", "7", "--m", "4", "--liar", "challenger", "--rpc-url", chain.url]);
      expect(r.json.winner).toBe("claimer");
      expect(r.json.rpcUrl).toBe(chain.url);
      expect(await chain.provider.getBlockNumber()).toBeGreaterThan(5);
    } finally {
      await chain.stop();
    }
  });

  it("fails with ProviderUnavailableError for --vm rv32im without a guest, and rejects m > 1", async () => {
    await expect(run(["--vm", "rv32im", "--steps", "1000"])).rejects.toBeInstanceOf(ProviderUnavailableError);
    await expect(run(["--vm", "rv32im", "--elf", "vm/guests/bin/fib.elf", "--m", "16"])).rejects.toBeInstanceOf(DisputeConfigError);
  });

  it("rejects malformed phase layouts naming the value", () => {
    expect(() => parsePhases("1024:3:1,abc", 3, 1n)).toThrow(DisputeConfigError);
    expect(parsePhases("2^30,77:7", 15, 1024n)).toEqual([{ steps: 1n << 30n, k: 15, m: 1024n }, { steps: 77n, k: 7, m: 1024n }]);
  });
});
