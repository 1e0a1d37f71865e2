/**
 * Plays the k-ary multi-checkpoint narrowing of zkfp's dispute game (issue 4) move by move, as an
 * agent-level simulation used to check the k/m cost model (sims/km/model.ts) — it is not the
 * protocol's implementation (protocol/ owns that) but an independent replay of the same rules:
 *
 *   the agreed interval starts as [0, N]: both agree on state 0, disagree on state N.
 *   each round the claimer posts k checkpoints at evenly spaced steps inside (lo, hi); the challenger
 *   names the first segment whose end it disputes; stop when hi − lo ≤ m; the arbitrator re-executes
 *   (or verifies a zk proof of) hi − lo steps from the agreed state at lo and compares with hi.
 *
 * Traces are alphabet-machine traces (state i = i, OP's AlphabetVM); a lying party's states differ
 * from step `lieFrom` on. Multi-phase: phase 1 narrows over graph nodes down to one node (m = 1),
 * phase 2 over that node's VM steps down to m steps. Gas per move comes from the caller.
 * Checkpoint spacing is the contract's (protocol/game/spacing.ts, contracts' LibSpacing): an
 * aligned, clamped (k+1)-ary tree with leaves of at most m steps. At level l (starting at
 * R = ⌈log_(k+1)(N/m)⌉) segments are s(l) = m·(k+1)^(l−1) wide and the round posts
 * c(l) = min(k, ⌈(hi − lo)/s(l)⌉ − 1) checkpoints at lo + j·s(l), so every path takes exactly R
 * rounds; on the right spine c(l) < k can happen (fewer checkpoints, less gas than the model).
 */
import { Rng } from "../../lib/rng.ts";

export type Phase = { size: number; k: number; m: number };
export type Liar = "claimer" | "challenger";
export type GameResult = {
  winner: "claimer" | "challenger";
  rounds: number[];
  moves: number;
  checkpoints: number;
  finalSpan: number;
  gas: number;
};

/** States of one party in a phase: the alphabet machine (state i = i) or a liar's version of it. */
export type Trace = (i: number) => number;
const LIE = 1e12;
export const honestTrace: Trace = (i) => i;
export const liarTrace =
  (from: number): Trace =>
  (i) =>
    i < from ? i : i + LIE;

/** Rounds of a phase: R = min { r : m·(k+1)^r ≥ N } = ⌈log_(k+1)(N/m)⌉ (integer arithmetic). */
export function phaseRounds(N: number, k: number, m: number): number {
  let cap = m,
    r = 0;
  while (cap < N) {
    cap *= k + 1;
    r++;
  }
  return r;
}

/** Checkpoint step indices of the round at level l of [lo, hi] (aligned tree, see the header). */
export function checkpoints(lo: number, hi: number, level: number, k: number, m: number): number[] {
  const s = m * (k + 1) ** (level - 1);
  const c = Math.min(k, Math.ceil((hi - lo) / s) - 1);
  return Array.from({ length: Math.max(0, c) }, (_, j) => lo + (j + 1) * s);
}

/** Plays one phase down to a leaf (level 0); the challenger disputes the first bad segment. */
function playPhase(
  ph: Phase,
  claimer: Trace,
  challenger: Trace,
  selectGas: (c: number) => number,
): { lo: number; hi: number; rounds: number; cps: number; selGas: number } {
  let lo = 0,
    hi = ph.size,
    rounds = 0,
    cps = 0,
    selGas = 0;
  for (let level = phaseRounds(ph.size, ph.k, ph.m); level > 0; level--) {
    const pts = checkpoints(lo, hi, level, ph.k, ph.m);
    cps += pts.length;
    selGas += selectGas(pts.length);
    let nlo = pts.length ? pts[pts.length - 1]! : lo,
      nhi = hi; // agrees with all: last segment
    let prev = lo;
    for (const p of pts) {
      if (claimer(p) !== challenger(p)) {
        nlo = prev;
        nhi = p;
        break;
      }
      prev = p;
    }
    lo = nlo;
    hi = nhi;
    rounds++;
  }
  return { lo, hi, rounds, cps, selGas };
}

export type GameSetup = {
  phases: Phase[];
  liar: Liar;
  lieFrom: number[];
  moveGas: (k: number) => number;
  selectGas: (c: number) => number;
  arbitrationGas: (m: number) => number;
  linkGas: number;
};

/**
 * Plays all phases. `lieFrom[p]` is the first index at which the liar's phase-p states are wrong.
 * The arbitrator applies the alphabet transition (hi − lo) times to the agreed state at lo and
 * compares with the claimer's state at hi: equal => claimer wins.
 */
