/**
 * GraphVmLink on anvil against its TS twin (protocol/link/graph.ts, demo/world.ts): the honest opening of a
 * real MNIST node verifies on chain, and every way of detaching the VM sub-game from the graph
 * roots is rejected (wrong length, wrong end state, another node's opening, a tampered input key,
 * a tampered descriptor). A liar's opening of its tampered node also verifies: its lie sits in the
 * VM end state, which the inner game then settles (demo.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Contract } from "ethers";
import { startAnvil, type Chain } from "../protocol/chain/anvil.ts";
import { rootFromField, type Root } from "../protocol/game/types.ts";
import { Deployer, demoArtifact } from "./contracts.ts";
import { encodeLinkProof, nodeProgramConstants, type LinkProof } from "./link.ts";
import { GraphPhase, honestBelief, loadModelRun, lyingBelief, type ModelRun } from "./world.ts";

describe("GraphVmLink (on chain) for MNIST", () => {
  let chain: Chain, link: Contract, mr: ModelRun, g: GraphPhase;
  beforeAll(async () => {
    chain = await startAnvil();
    mr = await loadModelRun("mnist", { image: 8002 });
    g = new GraphPhase(mr, honestBelief(mr));
    const np = await nodeProgramConstants();
    const accounts: string[] = await chain.provider.send("eth_accounts", []);
    const dep = new Deployer(chain, accounts[0]!);
    const addr = await dep.deploy("GraphVmLink.sol", "GraphVmLink", [mr.opsTree.root, mr.ops.length, 2, 1, np.core0, np.mem0, np.code0]);
    link = new Contract(addr, demoArtifact("GraphVmLink.sol", "GraphVmLink").abi as never, chain.provider);
  });
  afterAll(async () => {
    await chain?.stop();
  });

  const verify = (pre: Root, post: Root, start: Root, end: Root, steps: bigint, proof: string): Promise<boolean> =>
    link.getFunction("verifyLink").staticCall(pre, post, start, end, steps, proof) as Promise<boolean>;

  it("accepts the honest opening of every op node and rejects a wrong step count or end root", async () => {
    for (let t = 0; t < mr.ops.length; t++) {
      const o = await g.open(t, 1n);
      const [pre, post, start, end] = [g.rootAt(BigInt(t)), g.rootAt(BigInt(t + 1)), o.vm.rootAt(0n), o.vm.rootAt(o.vm.steps)];
      expect(await verify(pre, post, start, end, o.vm.steps, o.linkProof)).toBe(true);
      expect(await verify(pre, post, start, end, o.vm.steps + 1n, o.linkProof)).toBe(false);
      expect(await verify(pre, post, start, o.vm.rootAt(o.vm.steps - 1n), o.vm.steps, o.linkProof)).toBe(false);
      expect(await verify(pre, post, o.vm.rootAt(1n), end, o.vm.steps, o.linkProof)).toBe(false);
    }
  }, 120_000);

  it("rejects an opening moved to another position of the graph game", async () => {
    const o = await g.open(3, 1n);
    const [start, end] = [o.vm.rootAt(0n), o.vm.rootAt(o.vm.steps)];
    expect(await verify(g.rootAt(4n), g.rootAt(5n), start, end, o.vm.steps, o.linkProof)).toBe(false);
    expect(await verify(g.rootAt(2n), g.rootAt(3n), start, end, o.vm.steps, o.linkProof)).toBe(false);
  }, 60_000);

  it("rejects tampered input keys, descriptors and output proofs", async () => {
    const o = await g.open(1, 1n);
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
    expect(await tamper((p) => ({ ...p, inputLeaves: p.inputLeaves.map((x, i) => (i === 1 ? x + 1n : x)) }))).toBe(false);
    expect(await tamper((p) => ({ ...p, d: { ...p.d, params: p.d.params.map((x, i) => (i === 0 ? x + 1 : x)) } }))).toBe(false);
    expect(await tamper((p) => ({ ...p, d: { ...p.d, outLen: p.d.outLen + 4 } }))).toBe(false);
    expect(await tamper((p) => ({ ...p, memSub: p.memSub + 1n }))).toBe(false);
    expect(await tamper((p) => ({ ...p, prevLeaf: 0n }))).toBe(false);
    expect(await tamper((p) => ({ ...p, t: 2 }))).toBe(false);
  }, 60_000);

  it("accepts a consistent liar's opening of its tampered node (the lie is in the VM end state)", async () => {
    const lie = new GraphPhase(mr, lyingBelief(mr, 4));
    const o = await lie.open(4, 1n);
    expect(o.vm.lying).toBe(true);
    expect(lie.rootAt(4n)).toBe(g.rootAt(4n));
    expect(lie.rootAt(5n)).not.toBe(g.rootAt(5n));
    expect(await verify(lie.rootAt(4n), lie.rootAt(5n), o.vm.rootAt(0n), o.vm.rootAt(o.vm.steps), o.vm.steps, o.linkProof)).toBe(true);
    expect(o.vm.rootAt(o.vm.steps)).not.toBe(rootFromField(o.vm.end.trueRoot));
  }, 60_000);
});
