/**
 * The data sets the repo carries (ml/models/mnist/data, ml/models/stories/data): the default paths
 * lie inside the repository, each set has its attribution/licence file, and a file whose sha256 is
 * not the committed one is refused with the module's typed error before it is parsed.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { MNIST_DIR, MNIST_FILES, MnistError, loadMnist } from "./mnist/data.ts";
import { CheckpointError, STORIES_PATH, STORIES_SHA256, loadCheckpoint } from "./stories/checkpoint.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "zkfp-data-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function caught(f: () => unknown): Error & { detail: Record<string, unknown> } {
  try {
    f();
  } catch (e) {
    return e as Error & { detail: Record<string, unknown> };
  }
  throw new Error("expected an error");
}

describe.skipIf(!!process.env.ZKFP_MNIST_DIR)("MNIST test set", () => {
  it("is read from the repository, with its licence file", () => {
    expect(relative(ROOT, MNIST_DIR)).toBe("ml/models/mnist/data");
    expect(readFileSync(join(MNIST_DIR, "LICENSE.md"), "utf8")).toMatch(
      /LeCun[\s\S]*Cortes[\s\S]*Burges[\s\S]*CC BY-SA 3\.0/,
    );
    expect(loadMnist().count).toBe(10_000);
  });

  it("refuses a file whose sha256 differs, naming both hashes", () => {
    for (const f of Object.values(MNIST_FILES)) copyFileSync(join(MNIST_DIR, f.name), join(tmp, f.name));
    expect(loadMnist(tmp).count).toBe(10_000);
    const p = join(tmp, MNIST_FILES.labels.name);
    const b = readFileSync(p);
    b[b.length - 9]! ^= 1; // inside the gzip trailer's CRC: a different file
    writeFileSync(p, b);
    const e = caught(() => loadMnist(tmp));
    expect(e).toBeInstanceOf(MnistError);
    expect(e.detail).toMatchObject({ expected: MNIST_FILES.labels.sha256, path: p });
    expect(e.detail.actual).not.toBe(MNIST_FILES.labels.sha256);
  });
});

describe.skipIf(!!process.env.ZKFP_STORIES)("stories260K", () => {
  it("is read from the repository, with its licence file", () => {
    expect(relative(ROOT, STORIES_PATH)).toBe("ml/models/stories/data/stories260K.bin");
    expect(readFileSync(join(ROOT, "ml/models/stories/data/LICENSE.md"), "utf8")).toMatch(
      /karpathy[\s\S]*MIT License/i,
    );
    expect(loadCheckpoint().config.dim).toBe(64);
  });

  it("refuses a checkpoint whose sha256 differs; another checkpoint by path is only parsed", () => {
    const p = join(tmp, "stories.bin");
    const b = readFileSync(STORIES_PATH);
    b[b.length - 1]! ^= 1; // last byte of the last float: still a well-formed checkpoint
    writeFileSync(p, b);
    const e = caught(() => loadCheckpoint(p, STORIES_SHA256));
    expect(e).toBeInstanceOf(CheckpointError);
    expect(e.detail).toMatchObject({ expected: STORIES_SHA256, path: p });
    expect(loadCheckpoint(p).config.dim).toBe(64);
  });
});
