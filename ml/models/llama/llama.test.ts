/**
 * LLaMA at scale: the general llama2.c loader/writer (round trips, typed errors), the seeded
 * synthetic shapes, tiling (every output element exactly once, per fast-check), the tiled graph
 * (bit-identical to the untiled stories260K graph; tiled embedding = table row), tiled nodes on
 * the zkfp VM through the phase link equal to the untiled native op bit for bit (random nodes of
 * each kind; every node of a small model under ZKFP_HEAVY=1), and the cached model commitment.
 */
import { describe, it, expect, beforeAll } from "vitest";
import fc from "fast-check";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initPoseidon } from "../../../vm/poseidon/index.ts";
import { OP, OP_NAMES, runOp } from "../../dnn/ops.ts";
import { Rng } from "../../../lib/rng.ts";
import { executeGraph, type GraphRun } from "../../graph/executor.ts";
import { committedGraph, honestBelief } from "../../../protocol/trace/model.ts";
import { GraphTrace } from "../../../protocol/trace/graph.ts";
import { oneStepLeaf } from "../../../protocol/trace/leaf.ts";
import { graphVmLink } from "../../../protocol/link/twins.ts";
import { nodeProgramConstants } from "../../../protocol/link/graph.ts";
import { GraphTree, GraphTreeError, blobRoot, blobRootBatch, blobRootsBatch, tensorLeaf } from "../../graph/commit.ts";
import { blobHashes, modelCommitment } from "../../graph/model.ts";
import { type Graph, constNode } from "../../graph/graph.ts";
import { vmAvailable } from "../../guests/run.ts";
import { STORIES_PATH, loadCheckpoint } from "../stories/checkpoint.ts";
import { buildStoriesGraph, promptInputs } from "../stories/graph.ts";
import {
  CheckpointError,
  HEADER_BYTES,
  type LlamaConfig,
  WEIGHT_KINDS,
  fileBytes,
  parseCheckpoint,
  readCheckpoint,
  writeCheckpoint,
} from "./checkpoint.ts";
import { SHAPES, ShapeError, shapeConfig, syntheticModel } from "./synthetic.ts";
import { EMBED_ROWS, EMBED_TABLE_ROWS, MAX_TILE_MACS, TilingError, planEmbed, planRows } from "./tiling.ts";
import { LlamaGraphError, buildLlamaGraph, llamaInputs } from "./graph.ts";

const HEAVY = !!process.env.ZKFP_HEAVY;
/** small GQA model with an unshared classifier: 4 heads, 2 kv-heads, vocab 600 (5 token tiles) */
const SMALL: LlamaConfig = {
  dim: 32,
  hiddenDim: 72,
  nLayers: 2,
  nHeads: 4,
  nKvHeads: 2,
  vocabSize: 600,
  seqLen: 16,
  sharedClassifier: false,
};
// small tile budgets so the small model exercises multi-tile matmuls, head-split tiles and column chunks
const TILE = { maxMacs: 200, maxEmbedBytes: EMBED_TABLE_ROWS * 4 * 12 };
let dir: string;

