/**
 * Measured constants for the models, read from the benchmarks' committed outputs
 * (bench/results/*.json, format `{ machine, results: BenchResult[] }`, written by scripts/bench.ts),
 * with clearly labelled, cited fallbacks when a result is not (yet) there.
 *
 * Every constant carries its provenance: `{ kind: "measured", file, name }` or
 * `{ kind: "cited", ref }`. The paper prints this provenance next to each value; nothing measured is
 * ever retyped here. Bench names looked up (first match wins, alternatives in `names`):
 *   game.move_gas.k=K      gas of one checkpoint move with K checkpoints (fitted to G0 + g*K)
 *   game.select_gas.k=K    gas of the challenger's "pick a segment" move (its Merkle opening of the
 *                          chosen checkpoints grows with ⌈log2(k+1)⌉: fitted to S0 + s1·⌈log2(k+1)⌉)
 *   game.select_gas        the same for one k when no series exists (then s1 is the cited default)
 *   game.open_gas          gas of opening a sub-game of the next phase (the phase link)
 *   game.claim_gas         gas of posting a claim
 *   game.onestep_gas / contracts.step_gas   on-chain one-step (m = 1) arbitration
 *   zk.groth16.verify_gas  on-chain Groth16 verification
 *   zk.groth16.prove_s.m=M Groth16 prove time for M steps (fitted to a + b*M)
 *   zk.constraints_per_step                 constraints of one RV32IM step
 *   zk.groth16.prove_rss_mb.m=M            Groth16 prove peak memory for M steps (fitted to a + b*M)
 *   vm.steps_per_s         raw VM execution speed (no state roots)
 *   vm.steps_per_s.checkpoint_2^16          VM speed while hashing a state root every 2^16 steps: what
 *                          a dispute needs (both parties must produce roots), used for trace times
 *   mnist_vm_steps_per_image  VM steps of one MNIST inference (int8 MLP 784-64-10, 50,890 parameters)
 *                          -> stepsPerParamInt8, VM steps per parameter of an int8 model
 *   stories_vm_steps_per_token  VM steps of one stories260K token (LLaMA-2 architecture, float32)
 *                          -> stepsPerParam, VM steps per parameter of a float32 LLaMA-architecture model
 *                          (parameter count from the checkpoint's header, ml/models/stories/data)
 * bench/results/all.json is the bench runner's merged summary of the per-bench files: it is never
 * read (reading it would count every result twice). Within the per-bench files the first file (by
 * name) that has a result wins, and a series (k=…, m=…) keeps one point per x.
 * Pitfall: a partial set of move-gas points (e.g. only k = 1) cannot fit two parameters; then the
 * slope falls back to the cited default and the provenance says so. The prove-time line is fitted
 * through every measured m; `mMeasuredMax` is the largest m measured, and every use of proveSeconds
 * beyond it is an extrapolation (callers label it).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { BenchFileError } from "./errors.ts";
import { loadCheckpoint } from "../ml/models/stories/checkpoint.ts";

export type Source = { kind: "measured"; file: string; name: string } | { kind: "cited"; ref: string };
export type Constant = { key: string; value: number; unit: string; desc: string; source: Source };
export type BenchResult = {
  name: string;
  compares: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  notes?: string;
};
export type Found = BenchResult & { file: string };

export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
export const DEFAULT_BENCH_DIR = join(REPO_ROOT, "bench", "results");
/** Result-name prefix of the table circuit's proving figures (bench/results/zk-prove.json, zk/circuits/mem/bench.ts). */
export const TABLE_PROVE_PREFIX = "zk.prove.rv32im_mem.groth16.";

export const MNIST_PARAMS = 784 * 64 + 64 + 64 * 10 + 10;
/**
 * Parameters of stories260K from its checkpoint header (weights only: the RoPE tables are not
 * parameters, and the classifier shares the embedding). null when the data file is absent.
 */
export function storiesParams(): number | null {
  let ck;
  try {
    ck = loadCheckpoint();
  } catch {
    return null;
  }
  const { dim, hiddenDim, nLayers, vocabSize, sharedClassifier } = ck.config;
  const kv = ck.kvDim;
  return (
    vocabSize * dim +
    nLayers * (2 * dim + 2 * dim * dim + 2 * kv * dim + 3 * hiddenDim * dim) +
    dim +
    (sharedClassifier ? 0 : vocabSize * dim)
  );
}
const FACTS = "FACTS.md (/work/shared/FACTS.md, measured on this machine kind, 2026-11-25)";

