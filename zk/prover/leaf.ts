/**
 * What the cache holds for a request (`cacheState`), its cost given that (`estimateRequest`), the
 * zk arbitrator's key set of a span (`defaultKeySet`, `parseKeySet`, `checkKeySet`), and the demo's
 * choice of last leaf (`chooseLeaf`): the zk arbitrator over m steps when the setups of its key set
 * are cached or their cold setups fit the time budget, else the on-chain one-step verifier (m = 1,
 * no setup at all), saying why and what the zk path would cost, so the zk path is one flag away
 * (an explicit `--m`) with its cost known up front.
 *
 * Key set: the circuits whose verifiers an arbitrator registers for span m, in key-index order
 * (contracts/src/zk/SpanVerifiers.sol). It must hold the complete circuit `rv32im` (RvSteps full):
 * the table variants have no witness for windows that overflow their tables, and a key set without
 * a complete circuit lets a lying challenger steer an honest claimer to a true leaf it cannot prove
 * (zk/circuits/attack/incomplete-key.test.ts). The prover (protocol/trace/leaf.ts `SnarkLeaf`) proves
 * each leaf with the cheapest key of the set whose witness exists (`cheapestCircuitFor`).
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
import { circuitFor, isCompleteCircuit, type CircuitId } from "./circuits.ts";
import {
  BLK_VARIANTS,
  blkCapsFor,
  memCapsFor,
  MEM_VARIANTS,
  type BlkVariant,
  type MemVariant,
} from "../circuits/build.ts";
import { tableCircuitsFor } from "../witness-input.ts";
import { ZkfpError } from "../../vm/errors.ts";
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

/** A key set without a complete circuit, an unknown or repeated circuit id, or one for another machine. */
export class KeySetError extends ZkfpError {
  override readonly name = "KeySetError";
}

/** The RV32IM circuits a key set may hold (zk/prover/circuits.ts). */
export type Rv32imCircuitId = Exclude<CircuitId, "counter">;
export type KeySet = readonly Rv32imCircuitId[];
const RV_IDS: readonly Rv32imCircuitId[] = [
  "rv32im",
  ...BLK_VARIANTS.map((v) => `rv32im_${v}` as Rv32imCircuitId),
  ...MEM_VARIANTS.map((v) => `rv32im_${v}` as Rv32imCircuitId),
];

/**
 * The default key set of span m: the registered table circuits that apply (zk/witness-input.ts
 * `tableCircuitsFor(m)`, cheapest first), then `rv32im`. A table circuit applies when it costs at most
 * 3/4 of RvSteps(m)'s constraints (constraintsOf): every key is one more setup, and a dispute proves
 * one leaf, so a key saving less than a quarter of the proof is not worth its setup (at m <= 2 none
 * applies: m = 1, 2 register the complete circuit only); a circuit whose capacities equal a cheaper
 * one's (e.g. `memwide` = `memio` for m <= 4) is left out.
 */
export function defaultKeySet(m: number): KeySet {
  if (!Number.isInteger(m) || m < 1) throw new KeySetError("m must be a positive integer", { m });
  const full = constraintsOf("rv32im", m);
  const seen = new Set<string>();
  const table: Rv32imCircuitId[] = [];
  for (const { id } of tableCircuitsFor(m)) {
    const v = id.slice("rv32im_".length);
    const isBlk = (BLK_VARIANTS as readonly string[]).includes(v);
    const caps = `${isBlk ? "blk" : "mem"}:${JSON.stringify(isBlk ? blkCapsFor(m, v as BlkVariant) : memCapsFor(m, v as MemVariant))}`;
    if (seen.has(caps) || 4 * constraintsOf(id, m) > 3 * full) continue;
    seen.add(caps);
    table.push(id);
  }
  return [...table, "rv32im"];
}

/** Refuses a key set that is empty, repeats or does not know a circuit, or has no complete circuit. */
export function checkKeySet(keys: readonly string[]): KeySet {
  if (keys.length === 0) throw new KeySetError("empty key set", { keys: [] });
  for (const k of keys)
    if (!(RV_IDS as readonly string[]).includes(k))
      throw new KeySetError(`unknown circuit in the key set (known: ${RV_IDS.join(", ")})`, { circuit: k });
  if (new Set(keys).size !== keys.length) throw new KeySetError("a circuit appears twice in the key set", { keys });
  if (!keys.some(isCompleteCircuit))
    throw new KeySetError(
      "the key set has no complete circuit (rv32im): a true leaf that fits none of its tables could not be proven",
      { keys },
    );
  return keys as KeySet;
}

