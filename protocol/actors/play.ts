/**
 * The referee loop: plays every game of one claim between actors on any `GameBackend` (the model
 * or anvil), interleaving the games in one virtual clock (chess clocks of all games run at once, so
 * games cannot be played one after another). Each step executes the earliest pending action of any
 * game: the mover's move after its delay, or - when the mover will not or cannot move (lazy, or a
 * liar whose leaf proof / sub-game opening the contract rejects) - `timeout` one second after its
 * clock runs out, called by the opponent.
 *
 * The one engine: `zkfp dispute`, `zkfp demo`, the zoo and the campaigns all play through
 * `playClaim`, on the in-memory model or a chain, with any phase traces (alphabet, RV32IM guest,
 * ML graph phase + node VM phase) and leaf provers (one-step, Groth16, PLONK). A sub-game is opened
 * on demand (`PhaseTrace.open`, async: it may run a node program); a leaf proof is whatever the
 * mover's trace yields (`LeafAttempt`): a liar's invalid attempt is submitted too, and a rejected
 * move (any `GameRevert`) leaves that party unable to move, so it loses on its clock.
 *
 * A challenger's view of a claim is its own root AT the claim's step count (a halted run and a fully
 * evaluated graph are fixed points, so a trace answers past its own end); it challenges iff that
 * root differs from the claim's final root, and disputes the output when it does not.
 *
 * Returns the winner of every game, rounds per phase (segment choices), moves and gas per party,
 * a readable move list (`moves`) and a log of every call (the differential test replays it on chain).
 */
import type { Gas, GameBackend, GameView, Opening } from "../game/backend.ts";
import { GameStatus, ClaimStatus, type Address, type ClaimInput } from "../game/model.ts";
import type { Hex, Root } from "../game/types.ts";
import { checkpointIndices } from "../game/spacing.ts";
import { isRevert } from "../game/errors.ts";
import { ZkfpError } from "../../vm/errors.ts";

export class EngineError extends ZkfpError {
  override readonly name = "EngineError";
}
import type { LeafAttempt, PhaseTrace } from "../trace/types.ts";
import { delayFor, type Actor } from "./actor.ts";
import { keccak256 } from "ethers";

/**
 * A party. `sock`: a challenger the claimer controls (issue 11's sock puppet): the claimer never
 * moves in its games, so the sock wins them on the clock; it shows what a liar recovers that way.
 */
export type Party = {
  address: Address;
  actor: Actor;
  sock?: boolean;
  /** A challenger that asks for a committed claim's input before anything else (requestInput). */
  requestsInput?: boolean;
  /** A claimer that posts only the input's hash (claimCommitted) and never publishes it when asked. */
  withholds?: boolean;
};
export type LoggedCall =
  | { op: "claim"; from: Address; at: number; claim: ClaimInput; input: Hex; committed?: boolean }
  | { op: "disputeStart"; from: Address; at: number; claimId: number; input: Hex; aux: Hex }
  | { op: "advanceStart"; from: Address; at: number; input: Hex; first: number; end: number; aux: Hex }
  | { op: "disputeOutput"; from: Address; at: number; claimId: number; opening: Hex }
  | { op: "requestInput"; from: Address; at: number; claimId: number }
  | { op: "publishInput"; from: Address; at: number; claimId: number; input: Hex }
  | { op: "resolveWithheld"; from: Address; at: number; claimId: number }
  | { op: "challenge"; from: Address; at: number; claimId: number }
  | { op: "postCheckpoints"; from: Address; at: number; gameId: number; roots: Root[] }
  | { op: "chooseSegment"; from: Address; at: number; gameId: number; index: number }
  | { op: "proveLeaf"; from: Address; at: number; gameId: number; proof: Hex }
  | { op: "openSubgame"; from: Address; at: number; gameId: number; opening: Opening }
  | { op: "timeout"; from: Address; at: number; gameId: number }
  | { op: "finalizeClaim"; from: Address; at: number; claimId: number }
  | { op: "refundQueued"; from: Address; at: number; claimId: number; position: number }
  | { op: "withdraw"; from: Address; at: number };