/** Cited fallbacks. Each `ref` says where the number comes from. */
const FALLBACK: Record<string, { value: number; unit: string; desc: string; ref: string }> = {
  moveBaseGas: {
    value: 60_000,
    unit: "gas",
    desc: "checkpoint move, fixed part G0",
    ref: "estimate from the EVM gas schedule: 21,000 tx base + ~2 SSTORE updates (2 x 5,000) + clock/bookkeeping (~29,000); not measured",
  },
  movePerCheckpointGas: {
    value: 1_000,
    unit: "gas",
    desc: "checkpoint move, per checkpoint g",
    ref: "estimate: 32 B calldata at 16 gas/B (EIP-2028) = 512, LOG data 8 gas/B = 256, hashing/memory ~232; not measured",
  },
  selectGas: {
    value: 50_000,
    unit: "gas",
    desc: "challenger's segment selection, fixed part S0",
    ref: "estimate: 21,000 tx base + 1 SSTORE update + clock bookkeeping; not measured",
  },
  selectPerLevelGas: {
    value: 700,
    unit: "gas",
    desc: "segment selection, per level of the checkpoint Merkle opening s1",
    ref: "estimate: 32 B proof calldata at 16 gas/B (512) + keccak256 of 64 B (42) + loop/memory; not measured",
  },
  linkGas: {
    value: 140_000,
    unit: "gas",
    desc: "opening a sub-game of the next phase (phase link)",
    ref: "estimate: 21,000 tx base + two Merkle openings of the inner roots (~2 KB calldata at 16 gas/B) + ~4 new storage slots (4 x 22,100); not measured",
  },
  claimGas: {
    value: 150_000,
    unit: "gas",
    desc: "posting a claim with its bond",
    ref: "estimate: 21,000 tx base + ~5 new storage slots (5 x 22,100) + event; not measured",
  },
  oneStepGas: {
    value: 1_400_000,
    unit: "gas",
    desc: "on-chain one-step RV32IM arbitration (m = 1)",
    ref: `${FACTS}: one on-chain RV32IM step with fetch and memory write is on the order of 1.2-1.6M gas (midpoint)`,
  },
  groth16VerifyGas: {
    value: 220_000,
    unit: "gas",
    desc: "on-chain Groth16 verification",
    ref: `${FACTS}: verifying a Groth16 proof on chain ≈ 220k gas`,
  },
  proveSecondsPerConstraint: {
    value: 7 / 61_620,
    unit: "s/constraint",
    desc: "snarkjs Groth16 prove time per constraint",
    ref: `${FACTS}: snarkjs Groth16, 61,620 constraints, prove 6.6-7.0 s (7 s / 61,620)`,
  },
  constraintsPerStep: {
    value: 10_000,
    unit: "constraints",
    desc: "constraints of one RV32IM step in the m-step circuit",
    ref: "zkfp issue 5 target (≤ 10k constraints per step); a target, not a measurement",
  },
  proveFixedSeconds: {
    value: 0,
    unit: "s",
    desc: "fixed part a of prove time a + b*m",
    ref: "assumed 0 when no measured prove times exist (linear in constraints)",
  },
  stepsPerParamInt8: {
    value: 6,
    unit: "steps/param",
    desc: "VM steps per parameter and inference, int8 MLP (MNIST)",
    ref: "estimate: one multiply-accumulate per parameter, ~6 RV32IM instructions per int8 MAC in a C loop (2 loads, mul, add, 2 loop); not measured",
  },
  stepsPerParam: {
    value: 200,
    unit: "steps/param",
    desc: "VM steps per parameter and token, float32 LLaMA architecture (stories260K)",
    ref: "zkfp issue 17: stories260K measures 52.9M steps per token, ≈ 200 per parameter (used only when bench/results lacks stories_vm_steps_per_token)",
  },
  vmStepsPerSecRaw: {
    value: 1.5e9,
    unit: "steps/s",
    desc: "VM execution speed without state roots",
    ref: `${FACTS}: qemu-riscv32 runs 117.8M instructions in 0.077 s (≈ 1.5G instructions/s)`,
  },
  vmStepsPerSec: {
    value: 1.18e7,
    unit: "steps/s",
    desc: "VM speed with a state root every 2^16 steps (dispute trace)",
    ref: "zkfp issue 17: the VM bench measured 1.18e7 steps/s with a root every 2^16 steps (used only when bench/results lacks it)",
  },
  proveRssMbPerStep: {
    value: 0,
    unit: "MB/step",
    desc: "Groth16 prove peak memory per step (slope)",
    ref: "no measured prove memory",
  },
  proveRssMbFixed: {
    value: 0,
    unit: "MB",
    desc: "Groth16 prove peak memory, fixed part",
    ref: "no measured prove memory",
  },
  mMeasuredMax: {
    value: 0,
    unit: "steps",
    desc: "largest m with a measured Groth16 prove time",
    ref: "no measured prove time",
  },
};

