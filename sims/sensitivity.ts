/**
 * One-at-a-time sensitivity (tornado) of two headline outputs to the inputs they rest on:
 *   dispute_s  duration of a two-phase dispute over LLaMA-2 7B (timing model, k = 7,
 *              m = the largest measured m), seconds
 *   cost_usd   cost of the cost-optimal game over measured m at N = 2^30 (k/m model), USD
 * Each input is set to a low and a high value with the others at their base (the paper's configs
 * and measured constants); the swing |out(high) − out(low)| orders the tornado. Ranges (each row
 * carries its reason): gas price 5–200 gwei (a quiet L1 to Optimism's assumed base fee);
 * checkpointed VM speed, prove-time slope and one-step gas ×0.5–×2 (machine and implementation
 * spread); steps per parameter from the int8 MNIST figure to twice the float32 stories260K figure;
 * τ 12 s (one block) to 600 s; value of time 0 to 0.01 USD/s.
 * Pitfall: one-at-a-time swings ignore interactions (e.g. τ and the value of time multiply).
 */
import type { Constants } from "./constants.ts";
import { buildModel, type TimingConfig } from "./timing/run.ts";
import type { KmConfig } from "./km/run.ts";
import { evaluate, optimum } from "./km/model.ts";

export type Knob = { key: string; label: string; base: number; low: number; high: number; why: string };
export type SensRow = {
  output: string;
  input: string;
  base_input: number;
  low_input: number;
  high_input: number;
  base: number;
  at_low: number;
  at_high: number;
  swing: number;
  why: string;
};

/** k of the dispute-duration output (the m is the largest measured m). */
export const SENS_K = 7;
type Inputs = {
  c: Constants;
  gasPriceGwei: number;
  moveSeconds: number;
  timeValueUsdPerS: number;
  stepsPerParam: number;
};

function outputs(t: TimingConfig, k: KmConfig, i: Inputs): { dispute_s: number; cost_usd: number } {
  const mMax = Math.max(1, i.c.value("mMeasuredMax"));
  const tc: TimingConfig = {
    ...t,
    prices: { ...t.prices, gasPriceGwei: i.gasPriceGwei },
    opml: { ...t.opml, moveSeconds: i.moveSeconds },
  };
  const M = buildModel(tc, i.c, i.stepsPerParam);
  const dispute_s = M.disputeS(7e9, { k: SENS_K, m: mMax, phases: 2 });
  const pts = [];
  for (let kk = 1; kk <= k.kMax; kk++)
    for (let m = 1; m <= mMax; m *= 2)
      pts.push(
        evaluate(
          i.c,
          {
            N: 2 ** 30,
            gasPriceGwei: i.gasPriceGwei,
            ethUsd: k.ethUsd,
            cpuUsdPerHour: k.cpuUsdPerHour,
            moveSeconds: i.moveSeconds,
            timeValueUsdPerS: i.timeValueUsdPerS,
          },
          kk,
          m,
        ),
      );
  return { dispute_s, cost_usd: optimum(pts, "cost").costUsd };
}

export function knobs(c: Constants, t: TimingConfig, k: KmConfig): Knob[] {
  const v = (key: string) => c.value(key);
  return [
    {
      key: "gasPriceGwei",
      label: "gas price (gwei)",
      base: k.gasPriceGwei,
      low: 5,
      high: 200,
      why: "quiet L1 to Optimism's assumed 200 gwei",
    },
    {
      key: "vmStepsPerSec",
      label: "checkpointed VM speed (steps/s)",
      base: v("vmStepsPerSec"),
      low: v("vmStepsPerSec") / 2,
      high: v("vmStepsPerSec") * 2,
      why: "x0.5 to x2 of the measured value",
    },
    {
      key: "stepsPerParam",
      label: "VM steps per parameter",
      base: v("stepsPerParam"),
      low: v("stepsPerParamInt8"),
      high: 2 * v("stepsPerParam"),
      why: "int8 MNIST figure to twice the float32 stories260K figure",
    },
    {
      key: "proveSecondsPerStep",
      label: "prove-time slope (s/step)",
      base: v("proveSecondsPerStep"),
      low: v("proveSecondsPerStep") / 2,
      high: v("proveSecondsPerStep") * 2,
      why: "x0.5 to x2 of the fitted slope",
    },
    {
      key: "oneStepGas",
      label: "one-step verifier gas",
      base: v("oneStepGas"),
      low: v("oneStepGas") / 2,
      high: v("oneStepGas") * 2,
      why: "x0.5 to x2 of the measured value",
    },
    {
      key: "moveSeconds",
      label: "response time τ (s)",
      base: t.opml.moveSeconds,
      low: 12,
      high: 600,
      why: "one block to ten minutes",
    },
    {
      key: "timeValueUsdPerS",
      label: "value of time (USD/s)",
      base: k.timeValueUsdPerS,
      low: 0,
      high: 0.01,
      why: "none to 0.01 USD/s",
    },
  ];
}

export function sensitivity(c: Constants, t: TimingConfig, k: KmConfig): SensRow[] {
  const base: Inputs = {
    c,
    gasPriceGwei: k.gasPriceGwei,
    moveSeconds: t.opml.moveSeconds,
    timeValueUsdPerS: k.timeValueUsdPerS,
    stepsPerParam: c.value("stepsPerParam"),
  };
  const with_ = (kn: Knob, x: number): Inputs => {
    if (kn.key === "gasPriceGwei") return { ...base, gasPriceGwei: x };
    if (kn.key === "moveSeconds") return { ...base, moveSeconds: x };
    if (kn.key === "timeValueUsdPerS") return { ...base, timeValueUsdPerS: x };
    if (kn.key === "stepsPerParam") return { ...base, stepsPerParam: x };
    return { ...base, c: c.withValues({ [kn.key]: x }) };
  };
  const b = outputs(t, k, base);
  const rows: SensRow[] = [];
  for (const out of ["dispute_s", "cost_usd"] as const) {
    for (const kn of knobs(c, t, k)) {
      const lo = outputs(t, k, with_(kn, kn.low))[out],
        hi = outputs(t, k, with_(kn, kn.high))[out];
      rows.push({
        output: out,
        input: kn.label,
        base_input: kn.base,
        low_input: kn.low,
        high_input: kn.high,
        base: b[out],
        at_low: lo,
        at_high: hi,
        swing: Math.abs(hi - lo),
        why: kn.why,
      });
    }
  }
  return rows.sort((x, y) =>
    x.output < y.output ? -1 : x.output > y.output ? 1 : y.swing - x.swing || (x.input < y.input ? -1 : 1),
  );
}
