/**
 * Tiling plans that keep every graph node's VM program small (the node program, ml/guests/src/node.c,
 * runs one node in the zkfp VM's 4 MiB memory, inputs below OUT_ADDR = 2 MiB).
 *
 * Bound: a node runs in at most 2^24 VM steps. node.elf's float32 matmul costs ~197 steps per
 * multiply-add (libgcc soft float, measured: 1 x 288 -> 60.0 k steps, 32 x 288 -> 1.81 M), so a
 * matmul tile of at most MAX_TILE_MACS = 2^16 multiply-adds runs in ~13 M steps (< 2^24 with
 * margin for the input copy and loop overhead) and its weights are 256 KiB (a 4 MiB blob holds 16
 * such tiles; the node's inputs fit far below 2 MiB). Why 2^24: each phase-2 round replays the node
 * program to its checkpoints, so a node of 2^24 steps costs about a second of VM time per round
 * (~16-25 M steps/s here), and phase 2 needs ceil(log_(k+1)(2^24 / m)) rounds (24 at k = 1).
 *
 *  - `planRows(rows, cols, segment, maxMacs)`: row tiles of a rows x cols matrix, each of at most
 *    maxMacs multiply-adds, never crossing a multiple of `segment` (a head boundary), so per-head
 *    outputs are unions of whole tiles. Row tiles compute exactly the untiled op's rows (same
 *    summation order per row), so tiling changes no bit.
 *  - `planEmbed(vocab, dim, maxBytes)`: the embedding table in tiles of EMBED_ROWS = 126 token rows
 *    (selected by an i8 index, see graph.ts) and column chunks of at most maxBytes per tile table.
 */
import { ZkfpError } from "../../../vm/errors.ts";

export class TilingError extends ZkfpError {
  override readonly name = "TilingError";
}

export const MAX_TILE_MACS = 1 << 16;
/**
 * tile tables hold 128 rows: zero row, 126 token rows, zero row (the indices 0..127 of the
 * embedding's REQUANT_I8 clamp to [0, 127])
 */
export const EMBED_ROWS = 126;
export const EMBED_TABLE_ROWS = 128;
export const MAX_EMBED_TABLE_BYTES = 1 << 20;

export type RowTile = { start: number; rows: number };

export function planRows(rows: number, cols: number, segment = rows, maxMacs = MAX_TILE_MACS): RowTile[] {
  if (
    !(
      Number.isInteger(rows) &&
      rows >= 1 &&
      Number.isInteger(cols) &&
      cols >= 1 &&
      Number.isInteger(segment) &&
      segment >= 1 &&
      rows % segment === 0
    )
  )
    throw new TilingError("bad matrix or segment size", { rows, cols, segment });
  if (cols > maxMacs) throw new TilingError("one row exceeds the tile budget", { cols, maxMacs });
  const per = Math.floor(maxMacs / cols);
  const out: RowTile[] = [];
  for (let s0 = 0; s0 < rows; s0 += segment) {
    // equal-sized tiles within the segment (fewest tiles, sizes differing by at most one)
    const n = Math.ceil(segment / per);
    for (let t = 0; t < n; t++) {
      const a = Math.floor((t * segment) / n),
        b = Math.floor(((t + 1) * segment) / n);
      out.push({ start: s0 + a, rows: b - a });
    }
  }
  return out;
}

export type EmbedTile = { start: number; rows: number; colStart: number; cols: number };

/** Embedding tiles: token tiles of EMBED_ROWS rows x column chunks; tiles of one token tile are consecutive. */
export function planEmbed(vocab: number, dim: number, maxBytes = MAX_EMBED_TABLE_BYTES): EmbedTile[] {
  if (!(Number.isInteger(vocab) && vocab >= 1 && Number.isInteger(dim) && dim >= 1))
    throw new TilingError("bad embedding size", { vocab, dim });
  const maxCols = Math.floor(maxBytes / (4 * EMBED_TABLE_ROWS));
  if (maxCols < 1) throw new TilingError("embedding tile budget below one column", { maxBytes });
  const chunks = Math.ceil(dim / maxCols);
  const out: EmbedTile[] = [];
  for (let s = 0; s < vocab; s += EMBED_ROWS)
    for (let c = 0; c < chunks; c++) {
      const a = Math.floor((c * dim) / chunks),
        b = Math.floor(((c + 1) * dim) / chunks);
      out.push({ start: s, rows: Math.min(EMBED_ROWS, vocab - s), colStart: a, cols: b - a });
    }
  return out;
}