export type Constants = {
  list: Constant[];
  get(key: string): Constant;
  value(key: string): number;
  /** Gas of one checkpoint move with k checkpoints. */
  moveGas(k: number): number;
  /** Gas of the challenger's selection in a game with k checkpoints per move. */
  selectGas(k: number): number;
  /** Arbitration gas for an interval of m steps: one-step for m = 1, Groth16 verify otherwise. */
  arbitrationGas(m: number): number;
  /** Groth16 prove seconds for m steps. */
  proveSeconds(m: number): number;
  benchFiles: string[];
  /** Every bench result read (and calibration entries), for cross-checks against totals. */
  raw: Found[];
  /** Measured Groth16 prove times (one per m), ascending in m; `prefix` names the series (its other fields: `${prefix}constraints.m=`, ...). */
  provePoints: { m: number; seconds: number; file: string; prefix: string }[];
  /** True when m ≤ the largest measured m (m = 1 needs no proof: always true). */
  measuredM(m: number): boolean;
  /** Same constants with some values replaced (sensitivity analysis); provenance marked "varied". */
  withValues(over: Record<string, number>): Constants;
};

/**
 * The universal-setup benchmark (zk/prover/universal.bench.ts) writes one row per measured run
 * (`{backend, circuit, m, setupSeconds, proveSeconds, verifyGasTx, maxRssMB, proofBytes}`) or gate
 * count (`{circuit, m, constraints, plonkGates}`); each measured field becomes a result named
 * `zk.universal.<circuit>.<backend>.<field>.m=<m>` (gate rows: backend `gates`), apart from zk.json's names.
 */
function universalRows(rows: unknown[], rel: string): BenchResult[] {
  const fields: [string, string, string][] = [
    ["setupSeconds", "setup_s", "s"],
    ["proveSeconds", "prove_s", "s"],
    ["verifyGasTx", "verify_gas", "gas"],
    ["maxRssMB", "prove_rss_mb", "MB"],
    ["proofBytes", "proof_bytes", "bytes"],
    ["constraints", "constraints", "constraints"],
    ["plonkGates", "plonk_gates", "gates"],
  ];
  const out: BenchResult[] = [];
  for (const [i, r] of rows.entries()) {
    const row = r as Record<string, unknown>;
    // a failed step (its error and what stopped it) carries no figures, and not always circuit and m
    if (row.error !== undefined) continue;
    if (typeof row.circuit !== "string" || typeof row.m !== "number")
      throw new BenchFileError(`bench file ${rel}: rows[${i}] needs circuit and m`, { file: rel, index: i });
    const backend = typeof row.backend === "string" ? row.backend : "gates";
    for (const [key, short, unit] of fields) {
      const v = row[key];
      if (typeof v === "number" && Number.isFinite(v))
        out.push({
          name: `zk.universal.${row.circuit}.${backend}.${short}.m=${row.m}`,
          value: v,
          unit,
          compares: String(row.step ?? ""),
        });
    }
  }
  return out;
}

