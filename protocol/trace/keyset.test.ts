/**
 * The zk leaf's key set (zk/prover/leaf.ts, protocol/trace/leaf.ts `SnarkLeaf`): which keys a span
 * registers by default, the refusal of a set without the complete circuit, and which key proves
 * which window. The red team's steering (zk/circuits/attack/incomplete-key.test.ts): with only a
 * table key for span m, a lying challenger picks a TRUE leaf the key cannot prove (a function
 * prologue storing three words; a running read of the input) and the honest claimer loses on its
 * clock. Here every set holds RvSteps full, the prover falls back to it on exactly those leaves, and
 * a set without it is refused before anything is deployed.
 *
 * Default suite: no setups (window choice is witness generation in TS). ZKFP_HEAVY=1: the steering
 * game on anvil through `zkfp dispute` with keys {rv32im_mem, rv32im} at m = 2 (Groth16 setups of both,
 * cached under ZKFP_CACHE_DIR; give ZKFP_PTAU to reuse a shared cache's): the lying challenger's pick
 * of the input-reading leaf is proven under the complete key and the claimer wins; a pick of a leaf
 * that fits the tables is proven under the table key.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { Trace } from "../../vm/trace.ts";
import { loadElf, type Program } from "../../vm/elf.ts";
import { CODE_BASE, MEM_SIZE } from "../../vm/layout.ts";
import { initPoseidon } from "../../vm/poseidon/index.ts";
import { isAuxRead, tableCircuitsFor } from "../../zk/witness-input.ts";
import { checkKeySet, defaultKeySet, KeySetError, parseKeySet } from "../../zk/prover/leaf.ts";
import { constraintsOf } from "../../zk/prover/estimate.ts";
import { SnarkLeaf } from "./leaf.ts";
import { dispute } from "../../cli/commands/dispute.ts";
import { parseArgs } from "../../cli/args.ts";
import { terminateCurve } from "../../zk/snarkjs.ts";

const guest = (n: string) => loadElf(readFileSync(new URL(`../../vm/guests/bin/${n}.elf`, import.meta.url)));
const SW = (rs2: number, rs1: number, imm: number) =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (2 << 12) | ((imm & 31) << 7) | 0x23) >>> 0;
function program(words: number[]): Program {
  const image = new Uint8Array(MEM_SIZE);
  const dv = new DataView(image.buffer);
  words.forEach((w, i) => dv.setUint32(CODE_BASE + 4 * i, w, true));
  return {
    entry: CODE_BASE,
    segments: [
      {
        vaddr: CODE_BASE,
        memsz: 4 * words.length,
        data: image.subarray(CODE_BASE, CODE_BASE + 4 * words.length),
        flags: 5,
      },
    ],
    image,
  };
}
const INPUT = "zkfp key sets";

beforeAll(async () => {
  await initPoseidon();
});

describe("key sets", () => {
  it("default: the table circuits costing at most 3/4 of RvSteps(m), cheapest first, then the complete circuit; m = 1, 2 full only", () => {
    expect(defaultKeySet(1)).toEqual(["rv32im"]);
    expect(defaultKeySet(2)).toEqual(["rv32im"]);
    for (const m of [3, 4, 8, 16, 32, 64]) {
      const ks = defaultKeySet(m);
      expect(ks.at(-1)).toBe("rv32im");
      expect(ks.length).toBeGreaterThan(1);
      expect(new Set(ks).size).toBe(ks.length);
      const table = ks.slice(0, -1);
      for (const k of table) expect(4 * constraintsOf(k, m)).toBeLessThanOrEqual(3 * constraintsOf("rv32im", m));
      // in the registered order (cheapest first), and every applying circuit is there unless a cheaper one has its caps
      const order = tableCircuitsFor(m).map((x) => x.id as string);
      expect([...table].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(table);
    }
    expect(defaultKeySet(16)).toContain("rv32im_memwide");
    expect(defaultKeySet(4)).not.toContain("rv32im_memwide"); // = memio at m <= 4 (and above 3/4 there)
  });

  it("refuses a set without the complete circuit, an unknown or repeated circuit (KeySetError)", () => {
    for (const bad of [["rv32im_mem"], ["rv32im_mem", "rv32im_memio", "rv32im_memwide"], []])
      expect(() => checkKeySet(bad)).toThrow(KeySetError);
    expect(() => checkKeySet(["rv32im", "rv32im"])).toThrow(/twice/);
    expect(() => checkKeySet(["counter", "rv32im"])).toThrow(/unknown circuit/);
    expect(() => parseKeySet("mem,memio", 16)).toThrow(KeySetError);
    expect(parseKeySet("mem,full", 16)).toEqual(["rv32im_mem", "rv32im"]);
    expect(parseKeySet("full", 16)).toEqual(["rv32im"]);
    expect(parseKeySet("default", 16)).toEqual(defaultKeySet(16));
    expect(() => new SnarkLeaf("groth16", 4, { keys: ["rv32im_mem"] })).toThrow(KeySetError);
  });

  it("zkfp dispute refuses --keys without the complete circuit before anything is deployed", async () => {
    const run = (argv: string[]) => dispute.run(parseArgs(argv, dispute.options), { json: true, progress: () => {} });
    const argv = ["--vm", "rv32im", "--elf", "vm/guests/bin/fib.elf", "--m", "4", "--keys"];
    await expect(run([...argv, "mem"])).rejects.toBeInstanceOf(KeySetError);
    await expect(run([...argv, "mem,memio,memwide"])).rejects.toBeInstanceOf(KeySetError);
  });

  it("each window is proven with the cheapest registered key whose witness exists; the steered leaves fall back to RvSteps", async () => {
    // the red team's prologue: three stores below sp in one window (more written words than KW = 2)
    const prologue = await Trace.create(
      program([0x00030137, SW(2, 2, -4), SW(2, 2, -8), SW(2, 2, -12), ...new Array<number>(16).fill(0x13)]),
      { maxSteps: 40 },
    );
    const leaf4 = new SnarkLeaf("groth16", 4, { keys: ["rv32im_mem", "rv32im_memio", "rv32im"] });
    expect(leaf4.keyFor(prologue, 0).key).toEqual({ index: 2, circuit: "rv32im" });
    expect(leaf4.keyFor(prologue, 8).key).toEqual({ index: 0, circuit: "rv32im_mem" }); // nops
    // a window with a running read(fd 0): no `mem` witness (A = 0); `memio` has aux slots
    const echo = await Trace.create(guest("echo_input"), { input: new TextEncoder().encode(INPUT), maxSteps: 5000 });
    let read = -1;
    for (let t = 0; t + 2 <= echo.length && read < 0; t += 2)
      if ([t, t + 1].some((i) => isAuxRead(echo.witnessAt(i)))) read = t;
    expect(read).toBeGreaterThan(0);
    const memFull = new SnarkLeaf("groth16", 2, { keys: ["rv32im_mem", "rv32im"] });
    expect(memFull.keyFor(echo, read).key).toEqual({ index: 1, circuit: "rv32im" });
    expect(new SnarkLeaf("groth16", 2, { keys: ["rv32im_memio", "rv32im"] }).keyFor(echo, read).key).toEqual({
      index: 0,
      circuit: "rv32im_memio",
    });
    // order in the set is the key index, not the preference: the cheapest fitting variant still wins
    expect(new SnarkLeaf("groth16", 2, { keys: ["rv32im", "rv32im_mem"] }).keyFor(echo, 2).key).toEqual({
      index: 1,
      circuit: "rv32im_mem",
    });
    // full only: every window under key 0
    expect(new SnarkLeaf("groth16", 2, { keys: ["rv32im"] }).keyFor(echo, 2).key).toEqual({
      index: 0,
      circuit: "rv32im",
    });
  });
});

describe.skipIf(!process.env.ZKFP_HEAVY)(
  "the steering game on anvil, keys {rv32im_mem, rv32im} at m = 2 (heavy)",
  () => {
    it("a lying challenger steers to the input-reading leaf: proven under the complete key, the claimer wins; a fitting leaf is proven under the table key", async () => {
      const echo = await Trace.create(guest("echo_input"), { input: new TextEncoder().encode(INPUT), maxSteps: 5000 });
      let read = -1;
      for (let t = 2; t + 2 <= echo.length && read < 0; t += 2)
        if ([t, t + 1].some((i) => isAuxRead(echo.witnessAt(i)))) read = t;
      const { writeFileSync, mkdtempSync } = await import("node:fs");
      const { join } = await import("node:path");
      const { tmpdir } = await import("node:os");
      const inputFile = join(mkdtempSync(join(tmpdir(), "zkfp-keyset-")), "input.txt");
      writeFileSync(inputFile, INPUT);
      const run = (lieAt: number) =>
        dispute.run(
          parseArgs(
            [
              "--vm",
              "rv32im",
              "--elf",
              "vm/guests/bin/echo_input.elf",
              "--input",
              inputFile,
              "--k",
              "3",
              "--m",
              "2",
              "--keys",
              "mem,full",
              "--liar",
              "challenger",
              "--lie-at",
              String(lieAt),
            ],
            dispute.options,
          ),
          { json: true, progress: () => {} },
        );
      try {
        // the challenger's first wrong root is step read + 2: the disputed leaf is [read, read + 2]
        const steered = await run(read + 1);
        expect(steered.json.honestWon).toBe(true);
        expect(steered.json.winner).toBe("claimer");
        expect(steered.json.keys).toMatchObject([
          { circuit: "rv32im_mem", insecure: true },
          { circuit: "rv32im", insecure: true },
        ]);
        expect(steered.json.leafKeys).toEqual([{ index: 1, circuit: "rv32im", valid: true }]);
        const proveGas = BigInt((steered.json.byOp as Record<string, { gas: string }>).proveLeaf!.gas);
        // a leaf the tables fit (the first window after the program's start)
        const fit = await run(3);
        expect(fit.json.honestWon).toBe(true);
        expect(fit.json.leafKeys).toEqual([{ index: 0, circuit: "rv32im_mem", valid: true }]);
        // eslint-disable-next-line no-console
        console.log(`keyset game: read leaf at ${read}, proveLeaf gas ${proveGas}, wall ${steered.json.wallMs} ms`);
      } finally {
        await terminateCurve();
      }
    }, 3_600_000);
  },
);
