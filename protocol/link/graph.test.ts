/**
 * The graph/VM link's position pinning, exhaustively with the TS twin (protocol/link/graph.ts) on
 * both models: MNIST (a chain of 5 ops) and stories260K (79 ops, 25 parallel pairs where op t+1 does
 * not read op t). For every disputed graph step t and every op t', the opening of op t' against the
 * graph root at t (its descriptor, its slot, its predecessor's leaf as the state holds it) passes
 * the position checks iff t' = t. The shown attack (op t+1 at t with prevLeaf = p) is a typed
 * NotAFieldElement, and with prevLeaf = 0 it fails exactly the predecessor check (every other
 * check passes: the attack is otherwise complete). The fixtures are the ones the forge tests use
 * (contracts/test/fixtures/graph_link_*.json), so twin and contract decide the same openings.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { initPoseidon, FIELD_MODULUS } from "../../vm/poseidon/index.ts";
import { honestBelief, loadModelRun, type ModelRun } from "../trace/model.ts";
import { GraphTrace } from "../trace/graph.ts";
import { oneStepLeaf } from "../trace/leaf.ts";
import {
  checkGraphVmLink,
  encodeLinkProof,
  graphVmLinkChecks,
  graphVmLinkThunks,
  nodeProgramConstants,
  type LinkConfig,
  type LinkProof,
} from "./graph.ts";
import { LinkError } from "./errors.ts";
import { subtreeLevel } from "../../ml/graph/commit.ts";
import type { Hex, Root } from "../game/types.ts";

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../contracts/test/fixtures/${name}`, import.meta.url), "utf8"));

async function configOf(mr: ModelRun, m: bigint): Promise<LinkConfig> {
  const np = await nodeProgramConstants();
  let d = 1;
  while (4 ** d < mr.graph.nodes.length) d++;
  return { opsRoot: mr.opsTree.root, opCount: mr.ops.length, graphDepth: d, m, ...np };
}

/** Op t' opened against graph state t, graph side as the state holds it, VM side placeholders. */
function openingAt(
  mr: ModelRun,
  g: GraphTrace,
  t: number,
  tp: number,
  prevLeaf?: bigint,
  tree = g.treeAt(t),
  opsProof = mr.opsTree.proof(tp),
): Hex {
  const d = mr.ops[tp]!;
  const k = subtreeLevel(d.outLen);
  const parts: LinkProof = {
    t: tp,
    d,
    opsProof,
    inputLeaves: d.inputs.map((j) => tree.leaf(j)),
    inputProofs: d.inputs.map((j) => tree.proof(j)),
    prevLeaf: prevLeaf ?? (tp === 0 ? 0n : tree.leaf(Number(d.prev))),
    prevProof: tp === 0 ? [] : tree.proof(Number(d.prev)),
    outProof: tree.proof(d.node),
    memSub: 0n,
    memProof: Array(3 * (10 - k)).fill(0n),
    pcEnd: 0,
    stepEnd: 1,
    regsRootEnd: 0n,
    ioPreEnd: 0n,
  };
  return encodeLinkProof(parts);
}

