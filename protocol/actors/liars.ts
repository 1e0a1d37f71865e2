/**
 * The liar zoo of ML disputes (issue 12): each liar is a phase-0 `PhaseTrace` a party plays through
 * the one engine (`playClaim`), aimed at one binding point of the game. Every one must lose.
 *
 *   lie(t)            consistent liar: op t's output tampered, everything after recomputed
 *                     (protocol/trace/model.ts `lyingBelief`); as claimer it posts a wrong answer,
 *                     as challenger it disputes an honest claim.
 *   neighbour(t)      issue 11's phase-link aliasing attack: state t + 1 has op t + 1's leaf instead of
 *                     op t's; at the disputed step [t, t + 1] it opens op t + 1 (whose inputs do not
 *                     need op t) with prevLeaf = p, which a raw `prevLeaf != 0` check lets through and
 *                     Poseidon would hash like the empty slot. Needs a pair (t, t + 1) with op t + 1
 *                     independent of op t (`neighbourPairs`; stories260K has them, MNIST none).
 *   swapped(t, u)     lie(t), and at [t, t + 1] it opens op u != t instead.
 *   rootPlusP(t)      the honest roots, but from state t on each root x is posted as x + p (the same
 *                     field element, another uint256): the game compares bytes, the link and the
 *                     arbitrator must not reduce.
 *   vmRootPlusP(t)    lie(t), and inside the VM sub-game its roots after the start are x + p.
 *   linkPlusP(t, f)   lie(t), and its opening carries field f + p (every numeric field of the
 *                     GraphVmLink proof, `LINK_FIELDS`).
 *   leafPlusP(t, i)   lie(t), and its one-step leaf carries witness[i] + p.
 *   replay(t, proof)  lie(t), and its leaf proof is `proof` (one made in another game) or, without
 *                     one, its own valid proof of the neighbouring interval.
 *   malformed(t, w)   lie(t), and its opening (`link`) or leaf (`leaf`) calldata is garbage:
 *                     empty, truncated, or random bytes.
 *   longVm(t)         lie(t), and its VM sub-game claims twice the node run's steps (an end state
 *                     with a doubled step counter, which the link accepts): the honest VM roots
 *                     past the halt repeat the halted root, and the liar cannot prove its end.
 *
 * Claim-level liars (`ClaimLiar`, `claimLiar`): the claim itself is not the statement its game
 * plays. wrongStart posts another start root, otherInput runs another input than the one it
 * publishes, otherWeights runs the model with one weight tensor changed, wrongOutput posts an answer
 * that is not the one in its (true) final state. The honest challenger rejects each with a binding
 * move (disputeStart / disputeOutput) before any game.
 *
 * Step-count liars (any machine: `shortClaim`, `longClaim`; for ML claims also `ClaimLiar`): the
 * claim's step count is not the run's.
 *   shortClaim        steps = N - 1, every root true, the final root is the true state N - 1 (not
 *                     halted / the output op not yet run), with a wrong answer: the honest
 *                     challenger's state at N - 1 holds no output (NO_OUTPUT), so disputeOutput
 *                     with that state's opening rejects it.
 *   longClaim         steps = 2N, true roots up to N, garbage after it (final root and answer
 *                     false): the honest challenger's roots past N repeat its final state (a fixed
 *                     point) and the liar cannot prove a step out of it; its best attempt past N is
 *                     the last real leaf / opening, which the arbitrator / link rejects.
 */
import { AbiCoder, keccak256, toUtf8Bytes } from "ethers";
import { FIELD_MODULUS } from "../../vm/poseidon/index.ts";
import { rootFromField, type Hex, type Root } from "../game/types.ts";
import { lie } from "../trace/alphabet.ts";
import { GraphTrace, claimOutput } from "../trace/graph.ts";
import { tensorLeaf } from "../../ml/graph/commit.ts";
import { runOp } from "../../ml/dnn/ops.ts";
import { honestBelief, lyingBelief, type Belief, type ModelRun } from "../trace/model.ts";
import type { LeafProver } from "../trace/leaf.ts";
import type { LeafAttempt, PhaseTrace, SubgameOpening } from "../trace/types.ts";
import { TraceError } from "../trace/types.ts";
import type { LinkProof } from "../link/graph.ts";

