/**
 * Time to finality and cost per inference versus model size P (parameters): opML (zkfp's optimistic
 * game) against pure zkML proving.
 *
 * Workload: one inference executes N = stepsPerParam·P VM steps (one multiply-accumulate per
 * parameter); the computation graph has nodes(P) nodes (a config expression); native execution
 * takes flopsPerParam·P / nativeFlopsPerS seconds.
 *
 * opML, undisputed:  t_native + W                         (W = challenge window)
 * opML, disputed:    t_native + W + D,  D = t_trace + 2·r·τ + t_prove(m)
 *    (the worst honest case: the challenge arrives at the end of the window W, so the dispute's
 *    duration D adds to it; a challenge right after execution would give t_native + max(W, D))
 *    one phase:  r = ⌈log_(k+1)(N/m)⌉,                         t_trace = N / vmSpeed
 *    two phases: r = ⌈log_(k+1)(nodes)⌉ + ⌈log_(k+1)(N/(nodes·m))⌉, t_trace = (N/nodes)/vmSpeed
 *    vmSpeed is the VM's speed while it hashes state roots (vmStepsPerSec, a root every 2^16 steps):
 *    both parties need roots to play the game, so the raw speed would understate t_trace
 *    (phase 1 runs natively over graph nodes; only the disputed node is traced in the VM — the
 *    reason multi-phase games keep large models disputable)
 * opML, worst case: a challenge at the end of W, then each party spends its whole chess clock:
 *                    t_native + W + 2·clock.
 * zkML:              t_prove(P) + one block (12 s) for the verify transaction.
 *
 * Cost per inference (USD): opML = claim gas + bond capital cost over W + checkers' native
 * re-execution + P(dispute)·(dispute gas + proving m steps); zkML = prover hardware time + Groth16
 * verify gas verifyGasBase + verifyGasPerInput·inputs (the config cites 207,700 + 7,160·l from Kiwi,
 * Orbiter Research, "Comparing Groth16 and FFLONK Gas Costs", hackmd.io/Fa4A8lVKRM2TwVh1dhUb1Q,
 * measured on snarkjs verifiers; EIP-1108 prices a 4-pair pairing check at 45,000 + 4·34,000 gas).
 * zkfp's own verifier uses the gas measured here (constants: groth16VerifyGas).
 * Pitfall: zkML fits are extrapolated far beyond the model sizes they were measured on; the figure
 * marks the measured range of each source.
 */
import { compile, type EvalFunction } from "mathjs";
import type { Constants } from "../constants.ts";
import { pathGas, rounds } from "../km/model.ts";

export type Backend = {
  name: string;
  expr: string;
  hardware: string;
  usdPerHour: number;
  source: string;
  verified: boolean;
  measuredRange: [number, number];
};
export type OpmlConfig = { k: number; m: number; phases: 1 | 2 };
export type TimingInputs = {
  stepsPerParam: number;
  graphNodes: string;
  nativeFlopsPerS: number;
  flopsPerParam: number;
  windowsH: number[];
  moveSeconds: number;
  clockH: number;
  configs: OpmlConfig[];
  claimBondEth: number;
  capitalRatePerYear: number;
  checkers: number;
  disputeProbability: number;
  backends: Backend[];
  publicInputs: number;
  verifyGasBase: number;
  verifyGasPerInput: number;
  gasPriceGwei: number;
  ethUsd: number;
  cpuUsdPerHour: number;
};

export type Scope = Record<string, number>;
export function baseScope(c: Constants, P: number, t: Pick<TimingInputs, "stepsPerParam">): Scope {
  return {
    P,
    N: t.stepsPerParam * P,
    proveSecondsPerStep: c.value("proveSecondsPerStep"),
    vmStepsPerSec: c.value("vmStepsPerSec"),
  };
}

