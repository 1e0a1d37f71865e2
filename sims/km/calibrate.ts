/**
 * Per-move gas of zkfp's dispute game measured on anvil, for the k/m model and the paper: deploys
 * the protocol's DisputeGame with the alphabet arbitrator (protocol/chain), plays one game per k
 * (honest claimer, lying challenger, one phase of N steps, leaves of m) through the protocol's
 * referee loop, and records the gas of every call with the number of checkpoints c it carried; then
 * one two-phase game (k = 7) for the gas of opening a sub-game (`open`).
 *
 * Output rows: { op, k, c, gas }. `toBenchResults` turns them into BenchResult-shaped entries with
 * the names sims/constants.ts reads (game.move_gas.k=C averaged per posted count C,
 * game.select_gas.k=C, game.claim_gas, game.challenge_gas, game.leaf_gas, game.open_gas), so the calibration can
 * stand in for the game benchmark's file when that is not committed yet.
 * Pitfall: needs forge (contracts are built by contracts/build.ts) and starts anvil on a
 * free port; it always stops it.
 */
import { existsSync, readFileSync } from "node:fs";
import type { BenchResult } from "../constants.ts";
import { BenchFileError } from "../errors.ts";

export type MoveRow = { op: string; k: number; c: number; gas: number };

export async function calibrateOnAnvil(o: {
  ks: number[];
  N: bigint;
  m: bigint;
  onProgress?: (d: number, t: number) => void;
}): Promise<MoveRow[]> {
  const { startAnvil } = await import("../../protocol/chain/anvil.ts");
  const { ChainBackend } = await import("../../protocol/chain/backend.ts");
  const { playClaim } = await import("../../protocol/actors/play.ts");
  const { alphabetWorld, dishonest, honest } = await import("../../protocol/actors/actor.ts");
  type GB = import("../../protocol/game/backend.ts").GameBackend;
  // Delegating backend that records each call's gas (the referee only sees the interface).
  const recording = (backend: GB, k: number): GB => {
    const rec = (op: string, c: number, gas: bigint) => rows.push({ op, k, c, gas: Number(gas) });
    return {
      get phases() {
        return backend.phases;
      },
      get config() {
        return backend.config;
      },
      get programHash() {
        return backend.programHash;
      },
      view: (g) => backend.view(g),
      claimStatus: (c) => backend.claimStatus(c),
      claimDeadline: (c) => backend.claimDeadline(c),
      credit: (a) => backend.credit(a),
      claim: async (...a) => {
        const r = await backend.claim(...a);
        rec("claim", 0, r.gas);
        return r;
      },
      challenge: async (...a) => {
        const r = await backend.challenge(...a);
        rec("challenge", 0, r.gas);
        return r;
      },
      postCheckpoints: async (f, at, g, roots) => {
        const r = await backend.postCheckpoints(f, at, g, roots);
        rec("checkpoints", roots.length, r.gas);
        return r;
      },
      chooseSegment: async (f, at, g, idx) => {
        const c = backend.view(g).checkpoints?.length ?? 0;
        const r = await backend.chooseSegment(f, at, g, idx);
        rec("select", c, r.gas);
        return r;
      },
      proveLeaf: async (...a) => {
        const r = await backend.proveLeaf(...a);
        rec("leaf", 0, r.gas);
        return r;
      },
      openSubgame: async (...a) => {
        const r = await backend.openSubgame(...a);
        rec("open", 0, r.gas);
        return r;
      },
      timeout: async (...a) => {
        const r = await backend.timeout(...a);
        rec("timeout", 0, r.gas);
        return r;
      },
      finalizeClaim: async (...a) => {
        const r = await backend.finalizeClaim(...a);
        rec("finalize", 0, r.gas);
        return r;
      },
      withdraw: async (...a) => {
        const r = await backend.withdraw(...a);
        rec("withdraw", 0, r.gas);
        return r;
      },
    };
  };
  const chain = await startAnvil();
  const rows: MoveRow[] = [];
  try {
    const [deployer, claimer, challenger] = (await chain.provider.send("eth_accounts", [])) as string[];
    // The contracts' payout rule (protocol/economics/payout.ts) with clocks long enough for the whole game.
    const { payoutConfig } = await import("../../protocol/economics/payout.ts");
    const cfg = payoutConfig({ clockBudget: 1_000_000, challengeWindow: 100_000, daWindow: 10_000 });
    let start = 1_800_000_000;
    for (const [i, k] of o.ks.entries()) {
      const { backend } = await ChainBackend.deployAlphabet(chain, deployer!, cfg, [{ k, m: o.m }]);
      const b = recording(backend, k);
      const world = alphabetWorld([o.N]);
      const res = await playClaim(
        b,
        { address: claimer!, actor: honest(world) },
        [{ address: challenger!, actor: dishonest(world, o.N / 3n) }],
        { start },
      );
      start = res.end + 10;
      o.onProgress?.(i + 1, o.ks.length + 1);
    }
    // One two-phase game (k = 7; 2^10 outer units of 2^10 steps) to measure the sub-game opening.
    {
      const sizes = [1n << 10n, 1n << 10n];
      const { backend } = await ChainBackend.deployAlphabet(chain, deployer!, cfg, [
        { k: 7, m: 1n },
        { k: 7, m: o.m },
      ]);
      const world = alphabetWorld(sizes);
      // Only the opening is kept from this game: its moves would mix two phases into the k = 7 means.
      const all = recording(backend, 7);
      const b: GB = {
        ...all,
        get phases() {
          return backend.phases;
        },
        get config() {
          return backend.config;
        },
        postCheckpoints: (...a) => backend.postCheckpoints(...a),
        chooseSegment: (...a) => backend.chooseSegment(...a),
        claim: (...a) => backend.claim(...a),
        challenge: (...a) => backend.challenge(...a),
        proveLeaf: (...a) => backend.proveLeaf(...a),
        finalizeClaim: (...a) => backend.finalizeClaim(...a),
        withdraw: (...a) => backend.withdraw(...a),
        timeout: (...a) => backend.timeout(...a),
      };
      const res = await playClaim(
        b,
        { address: claimer!, actor: honest(world) },
        [{ address: challenger!, actor: dishonest(world, 300_000n) }],
        { start },
      );
      start = res.end + 10;
      o.onProgress?.(o.ks.length + 1, o.ks.length + 1);
    }
  } finally {
    await chain.stop();
  }
  return rows;
}

