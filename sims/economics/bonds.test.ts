import { describe, expect, it } from "vitest";
import { detectionProbability, griefingCost, mcDetection, minStake, opBondEth, roundsFor } from "./bonds.ts";

const op = { baseGas: 400_000, highGas: 300_000_000, maxDepth: 73, gasPriceGwei: 200 };

describe("bonds", () => {
  it("reproduces Optimism's published bond curve: 0.08 ETH at depth 0, 60 ETH at depth 73, x = 1.09493", () => {
    expect(opBondEth(0, op)).toBeCloseTo(0.08, 15);
    // exact multiplier (750^(1/73)): 60 ETH up to float rounding (tolerance 1e-9 ETH)
    expect(Math.abs(opBondEth(73, op) - 60)).toBeLessThan(1e-9);
    expect((300_000_000 / 400_000) ** (1 / 73)).toBeCloseTo(1.09493, 5);
    // the spec's pseudo-code with the rounded 1.09493: 60 ETH to 0.1 % (the rounding adds 0.02 ETH)
    const rounded = opBondEth(73, { ...op, roundedMultiplier: 1.09493 });
    expect(Math.abs(rounded - 60) / 60).toBeLessThan(1e-3);
    expect(rounded).not.toBe(opBondEth(73, op));
  });
  it("minimum stake V(1−d)/d makes a cheat exactly break even", () => {
    const d = 0.8,
      V = 1000,
      S = minStake(V, d);
    expect((1 - d) * V - d * S).toBeCloseTo(0, 9);
    expect(minStake(V, 0)).toBe(Infinity);
  });
  it("simulated detection probability matches the closed form within 4.5 SE", () => {
    const p = { watchers: 3, availability: 0.7, noticeMeanHours: 10, windowHours: 8 };
    const r = mcDetection({ d: p, valueAtRisk: 100, trials: 50_000, seed: 5, index: 0 });
    expect(r.dClosed).toBeCloseTo(detectionProbability(p), 15);
    expect(Math.abs(r.dMc - r.dClosed)).toBeLessThanOrEqual(4.5 * r.dSe);
  });
  it("counts rounds as ⌈log_(k+1)(N/m)⌉ and prices a griefing challenge", () => {
    expect(roundsFor(2 ** 30, 1, 1)).toBe(30);
    expect(roundsFor(2 ** 30, 7, 16)).toBe(Math.ceil(26 / 3));
    expect(roundsFor(1000, 9, 1)).toBe(3);
    expect(roundsFor(1001, 9, 1)).toBe(4);
    const g = griefingCost({
      N: 2 ** 20,
      k: 3,
      m: 16,
      claimerMovesGas: 8 * 63_000,
      challengerMovesGas: 8 * 50_000,
      arbitrationGas: 220_000,
      proveSeconds: 18,
      gasPriceGwei: 10,
      ethUsd: 3000,
      cpuUsdPerHour: 0,
      claimerStakeEth: 0,
      capitalRatePerYear: 0,
      moveSeconds: 60,
      challengerBondEth: 0.01,
    });
    expect(g.rounds).toBe(8);
    expect(g.defenderEth).toBeCloseTo((8 * 63_000 + 220_000) * 10e-9, 15);
    expect(g.attackerEth).toBeCloseTo(0.01 + 8 * 50_000 * 10e-9, 15);
    expect(g.breakEvenBondEth).toBeCloseTo(g.defenderEth - 8 * 50_000 * 10e-9, 15);
  });
});
