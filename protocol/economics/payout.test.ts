/**
 * The payout rule's constants satisfy its four inequalities (SECURITY.md "Payout rule"), and the
 * check fails for parameters that break any one of them.
 */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_PHASES,
  HONEST_CHALLENGER_GAS,
  HONEST_DEFENCE_GAS,
  HONEST_GAS_PRICE,
  PAYOUT,
  PayoutRuleError,
  challengerWinPayout,
  checkPayoutRule,
  bindingMoveGasBound,
  choiceGasBound,
  claimerWinPayout,
  liarWorstCase,
  slotCollateral,
  worstCaseChallengerGas,
} from "./payout.ts";

describe("payout rule (funded slots)", () => {
  it("the defaults: the liar's worst case loses >= 1/2, an honest winner's worst-case gas and an honest claimer's defence are covered at 50 gwei", () => {
    expect(() => checkPayoutRule(PAYOUT)).not.toThrow();
    const [deposited, recovered] = liarWorstCase(PAYOUT);
    expect(2n * recovered).toBeLessThanOrEqual(deposited);
    expect(challengerWinPayout(PAYOUT) - PAYOUT.challengeBond).toBeGreaterThanOrEqual(
      HONEST_CHALLENGER_GAS * HONEST_GAS_PRICE,
    );
    expect(claimerWinPayout(PAYOUT)).toBeGreaterThanOrEqual(HONEST_DEFENCE_GAS * HONEST_GAS_PRICE);
    expect(slotCollateral(PAYOUT) * BigInt(PAYOUT.slots)).toBe(PAYOUT.claimBond);
  });

  it("the challenger's worst case is over every claim length (uint64 steps per phase) and fits the budget for two k = 1 or k = 3 phases", () => {
    expect(worstCaseChallengerGas(DEFAULT_PHASES)).toBe(300_000n + 2n * 32n * choiceGasBound(3));
    expect(
      worstCaseChallengerGas([
        { k: 1, m: 1n },
        { k: 1, m: 1n },
      ]),
    ).toBe(300_000n + 2n * 64n * 59_000n);
    expect(
      worstCaseChallengerGas([
        { k: 1, m: 1n },
        { k: 1, m: 1n },
      ]),
    ).toBeLessThanOrEqual(HONEST_CHALLENGER_GAS);
    // LongGameChallengerLoss.t.sol measured 6,123,402 gas for two k = 1 phases at 2^64 - 1 steps each
    expect(
      worstCaseChallengerGas([
        { k: 1, m: 1n },
        { k: 1, m: 1n },
      ]),
    ).toBeGreaterThanOrEqual(6_123_402n);
    // four k = 1 phases exceed what D = 2 ETH pays at b = 75 %: such a deployment needs a larger stake
    const four = worstCaseChallengerGas(Array.from({ length: 4 }, () => ({ k: 1, m: 1n })));
    expect(() => checkPayoutRule(PAYOUT, { challengerGas: four })).toThrow(/honest challenger/);
    expect(() => checkPayoutRule({ ...PAYOUT, claimBond: 16n * 10n ** 18n }, { challengerGas: four })).not.toThrow();
  });

  it("rejects a burn below 1/2, too many slots for the stake, a reward below the gas, a defence credit below the defence", () => {
    expect(() => checkPayoutRule({ ...PAYOUT, burnBps: 2500 })).toThrow(PayoutRuleError);
    expect(() => checkPayoutRule({ ...PAYOUT, challengerBurnBps: 4999 })).toThrow(/challenger burn share/);
    expect(() => checkPayoutRule({ ...PAYOUT, slots: 40 })).toThrow(PayoutRuleError); // (2b - 1) S < slots B
    expect(() => checkPayoutRule({ ...PAYOUT, claimBond: PAYOUT.claimBond / 100n })).toThrow(PayoutRuleError);
    // the red team's griefing finding: B = 0.1 ETH at b_c = 75 % credits 0.025 ETH for a ~0.35 ETH defence
    expect(() => checkPayoutRule({ ...PAYOUT, challengeBond: 10n ** 17n, challengerBurnBps: 7500 })).toThrow(/defence/);
    // the old rule (one stake, 25 % burn) fails the first inequality
    expect(() =>
      checkPayoutRule({ claimBond: 10n ** 18n, challengeBond: 10n ** 17n, burnBps: 2500, slots: 1 }),
    ).toThrow(/burn share/);
  });
  it("bounds the winning binding move's measured gas, and refuses a stake that does not pay for a long prompt's move", () => {
    // forge BindingsTest (-vv) measurements: MNIST image, stories260K 128-token prompt (15 advance chunks +
    // the final move), RV32IM at its 2 KiB input cap
    expect(bindingMoveGasBound([784])).toBeGreaterThanOrEqual(4_475_366n);
    expect(bindingMoveGasBound(Array.from({ length: 128 }, () => 4))).toBeGreaterThanOrEqual(
      176_802_836n + 10_479_940n,
    );
    expect(bindingMoveGasBound([2048])).toBeGreaterThanOrEqual(10_372_059n);
    // the bound is not slack by orders of magnitude (it must stay a usable budget)
    expect(bindingMoveGasBound([784])).toBeLessThan(2n * 4_475_366n);
    // MNIST and a one-token prompt fit the defaults; a 128-token prompt needs a larger slot collateral
    expect(() =>
      checkPayoutRule(PAYOUT, {
        challengerGas: worstCaseChallengerGas(DEFAULT_PHASES),
        bindingGas: bindingMoveGasBound([784]),
      }),
    ).not.toThrow();
    expect(() =>
      checkPayoutRule(PAYOUT, {
        challengerGas: worstCaseChallengerGas(DEFAULT_PHASES),
        bindingGas: bindingMoveGasBound([4]),
      }),
    ).not.toThrow();
    const long = bindingMoveGasBound(Array.from({ length: 128 }, () => 4));
    expect(() =>
      checkPayoutRule(PAYOUT, { challengerGas: worstCaseChallengerGas(DEFAULT_PHASES), bindingGas: long }),
    ).toThrow(/honest challenger/);
    expect(() =>
      checkPayoutRule(
        { ...PAYOUT, claimBond: 50n * PAYOUT.claimBond },
        { challengerGas: worstCaseChallengerGas(DEFAULT_PHASES), bindingGas: long },
      ),
    ).not.toThrow();
  });
});
