/**
 * Leaf provers of an RV32IM last phase: how a party proves "the state root after step t of this run
 * becomes `post` after `span` steps" for the phase's IArbitrator.
 *
 *   oneStepLeaf        m = 1: the 165-element step witness (vm/witness.ts, vm/STATE.md) as
 *                      `abi.encode(uint256[165])`, the calldata of RV32IMOneStepArbitrator
 *                      (contracts/src/rv32im). Its TS twin is `vm/verify.ts` `verifyStep`.
 *   SnarkLeaf          m > 1: a Groth16, PLONK or FFLONK proof of m RV32IM steps under one key of the
 *                      arbitrator's key set (the cheapest circuit whose witness exists: a table
 *                      variant RvStepsMem, else the complete RvSteps), made through zk/prover's
 *                      public API (`SnarkProver.prove`; setups cached under .cache/zk); the calldata
 *                      of Groth16Arbitrator / PlonkArbitrator / FflonkArbitrator (contracts/src/zk):
 *                      key index ++ proof (256 bytes Groth16, 768 PLONK and FFLONK).
 *
 * A party asks for the post-root it committed to. When that is not the run's true root (a liar's
 * fabricated end state), the one-step prover returns the true witness marked invalid (the verifier
 * computes the true post-root from it), and the snark prover's witness generation fails for the
 * claimed post-root: it returns the key index and a zero proof of the backend's length (SNARK_PROOF_BYTES)
 * marked invalid. The engine submits either; the
 * arbitrator rejects it.
 */
import { AbiCoder, concat } from "ethers";
import type { Trace } from "../../vm/trace.ts";
import { rootFromField, type Hex, type Root } from "../game/types.ts";
import { cheapestCircuitFor, circuitInputFromTrace, type TableCircuitId } from "../../zk/witness-input.ts";
import { checkKeySet, defaultKeySet, type KeySet, type Rv32imCircuitId } from "../../zk/prover/leaf.ts";
import { SnarkProver, WitnessUnsatisfiable, circuitFor } from "../../zk/prover/index.ts";
import { SNARK_PROOF_BYTES, type SetupArtifacts, type SnarkBackend } from "../../zk/prover/snark.ts";
import { estimate } from "../../zk/prover/estimate.ts";
import type { LeafAttempt, LeafKey } from "./types.ts";
import { TraceError } from "./types.ts";

const abi = AbiCoder.defaultAbiCoder();
export const STEP_WITNESS_LEN = 165;

export interface LeafProver {
  /** "one-step" | "groth16" | "plonk" | "fflonk" */
  readonly kind: string;
  /** Steps per leaf the prover settles (the last phase's m). */
  readonly m: bigint;
  prove(trace: Trace, t: bigint, span: bigint, post: Root): Promise<LeafAttempt>;
}

export const oneStepLeaf: LeafProver = {
  kind: "one-step",
  m: 1n,
  async prove(trace, t, span, post) {
    const t0 = performance.now();
    if (span !== 1n)
      throw new TraceError("the one-step arbitrator settles single steps (m = 1)", { span: span.toString() });
    const w = trace.witnessAt(Number(t));
    if (w.length !== STEP_WITNESS_LEN) throw new TraceError("step witness has the wrong length", { length: w.length });
    const proof = abi.encode([`uint256[${STEP_WITNESS_LEN}]`], [w]) as Hex;
    const real = rootFromField(trace.rootAt(Number(t) + 1));
    const seconds = (performance.now() - t0) / 1000;
    return real === post
      ? { proof, valid: true, seconds, note: "RV32IM step witness (one-step verifier)" }
      : {
          proof,
          valid: false,
          reason: "the step witness yields the true post-root, not the claimed one",
          seconds,
          note: "RV32IM step witness (one-step verifier)",
        };
  },
};

/**
 * A snark leaf prover for an RV32IM span m over a key set (zk/prover/leaf.ts `KeySet`, default
 * `defaultKeySet(m)`: the table variants that apply, then the complete RvSteps): each leaf is proven
 * with the cheapest key whose witness exists for the window (`cheapestCircuitFor` restricted to the
 * set; RvSteps full when no table fits), and the calldata names that key's index in the set, as
 * SpanVerifiers registers it: `keyIndex (32 bytes) ++ snark proof`. `setup()` gives the artifacts of
 * every key, in key-index order, to deploy the verifiers. The set is refused without a complete
 * circuit (KeySetError): a lying challenger could steer the claimer to a true leaf no key proves.
 */
