/**
 * ML benchmarks (issue 6): MNIST int8 inference native (graph executor, with and without per-node
 * commitments) vs in the zkfp VM (steps, seconds) with qemu-riscv32 as the reference machine;
 * stories260K tokens/s native and in-VM, VM steps per token, graph nodes per token. All figures are
 * measured in the same run; VM seconds include machine creation only where stated.
 */
import { readFileSync } from "node:fs";
import type { BenchResult } from "../scripts/bench.ts";
import { initPoseidon } from "../vm/poseidon/index.ts";
import { loadMnist, image, TRAIN } from "./models/mnist/data.ts";
import { loadMnistGraph, mnistInput, guestBatch } from "./models/mnist/eval.ts";
import { executeGraph } from "./graph/executor.ts";
import { loadCheckpoint } from "./models/stories/checkpoint.ts";
import { buildStoriesGraph, promptInputs } from "./models/stories/graph.ts";
import { storiesInput } from "./infer.ts";
import { guestPath, loadVm, runQemu } from "./guests/run.ts";
import { committedGraph, honestBelief } from "../protocol/trace/model.ts";
import { nodeVmPhase } from "../protocol/trace/graph.ts";
import { oneStepLeaf } from "../protocol/trace/leaf.ts";

async function vmTimed(elf: string, input: Uint8Array) {
  const vm = await loadVm();
  const t0 = performance.now();
  const m = await vm.Machine.create(vm.loadElf(new Uint8Array(readFileSync(elf))), { input });
  const t1 = performance.now();
  const r = m.run(2 ** 40);
  const t2 = performance.now();
  if (r.status !== "exited" || r.exitCode !== 0) throw new Error(`${elf}: ${r.status} ${r.exitCode}`);
  return { steps: r.steps, createS: (t1 - t0) / 1000, runS: (t2 - t1) / 1000 };
}

