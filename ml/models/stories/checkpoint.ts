/**
 * stories260K checkpoint (committed in ml/models/stories/data/ with its attribution and MIT licence
 * in LICENSE.md; env ZKFP_STORIES points elsewhere). The llama2.c format, its structural checks and
 * CheckpointError are ml/models/llama/checkpoint.ts's; this module adds what is specific to
 * stories260K: its path, its sha256 and the raw file bytes kept with the model.
 * stories260K (the default path) must have its known sha256, so the committed fixtures always meet
 * the bytes they were computed from; another checkpoint passed by path is checked structurally.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CheckpointError, type LlamaModel, parseCheckpoint as parseLlama } from "../llama/checkpoint.ts";

export {
  CheckpointError,
  HEADER_BYTES,
  type LlamaConfig,
  type LlamaWeights,
  ropeFreqs,
} from "../llama/checkpoint.ts";

export const STORIES_PATH = process.env.ZKFP_STORIES ?? join(import.meta.dirname, "data/stories260K.bin");
export const STORIES_SHA256 = "9414d5a285453a7eab631713d171753232c978f6f97654211469aff8be93c8d6";

/** A parsed checkpoint together with the file bytes it was parsed from. */
export type Checkpoint = LlamaModel & { bytes: Uint8Array };

/** Parses a checkpoint held in memory (the general loader's checks); keeps `bytes`. */
export function parseCheckpoint(bytes: Uint8Array, source = "bytes"): Checkpoint {
  return { ...parseLlama(bytes, source), bytes };
}

/** Loads a checkpoint; `sha256` (default: stories260K's for the default path, none otherwise) must match. */
export function loadCheckpoint(
  path = STORIES_PATH,
  sha256: string | null = path === STORIES_PATH ? STORIES_SHA256 : null,
): Checkpoint {
  let b: Uint8Array;
  try {
    b = new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new CheckpointError("cannot read checkpoint", { path, error: String((e as Error).message) }, { cause: e });
  }
  if (sha256 !== null) {
    const actual = createHash("sha256").update(b).digest("hex");
    if (actual !== sha256)
      throw new CheckpointError("checkpoint is not the expected one (sha256 mismatch)", {
        path,
        expected: sha256,
        actual,
      });
  }
  return parseCheckpoint(b, path);
}