export function readBenchResults(dir: string = DEFAULT_BENCH_DIR): Found[] {
  if (!existsSync(dir)) return [];
  const out: Found[] = [];
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith(".json"))
    .sort()) {
    const path = join(dir, f);
    const rel = relative(REPO_ROOT, path);
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(path, "utf8"));
    } catch (e) {
      throw new BenchFileError(`bench file ${rel} is not JSON`, { file: rel, cause: String(e) });
    }
    const rows = (doc as { rows?: unknown }).rows;
    const results =
      (doc as { results?: unknown }).results ?? (Array.isArray(rows) ? universalRows(rows, rel) : undefined);
    if (!Array.isArray(results)) throw new BenchFileError(`bench file ${rel} has no results array`, { file: rel });
    for (const [i, r] of results.entries()) {
      const rr = r as Partial<BenchResult>;
      if (
        typeof rr.name !== "string" ||
        typeof rr.value !== "number" ||
        !Number.isFinite(rr.value) ||
        typeof rr.unit !== "string"
      )
        throw new BenchFileError(`bench file ${rel}: results[${i}] needs name, finite value and unit`, {
          file: rel,
          index: i,
          value: r,
        });
      out.push({ ...(rr as BenchResult), file: rel });
    }
  }
  return out;
}

/** Least-squares line y = a + b x. */
function fitLine(pts: { x: number; y: number }[]): { a: number; b: number } {
  const n = pts.length;
  const mx = pts.reduce((s, p) => s + p.x, 0) / n,
    my = pts.reduce((s, p) => s + p.y, 0) / n;
  const sxx = pts.reduce((s, p) => s + (p.x - mx) ** 2, 0),
    sxy = pts.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const b = sxx === 0 ? 0 : sxy / sxx;
  return { a: my - b * mx, b };
}

/**
 * `extra` (e.g. an anvil calibration written by papers/build.ts) fills names the bench files lack;
 * committed bench results always win.
 */
