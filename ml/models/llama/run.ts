/**
 * One claim over a LLaMA-shape model, as the demo and the bench need it: the model (a llama2.c
 * checkpoint when a path is given, else seeded synthetic weights for the named shape), its tiled
 * graph (graph.ts), the model commitment (ml/graph/model.ts: computed once, cached on disk,
 * reported separately) and the committed native run of the graph for the prompt.
 *
 * `checkpoint` (or env ZKFP_CHECKPOINT) must have the named shape's config (a real stories15M.bin
 * for --model stories15M); a mismatch is a LlamaRunError, so a shape name never silently means
 * another model.
 */
import { ZkfpError } from "../../../vm/errors.ts";
import { executeGraph, type GraphRun } from "../../graph/executor.ts";
import { type ModelCommitment, modelCommitment } from "../../graph/model.ts";
import { type LlamaModel, readCheckpoint } from "./checkpoint.ts";
import { type LlamaGraph, buildLlamaGraph, llamaInputs } from "./graph.ts";
import { SHAPES, type ShapeName, shapeConfig, syntheticModel } from "./synthetic.ts";

export class LlamaRunError extends ZkfpError {
  override readonly name = "LlamaRunError";
}

export type { ShapeName };
export const LLAMA_SHAPES = Object.keys(SHAPES) as ShapeName[];
export const isLlamaShape = (s: string): s is ShapeName => (LLAMA_SHAPES as string[]).includes(s);

export type LlamaRun = {
  model: LlamaModel;
  lg: LlamaGraph;
  commitment: ModelCommitment;
  run: GraphRun;
  prompt: number[];
  positions: number;
  describe: string;
  seconds: { load: number; build: number; commitment: number; forward: number };
};

export function loadLlamaModel(shape: ShapeName, checkpoint?: string, seed = 1): LlamaModel {
  const want = shapeConfig(shape);
  if (!checkpoint) return syntheticModel(want, seed);
  const m = readCheckpoint(checkpoint);
  const c = m.config;
  const same =
    c.dim === want.dim &&
    c.hiddenDim === want.hiddenDim &&
    c.nLayers === want.nLayers &&
    c.nHeads === want.nHeads &&
    c.nKvHeads === want.nKvHeads &&
    c.vocabSize === want.vocabSize;
  if (!same) throw new LlamaRunError("checkpoint does not have the shape's config", { shape, checkpoint, config: c });
  return m;
}

export async function loadLlamaRun(
  shape: ShapeName,
  opts: {
    prompt?: number[];
    positions?: number;
    checkpoint?: string;
    seed?: number;
    progress?: (msg: string) => void;
  } = {},
): Promise<LlamaRun> {
  const log = opts.progress ?? (() => {});
  const prompt = opts.prompt ?? [1];
  const positions = opts.positions ?? prompt.length;
  const checkpoint = opts.checkpoint ?? process.env.ZKFP_CHECKPOINT;
  let t = performance.now();
  const lap = () => {
    const n = performance.now();
    const s = (n - t) / 1000;
    t = n;
    return s;
  };
  log(
    `${shape}: ${checkpoint ? `loading ${checkpoint}` : `generating synthetic weights (seed ${opts.seed ?? 1})`} ...`,
  );
  const model = loadLlamaModel(shape, checkpoint, opts.seed);
  const load = lap();
  const inputs = llamaInputs(prompt, model.config.vocabSize);
  const lg = buildLlamaGraph(model, prompt.length, positions);
  const build = lap();
  log(
    `${shape}: graph ${lg.graph.nodes.length} nodes (${lg.constNodes} weight tiles, ${lg.opsPerPosition.join("+")} ops); model commitment ...`,
  );
  const commitment = await modelCommitment(lg.graph, {
    progress: (d, n) =>
      log(`${shape}: model commitment ${(d / 2 ** 20).toFixed(0)}/${(n / 2 ** 20).toFixed(0)} MiB hashed`),
  });
  const cm = lap();
  log(
    `${shape}: model commitment ${commitment.cached ? "cached" : `computed in ${cm.toFixed(1)} s`} (${commitment.hashed} of ${commitment.hashes} P4 hashes computed); committed forward pass ...`,
  );
  const run = await executeGraph(lg.graph, inputs, {
    constLeaves: commitment.leaves,
    progress: (d, n) => log(`${shape}: forward ${d}/${n} nodes`),
  });
  const forward = lap();
  return {
    model,
    lg,
    commitment,
    run,
    prompt,
    positions,
    describe: `${shape} (${checkpoint ?? "synthetic weights"}), prompt [${prompt.join(", ")}], ${positions} position(s), next token`,
    seconds: { load, build, commitment: cm, forward },
  };
}
