/**
 * Sock puppets under the contracts' payout rule ("funded slots", SECURITY.md): closed forms for the
 * money flows of a claim, and a replay of the same scenarios on the in-memory twin of DisputeGame
 * (protocol/game/model.ts) to check them.
 *
 * The rule and its constants are imported from protocol/economics/payout.ts (never copied):
 *   S = claimBond in `slots` slots of D = S / slots, B = challengeBond, b = burnBps / 10^4,
 *   b_c = challengerBurnBps / 10^4 (default b), W = B + (1 - b) D paid to every challenger / requester
 *   that wins, (1 - b_c) B paid to the claimer for every game it wins (b_c B burned), the unlocked
 *   stake burned at rejection, an input request answered in time refunded.
 *
 * Scenario (one claim): a lying claimer whose `socksWin` sock challengers win their games (the liar
 * stops moving), whose `socksThrown` sock games are thrown (the sock stops moving; the liar's
 * claimer address wins), an honest challenger that plays to the end (`honest`), and optionally a
 * committed input whose request by a sock or by the honest party is withheld (`da`), or whose request
 * by a sock is answered (`answered`, refunded). Closed form (a = [answered]):
 *   liar deposits  S + (w + t + [da = sock] + a) B
 *   liar recovers  (w + [da = sock]) W + t (1 - b_c) B + a B
 *   honest party   W if it plays (game or request), else nothing
 *   burned         every deposit not credited.
 * The liar's loss fraction is 1 - recovered / deposited; at most `slots` games are open at once, so
 * w + [honest] + [da] <= slots, and thrown games can only precede the rejection or run beside it.
 * An honest claimer facing g griefers that lose (thrown) games ends with S + g (1 - b_c) B; a request
 * it answers in time refunds the requester's B.
 *
 * Liveness (safety is not at stake): a thrown sock frees its slot and reopens the challenge window,
 * so a liar delays the rejection by at most one clock + one window per thrown sock at a bond cost of
 * b_c B (its own claimer address gets (1 - b_c) B back); a third-party griefer against an honest claimer
 * pays the whole B (the claimer gets (1 - b_c) B). Gas of the thrown games is not counted (a lower bound).
 *
 * Pitfall: the replay drives the model only by timeouts (who stops moving decides the game), so it
 * checks the money, not the arbitration; forge (contracts/test/game/Payout.t.sol) covers the chain.
 */
import { keccak256, toUtf8Bytes } from "ethers";
import {
  challengerWinPayout,
  claimerWinPayout,
  payoutConfig,
  slotCollateral,
  type PayoutParams,
} from "../../protocol/economics/payout.ts";
export { claimerWinPayout };
import { ClaimStatus, DisputeModel, type Arbitrator } from "../../protocol/game/model.ts";
import type { Hex, Root } from "../../protocol/game/types.ts";
import { Rng } from "../../lib/rng.ts";
import { ZkfpError } from "../../vm/errors.ts";

/** A replay that could not play its plan to the end (a bug in the scenario driver, never a result). */
export class SockReplayError extends ZkfpError {
  override readonly name = "SockReplayError";
}

/** `answered`: a sock requested the committed input and the liar published it in time (bond refunded). */
export type SockScenario = {
  socksWin: number;
  socksThrown: number;
  honest: boolean;
  da: "sock" | "honest" | null;
  answered?: boolean;
};
export type LiarFlows = {
  liarDeposited: bigint;
  liarRecovered: bigint;
  honestDeposited: bigint;
  honestPaid: bigint;
  burned: bigint;
};

const WEI = 1e18;
export const eth = (x: bigint): number => Number(x) / WEI;

/** Closed form for a lying claim (module header). */
export function liarFlows(p: PayoutParams, s: SockScenario): LiarFlows {
  const B = p.challengeBond,
    W = challengerWinPayout(p),
    c = claimerWinPayout(p);
  const sockDa = s.da === "sock" ? 1n : 0n,
    answered = s.answered ? 1n : 0n;
  const honestPlays = s.honest || s.da === "honest";
  const liarDeposited = p.claimBond + (BigInt(s.socksWin + s.socksThrown) + sockDa + answered) * B;
  const liarRecovered = (BigInt(s.socksWin) + sockDa) * W + BigInt(s.socksThrown) * c + answered * B;
  const honestDeposited = honestPlays ? B : 0n;
  const honestPaid = honestPlays ? W : 0n;
  return {
    liarDeposited,
    liarRecovered,
    honestDeposited,
    honestPaid,
    burned: liarDeposited + honestDeposited - liarRecovered - honestPaid,
  };
}