const P = FIELD_MODULUS;
const abi = AbiCoder.defaultAbiCoder();
const MAX = (1n << 256n) - 1n;

/** x + p as the 32 bytes a party posts (or a keccak tweak when x + p does not fit in 256 bits). */
export function plusP(r: Root): Root {
  const x = BigInt(r) + P;
  return x <= MAX ? rootFromField(x) : lie(r);
}

/** A trace with its roots rewritten for t >= from (openings and leaves untouched). */
export function mapRoots(base: PhaseTrace, from: bigint, f: (r: Root, t: bigint) => Root): PhaseTrace {
  return {
    phase: base.phase,
    steps: base.steps,
    rootAt: (t) => (t >= from ? f(base.rootAt(t), t) : base.rootAt(t)),
    leafProof: (t, s) => base.leafProof(t, s),
    open: (t, s) => base.open(t, s),
  };
}
/** A trace whose openings are rewritten. */
export function mapOpen(base: PhaseTrace, f: (o: SubgameOpening, t: bigint) => SubgameOpening): PhaseTrace {
  return {
    phase: base.phase,
    steps: base.steps,
    rootAt: (t) => base.rootAt(t),
    leafProof: (t, s) => base.leafProof(t, s),
    open: async (t, s) => f(await base.open(t, s), t),
  };
}
/** A trace whose leaf attempts are rewritten. */
export function mapLeaf(base: PhaseTrace, f: (a: LeafAttempt, t: bigint, span: bigint) => LeafAttempt): PhaseTrace {
  return {
    phase: base.phase,
    steps: base.steps,
    rootAt: (t) => base.rootAt(t),
    leafProof: async (t, s) => f(await base.leafProof(t, s), t, s),
    open: (t, s) => base.open(t, s),
  };
}
/** A graph trace whose VM sub-games are rewritten by `f`. */
function mapVm(base: PhaseTrace, f: (vm: PhaseTrace) => PhaseTrace): PhaseTrace {
  return mapOpen(base, (o) => {
    const trace = f(o.trace);
    return { ...o, trace, innerStart: trace.rootAt(0n), innerEnd: trace.rootAt(trace.steps) };
  });
}
const invalid = (a: LeafAttempt, proof: Hex, reason: string): LeafAttempt => ({
  proof,
  valid: false,
  reason,
  seconds: a.seconds,
  note: a.note,
});

export type LinkField =
  | "t"
  | "node"
  | "prev"
  | "op"
  | "outLen"
  | "prevLeaf"
  | "memSub"
  | "pcEnd"
  | "stepEnd"
  | "regsRootEnd"
  | "ioPreEnd"
  | "params"
  | "inputs"
  | "inputLens"
  | "inputLeaves"
  | "inputProofs"
  | "prevProof"
  | "outProof"
  | "memProof";
export const LINK_FIELDS: LinkField[] = [
  "t",
  "node",
  "prev",
  "op",
  "outLen",
  "prevLeaf",
  "memSub",
  "pcEnd",
  "stepEnd",
  "regsRootEnd",
  "ioPreEnd",
  "params",
  "inputs",
  "inputLens",
  "inputLeaves",
  "inputProofs",
  "prevProof",
  "outProof",
  "memProof",
];