export class TimingModel {
  private nodesF: EvalFunction;
  private backendF: EvalFunction[];
  constructor(
    readonly c: Constants,
    readonly t: TimingInputs,
  ) {
    this.nodesF = compile(t.graphNodes);
    this.backendF = t.backends.map((b) => compile(b.expr));
  }
  steps(P: number): number {
    return this.t.stepsPerParam * P;
  }
  nodes(P: number): number {
    return Math.max(1, Math.round(this.nodesF.evaluate(baseScope(this.c, P, this.t)) as number));
  }
  nativeS(P: number): number {
    return (this.t.flopsPerParam * P) / this.t.nativeFlopsPerS;
  }
  zkProveS(i: number, P: number): number {
    return this.backendF[i]!.evaluate(baseScope(this.c, P, this.t)) as number;
  }
  zkFinalityS(i: number, P: number): number {
    return this.zkProveS(i, P) + 12;
  }
  opUndisputedS(P: number, windowH: number): number {
    return this.nativeS(P) + windowH * 3600;
  }
  disputeRounds(P: number, o: OpmlConfig): number {
    const N = Math.ceil(this.steps(P));
    if (o.phases === 1) return rounds(N, o.k, Math.min(o.m, N));
    const nodes = this.nodes(P),
      perNode = Math.ceil(N / nodes);
    return rounds(nodes, o.k, 1) + rounds(perNode, o.k, Math.min(o.m, perNode));
  }
  disputeS(P: number, o: OpmlConfig): number {
    const N = this.steps(P),
      vm = this.c.value("vmStepsPerSec");
    const trace = o.phases === 1 ? N / vm : N / this.nodes(P) / vm;
    return trace + 2 * this.disputeRounds(P, o) * this.t.moveSeconds + this.c.proveSeconds(o.m);
  }
  opDisputedS(P: number, o: OpmlConfig, windowH: number): number {
    return this.nativeS(P) + windowH * 3600 + this.disputeS(P, o);
  }
  opWorstS(P: number, windowH: number): number {
    return this.nativeS(P) + windowH * 3600 + 2 * this.t.clockH * 3600;
  }
  usd(gas: number): number {
    return gas * this.t.gasPriceGwei * 1e-9 * this.t.ethUsd;
  }
  opCostUsd(P: number, o: OpmlConfig, windowH: number): number {
    const claim = this.usd(this.c.value("claimGas"));
    const capital = this.t.claimBondEth * this.t.ethUsd * this.t.capitalRatePerYear * (windowH / (365 * 24));
    const checking = this.t.checkers * (this.nativeS(P) / 3600) * this.t.cpuUsdPerHour;
    const r = this.disputeRounds(P, o);
    const N = Math.ceil(this.steps(P));
    const phasesN =
      o.phases === 1
        ? [{ n: N, m: Math.min(o.m, N) }]
        : [
            { n: this.nodes(P), m: 1 },
            { n: Math.ceil(N / this.nodes(P)), m: Math.min(o.m, Math.ceil(N / this.nodes(P))) },
          ];
    const disputeGas =
      phasesN.reduce((s, ph) => {
        const g = pathGas(this.c, ph.n, o.k, ph.m);
        return s + g.claimerGas + g.challengerGas;
      }, 0) + this.c.arbitrationGas(o.m);
    const dispute = this.usd(disputeGas) + (this.c.proveSeconds(o.m) / 3600) * this.t.cpuUsdPerHour;
    return claim + capital + checking + this.t.disputeProbability * dispute;
  }
  zkCostUsd(i: number, P: number): number {
    const b = this.t.backends[i]!;
    return (
      (this.zkProveS(i, P) / 3600) * b.usdPerHour +
      this.usd(this.t.verifyGasBase + this.t.verifyGasPerInput * this.t.publicInputs)
    );
  }
}

export type Crossing = { P: number; where: "in grid" | "below grid" | "at floor" | "none" };
/**
 * Smallest P in [lo, hi] where f(P) ≥ g(P) (f, g increasing-ish), by a scan on a log grid then
 * bisection on log P. When f ≥ g already at lo, the curves crossed below the grid: the search
 * continues down to `floor` (default 1 parameter) instead of reporting the grid's edge, and says so
 * (`where`). NaN ("none") when f < g over the whole range.
 */
export function crossoverAt(
  f: (P: number) => number,
  g: (P: number) => number,
  lo: number,
  hi: number,
  floor = 1,
): Crossing {
  const h = (P: number) => f(P) - g(P);
  if (h(lo) >= 0) {
    if (h(floor) >= 0) return { P: floor, where: "at floor" };
    return { P: crossover(f, g, floor, lo), where: "below grid" };
  }
  const P = crossover(f, g, lo, hi);
  return { P, where: Number.isNaN(P) ? "none" : "in grid" };
}

/** crossoverAt restricted to [lo, hi]: lo when f ≥ g already at lo (callers that care use crossoverAt). */
export function crossover(f: (P: number) => number, g: (P: number) => number, lo: number, hi: number): number {
  const h = (P: number) => f(P) - g(P);
  if (h(lo) >= 0) return lo;
  const n = 400;
  let a = Math.log10(lo);
  const step = (Math.log10(hi) - a) / n;
  for (let i = 1; i <= n; i++) {
    const b = Math.log10(lo) + i * step;
    if (h(10 ** b) >= 0) {
      let x = a,
        y = b;
      for (let j = 0; j < 100; j++) {
        const mid = (x + y) / 2;
        if (h(10 ** mid) >= 0) y = mid;
        else x = mid;
      }
      return 10 ** y;
    }
    a = b;
  }
  return Number.NaN;
}