describe("llama2.c loader and synthetic shapes", () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "zkfp-llama-"));
    return () => rmSync(dir, { recursive: true, force: true });
  });

  it("round-trips stories260K byte for byte and agrees with the stories loader", () => {
    const m = readCheckpoint(STORIES_PATH);
    const old = loadCheckpoint();
    expect(m.config).toEqual(old.config);
    for (const k of ["tokenEmbedding", "wq", "wk", "w2", "rmsFinal", "wcls"] as const)
      expect(
        Buffer.from(m.weights[k].buffer, m.weights[k].byteOffset, m.weights[k].byteLength).equals(
          Buffer.from(old.weights[k].buffer, old.weights[k].byteOffset, old.weights[k].byteLength),
        ),
      ).toBe(true);
    const out = join(dir, "s260.bin");
    writeCheckpoint(m, out);
    expect(readFileSync(out).equals(readFileSync(STORIES_PATH))).toBe(true);
    expect(parseCheckpoint(new Uint8Array(readFileSync(out))).config).toEqual(m.config);
  });

  it("round-trips a generated GQA shape with a separate classifier", () => {
    const m = syntheticModel(SMALL, 7);
    const out = join(dir, "small.bin");
    writeCheckpoint(m, out);
    expect(readFileSync(out).length).toBe(fileBytes(SMALL));
    const r = readCheckpoint(out);
    expect(r.config).toEqual(SMALL);
    expect(r.kvDim).toBe(16);
    for (const k of WEIGHT_KINDS) expect(Array.from(r.weights[k])).toEqual(Array.from(m.weights[k]));
    expect(r.weights.wcls).not.toBe(r.weights.tokenEmbedding);
    // a model whose tensors do not match its config is refused before anything is written
    const bad = { ...m, weights: { ...m.weights, w2: m.weights.w2.subarray(1) } };
    expect(() => writeCheckpoint(bad, join(dir, "bad-out.bin"))).toThrow(CheckpointError);
    expect(existsSync(join(dir, "bad-out.bin"))).toBe(false);
  });

  it("generates deterministic weights per seed, never -0", () => {
    const a = syntheticModel(SMALL, 3),
      b = syntheticModel(SMALL, 3),
      c = syntheticModel(SMALL, 4);
    for (const k of WEIGHT_KINDS) expect(Array.from(a.weights[k])).toEqual(Array.from(b.weights[k]));
    expect(Array.from(a.weights.wq)).not.toEqual(Array.from(c.weights.wq));
    for (const k of WEIGHT_KINDS) expect(a.weights[k].some((x) => Object.is(x, -0))).toBe(false);
    expect(shapeConfig("TinyLlama-1.1B")).toMatchObject({
      dim: 2048,
      nLayers: 22,
      nHeads: 32,
      nKvHeads: 4,
      hiddenDim: 5632,
      vocabSize: 32000,
    });
    expect(() => shapeConfig("llama-7B")).toThrow(ShapeError);
    expect(Object.keys(SHAPES)).toEqual(["stories15M", "stories110M", "TinyLlama-1.1B"]);
  });

  it("rejects malformed checkpoints with CheckpointError", () => {
    const good = new Uint8Array(readFileSync(join(dir, "small.bin")));
    const w = (b: Uint8Array) => {
      const p = join(dir, "bad.bin");
      writeFileSync(p, b);
      return p;
    };
    expect(() => readCheckpoint(w(good.subarray(0, 20)))).toThrow(CheckpointError);
    expect(() => readCheckpoint(w(good.subarray(0, good.length - 4)))).toThrow(/size does not match/);
    expect(() => readCheckpoint(w(new Uint8Array([...good, 0, 0, 0, 0])))).toThrow(/size does not match/);
    for (const [field, v] of [
      [0, 30],
      [3, 5],
      [4, 3],
      [2, 0],
      [6, -1],
      [0, 1 << 20],
    ] as const) {
      const b = good.slice();
      new DataView(b.buffer).setInt32(4 * field, v, true);
      expect(() => readCheckpoint(w(b))).toThrow(/implausible/);
      expect(() => parseCheckpoint(b)).toThrow(CheckpointError);
    }
    expect(() => readCheckpoint(join(dir, "missing.bin"))).toThrow(CheckpointError);
    expect(HEADER_BYTES).toBe(28);
  });
});

