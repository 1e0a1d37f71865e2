/**
 * `zkfp eval mnist`: accuracy of the MNIST model on the held-out test images 8000..9999 (the split
 * of ml/models/mnist: images 0..7999 trained it), through ml/models/mnist/eval.ts `evaluate`: the
 * float32 and int8 graphs executed natively, and with `--engine vm|qemu|all` the int8 model program
 * (ml/guests/bin/mnist-i8.elf) on the zkfp VM and/or qemu-riscv32, with how many of its logit
 * vectors are bit-identical to the native int8 ones. `--count N` takes the first N held-out images.
 * Exit 1 when an in-VM run is not bit-identical to the native graph on every image.
 */
import type { Command } from "../command.ts";
import { UsageError } from "../args.ts";
import { EXIT } from "../exit.ts";
import { step } from "../progress.ts";

const HELD_OUT = 2000;
type Acc = { accuracy: number; seconds: number; bitIdenticalToNative?: number; steps?: number; exitCode?: number };

export const evalCommand: Command = {
  name: "eval",
  summary: "model accuracy on held-out data (mnist: test images 8000..9999), native and in the VM",
  usage: "zkfp eval mnist [--count N] [--engine native|vm|qemu|all] [--json]",
  positionals: [{ name: "model", desc: "mnist", required: true }],
  options: {
    count: { type: "number", desc: `held-out images to evaluate, from image 8000 (1..${HELD_OUT})`, default: HELD_OUT },
    engine: {
      type: "string",
      desc: "native (the f32 and int8 graphs) | vm | qemu | all (native is always run)",
      default: "native",
    },
  },
  async run({ positionals, opts }) {
    if (positionals[0] !== "mnist")
      throw new UsageError("eval knows one model: mnist", { model: positionals[0], models: ["mnist"] });
    const count = opts.count as number;
    if (!Number.isInteger(count) || count < 1 || count > HELD_OUT)
      throw new UsageError(`--count must be an integer in [1, ${HELD_OUT}]`, { option: "count", value: count });
    const engine = String(opts.engine);
    if (!["native", "vm", "qemu", "all"].includes(engine))
      throw new UsageError("--engine must be native, vm, qemu or all", { option: "engine", value: engine });
    const { evaluate } = await import("../../ml/models/mnist/eval.ts");
    // measured here: ~2 s native for 2,000 images; the VM runs 801 M steps at ~100 M steps/s
    const est =
      (count / HELD_OUT) *
      (2 + (engine === "vm" || engine === "all" ? 10 : 0) + (engine === "qemu" || engine === "all" ? 2 : 0));
    const s = step(`eval mnist: ${count} held-out images, engine ${engine}`, { estimateSeconds: est });
    const res = (await evaluate(engine, count)) as Record<string, Acc | string>;
    s.end();
    const rows = Object.entries(res).filter((e): e is [string, Acc] => typeof e[1] === "object");
    const mismatch = rows.some(([, r]) => r.bitIdenticalToNative !== undefined && r.bitIdenticalToNative !== count);
    const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
    const text = [
      `mnist accuracy on test images ${String(res.images)} (${count} held out)`,
      ...rows.map(
        ([k, r]) =>
          `  ${k.padEnd(12)} ${pct(r.accuracy).padStart(8)}  ${r.seconds.toFixed(2)} s${r.steps !== undefined ? `, ${r.steps.toLocaleString("en-US")} steps` : ""}${r.bitIdenticalToNative !== undefined ? `, logits bit-identical to native int8 on ${r.bitIdenticalToNative}/${count}` : ""}`,
      ),
    ].join("\n");
    return {
      exitCode: mismatch ? EXIT.FALSE : EXIT.OK,
      json: { model: "mnist", images: res.images, count, results: Object.fromEntries(rows) },
      text,
    };
  },
};