/** `p` with `field` (its first element, for lists) replaced by x + p; null if the field is empty here. */
export function linkFieldPlusP(p: LinkProof, field: LinkField): LinkProof | null {
  const q: LinkProof = structuredClone(p);
  const bump = (x: bigint | number) => BigInt(x) + P;
  switch (field) {
    case "t":
      return { ...q, t: bump(q.t) as unknown as number };
    case "node":
      return { ...q, d: { ...q.d, node: bump(q.d.node) as unknown as number } };
    case "prev":
      return { ...q, d: { ...q.d, prev: q.d.prev + P <= MAX ? q.d.prev + P : q.d.prev } };
    case "op":
      return { ...q, d: { ...q.d, op: bump(q.d.op) as unknown as number } };
    case "outLen":
      return { ...q, d: { ...q.d, outLen: bump(q.d.outLen) as unknown as number } };
    case "params":
      return q.d.params.length
        ? { ...q, d: { ...q.d, params: [bump(q.d.params[0]!) as unknown as number, ...q.d.params.slice(1)] } }
        : null;
    case "inputs":
      return q.d.inputs.length
        ? { ...q, d: { ...q.d, inputs: [bump(q.d.inputs[0]!) as unknown as number, ...q.d.inputs.slice(1)] } }
        : null;
    case "inputLens":
      return q.d.inputLens.length
        ? { ...q, d: { ...q.d, inputLens: [bump(q.d.inputLens[0]!) as unknown as number, ...q.d.inputLens.slice(1)] } }
        : null;
    case "inputLeaves":
      return q.inputLeaves.length ? { ...q, inputLeaves: [q.inputLeaves[0]! + P, ...q.inputLeaves.slice(1)] } : null;
    case "inputProofs":
      return q.inputProofs.length
        ? { ...q, inputProofs: [[q.inputProofs[0]![0]! + P, ...q.inputProofs[0]!.slice(1)], ...q.inputProofs.slice(1)] }
        : null;
    case "prevProof":
      return q.prevProof.length ? { ...q, prevProof: [q.prevProof[0]! + P, ...q.prevProof.slice(1)] } : null;
    case "outProof":
      return { ...q, outProof: [q.outProof[0]! + P, ...q.outProof.slice(1)] };
    case "memProof":
      return { ...q, memProof: [q.memProof[0]! + P, ...q.memProof.slice(1)] };
    case "prevLeaf":
      return { ...q, prevLeaf: q.prevLeaf + P };
    case "memSub":
      return { ...q, memSub: q.memSub + P };
    case "pcEnd":
      return { ...q, pcEnd: bump(q.pcEnd) as unknown as number };
    case "stepEnd":
      return { ...q, stepEnd: bump(q.stepEnd) as unknown as number };
    case "regsRootEnd":
      return { ...q, regsRootEnd: q.regsRootEnd + P };
    case "ioPreEnd":
      return { ...q, ioPreEnd: q.ioPreEnd + P };
  }
}

/** Ops t whose successor t + 1 does not read op t's output (the pairs the aliasing attack needs). */
export function neighbourPairs(mr: ModelRun): number[] {
  const out: number[] = [];
  for (let t = 0; t + 1 < mr.ops.length; t++) if (!mr.ops[t + 1]!.inputs.includes(mr.ops[t]!.node)) out.push(t);
  return out;
}

/** Deterministic garbage: empty, a truncated honest encoding, or keccak-derived bytes. */
export function garbage(kind: "empty" | "truncated" | "random", honest: Hex, seed = 0): Hex {
  if (kind === "empty") return "0x";
  if (kind === "truncated")
    return honest.slice(0, Math.max(2, Math.floor(honest.length / 2) - ((honest.length / 2) % 2))) as Hex;
  let s = "0x";
  for (let i = 0; s.length < 2 + 2 * 416; i++) s += keccak256(toUtf8Bytes(`zkfp-garbage-${seed}-${i}`)).slice(2);
  return s as Hex;
}

export type MlLiar =
  | { kind: "lie"; at: number }
  | { kind: "neighbour"; at: number }
  | { kind: "swapped"; at: number; to: number }
  | { kind: "rootPlusP"; at: number }
  | { kind: "vmRootPlusP"; at: number }
  | { kind: "linkPlusP"; at: number; field: LinkField }
  | { kind: "leafPlusP"; at: number; index: number }
  | { kind: "replay"; at: number; proof?: Hex }
  | { kind: "malformed"; at: number; where: "link" | "leaf"; bytes: "empty" | "truncated" | "random" }
  | { kind: "longVm"; at: number };

export function describeLiar(l: MlLiar): string {
  switch (l.kind) {
    case "swapped":
      return `swapped(${l.at}->${l.to})`;
    case "linkPlusP":
      return `linkPlusP(${l.at}, ${l.field})`;
    case "leafPlusP":
      return `leafPlusP(${l.at}, w[${l.index}])`;
    case "malformed":
      return `malformed(${l.at}, ${l.where}, ${l.bytes})`;
    default:
      return `${l.kind}(${l.at})`;
  }
}

