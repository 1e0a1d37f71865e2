/**
 * Runs the opML-vs-zkML timing and cost model (sims/timing/model.ts) over a log grid of model sizes
 * from a typed config (sims/configs/timing.json). The sweep is a closed-form evaluation (cheap,
 * inline); its outputs are long-format tables for the figures, the crossover table and the
 * opML-vs-zkML comparison at named model sizes.
 */
import { compile } from "mathjs";
import { arr, bool, expandLog, int, logGrid, nonneg, obj, oneOf, opt, pos, prob, str, type Spec } from "../schema.ts";
import { SimConfigError } from "../errors.ts";
import type { Constants } from "../constants.ts";
import type { Table } from "../csv.ts";
import type { SimOutput } from "../economics/run.ts";
import { crossoverAt, TimingModel, type Backend, type OpmlConfig } from "./model.ts";

/** A positive number or the given keyword (e.g. "measured": take the value from sims/constants.ts). */
function oneOfOrPos(word: string): Spec<number | string> {
  const n = pos();
  return (v, p) =>
    v === word
      ? word
      : typeof v === "number"
        ? n(v, p)
        : (() => {
            throw new SimConfigError(p, `expected a positive number or "${word}"`, v);
          })();
}

const backendSpec = obj({
  name: str(),
  expr: str(),
  hardware: str(),
  usdPerHour: nonneg(),
  source: str(),
  verified: bool(),
  measuredRange: arr(pos(), { minLen: 2, maxLen: 2 }),
});
const baseSpec = obj({
  kind: oneOf("timing"),
  seed: opt(int(0, 2 ** 32 - 1), 1),
  threads: opt(int(1, 64), 1),
  params: logGrid(),
  namedModels: arr(obj({ name: str(), P: pos(), steps: oneOf("int8", "f32") }), { minLen: 1 }),
  workload: obj({
    stepsPerParam: oneOfOrPos("measured"),
    graphNodes: str(),
    nativeFlopsPerS: pos(),
    flopsPerParam: pos(),
  }),
  opml: obj({
    windowsH: arr(pos(), { minLen: 1 }),
    moveSeconds: pos(),
    clockH: pos(),
    configs: arr(obj({ k: int(1, 4096), m: int(1, 2 ** 30), phases: int(1, 2) }), { minLen: 1 }),
    claimBondEth: nonneg(),
    capitalRatePerYear: nonneg(),
    checkers: int(0, 1000),
    disputeProbability: prob(),
  }),
  zkml: obj({
    backends: arr(backendSpec, { minLen: 1 }),
    publicInputs: int(0, 1000),
    verifyGasBase: pos(),
    verifyGasPerInput: nonneg(),
    verifyGasSource: str(),
  }),
  prices: obj({ gasPriceGwei: pos(), ethUsd: pos(), cpuUsdPerHour: nonneg() }),
});
export type TimingConfig = ReturnType<typeof baseSpec>;

/** Validates the schema, then that every expression parses and yields a positive number. */
export function timingSpec(v: unknown, p: string): TimingConfig {
  const cfg = baseSpec(v, p);
  const probe = { P: 1e6, N: 6e6, proveSecondsPerStep: 1, vmStepsPerSec: 1e6 };
  const tryExpr = (field: string, expr: string) => {
    let val: unknown;
    try {
      val = compile(expr).evaluate({ ...probe });
    } catch (e) {
      throw new SimConfigError(field, `bad expression: ${(e as Error).message}`, expr);
    }
    if (typeof val !== "number" || !Number.isFinite(val) || val <= 0)
      throw new SimConfigError(
        field,
        "expression must give a positive number at P = 1e6 (variables: P, N, proveSecondsPerStep, vmStepsPerSec)",
        expr,
      );
  };
  tryExpr("workload.graphNodes", cfg.workload.graphNodes);
  cfg.zkml.backends.forEach((b, i) => tryExpr(`zkml.backends[${i}].expr`, b.expr));
  cfg.opml.configs.forEach((o, i) => {
    if (o.phases !== 1 && o.phases !== 2)
      throw new SimConfigError(`opml.configs[${i}].phases`, "must be 1 or 2", o.phases);
  });
  return cfg;
}

