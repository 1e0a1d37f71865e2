/**
 * Writes the embedded-model inputs of ml/guests/build.sh: gen/<model>.zkb for every committed ZKG
 * model that a graph program embeds (MNIST float32 and int8), and gen/stories.h for the stories260K
 * program. Run `npx tsx ml/guests/gen.ts && ml/guests/build.sh` after changing a model.
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { parseZkg, serializeZkb } from "../graph/format.ts";
import { F32_PATH, I8_PATH } from "../models/mnist/train.ts";

const GEN = join(import.meta.dirname, "gen");

export function genMnist(): void {
  mkdirSync(GEN, { recursive: true });
  for (const [name, path] of [
    ["mnist-f32", F32_PATH],
    ["mnist-i8", I8_PATH],
  ] as const)
    writeFileSync(join(GEN, `${name}.zkb`), serializeZkb(parseZkg(new Uint8Array(readFileSync(path)))));
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  genMnist();
  const { genStories } = await import("../models/stories/gen.ts");
  genStories(GEN);
}
