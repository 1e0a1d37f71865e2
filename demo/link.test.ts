/**
 * GraphVmLink (contracts/src/link) on anvil, openings built by the engine's graph phase
 * (protocol/trace/graph.ts `GraphTrace.linkParts`, encoding protocol/link/graph.ts): the honest opening of a
 * real MNIST node verifies on chain, and every way of detaching the VM sub-game from the graph
 * roots is rejected (wrong length, wrong end state, another node's opening, a tampered input key,
 * a tampered descriptor). A liar's opening of its tampered node also verifies: its lie sits in the
 * VM end state, which the inner game then settles (demo.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Contract } from "ethers";
import { startAnvil, type Chain } from "../protocol/chain/anvil.ts";
import { rootFromField, type Root } from "../protocol/game/types.ts";
import { artifact } from "../contracts/build.ts";
import { Deployer } from "../protocol/chain/deployer.ts";
import { encodeLinkProof, nodeProgramConstants, type LinkProof } from "../protocol/link/graph.ts";
import { honestBelief, loadModelRun, lyingBelief, type ModelRun } from "../protocol/trace/model.ts";
import { GraphTrace } from "../protocol/trace/graph.ts";
import { oneStepLeaf } from "../protocol/trace/leaf.ts";

describe("GraphVmLink (on chain) for MNIST", () => {
  let chain: Chain, link: Contract, mr: ModelRun, g: GraphTrace;
  beforeAll(async () => {
    chain = await startAnvil();
    mr = await loadModelRun("mnist", { image: 8002 });
    g = new GraphTrace(mr, honestBelief(mr), oneStepLeaf);
    const np = await nodeProgramConstants();
    const accounts: string[] = await chain.provider.send("eth_accounts", []);
    const dep = new Deployer(chain, accounts[0]!);
    const addr = await dep.deploy("GraphVmLink.sol", "GraphVmLink", [
      mr.opsTree.root,
      mr.ops.length,
      2,
      1,
      np.core0,
      np.mem0,
      np.code0,
    ]);
    link = new Contract(addr, artifact("GraphVmLink.sol", "GraphVmLink").abi as never, chain.provider);
  });
  afterAll(async () => {
    await chain?.stop();
  });

  /** The link's answer; a revert (typed: MalformedProof, NotAFieldElement) rejects like false and counts as false. */
  const verify = async (
    pre: Root,
    post: Root,
    start: Root,
    end: Root,
    steps: bigint,
    proof: string,
  ): Promise<boolean> => {
    try {
      return (await link.getFunction("verifyLink").staticCall(pre, post, start, end, steps, proof)) as boolean;
    } catch (e) {
      if (/MalformedProof|NotAFieldElement/.test(String((e as Error).message))) return false;
      throw e;
    }
  };

  it("accepts the honest opening of every op node and rejects a wrong step count or end root", async () => {
    for (let t = 0; t < mr.ops.length; t++) {
      const o = { ...(await g.linkParts(t, t)), linkProof: "" };
      o.linkProof = encodeLinkProof(o.parts);
      const [pre, post, start, end] = [
        g.rootAt(BigInt(t)),
        g.rootAt(BigInt(t + 1)),
        o.vm.rootAt(0n),
        o.vm.rootAt(o.vm.steps),
      ];
      expect(await verify(pre, post, start, end, o.vm.steps, o.linkProof)).toBe(true);
      expect(await verify(pre, post, start, end, o.vm.steps + 1n, o.linkProof)).toBe(false);
      expect(await verify(pre, post, start, o.vm.rootAt(o.vm.steps - 1n), o.vm.steps, o.linkProof)).toBe(false);
      expect(await verify(pre, post, o.vm.rootAt(1n), end, o.vm.steps, o.linkProof)).toBe(false);
    }
  }, 120_000);

  it("rejects an opening moved to another position of the graph game", async () => {
    const o = await g.linkParts(3, 3);
    const linkProof = encodeLinkProof(o.parts);
    const [start, end] = [o.vm.rootAt(0n), o.vm.rootAt(o.vm.steps)];
    expect(await verify(g.rootAt(4n), g.rootAt(5n), start, end, o.vm.steps, linkProof)).toBe(false);
    expect(await verify(g.rootAt(2n), g.rootAt(3n), start, end, o.vm.steps, linkProof)).toBe(false);
  }, 60_000);

  it("rejects tampered input keys, descriptors and output proofs", async () => {
    const o = await g.linkParts(1, 1);
    const args = [g.rootAt(1n), g.rootAt(2n), o.vm.rootAt(0n), o.vm.rootAt(o.vm.steps), o.vm.steps] as const;
    // false, or a typed revert (a tampered length changes the proof's layout: MalformedProof)
    const tamper = async (f: (p: LinkProof) => LinkProof) => {
      try {
        return await verify(...args, encodeLinkProof(f(structuredClone(o.parts))));
      } catch (e) {
        expect(String((e as Error).message)).toMatch(/MalformedProof|NotAFieldElement/);
        return false;
      }
    };
    expect(await tamper((p) => p)).toBe(true);
    expect(await tamper((p) => ({ ...p, inputLeaves: p.inputLeaves.map((x, i) => (i === 1 ? x + 1n : x)) }))).toBe(
      false,
    );
    expect(
      await tamper((p) => ({ ...p, d: { ...p.d, params: p.d.params.map((x, i) => (i === 0 ? x + 1 : x)) } })),
    ).toBe(false);
    expect(await tamper((p) => ({ ...p, d: { ...p.d, outLen: p.d.outLen + 4 } }))).toBe(false);
    expect(await tamper((p) => ({ ...p, memSub: p.memSub + 1n }))).toBe(false);
    expect(await tamper((p) => ({ ...p, prevLeaf: 0n }))).toBe(false);
    expect(await tamper((p) => ({ ...p, t: 2 }))).toBe(false);
  }, 60_000);

  it("accepts a consistent liar's opening of its tampered node (the lie is in the VM end state)", async () => {
    const lie = new GraphTrace(mr, lyingBelief(mr, 4), oneStepLeaf);
    const o = await lie.linkParts(4, 4);
    const linkProof = encodeLinkProof(o.parts);
    expect(o.vm.lying).toBe(true);
    expect(lie.rootAt(4n)).toBe(g.rootAt(4n));
    expect(lie.rootAt(5n)).not.toBe(g.rootAt(5n));
    expect(
      await verify(lie.rootAt(4n), lie.rootAt(5n), o.vm.rootAt(0n), o.vm.rootAt(o.vm.steps), o.vm.steps, linkProof),
    ).toBe(true);
    expect(o.vm.rootAt(o.vm.steps)).not.toBe(rootFromField(o.vm.run.rootAt(o.vm.run.length)));
  }, 60_000);
});
