/**
 * The k/m cost model against games actually played by the protocol's in-memory model
 * (protocol/game/model.ts through protocol/actors/play.ts, alphabet traces): rounds per phase,
 * moves per party and the winner must be what sims/km/model.ts and sims/km/game.ts predict.
 * Per-move gas on anvil enters the model through the game benchmark's results
 * (bench/results/*.json, names game.move_gas.k=K, read by sims/constants.ts).
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../lib/rng.ts";
import { rounds } from "./model.ts";
import { play } from "./game.ts";
import { DisputeModel, type ModelPhase } from "../../protocol/game/model.ts";
import { ModelBackend } from "../../protocol/game/backend.ts";
import { playClaim } from "../../protocol/actors/play.ts";
import { alphabetWorld, dishonest, honest } from "../../protocol/actors/actor.ts";
import { alphabetArbitrator, merklePhaseLink } from "../../protocol/trace/alphabet.ts";

const cfg = {
  claimBond: 10n ** 18n,
  challengeBond: 10n ** 17n,
  burnBps: 1000,
  clockBudget: 1_000_000,
  challengeWindow: 100_000,
  daWindow: 10_000,
};

describe("k/m model vs the protocol's in-memory game", () => {
  it("rounds per phase, moves and winners match the model on random one- and two-phase games", async () => {
    const rng = new Rng(20261125);
    for (let i = 0; i < 40; i++) {
      const k = [1, 2, 3, 7, 15, 63][Math.floor(rng.uniform() * 6)]!;
      const twoPhase = rng.bernoulli(0.5);
      const sizes = twoPhase
        ? [BigInt(2 + Math.floor(rng.uniform() * 500)), BigInt(2 + Math.floor(rng.uniform() * 5000))]
        : [BigInt(2 + Math.floor(2 ** (1 + rng.uniform() * 30)))];
      const m = [1, 2, 16, 100][Math.floor(rng.uniform() * 4)]!;
      const ms = twoPhase ? [1, m] : [m];
      const phases: ModelPhase[] = sizes.map((_, p) => ({
        k,
        m: BigInt(ms[p]!),
        ...(p === sizes.length - 1 ? { arbitrator: alphabetArbitrator } : { link: merklePhaseLink(1) }),
      }));
      const world = alphabetWorld(sizes);
      const total = sizes.reduce((a, b) => a * b, 1n);
      const lieAt = 1n + BigInt(Math.floor(rng.uniform() * Number(total - 1n)));
      const claimerLies = rng.bernoulli(0.5);
      const claimer = claimerLies ? dishonest(world, lieAt) : honest(world);
      const challenger = claimerLies ? honest(world) : dishonest(world, lieAt);
      const b = new ModelBackend(new DisputeModel(cfg, phases));
      const res = await playClaim(
        b,
        { address: "0x" + "11".repeat(20), actor: claimer },
        [{ address: "0x" + "22".repeat(20), actor: challenger }],
        { start: 1_700_000_000 },
      );
      const g = res.games[0]!;
      // Phase 1 is played over the sub-game of the one disputed outer step (m_0 = 1): sizes[1] inner steps.
      const expected = sizes.map((n, p) => rounds(Number(n), k, ms[p]!));
      const ctx = { i, k, sizes: sizes.map(String), ms, claimerLies, lieAt: String(lieAt) };
      expect({ ...ctx, rounds: g.roundsPerPhase }).toEqual({ ...ctx, rounds: expected });
      expect(g.winner).toBe(claimerLies ? "challenger" : "claimer");
      expect(g.byTimeout).toBe(claimerLies); // a lying claimer cannot prove its leaf and runs out of clock
      // 2 moves per round (checkpoints + selection), plus the claimer's openings and leaf proof when it is honest.
      const r = expected.reduce((a, c) => a + c, 0);
      expect(g.moves.challenger).toBe(r);
      if (!claimerLies) expect(g.moves.claimer).toBe(r + sizes.length);
      // sims/km/game.ts, the model's own replay, agrees on the rounds of the last phase.
      const mine = play({
        phases: [{ size: Number(sizes[sizes.length - 1]!), k, m: ms[ms.length - 1]! }],
        liar: claimerLies ? "claimer" : "challenger",
        lieFrom: [1],
        moveGas: () => 0,
        selectGas: () => 0,
        arbitrationGas: () => 0,
        linkGas: 0,
      });
      expect(mine.rounds[0]).toBe(expected[expected.length - 1]);
    }
  });
});