export function loadConstants(
  dir: string = DEFAULT_BENCH_DIR,
  extra: { file: string; results: BenchResult[] } | null = null,
): Constants {
  const found = readBenchResults(dir).filter((r) => !r.file.endsWith("all.json"));
  if (extra) {
    const have = new Set(found.map((r) => r.name));
    const prefixes = ["game.move_gas.k=", "game.select_gas.k="].filter((p) => found.some((r) => r.name.startsWith(p)));
    for (const r of extra.results)
      if (!have.has(r.name) && !prefixes.some((p) => r.name.startsWith(p))) found.push({ ...r, file: extra.file });
  }
  const byName = new Map<string, Found>();
  for (const r of found) if (!byName.has(r.name)) byName.set(r.name, r);
  const list: Constant[] = [];
  const cited = (key: string): Constant => {
    const f = FALLBACK[key]!;
    return { key, value: f.value, unit: f.unit, desc: f.desc, source: { kind: "cited", ref: f.ref } };
  };
  const measured = (key: string, names: string[], desc: string): Constant => {
    for (const n of names) {
      const r = byName.get(n);
      if (r)
        return { key, value: r.value, unit: r.unit, desc, source: { kind: "measured", file: r.file, name: r.name } };
    }
    return cited(key);
  };
  // One point per x: the same name in two files (or twice in one) is one measurement, not two.
  const series = (prefix: string) =>
    [...byName.values()]
      .filter((r) => r.name.startsWith(prefix))
      .map((r) => ({ x: Number(r.name.slice(prefix.length)), y: r.value, r }))
      .filter((p) => Number.isFinite(p.x))
      .sort((a, b) => a.x - b.x);

  // Move gas G0 + g*k: fit when >= 2 distinct k were measured.
  const mv = series("game.move_gas.k=");
  if (new Set(mv.map((p) => p.x)).size >= 2) {
    const { a, b } = fitLine(mv);
    const src: Source = {
      kind: "measured",
      file: mv[0]!.r.file,
      name: `fit of game.move_gas.k={${mv.map((p) => p.x).join(",")}}`,
    };
    list.push({ key: "moveBaseGas", value: a, unit: "gas", desc: FALLBACK.moveBaseGas!.desc, source: src });
    list.push({
      key: "movePerCheckpointGas",
      value: b,
      unit: "gas",
      desc: FALLBACK.movePerCheckpointGas!.desc,
      source: src,
    });
  } else {
    list.push(cited("moveBaseGas"), cited("movePerCheckpointGas"));
  }
  const sv = series("game.select_gas.k=").map((p) => ({ ...p, x: Math.ceil(Math.log2(p.x + 1)) }));
  if (new Set(sv.map((p) => p.x)).size >= 2) {
    const { a, b } = fitLine(sv);
    const src: Source = {
      kind: "measured",
      file: sv[0]!.r.file,
      name: `fit of game.select_gas.k={${sv.map((p) => p.r.name.split("=")[1]).join(",")}} over ⌈log2(k+1)⌉`,
    };
    list.push({ key: "selectGas", value: a, unit: "gas", desc: FALLBACK.selectGas!.desc, source: src });
    list.push({ key: "selectPerLevelGas", value: b, unit: "gas", desc: FALLBACK.selectPerLevelGas!.desc, source: src });
  } else {
    list.push(measured("selectGas", ["game.select_gas"], FALLBACK.selectGas!.desc), cited("selectPerLevelGas"));
  }
  list.push(measured("claimGas", ["game.claim_gas"], FALLBACK.claimGas!.desc));
  list.push(measured("linkGas", ["game.open_gas"], FALLBACK.linkGas!.desc));
  list.push(
    measured("oneStepGas", ["game.onestep_gas", "contracts.step_gas", "rv32im.step_gas"], FALLBACK.oneStepGas!.desc),
  );
  list.push(measured("groth16VerifyGas", ["zk.groth16.verify_gas"], FALLBACK.groth16VerifyGas!.desc));
  list.push(measured("constraintsPerStep", ["zk.constraints_per_step"], FALLBACK.constraintsPerStep!.desc));
  list.push(measured("vmStepsPerSecRaw", ["vm.steps_per_s"], FALLBACK.vmStepsPerSecRaw!.desc));
  list.push(measured("vmStepsPerSec", ["vm.steps_per_s.checkpoint_2^16"], FALLBACK.vmStepsPerSec!.desc));
  const mn = byName.get("mnist_vm_steps_per_image");
  // 784·64 + 64 + 64·10 + 10 = 50,890 parameters: arithmetic of the bench's stated architecture.
  list.push(
    mn
      ? {
          key: "stepsPerParamInt8",
          value: mn.value / MNIST_PARAMS,
          unit: "steps/param",
          desc: FALLBACK.stepsPerParamInt8!.desc,
          source: {
            kind: "measured",
            file: mn.file,
            name: `mnist_vm_steps_per_image / ${MNIST_PARAMS} parameters (784-64-10 MLP)`,
          },
        }
      : cited("stepsPerParamInt8"),
  );
  const st = byName.get("stories_vm_steps_per_token"),
    sp = st ? storiesParams() : null;
  list.push(
    st && sp
      ? {
          key: "stepsPerParam",
          value: st.value / sp,
          unit: "steps/param",
          desc: FALLBACK.stepsPerParam!.desc,
          source: {
            kind: "measured",
            file: st.file,
            name: `stories_vm_steps_per_token / ${sp} parameters (stories260K checkpoint header)`,
          },
        }
      : cited("stepsPerParam"),
  );

  // Prove time a + b*m: least squares through every measured m (>= 2 distinct), else constraints * s/constraint.
  // The table circuit RvStepsMem (zk/circuits/mem/bench.ts -> zk-prove.json, m = 16..64) when it has
  // two measured m, else RvSteps (zk.bench.ts -> zk.json, m = 1, 2).
  const tablePv = series(`${TABLE_PROVE_PREFIX}prove_s.m=`);
  const proveCircuit = tablePv.length >= 2 ? TABLE_PROVE_PREFIX : "zk.groth16.";
  const pv = tablePv.length >= 2 ? tablePv : series("zk.groth16.prove_s.m=");
  if (pv.length >= 2) {
    const { a, b } = fitLine(pv);
    const src: Source = {
      kind: "measured",
      file: pv[0]!.r.file,
      name: `least-squares fit of ${proveCircuit}prove_s.m={${pv.map((p) => p.x).join(",")}}`,
    };
    list.push({
      key: "proveFixedSeconds",
      value: Math.max(0, a),
      unit: "s",
      desc: FALLBACK.proveFixedSeconds!.desc,
      source: src,
    });
    list.push({
      key: "proveSecondsPerStep",
      value: b,
      unit: "s/step",
      desc: "Groth16 prove time per step b",
      source: src,
    });
    list.push({
      key: "mMeasuredMax",
      value: pv[pv.length - 1]!.x,
      unit: "steps",
      desc: FALLBACK.mMeasuredMax!.desc,
      source: { kind: "measured", file: pv[0]!.r.file, name: `largest m of ${proveCircuit}prove_s.m=*` },
    });
  } else {
    const spc = cited("proveSecondsPerConstraint");
    list.push(spc, cited("proveFixedSeconds"));
    const cps = list.find((c) => c.key === "constraintsPerStep")!;
    list.push({
      key: "proveSecondsPerStep",
      value: spc.value * cps.value,
      unit: "s/step",
      desc: "Groth16 prove time per step b",
      source: {
        kind: "cited",
        ref: `derived: proveSecondsPerConstraint x constraintsPerStep (${cps.source.kind === "measured" ? "measured " + cps.source.file : "cited"})`,
      },
    });
    list.push(
      pv.length === 1
        ? {
            key: "mMeasuredMax",
            value: pv[0]!.x,
            unit: "steps",
            desc: FALLBACK.mMeasuredMax!.desc,
            source: { kind: "measured", file: pv[0]!.r.file, name: pv[0]!.r.name },
          }
        : cited("mMeasuredMax"),
    );
  }
  const rv = series(`${proveCircuit}prove_rss_mb.m=`);
  if (rv.length >= 2) {
    const { a, b } = fitLine(rv);
    const src: Source = {
      kind: "measured",
      file: rv[0]!.r.file,
      name: `least-squares fit of ${proveCircuit}prove_rss_mb.m={${rv.map((p) => p.x).join(",")}}`,
    };
    list.push({ key: "proveRssMbFixed", value: a, unit: "MB", desc: FALLBACK.proveRssMbFixed!.desc, source: src });
    list.push({
      key: "proveRssMbPerStep",
      value: b,
      unit: "MB/step",
      desc: FALLBACK.proveRssMbPerStep!.desc,
      source: src,
    });
  } else list.push(cited("proveRssMbFixed"), cited("proveRssMbPerStep"));
  // Every measured prove point, for the paper's fit table and the "measured m" marks.
  const provePoints = pv.map((p) => ({ m: p.x, seconds: p.y, file: p.r.file, prefix: proveCircuit }));

  return assemble(list, [...new Set(found.map((r) => r.file))], found, provePoints);
}