export const label = (o: OpmlConfig) => `opML disputed k=${o.k} m=${o.m} ${o.phases}-phase`;

/**
 * VM steps per parameter of the sweep: the config's number, or for "measured" the float32
 * LLaMA-architecture constant (stories260K): the sweep reaches LLM sizes, where the int8 MLP
 * figure would understate the trace ~25x.
 */
export function stepsPerParam(cfg: TimingConfig, c: Constants): number {
  const s = cfg.workload.stepsPerParam;
  return typeof s === "number" ? s : c.value("stepsPerParam");
}
/** Steps per parameter of a named model: its architecture's measured constant. */
export function namedStepsPerParam(steps: "int8" | "f32", c: Constants): number {
  return steps === "int8" ? c.value("stepsPerParamInt8") : c.value("stepsPerParam");
}

export function buildModel(cfg: TimingConfig, c: Constants, spp?: number): TimingModel {
  return new TimingModel(c, {
    ...cfg.workload,
    stepsPerParam: spp ?? stepsPerParam(cfg, c),
    ...cfg.opml,
    configs: cfg.opml.configs as OpmlConfig[],
    backends: cfg.zkml.backends.map((b) => ({
      ...b,
      measuredRange: [b.measuredRange[0]!, b.measuredRange[1]!] as [number, number],
    })) as Backend[],
    publicInputs: cfg.zkml.publicInputs,
    verifyGasBase: cfg.zkml.verifyGasBase,
    verifyGasPerInput: cfg.zkml.verifyGasPerInput,
    ...cfg.prices,
  });
}