/** Closed form for an honest claimer facing `griefers` thrown games and an optional request it answers. */
export function honestClaimerFlows(
  p: PayoutParams,
  griefers: number,
  answeredRequest: boolean,
): { claimer: bigint; griefersPaid: bigint; griefersDeposited: bigint; burned: bigint } {
  const g = BigInt(griefers);
  const claimer = p.claimBond + g * claimerWinPayout(p);
  const griefersDeposited = (g + (answeredRequest ? 1n : 0n)) * p.challengeBond;
  const griefersPaid = answeredRequest ? p.challengeBond : 0n;
  return { claimer, griefersPaid, griefersDeposited, burned: p.claimBond + griefersDeposited - claimer - griefersPaid };
}

export function lossFraction(f: LiarFlows): number {
  return 1 - Number(f.liarRecovered) / Number(f.liarDeposited);
}

/**
 * The liar's smallest loss fraction with n socks over its strategies: w of them win (w <= slots; if
 * none wins the honest challenger does), the other n - w are thrown, with or without one more sock's
 * input request that the liar answers (refunded).
 */
export function liarBestCase(p: PayoutParams, n: number): { w: number; loss: number; answered: boolean } {
  let best = { w: 0, loss: Infinity, answered: false };
  for (let w = 0; w <= Math.min(n, p.slots); w++)
    for (const answered of [false, true]) {
      const loss = lossFraction(liarFlows(p, { socksWin: w, socksThrown: n - w, honest: w === 0, da: null, answered }));
      if (loss < best.loss) best = { w, loss, answered };
    }
  return best;
}

// ------------------------------------------------------------------ replay on the model

/** A scenario played on DisputeModel; the sampled parameters and the measured flows. */
export type Replay = {
  kind: "liar" | "liar-da" | "honest-claimer";
  p: PayoutParams;
  scenario: SockScenario;
  griefers: number;
  answered: boolean;
  liarOrClaimer: bigint;
  honestOrGriefers: bigint;
  burned: bigint;
  rejected: boolean;
};

const never: Arbitrator = { arbitrate: () => false };
const root = (i: number): Root => keccak256(toUtf8Bytes(`root${i}`)) as Root;
const CLOCK = 100,
  WINDOW = 1_000_000,
  DA = 50;

/**
 * Plays a sampled scenario on the model with a random interleaving of challenges and game ends
 * (bounded by the free slots) and returns what the model credited and burned. Every sock game's
 * claimer move is made at once; afterwards only timeouts end games.
 */
