/**
 * `zkfp infer <mnist|stories260K>`: runs a model as a committed computation graph (ml/) and
 * optionally in the zkfp VM; prints the prediction, the graph root, the VM steps and the time.
 */
import type { Command } from "../command.ts";
import { UsageError } from "../args.ts";
import { inferMnist, inferStories, type Engine } from "../../ml/infer.ts";
import { TRAIN } from "../../ml/models/mnist/data.ts";

const hex = (x: bigint) => "0x" + x.toString(16).padStart(64, "0");

export const infer: Command = {
  name: "infer",
  summary: "run MNIST or stories260K as a committed graph (native) or in the zkfp VM",
  usage: "zkfp infer <mnist|stories260K> [--image I | --tokens T] [--positions N] [--engine native|vm|qemu] [--json]",
  options: {
    image: { type: "number", desc: `MNIST test-set image index (default ${TRAIN}, the first held-out image)`, default: TRAIN },
    tokens: { type: "string", desc: "stories260K prompt token ids, comma separated (default 1 = BOS)", default: "1" },
    positions: { type: "number", desc: "stories260K positions to run (prompt + generated, <= 128)", default: 8 },
    engine: { type: "string", desc: "native (graph only) | vm (also run the model program on the zkfp VM) | qemu", default: "native" },
  },
  async run({ positionals, opts }, ctx) {
    const model = positionals[0];
    const engine = opts.engine as Engine;
    if (!["native", "vm", "qemu"].includes(engine)) throw new UsageError("--engine must be native, vm or qemu", { engine });
    const t0 = performance.now();
    let r;
    if (model === "mnist") {
      ctx.progress(`mnist: image ${opts.image}, engine ${engine}`);
      r = await inferMnist(opts.image as number, engine);
    } else if (model === "stories260K" || model === "stories") {
      const prompt = String(opts.tokens).split(",").map((s) => Number(s.trim()));
      if (prompt.some((t) => !Number.isInteger(t))) throw new UsageError("--tokens must be comma-separated integers", { tokens: opts.tokens });
      ctx.progress(`stories260K: prompt [${prompt}], ${opts.positions} positions, engine ${engine}`);
      r = await inferStories(prompt, opts.positions as number, engine);
    } else throw new UsageError("model must be mnist or stories260K", { model });
    const seconds = (performance.now() - t0) / 1000;
    const json = {
      model: r.model, prediction: r.prediction, ...("tokens" in r ? { tokens: r.tokens } : {}), ...(r.label !== undefined ? { label: r.label } : {}),
      graphRoot: hex(r.graphRoot), graphNodes: r.graphNodes, opNodes: r.opNodes, engine,
      native: r.native, vm: r.vm ?? null, seconds,
    };
    const lines = [
      `model       ${r.model}`,
      `prediction  ${Array.isArray(r.prediction) ? r.prediction.join(" ") : r.prediction}${r.label !== undefined ? `  (label ${r.label})` : ""}`,
      `graph root  ${hex(r.graphRoot)}  (${r.graphNodes} nodes, ${r.opNodes} ops)`,
      `native      compute ${r.native.computeSeconds.toFixed(3)} s, commit ${r.native.commitSeconds.toFixed(3)} s`,
    ];
    if (r.vm) lines.push(`${engine.padEnd(11)} ${r.vm.steps !== undefined ? `${r.vm.steps} steps, ` : ""}${r.vm.seconds.toFixed(3)} s, matches native: ${r.vm.matchesNative}`);
    lines.push(`time        ${seconds.toFixed(2)} s`);
    return { exitCode: 0, json, text: lines.join("\n") };
  },
};
