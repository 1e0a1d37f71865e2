/**
 * The payout rule of DisputeGame ("funded slots", SECURITY.md) and its default constants: the one
 * place the deploy code (protocol/chain, demo/run.ts) and the sims read them from.
 *
 *   S = claimBond, split into `slots` slot collaterals D = S / slots; B = challengeBond;
 *   b = burnBps / 10^4 (a lost slot), b_c = challengerBurnBps / 10^4 (a lost challenge bond).
 *   Each challenge / input request / paid binding move locks one slot. With no free slot a challenge
 *   is queued first-come (bond locked; the next slot freed while the claim is pending opens the head's
 *   game; refunded in full if the claim is rejected first); a request or binding move reverts `NoFreeSlot`.
 *   claimer loses a game   challenger: B + (1 - b) D, burned b D; first loss rejects the claim and
 *                          burns the stake no slot locks
 *   claimer wins a game    claimer: (1 - b_c) B, burned b_c B; slot freed; window reopened to now + window
 *   input withheld         requester: B + (1 - b) D, burned b D; claim rejected
 *   unchallenged           claimer: S back at finalize
 *
 * Derivation (SECURITY.md "Payout rule"). A liar's addresses make n_w winning sock challenges
 * (n_w <= slots), n_t thrown ones and n_r <= 1 input request it answers (refunded: a claim has at
 * most one request, after which the input is published); they deposit S + (n_w + n_t + n_r) B and
 * get back at most n_w (B + (1 - b) D) + n_t (1 - b_c) B + n_r B, so they lose >= b S + n_t b_c B,
 * which is >= half of the deposits for every n_w, n_t, n_r iff
 *     (1) b_c >= 1/2   and   (2) (2b - 1) S >= (slots + 1) B.
 * The challenge queue changes none of this: a queued sock either gets a game (counted in n_w or n_t;
 * games open from the queue only while the claim is pending, so n_w <= slots still) or has its bond
 * refunded in full after the rejection (never at risk, never paid: not a deposit in this count).
 * An honest challenger that plays to the end is paid B + (1 - b) D; it covers its gas iff
 *     (3) (1 - b) D >= G_ch g,
 * with G_ch the worst case over every claim a liar can post: the claimer picks `steps` and every
 * inner step count (uint64), so G_ch = `worstCaseChallengerGas(phases)` (rounds(2^64 - 1, k, m) per
 * phase, measured per-round gas). An honest claimer that a griefer challenges is paid (1 - b_c) B;
 * it covers its defence iff
 *     (4) (1 - b_c) B >= G_def g,
 * with G_def the costliest defence of a true claim the griefer can steer to (graph rounds, the most
 * expensive link opening, the VM rounds of the longest node, the costliest one-step leaf), measured
 * per model by contracts/test/attack/GriefHonestClaimer.t.sol (HONEST_DEFENCE_GAS).
 */
import { ZkfpError } from "../../vm/errors.ts";
import type { GameConfig } from "../game/model.ts";
import { rounds } from "../game/spacing.ts";

export class PayoutRuleError extends ZkfpError {
  override readonly name = "PayoutRuleError";
}

export const BPS = 10_000n;
const ETH = 10n ** 18n;
const GWEI = 10n ** 9n;

/** Gas price at which an honest party's gas must be covered (the bar). */
export const HONEST_GAS_PRICE = 50n * GWEI;

/**
 * An honest challenger's own gas for a whole game, measured on anvil by `npx zkfp demo --model
 * stories260K --liar claimer --m 1 --json` (2026-11-30 02:12, k = 3): its challenge (131,170) +
 * segment choices and withdraw (537,913) + the timeout it calls (130,845). A typical game; the rule
 * is checked against the worst case below.
 */
export const MEASURED_CHALLENGER_GAS = 799_928n;

/**
 * Fixed part of a challenger's worst-case game (challenge + timeout + withdraw, each with its 21,000
 * intrinsic gas and calldata): the demo measured 131,170 + 130,845 before its withdraw; the whole bound
 * is checked against the measured longest game (LongGameChallengerLoss.t.sol).
 */