describe("tiling", () => {
  it("row tiles cover every row exactly once, within segments and the budget", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 2000 }),
        (seg, nseg, cols, budget) => {
          const rows = seg * nseg;
          if (cols > budget) {
            expect(() => planRows(rows, cols, seg, budget)).toThrow(TilingError);
            return;
          }
          const tiles = planRows(rows, cols, seg, budget);
          const hit = new Uint8Array(rows);
          for (const t of tiles) {
            expect(t.rows).toBeGreaterThan(0);
            expect(t.rows * cols).toBeLessThanOrEqual(budget);
            expect(Math.floor(t.start / seg)).toBe(Math.floor((t.start + t.rows - 1) / seg));
            for (let r = t.start; r < t.start + t.rows; r++) hit[r]!++;
          }
          expect(hit.every((h) => h === 1)).toBe(true);
        },
      ),
      { numRuns: HEAVY ? 20000 : 500 },
    );
  });

  it("embedding tiles cover every (token, column) exactly once and fit the table budget", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 700 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 512, max: 1 << 20 }),
        (vocab, dim, maxBytes) => {
          const tiles = planEmbed(vocab, dim, maxBytes);
          const hit = new Uint8Array(vocab * dim);
          for (const t of tiles) {
            expect(t.rows).toBeLessThanOrEqual(EMBED_ROWS);
            expect(EMBED_TABLE_ROWS * 4 * t.cols).toBeLessThanOrEqual(maxBytes);
            for (let r = t.start; r < t.start + t.rows; r++)
              for (let c = t.colStart; c < t.colStart + t.cols; c++) hit[r * dim + c]!++;
          }
          expect(hit.every((h) => h === 1)).toBe(true);
        },
      ),
      { numRuns: HEAVY ? 5000 : 200 },
    );
  });

  it("keeps every matmul tile of the three shapes within 2^16 multiply-adds and 256 KiB", () => {
    for (const c of Object.values(SHAPES)) {
      const hs = c.dim / c.nHeads;
      for (const [rows, cols, seg] of [
        [c.dim, c.dim, hs],
        [c.hiddenDim, c.dim, c.hiddenDim],
        [c.dim, c.hiddenDim, c.dim],
        [c.vocabSize, c.dim, c.vocabSize],
      ] as const)
        for (const t of planRows(rows, cols, seg)) expect(t.rows * cols).toBeLessThanOrEqual(MAX_TILE_MACS);
    }
  });
});

