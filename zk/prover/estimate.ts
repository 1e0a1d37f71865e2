/**
 * Cost model of a zk request, shown BEFORE any long step runs: circuit size (constraints, PLONK
 * gates, ptau power), seconds per step (circom compile, dev ptau, setup, witness, prove) and peak
 * memory / file sizes, with what the cache already holds subtracted. Also the refusal of huge
 * requests (`confirmLarge`, the CLI's `--yes`) and the choice of the demo's last leaf (leaf.ts).
 *
 * The constants are straight-line fits to the numbers measured on this project's machine kind (2
 * cores shared with other jobs, load 4–14), so they are what a user of such a machine sees, within
 * about 2x either way with the load (the measurements themselves spread that much):
 *   constraints   RvSteps(m) = 18,694 + 12,880 m (m = 1, 2, 4, 8, 16: exact; zk/CONSTRAINTS.md);
 *                 CounterChain(m) = 240 (m + 1) (testdata/counter_chain.circom, --O2)
 *   PLONK gates   RvSteps(m) ≈ 207,124 + 269,417 m (m = 1, 2, 4; bench/results/zk-universal.json);
 *                 counter ≈ 8 x constraints (m = 2 needs 2^13)
 *   compile       3 s + 2.5 ms per constraint (RvSteps m = 1..16: 96–547 s wall, CONSTRAINTS.md)
 *   dev ptau      5 s + 1.07 ms x 2^power (zk/README.md, since the fixed-base workers: 2^13 19 s,
 *                 2^19 564 s wall / 217 s cpu, 2^20 1089 s / 424 s cpu, at load ≈ 11); file 1,152
 *                 bytes x 2^power; peak 300 MB + 2.5 kB x 2^power (1.59 / 2.47 GB at 2^19 / 2^20)
 *   Groth16 setup 10 s + 12 ms per constraint (zkey new + one contribution: m = 1 740 s, m = 2
 *                 642–910 s with compile and ptau, 61.6k 100 s on a quiet machine, counter m = 2
 *                 24 s; bench/results/zk*.json, FACTS.md, issue 13); peak
 *                 100 MB + 11 kB per constraint (439 / 576 / 664 MB at 31.6k / 44.5k / 61.6k);
 *                 zkey 1,000 bytes per constraint (27.6 MB / 44.9 MB)
 *   PLONK setup   1.8 ms x 2^power (counter 2^13: 14.9 s, 217 MB, 13.5 MB zkey); peak 200 MB +
 *                 6 kB x 2^power; zkey 1,650 bytes x 2^power
 *   prove         Groth16 1 s + 0.25 ms per constraint, witness about a fifth of it (10.4 s at
 *                 31.6k, 11.7 s at 44.5k, 0.9 s counter); PLONK 1.1 ms x 2^power (8.7 s at 2^13);
 *                 peak as the setup's
 * Check (not used in the fit): `zkfp prove --circuit counter --steps 40` on an empty cache at load
 * ≈ 18: estimate 4m51s (compile 28 s, dev ptau 2^14 132 s, setup 128 s, prove 3.5 s), measured
 * 4m48s wall (17 s, 128 s, 104 + 25 s, 8.6 s), peak RSS 690 MB vs ~613 MB estimated.
 */
import { existsSync } from "node:fs";
import { ZkfpError } from "../../vm/errors.ts";
import { devPtauPath } from "../setup/devptau.ts";
import { fmtSeconds } from "../../cli/progress.ts";
import type { CircuitId } from "./circuits.ts";
import {
  BLK_VARIANTS,
  blkCapsFor,
  memCapsFor,
  tableConstraints,
  type BlkVariant,
  type MemVariant,
} from "../circuits/build.ts";

/** A request above the limits, made without `confirmLarge` (`--yes`): exit 64, nothing started. */
export class LargeRequestError extends ZkfpError {
  override readonly name = "LargeRequestError";
}

export type SnarkBackendId = "groth16" | "plonk" | "fflonk";
export type StepCost = { seconds: number; peakBytes: number };
export type Estimate = {
  backend: SnarkBackendId;
  circuit: CircuitId;
  m: number;
  constraints: number;
  /** PLONK gate count (plonk and fflonk; snarkjs' FFLONK setup counts the same gates) */
  gates: number | null;
  /** ptau power the setup needs */
  power: number;
  /** what the cache already has (those steps cost nothing) */
  cached: { compiled: boolean; ptau: boolean; setup: boolean };
  /** seconds of each step still to run (0 when cached) and their sum */
  seconds: { compile: number; ptau: number; setup: number; witness: number; prove: number; total: number };
  /** largest resident memory of any step still to run */
  peakBytes: number;
  zkeyBytes: number;
  ptauBytes: number;
};

export const LIMITS = { seconds: 30 * 60, peakBytes: 8 * 2 ** 30 };

