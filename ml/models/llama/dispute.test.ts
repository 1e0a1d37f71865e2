/**
 * Disputes over LLaMA shapes end to end on anvil (demo/run.ts: the tiled graph as phase 1, one node
 * program as phase 2, the one-step verifier as the leaf arbitrator). Heavy only (ZKFP_HEAVY=1): the
 * first run hashes every weight tile for the model commitment (stories15M: 98 MiB, minutes on a
 * loaded 2-core machine; later runs read .cache/ml/models), stories110M and TinyLlama-1.1B take
 * proportionally longer (ZKFP_LLAMA_LARGE=1 adds them).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAnvil, type Chain } from "../../../protocol/chain/anvil.ts";
import { rounds } from "../../../protocol/game/spacing.ts";
import { runDemo } from "../../../demo/run.ts";
import type { ShapeName } from "./synthetic.ts";

const HEAVY = !!process.env.ZKFP_HEAVY;
const shapes: ShapeName[] = [
  "stories15M",
  ...(process.env.ZKFP_LLAMA_LARGE ? (["stories110M", "TinyLlama-1.1B"] as const) : []),
];

describe.skipIf(!HEAVY)("LLaMA-shape disputes on anvil", () => {
  let chain: Chain;
  beforeAll(async () => {
    chain = await startAnvil();
  });
  afterAll(async () => {
    await chain?.stop();
  });

  for (const shape of shapes) {
    it(
      `${shape}: a claimer posting a wrong next token loses; rounds match ceil(log4(N))`,
      async () => {
        const r = await runDemo({ model: shape, liar: "claimer", k: 3, m: 1, phases: 2, backend: "groth16", chain });
        expect(r.honestWon).toBe(true);
        expect(r.winner).toBe("challenger");
        expect(r.claimed).not.toBe(r.truth);
        expect(r.payout.claimStatus).toBe("Rejected");
        for (const p of r.phases) expect(p.rounds).toBe(rounds(BigInt(p.steps), 3, 1n));
        expect(r.proof?.valid).toBe(false);
      },
      4 * 3_600_000,
    );
  }

  it("stories15M: a challenger lying inside the network (a matmul tile) loses to the step witness", async () => {
    const r = await runDemo({
      model: "stories15M",
      liar: "challenger",
      k: 3,
      m: 1,
      phases: 2,
      backend: "groth16",
      chain,
      lieAt: 1270,
    });
    expect(r.honestWon).toBe(true);
    expect(r.winner).toBe("claimer");
    expect(r.disputedNode).toMatchObject({ t: 1270, op: 1 }); // p0.l0.k0, a MATMUL_F32 tile
    expect(r.proof?.valid).toBe(true);
  }, 3_600_000);
});