export type GameResult = {
  gameId: number;
  challenger: string;
  winner: "claimer" | "challenger";
  byTimeout: boolean;
  roundsPerPhase: number[];
  moves: { claimer: number; challenger: number };
  gas: { claimer: bigint; challenger: bigint; referee: bigint };
  /** Gas and count per call kind (postCheckpoints, chooseSegment, proveLeaf, openSubgame, timeout). */
  byOp: Record<string, { count: number; gas: bigint }>;
};
/** One move as the report shows it: the game's state after it (clocks, interval) and what it did. */
export type MoveRecord = {
  gameId: number;
  by: "claimer" | "challenger" | "referee";
  op: string;
  gas: bigint;
  at: number;
  phase: number;
  level: number;
  lo: bigint;
  hi: bigint;
  clocks: { claimer: number; challenger: number };
  note: string;
  rejected: string | null;
};
export type ScenarioResult = {
  claimId: number;
  claimStatus: ClaimStatus;
  games: GameResult[];
  log: LoggedCall[];
  end: number;
  moves: MoveRecord[];
  /** Every leaf attempt submitted (valid or not), by game. */
  leaves: { gameId: number; by: "claimer"; attempt: LeafAttempt; pre: Root; post: Root; lo: bigint; hi: bigint }[];
  gas: { claim: bigint; challenges: bigint; finalize: bigint; withdraw: bigint; binding: bigint; availability: bigint };
  withdrawn: Map<string, bigint>;
};

type Live = {
  gameId: number;
  challenger: Party;
  claimerTrace: PhaseTrace;
  challengerTrace: PhaseTrace;
  stuck: { claimer: boolean; challenger: boolean };
  result: GameResult;
};

/**
 * `committed`: the claimer posts only the input's hash (claimCommitted) and publishes the input when
 * a challenger requests it (unless it `withholds`). `startRoot`: the claim's start root when it is
 * not the claimer's trace's (a liar whose claim is not its run).
 */
export type ScenarioOptions = {
  start: number;
  input?: Hex;
  programHash?: Hex;
  output?: Hex;
  committed?: boolean;
  startRoot?: Root;
  onCall?: (c: LoggedCall) => Promise<void> | void;
};

