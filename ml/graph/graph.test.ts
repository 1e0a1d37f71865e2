/**
 * Graph phase: commitments agree with the VM's preimage keys, the graph root after each node covers
 * exactly the outputs so far, ZKG round-trips and rejects malformed files, and the phase link holds
 * end to end on the zkfp VM (node program reads its inputs from the preimage oracle, its final
 * memory yields the node's output leaf).
 */
import { describe, it, expect, beforeAll } from "vitest";
import { initPoseidon, poseidon2 } from "../../vm/poseidon/index.ts";
import { OP } from "../dnn/ops.ts";
import { Rng } from "../../lib/rng.ts";
import { type Graph, constNode, inputNode, opNode, GraphError } from "./graph.ts";
import { GraphTree, blobRoot, denseRoot, tensorLeaf, rootFromProof } from "./commit.ts";
import { executeGraph } from "./executor.ts";
import { parseZkg, serializeZkg, FormatError } from "./format.ts";
import { committedGraph, honestBelief } from "../../protocol/trace/model.ts";
import { GraphTrace, nodeVmPhase } from "../../protocol/trace/graph.ts";
import { oneStepLeaf } from "../../protocol/trace/leaf.ts";
import { graphVmLink } from "../../protocol/link/twins.ts";
import { encodeLinkProof, nodeProgramConstants } from "../../protocol/link/graph.ts";
import { vmAvailable, loadVm } from "../guests/run.ts";

const f32 = (a: number[]) => new Uint8Array(new Float32Array(a).buffer);

function smallGraph(seed: number): Graph {
  const r = new Rng(seed);
  const g: Graph = { name: "small", nodes: [], outputs: [] };
  const d = 8,
    h = 12;
  const w1 = constNode(g, "w1", "f32", [h, d], f32(Array.from({ length: h * d }, () => r.normal())));
  const w2 = constNode(g, "w2", "f32", [d, h], f32(Array.from({ length: h * d }, () => r.normal() * 0.3)));
  const nw = constNode(g, "nw", "f32", [d], f32(Array.from({ length: d }, () => 1 + 0.1 * r.normal())));
  const x = inputNode(g, "x", "f32", [d]);
  const xn = opNode(g, "norm", OP.RMSNORM_F32, [d], [x, nw]);
  const a = opNode(g, "mm1", OP.MATMUL_F32, [h, d], [w1, xn]);
  const s = opNode(g, "silu", OP.SILU_F32, [h], [a]);
  const b = opNode(g, "mm2", OP.MATMUL_F32, [d, h], [w2, s]);
  const y = opNode(g, "res", OP.ADD_F32, [d], [x, b]);
  const p = opNode(g, "softmax", OP.SOFTMAX_F32, [d], [y]);
  const c = opNode(g, "cat", OP.CONCAT, [4 * d, 4 * d], [p, y]);
  const am = opNode(g, "argmax", OP.ARGMAX_F32, [d], [y]);
  g.outputs = [c, am];
  return g;
}