export class SnarkLeaf implements LeafProver {
  readonly kind: SnarkBackend;
  readonly m: bigint;
  readonly keys: KeySet;
  private readonly provers: Map<string, SnarkProver>;
  constructor(
    backend: SnarkBackend,
    m: number,
    o: { log?: (msg: string) => void; keys?: readonly string[]; ptau?: string } = {},
  ) {
    if (!Number.isInteger(m) || m < 2)
      throw new TraceError("a snark leaf proves m >= 2 steps (m = 1 is the one-step verifier)", { m });
    this.kind = backend;
    this.m = BigInt(m);
    this.keys = checkKeySet(o.keys ?? defaultKeySet(m));
    this.provers = new Map(
      this.keys.map((id) => [id, new SnarkProver(backend, (mm) => circuitFor(id, mm), { log: o.log, ptau: o.ptau })]),
    );
  }
  /** Every key's setup (compiled and set up once, then cached), in key-index order. */
  async setup(): Promise<SetupArtifacts[]> {
    const out: SetupArtifacts[] = [];
    for (const id of this.keys) out.push(await this.provers.get(id)!.setup(Number(this.m)));
    return out;
  }
  /**
   * Upper bound on the seconds one leaf takes to prove on THIS machine kind (zk/prover/estimate.ts, a
   * model fitted to bench/results: not a measurement of the deployer's machine): `prove` tries one key
   * (the costliest table key, at worst) and, refused, the complete key, so the bound is the two summed
   * (the chain's clock does not wait for the prover: deployGame's strict check compares this with it).
   */
  worstProveSeconds(): number {
    const secs = (id: Rv32imCircuitId) => {
      const e = estimate({ backend: this.kind, circuit: id, m: Number(this.m), cached: { setup: true } });
      return e.seconds.witness + e.seconds.prove;
    };
    const tables = this.keys.filter((k) => k !== "rv32im").map(secs);
    return secs("rv32im") + (tables.length ? Math.max(...tables) : 0);
  }
  /** The key a window is proven with: the cheapest registered circuit whose witness exists, and its input. */
  keyFor(trace: Trace, t: number): { key: LeafKey; input: Record<string, unknown> } {
    const tables = this.keys.filter((k): k is TableCircuitId => k !== "rv32im");
    const c = cheapestCircuitFor(trace, t, Number(this.m), tables);
    return {
      key: { index: this.keys.indexOf(c.id), circuit: c.id },
      input: c.input as unknown as Record<string, unknown>,
    };
  }
  async prove(trace: Trace, t: bigint, span: bigint, post: Root): Promise<LeafAttempt> {
    const t0 = performance.now();
    if (span !== this.m)
      throw new TraceError("leaf span differs from the circuit's m", { span: span.toString(), m: this.m.toString() });
    const chosen = this.keyFor(trace, Number(t));
    let r = await this.attempt(chosen.key, chosen.input, t, post);
    // completeness guard: a table key that the TS fit check accepted but whose circuit refuses the TRUE
    // transition (a fit-rule/circuit divergence) must not cost an honest claimer the game: retry the
    // complete circuit, which has a witness for every true transition
    if (!r.ok && chosen.key.circuit !== "rv32im" && BigInt(post) === trace.rootAt(Number(t + span))) {
      const full = { index: this.keys.indexOf("rv32im"), circuit: "rv32im" };
      r = await this.attempt(full, circuitInputFromTrace(trace, Number(t), Number(span)), t, post);
    }
    const seconds = (performance.now() - t0) / 1000;
    const note = `${this.kind} proof of ${span} RV32IM steps, key ${r.key.index} (${r.key.circuit})`;
    const index = abi.encode(["uint256"], [r.key.index]);
    if (r.ok) return { proof: concat([index, r.calldata]) as Hex, valid: true, seconds, note, key: r.key };
    return {
      proof: concat([index, "0x" + "00".repeat(SNARK_PROOF_BYTES[this.kind])]) as Hex,
      valid: false,
      reason: `the liar's proof is refused (expected): no witness satisfies the circuit for the claimed post-root${r.where}`,
      seconds,
      note,
      key: r.key,
    };
  }

  /** One proof under one key; an unsatisfiable witness is a refusal, any other prover failure propagates. */
  private async attempt(
    key: LeafKey,
    input: Record<string, unknown>,
    t: bigint,
    post: Root,
  ): Promise<{ ok: true; key: LeafKey; calldata: string } | { ok: false; key: LeafKey; where: string }> {
    const circuitInput = { ...input, postRoot: BigInt(post).toString() };
    try {
      const { bundle } = await this.provers
        .get(key.circuit)!
        .prove({ m: Number(this.m), circuitInput, fromStep: Number(t) });
      return { ok: true, key, calldata: bundle.calldata };
    } catch (e) {
      // only an unsatisfiable witness means "this transition has no proof" (the liar's refused proof,
      // expected); any other prover failure is a real error and propagates
      if (!(e instanceof WitnessUnsatisfiable)) throw e;
      const where = e.detail.template ? ` (template ${String(e.detail.template)}, line ${String(e.detail.line)})` : "";
      return { ok: false, key, where };
    }
  }
}