describe("tiled LLaMA graph", () => {
  let small: ReturnType<typeof syntheticModel>;
  let sg: ReturnType<typeof buildLlamaGraph>;
  let run: GraphRun;
  beforeAll(async () => {
    await initPoseidon();
    small = syntheticModel(SMALL, 11);
    sg = buildLlamaGraph(small, 2, 3, TILE);
    run = await executeGraph(sg.graph, llamaInputs([5, 599], SMALL.vocabSize));
  });

  it("gives stories260K's logits bit for bit and its greedy tokens", async () => {
    const T = 6;
    const lg = buildLlamaGraph(readCheckpoint(STORIES_PATH), 1, T, {
      maxMacs: 1000,
      maxEmbedBytes: EMBED_TABLE_ROWS * 4 * 40,
    });
    const ug = buildStoriesGraph(loadCheckpoint(), 1, T);
    const a = await executeGraph(lg.graph, llamaInputs([1], 512), { commit: false });
    const b = await executeGraph(ug.graph, promptInputs([1]), { commit: false });
    const toks: number[] = [];
    for (let p = 0; p < T; p++) {
      expect(Buffer.from(a.outputs[lg.logits[p]!]!).equals(Buffer.from(b.outputs[ug.logits[p]!]!))).toBe(true);
      toks.push(new Int32Array(a.outputs[lg.next[p]!]!.slice().buffer)[0]!);
    }
    expect(toks).toEqual([461, 461, 401, 401, 401, 461]);
  });

  it("puts every const before the inputs and the ops, each op input an earlier node", () => {
    const g = sg.graph;
    g.nodes.forEach((n, i) => {
      expect(n.kind === "const").toBe(i < sg.constNodes);
      expect(n.kind === "op").toBe(i >= sg.firstOp);
    });
    expect(sg.opsPerPosition.reduce((a, b) => a + b, 0)).toBe(g.nodes.length - sg.firstOp);
    expect(() => buildLlamaGraph(small, 1, 17)).toThrow(LlamaGraphError);
    expect(() => llamaInputs([2 ** 31], 600)).toThrow(LlamaGraphError);
    expect(() => llamaInputs([1.5], 600)).toThrow(LlamaGraphError);
  });

  it("selects the embedding row of every token exactly", async () => {
    const g = buildLlamaGraph(small, 1, 1, TILE);
    const embedNode = g.graph.nodes.findIndex((n) => n.kind === "op" && n.name.startsWith("p0.l0.rms_att"));
    const xIn = (g.graph.nodes[embedNode] as { inputs: number[] }).inputs[0]!;
    for (const tok of [0, 1, 124, 125, 126, 127, 251, 252, 503, 504, 599, 600, -1, 2 ** 31 - 1, -(2 ** 31)]) {
      const r = await executeGraph(g.graph, llamaInputs([tok], 600), { commit: false });
      // outside the vocabulary: the zero vector (every tile selects its zero row)
      const want =
        tok >= 0 && tok < 600
          ? new Uint8Array(small.weights.tokenEmbedding.slice(tok * SMALL.dim, (tok + 1) * SMALL.dim).buffer)
          : new Uint8Array(4 * SMALL.dim);
      expect(Buffer.from(r.outputs[xIn]!).equals(Buffer.from(want))).toBe(true);
    }
  });

  it(
    "a tiled node's output equals the untiled op's rows, natively and on the zkfp VM",
    async () => {
      if (!vmAvailable()) return;
      const g = sg.graph;
      const ops = g.nodes.map((n, i) => ({ n, i })).filter(({ n }) => n.kind === "op");
      const byKind = new Map<number, number[]>();
      for (const { n, i } of ops) if (n.kind === "op") byKind.set(n.op, [...(byKind.get(n.op) ?? []), i]);
      const rng = new Rng(2026);
      const pick = HEAVY
        ? ops.map((o) => o.i)
        : [...byKind.values()].flatMap((is) => [is[rng.int(0, is.length - 1)]!, is[rng.int(0, is.length - 1)]!]);
      expect(new Set(pick.map((i) => (g.nodes[i] as { op: number }).op)).size).toBe(byKind.size);
      const cg = committedGraph(g, run);
      const trace = new GraphTrace(cg, honestBelief(cg), oneStepLeaf);
      const link = graphVmLink({
        opsRoot: cg.opsTree.root,
        opCount: cg.ops.length,
        graphDepth: GraphTree.depthFor(g.nodes.length),
        m: 1n,
        ...(await nodeProgramConstants()),
      });
      for (const i of pick) {
        // the node program exits 0 with the node's native output leaf in its end state (GraphVmLink twin)
        const t = BigInt(cg.ops.findIndex((d) => d.node === i));
        const o = await trace.open(t, 1n);
        const name = `${g.nodes[i]!.name} (${OP_NAMES[(g.nodes[i] as { op: number }).op]})`;
        expect({
          name,
          ok: link.verifyLink(
            trace.rootAt(t),
            trace.rootAt(t + 1n),
            o.innerStart,
            o.innerEnd,
            o.innerSteps,
            o.linkProof,
          ),
        }).toEqual({ name, ok: true });
      }
      // matmul tiles against the untiled matmul of the whole layer matrix
      const tiles = ops.filter(({ n }) => n.kind === "op" && n.op === OP.MATMUL_F32 && /^p1\.l1\.w1\[/.test(n.name));
      expect(tiles.length).toBeGreaterThan(1);
      const xb = (g.nodes[tiles[0]!.i] as { inputs: number[] }).inputs[1]!;
      const W = small.weights.w1.subarray(SMALL.hiddenDim * SMALL.dim, 2 * SMALL.hiddenDim * SMALL.dim);
      const full = runOp(
        OP.MATMUL_F32,
        [SMALL.hiddenDim, SMALL.dim],
        [new Uint8Array(W.slice().buffer), run.outputs[xb]!],
      );
      for (const { n, i } of tiles) {
        const [lo, hi] = n.name
          .match(/\[(\d+):(\d+)\]/)!
          .slice(1)
          .map(Number) as [number, number];
        expect(Buffer.from(run.outputs[i]!).equals(Buffer.from(full.subarray(4 * lo, 4 * hi)))).toBe(true);
      }
    },
    HEAVY ? 3_600_000 : 600_000,
  );

  it("computes the model commitment once and reuses it from the disk cache", async () => {
    const cdir = mkdtempSync(join(tmpdir(), "zkfp-mc-"));
    try {
      const a = await modelCommitment(sg.graph, { dir: cdir });
      expect(a.cached).toBe(false);
      const b = await modelCommitment(sg.graph, { dir: cdir });
      expect(b.cached).toBe(true);
      expect(b.root).toBe(a.root);
      sg.graph.nodes.forEach((n, i) => {
        if (n.kind === "const") expect(a.leaves[i]).toBe(tensorLeaf(n.data));
      });
      // the commitment root is the committed run's root after the last const node
      expect(a.root).toBe(run.roots![sg.constNodes - 1]);
      // a run fed the cached leaves commits to the same roots
      const r2 = await executeGraph(sg.graph, llamaInputs([5, 599], SMALL.vocabSize), { constLeaves: b.leaves });
      expect(r2.roots!.at(-1)).toBe(run.roots!.at(-1));
      // another model (one weight changed) has another key: no stale hit
      const other = syntheticModel(SMALL, 11);
      other.weights.w2[5] = other.weights.w2[5]! + 1;
      const c = await modelCommitment(buildLlamaGraph(other, 2, 3, TILE).graph, { dir: cdir });
      expect(c.cached).toBe(false);
      expect(c.root).not.toBe(a.root);
      // a corrupt cache file is recomputed, not trusted
      writeFileSync(join(cdir, `${a.key}.json`), JSON.stringify({ key: a.key, leaves: [[0, "1"]], root: "5" }));
      const d = await modelCommitment(sg.graph, { dir: cdir });
      expect(d.cached).toBe(false);
      expect(d.root).toBe(a.root);
    } finally {
      rmSync(cdir, { recursive: true, force: true });
    }
  });

  it("hashes identical weight blobs once and gives each its own leaf", async () => {
    const g: Graph = { name: "dups", nodes: [], outputs: [] };
    const a = new Uint8Array(3000).map((_, i) => (i * 7) & 255);
    const b = a.slice();
    b[2999]! ^= 1; // differs in the last byte only
    const ids = [a, a.slice(), b, a.slice(1), a.slice()].map((d, i) => constNode(g, `c${i}`, "u8", [d.length], d));
    const cdir = mkdtempSync(join(tmpdir(), "zkfp-mc-"));
    try {
      const r = await modelCommitment(g, { dir: cdir, cache: false });
      ids.forEach((i) => expect(r.leaves[i]).toBe(tensorLeaf((g.nodes[i] as { data: Uint8Array }).data)));
      expect(r.leaves[ids[0]!]).toBe(r.leaves[ids[4]!]);
      expect(r.leaves[ids[2]!]).not.toBe(r.leaves[ids[0]!]);
      // three distinct blobs (a, b, a[1..]) of the five are hashed
      expect(r.hashed).toBe(2 * blobHashes(3000) + blobHashes(2999));
      expect(r.hashes).toBe(4 * blobHashes(3000) + blobHashes(2999));
    } finally {
      rmSync(cdir, { recursive: true, force: true });
    }
  });

  it("batch blob roots equal the reference blob roots", () => {
    for (const n of [0, 1, 3, 4, 5, 17, 64, 257, 4100, 70001]) {
      const b = new Uint8Array(n).map((_, i) => (i * 37 + n) & 255);
      expect(blobRootBatch(b, 2)).toBe(blobRoot(b));
    }
  });

  it("grouped blob roots (one batch call per level over many blobs) equal the reference blob roots", () => {
    // sizes around the padding boundaries (words = 4^k, 4^k + 1), odd byte lengths and offsets that
    // are not 4-byte aligned (the copy path), in random groups
    const back = new Uint8Array(20_016).map((_, i) => (i * 131 + 7) & 255);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            len: fc.oneof(
              fc.constantFrom(0, 1, 3, 4, 5, 16, 17, 64, 65, 256, 257, 4096, 4097, 16384, 16385),
              fc.integer({ min: 0, max: 20_000 }),
            ),
            off: fc.integer({ min: 0, max: 9 }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.integer({ min: 1, max: 3 }),
        (spec, threads) => {
          const blobs = spec.map(({ len, off }) => back.subarray(off, off + len));
          expect(blobRootsBatch(blobs, threads)).toEqual(blobs.map((b) => blobRoot(b)));
        },
      ),
      { numRuns: 12, seed: 16 },
    );
    expect(blobRootsBatch([], 2)).toEqual([]);
    expect(() => blobRootsBatch([new Uint8Array((4 << 20) + 1)])).toThrow(GraphTreeError);
  });
});
