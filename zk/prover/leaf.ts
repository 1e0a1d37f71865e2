/**
 * What the cache holds for a request (`cacheState`), its cost given that (`estimateRequest`), and
 * the demo's choice of last leaf (`chooseLeaf`): the zk arbitrator over m steps when its setup is
 * cached or its cold setup fits the time budget, else the on-chain one-step verifier (m = 1, no
 * setup at all), saying why and what the zk path would cost, so the zk path is one flag away
 * (an explicit `--m`) with its cost known up front.
 *
 * `cacheState` never compiles or sets anything up: it hashes the compiled circuit and the ptau only
 * when both are already on disk, to find the setup entry zk/prover/snark.ts would use.
 */
import { existsSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { fileHashes, knownCeremony } from "../setup/security.ts";
import { devPtauPath } from "../setup/devptau.ts";
import { fmtSeconds } from "../../cli/progress.ts";
import { circuitFor, type CircuitId } from "./circuits.ts";
import { cacheRoot, compiledDir, setupKey } from "./snark.ts";
import {
  confirmLarge,
  describeEstimate,
  estimate,
  groth16Power,
  LIMITS,
  log2ceil,
  plonkGatesOf,
  constraintsOf,
  type Estimate,
  type SnarkBackendId,
} from "./estimate.ts";

export type CacheState = Estimate["cached"] & { setupDir: string | null };

/** The ptau power setupCircuit will ask for (PLONK: the remembered power, else the model's). */
function powerFor(backend: SnarkBackendId, circuit: CircuitId, m: number, cdir: string): number {
  if (backend === "groth16") return groth16Power(constraintsOf(circuit, m));
  const hint = join(cdir, "plonk.power");
  return existsSync(hint)
    ? Number(readFileSync(hint, "utf8"))
    : Math.max(log2ceil(plonkGatesOf(circuit, m)), groth16Power(constraintsOf(circuit, m)) + 1);
}

export async function cacheState(
  backend: SnarkBackendId,
  circuit: CircuitId,
  m: number,
  o: { ptau?: string } = {},
): Promise<CacheState> {
  const recipe = await circuitFor(circuit, m);
  const cdir = compiledDir(recipe);
  const compiled = existsSync(join(cdir, "circuit.wasm")) && existsSync(join(cdir, "circuit.r1cs"));
  const explicit = o.ptau ?? process.env.ZKFP_PTAU;
  const ptauFile = explicit ?? devPtauPath(cacheRoot(), powerFor(backend, circuit, m, cdir));
  const ptau = existsSync(ptauFile);
  let setupDir: string | null = null;
  if (compiled && ptau) {
    const circuitHash = createHash("sha256")
      .update(Buffer.concat([readFileSync(join(cdir, "circuit.r1cs")), readFileSync(join(cdir, "circuit.wasm"))]))
      .digest("hex");
    const h = await fileHashes(ptauFile);
    const dir = join(cacheRoot(), setupKey(circuitHash, h.sha256, backend, knownCeremony(h.blake2b)?.name ?? null));
    if (existsSync(join(dir, "meta.json"))) setupDir = dir;
  }
  return { compiled, ptau: ptau || Boolean(explicit), setup: setupDir !== null, setupDir };
}

/** The estimate of a request with the cache's current contents subtracted. */
export async function estimateRequest(
  backend: SnarkBackendId,
  circuit: CircuitId,
  m: number,
  o: { ptau?: string } = {},
): Promise<Estimate> {
  const st = await cacheState(backend, circuit, m, o);
  return estimate({ backend, circuit, m, ptau: o.ptau, cached: st });
}

export type LeafChoice = {
  /** the last leaf's span: 1 = the on-chain one-step verifier, > 1 = a zk proof of m steps */
  m: number;
  /** "zk" (setup cached or fits the budget) | "one-step" (fallback, or m = 1 asked) */
  kind: "zk" | "one-step";
  /** why, in one line (the demo prints it) */
  reason: string;
  /** the cost of the zk leaf that was asked for (null when m = 1 was asked) */
  zk: Estimate | null;
};

/**
 * The demo's last leaf. `m` is the span asked for; `explicit` says the user chose it (then it is
 * kept, and only refused above LIMITS without `confirmLarge`, LargeRequestError); otherwise, when
 * the zk setup is not cached and its estimate exceeds `budgetSeconds`, the one-step leaf is used.
 */
export async function chooseLeaf(o: {
  m: number;
  budgetSeconds: number;
  backend?: SnarkBackendId;
  explicit?: boolean;
  confirmLarge?: boolean;
  ptau?: string;
}): Promise<LeafChoice> {
  const backend = o.backend ?? "groth16";
  if (o.m === 1)
    return {
      m: 1,
      kind: "one-step",
      reason: "m = 1: the on-chain one-step verifier settles the last leaf (no zk setup)",
      zk: null,
    };
  const e = await estimateRequest(backend, "rv32im", o.m, { ptau: o.ptau });
  if (o.explicit) {
    confirmLarge(e, { confirmLarge: o.confirmLarge ?? false });
    return { m: o.m, kind: "zk", reason: `--m ${o.m} asked: ${describeEstimate(e)}`, zk: e };
  }
  if (e.cached.setup || e.seconds.total <= o.budgetSeconds) {
    return {
      m: o.m,
      kind: "zk",
      reason: `${e.cached.setup ? "zk setup cached" : `zk setup fits the ${fmtSeconds(o.budgetSeconds)} budget`}: ${describeEstimate(e)}`,
      zk: e,
    };
  }
  return {
    m: 1,
    kind: "one-step",
    zk: e,
    reason:
      `no cached ${backend} setup for the ${o.m}-step circuit and building it exceeds the ${fmtSeconds(o.budgetSeconds)} budget (${describeEstimate(e)}); ` +
      `the last leaf uses the on-chain one-step verifier (m = 1). Run with --m ${o.m} to build the zk arbitrator once (then cached)`,
  };
}

export { LIMITS };