export async function playClaim(
  b: GameBackend,
  claimer: Party,
  challengers: Party[],
  opts: ScenarioOptions,
): Promise<ScenarioResult> {
  const log: LoggedCall[] = [];
  const record = async (c: LoggedCall) => {
    log.push(c);
    if (opts.onCall) await opts.onCall(c);
  };
  const moves: MoveRecord[] = [];
  const leaves: ScenarioResult["leaves"] = [];
  const note = (
    gameId: number,
    by: MoveRecord["by"],
    op: string,
    gas: bigint,
    at: number,
    text: string,
    rejected: string | null = null,
  ) => {
    const v = b.view(gameId);
    moves.push({
      gameId,
      by,
      op,
      gas,
      at,
      phase: v.phase,
      level: v.level,
      lo: v.lo,
      hi: v.hi,
      clocks: { claimer: v.clockClaimer, challenger: v.clockChallenger },
      note: text,
      rejected,
    });
  };
  let now = opts.start;
  const input = opts.input ?? ("0x" as Hex);
  const ct = claimer.actor.trace;
  const claim: ClaimInput = {
    programHash: opts.programHash ?? b.programHash ?? (("0x" + "00".repeat(31) + "01") as Hex),
    inputHash: keccak256(input) as Hex,
    output: opts.output ?? (("0x" + "00".repeat(32)) as Hex),
    startRoot: ct.rootAt(0n),
    finalRoot: ct.rootAt(ct.steps),
    steps: ct.steps,
  };
  if (opts.startRoot) claim.startRoot = opts.startRoot;
  const gas = { claim: 0n, challenges: 0n, finalize: 0n, withdraw: 0n, binding: 0n, availability: 0n };
  const committed = !!opts.committed || !!claimer.withholds;
  if (committed && !b.claimCommitted)
    throw new EngineError("this backend cannot post a committed claim", { op: "claimCommitted" });
  const { claimId, gas: g0 } = committed
    ? await b.claimCommitted!(claimer.address, now, claim)
    : await b.claim(claimer.address, now, claim, input);
  gas.claim = g0;
  await record({ op: "claim", from: claimer.address, at: now, claim, input, committed });
  const pending = () => b.claimStatus(claimId) === ClaimStatus.Pending;
  /** A pre-game call: a GameRevert is recorded as a rejected move (nothing mined) and returns false. */
  const attempt = async (
    by: MoveRecord["by"],
    op: string,
    text: string,
    f: () => Promise<Gas>,
    c: LoggedCall,
  ): Promise<boolean> => {
    try {
      const r = await f();
      await record(c);
      moves.push(claimMove(by, op, r.gas, now, text));
      if (op === "disputeStart" || op === "disputeOutput" || op === "advanceStart") gas.binding += r.gas;
      else gas.availability += r.gas;
      return true;
    } catch (e) {
      if (!isRevert(e)) throw e;
      moves.push(claimMove(by, `${op} (rejected)`, 0n, now, text, e.error));
      return false;
    }
  };

  // Input availability: the first challenger that asks for a committed input gets it or wins the claim.
  if (committed) {
    const asker = challengers.find((c) => c.requestsInput);
    if (asker && b.requestInput) {
      now += 1;
      if (
        await attempt(
          "challenger",
          "requestInput",
          "asks for the committed input",
          () => b.requestInput!(asker.address, now, claimId),
          { op: "requestInput", from: asker.address, at: now, claimId },
        )
      ) {
        if (claimer.withholds) {
          now += b.config.daWindow + 1;
          await attempt(
            "challenger",
            "resolveWithheld",
            "the claimer withheld its input past the DA window",
            () => b.resolveWithheld!(asker.address, now, claimId),
            { op: "resolveWithheld", from: asker.address, at: now, claimId },
          );
        } else {
          now += 1;
          await attempt(
            "claimer",
            "publishInput",
            "publishes the input",
            () => b.publishInput!(claimer.address, now, claimId, input),
            { op: "publishInput", from: claimer.address, at: now, claimId, input },
          );
        }
      }
    }
  }

  const live: Live[] = [];
  /**
   * Challengers queued by the contract (every slot held when they challenged: bond locked, first
   * come first served). A slot freed while the claim is pending opens the queue head's game in the
   * transaction that freed it, so a liar whose socks hold every slot and re-challenge atomically
   * only queues behind them (attack6, actors/attack/slot-lockout.test.ts); `adoptQueued` picks such
   * games up after every step. Still queued when the claim is rejected: their bonds are refunded.
   */
  const queued: { party: Party; position: number }[] = [];
  const startLive = (ch: Party, gameId: number) => {
    live.push({
      gameId,
      challenger: ch,
      claimerTrace: ct,
      challengerTrace: ch.actor.trace,
      stuck: { claimer: !!ch.sock, challenger: false },
      result: {
        gameId,
        challenger: ch.actor.name,
        winner: "claimer",
        byTimeout: false,
        roundsPerPhase: b.phases.map(() => 0),
        moves: { claimer: 0, challenger: 0 },
        gas: { claimer: 0n, challenger: 0n, referee: 0n },
        byOp: {},
      },
    });
  };
  const adoptQueued = () => {
    if (queued.length === 0) return;
    if (!b.gamesOf) throw new EngineError("this backend cannot list a claim's games (queued challenge)", { claimId });
    const known = new Set(live.map((l) => l.gameId));
    for (const gameId of b.gamesOf(claimId)) {
      if (known.has(gameId)) continue;
      const who = b.view(gameId).challenger.toLowerCase();
      const i = queued.findIndex((q) => q.party.address.toLowerCase() === who);
      if (i < 0) continue;
      const [q] = queued.splice(i, 1);
      startLive(q!.party, gameId);
      note(
        gameId,
        "challenger",
        "challenge (dequeued)",
        0n,
        b.view(gameId).lastMove,
        `${q!.party.actor.name}: queue position ${q!.position}`,
      );
    }
  };
  const openGame = async (ch: Party): Promise<void> => {
    const a = ch.actor;
    let r: Awaited<ReturnType<GameBackend["challenge"]>>;
    try {
      r = await b.challenge(ch.address, now, claimId);
      gas.challenges += r.gas;
    } catch (e) {
      if (!isRevert(e)) throw e;
      moves.push(claimMove("challenger", "challenge (rejected)", 0n, now, a.name, e.error));
      return;
    }
    await record({ op: "challenge", from: ch.address, at: now, claimId });
    if (r.gameId === 0) {
      queued.push({ party: ch, position: r.queued! });
      moves.push(
        claimMove(
          "challenger",
          "challenge (queued)",
          r.gas,
          now,
          `${a.name}: every slot held, queue position ${r.queued}`,
        ),
      );
      return;
    }
    startLive(ch, r.gameId);
  };
  /**
   * An honest party's binding moves (start root, output), each when its own run refutes the claim's.
   * A move refused `NoFreeSlot` (a sock's challenge took the last slot first; the contract reverts
   * before deriving anything) waits in `deferred` for a game to end; its `advance` chunks are kept
   * (`advanced`: partial roots are stored per mover) and not sent again.
   */
  const advanced = new Set<Party>();
  const refusedForSlot = () => moves[moves.length - 1]?.rejected === "NoFreeSlot";
  const bindingMoves = async (ch: Party): Promise<void> => {
    const chk = ch.actor.check;
    // A long input's derivation does not fit one transaction: the partial roots go first (`advance`).
    if (chk && b.disputeStart && claim.startRoot !== chk.startRoot) {
      const chunked = chk.startMoves && chk.startMoves.advances.length > 0 && b.advanceStart;
      let derived = true;
      for (const a of chunked && !advanced.has(ch) ? chk.startMoves!.advances : []) {
        now += 1;
        derived = await attempt(
          "challenger",
          "advanceStart",
          `derives the start root over input nodes [${a.from}, ${a.to})`,
          () => b.advanceStart!(ch.address, now, input, a.from, a.to, a.aux),
          { op: "advanceStart", from: ch.address, at: now, input, first: a.from, end: a.to, aux: a.aux },
        );
        if (!derived) break;
      }
      const aux = chunked ? chk.startMoves!.aux : chk.aux;
      if (derived) {
        now += 1;
        await attempt(
          "challenger",
          "disputeStart",
          "the claim's start root does not follow from the program and the published input",
          () => b.disputeStart!(ch.address, now, claimId, input, aux),
          { op: "disputeStart", from: ch.address, at: now, claimId, input, aux },
        );
        if (pending() && refusedForSlot()) {
          if (chunked) advanced.add(ch);
          deferred.push(ch);
          return;
        }
      }
      if (!pending()) return;
    }
    // The claim's step count is the claimer's choice: the honest view of the claim is the honest state
    // AT claim.steps (past the end of the run the final state repeats, a fixed point). A claim whose
    // final root is that state's but whose output is not the one that state holds (NO_OUTPUT for a
    // run that has not exited 0, e.g. one step short) loses to disputeOutput with that state's opening.
    const fin = chk?.at(claim.steps);
    if (fin && b.disputeOutput && claim.finalRoot === fin.finalRoot && claim.output !== fin.output) {
      now += 1;
      await attempt(
        "challenger",
        "disputeOutput",
        "the claim's output is not the one in its final state",
        () => b.disputeOutput!(ch.address, now, claimId, fin.opening),
        { op: "disputeOutput", from: ch.address, at: now, claimId, opening: fin.opening },
      );
      if (pending() && refusedForSlot()) {
        deferred.push(ch);
        return;
      }
      if (!pending()) return;
    }
  };
  /** Whether the honest party's own run refutes the claim's start root or output (a binding move is due). */
  const bindingMoveDue = (a: Actor): boolean => {
    const chk = a.check;
    if (!chk) return false;
    if (b.disputeStart && claim.startRoot !== chk.startRoot) return true;
    const fin = chk.at(claim.steps);
    return !!b.disputeOutput && claim.finalRoot === fin.finalRoot && claim.output !== fin.output;
  };
  /** Honest parties whose binding move waits for a free slot (retried when a game ends). */
  const deferred: Party[] = [];
  for (const ch of challengers) {
    if (!pending()) break;
    const a = ch.actor;
    // A griefer tries a binding move against the claim (the contract must refuse it on a true claim).
    if (a.grief && b.disputeStart && b.disputeOutput) {
      now += 1;
      const g = a.grief;
      if (g.kind === "start")
        await attempt(
          "challenger",
          "disputeStart",
          `${a.name}: disputes the start root`,
          () => b.disputeStart!(ch.address, now, claimId, g.input, g.aux),
          { op: "disputeStart", from: ch.address, at: now, claimId, input: g.input, aux: g.aux },
        );
      else
        await attempt(
          "challenger",
          "disputeOutput",
          `${a.name}: disputes the output`,
          () => b.disputeOutput!(ch.address, now, claimId, g.opening),
          { op: "disputeOutput", from: ch.address, at: now, claimId, opening: g.opening },
        );
      if (!pending()) break;
    }
    // An honest party checks the claim's binding first: a wrong start root or output is rejected
    // at once by a binding move, without a game. With every slot held by games the move would
    // reject the claim unpaid (its gas lost: up to 10M for a 2 KiB RV32IM input, the advance chunks of
    // a long prompt); it waits for a game to end instead (attack6, actors/attack/slot-lockout.test.ts).
    if (bindingMoveDue(a) && b.bindingMovePaid && !(await b.bindingMovePaid(claimId))) {
      deferred.push(ch);
      continue;
    }
    await bindingMoves(ch);
    if (!pending()) break;
    if (deferred.includes(ch)) continue;
    const view = a.trace;
    if (!a.challengeAlways && view.rootAt(claim.steps) === claim.finalRoot) continue;
    now += 1;
    await openGame(ch);
  }

  const lastPhase = b.phases.length - 1;
  const running = (st: GameStatus) => st === GameStatus.ClaimerToMove || st === GameStatus.ChallengerToMove;
  let ended = 0; // games over when the deferred binding moves last tried
  for (;;) {
    adoptQueued();
    if (deferred.length > 0 && pending()) {
      const over = live.filter((l) => !running(b.view(l.gameId).status)).length;
      if (over > ended) {
        ended = over;
        for (const ch of deferred.splice(0)) {
          if (!pending()) break;
          if (b.bindingMovePaid && !(await b.bindingMovePaid(claimId))) {
            deferred.push(ch);
            continue;
          }
          await bindingMoves(ch);
          const a = ch.actor;
          if (
            pending() &&
            !deferred.includes(ch) &&
            (a.challengeAlways || a.trace.rootAt(claim.steps) !== claim.finalRoot)
          ) {
            now += 1;
            await openGame(ch);
          }
        }
        adoptQueued();
      }
    }
    // Pick the earliest action among unresolved games.
    let best: { l: Live; v: GameView; at: number; act: "move" | "timeout" } | null = null;
    for (const l of live) {
      const v = b.view(l.gameId);
      if (v.status !== GameStatus.ClaimerToMove && v.status !== GameStatus.ChallengerToMove) continue;
      const claimerMoves = v.status === GameStatus.ClaimerToMove;
      const actor = claimerMoves ? claimer.actor : l.challenger.actor;
      const remaining = claimerMoves ? v.clockClaimer : v.clockChallenger;
      const made = claimerMoves ? l.result.moves.claimer : l.result.moves.challenger;
      const stuck = claimerMoves ? l.stuck.claimer : l.stuck.challenger;
      const reserve = claimerMoves
        ? v.phase === lastPhase && v.level === 0
          ? 0
          : v.level + 1 + 130 * (lastPhase - v.phase)
        : v.phase === lastPhase && v.level === 1
          ? 0
          : v.level + 130 * (lastPhase - v.phase);
      const d = stuck ? null : delayFor(actor.timing, remaining, made, reserve);
      const at = d === null ? Math.max(v.lastMove + remaining + 1, now) : Math.max(v.lastMove + d, now);
      const act = d === null ? "timeout" : "move";
      if (!best || at < best.at) best = { l, v, at, act };
    }
    if (!best) break;
    const { l, v, at } = best;
    const claimerMoves = v.status === GameStatus.ClaimerToMove;
    const mover = claimerMoves ? claimer.address : l.challenger.address;
    const other = claimerMoves ? l.challenger.address : claimer.address;
    if (best.act === "timeout") {
      now = at;
      const r = await b.timeout(other, now, l.gameId);
      l.result.gas.referee += r.gas;
      addOp(l.result, "timeout", r.gas);
      l.result.byTimeout = true;
      await record({ op: "timeout", from: other, at: now, gameId: l.gameId });
      note(
        l.gameId,
        "referee",
        "timeout",
        r.gas,
        now,
        `${claimerMoves ? "claimer" : "challenger"}'s clock ran out; the ${claimerMoves ? "challenger" : "claimer"} calls timeout`,
      );
      continue;
    }
    if (at - v.lastMove > (claimerMoves ? v.clockClaimer : v.clockChallenger)) {
      // Its clock is gone before it can move (e.g. a prompt delay larger than what is left).
      if (claimerMoves) l.stuck.claimer = true;
      else l.stuck.challenger = true;
      continue;
    }
    const by = claimerMoves ? "claimer" : "challenger";
    const ctx: MoveCtx = { text: "", op: "", leaf: null };
    // a leaf attempt is recorded whether the contract accepts it or rejects it
    const recordLeaf = () => {
      if (ctx.leaf)
        leaves.push({
          gameId: l.gameId,
          by: "claimer",
          attempt: ctx.leaf,
          pre: v.pre,
          post: v.post,
          lo: v.lo,
          hi: v.hi,
        });
    };
    try {
      const { gas: g, op } = await move(b, l, v, mover, at, claimerMoves, lastPhase, record, ctx);
      addOp(l.result, op, g);
      now = at;
      if (claimerMoves) {
        l.result.moves.claimer++;
        l.result.gas.claimer += g;
      } else {
        l.result.moves.challenger++;
        l.result.gas.challenger += g;
      }
      recordLeaf();
      note(l.gameId, by, op, g, at, ctx.text);
    } catch (e) {
      // A move its own trace cannot justify (a liar's leaf, opening or malformed calldata): the
      // contract rejects it (nothing is mined) and that party cannot move any more.
      if (!isRevert(e)) throw e;
      recordLeaf();
      moves.push({
        gameId: l.gameId,
        by,
        op: `${ctx.op} (rejected)`,
        gas: 0n,
        at,
        phase: v.phase,
        level: v.level,
        lo: v.lo,
        hi: v.hi,
        clocks: { claimer: v.clockClaimer, challenger: v.clockChallenger },
        note: ctx.text,
        rejected: e.error,
      });
      if (claimerMoves) l.stuck.claimer = true;
      else l.stuck.challenger = true;
    }
  }
  for (const l of live) {
    const v = b.view(l.gameId);
    l.result.winner = v.status === GameStatus.ClaimerWon ? "claimer" : "challenger";
  }

  // Settle: finalize after the window if nobody won against the claim, then everyone withdraws.
  if (b.claimStatus(claimId) === ClaimStatus.Pending) {
    // the deadline: the challenge window, reopened by every game the claimer won (payout rule)
    now = Math.max(now + 1, b.claimDeadline(claimId) + 1);
    gas.finalize = (await b.finalizeClaim(claimer.address, now, claimId)).gas;
    await record({ op: "finalizeClaim", from: claimer.address, at: now, claimId });
    moves.push(
      claimMove("referee", "finalizeClaim", gas.finalize, now, "challenge window over: claim accepted, stake returned"),
    );
  }
  // Challengers still queued when the claim was rejected: their bonds are credited back (pull).
  if (queued.length > 0 && b.claimStatus(claimId) === ClaimStatus.Rejected) {
    if (!b.refundQueued) throw new EngineError("this backend cannot refund a queued bond", { claimId });
    for (const q of queued.splice(0)) {
      now += 1;
      const r = await b.refundQueued(q.party.address, now, claimId, q.position);
      gas.challenges += r.gas;
      await record({ op: "refundQueued", from: q.party.address, at: now, claimId, position: q.position });
      moves.push(claimMove("challenger", "refundQueued", r.gas, now, `${q.party.actor.name}: queued bond refunded`));
    }
  }
  const withdrawn = new Map<string, bigint>();
  for (const a of [claimer.address, ...challengers.map((c) => c.address)]) {
    const key = a.toLowerCase();
    if (withdrawn.has(key) || b.credit(a) === 0n) continue;
    now += 1;
    const w = await b.withdraw(a, now);
    gas.withdraw += w.gas;
    withdrawn.set(key, w.amount);
    await record({ op: "withdraw", from: a, at: now });
    const who = key === claimer.address.toLowerCase() ? "claimer" : "challenger";
    moves.push(claimMove(who, "withdraw", w.gas, now, `${w.amount} wei`));
  }
  return {
    claimId,
    claimStatus: b.claimStatus(claimId),
    games: live.map((l) => l.result),
    log,
    end: now,
    gas,
    withdrawn,
    moves,
    leaves,
  };
}