describe("graph commitments and phase link", () => {
  beforeAll(async () => {
    await initPoseidon();
  });

  it("a tensor leaf is the VM's preimage key of the same bytes", async () => {
    const vm = await loadVm();
    for (const n of [0, 1, 3, 4, 5, 64, 257, 4100]) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 37 + n) & 255);
      expect(tensorLeaf(bytes)).toBe(vm.blobKey(bytes));
    }
  });

  it("the graph root after node i commits to outputs 0..i and nothing later", async () => {
    const g = smallGraph(1);
    const run = await executeGraph(g, { x: f32([0.5, -1, 2, 0.25, 3, -0.75, 1.5, 0.1]) });
    const n = g.nodes.length;
    for (let i = 0; i < n; i++) {
      const t = GraphTree.fromLeaves(
        n,
        g.nodes.slice(0, i + 1).map((_, j) => tensorLeaf(run.outputs[j]!)),
      );
      expect(run.roots![i]).toBe(t.root());
    }
    // changing one op output changes every later root
    const run2 = await executeGraph(g, { x: f32([0.5, -1, 2, 0.25, 3, -0.75, 1.5, 0.2]) });
    expect(run2.roots![2]).toBe(run.roots![2]);
    expect(run2.roots![3]).not.toBe(run.roots![3]);
    const t = run.tree!;
    expect(rootFromProof(5, run.leaves![5]!, t.proof(5))).toBe(t.root());
    expect(rootFromProof(5, run.leaves![5]! + 1n, t.proof(5))).not.toBe(t.root());
    expect(blobRoot(new Uint8Array(0))).toBe(denseRoot([], 10));
  });

  it("ZKG round-trips and rejects malformed files with FormatError", () => {
    const g = smallGraph(2);
    const bytes = serializeZkg(g);
    const back = parseZkg(bytes);
    expect(serializeZkg(back)).toEqual(bytes);
    expect(() => parseZkg(bytes.subarray(0, 8))).toThrow(FormatError);
    const bad = bytes.slice();
    bad[0] = 0x41;
    expect(() => parseZkg(bad)).toThrow(/magic/);
    expect(() => parseZkg(bytes.subarray(0, bytes.length - 8))).toThrow(/outside the data region/);
    const json = JSON.parse(
      new TextDecoder().decode(bytes.subarray(12, 12 + new DataView(bytes.buffer).getUint32(8, true))),
    );
    json.nodes[5].inputs = [7, 2];
    const enc = new TextEncoder().encode(JSON.stringify(json));
    const hdr = new Uint8Array(12);
    hdr.set(bytes.subarray(0, 8));
    new DataView(hdr.buffer).setUint32(8, enc.length, true);
    const data = bytes.subarray(12 + ((new DataView(bytes.buffer).getUint32(8, true) + 3) & ~3));
    const pad = new Uint8Array((4 - (enc.length % 4)) % 4);
    expect(() => parseZkg(new Uint8Array([...hdr, ...enc, ...pad, ...data]))).toThrow(/topologically/);
    expect(() => opNode(g, "bad", OP.MATMUL_F32, [3, 3], [0, 1])).toThrow(GraphError);
  });

  /** The graph phase over a committed run and the TS twin of its GraphVmLink (protocol/link). */
  async function linked(g: Graph, run: Awaited<ReturnType<typeof executeGraph>>) {
    const cg = committedGraph(g, run);
    const np = await nodeProgramConstants();
    const link = graphVmLink({
      opsRoot: cg.opsTree.root,
      opCount: cg.ops.length,
      graphDepth: GraphTree.depthFor(g.nodes.length),
      m: 1n,
      ...np,
    });
    return { cg, link, trace: new GraphTrace(cg, honestBelief(cg), oneStepLeaf) };
  }

  it.skipIf(!vmAvailable())(
    "every op node's VM run reproduces its output leaf from final memory (phase link)",
    async () => {
      const g = smallGraph(3);
      const run = await executeGraph(g, { x: f32([1, 2, 3, 4, -1, -2, -3, -4]) });
      const { cg, link, trace } = await linked(g, run);
      for (let t = 0; t < cg.ops.length; t++) {
        const o = await trace.open(BigInt(t), 1n);
        expect(trace.rootAt(BigInt(t + 1))).toBe("0x" + run.roots![cg.ops[t]!.node]!.toString(16).padStart(64, "0"));
        expect(
          link.verifyLink(
            trace.rootAt(BigInt(t)),
            trace.rootAt(BigInt(t + 1)),
            o.innerStart,
            o.innerEnd,
            o.innerSteps,
            o.linkProof,
          ),
        ).toBe(true);
        const { vm } = await nodeVmPhase(cg, honestBelief(cg), cg.ops[t]!, oneStepLeaf);
        expect(vm.lying).toBe(false);
        expect(vm.run.seek(vm.run.length).result()).toMatchObject({ status: "exited", exitCode: 0 });
      }
    },
  );

  it.skipIf(!vmAvailable())(
    "a link with a wrong input leaf fails: the link rejects it and the oracle has no such preimage",
    async () => {
      const g = smallGraph(4);
      const run = await executeGraph(g, { x: f32([1, 2, 3, 4, -1, -2, -3, -4]) });
      const { cg, link, trace } = await linked(g, run);
      const t = cg.ops.findIndex((d) => g.nodes[d.node]!.name === "res");
      const { vm, parts } = await trace.linkParts(t, t);
      const forged = encodeLinkProof({
        ...parts,
        inputLeaves: parts.inputLeaves.map((x, k) => (k === 0 ? poseidon2(x, 1n) : x)),
      });
      expect(
        link.verifyLink(
          trace.rootAt(BigInt(t)),
          trace.rootAt(BigInt(t + 1)),
          vm.rootAt(0n),
          vm.rootAt(vm.steps),
          vm.steps,
          forged,
        ),
      ).toBe(false);
      // tampered tensor served under its own (honest) key: the oracle refuses it
      const b = honestBelief(cg);
      const other = run.outputs[cg.ops[t]!.inputs[0]!]!.slice();
      other[0]! ^= 1;
      const outputs = b.outputs.slice();
      outputs[cg.ops[t]!.inputs[0]!] = other;
      await expect(nodeVmPhase(cg, { ...b, outputs }, cg.ops[t]!, oneStepLeaf)).rejects.toThrow(/preimage unavailable/);
    },
  );

  it.skipIf(!vmAvailable())(
    "an op with negative params (REQUANT_I8, multiplier -3, lo -128) is linked through its u32 words",
    async () => {
      const g: Graph = { name: "neg", nodes: [], outputs: [] };
      const x = inputNode(g, "x", "i32", [6]);
      const q = opNode(g, "q", OP.REQUANT_I8, [6, 0, -3, 1, -128, 127], [x]);
      g.outputs = [q];
      const xs = new Uint8Array(new Int32Array([5, -7, 100, -100, 0, 2 ** 30]).buffer);
      const run = await executeGraph(g, { x: xs });
      expect([...new Int8Array(run.outputs[q]!.buffer, run.outputs[q]!.byteOffset, 6)]).toEqual([
        -7, 11, -128, 127, 0, -128,
      ]);
      const { cg, link, trace } = await linked(g, run);
      // the descriptor holds the words node.elf reads (two's complement), all <= 2^32 - 1
      expect(cg.ops[0]!.params).toEqual([6, 0, 2 ** 32 - 3, 1, 2 ** 32 - 128, 127]);
      const o = await trace.open(0n, 1n);
      expect(trace.rootAt(1n)).toBe("0x" + run.roots![q]!.toString(16).padStart(64, "0"));
      expect(
        link.verifyLink(trace.rootAt(0n), trace.rootAt(1n), o.innerStart, o.innerEnd, o.innerSteps, o.linkProof),
      ).toBe(true);
      // a proof naming other params (the multiplier's sign dropped) is not the committed descriptor
      const { vm, parts } = await trace.linkParts(0, 0);
      const forged = encodeLinkProof({ ...parts, d: { ...parts.d, params: [6, 0, 3, 1, 2 ** 32 - 128, 127] } });
      expect(
        link.verifyLink(trace.rootAt(0n), trace.rootAt(1n), vm.rootAt(0n), vm.rootAt(vm.steps), vm.steps, forged),
      ).toBe(false);
    },
  );
});