describe("GraphVmLink position pinning (TS twin, both models)", () => {
  beforeAll(async () => {
    await initPoseidon();
  });

  for (const model of ["mnist", "stories260K"] as const) {
    it(`${model}: for every step t and op t', the opening of t' at t passes the position checks iff t' = t`, async () => {
      const mr = await loadModelRun(model, {});
      const g = new GraphTrace(mr, honestBelief(mr), oneStepLeaf);
      const cfg = await configOf(mr, 1n);
      const n = mr.ops.length;
      const opsProofs = mr.ops.map((_, tp) => mr.opsTree.proof(tp));
      let pairs = 0;
      for (let t = 0; t < n; t++) {
        const pre = g.rootAt(BigInt(t));
        const tree = g.treeAt(t);
        for (let tp = 0; tp < n; tp++) {
          const th = graphVmLinkThunks(
            cfg,
            pre,
            pre,
            pre,
            pre,
            1n,
            openingAt(mr, g, t, tp, undefined, tree, opsProofs[tp]),
          );
          // the descriptor check does not depend on t: once per op
          if (t === 0) expect(th.ops(), `descriptor of op ${tp}`).toBe(true);
          const pinned = th.slot() && th.prev();
          expect(pinned, `op ${tp} at step ${t}`).toBe(tp === t);
          if (tp === t) expect(th.inputs()).toBe(true);
          pairs++;
        }
      }
      expect(pairs).toBe(n * n);
    }, 120_000);
  }

  it("stories260K: the prevLeaf = p attack at each of the 25 parallel pairs is a typed NotAFieldElement", async () => {
    const mr = await loadModelRun("stories260K", {});
    const g = new GraphTrace(mr, honestBelief(mr), oneStepLeaf);
    const cfg = await configOf(mr, 1n);
    let pairs = 0;
    for (let t = 0; t + 1 < mr.ops.length; t++) {
      if (mr.ops[t + 1]!.inputs.includes(mr.ops[t]!.node)) continue;
      pairs++;
      const pre = g.rootAt(BigInt(t));
      const th = graphVmLinkThunks(cfg, pre, pre, pre, pre, 1n, openingAt(mr, g, t, t + 1, FIELD_MODULUS));
      expect(th.ops() && th.slot()).toBe(true); // op t+1's descriptor and empty slot open at t
      expect(() => th.prev()).toThrow(LinkError);
      try {
        th.prev();
      } catch (e) {
        expect((e as LinkError).detail.reason).toBe("NotAFieldElement");
      }
    }
    expect(pairs).toBe(25);
  }, 60_000);

  it("the forge fixtures: honest openings accepted, p-aliased ones throw, zero-prev ones fail only the predecessor check", async () => {
    const j = fixture("graph_link_stories.json");
    const cfg: LinkConfig = {
      opsRoot: j.opsRoot,
      opCount: j.opCount,
      graphDepth: j.depth,
      m: BigInt(j.m),
      core0: BigInt(j.core0),
      mem0: BigInt(j.mem0),
      code0: BigInt(j.code0),
    };
    const args = (c: { pre: Root; post: Root; start: Root; end: Root; steps: number; proof: Hex }) =>
      [cfg, c.pre, c.post, c.start, c.end, BigInt(c.steps), c.proof] as const;
    for (let i = 0; i < j.pairs.length; i++) {
      expect(checkGraphVmLink(...args(j.honest[i]))).toBe(true);
      expect(() => checkGraphVmLink(...args(j.attacks[i]))).toThrow(/not a field element/);
      expect(graphVmLinkChecks(...args(j.zeroPrev[i]))).toEqual({
        ops: true,
        slot: true,
        prev: false,
        inputs: true,
        start: true,
        steps: true,
        post: true,
        end: true,
      });
    }
    for (const c of j.sample) expect(checkGraphVmLink(...args(c))).toBe(false);
    const mn = fixture("graph_link_mnist.json");
    const mcfg: LinkConfig = {
      opsRoot: mn.opsRoot,
      opCount: mn.opCount,
      graphDepth: mn.depth,
      m: BigInt(mn.m),
      core0: BigInt(mn.core0),
      mem0: BigInt(mn.mem0),
      code0: BigInt(mn.code0),
    };
    for (const c of mn.cases)
      expect(checkGraphVmLink(mcfg, c.pre, c.post, c.start, c.end, BigInt(c.steps), c.proof)).toBe(true);
  }, 60_000);

  it("malformed proofs are typed MalformedProof errors", async () => {
    const mn = fixture("graph_link_mnist.json");
    const cfg: LinkConfig = {
      opsRoot: mn.opsRoot,
      opCount: mn.opCount,
      graphDepth: mn.depth,
      m: BigInt(mn.m),
      core0: BigInt(mn.core0),
      mem0: BigInt(mn.mem0),
      code0: BigInt(mn.code0),
    };
    const c = mn.cases[1];
    const run = (proof: string) => () =>
      checkGraphVmLink(cfg, c.pre, c.post, c.start, c.end, BigInt(c.steps), proof as Hex);
    for (const bad of [c.proof.slice(0, -64), c.proof + "00".repeat(32), c.proof + "00", "0x"]) {
      expect(run(bad)).toThrow(LinkError);
      try {
        run(bad)();
      } catch (e) {
        expect((e as LinkError).detail.reason).toBe("MalformedProof");
      }
    }
  });
});
