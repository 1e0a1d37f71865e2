/**
 * The counting machine: the alphabet machine without hashing, for the in-memory property tests
 * (keccak costs ~25 µs per hash here, so 10^4 keccak games would take minutes). Model-only: there
 * is no contract twin; the anvil and differential tests use the keccak alphabet machine
 * (protocol/trace/alphabet.ts), which has the same structure.
 *
 * A root is bytes32(phase << 248 | flag << 240 | x): phase-p index x, flag 0 honest, 1 a consistent
 * lie (inherited by every outer root that commits to a lied inner root), 2 a lie only in phase p
 * (no opening exists). The outer root of phase p at x commits to the inner root at x n_{p+1} with
 * the same flag, which `countingLink` checks; `countingArbitrator` accepts exactly honest
 * (pre = g, post = g + span) pairs of the last phase: the real n -> n + 1 relation.
 */
import type { Hex, Root } from "../game/types.ts";
import { rootFromField } from "../game/types.ts";
import type { Arbitrator, PhaseLink } from "../game/model.ts";
import type { PhaseTrace } from "./types.ts";
import { TraceError, validLeaf } from "./types.ts";
import type { Lie } from "./alphabet.ts";

const X_MASK = (1n << 240n) - 1n;

export function countingRoot(p: number, flag: number, x: bigint): Root {
  return rootFromField((BigInt(p) << 248n) | (BigInt(flag) << 240n) | x);
}
function decode(r: Root): { p: number; flag: number; x: bigint } {
  const v = BigInt(r);
  return { p: Number(v >> 248n), flag: Number((v >> 240n) & 0xffn), x: v & X_MASK };
}

export class CountingWorld {
  constructor(
    readonly sizes: bigint[],
    readonly lieSpec: Lie = { kind: "none" },
  ) {
    if (sizes.length === 0 || sizes.length > 4 || sizes.some((n) => n < 1n))
      throw new TraceError("bad phase sizes", { sizes: sizes.map(String) });
  }
  /** Global innermost step of phase-p index x. */
  private innermost(p: number, x: bigint): bigint {
    let g = x;
    for (let q = p + 1; q < this.sizes.length; q++) g *= this.sizes[q]!;
    return g;
  }
  root(p: number, x: bigint): Root {
    const L = this.lieSpec;
    let flag = 0;
    if (L.kind === "from" && this.innermost(p, x) >= L.step) flag = 1;
    if (L.kind === "phase" && L.phase === p && x >= L.from) flag = 2;
    return countingRoot(p, flag, x);
  }
  trace(): PhaseTrace {
    return this.phaseTrace(0, 0n, this.sizes[0]!);
  }
  phaseTrace(p: number, off: bigint, steps: bigint): PhaseTrace {
    const w = this;
    const last = p === this.sizes.length - 1;
    return {
      phase: p,
      steps,
      rootAt: (t) => w.root(p, off + t),
      async leafProof(t: bigint) {
        if (!last) throw new TraceError("leafProof outside the last phase", { phase: p });
        return validLeaf(rootFromField(off + t) as Hex);
      },
      async open(t: bigint, span: bigint) {
        if (last) throw new TraceError("no phase after the last", { phase: p });
        const n = w.sizes[p + 1]!;
        const a = (off + t) * n;
        const b = (off + t + span) * n;
        // Openings are the inner roots the outer roots commit to (same flag); a phase liar's own
        // inner roots are honest.
        const inner = (x: bigint, outer: Root) => {
          const d = decode(outer);
          return countingRoot(p + 1, d.flag === 2 ? 0 : d.flag, x);
        };
        return {
          trace: w.phaseTrace(p + 1, a, b - a),
          innerStart: inner(a, w.root(p, off + t)),
          innerEnd: inner(b, w.root(p, off + t + span)),
          innerSteps: b - a,
          linkProof: "0x" as Hex,
        };
      },
    };
  }
}

export function countingLink(sizes: bigint[], phase: number): PhaseLink {
  const n = sizes[phase + 1]!;
  return {
    verifyLink(outerPre, outerPost, innerStart, innerEnd, innerSteps) {
      const a = decode(outerPre);
      const b = decode(outerPost);
      if (a.p !== phase || b.p !== phase || a.flag === 2 || b.flag === 2 || b.x <= a.x) return false;
      return (
        innerStart === countingRoot(phase + 1, a.flag, a.x * n) &&
        innerEnd === countingRoot(phase + 1, b.flag, b.x * n) &&
        innerSteps === (b.x - a.x) * n
      );
    },
  };
}

export function countingArbitrator(lastPhase: number): Arbitrator {
  return {
    arbitrate(pre, post, span) {
      const a = decode(pre);
      const b = decode(post);
      return a.p === lastPhase && b.p === lastPhase && a.flag === 0 && b.flag === 0 && b.x - a.x === span;
    },
  };
}
