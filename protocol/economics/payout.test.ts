/**
 * The payout rule's constants satisfy its two inequalities (SECURITY.md "Payout rule"), and the
 * check fails for parameters that break either one.
 */
import { describe, expect, it } from "vitest";
import { HONEST_GAS_BUDGET, HONEST_GAS_PRICE, PAYOUT, PayoutRuleError, challengerWinPayout, checkPayoutRule, liarWorstCase, slotCollateral } from "./payout.ts";

describe("payout rule (funded slots)", () => {
  it("the defaults: the liar's worst case loses >= 1/2 and an honest winner's gas is covered at 50 gwei", () => {
    expect(() => checkPayoutRule(PAYOUT)).not.toThrow();
    const [deposited, recovered] = liarWorstCase(PAYOUT);
    expect(2n * recovered).toBeLessThanOrEqual(deposited);
    expect(challengerWinPayout(PAYOUT) - PAYOUT.challengeBond).toBeGreaterThanOrEqual(HONEST_GAS_BUDGET * HONEST_GAS_PRICE);
    expect(slotCollateral(PAYOUT) * BigInt(PAYOUT.slots)).toBe(PAYOUT.claimBond);
  });

  it("rejects a burn below 1/2, too many slots for the stake, and a reward below the gas", () => {
    expect(() => checkPayoutRule({ ...PAYOUT, burnBps: 2500 })).toThrow(PayoutRuleError);
    expect(() => checkPayoutRule({ ...PAYOUT, slots: 40 })).toThrow(PayoutRuleError); // (2b - 1) S < slots B
    expect(() => checkPayoutRule({ ...PAYOUT, claimBond: PAYOUT.claimBond / 100n })).toThrow(PayoutRuleError);
    // the old rule (one stake, 25 % burn) fails the first inequality
    expect(() => checkPayoutRule({ claimBond: 10n ** 18n, challengeBond: 10n ** 17n, burnBps: 2500, slots: 1 })).toThrow(/burn share/);
  });
});