function assemble(
  list: Constant[],
  benchFiles: string[],
  found: Found[],
  provePoints: Constants["provePoints"],
): Constants {
  const map = new Map(list.map((c) => [c.key, c]));
  const get = (key: string): Constant => {
    const c = map.get(key);
    if (!c) throw new BenchFileError(`no constant ${key}`, { key });
    return c;
  };
  const value = (key: string) => get(key).value;
  return {
    list,
    get,
    value,
    provePoints,
    measuredM: (m) => m <= 1 || m <= value("mMeasuredMax"),
    withValues: (over) => {
      for (const k of Object.keys(over)) get(k);
      return assemble(
        list.map((c) =>
          c.key in over
            ? {
                ...c,
                value: over[c.key]!,
                source: { kind: "cited", ref: `varied from ${c.value} for a sensitivity run` },
              }
            : c,
        ),
        benchFiles,
        found,
        provePoints,
      );
    },
    moveGas: (k) => value("moveBaseGas") + value("movePerCheckpointGas") * k,
    selectGas: (k) => value("selectGas") + value("selectPerLevelGas") * Math.ceil(Math.log2(k + 1)),
    arbitrationGas: (m) => (m <= 1 ? value("oneStepGas") : value("groth16VerifyGas")),
    proveSeconds: (m) => (m <= 1 ? 0 : value("proveFixedSeconds") + value("proveSecondsPerStep") * m),
    benchFiles,
    raw: found,
  };
}

export function describeSource(s: Source): string {
  return s.kind === "measured" ? `measured in this repo: \`${s.file}\` (${s.name})` : `cited: ${s.ref}`;
}
