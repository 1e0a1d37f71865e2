/**
 * The alphabet machine (OP's AlphabetVM idea) and its multi-phase trace, with liars.
 * Twins: contracts/src/alphabet/AlphabetArbitrator.sol (`S`), contracts/src/game/MerklePhaseLink.sol
 * (outer roots, depth 1).
 *
 * Innermost state after global step g:  S(g) = keccak256(abi.encode(uint256 g))   (n -> n + 1)
 * Phases 0..P-1 with sizes n_0..n_{P-1}: a phase-p step is n_{p+1} phase-(p+1) steps, and
 *
 *   Root_{P-1}(x) = S(x)
 *   Root_p(x)     = keccak256(Root_{p+1}(x n_{p+1}) ++ bytes32(x n_{p+1}))     (MerklePhaseLink, depth 1)
 *
 * so the roots of every phase are O(P) hashes and N = 2^40 is playable. A (sub)game of phase p at
 * offset `off` has local root t = Root_p(off + t); opening outer steps [t, t + s] gives the phase-
 * (p+1) sub-game at offset (off + t) n_{p+1} with s n_{p+1} steps.
 *
 * Liars (`Lie`): `from` corrupts the innermost states from global step g0 and derives every outer
 * root from them (a consistent liar: its openings verify, its last leaf does not); `phase` corrupts
 * only phase p's roots from phase-p index x0 (its openings out of a corrupted root fail); `none`.
 */
import { AbiCoder, keccak256, concat } from "ethers";
import type { Hex, Root } from "../game/types.ts";
import { rootFromField } from "../game/types.ts";
import type { Arbitrator, PhaseLink } from "../game/model.ts";
import type { PhaseTrace, SubgameOpening } from "./types.ts";
import { TraceError, validLeaf } from "./types.ts";
import { LinkError } from "../link/errors.ts";

const abi = AbiCoder.defaultAbiCoder();

export function alphabetState(g: bigint): Root {
  return keccak256(rootFromField(g)) as Root;
}

/** The liar's version of an honest root: a fixed, collision-free tweak. */
export function lie(r: Root): Root {
  return keccak256(concat(["0x6c6965", r])) as Root;
}

export type Lie = { kind: "none" } | { kind: "from"; step: bigint } | { kind: "phase"; phase: number; from: bigint };

export class AlphabetWorld {
  readonly outerSteps: bigint;
  constructor(
    readonly sizes: bigint[],
    readonly lieSpec: Lie = { kind: "none" },
  ) {
    if (sizes.length === 0 || sizes.length > 4 || sizes.some((n) => n < 1n))
      throw new TraceError("bad phase sizes", { sizes: sizes.map(String) });
    this.outerSteps = sizes[0]!;
  }

  get phases(): number {
    return this.sizes.length;
  }

  /** Root_p(x) in this world (honest or with its lie). */
  root(p: number, x: bigint): Root {
    const L = this.lieSpec;
    if (p === this.sizes.length - 1) {
      const s = alphabetState(x);
      if (L.kind === "from" && x >= L.step) return lie(s);
      if (L.kind === "phase" && L.phase === p && x >= L.from) return lie(s);
      return s;
    }
    const n = this.sizes[p + 1]!;
    const inner = L.kind === "phase" ? this.honestRoot(p + 1, x * n) : this.root(p + 1, x * n);
    const r = linkRoot(inner, x * n);
    if (L.kind === "phase" && L.phase === p && x >= L.from) return lie(r);
    return r;
  }

  private honestRoot(p: number, x: bigint): Root {
    return new AlphabetWorld(this.sizes).root(p, x);
  }

  trace(): PhaseTrace {
    return this.phaseTrace(0, 0n, this.outerSteps);
  }