/** Averages per (op, c) as BenchResult entries named for sims/constants.ts. */
export function toBenchResults(rows: MoveRow[]): BenchResult[] {
  const acc = new Map<string, { sum: number; n: number }>();
  const add = (name: string, v: number) => {
    const a = acc.get(name) ?? { sum: 0, n: 0 };
    a.sum += v;
    a.n++;
    acc.set(name, a);
  };
  for (const r of rows) {
    if (r.op === "checkpoints") add(`game.move_gas.k=${r.c}`, r.gas);
    else if (r.op === "select") add(`game.select_gas.k=${r.c}`, r.gas);
    else if (r.op === "claim") add("game.claim_gas", r.gas);
    else if (r.op === "challenge") add("game.challenge_gas", r.gas);
    else if (r.op === "leaf") add("game.leaf_gas", r.gas);
    else if (r.op === "open") add("game.open_gas", r.gas);
  }
  return [...acc.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, a]) => ({
      name,
      compares: "anvil calibration (papers/build.ts)",
      value: a.sum / a.n,
      unit: "gas",
      notes: `mean of ${a.n} calls`,
    }));
}

/** Reads a committed calibration (papers/data/anvil_moves.csv, columns op,k,c,gas); null if absent. */
export function readCalibration(path: string): MoveRow[] | null {
  if (!existsSync(path)) return null;
  const lines = readFileSync(path, "utf8").trim().split("\n");
  if (lines[0] !== "op,k,c,gas")
    throw new BenchFileError(`calibration ${path} has an unexpected header`, { file: path, header: lines[0] });
  return lines.slice(1).map((l, i) => {
    const [op, k, c, gas] = l.split(",");
    const row = { op: op!, k: Number(k), c: Number(c), gas: Number(gas) };
    if (!op || ![row.k, row.c, row.gas].every(Number.isFinite))
      throw new BenchFileError(`calibration ${path}: bad row ${i + 2}`, { file: path, line: l });
    return row;
  });
}
