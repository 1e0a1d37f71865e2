/**
 * Disputes over LLaMA shapes end to end on anvil (demo/run.ts: the tiled graph as phase 1, one node
 * program as phase 2, the one-step verifier as the leaf arbitrator).
 *
 * Default suite: the stories15M shape (the full graph: 857 weight tiles, 1,972 ops) from a
 * llama2.c checkpoint whose matrix rows all repeat one row (synthetic.ts repeatRows), passed as
 * ZKFP_CHECKPOINT like a real checkpoint. Equal-size tiles are then byte-identical and the model commitment hashes each
 * distinct tile once (ml/graph/model.ts), so the dispute costs seconds; the game, the graph and the
 * disputed node's VM run are those of any stories15M checkpoint (the dispute's cost does not depend
 * on the weight values).
 * Heavy only (ZKFP_HEAVY=1): seeded synthetic weights, whose first run hashes every weight tile
 * (stories15M: 94 MiB, a minute or more on a loaded 2-core machine; later runs read
 * .cache/ml/models), stories110M and TinyLlama-1.1B take proportionally longer (ZKFP_LLAMA_LARGE=1
 * adds them).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAnvil, type Chain } from "../../../protocol/chain/anvil.ts";
import { rounds } from "../../../protocol/game/spacing.ts";
import { runDemo } from "../../../demo/run.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ShapeName, repeatRows, shapeConfig, syntheticModel } from "./synthetic.ts";
import { writeCheckpoint } from "./checkpoint.ts";

const HEAVY = !!process.env.ZKFP_HEAVY;
const shapes: ShapeName[] = [
  "stories15M",
  ...(process.env.ZKFP_LLAMA_LARGE ? (["stories110M", "TinyLlama-1.1B"] as const) : []),
];

describe("stories15M-shape dispute on anvil (default suite)", () => {
  it("a claimer posting a wrong next token loses; one distinct tile per tile size is hashed", async () => {
    const m = repeatRows(syntheticModel(shapeConfig("stories15M"), 5));
    const dir = mkdtempSync(join(tmpdir(), "zkfp-llama15-"));
    const before = process.env.ZKFP_CHECKPOINT;
    try {
      process.env.ZKFP_CHECKPOINT = join(dir, "rows.bin");
      writeCheckpoint(m, process.env.ZKFP_CHECKPOINT);
      const lines: string[] = [];
      const r = await runDemo({
        model: "stories15M",
        liar: "claimer",
        k: 3,
        m: 1,
        phases: 2,
        backend: "groth16",
        progress: (l) => lines.push(l),
      });
      if (process.env.ZKFP_DEBUG_TIMINGS) console.log(r.timings, lines.join("\n"));
      expect(r.honestWon).toBe(true);
      expect(r.winner).toBe("challenger");
      expect(r.claimed).not.toBe(r.truth);
      expect(r.payout.claimStatus).toBe("Rejected");
      expect(r.phases.map((p) => p.steps)).toEqual(["1972", expect.any(String)]);
      for (const p of r.phases) expect(p.rounds).toBe(rounds(BigInt(p.steps), 3, 1n));
      expect(r.disputedNode?.t).toBe(1971); // the final ARGMAX
      // the commitment line: computed (or cached by an earlier run) over every tile, few hashed
      const c = lines.find((l) => l.includes("model commitment") && l.includes("P4 hashes"));
      expect(c).toMatch(/(computed in|cached)/);
      const [hashed, all] = c!
        .match(/\((\d+) of (\d+) P4 hashes/)!
        .slice(1)
        .map(Number) as [number, number];
      expect(all).toBe(8189604);
      expect(hashed).toBeLessThan(all / 20);
      if (c!.includes("computed in")) expect(hashed).toBeGreaterThan(0);
    } finally {
      if (before === undefined) delete process.env.ZKFP_CHECKPOINT;
      else process.env.ZKFP_CHECKPOINT = before;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

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