export async function bench({ heavy }: { heavy: boolean }): Promise<BenchResult[]> {
  await initPoseidon();
  const out: BenchResult[] = [];
  // ---- MNIST ----
  const d = loadMnist();
  const g = loadMnistGraph("i8");
  const nImg = heavy ? 500 : 50;
  let t = performance.now();
  for (let i = 0; i < nImg; i++)
    await executeGraph(g, { image: mnistInput("i8", image(d, TRAIN + i)) }, { commit: false });
  const nativeS = (performance.now() - t) / 1000 / nImg;
  t = performance.now();
  for (let i = 0; i < 10; i++)
    await executeGraph(g, { image: mnistInput("i8", image(d, TRAIN + i)) }, { commit: true });
  const commitS = (performance.now() - t) / 1000 / 10;
  const one = await vmTimed(guestPath("mnist-i8"), guestBatch("i8", d, TRAIN, 1));
  const batch = await vmTimed(guestPath("mnist-i8"), guestBatch("i8", d, TRAIN, nImg));
  const q = runQemu(guestPath("mnist-i8"), guestBatch("i8", d, TRAIN, nImg));
  out.push(
    { name: "mnist_native_s_per_image", compares: "native TS int8 graph, no commitments", value: nativeS, unit: "s" },
    {
      name: "mnist_native_committed_s_per_image",
      compares: "native TS int8 graph + Poseidon leaf/root per node",
      value: commitS,
      unit: "s",
    },
    {
      name: "mnist_vm_steps_per_image",
      compares: "zkfp VM steps, int8 MLP 784-64-10",
      value: one.steps,
      unit: "steps",
    },
    {
      name: "mnist_vm_s_one_image",
      compares: "zkfp VM, one image incl. machine creation (anchor < 1 s)",
      value: one.createS + one.runS,
      unit: "s",
      notes: `create ${one.createS.toFixed(3)} s, run ${one.runS.toFixed(3)} s`,
    },
    {
      name: "mnist_vm_s_per_image",
      compares: "zkfp VM run time per image in a batch vs native",
      value: batch.runS / nImg,
      unit: "s",
      baseline: nativeS,
      ratio: batch.runS / nImg / nativeS,
      notes: `${nImg} images, ${(batch.steps / batch.runS / 1e6).toFixed(1)} M steps/s`,
    },
    {
      name: "mnist_qemu_s_per_image",
      compares: "qemu-riscv32, same ELF and batch, incl. process start",
      value: q.seconds / nImg,
      unit: "s",
    },
  );
  // ---- stories260K ----
  const ck = loadCheckpoint();
  const T = heavy ? 32 : 8;
  const sg = buildStoriesGraph(ck, 1, T);
  t = performance.now();
  await executeGraph(sg.graph, promptInputs([1]), { commit: false });
  const natS = (performance.now() - t) / 1000;
  await executeGraph(buildStoriesGraph(ck, 1, 2).graph, promptInputs([1])); // warm the const-leaf cache
  t = performance.now();
  const committed = await executeGraph(sg.graph, promptInputs([1]));
  const comS = (performance.now() - t) / 1000;
  const ops = sg.graph.nodes.length - sg.firstOp;
  const steady = buildStoriesGraph(ck, 1, 3).graph.nodes.filter((n) => n.name.startsWith("p2.")).length;
  const vmPos = heavy ? 8 : 2;
  const v = await vmTimed(guestPath("stories"), storiesInput([1], vmPos, false));
  const qs = runQemu(guestPath("stories"), storiesInput([1], T, false));
  out.push(
    {
      name: "stories_native_tokens_per_s",
      compares: `native TS float32 graph, ${T} positions, no commitments`,
      value: T / natS,
      unit: "tokens/s",
    },
    {
      name: "stories_native_committed_tokens_per_s",
      compares: "native graph with per-node Poseidon commitments (const leaves cached)",
      value: T / comS,
      unit: "tokens/s",
      notes: `compute ${committed.seconds.compute.toFixed(2)} s, commit ${committed.seconds.commit.toFixed(2)} s`,
    },
    {
      name: "stories_vm_tokens_per_s",
      compares: `zkfp VM run time, ${vmPos} positions (creation excluded) vs native`,
      value: vmPos / v.runS,
      unit: "tokens/s",
      baseline: T / natS,
      ratio: vmPos / v.runS / (T / natS),
      notes: `machine creation ${v.createS.toFixed(2)} s (1 MiB of weights in memory)`,
    },
    {
      name: "stories_vm_steps_per_token",
      compares: "zkfp VM steps per position (float32 soft float)",
      value: v.steps / vmPos,
      unit: "steps",
    },
    {
      name: "stories_qemu_tokens_per_s",
      compares: "qemu-riscv32, same ELF, incl. process start",
      value: T / qs.seconds,
      unit: "tokens/s",
    },
    {
      name: "stories_graph_nodes_per_token",
      compares: "op nodes per position (steady state, p > 0)",
      value: steady,
      unit: "nodes",
      notes: `${ops} op nodes for ${T} positions + ${sg.firstOp} const/input nodes`,
    },
  );
  // phase-2 sizes: node program steps for single stories nodes (VM input = phase link of the node)
  const small = buildStoriesGraph(ck, 1, 3);
  const srun = await executeGraph(small.graph, promptInputs([1]));
  const cg = committedGraph(small.graph, srun);
  for (const name of ["p2.l0.q", "p2.l0.attention", "p2.l0.w1", "p2.l0.swiglu", "p2.logits"]) {
    const d = cg.ops.find((x) => small.graph.nodes[x.node]!.name === name)!;
    const t0 = performance.now();
    const { vm } = await nodeVmPhase(cg, honestBelief(cg), d, oneStepLeaf);
    const seconds = (performance.now() - t0) / 1000;
    out.push({
      name: `stories_node_steps_${name.replace(/^p2\.(l0\.)?/, "")}`,
      compares: `node.elf steps for node ${name} (phase-link input from the preimage oracle)`,
      value: Number(vm.halt),
      unit: "steps",
      notes: `${seconds.toFixed(2)} s incl. machine creation and the recorded trace`,
    });
  }
  return out;
}