export function play(g: GameSetup): GameResult {
  const rounds: number[] = [];
  let moves = 0,
    checkpointsTotal = 0,
    gas = 0,
    span = 0,
    winner: "claimer" | "challenger" = "claimer";
  for (let i = 0; i < g.phases.length; i++) {
    const ph = g.phases[i]!;
    const lying = liarTrace(g.lieFrom[i]!);
    const claimer = g.liar === "claimer" ? lying : honestTrace;
    const challenger = g.liar === "challenger" ? lying : honestTrace;
    const r = playPhase(ph, claimer, challenger, g.selectGas);
    rounds.push(r.rounds);
    moves += 2 * r.rounds;
    checkpointsTotal += r.cps;
    gas += r.rounds * g.moveGas(0) + r.cps * (g.moveGas(1) - g.moveGas(0)) + r.selGas;
    span = r.hi - r.lo;
    if (i < g.phases.length - 1) {
      gas += g.linkGas;
      continue;
    }
    const agreed = claimer(r.lo);
    winner = agreed + span === claimer(r.hi) ? "claimer" : "challenger";
  }
  gas += g.arbitrationGas(g.phases[g.phases.length - 1]!.m);
  return { winner, rounds, moves, checkpoints: checkpointsTotal, finalSpan: span, gas };
}

export type PlayBatchTask = {
  seed: number;
  index: number;
  games: number;
  maxLog2N: number;
  ks: number[];
  ms: number[];
  phases: 1 | 2;
  moveG0: number;
  moveG: number;
  selectBase: number;
  selectPerLevel: number;
  arbGas1: number;
  arbGasZk: number;
  linkGas: number;
};
export type PlayBatchRow = {
  N: number;
  k: number;
  m: number;
  phases: number;
  liar: Liar;
  lieFrom: number;
  rounds: number;
  roundsModel: number;
  gas: number;
  gasModel: number;
  winnerHonest: boolean;
  finalSpanOk: boolean;
  checkpoints: number;
  exactPower: boolean;
};

/**
 * Plays `games` random games (random N, k, m, liar, lie position) and returns each with the model's
 * prediction next to it (rounds = Σ ⌈log_(k+1)(N_p/m_p)⌉, gas = Σ rounds·(G0 + g·k + G_sel) + arb).
 */
export function playBatch(t: PlayBatchTask): PlayBatchRow[] {
  const rng = Rng.forTask(t.seed, t.index);
  const out: PlayBatchRow[] = [];
  // The closed form, in floating point (independent of the game's integer levels).
  const ceilLog = (x: number, b: number) => (x <= 1 ? 0 : Math.ceil(Math.log(x) / Math.log(b) - 1e-9));
  for (let i = 0; i < t.games; i++) {
    const k = t.ks[Math.floor(rng.uniform() * t.ks.length)]!;
    // Half the games use N = m·(k+1)^j exactly, where the bound ⌈log_(k+1)(N/m)⌉ must be met exactly.
    const exact = t.phases === 1 && rng.bernoulli(0.5);
    let N: number, m: number;
    if (exact) {
      m = t.ms[Math.floor(rng.uniform() * t.ms.length)]!;
      const jMax = Math.max(1, Math.floor(Math.log(2 ** t.maxLog2N / m) / Math.log(k + 1)));
      N = m * (k + 1) ** (1 + Math.floor(rng.uniform() * jMax));
    } else {
      N = 2 + Math.floor(2 ** (1 + rng.uniform() * (t.maxLog2N - 1)));
      m = Math.min(t.ms[Math.floor(rng.uniform() * t.ms.length)]!, N);
    }
    const liar: Liar = rng.bernoulli(0.5) ? "claimer" : "challenger";
    const phases: Phase[] =
      t.phases === 1
        ? [{ size: N, k, m }]
        : [
            { size: Math.max(2, Math.floor(Math.sqrt(N))), k, m: 1 },
            { size: N, k, m },
          ];
    const lieFrom = phases.map((p) => 1 + Math.floor(rng.uniform() * p.size));
    const moveGas = (kk: number) => t.moveG0 + t.moveG * kk;
    const arb = (mm: number) => (mm <= 1 ? t.arbGas1 : t.arbGasZk);
    const selectGas = (kk: number) => t.selectBase + t.selectPerLevel * Math.ceil(Math.log2(kk + 1));
    const res = play({ phases, liar, lieFrom, moveGas, selectGas, arbitrationGas: arb, linkGas: t.linkGas });
    const roundsModel = phases.reduce((s, p) => s + ceilLog(p.size / p.m, p.k + 1), 0);
    // The model assumes k checkpoints in every round; near the end a span < k+1 has fewer distinct points.
    // Path model (km/model.ts pathGas): k checkpoints per round except the clamped top round.
    const pathModel = (n: number, mm: number) => {
      const R = phaseRounds(n, k, mm);
      if (R === 0) return 0;
      const cTop = Math.min(k, Math.ceil(n / (mm * (k + 1) ** (R - 1))) - 1);
      return (
        R * moveGas(0) + (cTop + (R - 1) * k) * (moveGas(1) - moveGas(0)) + selectGas(cTop) + (R - 1) * selectGas(k)
      );
    };
    const gasModel = phases.reduce((s, p) => s + pathModel(p.size, p.m), 0) + arb(m) + (phases.length - 1) * t.linkGas;
    out.push({
      N,
      k,
      m,
      phases: phases.length,
      liar,
      lieFrom: lieFrom[lieFrom.length - 1]!,
      rounds: res.rounds.reduce((a, b) => a + b, 0),
      roundsModel,
      gas: res.gas,
      gasModel,
      winnerHonest: res.winner !== liar,
      finalSpanOk: res.finalSpan <= m && res.finalSpan >= 1,
      checkpoints: res.checkpoints,
      exactPower: exact,
    });
  }
  return out;
}