const MB = 2 ** 20;

export function log2ceil(n: number): number {
  let p = 0;
  while (2 ** p < n) p++;
  return p;
}

export function constraintsOf(circuit: CircuitId, m: number): number {
  if (circuit === "rv32im") return 18_694 + 12_880 * m;
  if (circuit === "counter") return 240 * (m + 1);
  // the table circuits RvStepsMem / RvStepsBlk: zk/circuits/build.ts tableConstraints (zk/CONSTRAINTS.md)
  const v = circuit.slice("rv32im_".length);
  return (BLK_VARIANTS as readonly string[]).includes(v)
    ? tableConstraints(m, blkCapsFor(m, v as BlkVariant))
    : tableConstraints(m, memCapsFor(m, v as MemVariant));
}

export function plonkGatesOf(circuit: CircuitId, m: number): number {
  return circuit === "rv32im" ? 207_124 + 269_417 * m : 8 * constraintsOf(circuit, m);
}

/** Groth16's ptau power as zk/prover/snark.ts picks it (2 public inputs). */
export function groth16Power(constraints: number): number {
  return Math.max(log2ceil(constraints + 3), 3);
}

export const cost = {
  compile: (c: number): StepCost => ({ seconds: 3 + 0.0025 * c, peakBytes: 200 * MB + 2_000 * c }),
  devPtau: (power: number): StepCost => ({
    seconds: 5 + 0.00107 * 2 ** power,
    peakBytes: 300 * MB + 2_500 * 2 ** power,
  }),
  /** snarkjs `zkey new` (any ptau) + the phase-2 contribution */
  groth16Setup: (c: number): StepCost => ({
    seconds: 10 + 0.0113 * c + cost.groth16Contribute(c),
    peakBytes: Math.max(220 * MB, 100 * MB + 11_000 * c),
  }),
  /** the dev ptau's known-tau `zkey new` (zk/setup/devzkey.ts) + the contribution: RvStepsMem(64),
   *  241,901 constraints, took 295 s wall at load ~8 (bench/results/zk-prove.json) */
  groth16SetupDev: (c: number): StepCost => ({
    seconds: 5 + 0.0005 * c + cost.groth16Contribute(c),
    peakBytes: Math.max(220 * MB, 100 * MB + 14_000 * c),
  }),
  /** snarkjs' phase-2 contribution alone (same for both paths) */
  groth16Contribute: (c: number): number => 0.0007 * c,
  plonkSetup: (power: number): StepCost => ({ seconds: 0.0018 * 2 ** power, peakBytes: 200 * MB + 6_000 * 2 ** power }),
  groth16Prove: (c: number): StepCost => ({
    seconds: 1 + 0.00025 * c,
    peakBytes: Math.max(220 * MB, 100 * MB + 11_000 * c),
  }),
  plonkProve: (power: number): StepCost => ({ seconds: 0.0011 * 2 ** power, peakBytes: 200 * MB + 6_000 * 2 ** power }),
  /** FFLONK at ptau power p (= PLONK's power + 3): about twice PLONK's setup and proof at power p - 3
   *  (counter m = 2: setup 22 s vs 7.8 s, prove 36 s vs 18 s; bench/results/zk-universal.json) */
  fflonkSetup: (power: number): StepCost => {
    const p = cost.plonkSetup(power - 3);
    return { seconds: 2 * p.seconds, peakBytes: 2 * p.peakBytes };
  },
  fflonkProve: (power: number): StepCost => {
    const p = cost.plonkProve(power - 3);
    return { seconds: 2 * p.seconds, peakBytes: 2 * p.peakBytes };
  },
  ptauBytes: (power: number): number => 1_152 * 2 ** power,
};

export type EstimateInput = {
  backend: SnarkBackendId;
  circuit: CircuitId;
  m: number;
  /** an explicit ptau (no dev ptau to generate) */
  ptau?: string;
  /** cache state (zk/prover/leaf.ts `cacheState`); default: nothing cached */
  cached?: Partial<Estimate["cached"]>;
  /** cache dir for the dev ptau lookup when `cached.ptau` is not given */
  cacheDir?: string;
};

