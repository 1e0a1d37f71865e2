/**
 * `zkfp infer <mnist|stories260K>`: runs a model as a committed computation graph (ml/) and
 * optionally in the zkfp VM; prints the prediction, the graph root, the VM steps and the time.
 * Options belong to one model (`OptionSpec.when`): `--image` to mnist, `--tokens`/`--positions` to
 * stories260K; giving one to the other model is a UsageError (it would be silently ignored). Values are checked before
 * the model loads: image index in [0, 10000), tokens a non-empty comma-separated list of ids in
 * [0, vocab), positions in [prompt length, SEQ_CAP].
 */
import type { Command } from "../command.ts";
import { UsageError } from "../args.ts";
import { inferMnist, inferStories, type Engine } from "../../ml/infer.ts";
import { TRAIN } from "../../ml/models/mnist/data.ts";

const hex = (x: bigint) => "0x" + x.toString(16).padStart(64, "0");
const MODELS = ["mnist", "stories260K"] as const;
const STORIES = { arg: 0, is: ["stories260K", "stories"] };
const MNIST_TEST_IMAGES = 10_000;

/** "1, 2,3" -> [1, 2, 3]; a UsageError for anything but a non-empty list of non-negative integers. */
export function parseTokenList(raw: string, option: string): number[] {
  const parts = raw.split(",").map((s) => s.trim());
  if (raw.trim() === "" || parts.some((p) => !/^\d+$/.test(p)))
    throw new UsageError(`--${option} must be a non-empty comma-separated list of token ids`, { option, value: raw });
  return parts.map(Number);
}

export const infer: Command = {
  name: "infer",
  summary: "run MNIST or stories260K as a committed graph (native) or in the zkfp VM",
  usage: "zkfp infer <mnist|stories260K> [--image I | --tokens T [--positions N]] [--engine native|vm|qemu] [--json]",
  positionals: [{ name: "model", desc: "mnist | stories260K", required: true }],
  options: {
    image: {
      type: "number",
      desc: `mnist only: test-set image index (default ${TRAIN}, the first held-out image)`,
      default: TRAIN,
      when: { arg: 0, is: ["mnist"] },
    },
    tokens: {
      type: "string",
      desc: "stories260K only: prompt token ids, comma separated (default 1 = BOS)",
      default: "1",
      when: STORIES,
    },
    positions: {
      type: "number",
      desc: "stories260K only: positions to run (prompt + generated, <= 128)",
      default: 8,
      when: STORIES,
    },
    engine: {
      type: "string",
      desc: "native (graph only) | vm (also run the model program on the zkfp VM) | qemu",
      default: "native",
    },
  },
  async run({ positionals, opts }, ctx) {
    const arg = positionals[0]!;
    const model = arg === "stories" ? "stories260K" : arg;
    if (model !== "mnist" && model !== "stories260K")
      throw new UsageError("model must be mnist or stories260K", { model: arg, models: MODELS });
    const engine = opts.engine as Engine;
    if (!["native", "vm", "qemu"].includes(engine))
      throw new UsageError("--engine must be native, vm or qemu", { option: "engine", value: engine });
    const t0 = performance.now();
    let r;
    if (model === "mnist") {
      const image = opts.image as number;
      if (!Number.isInteger(image) || image < 0 || image >= MNIST_TEST_IMAGES)
        throw new UsageError(`--image must be an integer in [0, ${MNIST_TEST_IMAGES})`, {
          option: "image",
          value: image,
        });
      ctx.progress(`mnist: image ${image}, engine ${engine}`);
      r = await inferMnist(image, engine);
    } else {
      const prompt = parseTokenList(String(opts.tokens), "tokens");
      const positions = opts.positions as number;
      const { SEQ_CAP } = await import("../../ml/models/stories/gen.ts");
      const { loadCheckpoint } = await import("../../ml/models/stories/checkpoint.ts");
      const vocab = loadCheckpoint().config.vocabSize;
      const bad = prompt.find((t) => t >= vocab);
      if (bad !== undefined)
        throw new UsageError(`--tokens: token id ${bad} is not below the vocabulary size ${vocab}`, {
          option: "tokens",
          value: bad,
          vocab,
        });
      if (!Number.isInteger(positions) || positions < prompt.length || positions > SEQ_CAP)
        throw new UsageError(`--positions must be an integer in [prompt length ${prompt.length}, ${SEQ_CAP}]`, {
          option: "positions",
          value: positions,
        });
      ctx.progress(`stories260K: prompt [${prompt}], ${positions} positions, engine ${engine}`);
      r = await inferStories(prompt, positions, engine);
    }
    const seconds = (performance.now() - t0) / 1000;
    const json = {
      model: r.model,
      prediction: r.prediction,
      ...("tokens" in r ? { tokens: r.tokens } : {}),
      ...(r.label !== undefined ? { label: r.label } : {}),
      graphRoot: hex(r.graphRoot),
      graphNodes: r.graphNodes,
      opNodes: r.opNodes,
      engine,
      native: r.native,
      vm: r.vm ?? null,
      seconds,
    };
    const lines = [
      `model       ${r.model}`,
      `prediction  ${Array.isArray(r.prediction) ? r.prediction.join(" ") : r.prediction}${r.label !== undefined ? `  (label ${r.label})` : ""}`,
      `graph root  ${hex(r.graphRoot)}  (${r.graphNodes} nodes, ${r.opNodes} ops)`,
      `native      compute ${r.native.computeSeconds.toFixed(3)} s, commit ${r.native.commitSeconds.toFixed(3)} s`,
    ];
    if (r.vm)
      lines.push(
        `${engine.padEnd(11)} ${r.vm.steps !== undefined ? `${r.vm.steps} steps, ` : ""}${r.vm.seconds.toFixed(3)} s, matches native: ${r.vm.matchesNative}`,
      );
    lines.push(`time        ${seconds.toFixed(2)} s`);
    return { exitCode: 0, json, text: lines.join("\n") };
  },
};
