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

  it("fails with ProviderUnavailableError for --vm rv32im without a guest, and rejects m outside 1..64 and a backend without zk leaves", async () => {
    await expect(run(["--vm", "rv32im", "--steps", "1000"])).rejects.toBeInstanceOf(ProviderUnavailableError);
    await expect(run(["--vm", "rv32im", "--elf", "vm/guests/bin/fib.elf", "--m", "65"])).rejects.toBeInstanceOf(
      DisputeConfigError,
    );
    await expect(run(["--vm", "alphabet", "--backend", "plonk"])).rejects.toBeInstanceOf(DisputeConfigError);
    await expect(run(["--vm", "alphabet", "--backend", "fflonk"])).rejects.toBeInstanceOf(DisputeConfigError);
    await expect(run(["--vm", "rv32im", "--backend", "stark"])).rejects.toMatchObject({ name: "UsageError" });
  });

  it("--vm rv32im with m = 1 plays a guest against the on-chain one-step verifier through the one engine", async () => {
    const r = await run(["--vm", "rv32im", "--elf", "vm/guests/bin/fib.elf", "--k", "15", "--liar", "claimer"]);
    expect(r.json.winner).toBe("challenger");
    expect(r.json.leaf).toBe("one-step");
    expect(r.json.roundsPerPhase).toEqual(r.json.expectedRounds);
  }, 120_000);

  it.skipIf(!process.env.ZKFP_HEAVY)(
    "--vm rv32im --m 2 settles the last leaf with a Groth16 proof of 2 steps (zk leaves)",
    async () => {
      for (const liar of ["claimer", "challenger"]) {
        const r = await run([
          "--vm",
          "rv32im",
          "--elf",
          "vm/guests/bin/fib.elf",
          "--k",
          "15",
          "--m",
          "2",
          "--liar",
          liar,
        ]);
        expect(r.json.leaf).toBe("groth16");
        expect(r.json.honestWon).toBe(true);
        if (liar === "challenger")
          expect(BigInt((r.json.byOp as Record<string, { gas: string }>).proveLeaf!.gas)).toBeGreaterThan(200_000n);
      }
    },
    1_800_000,
  );

  it("rejects malformed phase layouts naming the value", () => {
    expect(() => parsePhases("1024:3:1,abc", 3, 1n)).toThrow(DisputeConfigError);
    expect(parsePhases("2^30,77:7", 15, 1024n)).toEqual([
      { steps: 1n << 30n, k: 15, m: 1024n },
      { steps: 77n, k: 7, m: 1024n },
    ]);
  });
});
