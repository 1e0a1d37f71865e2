/**
 * One inference, as the CLI (`zkfp infer`) and the benchmarks run it: the model's graph executed
 * natively with per-node commitments (graph root = the phase-1 claim), and with --engine vm the
 * model's RV32IM program (ml/guests/bin/mnist-i8.elf or stories.elf) on the zkfp VM, whose
 * prediction must equal the native one (bit-exact kernels; a mismatch is an InferError).
 */
import { ZkfpError } from "../vm/errors.ts";
import { executeGraph, type GraphRun } from "./graph/executor.ts";
import { loadMnist, image, TRAIN } from "./models/mnist/data.ts";
import { loadMnistGraph, mnistInput, guestBatch, splitGuestOutput } from "./models/mnist/eval.ts";
import { loadCheckpoint } from "./models/stories/checkpoint.ts";
import { SEQ_CAP } from "./models/stories/gen.ts";
import { buildStoriesGraph, promptInputs } from "./models/stories/graph.ts";
import { guestPath, runVm, runQemu, Words, type RunResult } from "./guests/run.ts";

export class InferError extends ZkfpError {
  override readonly name = "InferError";
}

export type Engine = "native" | "vm" | "qemu";
export type InferResult = {
  model: "mnist" | "stories260K";
  prediction: number | number[];
  label?: number;
  graphRoot: bigint;
  graphNodes: number;
  opNodes: number;
  native: { computeSeconds: number; commitSeconds: number };
  engine: Engine;
  vm?: { steps?: number; seconds: number; exitCode: number; matchesNative: boolean };
};

const i32 = (b: Uint8Array) => new Int32Array(b.slice().buffer)[0]!;

function finish(run: GraphRun): { root: bigint; ops: number } {
  return { root: run.roots!.at(-1)!, ops: run.graph.nodes.filter((n) => n.kind === "op").length };
}

export async function inferMnist(index: number, engine: Engine): Promise<InferResult> {
  const d = loadMnist();
  if (!Number.isInteger(index) || index < 0 || index >= d.count)
    throw new InferError("image index out of range", { image: index, count: d.count });
  const g = loadMnistGraph("i8");
  const run = await executeGraph(g, { image: mnistInput("i8", image(d, index)) });
  const [logitsId, clsId] = g.outputs as [number, number];
  const cls = i32(run.outputs[clsId]!);
  const { root, ops } = finish(run);
  const res: InferResult = {
    model: "mnist",
    prediction: cls,
    label: d.labels[index],
    graphRoot: root,
    graphNodes: g.nodes.length,
    opNodes: ops,
    native: { computeSeconds: run.seconds.compute, commitSeconds: run.seconds.commit },
    engine,
  };
  if (engine !== "native") {
    const input = guestBatch("i8", d, index, 1);
    const r: RunResult =
      engine === "vm" ? await runVm(guestPath("mnist-i8"), input) : runQemu(guestPath("mnist-i8"), input);
    const o = splitGuestOutput(r.stdout, 1)[0]!;
    const matches = r.exitCode === 0 && o.cls === cls && o.logits.every((b, k) => b === run.outputs[logitsId]![k]);
    res.vm = { steps: r.steps, seconds: r.seconds, exitCode: r.exitCode, matchesNative: matches };
    if (!matches)
      throw new InferError("in-VM prediction differs from the native graph", {
        native: cls,
        vm: o.cls,
        exitCode: r.exitCode,
      });
  }
  return res;
}

export function storiesInput(prompt: readonly number[], positions: number, logits: boolean): Uint8Array {
  const w = new Words().u32(prompt.length);
  for (const t of prompt) w.u32(t);
  return w
    .u32(positions)
    .u32(logits ? 1 : 0)
    .done();
}

export async function inferStories(
  prompt: readonly number[],
  positions: number,
  engine: Engine,
): Promise<InferResult & { tokens: number[] }> {
  const ck = loadCheckpoint();
  if (prompt.length === 0 || prompt.some((t) => !Number.isInteger(t) || t < 0 || t >= ck.config.vocabSize))
    throw new InferError("prompt token ids must be integers in [0, vocab)", { prompt, vocab: ck.config.vocabSize });
  if (!Number.isInteger(positions) || positions < prompt.length || positions > SEQ_CAP)
    throw new InferError(`positions must be in [prompt length, ${SEQ_CAP}]`, { positions, prompt: prompt.length });
  const sg = buildStoriesGraph(ck, prompt.length, positions);
  const run = await executeGraph(sg.graph, promptInputs(prompt));
  const next = sg.next.map((i) => i32(run.outputs[i]!));
  const generated = next.slice(prompt.length - 1);
  const tokens = [...prompt, ...generated];
  const { root, ops } = finish(run);
  const res: InferResult & { tokens: number[] } = {
    model: "stories260K",
    prediction: generated,
    tokens,
    graphRoot: root,
    graphNodes: sg.graph.nodes.length,
    opNodes: ops,
    native: { computeSeconds: run.seconds.compute, commitSeconds: run.seconds.commit },
    engine,
  };
  if (engine !== "native") {
    const input = storiesInput(prompt, positions, false);
    const r: RunResult =
      engine === "vm" ? await runVm(guestPath("stories"), input) : runQemu(guestPath("stories"), input);
    const vmNext = Array.from(new Int32Array(r.stdout.slice().buffer));
    const matches = r.exitCode === 0 && vmNext.length === next.length && vmNext.every((t, k) => t === next[k]);
    res.vm = { steps: r.steps, seconds: r.seconds, exitCode: r.exitCode, matchesNative: matches };
    if (!matches)
      throw new InferError("in-VM tokens differ from the native graph", {
        native: next,
        vm: vmNext,
        exitCode: r.exitCode,
      });
  }
  return res;
}
