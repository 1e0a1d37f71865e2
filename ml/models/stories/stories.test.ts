/**
 * stories260K: checkpoint parsing with typed errors, the float32 graph's forward pass against the
 * independent float64 reference, and the bit-exact match of the native graph with the RV32IM
 * stories program (qemu: 24 positions with logits; zkfp VM: 1 position by default, 6 under
 * ZKFP_HEAVY) and with the node program on sampled graph nodes through the phase link.
 */
import { describe, it, expect, beforeAll } from "vitest";
import { loadCheckpoint, parseCheckpoint, CheckpointError, type Checkpoint } from "./checkpoint.ts";
import { buildStoriesGraph, promptInputs, StoriesError } from "./graph.ts";
import { Ref64 } from "./ref64.ts";
import { executeGraph, type GraphRun } from "../../graph/executor.ts";
import { committedGraph, honestBelief } from "../../../protocol/trace/model.ts";
import { GraphTrace } from "../../../protocol/trace/graph.ts";
import { oneStepLeaf } from "../../../protocol/trace/leaf.ts";
import { graphVmLink } from "../../../protocol/link/twins.ts";
import { nodeProgramConstants } from "../../../protocol/link/graph.ts";
import { GraphTree } from "../../graph/commit.ts";
import { guestPath, qemuAvailable, runQemu, runVm, vmAvailable } from "../../guests/run.ts";
import { storiesInput } from "../../infer.ts";

const T = 24;
// VM runs are synchronous and slow down a lot on a loaded machine; heavy ones run for minutes
const HEAVY_TIMEOUT = process.env.ZKFP_HEAVY ? 3_600_000 : 600_000;
let ck: Checkpoint;
let sg: ReturnType<typeof buildStoriesGraph>;
let run: GraphRun;

const logitsBytes = (p: number) => run.outputs[sg.logits[p]!]!;
const token = (p: number) => new Int32Array(run.outputs[sg.next[p]!]!.slice().buffer)[0]!;

describe("stories260K", () => {
  beforeAll(async () => {
    ck = loadCheckpoint();
    sg = buildStoriesGraph(ck, 1, T);
    run = await executeGraph(sg.graph, promptInputs([1]), { commit: false });
  });

  it("rejects malformed checkpoints with CheckpointError", () => {
    expect(() => parseCheckpoint(ck.bytes.subarray(0, 20))).toThrow(CheckpointError);
    expect(() => parseCheckpoint(ck.bytes.subarray(0, ck.bytes.length - 4))).toThrow(/size does not match/);
    const bad = ck.bytes.slice();
    new DataView(bad.buffer).setInt32(0, 63, true);
    expect(() => parseCheckpoint(bad)).toThrow(/implausible|size/);
    const neg = ck.bytes.slice();
    new DataView(neg.buffer).setInt32(8, -5, true);
    expect(() => parseCheckpoint(neg)).toThrow(/implausible/);
    expect(ck.config).toMatchObject({
      dim: 64,
      hiddenDim: 172,
      nLayers: 5,
      nHeads: 8,
      nKvHeads: 4,
      vocabSize: 512,
      seqLen: 512,
    });
    expect(() => buildStoriesGraph(ck, 0, 4)).toThrow(StoriesError);
  });

  it("the float32 graph agrees with the float64 reference (logits within 1e-3, same greedy tokens)", () => {
    const ref = new Ref64(ck, T);
    let tok = 1,
      worst = 0;
    for (let p = 0; p < T; p++) {
      const r = ref.forward(tok, p);
      const f = new Float32Array(logitsBytes(p).slice().buffer);
      for (let i = 0; i < r.length; i++) worst = Math.max(worst, Math.abs(r[i]! - f[i]!));
      const sorted = [...r].sort((a, b) => b - a);
      if (sorted[0]! - sorted[1]! > 1e-3) expect(token(p)).toBe(r.indexOf(sorted[0]!));
      tok = token(p);
    }
    expect(worst).toBeLessThan(1e-3);
  });

  it.skipIf(!qemuAvailable())(
    `the stories program on qemu reproduces the graph's logits bit for bit (${T} positions)`,
    () => {
      const q = runQemu(guestPath("stories"), storiesInput([1], T, true));
      expect(q.exitCode).toBe(0);
      const per = 4 * ck.config.vocabSize + 4;
      expect(q.stdout.length).toBe(T * per);
      for (let p = 0; p < T; p++) {
        expect(Buffer.from(q.stdout.subarray(p * per, p * per + per - 4)).equals(Buffer.from(logitsBytes(p)))).toBe(
          true,
        );
        expect(new DataView(q.stdout.buffer, q.stdout.byteOffset).getInt32(p * per + per - 4, true)).toBe(token(p));
      }
    },
  );

  it.skipIf(!vmAvailable())(
    "the stories program on the zkfp VM reproduces the graph's logits bit for bit",
    async () => {
      const n = process.env.ZKFP_HEAVY ? 6 : 1;
      const r = await runVm(guestPath("stories"), storiesInput([1], n, true));
      expect(r.exitCode).toBe(0);
      const per = 4 * ck.config.vocabSize + 4;
      for (let p = 0; p < n; p++)
        expect(Buffer.from(r.stdout.subarray(p * per, p * per + per - 4)).equals(Buffer.from(logitsBytes(p)))).toBe(
          true,
        );
    },
    HEAVY_TIMEOUT,
  );

  it.skipIf(!vmAvailable())(
    "node programs on the zkfp VM reproduce sampled graph nodes' leaves (phase link)",
    async () => {
      const small = buildStoriesGraph(ck, 1, 3);
      const crun = await executeGraph(small.graph, promptInputs([1]));
      const names = process.env.ZKFP_HEAVY
        ? small.graph.nodes.filter((n) => n.kind === "op" && n.name.startsWith("p2.")).map((n) => n.name)
        : ["p2.embed", "p2.l0.rms_att", "p2.l1.k_rope", "p2.l2.k_cache", "p2.l3.attention", "p2.l4.swiglu", "p2.next"];
      const cg = committedGraph(small.graph, crun);
      const trace = new GraphTrace(cg, honestBelief(cg), oneStepLeaf);
      const link = graphVmLink({
        opsRoot: cg.opsTree.root,
        opCount: cg.ops.length,
        graphDepth: GraphTree.depthFor(small.graph.nodes.length),
        m: 1n,
        ...(await nodeProgramConstants()),
      });
      for (const name of names) {
        const t = BigInt(cg.ops.findIndex((d) => small.graph.nodes[d.node]!.name === name));
        // the opening's end state must hold the node's output leaf (GraphVmLink twin), the node program exited with 0
        const o = await trace.open(t, 1n);
        expect({
          name,
          ok: link.verifyLink(
            trace.rootAt(t),
            trace.rootAt(t + 1n),
            o.innerStart,
            o.innerEnd,
            o.innerSteps,
            o.linkProof,
          ),
        }).toEqual({ name, ok: true });
      }
    },
    HEAVY_TIMEOUT,
  );
});