export async function runTiming(
  cfg: TimingConfig,
  c: Constants,
  opts: { seed: number; onProgress?: (d: number, t: number) => void },
): Promise<SimOutput> {
  const M = buildModel(cfg, c);
  const Ps = expandLog(cfg.params);
  const W = cfg.opml.windowsH;
  const wMid = W[Math.floor(W.length / 2)]!;
  const configs = cfg.opml.configs as OpmlConfig[];
  const B = cfg.zkml.backends;
  const rows: Table["rows"] = [];
  Ps.forEach((P, i) => {
    for (const w of W)
      rows.push({
        P,
        series: `opML undisputed W=${w}h`,
        family: "opML",
        finality_s: M.opUndisputedS(P, w),
        cost_usd: M.opCostUsd(P, configs[configs.length - 1]!, w),
        rounds: 0,
      });
    for (const o of configs)
      rows.push({
        P,
        series: label(o),
        family: "opML disputed",
        finality_s: M.opDisputedS(P, o, wMid),
        dispute_s: M.disputeS(P, o),
        cost_usd: M.opCostUsd(P, o, wMid),
        rounds: M.disputeRounds(P, o),
        prove_measured: c.measuredM(o.m),
      });
    rows.push({
      P,
      series: `opML worst case (W=${wMid}h + both clocks of ${cfg.opml.clockH}h)`,
      family: "opML disputed",
      finality_s: M.opWorstS(P, wMid),
      cost_usd: null,
      rounds: null,
    });
    B.forEach((b, bi) =>
      rows.push({
        P,
        series: `zkML ${b.name}`,
        family: "zkML",
        finality_s: M.zkFinalityS(bi, P),
        cost_usd: M.zkCostUsd(bi, P),
        rounds: null,
        in_measured_range: P >= b.measuredRange[0]! && P <= b.measuredRange[1]!,
      }),
    );
    opts.onProgress?.(i + 1, Ps.length);
  });
  const lo = Ps[0]!,
    hi = Ps[Ps.length - 1]!;
  const xRows: Table["rows"] = [];
  const summary: SimOutput["summary"] = {};
  B.forEach((b, bi) => {
    const range = (P: number) =>
      Number.isNaN(P)
        ? ""
        : P >= b.measuredRange[0]! && P <= b.measuredRange[1]!
          ? "at the source's data"
          : "extrapolated";
    for (const w of W) {
      const x = crossoverAt(
        (P) => M.zkFinalityS(bi, P),
        (P) => M.opUndisputedS(P, w),
        lo,
        hi,
      );
      xRows.push({
        backend: b.name,
        window_h: w,
        versus: "opML undisputed",
        P_star: x.P,
        where: x.where,
        basis: range(x.P),
        zk_prove_s_at_P_star: Number.isNaN(x.P) ? null : M.zkProveS(bi, x.P),
      });
      summary[`crossover.${b.name}.W=${w}h`] = x.P;
      summary[`crossover.${b.name}.W=${w}h.where`] = x.where;
    }
    for (const w of W)
      for (const o of configs) {
        const x = crossoverAt(
          (P) => M.zkFinalityS(bi, P),
          (P) => M.opDisputedS(P, o, w),
          lo,
          hi,
        );
        xRows.push({
          backend: b.name,
          window_h: w,
          versus: label(o),
          P_star: x.P,
          where: x.where,
          basis: range(x.P),
          zk_prove_s_at_P_star: Number.isNaN(x.P) ? null : M.zkProveS(bi, x.P),
        });
        summary[`crossover.${b.name}.W=${w}h.disputed.k=${o.k}.m=${o.m}.ph=${o.phases}`] = x.P;
      }
  });
  const cmp: Table["rows"] = [];
  for (const nm of cfg.namedModels) {
    const P = nm.P;
    const M = buildModel(cfg, c, namedStepsPerParam(nm.steps as "int8" | "f32", c));
    const best = [...configs].sort((a, b) => M.disputeS(P, a) - M.disputeS(P, b))[0]!;
    cmp.push({
      model: nm.name,
      P,
      system: `opML (W=${wMid}h, undisputed)`,
      finality_s: M.opUndisputedS(P, wMid),
      cost_usd: M.opCostUsd(P, best, wMid),
      notes: `${M.steps(P).toExponential(2)} VM steps`,
    });
    cmp.push({
      model: nm.name,
      P,
      system: `opML disputed (best: k=${best.k}, m=${best.m}, ${best.phases}-phase)`,
      finality_s: M.opDisputedS(P, best, wMid),
      cost_usd: null,
      notes: `${M.disputeRounds(P, best)} rounds, dispute ${Math.round(M.disputeS(P, best))} s`,
    });
    B.forEach((b, bi) =>
      cmp.push({
        model: nm.name,
        P,
        system: `zkML ${b.name}`,
        finality_s: M.zkFinalityS(bi, P),
        cost_usd: M.zkCostUsd(bi, P),
        notes: !b.verified
          ? "fit and its range not checked against the source"
          : P >= b.measuredRange[0]! && P <= b.measuredRange[1]!
            ? "at the published data point"
            : "extrapolated",
      }),
    );
  }
  const tables: Table[] = [
    {
      name: "timing_curves",
      columns: ["P", "series", "family", "finality_s", "dispute_s", "cost_usd", "rounds", "in_measured_range"],
      rows,
    },
    {
      name: "timing_crossovers",
      columns: ["backend", "window_h", "versus", "P_star", "where", "basis", "zk_prove_s_at_P_star"],
      rows: xRows,
    },
    { name: "timing_comparison", columns: ["model", "P", "system", "finality_s", "cost_usd", "notes"], rows: cmp },
    {
      name: "timing_backends",
      columns: ["name", "expr", "hardware", "usdPerHour", "source", "verified", "range_from", "range_to"],
      rows: B.map((b) => ({
        name: b.name,
        expr: b.expr,
        hardware: b.hardware,
        usdPerHour: b.usdPerHour,
        source: b.source,
        verified: b.verified,
        range_from: b.measuredRange[0]!,
        range_to: b.measuredRange[1]!,
      })),
    },
  ];
  summary["window_mid_h"] = wMid;
  for (const nm of cfg.namedModels) {
    const Mn = buildModel(cfg, c, namedStepsPerParam(nm.steps as "int8" | "f32", c));
    for (const o of configs) summary[`dispute_s.${nm.name}.k=${o.k}.m=${o.m}.ph=${o.phases}`] = Mn.disputeS(nm.P, o);
    summary[`steps.${nm.name}`] = Mn.steps(nm.P);
  }
  summary["stepsPerParam.sweep"] = stepsPerParam(cfg, c);
  return { tables, checks: [], summary, json: { kind: "timing", seed: opts.seed, summary } };
}
