/**
 * MNIST IDX loader (gzip'd idx3 images / idx1 labels, big-endian header: magic 0x803 / 0x801,
 * counts, rows, cols). zkfp uses the 10k test set: images 0..7999 train, 8000..9999 evaluate.
 * The set is committed in ml/models/mnist/data/ (attribution and licence, CC BY-SA 3.0, in its
 * LICENSE.md); env ZKFP_MNIST_DIR points elsewhere. Both files' sha256 is checked at every load, so
 * the committed weights and fixtures always meet the bytes they were computed from.
 * Malformed or different files are MnistError naming the file and the bad field.
 */
import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ZkfpError } from "../../../vm/errors.ts";

export class MnistError extends ZkfpError {
  override readonly name = "MnistError";
}

export const MNIST_DIR = process.env.ZKFP_MNIST_DIR ?? join(import.meta.dirname, "data");
export const MNIST_FILES = {
  images: {
    name: "t10k-images-idx3-ubyte.gz",
    sha256: "167310007f03058885c7e95e6c0b19c20de5c7fd3031f4cbdadc9014a523d80b",
  },
  labels: {
    name: "t10k-labels-idx1-ubyte.gz",
    sha256: "fc607395669ec21321ea83e4b82c0544b7e8e63ff5b34337c06bc0a17cc0da3c",
  },
} as const;
export const TRAIN = 8000;
export const PIXELS = 784;

export type Mnist = { images: Uint8Array; labels: Uint8Array; count: number };

function gunzip(path: string, sha256: string): Uint8Array {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (e) {
    throw new MnistError("cannot read gzip IDX file", { path, error: String((e as Error).message) }, { cause: e });
  }
  const actual = createHash("sha256").update(raw).digest("hex");
  if (actual !== sha256)
    throw new MnistError("MNIST file is not the expected one (sha256 mismatch)", { path, expected: sha256, actual });
  try {
    return new Uint8Array(gunzipSync(raw));
  } catch (e) {
    throw new MnistError("cannot read gzip IDX file", { path, error: String((e as Error).message) }, { cause: e });
  }
}

export function parseIdx(images: Uint8Array, labels: Uint8Array, name = "mnist"): Mnist {
  const di = new DataView(images.buffer, images.byteOffset, images.byteLength);
  const dl = new DataView(labels.buffer, labels.byteOffset, labels.byteLength);
  if (images.length < 16 || di.getUint32(0) !== 0x803)
    throw new MnistError("bad image file magic", {
      file: name,
      magic: images.length >= 4 ? di.getUint32(0) : undefined,
    });
  if (labels.length < 8 || dl.getUint32(0) !== 0x801)
    throw new MnistError("bad label file magic", {
      file: name,
      magic: labels.length >= 4 ? dl.getUint32(0) : undefined,
    });
  const n = di.getUint32(4),
    rows = di.getUint32(8),
    cols = di.getUint32(12);
  if (rows !== 28 || cols !== 28) throw new MnistError("images are not 28x28", { rows, cols });
  if (dl.getUint32(4) !== n)
    throw new MnistError("image and label counts differ", { images: n, labels: dl.getUint32(4) });
  if (images.length !== 16 + n * PIXELS || labels.length !== 8 + n)
    throw new MnistError("file size does not match the header", {
      images: images.length,
      labels: labels.length,
      count: n,
    });
  return { images: images.subarray(16), labels: labels.subarray(8), count: n };
}

export function loadMnist(dir = MNIST_DIR): Mnist {
  const { images, labels } = MNIST_FILES;
  return parseIdx(gunzip(join(dir, images.name), images.sha256), gunzip(join(dir, labels.name), labels.sha256), dir);
}

export const image = (d: Mnist, i: number): Uint8Array => d.images.subarray(i * PIXELS, (i + 1) * PIXELS);
