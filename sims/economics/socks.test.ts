/**
 * The sock-puppet closed forms (sims/economics/socks.ts) against the in-memory twin of DisputeGame
 * (protocol/game/model.ts), and the rule's bounds at the payout module's defaults.
 */
import { describe, expect, it } from "vitest";
import { PAYOUT, challengerWinPayout, liarWorstCase, type PayoutParams } from "../../protocol/economics/payout.ts";
import { Rng } from "../../lib/rng.ts";
import { liarBestCase, liarFlows, lossFraction, predicted, replay, sampleScenario } from "./socks.ts";

describe("sock puppets under the funded-slot rule", () => {
  it("the closed forms equal the model's credits and burn on sampled scenarios (exact, in wei)", () => {
    const kinds = new Set<string>();
    for (let i = 0; i < 36; i++) {
      const r = sampleScenario(PAYOUT, 7, i);
      kinds.add(r.kind);
      expect([r.liarOrClaimer, r.honestOrGriefers, r.burned], `scenario ${i} (${r.kind})`).toEqual(predicted(r));
      expect(r.rejected).toBe(r.kind !== "honest-claimer");
    }
    expect([...kinds].sort()).toEqual(["honest-claimer", "liar", "liar-da"]);
  });

  it("a closed form with a different rule disagrees with the model (the check can fail)", () => {
    // The old rule's arithmetic (the whole stake in one slot) against games played under four slots.
    const r = replay(
      "liar",
      PAYOUT,
      { socksWin: 2, socksThrown: 1, honest: true, da: null, answered: true },
      Rng.forTask(1, 0),
    );
    const wrong = predicted({ ...r, p: { ...PAYOUT, slots: 1 } as PayoutParams });
    expect(wrong).not.toEqual([r.liarOrClaimer, r.honestOrGriefers, r.burned]);
    expect(predicted(r)).toEqual([r.liarOrClaimer, r.honestOrGriefers, r.burned]);
  });

  it("at the defaults the liar loses at least half for any number of socks, and the worst case is every slot a winning sock", () => {
    for (let n = 0; n <= 40; n++) expect(liarBestCase(PAYOUT, n).loss).toBeGreaterThanOrEqual(0.5);
    // every slot a winning sock plus one sock's input request that the liar answers (refunded)
    const worst = liarFlows(PAYOUT, {
      socksWin: PAYOUT.slots,
      socksThrown: 0,
      honest: false,
      da: null,
      answered: true,
    });
    expect(worst.liarRecovered).toBe(BigInt(PAYOUT.slots) * challengerWinPayout(PAYOUT) + PAYOUT.challengeBond);
    expect([worst.liarDeposited, worst.liarRecovered]).toEqual(liarWorstCase(PAYOUT));
    expect(liarBestCase(PAYOUT, PAYOUT.slots)).toEqual({ w: PAYOUT.slots, loss: lossFraction(worst), answered: true });
  });
});