export const CHALLENGER_FIXED_GAS = 300_000n;

/**
 * Upper bound on one segment choice (execution + 21,000 + calldata) at k checkpoints: 52,000 +
 * 7,000 ceil(log2(k + 1)). Measured: k = 1, 44,136 per choice incl. intrinsic and calldata
 * (contracts/test/attack/LongGameChallengerLoss.t.sol, 128 rounds: 6,123,402 gas for the whole game);
 * execution grows ~1,700 gas per doubling of k (protocol/GAS.md: 44,557 at k = 1 .. 55,695 at k = 63)
 * plus 2 x 32 calldata bytes per Merkle level.
 */
export function choiceGasBound(k: number): bigint {
  let lg = 0;
  while (1 << lg < k + 1) lg++;
  return 52_000n + 7_000n * BigInt(lg);
}

/** Phase parameters as the payout rule needs them (PhaseConfig's k and m). */
export type PhaseShape = { k: number; m: bigint };

/**
 * The most gas an honest challenger spends on a game against ANY claim on a game with these phases:
 * the claimer chooses `steps` and every inner step count (uint64), so each phase can take up to
 * rounds(2^64 - 1, k, m) rounds.
 */
export function worstCaseChallengerGas(phases: PhaseShape[]): bigint {
  const maxSteps = (1n << 64n) - 1n;
  return phases.reduce((g, p) => g + BigInt(rounds(maxSteps, p.k, p.m)) * choiceGasBound(p.k), CHALLENGER_FIXED_GAS);
}

/** The demo's and the default deployment's phases: k = 3, m = 1 (graph), k = 3, m = 1 (VM). */
export const DEFAULT_PHASES: PhaseShape[] = [
  { k: 3, m: 1n },
  { k: 3, m: 1n },
];

/** Budget for (3): covers worstCaseChallengerGas of two k = 1 phases (7,852,000; k = 3: 4,524,000). */
export const HONEST_CHALLENGER_GAS = 10_000_000n;

/**
 * Budget for (4): the honest claimer's costliest defence of a true claim, measured by
 * contracts/test/attack/GriefHonestClaimer.t.sol at 50 gwei: MNIST 7,000,485 gas (op 3: graph
 * rounds, a 2,939,459-gas link opening, 7 VM rounds, the timeout and withdraw, plus the costliest
 * one-step leaf 3,399,975 + calldata); stories260K 8,462,518 (its costliest fixture opening
 * 3,752,967, 4 graph + 11 VM rounds at <= 80,000 each, the same leaf bound).
 */
export const HONEST_DEFENCE_GAS = 10_000_000n;

export type PayoutParams = {
  claimBond: bigint;
  challengeBond: bigint;
  burnBps: number;
  slots: number;
  challengerBurnBps?: number;
};

/** Defaults: S = 10 ETH in 4 slots of D = 2.5 ETH, B = 1 ETH, b = 75 %, b_c = 50 %. */
export const PAYOUT: PayoutParams = {
  claimBond: 10n * ETH,
  challengeBond: ETH,
  burnBps: 7500,
  slots: 4,
  challengerBurnBps: 5000,
};

export function slotCollateral(p: PayoutParams): bigint {
  return p.claimBond / BigInt(p.slots);
}

/** What an honest challenger that wins a game is credited (bond + (1 - b) D). */
export function challengerWinPayout(p: PayoutParams): bigint {
  const d = slotCollateral(p);
  return p.challengeBond + d - (d * BigInt(p.burnBps)) / BPS;
}

/** What a claimer that wins a game is credited ((1 - b_c) B). */
export function claimerWinPayout(p: PayoutParams): bigint {
  const bc = BigInt(p.challengerBurnBps ?? p.burnBps);
  return p.challengeBond - (p.challengeBond * bc) / BPS;
}

/**
 * Worst case for the liar: a refunded input request, then every slot held by a sock that wins.
 * Returns [deposited, recovered].
 */
export function liarWorstCase(p: PayoutParams): [bigint, bigint] {
  const n = BigInt(p.slots);
  return [p.claimBond + (n + 1n) * p.challengeBond, n * challengerWinPayout(p) + p.challengeBond];
}

