/**
 * MNIST evaluation on test-set images 8000..9999 (never seen in training): accuracy of the
 * float32 graph and the int8 graph executed natively (ml/graph/executor.ts), and of the int8 graph
 * executed in the zkfp VM (ml/guests/bin/mnist-i8.elf, all images in one run) with qemu-riscv32 as a
 * cross-check. The VM's logits must equal the native int8 logits bit for bit.
 * Run: `npx tsx ml/models/mnist/eval.ts [--count N] [--engine native|vm|qemu|all]`
 */
import { readFileSync } from "node:fs";
import { loadMnist, image, TRAIN, PIXELS, type Mnist } from "./data.ts";
import { F32_PATH, I8_PATH } from "./train.ts";
import { parseZkg } from "../../graph/format.ts";
import type { Graph } from "../../graph/graph.ts";
import { executeGraph } from "../../graph/executor.ts";
import { guestPath, runQemu, runVm, type RunResult } from "../../guests/run.ts";

export const loadMnistGraph = (kind: "f32" | "i8"): Graph =>
  parseZkg(new Uint8Array(readFileSync(kind === "f32" ? F32_PATH : I8_PATH)));

/** graph input bytes for one image */
export function mnistInput(kind: "f32" | "i8", img: Uint8Array): Uint8Array {
  return kind === "i8" ? img.slice() : new Uint8Array(Float32Array.from(img, (p) => Math.fround(p / 255)).buffer);
}

export async function nativePredict(g: Graph, kind: "f32" | "i8", img: Uint8Array, commit = false) {
  const run = await executeGraph(g, { image: mnistInput(kind, img) }, { commit });
  const [logits, cls] = g.outputs.map((o) => run.outputs[o]!);
  return { run, logits: logits!, cls: new Int32Array(cls!.slice().buffer)[0]! };
}

/** batch input for the graph program: count, then each image's input bytes */
export function guestBatch(kind: "f32" | "i8", d: Mnist, from: number, count: number): Uint8Array {
  const per = kind === "i8" ? PIXELS : 4 * PIXELS;
  const out = new Uint8Array(4 + count * per);
  new DataView(out.buffer).setUint32(0, count, true);
  for (let i = 0; i < count; i++) out.set(mnistInput(kind, image(d, from + i)), 4 + i * per);
  return out;
}

/** per-image (logits bytes, class) from the graph program's stdout (outputs: logits, class) */
export function splitGuestOutput(stdout: Uint8Array, count: number): { logits: Uint8Array; cls: number }[] {
  const per = 40 + 4;
  const dv = new DataView(stdout.buffer, stdout.byteOffset, stdout.byteLength);
  return Array.from({ length: count }, (_, i) => ({
    logits: stdout.slice(i * per, i * per + 40),
    cls: dv.getInt32(i * per + 40, true),
  }));
}

export async function evaluate(engine: string, count: number) {
  const d = loadMnist();
  const res: Record<string, unknown> = { images: `${TRAIN}..${TRAIN + count - 1}` };
  const native: Record<"f32" | "i8", { logits: Uint8Array; cls: number }[]> = { f32: [], i8: [] };
  for (const kind of ["f32", "i8"] as const) {
    const g = loadMnistGraph(kind);
    const t0 = performance.now();
    let ok = 0;
    for (let i = 0; i < count; i++) {
      const p = await nativePredict(g, kind, image(d, TRAIN + i));
      native[kind].push({ logits: p.logits, cls: p.cls });
      if (p.cls === d.labels[TRAIN + i]) ok++;
    }
    res[`native_${kind}`] = { accuracy: ok / count, seconds: (performance.now() - t0) / 1000 };
  }
  for (const m of ["qemu", "vm"] as const) {
    if (engine !== "all" && engine !== m) continue;
    const input = guestBatch("i8", d, TRAIN, count);
    const r: RunResult =
      m === "qemu" ? runQemu(guestPath("mnist-i8"), input) : await runVm(guestPath("mnist-i8"), input);
    const outs = splitGuestOutput(r.stdout, count);
    let ok = 0,
      same = 0;
    outs.forEach((o, i) => {
      if (o.cls === d.labels[TRAIN + i]) ok++;
      if (o.cls === native.i8[i]!.cls && o.logits.every((b, k) => b === native.i8[i]!.logits[k])) same++;
    });
    res[`${m}_i8`] = {
      accuracy: ok / count,
      bitIdenticalToNative: same,
      exitCode: r.exitCode,
      steps: r.steps,
      seconds: r.seconds,
    };
  }
  return res;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const a = process.argv.slice(2);
  const get = (k: string) => {
    const i = a.indexOf(k);
    return i >= 0 ? a[i + 1] : undefined;
  };
  const count = Number(get("--count") ?? 2000);
  process.stdout.write(JSON.stringify(await evaluate(get("--engine") ?? "all", count), null, 2) + "\n");
}