/** A claim-level move (no game: gameId 0, an empty interval, no clocks), `rejected` if it reverted. */
function claimMove(
  by: MoveRecord["by"],
  op: string,
  gas: bigint,
  at: number,
  note: string,
  rejected: string | null = null,
): MoveRecord {
  return {
    gameId: 0,
    by,
    op,
    gas,
    at,
    phase: 0,
    level: 0,
    lo: 0n,
    hi: 0n,
    clocks: { claimer: 0, challenger: 0 },
    note,
    rejected,
  };
}

function addOp(r: GameResult, op: string, gas: bigint): void {
  const e = (r.byOp[op] ??= { count: 0, gas: 0n });
  e.count++;
  e.gas += gas;
}

type MoveCtx = { text: string; op: string; leaf: LeafAttempt | null };

async function move(
  b: GameBackend,
  l: Live,
  v: GameView,
  from: Address,
  at: number,
  claimerMoves: boolean,
  lastPhase: number,
  record: (c: LoggedCall) => Promise<void>,
  ctx: MoveCtx,
): Promise<{ gas: bigint; op: string }> {
  const { k, m } = b.phases[v.phase]!;
  const gameId = l.gameId;
  if (claimerMoves) {
    const t = l.claimerTrace;
    if (v.level > 0) {
      const roots = checkpointIndices(v, k, m).map((i) => t.rootAt(i));
      ctx.op = "postCheckpoints";
      ctx.text = `${roots.length} checkpoint(s) in [${v.lo}, ${v.hi}]`;
      const r = await b.postCheckpoints(from, at, gameId, roots);
      await record({ op: "postCheckpoints", from, at, gameId, roots });
      return { gas: r.gas, op: "postCheckpoints" };
    }
    if (v.phase === lastPhase) {
      const att = await t.leafProof(v.lo, v.hi - v.lo);
      const proof = att.proof;
      ctx.op = "proveLeaf";
      ctx.leaf = att;
      ctx.text = `${att.note ?? "leaf proof"}${att.valid ? "" : `: ${att.reason}`}`;
      const r = await b.proveLeaf(from, at, gameId, proof);
      await record({ op: "proveLeaf", from, at, gameId, proof });
      return { gas: r.gas, op: "proveLeaf" };
    }
    const o = await t.open(v.lo, v.hi - v.lo);
    const opening: Opening = {
      innerStart: o.innerStart,
      innerEnd: o.innerEnd,
      innerSteps: o.innerSteps,
      linkProof: o.linkProof,
    };
    ctx.op = "openSubgame";
    ctx.text = o.note ?? `sub-game of ${o.innerSteps} steps`;
    const r = await b.openSubgame(from, at, gameId, opening);
    await record({ op: "openSubgame", from, at, gameId, opening });
    l.claimerTrace = o.trace;
    l.challengerTrace = (await l.challengerTrace.open(v.lo, v.hi - v.lo)).trace;
    return { gas: r.gas, op: "openSubgame" };
  }
  const t = l.challengerTrace;
  const cps = v.checkpoints ?? [];
  let index = cps.length;
  if (l.challenger.actor.choice === "always-first") index = 0;
  else {
    const idx = checkpointIndices(v, k, m);
    for (let i = 0; i < cps.length; i++) {
      if (t.rootAt(idx[i]!) !== cps[i]) {
        index = i;
        break;
      }
    }
  }
  ctx.op = "chooseSegment";
  ctx.text = `segment ${index} of ${cps.length + 1}`;
  const r = await b.chooseSegment(from, at, gameId, index);
  await record({ op: "chooseSegment", from, at, gameId, index });
  l.result.roundsPerPhase[v.phase]!++;
  return { gas: r.gas, op: "chooseSegment" };
}