/**
 * Gas of a winning binding move (`disputeStart`, with GraphClaimBinding's `advance` chunks for long
 * inputs), bounded per input node and per input word. Calibrated on the forge measurements
 * (`npx forge test --match-contract BindingsTest -vv`): MNIST, one 784-byte input: 4,475,366;
 * stories260K, 128 one-token inputs through 15 `advance` chunks + the final move: 187,282,776;
 * RV32IM at its 2 KiB cap (one input): 10,372,059. The fit 1.47M per input + 16k per word, plus 10 %,
 * bounds all three (payout.test.ts pins them).
 */
export const BINDING_GAS_PER_INPUT = 1_470_000n;
export const BINDING_GAS_PER_WORD = 16_000n;
export function bindingMoveGasBound(inputLens: readonly number[]): bigint {
  const words = inputLens.reduce((a, l) => a + BigInt(Math.ceil(l / 4)), 0n);
  const g = BINDING_GAS_PER_INPUT * BigInt(inputLens.length) + BINDING_GAS_PER_WORD * words;
  return g + g / 10n;
}

/**
 * challengerGas: the most an honest challenger spends on a game; bindingGas: on a winning binding
 * move (`bindingMoveGasBound`); it plays one or the other, so the larger one must be covered.
 */
export type GasBudgets = { challengerGas?: bigint; defenceGas?: bigint; bindingGas?: bigint };

/** Throws unless the parameters satisfy the rule's four inequalities at `gasPrice`. */
export function checkPayoutRule(p: PayoutParams, gas: GasBudgets = {}, gasPrice = HONEST_GAS_PRICE): void {
  const gameGas = gas.challengerGas ?? HONEST_CHALLENGER_GAS;
  const bindingGas = gas.bindingGas === undefined ? 0n : gas.bindingGas + CHALLENGER_FIXED_GAS;
  const challengerGas = bindingGas > gameGas ? bindingGas : gameGas;
  const defenceGas = gas.defenceGas ?? HONEST_DEFENCE_GAS;
  if (p.slots < 1 || p.claimBond / BigInt(p.slots) === 0n)
    throw new PayoutRuleError("slots must be >= 1 and leave a non-zero slot collateral", { slots: p.slots });
  const b = BigInt(p.burnBps);
  const bc = BigInt(p.challengerBurnBps ?? p.burnBps);
  if (b > BPS || bc > BPS)
    throw new PayoutRuleError("burn share above 100 %", { burnBps: p.burnBps, challengerBurnBps: p.challengerBurnBps });
  if (2n * bc < BPS)
    throw new PayoutRuleError(
      "challenger burn share below 1/2: a thrown sock game would cost the liar less than half its bond",
      { challengerBurnBps: Number(bc) },
    );
  if ((2n * b - BPS) * p.claimBond < BigInt(p.slots + 1) * p.challengeBond * BPS) {
    throw new PayoutRuleError(
      "(2b - 1) S < (slots + 1) B: socks that win every slot (and a refunded input request) would recover more than half",
      { ...p, claimBond: p.claimBond.toString(), challengeBond: p.challengeBond.toString() },
    );
  }
  const d = slotCollateral(p);
  if (d - (d * b) / BPS < challengerGas * gasPrice) {
    throw new PayoutRuleError("(1 - b) D does not cover an honest challenger's gas", {
      reward: (d - (d * b) / BPS).toString(),
      gas: challengerGas.toString(),
      gasPrice: gasPrice.toString(),
    });
  }
  if (claimerWinPayout(p) < defenceGas * gasPrice) {
    throw new PayoutRuleError("(1 - b_c) B does not cover an honest claimer's defence", {
      reward: claimerWinPayout(p).toString(),
      gas: defenceGas.toString(),
      gasPrice: gasPrice.toString(),
    });
  }
}

/** A full game config with the default payout and the given timings. */
export function payoutConfig(
  t: { clockBudget: number; challengeWindow: number; daWindow: number },
  p: PayoutParams = PAYOUT,
): GameConfig {
  return { ...p, ...t };
}