export function estimate(i: EstimateInput): Estimate {
  const c = constraintsOf(i.circuit, i.m);
  const gates = i.backend === "groth16" ? null : plonkGatesOf(i.circuit, i.m);
  // FFLONK needs 9 * 2^cirPower + 18 tau powers: PLONK's power + 3
  const power =
    i.backend === "groth16"
      ? groth16Power(c)
      : Math.max(log2ceil(gates!), groth16Power(c) + 1) + (i.backend === "fflonk" ? 3 : 0);
  const explicit = Boolean(i.ptau ?? process.env.ZKFP_PTAU);
  const cached = {
    compiled: i.cached?.compiled ?? false,
    ptau: explicit || (i.cached?.ptau ?? (i.cacheDir ? existsSync(devPtauPath(i.cacheDir, power)) : false)),
    setup: i.cached?.setup ?? false,
  };
  const compile = cached.compiled || cached.setup ? null : cost.compile(c);
  const ptau = cached.ptau || cached.setup ? null : cost.devPtau(power);
  // no explicit ptau: the dev ptau, whose Groth16 start key is computed from its known tau
  const setup = cached.setup
    ? null
    : i.backend === "groth16"
      ? explicit
        ? cost.groth16Setup(c)
        : cost.groth16SetupDev(c)
      : i.backend === "fflonk"
        ? cost.fflonkSetup(power)
        : cost.plonkSetup(power);
  const prove =
    i.backend === "groth16"
      ? cost.groth16Prove(c)
      : i.backend === "fflonk"
        ? cost.fflonkProve(power)
        : cost.plonkProve(power);
  const witness = 0.2 * prove.seconds;
  const seconds = {
    compile: compile?.seconds ?? 0,
    ptau: ptau?.seconds ?? 0,
    setup: setup?.seconds ?? 0,
    witness,
    prove: prove.seconds - witness,
    total: 0,
  };
  seconds.total = seconds.compile + seconds.ptau + seconds.setup + seconds.witness + seconds.prove;
  const peakBytes = Math.max(
    ...[compile, ptau, setup, prove].filter((x): x is StepCost => x !== null).map((x) => x.peakBytes),
  );
  const zkeyBytes =
    i.backend === "groth16" ? 1_000 * c : i.backend === "fflonk" ? 2_500 * 2 ** (power - 3) : 1_650 * 2 ** power;
  return {
    backend: i.backend,
    circuit: i.circuit,
    m: i.m,
    constraints: c,
    gates,
    power,
    cached,
    seconds,
    peakBytes,
    zkeyBytes,
    ptauBytes: cost.ptauBytes(power),
  };
}

export function fmtBytes(b: number): string {
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(b >= 10 * 2 ** 30 ? 0 : 1)} GB`;
  return `${Math.max(1, Math.round(b / MB))} MB`;
}

function fmtCount(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e4 ? `${Math.round(n / 1e3)}k` : String(n);
}

/** One line: "groth16 rv32im m=2: 44k constraints, ptau 2^16; ~30m (compile ~1m54s, ...); peak ~1.1 GB, zkey ~42 MB". */
export function describeEstimate(e: Estimate): string {
  const parts: string[] = [];
  const s = e.seconds;
  if (s.compile) parts.push(`compile ~${fmtSeconds(s.compile)}`);
  if (s.ptau) parts.push(`dev ptau 2^${e.power} ~${fmtSeconds(s.ptau)}`);
  if (s.setup) parts.push(`${e.backend} setup ~${fmtSeconds(s.setup)}`);
  parts.push(`witness + proof ~${fmtSeconds(s.witness + s.prove)}`);
  const size = `${fmtCount(e.constraints)} constraints${e.gates !== null ? ` (${fmtCount(e.gates)} PLONK gates)` : ""}, ptau 2^${e.power}`;
  const cached = e.cached.setup
    ? "setup cached"
    : [e.cached.compiled ? "circuit compiled" : "", e.cached.ptau ? "ptau present" : ""].filter(Boolean).join(", ");
  return `${e.backend} ${e.circuit} m=${e.m}: ${size}; estimate ~${fmtSeconds(s.total)} (${parts.join(", ")})${cached ? ` [${cached}]` : ""}; peak memory ~${fmtBytes(e.peakBytes)}, zkey ~${fmtBytes(e.zkeyBytes)}`;
}

/**
 * Throws LargeRequestError when the request's remaining cost is above `limits` and the caller did
 * not confirm it (`--yes`). `flag` is how the user confirms, named in the message.
 */
export function confirmLarge(e: Estimate, o: { confirmLarge: boolean; flag?: string; limits?: typeof LIMITS }): void {
  const lim = o.limits ?? LIMITS;
  const over = [
    e.seconds.total > lim.seconds ? `time ~${fmtSeconds(e.seconds.total)} > ${fmtSeconds(lim.seconds)}` : "",
    e.peakBytes > lim.peakBytes ? `memory ~${fmtBytes(e.peakBytes)} > ${fmtBytes(lim.peakBytes)}` : "",
  ].filter(Boolean);
  if (!over.length || o.confirmLarge) return;
  const flag = o.flag ?? "--yes";
  throw new LargeRequestError(
    `large request refused (${over.join(", ")}): ${describeEstimate(e)}. Rerun with ${flag} to run it anyway`,
    {
      flag,
      limits: lim,
      estimate: e,
      over,
    },
  );
}
