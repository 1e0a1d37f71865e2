/**
 * The payout rule of DisputeGame ("funded slots", SECURITY.md) and its default constants: the one
 * place the deploy code (protocol/chain, demo/run.ts) and the sims read them from.
 *
 *   S = claimBond, split into `slots` slot collaterals D = S / slots; B = challengeBond; b = burnBps / 10^4.
 *   Each challenge / input request / paid binding move locks one slot (no free slot: `NoFreeSlot`).
 *   claimer loses a game   challenger: B + (1 - b) D, burned b D; first loss rejects the claim and
 *                          burns the stake no slot locks
 *   claimer wins a game    claimer: (1 - b) B, burned b B; slot freed; window reopened to now + window
 *   input withheld         requester: B + (1 - b) D, burned b D; claim rejected
 *   unchallenged           claimer: S back at finalize
 *
 * Derivation (SECURITY.md "Payout rule"): a liar's addresses deposit S + n B and get back at most
 * slots (1 - b) D + (bonds of the at most `slots` socks that win) - b B per thrown sock game, so
 * they lose >= 1/2 of their deposits iff b >= 1/2 and (2b - 1) S >= slots B (`checkPayoutRule`);
 * an honest challenger that plays to the end is paid B + (1 - b) D, which covers its gas iff
 * (1 - b) D >= gas x price.
 */
import { ZkfpError } from "../../vm/errors.ts";
import type { GameConfig } from "../game/model.ts";

export class PayoutRuleError extends ZkfpError {
  override readonly name = "PayoutRuleError";
}

export const BPS = 10_000n;
const ETH = 10n ** 18n;
const GWEI = 10n ** 9n;

/** Gas price at which an honest challenger's gas must be covered (the bar). */
export const HONEST_GAS_PRICE = 50n * GWEI;

/**
 * An honest challenger's own gas for a whole game, measured on anvil by `npx zkfp demo --model
 * stories260K --liar claimer --m 1 --json` (2026-11-30, k = 3: 4 graph rounds + 8 VM rounds): its
 * challenge (131,213) + segment choices and withdraw (567,993) + the timeout it calls (100,112).
 * The budget allows 4x that (k = 1 roughly doubles the rounds; larger node runs add a few more).
 */
export const MEASURED_CHALLENGER_GAS = 799_318n;
export const HONEST_GAS_BUDGET = 4n * MEASURED_CHALLENGER_GAS;

export type PayoutParams = { claimBond: bigint; challengeBond: bigint; burnBps: number; slots: number };

/** Defaults: S = 4 ETH in 4 slots of D = 1 ETH, B = 0.1 ETH, b = 75 %. */
export const PAYOUT: PayoutParams = { claimBond: 4n * ETH, challengeBond: ETH / 10n, burnBps: 7500, slots: 4 };

export function slotCollateral(p: PayoutParams): bigint {
  return p.claimBond / BigInt(p.slots);
}

/** What an honest challenger that wins a game is credited (bond + (1 - b) D). */
export function challengerWinPayout(p: PayoutParams): bigint {
  const d = slotCollateral(p);
  return p.challengeBond + d - (d * BigInt(p.burnBps)) / BPS;
}

/** Worst case for the liar: every slot held by a sock that wins. Returns [deposited, recovered]. */
export function liarWorstCase(p: PayoutParams): [bigint, bigint] {
  const n = BigInt(p.slots);
  return [p.claimBond + n * p.challengeBond, n * challengerWinPayout(p)];
}

/** Throws unless the parameters satisfy the rule's two inequalities for `honestGas` at `gasPrice`. */
export function checkPayoutRule(p: PayoutParams, honestGas = HONEST_GAS_BUDGET, gasPrice = HONEST_GAS_PRICE): void {
  if (p.slots < 1 || p.claimBond / BigInt(p.slots) === 0n) throw new PayoutRuleError("slots must be >= 1 and leave a non-zero slot collateral", { slots: p.slots });
  const b = BigInt(p.burnBps);
  if (2n * b < BPS) throw new PayoutRuleError("burn share below 1/2: a thrown sock game would cost the liar less than half its bond", { burnBps: p.burnBps });
  if ((2n * b - BPS) * p.claimBond < BigInt(p.slots) * p.challengeBond * BPS) {
    throw new PayoutRuleError("(2b - 1) S < slots B: socks that win every slot would recover more than half", { ...p, claimBond: p.claimBond.toString(), challengeBond: p.challengeBond.toString() });
  }
  const d = slotCollateral(p);
  if (d - (d * b) / BPS < honestGas * gasPrice) {
    throw new PayoutRuleError("(1 - b) D does not cover an honest challenger's gas", { reward: (d - (d * b) / BPS).toString(), gas: honestGas.toString(), gasPrice: gasPrice.toString() });
  }
}

/** A full game config with the default payout and the given timings. */
export function payoutConfig(t: { clockBudget: number; challengeWindow: number; daWindow: number }, p: PayoutParams = PAYOUT): GameConfig {
  return { ...p, ...t };
}