/** The phase-0 trace of an ML liar. */
export function mlLiarTrace(mr: ModelRun, leaf: LeafProver, l: MlLiar): PhaseTrace {
  const honest = honestBelief(mr);
  if (l.kind === "rootPlusP") return mapRoots(new GraphTrace(mr, honest, leaf), BigInt(l.at), plusP);
  if (l.kind === "neighbour") {
    const t = l.at;
    if (!neighbourPairs(mr).includes(t))
      throw new TraceError("op t + 1 reads op t: no neighbour opening exists here", { t });
    const base = new GraphTrace(mr, honest, leaf);
    const roots = base.roots.slice(0, t + 1);
    const tree = base.treeAt(t);
    for (let s = t + 1; s < mr.ops.length; s++) {
      tree.set(mr.ops[s]!.node, honest.leaves[mr.ops[s]!.node]!);
      roots.push(rootFromField(tree.root()));
    }
    roots.push(rootFromField(tree.root()));
    // state s >= t + 1 lacks op t's leaf: the roots differ from the honest ones from t + 1 on
    return new GraphTrace(mr, honest, leaf, {
      roots: roots.slice(0, mr.ops.length + 1),
      openAs: (x) => (x === t ? t + 1 : x),
      tamperLink: (p) => (p.t === t + 1 ? { ...p, prevLeaf: p.prevLeaf + P } : p),
    });
  }
  const belief = lyingBelief(mr, l.at);
  switch (l.kind) {
    case "lie":
      return new GraphTrace(mr, belief, leaf);
    case "longVm":
      return new GraphTrace(mr, belief, leaf, { vmStretch: 2n });
    case "swapped":
      return new GraphTrace(mr, belief, leaf, { openAs: (x) => (x === l.at ? l.to : x) });
    case "linkPlusP":
      return new GraphTrace(mr, belief, leaf, { tamperLink: (p) => linkFieldPlusP(p, l.field) ?? p });
    case "malformed":
      if (l.where === "link")
        return mapOpen(new GraphTrace(mr, belief, leaf), (o) => ({
          ...o,
          linkProof: garbage(l.bytes, o.linkProof, l.at),
        }));
      return mapVm(new GraphTrace(mr, belief, leaf), (vm) =>
        mapLeaf(vm, (a) => invalid(a, garbage(l.bytes, a.proof, l.at), "malformed leaf calldata")),
      );
    case "vmRootPlusP":
      return mapVm(new GraphTrace(mr, belief, leaf), (vm) => mapRoots(vm, 1n, (r, t) => (t < vm.steps ? plusP(r) : r)));
    case "leafPlusP":
      return mapVm(new GraphTrace(mr, belief, leaf), (vm) =>
        mapLeaf(vm, (a) => {
          const [w] = abi.decode(["uint256[165]"], a.proof);
          const ws = [...(w as bigint[])];
          ws[l.index] = ws[l.index]! + P;
          return invalid(a, abi.encode(["uint256[165]"], [ws]) as Hex, `witness[${l.index}] + p`);
        }),
      );
    case "replay":
      return mapVm(new GraphTrace(mr, belief, leaf), (vm) => ({
        ...mapLeaf(vm, (a) => a),
        async leafProof(t: bigint, span: bigint) {
          const other = await vm.leafProof(t > 0n ? t - span : t + span, span);
          return invalid(
            other,
            l.proof ?? other.proof,
            l.proof ? "a proof replayed from another game" : "its proof of the neighbouring interval",
          );
        },
      }));
  }
}

/** `base` claimed `by` steps short: steps N - by, every root true (the final root is state N - by). */
export function shortClaim(base: PhaseTrace, by = 1n): PhaseTrace {
  if (by < 1n || by >= base.steps)
    throw new TraceError("a short claim keeps at least one step", { steps: base.steps.toString(), by: by.toString() });
  return {
    phase: base.phase,
    steps: base.steps - by,
    rootAt: (t) => base.rootAt(t),
    leafProof: (t, s) => base.leafProof(t, s),
    open: (t, s) => base.open(t, s),
  };
}

