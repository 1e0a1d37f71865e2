/**
 * Red-team attack (attack6) on the honest actor's decisions in the one engine (`playClaim`), now a
 * test the liar LOSES.
 *
 * Attack: the liar posts a false claim and, before the honest challenger, fills every slot with sock
 * challengers that then never move (thrown games). The honest challenger's `challenge` reverted
 * `NoFreeSlot` and the engine gave up on it for good; the socks' clocks ran out one by one, each
 * thrown game freed its slot and reopened the window, nobody challenged, and the false claim was
 * finalized Accepted, the liar losing only b_c B per sock (4 x 0.5 ETH of its 14 ETH). The contract
 * keeps the claim open for exactly this (every freed slot reopens the window); the honest actor did
 * not use it. Fix: a challenger refused for want of a slot waits and challenges again whenever a
 * game ends while the claim is pending (playClaim's `waiting` list).
 */
import { describe, expect, it } from "vitest";
import { ClaimStatus, DisputeModel } from "../../game/model.ts";
import { ModelBackend } from "../../game/backend.ts";
import { alphabetArbitrator } from "../../trace/alphabet.ts";
import { payoutConfig, PAYOUT, challengerWinPayout } from "../../economics/payout.ts";
import { alphabetWorld, dishonest, honest, lazy } from "../actor.ts";
import { playClaim, type Party } from "../play.ts";

const addr = (i: number) => "0x" + i.toString(16).padStart(40, "0");

describe("attack6: a liar's socks hold every slot and throw their games", () => {
  it("the honest challenger waits for a freed slot, challenges and wins: the false claim is Rejected", async () => {
    const cfg = payoutConfig({ clockBudget: 3_600, challengeWindow: 86_400, daWindow: 3_600 });
    const b = new ModelBackend(new DisputeModel(cfg, [{ k: 3, m: 1n, arbitrator: alphabetArbitrator }]));
    const world = alphabetWorld([64n]);
    const liar: Party = { address: addr(1), actor: dishonest(world, 10n) };
    // a sock challenges whatever it sees and never moves: the liar's claimer address wins its game
    const socks: Party[] = Array.from({ length: PAYOUT.slots }, (_, i) => ({
      address: addr(0x50 + i),
      actor: { ...lazy(honest(world), 0), name: `thrown sock ${i}`, challengeAlways: true },
    }));
    const h: Party = { address: addr(0x40), actor: honest(world) };
    const r = await playClaim(b, liar, [...socks, h], { start: 1_700_000_000 });
    expect(r.moves.some((m) => m.op === "challenge (rejected)" && m.rejected === "NoFreeSlot")).toBe(true);
    expect(r.claimStatus).toBe(ClaimStatus.Rejected);
    const mine = r.games.filter((g) => g.challenger === "honest");
    expect(mine.length).toBe(1);
    expect(mine[0]!.winner).toBe("challenger");
    expect(r.withdrawn.get(h.address)).toBe(challengerWinPayout(PAYOUT));
  });
});
