/**
 * MNIST: the committed models classify the held-out images (8000..9999) well, the int8 graph
 * program gives bit-identical logits on qemu and on the zkfp VM, training is seeded, and malformed
 * IDX data or neutral models are rejected with typed errors.
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { loadMnist, parseIdx, image, TRAIN, MnistError } from "./data.ts";
import { loadMnistGraph, nativePredict, guestBatch, splitGuestOutput } from "./eval.ts";
import { trainMlp, exportInt8, I8_PATH } from "./train.ts";
import { convertNeutral, ConvertError } from "../convert.ts";
import { serializeZkg } from "../../graph/format.ts";
import { guestPath, qemuAvailable, runQemu, runVm, vmAvailable } from "../../guests/run.ts";

const d = loadMnist();
const HELD_OUT = d.count - TRAIN;

describe("mnist", () => {
  it("the committed float32 and int8 graphs classify >= 95% of the 2000 held-out images", async () => {
    for (const kind of ["f32", "i8"] as const) {
      const g = loadMnistGraph(kind);
      let ok = 0;
      for (let i = TRAIN; i < d.count; i++) if ((await nativePredict(g, kind, image(d, i))).cls === d.labels[i]) ok++;
      expect(ok / HELD_OUT).toBeGreaterThan(0.95);
    }
  });

  it.skipIf(!qemuAvailable())(
    "the int8 graph program on qemu gives the native logits bit for bit on all held-out images",
    async () => {
      const g = loadMnistGraph("i8");
      const r = runQemu(guestPath("mnist-i8"), guestBatch("i8", d, TRAIN, HELD_OUT));
      expect(r.exitCode).toBe(0);
      const outs = splitGuestOutput(r.stdout, HELD_OUT);
      for (let i = 0; i < HELD_OUT; i += 1) {
        const n = await nativePredict(g, "i8", image(d, TRAIN + i));
        if (n.cls !== outs[i]!.cls || !n.logits.every((b, k) => b === outs[i]!.logits[k]))
          throw new Error(`image ${TRAIN + i} differs`);
      }
    },
  );

  it.skipIf(!vmAvailable())(
    "the int8 graph program on the zkfp VM gives the native logits bit for bit (40 images)",
    async () => {
      const g = loadMnistGraph("i8"),
        n = process.env.ZKFP_HEAVY ? HELD_OUT : 40;
      const r = await runVm(guestPath("mnist-i8"), guestBatch("i8", d, TRAIN, n));
      expect(r.exitCode).toBe(0);
      const outs = splitGuestOutput(r.stdout, n);
      for (let i = 0; i < n; i++) {
        const p = await nativePredict(g, "i8", image(d, TRAIN + i));
        expect([p.cls, ...p.logits]).toEqual([outs[i]!.cls, ...outs[i]!.logits]);
      }
    },
    600_000,
  );

  it("training is deterministic for a seed and differs across seeds", () => {
    const a = trainMlp(d, { seed: 7, epochs: 1, train: 100 }),
      b = trainMlp(d, { seed: 7, epochs: 1, train: 100 }),
      c = trainMlp(d, { seed: 8, epochs: 1, train: 100 });
    expect(a.w1).toEqual(b.w1);
    expect(a.w1).not.toEqual(c.w1);
  });

  it.skipIf(!process.env.ZKFP_HEAVY)(
    "retraining reproduces the committed int8 model byte for byte",
    () => {
      const w = trainMlp(d);
      const q = exportInt8(w, d);
      expect(serializeZkg(convertNeutral(q.model, q.bin))).toEqual(new Uint8Array(readFileSync(I8_PATH)));
    },
    1_800_000,
  );

  it("rejects malformed IDX files and neutral models with typed errors", () => {
    const img = new Uint8Array(16 + 784),
      lab = new Uint8Array(9);
    new DataView(img.buffer).setUint32(0, 0x803);
    new DataView(img.buffer).setUint32(4, 1);
    new DataView(img.buffer).setUint32(8, 28);
    new DataView(img.buffer).setUint32(12, 28);
    new DataView(lab.buffer).setUint32(0, 0x801);
    new DataView(lab.buffer).setUint32(4, 1);
    expect(parseIdx(img, lab).count).toBe(1);
    expect(() => parseIdx(img.subarray(0, 799), lab)).toThrow(MnistError);
    const bad = img.slice();
    bad[3] = 4;
    expect(() => parseIdx(bad, lab)).toThrow(/magic/);
    const base = {
      format: "zkfp-neutral-1" as const,
      name: "t",
      tensors: { W: { dtype: "f32" as const, shape: [2, 2], offset: 0 } },
      inputs: [{ name: "x", dtype: "f32" as const, shape: [2] }],
      outputs: ["y"],
    };
    expect(
      convertNeutral({ ...base, nodes: [{ op: "Gemm", inputs: ["x", "W"], output: "y" }] }, new Uint8Array(16)).nodes
        .length,
    ).toBe(3);
    expect(() =>
      convertNeutral({ ...base, nodes: [{ op: "Conv", inputs: ["x"], output: "y" }] }, new Uint8Array(16)),
    ).toThrow(ConvertError);
    expect(() =>
      convertNeutral({ ...base, nodes: [{ op: "Gemm", inputs: ["x", "W"], output: "y" }] }, new Uint8Array(8)),
    ).toThrow(/outside the tensor file/);
    expect(() =>
      convertNeutral({ ...base, nodes: [{ op: "Relu", inputs: ["z"], output: "y" }] }, new Uint8Array(16)),
    ).toThrow(/not defined/);
  });
});
