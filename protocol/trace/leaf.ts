/**
 * Leaf provers of an RV32IM last phase: how a party proves "the state root after step t of this run
 * becomes `post` after `span` steps" for the phase's IArbitrator.
 *
 *   oneStepLeaf        m = 1: the 165-element step witness (vm/witness.ts, vm/STATE.md) as
 *                      `abi.encode(uint256[165])`, the calldata of RV32IMOneStepArbitrator
 *                      (contracts/src/rv32im). Its TS twin is `vm/verify.ts` `verifyStep`.
 *   snarkLeaf          m > 1: a Groth16 or PLONK proof of the RV32IM m-step circuit made through
 *                      zk/prover's public API (`SnarkProver.prove`; setups cached under .cache/zk),
 *                      the calldata of Groth16Arbitrator / PlonkArbitrator (contracts/src/zk).
 *
 * A party asks for the post-root it committed to. When that is not the run's true root (a liar's
 * fabricated end state), the one-step prover returns the true witness marked invalid (the verifier
 * computes the true post-root from it), and the snark prover's witness generation fails for the
 * claimed post-root: it returns 256 zero bytes marked invalid. The engine submits either; the
 * arbitrator rejects it.
 */
import { AbiCoder } from "ethers";
import type { Trace } from "../../vm/trace.ts";
import { rootFromField, type Hex, type Root } from "../game/types.ts";
import { circuitInputFromTrace } from "../../zk/witness-input.ts";
import { SnarkProver, WitnessUnsatisfiable, circuitFor } from "../../zk/prover/index.ts";
import type { SetupArtifacts } from "../../zk/prover/snark.ts";
import type { LeafAttempt } from "./types.ts";
import { TraceError } from "./types.ts";

const abi = AbiCoder.defaultAbiCoder();
export const STEP_WITNESS_LEN = 165;

export interface LeafProver {
  /** "one-step" | "groth16" | "plonk" */
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

/** A snark leaf prover for the RV32IM m-step circuit; `setup()` gives the artifacts to deploy its verifier. */
export class SnarkLeaf implements LeafProver {
  readonly kind: "groth16" | "plonk";
  readonly m: bigint;
  private readonly prover: SnarkProver;
  constructor(backend: "groth16" | "plonk", m: number, log?: (msg: string) => void) {
    if (!Number.isInteger(m) || m < 2)
      throw new TraceError("a snark leaf proves m >= 2 steps (m = 1 is the one-step verifier)", { m });
    this.kind = backend;
    this.m = BigInt(m);
    this.prover = new SnarkProver(backend, (mm) => circuitFor("rv32im", mm), { log });
  }
  setup(): Promise<SetupArtifacts> {
    return this.prover.setup(Number(this.m));
  }
  async prove(trace: Trace, t: bigint, span: bigint, post: Root): Promise<LeafAttempt> {
    const t0 = performance.now();
    if (span !== this.m)
      throw new TraceError("leaf span differs from the circuit's m", { span: span.toString(), m: this.m.toString() });
    const note = `${this.kind} proof of ${span} RV32IM steps`;
    const input = circuitInputFromTrace(trace, Number(t), Number(span)) as unknown as Record<string, unknown>;
    input.postRoot = BigInt(post).toString();
    try {
      const { bundle } = await this.prover.prove({ m: Number(span), circuitInput: input, fromStep: Number(t) });
      return { proof: bundle.calldata as Hex, valid: true, seconds: (performance.now() - t0) / 1000, note };
    } catch (e) {
      // only an unsatisfiable witness means "this transition has no proof" (the liar's refused proof,
      // expected); any other prover failure is a real error and propagates
      if (!(e instanceof WitnessUnsatisfiable)) throw e;
      const where = e.detail.template ? ` (template ${String(e.detail.template)}, line ${String(e.detail.line)})` : "";
      return {
        proof: ("0x" + "00".repeat(256)) as Hex,
        valid: false,
        reason: `the liar's proof is refused (expected): no witness satisfies the circuit for the claimed post-root${where}`,
        seconds: (performance.now() - t0) / 1000,
        note,
      };
    }
  }
}