  phaseTrace(p: number, off: bigint, steps: bigint): PhaseTrace {
    const world = this;
    const last = p === this.sizes.length - 1;
    return {
      phase: p,
      steps,
      rootAt: (t) => world.root(p, off + t),
      async leafProof(t: bigint, _span: bigint) {
        if (!last) throw new TraceError("leafProof outside the last phase", { phase: p });
        return validLeaf(abi.encode(["uint256"], [off + t]) as Hex);
      },
      async open(t: bigint, span: bigint): Promise<SubgameOpening> {
        if (last) throw new TraceError("no phase after the last", { phase: p });
        const n = world.sizes[p + 1]!;
        const a = (off + t) * n;
        const b = (off + t + span) * n;
        const innerOf = (x: bigint) =>
          world.lieSpec.kind === "phase" ? world.honestRoot(p + 1, x) : world.root(p + 1, x);
        // A phase liar's sub-game trace is its own (lying only in its phase); openings use the
        // committed inner roots, which for a phase liar are the honest ones.
        return {
          trace: world.phaseTrace(p + 1, a, b - a),
          innerStart: innerOf(a),
          innerEnd: innerOf(b),
          innerSteps: b - a,
          linkProof: abi.encode(["uint256", "bytes32[]", "uint256", "bytes32[]"], [a, [], b, []]) as Hex,
        };
      },
    };
  }
}

/** Outer root committing to (inner root, inner step counter): MerklePhaseLink leaf pair, depth 1. */
export function linkRoot(inner: Root, counter: bigint): Root {
  return keccak256(concat([inner, rootFromField(counter)])) as Root;
}

/** TS twin of AlphabetArbitrator. */
export const alphabetArbitrator: Arbitrator = {
  arbitrate(pre, post, span, proof) {
    if ((proof.length - 2) / 2 !== 32) return false;
    const i = BigInt(proof);
    if (i > (1n << 256n) - 1n - span) return false;
    return alphabetState(i) === pre && alphabetState(i + span) === post;
  },
};

/**
 * MerklePhaseLink._checkEncoding: the proof must be the canonical ABI encoding with depth - 1
 * siblings per side; else LinkError with reason "MalformedProof" and the contract's (offset, length).
 */
export function checkMerkleLinkEncoding(depth: number, proof: Hex): void {
  const s = depth - 1;
  const want = 192 + 64 * s;
  const len = (proof.length - 2) / 2;
  const bad = (offset: number) =>
    new LinkError("malformed MerklePhaseLink proof", { reason: "MalformedProof", offset, length: want });
  if (len !== want)
    throw new LinkError("malformed MerklePhaseLink proof", { reason: "MalformedProof", offset: len, length: want });
  const w = (o: number) => BigInt("0x" + proof.slice(2 + 2 * o, 2 + 2 * o + 64));
  const offB = 160 + 32 * s;
  if (w(32) !== 128n) throw bad(32);
  if (w(96) !== BigInt(offB)) throw bad(96);
  if (w(128) !== BigInt(s)) throw bad(128);
  if (w(offB) !== BigInt(s)) throw bad(offB);
}

/** TS twin of MerklePhaseLink(depth): a malformed proof throws LinkError("MalformedProof") as the contract reverts. */
export function merklePhaseLink(depth: number): PhaseLink {
  return {
    verifyLink(outerPre, outerPost, innerStart, innerEnd, innerSteps, proof) {
      checkMerkleLinkEncoding(depth, proof);
      const d = abi.decode(["uint256", "bytes32[]", "uint256", "bytes32[]"], proof);
      const [ca, sa, cb, sb] = [d[0] as bigint, [...(d[1] as string[])], d[2] as bigint, [...(d[3] as string[])]];
      if (cb <= ca || cb - ca !== innerSteps) return false;
      const open = (r: Root, c: bigint, sib: string[]) =>
        sib.reduce<string>((h, s) => keccak256(concat([h, s])), linkRoot(r, c));
      return open(innerStart, ca, sa) === outerPre && open(innerEnd, cb, sb) === outerPost;
    },
  };
}