export function replay(
  kind: Replay["kind"],
  p: PayoutParams,
  s: SockScenario,
  rng: Rng,
  griefers = 0,
  answered = false,
): Replay {
  const model = new DisputeModel(payoutConfig({ clockBudget: CLOCK, challengeWindow: WINDOW, daWindow: DA }, p), [
    { k: 1, m: 1n, arbitrator: never },
  ]);
  const claimer = "0xc1a1",
    honestAddr = "0x40e5";
  const input = "0x1234" as Hex;
  let now = 1;
  const answers = kind === "honest-claimer" ? answered : kind === "liar" && s.answered === true;
  const published = kind !== "liar-da" && !answers;
  const claimId = model.claim(
    { sender: claimer, now, value: p.claimBond },
    {
      programHash: keccak256(toUtf8Bytes("prog")) as Hex,
      inputHash: keccak256(input) as Hex,
      output: root(9),
      startRoot: root(1),
      finalRoot: root(2),
      steps: 8n,
    },
    published,
  );
  // Plan: thrown games (sock or griefer) and winning games (socks, honest), opened in random order.
  type G = { who: string; wins: boolean; id?: number; done?: boolean };
  const thrownN = kind === "honest-claimer" ? griefers : s.socksThrown;
  const plan: G[] = [
    ...Array.from({ length: thrownN }, (_, i) => ({ who: `0x50c${i}`, wins: false })),
    ...Array.from({ length: kind === "liar" ? s.socksWin : 0 }, (_, i) => ({ who: `0x5a${i}`, wins: true })),
    ...(kind === "liar" && s.honest ? [{ who: honestAddr, wins: true }] : []),
  ];
  const request: { who: string; done: boolean } | null =
    kind === "liar-da"
      ? { who: s.da === "sock" ? "0x5da" : honestAddr, done: false }
      : answers
        ? { who: kind === "liar" ? "0x5ab" : "0x9a", done: false }
        : null;
  const open: G[] = [];
  const toOpen = [...plan];
  let slotsUsed = 0,
    rejected = false;
  const tick = () => (now += CLOCK + 1);
  for (let guard = 0; guard < 10_000; guard++) {
    // Every planned game opens before the first rejection (a rejected claim takes no challenge); a
    // winner leaves a slot for the thrown games still to open, so the plan never deadlocks.
    const thrownLeft = toOpen.some((g) => !g.wins);
    const actions: (() => void)[] = [];
    const openable =
      rejected || slotsUsed >= p.slots ? [] : toOpen.filter((g) => !g.wins || slotsUsed + 1 < p.slots || !thrownLeft);
    if (openable.length)
      actions.push(() => {
        const g = openable[Math.floor(rng.uniform() * openable.length)]!;
        toOpen.splice(toOpen.indexOf(g), 1);
        g.id = model.challenge({ sender: g.who, now, value: p.challengeBond }, claimId);
        slotsUsed++;
        if (!g.wins)
          model.postCheckpoints(
            { sender: claimer, now },
            g.id,
            Array.from({ length: model.checkpointCount(g.id) }, (_, i) => root(100 + i)),
          );
        open.push(g);
      });
    const req = request;
    if (req && !req.done && !rejected && slotsUsed < p.slots && (answers || toOpen.length === 0))
      actions.push(() => {
        model.requestInput({ sender: req.who, now, value: p.challengeBond }, claimId);
        req.done = true;
        if (answers) {
          model.publishInput({ sender: claimer, now: now + 1 }, claimId, input);
          now += 2;
        } else {
          tick();
          model.resolveWithheld({ sender: req.who, now }, claimId);
          rejected = true;
        }
      });
    const winsMayEnd = toOpen.length === 0 && (!req || req.done);
    for (const g of open)
      if (!g.wins || winsMayEnd)
        actions.push(() => {
          tick();
          model.timeout({ sender: g.wins ? g.who : claimer, now }, g.id!);
          open.splice(open.indexOf(g), 1);
          slotsUsed--;
          if (g.wins) rejected = true;
        });
    if (actions.length === 0) break;
    actions[Math.floor(rng.uniform() * actions.length)]!();
  }
  if (open.length || toOpen.length || (request && !request.done))
    throw new SockReplayError("replay did not finish its plan", {
      open: open.length,
      unopened: toOpen.length,
      kind,
      scenario: s,
    });
  const cl = model.claims.get(claimId)!;
  if (kind === "honest-claimer") model.finalizeClaim({ sender: claimer, now: Math.max(now, cl.deadline) + 1 }, claimId);
  let liarSide = 0n,
    otherSide = 0n;
  for (const [a, v] of model.credit) {
    const isHonest = a === honestAddr.toLowerCase();
    if (kind === "honest-claimer") {
      if (a === claimer) liarSide += v;
      else otherSide += v;
    } else if (isHonest) otherSide += v;
    else liarSide += v;
  }
  return {
    kind,
    p,
    scenario: s,
    griefers,
    answered,
    liarOrClaimer: liarSide,
    honestOrGriefers: otherSide,
    burned: model.burned,
    rejected: cl.status === ClaimStatus.Rejected,
  };
}

/** The closed form's prediction for a replay's (liar or claimer side, honest or griefer side, burned). */
export function predicted(r: Replay): [bigint, bigint, bigint] {
  if (r.kind === "honest-claimer") {
    const f = honestClaimerFlows(r.p, r.griefers, r.answered);
    return [f.claimer, f.griefersPaid, f.burned];
  }
  const f = liarFlows(r.p, r.scenario);
  return [f.liarRecovered, f.honestPaid, f.burned];
}

/** Samples scenario `i`: half with the default rule, half with random parameters (slots 1..6, b and b_c in [1/2, 1), bonds). */
export function sampleScenario(base: PayoutParams, seed: number, i: number): Replay {
  const rng = Rng.forTask(seed, 400_000 + i);
  const int = (lo: number, hi: number) => lo + Math.floor(rng.uniform() * (hi - lo + 1));
  const p: PayoutParams =
    i % 2 === 0
      ? base
      : {
          slots: int(1, 6),
          burnBps: int(5000, 9999),
          challengerBurnBps: int(5000, 9999),
          challengeBond: BigInt(int(1, 1000)) * 10n ** 15n,
          claimBond: BigInt(int(1, 100)) * 10n ** 17n,
        };
  if (slotCollateral(p) === 0n) p.claimBond = BigInt(p.slots);
  const kind = (["liar", "liar-da", "honest-claimer"] as const)[Math.floor(i / 2) % 3]!;
  if (kind === "liar") {
    const honest = rng.bernoulli(0.5);
    const socksWin = int(honest ? 0 : 1, p.slots - (honest ? 1 : 0));
    return replay(kind, p, { socksWin, socksThrown: int(0, 8), honest, da: null, answered: rng.bernoulli(0.5) }, rng);
  }
  if (kind === "liar-da")
    return replay(
      kind,
      p,
      { socksWin: 0, socksThrown: int(0, 6), honest: false, da: rng.bernoulli(0.5) ? "sock" : "honest" },
      rng,
    );
  return replay(kind, p, { socksWin: 0, socksThrown: 0, honest: false, da: null }, rng, int(0, 8), rng.bernoulli(0.5));
}