/**
 * `--keys`: "default" (defaultKeySet), "full" (rv32im only), or a comma list of circuit ids, with or
 * without the `rv32im_` prefix ("mem,memio,rv32im"); checked by `checkKeySet`.
 */
export function parseKeySet(spec: string, m: number): KeySet {
  const t = spec.trim();
  if (t === "default") return defaultKeySet(m);
  if (t === "full") return ["rv32im"];
  const ids = t.split(",").map((x) => {
    const k = x.trim();
    return k === "full" ? "rv32im" : k.startsWith("rv32im") ? k : `rv32im_${k}`;
  });
  return checkKeySet(ids);
}

/** The estimates of every key of a set (cache contents subtracted) and their sum, for one line of progress. */
export async function estimateKeySet(
  backend: SnarkBackendId,
  keys: KeySet,
  m: number,
  o: { ptau?: string } = {},
): Promise<{ keys: Estimate[]; seconds: number; peakBytes: number; allCached: boolean; line: string }> {
  const es: Estimate[] = [];
  for (const k of keys) es.push(await estimateRequest(backend, k, m, o));
  // keys of the same ptau power share one dev ptau: its generation is counted once
  const ptauOnce = new Set<number>();
  const seconds = es.reduce((a, e) => {
    const dup = ptauOnce.has(e.power);
    ptauOnce.add(e.power);
    return a + e.seconds.total - (dup ? e.seconds.ptau : 0);
  }, 0);
  return {
    keys: es,
    seconds,
    peakBytes: Math.max(...es.map((e) => e.peakBytes)),
    allCached: es.every((e) => e.cached.setup),
    line: `${keys.length} key(s) for span ${m}: ${es.map(describeEstimate).join(" | ")}`,
  };
}

export type CacheState = Estimate["cached"] & { setupDir: string | null };

/** The ptau power setupCircuit will ask for (PLONK / FFLONK: the remembered power, else the model's; FFLONK = PLONK's + 3). */
function powerFor(backend: SnarkBackendId, circuit: CircuitId, m: number, cdir: string): number {
  if (backend === "groth16") return groth16Power(constraintsOf(circuit, m));
  const own = join(cdir, `${backend}.power`);
  if (existsSync(own)) return Number(readFileSync(own, "utf8"));
  const hint = join(cdir, "plonk.power");
  const plonk = existsSync(hint)
    ? Number(readFileSync(hint, "utf8"))
    : Math.max(log2ceil(plonkGatesOf(circuit, m)), groth16Power(constraintsOf(circuit, m)) + 1);
  return backend === "fflonk" ? plonk + 3 : plonk;
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
  /** the cost of the zk leaf that was asked for (null when m = 1 was asked): every key of its set */
  zk: Estimate | null;
  /** the key set of the zk leaf (null for the one-step leaf) */
  keys: KeySet | null;
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
  /** the zk leaf's key set (default `defaultKeySet(m)`) */
  keys?: KeySet;
}): Promise<LeafChoice> {
  const backend = o.backend ?? "groth16";
  if (o.m === 1)
    return {
      m: 1,
      kind: "one-step",
      reason: "m = 1: the on-chain one-step verifier settles the last leaf (no zk setup)",
      zk: null,
      keys: null,
    };
  const keys = checkKeySet(o.keys ?? defaultKeySet(o.m));
  const set = await estimateKeySet(backend, keys, o.m, { ptau: o.ptau });
  // the refusal and the budget see the whole set: its seconds add up, its peak is the largest key's
  const e: Estimate = {
    ...set.keys[set.keys.length - 1]!,
    seconds: { ...set.keys[set.keys.length - 1]!.seconds, total: set.seconds },
    peakBytes: set.peakBytes,
  };
  if (o.explicit) {
    confirmLarge(e, { confirmLarge: o.confirmLarge ?? false });
    return { m: o.m, kind: "zk", reason: `--m ${o.m} asked: ${set.line}`, zk: e, keys };
  }
  if (set.allCached || set.seconds <= o.budgetSeconds) {
    return {
      m: o.m,
      kind: "zk",
      reason: `${set.allCached ? "zk setups cached" : `zk setups fit the ${fmtSeconds(o.budgetSeconds)} budget`}: ${set.line}`,
      zk: e,
      keys,
    };
  }
  return {
    m: 1,
    kind: "one-step",
    zk: e,
    keys: null,
    reason:
      `no cached ${backend} setups for the ${o.m}-step key set and building them exceeds the ${fmtSeconds(o.budgetSeconds)} budget (${set.line}); ` +
      `the last leaf uses the on-chain one-step verifier (m = 1). Run with --m ${o.m} to build the zk arbitrator once (then cached)`,
  };
}

export { LIMITS };
