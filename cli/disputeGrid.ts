/**
 * `zkfp dispute --config sweep.json`: a grid of alphabet dispute games (protocol/dispute.ts
 * `playDispute`) over k, m, N (`steps`), `phases`, `liar`, `lieAt` and `gasPriceGwei` (which only
 * prices the measured gas in ETH), all on ONE chain (a fresh anvil, or --rpc-url), with a progress
 * line per point and one row per game (`disputeRow`), written by cli/grid.ts as CSV or JSON.
 *
 *   {"grid": {"k": [1, 3], "steps": ["2^10", 4096], "liar": ["claimer", "challenger"]}, "keepGoing": false}
 *
 * Axes left out take the command's defaults (k 15, m 1, steps 2^20, liar claimer). A `phases` axis
 * (the --phases syntax, `N0[:k[:m]],N1...`) replaces `steps` and may not be combined with it.
 * A bad field is a SimConfigError naming its path (`grid.k[1]`), raised before any game.
 */
import type { Chain } from "../protocol/chain/anvil.ts";
import {
  DisputeConfigError,
  checkPhases,
  parsePhases,
  parseSize,
  type DisputeReport,
  type PhaseSpec,
} from "../protocol/dispute.ts";
import { SimConfigError } from "../sims/errors.ts";
import type { Cell, Row } from "../sims/csv.ts";
import { bool, int, num, obj, oneOf, opt, type Spec } from "../sims/schema.ts";
import { expandGrid, parseAxes, readJsonFile, type GridPoint } from "./grid.ts";

/** A size as the CLI takes it: a positive integer or a string "digits" / "2^x". */
const size: Spec<Cell> = (v, p) => {
  if (typeof v === "number" && !(Number.isSafeInteger(v) && v >= 1))
    throw new SimConfigError(p, "expected a positive integer or a size string (digits or 2^x)", v);
  if (typeof v !== "number" && typeof v !== "string")
    throw new SimConfigError(p, "expected a positive integer or a size string (digits or 2^x)", v);
  try {
    parseSize(String(v), p);
  } catch (e) {
    if (e instanceof DisputeConfigError) throw new SimConfigError(p, e.message, v);
    throw e;
  }
  return v;
};
const phasesSpec: Spec<Cell> = (v, p) => {
  if (typeof v !== "string" || v === "") throw new SimConfigError(p, "expected a phase layout N0[:k[:m]],N1...", v);
  try {
    checkPhases(parsePhases(v, 15, 1n));
  } catch (e) {
    if (e instanceof DisputeConfigError) throw new SimConfigError(p, e.message, v);
    throw e;
  }
  return v;
};

export const DISPUTE_AXES: Record<string, Spec<Cell>> = {
  k: int(1, 255),
  m: size,
  steps: size,
  phases: phasesSpec,
  liar: oneOf("claimer", "challenger"),
  lieAt: size,
  gasPriceGwei: num({ min: 0 }),
};

export type DisputeGridConfig = { points: GridPoint[]; keepGoing: boolean };

/** Reads and validates a sweep config (every point's phase layout is checked here, before any game). */
export function loadDisputeGrid(path: string): DisputeGridConfig {
  const raw = readJsonFile(path);
  const top = obj({ grid: (v: unknown) => v, keepGoing: opt(bool(), false) })(raw, "");
  const axes = parseAxes(top.grid, "grid", DISPUTE_AXES);
  if (axes.phases && axes.steps) throw new SimConfigError("grid.phases", "replaces grid.steps; give one of them");
  const points = expandGrid(axes);
  points.forEach((p, i) => {
    try {
      pointPhases(p);
    } catch (e) {
      if (e instanceof DisputeConfigError)
        throw new SimConfigError(`grid (point ${i}: ${JSON.stringify(p)})`, e.message, e.detail);
      throw e;
    }
  });
  return { points, keepGoing: top.keepGoing };
}

/** The phase layout of a grid point, with the command's defaults for absent axes. */
export function pointPhases(p: GridPoint): PhaseSpec[] {
  const k = p.k === undefined ? 15 : Number(p.k);
  const m = parseSize(String(p.m ?? "1"), "m");
  const phases =
    p.phases !== undefined
      ? parsePhases(String(p.phases), k, m)
      : [{ steps: parseSize(String(p.steps ?? "2^20"), "steps"), k, m }];
  checkPhases(phases);
  return phases;
}

/** Plays one grid point on `chain`. */
export async function playPoint(
  p: GridPoint,
  chain: Chain,
  play: typeof import("../protocol/dispute.ts").playDispute,
): Promise<Row> {
  const r = await play({
    vm: "alphabet",
    phases: pointPhases(p),
    liar: (p.liar ?? "claimer") as "claimer" | "challenger",
    lieAt: p.lieAt !== undefined ? parseSize(String(p.lieAt), "lieAt") : undefined,
    chain,
  });
  return disputeRow(r, p.gasPriceGwei === undefined ? undefined : Number(p.gasPriceGwei));
}

const eth = (gas: string, gwei: number) => Number(((Number(gas) * gwei) / 1e9).toPrecision(12));

/** One CSV row of a game: layout, winner, rounds per phase (played; expected), gas per party, cost, wall time. */
export function disputeRow(r: DisputeReport, gasPriceGwei?: number): Row {
  const row: Row = {
    layout: r.phases.map((p) => `${p.steps}:${p.k}:${p.m}`).join(","),
    liar: r.liar,
    lieAt: r.lieAt,
    winner: r.winner,
    honestWon: r.honestWon,
    byTimeout: r.byTimeout,
    rounds: r.roundsPerPhase.join(";"),
    expectedRounds: r.expectedRounds.join(";"),
    gasClaimer: Number(r.gas.claimer),
    gasChallenger: Number(r.gas.challenger),
    gasChallenge: Number(r.gas.challenge),
    gasReferee: Number(r.gas.referee),
    gasDispute: Number(r.gas.dispute),
    movesClaimer: r.moves.claimer,
    movesChallenger: r.moves.challenger,
    wallSeconds: Number((r.wallMs / 1000).toFixed(3)),
  };
  if (gasPriceGwei !== undefined) {
    row.ethClaimer = eth(r.gas.claimer, gasPriceGwei);
    row.ethChallenger = eth(r.gas.challenger, gasPriceGwei);
    row.ethDispute = eth(r.gas.dispute, gasPriceGwei);
  }
  return row;
}
