/**
 * `zkfp dispute`: plays one k-ary (multi-phase) dispute game on anvil (started on a free loopback
 * port unless --rpc-url names an anvil-compatible endpoint) between an honest party and a liar, and
 * prints the winner, rounds per phase (with the expected ceil(log_(k+1)(N/m))), gas per party and
 * wall time. Engine: protocol/dispute.ts. `--vm rv32im --elf GUEST` plays the guest's run (to its
 * halt) with leaves settled by the on-chain RV32IM one-step verifier (m = 1) or by a Groth16/PLONK
 * proof of m steps (m > 1, --backend); without --elf it fails with ProviderUnavailableError.
 * `--out FILE.csv|.json` also writes the game as one row (cli/disputeGrid.ts `disputeRow`).
 * `--config sweep.json --out FILE` plays a grid of alphabet games on one chain instead (cli/disputeGrid.ts);
 * the single-game options may not be combined with it.
 */
import { readFileSync } from "node:fs";
import type { Command } from "../command.ts";
import { UsageError } from "../args.ts";
import { playDispute, parsePhases, parseSize, type PhaseSpec } from "../../protocol/dispute.ts";
import { parseKeySet } from "../../zk/prover/leaf.ts";
import type { SnarkBackend } from "../../zk/prover/snark.ts";
import { connect, startAnvil } from "../../protocol/chain/anvil.ts";
import { checkGridOut, columnsOf, runGrid, writeGrid } from "../grid.ts";
import { disputeRow, loadDisputeGrid, playPoint } from "../disputeGrid.ts";
import type { Row } from "../../sims/csv.ts";

const GAME_OPTIONS = ["vm", "steps", "k", "m", "phases", "liar", "lie-at", "elf", "input", "backend", "keys"];

const fmt = (g: string) => BigInt(g).toLocaleString("en-US");