/**
 * `base` claimed over `factor` x N steps: true roots up to N, `lie(root)` after it. Leaves past N are
 * the run's own (a halted VM steps to itself: the proof yields the halted root, not the garbage);
 * an opening past N (the graph phase has no op there) is its opening of the last op.
 */
export function longClaim(base: PhaseTrace, factor = 2n): PhaseTrace {
  if (factor < 2n) throw new TraceError("a long claim has at least twice the steps", { factor: factor.toString() });
  const n = base.steps;
  return {
    phase: base.phase,
    steps: factor * n,
    rootAt: (t) => (t <= n ? base.rootAt(t) : lie(base.rootAt(t))),
    leafProof: async (t, s) => {
      const a = await base.leafProof(t, s);
      return t + s <= n
        ? a
        : {
            proof: a.proof,
            valid: false,
            reason: "the run's step from its final state does not reach the claimed root",
            seconds: a.seconds,
            note: a.note,
          };
    },
    open: (t, s) => base.open(t < n ? t : n - s, s),
  };
}

/** An answer that is not `mr`'s (the output node's first byte + 1), as the claim posts it. */
export function wrongAnswer(mr: ModelRun): Hex {
  const wrong = honestBelief(mr).outputs[mr.outputNode]!.slice();
  wrong[0] = (wrong[0]! + 1) & 0xff;
  return rootFromField(tensorLeaf(wrong));
}

export type ClaimLiar =
  | { kind: "shortClaim" }
  | { kind: "longClaim" }
  | { kind: "wrongStart" }
  | { kind: "otherInput"; other: ModelRun }
  | { kind: "otherWeights"; node?: number }
  | { kind: "wrongOutput" };

/** A belief computed with one const node (a weight tensor) changed: every op recomputed natively. */
export function otherWeightsBelief(mr: ModelRun, node?: number): Belief {
  const idx = node ?? mr.graph.nodes.findIndex((n) => n.kind === "const");
  if (idx < 0 || mr.graph.nodes[idx]!.kind !== "const") throw new TraceError("no such const node", { node: idx });
  const outputs = mr.run.outputs.slice();
  const leaves = mr.run.leaves!.slice();
  const w = outputs[idx]!.slice();
  w[0] = (w[0]! + 1) & 0xff;
  outputs[idx] = w;
  leaves[idx] = tensorLeaf(w);
  for (const d of mr.ops) {
    const n = mr.graph.nodes[d.node]!;
    if (n.kind !== "op") continue;
    outputs[d.node] = runOp(
      n.op,
      n.params,
      n.inputs.map((j) => outputs[j]!),
    );
    leaves[d.node] = tensorLeaf(outputs[d.node]!);
  }
  return { outputs, leaves, lieAt: null };
}

/**
 * A claim-level liar: its trace (phase 0), and the claim it posts (start root, output) when they are
 * not its trace's. The published input is always `mr.input`.
 */
export function claimLiar(
  mr: ModelRun,
  leaf: LeafProver,
  l: ClaimLiar,
): { trace: PhaseTrace; startRoot?: Root; output: Hex } {
  switch (l.kind) {
    case "wrongStart": {
      const t = new GraphTrace(mr, honestBelief(mr), leaf);
      return { trace: t, startRoot: lie(t.rootAt(0n)), output: claimOutput(mr, honestBelief(mr)) };
    }
    case "otherInput": {
      if (l.other.opsTree.root !== mr.opsTree.root) throw new TraceError("the other run must be the same model", {});
      const b = honestBelief(l.other);
      return { trace: new GraphTrace(l.other, b, leaf), output: claimOutput(l.other, b) };
    }
    case "otherWeights": {
      const b = otherWeightsBelief(mr, l.node);
      return { trace: new GraphTrace(mr, b, leaf), output: claimOutput(mr, b) };
    }
    case "wrongOutput":
      return { trace: new GraphTrace(mr, honestBelief(mr), leaf), output: wrongAnswer(mr) };
    case "shortClaim":
      return { trace: shortClaim(new GraphTrace(mr, honestBelief(mr), leaf)), output: wrongAnswer(mr) };
    case "longClaim":
      return { trace: longClaim(new GraphTrace(mr, honestBelief(mr), leaf)), output: wrongAnswer(mr) };
  }
}
