import { describe, expect, it } from "vitest";
import { expectedMaxErlang, mcDelay, parallelMeanH, sequentialMeanH, sybils, waves } from "./delay.ts";

const p = {
  rounds: 6,
  attackerClockH: 84,
  defenderClockH: 84,
  defenderMeanH: 0.5,
  proveH: 0.1,
  costPerSybilEth: 0.5,
  windowH: 24,
  slots: 4,
};

describe("delay attacks", () => {
  it("buys ⌊B/c⌋ Sybil challenges", () => {
    expect(sybils(10, 0.5)).toBe(20);
    expect(sybils(0.49, 0.5)).toBe(0);
  });
  it("E[max] of one Erlang is its mean, and grows with the number of games", () => {
    expect(expectedMaxErlang(1, 6, 0.5)).toBeCloseTo(3, 3);
    expect(expectedMaxErlang(10, 6, 0.5)).toBeGreaterThan(expectedMaxErlang(2, 6, 0.5));
  });
  it("splits games into waves of at most `slots`", () => {
    expect(waves(10, 4)).toEqual([4, 4, 2]);
    expect(waves(0, 4)).toEqual([]);
    expect(waves(3, 1)).toEqual([1, 1, 1]);
  });
  it("simulated sequential and parallel delays match the closed forms within 4.5 SE (+0.1 % quadrature)", () => {
    const r = mcDelay({ p, budgetEth: 5, trials: 3000, seed: 9, index: 0 });
    expect(r.sybils).toBe(10);
    expect(r.seqClosed).toBeCloseTo(sequentialMeanH(10, p), 12);
    expect(Math.abs(r.seqMeanMc - r.seqClosed)).toBeLessThanOrEqual(4.5 * r.seqSe);
    expect(Math.abs(r.parMeanMc - r.parClosed)).toBeLessThanOrEqual(4.5 * r.parSe + 1e-3 * r.parClosed);
    expect(r.parClosed).toBeCloseTo(parallelMeanH(10, p), 12);
    expect(r.parMaxMc).toBeLessThanOrEqual(r.parBound);
    // one game at a time: 10 games each adding a window; in waves of 4: 3 waves
    expect(r.seqClosed / r.parClosed).toBeGreaterThan(3);
    expect(r.seqClosed).toBeCloseTo(10 * (84 + 6 * 0.5 + 0.1 + 24), 9);
  });
});