export const dispute: Command = {
  name: "dispute",
  summary: "play one k-ary multi-phase dispute game on anvil and report winner, rounds and gas",
  usage:
    "zkfp dispute --vm alphabet|rv32im --steps N --k K --m M [--phases N0[:k[:m]],N1[:k[:m]]...] --liar claimer|challenger [--lie-at T] [--elf GUEST --input FILE] [--backend groth16|plonk|fflonk] [--keys default|full|LIST] [--rpc-url URL] [--out FILE.csv|.json] [--json]\n       zkfp dispute --config SWEEP.json --out FILE.csv|.json [--rpc-url URL] [--json]",
  options: {
    vm: { type: "string", desc: "machine: alphabet | rv32im", default: "alphabet" },
    steps: { type: "string", desc: "steps of a single-phase game (digits or 2^x)", default: "2^20" },
    k: { type: "number", desc: "checkpoints per round (1..255)", default: 15 },
    m: {
      type: "string",
      desc: "leaf span settled by the arbitrator (rv32im: 1 = one-step verifier, 2..64 = zk proof)",
      default: "1",
    },
    phases: {
      type: "string",
      desc: "phase layout N0[:k[:m]],N1[:k[:m]]... (steps of phase p+1 per phase-p step); overrides --steps",
    },
    liar: { type: "string", desc: "which side lies: claimer | challenger", default: "claimer" },
    "lie-at": { type: "string", desc: "first innermost step the liar gets wrong (default total/3)" },
    "rpc-url": { type: "string", desc: "anvil-compatible JSON-RPC endpoint (default: start anvil)" },
    elf: { type: "string", desc: "rv32im: guest ELF (run to its halt; N = its step count rounded up to m)" },
    input: { type: "string", desc: "rv32im: file fed to the guest's input stream" },
    backend: {
      type: "string",
      desc: "rv32im with m > 1: groth16 (default) | plonk | fflonk proofs of m steps as leaves",
    },
    keys: {
      type: "string",
      desc: "rv32im with m > 1: the arbitrator's key set: default (table variants + full) | full | a list, e.g. mem,full",
    },
    config: {
      type: "string",
      desc: "sweep config (JSON: {grid: {k, m, steps, phases, liar, lieAt, gasPriceGwei}}): a grid of alphabet games on one chain",
      check: "in-file",
    },
    out: { type: "string", desc: "write the game (or the --config grid) as rows: FILE.csv or FILE.json" },
  },
  async run(args, ctx) {
    const o = args.opts;
    if (o.out !== undefined) checkGridOut(String(o.out));
    if (o.config !== undefined) return runSweep(String(o.config), o, args.given, ctx.progress);
    const vm = String(o.vm);
    if (vm !== "alphabet" && vm !== "rv32im") throw new UsageError("--vm must be alphabet or rv32im", { vm });
    const liar = String(o.liar);
    if (liar !== "claimer" && liar !== "challenger")
      throw new UsageError("--liar must be claimer or challenger", { liar });
    const k = Number(o.k);
    const m = parseSize(String(o.m), "--m");
    const phases: PhaseSpec[] =
      o.phases !== undefined
        ? parsePhases(String(o.phases), k, m)
        : [{ steps: parseSize(String(o.steps), "--steps"), k, m }];
    ctx.progress(
      `zkfp dispute: ${vm}, ${phases.length} phase(s), liar = ${liar}${o["rpc-url"] ? ` on ${o["rpc-url"]}` : " on a fresh anvil"}`,
    );
    let input: Uint8Array | undefined;
    if (o.input !== undefined) {
      try {
        input = new Uint8Array(readFileSync(String(o.input)));
      } catch (e) {
        throw new UsageError("cannot read --input", { path: o.input, reason: (e as Error).message });
      }
    }
    const backend = o.backend === undefined ? undefined : String(o.backend);
    if (backend !== undefined && backend !== "groth16" && backend !== "plonk" && backend !== "fflonk")
      throw new UsageError("--backend must be groth16, plonk or fflonk", { backend });
    const keys = o.keys === undefined ? undefined : parseKeySet(String(o.keys), Number(phases[0]!.m));
    const r = await playDispute({
      vm,
      phases,
      liar,
      backend: backend as SnarkBackend | undefined,
      keys,
      progress: ctx.progress,
      elf: o.elf !== undefined ? String(o.elf) : undefined,
      input,
      lieAt: o["lie-at"] !== undefined ? parseSize(String(o["lie-at"]), "--lie-at") : undefined,
      rpcUrl: o["rpc-url"] !== undefined ? String(o["rpc-url"]) : undefined,
    });
    const lines = [
      `phases: ${r.phases.map((p, i) => `#${i} N=${p.steps} k=${p.k} m=${p.m}`).join("; ")}`,
      `liar: ${r.liar} (from step ${r.lieAt})`,
      `leaf: ${r.leaf}`,
      ...r.keys.map(
        (k, i) => `key ${i}: ${k.circuit}${k.insecure ? " (INSECURE dev setup)" : ""}, transcript ${k.transcriptHash}`,
      ),
      ...(r.leafKeys.length
        ? [
            `leaf proofs: ${r.leafKeys.map((k) => `key ${k.index} (${k.circuit})${k.valid ? "" : " refused"}`).join(", ")}`,
          ]
        : []),
      `winner: ${r.winner}${r.byTimeout ? " (liar timed out)" : " (leaf proven)"}${r.honestWon ? "" : "  <-- honest side lost!"}`,
      `rounds per phase: ${r.roundsPerPhase.join(", ")} (expected ${r.expectedRounds.join(", ")})`,
      `gas: claimer ${fmt(r.gas.claimer)}, challenger ${fmt(r.gas.challenger)} (+ challenge ${fmt(r.gas.challenge)}, timeout ${fmt(r.gas.referee)}); dispute total ${fmt(r.gas.dispute)}`,
      `moves: claimer ${r.moves.claimer}, challenger ${r.moves.challenger}`,
      `wall time: ${(r.wallMs / 1000).toFixed(2)} s (${r.rpcUrl})`,
    ];
    if (o.out !== undefined) {
      const rows = [disputeRow(r)];
      writeGrid(String(o.out), { name: "dispute", columns: columnsOf(rows), rows });
      lines.push(`wrote ${o.out}`);
    }
    return { exitCode: r.honestWon ? 0 : 1, json: r as unknown as Record<string, unknown>, text: lines.join("\n") };
  },
};

/** `--config`: the grid, on one chain; exit 1 if the honest side lost any game (or a point failed under keepGoing). */
async function runSweep(
  file: string,
  o: Record<string, unknown>,
  given: ReadonlySet<string>,
  progress: (msg: string) => void,
) {
  const clash = GAME_OPTIONS.filter((g) => given.has(g));
  if (clash.length > 0)
    throw new UsageError(`--config sets the games; drop --${clash.join(", --")} (put them in the config's grid)`, {
      options: clash,
    });
  if (o.out === undefined) throw new UsageError("dispute --config needs --out FILE.csv|.json", { option: "out" });
  const out = String(o.out);
  const cfg = loadDisputeGrid(file);
  const rpcUrl = o["rpc-url"] !== undefined ? String(o["rpc-url"]) : undefined;
  const chain = rpcUrl ? connect(rpcUrl) : await startAnvil();
  let rows: Row[];
  try {
    rows = await runGrid(
      cfg.points,
      async (p, i) => {
        progress(`point ${i + 1}/${cfg.points.length}: ${JSON.stringify(p)}`);
        return playPoint(p, chain, playDispute);
      },
      { label: "dispute grid", keepGoing: cfg.keepGoing },
    );
  } finally {
    await chain.stop();
  }
  const columns = columnsOf(rows);
  writeGrid(out, { name: "dispute_grid", columns, rows });
  const lost = rows.filter((r) => r.honestWon !== true).length;
  const text = [
    `${rows.length} games on ${chain.url}; honest side won ${rows.length - lost}/${rows.length}`,
    `wrote ${out} (${columns.length} columns)`,
  ].join("\n");
  return { exitCode: lost === 0 ? 0 : 1, json: { out, points: rows.length, honestLost: lost, rows }, text };
}
