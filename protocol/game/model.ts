/**
 * In-memory model of contracts/src/game/DisputeGame.sol: the same claims, games, clocks, bonds and
 * checks, with an injected clock (`now` per call) and no chain, so property tests play 10^4 games
 * in seconds. Twin of the contract; protocol/chain/chain.test.ts (differential test) replays the model's moves on
 * anvil and compares every game and claim field plus the credits after each move.
 *
 * Deliberate abstraction: the model keeps the roots (pre, post, checkpoints) instead of the
 * contract's `commit` hash and takes the chosen segment's index instead of Merkle openings;
 * `commitOf` recomputes the contract's commit for comparison. Checks that only concern calldata
 * encoding (RootsMismatch, BadCheckpointProof) are therefore covered by the forge tests.
 * Failing calls throw `GameRevert` with the contract's error name and leave the state untouched
 * (every check happens before the first write, like a reverting transaction).
 *
 * Money follows the contract's "funded slots" rule (protocol/economics/payout.ts, SECURITY.md);
 * claims are checked against an optional binding twin (`ClaimBinding`): without one, any program
 * hash is accepted and the binding moves are unavailable (the counting-machine property tests).
 */
import { keccak256, concat } from "ethers";
import type { Hex, PhaseParams, Root } from "./types.ts";
import { checkPhaseParams } from "./types.ts";
import { GameRevert } from "./errors.ts";
import { rounds, width, checkpointCount, segment } from "./spacing.ts";
import { checkpointRoot } from "./merkle.ts";

export type Address = string;

/** Leaf check of the last phase (TS twin of an IArbitrator). */
export interface Arbitrator {
  arbitrate(pre: Root, post: Root, span: bigint, proof: Hex): boolean;
}
/** Phase link (TS twin of an IPhaseLink); throwing an error with `detail.reason` = the contract reverts with that error. */
export interface PhaseLink {
  verifyLink(
    outerPre: Root,
    outerPost: Root,
    innerStart: Root,
    innerEnd: Root,
    innerSteps: bigint,
    proof: Hex,
  ): boolean;
}

/** Claim binding (TS twin of an IClaimBinding); throwing = the contract call reverts. */
export interface ClaimBinding {
  readonly programHash: Hex;
  /** IClaimBinding.maxInputBytes: `claim` / `publishInput` refuse longer inputs (`InputTooLong`) */
  readonly maxInputBytes: number;
  startRoot(input: Hex, aux: Hex): Root;
  outputOf(finalRoot: Root, opening: Hex): Hex;
}

export type ModelPhase = PhaseParams & { arbitrator?: Arbitrator; link?: PhaseLink };
export type GameConfig = {
  claimBond: bigint;
  challengeBond: bigint;
  burnBps: number;
  clockBudget: number;
  challengeWindow: number;
  daWindow: number;
  /** slot collaterals the stake is split into (default 1; protocol/economics/payout.ts) */
  slots?: number;
  /** burn share of a losing challenger's bond, b_c (default: burnBps; protocol/economics/payout.ts) */
  challengerBurnBps?: number;
};

/** What IClaimBinding.outputOf returns for a final state without an answer; no claim may post it. */
export const NO_OUTPUT = ("0x" + "ff".repeat(32)) as Hex;
/** What IClaimBinding.startRoot returns for an input the program cannot take; no claim may post it. */
export const NO_START = ("0x" + "ff".repeat(32)) as Root;

export enum ClaimStatus {
  None,
  Pending,
  Rejected,
  Accepted,
}
export enum GameStatus {
  None,
  ClaimerToMove,
  ChallengerToMove,
  ClaimerWon,
  ChallengerWon,
}
export enum Availability {
  Published,
  Committed,
  Requested,
}

export type ClaimState = {
  claimer: Address;
  deadline: number;
  openGames: number;
  status: ClaimStatus;
  availability: Availability;
  steps: bigint;
  stake: bigint;
  slotsUsed: number;
  /** first-come queue of challengers refused a slot: positions [queueHead, queueTail) of `queue` */
  queueHead: number;
  queueTail: number;
  inputRequester: Address;
  inputDeadline: number;
  programHash: Hex;
  inputHash: Hex;
  output: Hex;
  startRoot: Root;
  finalRoot: Root;
};
export type GameState = {
  challenger: Address;
  claimId: number;
  lo: bigint;
  hi: bigint;
  clockClaimer: number;
  clockChallenger: number;
  lastMove: number;
  phase: number;
  level: number;
  status: GameStatus;
  pre: Root;
  post: Root;
  checkpoints: Root[] | null;
};
export type ClaimInput = {
  programHash: Hex;
  inputHash: Hex;
  output: Hex;
  startRoot: Root;
  finalRoot: Root;
  steps: bigint;
};
export type Call = { sender: Address; now: number; value?: bigint };

const BPS = 10_000n;
const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

export function commit2(a: Root, b: Root): Hex {
  return keccak256(concat([a, b])) as Hex;
}
export function commit3(a: Root, b: Root, c: Root): Hex {
  return keccak256(concat([a, b, c])) as Hex;
}
/** The contract's `commit` slot for this game state. */
export function commitOf(g: GameState): Hex {
  return g.checkpoints ? commit3(g.pre, g.post, checkpointRoot(g.checkpoints)) : commit2(g.pre, g.post);
}

/** A binding twin's typed failure (detail.reason = the Solidity error) as the GameRevert the chain shows. */
function bindingCall<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    const reason = (e as { detail?: { reason?: unknown } }).detail?.reason;
    if (typeof reason === "string")
      throw new GameRevert(reason, { ...(e as { detail: Record<string, unknown> }).detail });
    throw e;
  }
}

export class DisputeModel {
  readonly claims = new Map<number, ClaimState>();
  readonly games = new Map<number, GameState>();
  readonly credit = new Map<Address, bigint>();
  /** claimId -> position -> queued challenger (deleted once its game opened or its bond was refunded) */
  readonly queue = new Map<number, Map<number, Address>>();
  burned = 0n;
  balance = 0n;
  claimCount = 0;
  gameCount = 0;

  readonly slots: number;
  readonly slotCollateral: bigint;

  constructor(
    readonly cfg: GameConfig,
    readonly phases: ModelPhase[],
    readonly binding?: ClaimBinding,
  ) {
    if (phases.length === 0 || phases.length > 4) throw new GameRevert("BadPhaseCount", { count: phases.length });
    if (cfg.burnBps > 10_000) throw new GameRevert("BadBurnShare", { burnBps: cfg.burnBps });
    if ((cfg.challengerBurnBps ?? cfg.burnBps) > 10_000)
      throw new GameRevert("BadBurnShare", { burnBps: cfg.challengerBurnBps });
    if (cfg.clockBudget <= 0) throw new GameRevert("BadClock", { budget: cfg.clockBudget });
    this.slots = cfg.slots ?? 1;
    if (this.slots < 1 || cfg.claimBond / BigInt(this.slots) === 0n)
      throw new GameRevert("BadSlots", { slots: this.slots, claimBond: cfg.claimBond });
    this.slotCollateral = cfg.claimBond / BigInt(this.slots);
    phases.forEach((p, i) => {
      checkPhaseParams(p, i);
      if (i === phases.length - 1 && !p.arbitrator) throw new GameRevert("MissingArbitrator", { phase: i });
      if (i < phases.length - 1 && !p.link) throw new GameRevert("MissingLink", { phase: i });
    });
  }

  // ---------------------------------------------------------------- claims

  /** `input` (published claims) is checked against the binding's maxInputBytes first, as on chain. */
  claim(c: Call, a: ClaimInput, published = true, input?: Hex): number {
    if (published && input !== undefined) this.checkInputLength(input);
    this.pay(c, this.cfg.claimBond);
    if (a.steps <= 0n || a.steps >= 1n << 64n) throw new GameRevert("BadSteps", { steps: a.steps });
    if (this.binding && a.programHash.toLowerCase() !== this.binding.programHash.toLowerCase()) {
      throw new GameRevert("WrongProgram", { expected: this.binding.programHash, got: a.programHash });
    }
    if (a.output.toLowerCase() === NO_OUTPUT) throw new GameRevert("BadOutput", { output: a.output });
    if (a.startRoot.toLowerCase() === NO_START) throw new GameRevert("BadStartRoot", { startRoot: a.startRoot });
    const id = ++this.claimCount;
    this.claims.set(id, {
      claimer: c.sender,
      deadline: c.now + this.cfg.challengeWindow,
      openGames: 0,
      status: ClaimStatus.Pending,
      availability: published ? Availability.Published : Availability.Committed,
      steps: a.steps,
      stake: this.cfg.claimBond,
      slotsUsed: 0,
      queueHead: 0,
      queueTail: 0,
      inputRequester: ZERO_ADDRESS,
      inputDeadline: 0,
      programHash: a.programHash,
      inputHash: a.inputHash,
      output: a.output,
      startRoot: a.startRoot,
      finalRoot: a.finalRoot,
    });
    this.balance += this.cfg.claimBond;
    return id;
  }

  requestInput(c: Call, claimId: number): void {
    const cl = this.pending(claimId);
    if (cl.availability === Availability.Published) throw new GameRevert("InputAlreadyPublished", { claimId });
    if (cl.availability === Availability.Requested) throw new GameRevert("InputAlreadyRequested", { claimId });
    if (c.now > cl.deadline) throw new GameRevert("ChallengeWindowClosed", { claimId, deadline: cl.deadline });
    this.pay(c, this.cfg.challengeBond);
    this.takeSlot(cl, claimId);
    cl.availability = Availability.Requested;
    cl.inputRequester = c.sender;
    cl.inputDeadline = c.now + this.cfg.daWindow;
    this.balance += this.cfg.challengeBond;
  }

  publishInput(c: Call, claimId: number, input: Hex): void {
    const cl = this.pending(claimId);
    if (cl.availability === Availability.Published) throw new GameRevert("InputAlreadyPublished", { claimId });
    const h = keccak256(input) as Hex;
    if (h !== cl.inputHash) throw new GameRevert("InputMismatch", { claimId, expected: cl.inputHash, got: h });
    this.checkInputLength(input);
    if (cl.availability === Availability.Requested) {
      if (c.now > cl.inputDeadline) throw new GameRevert("InputWithheld", { claimId, deadline: cl.inputDeadline });
      this.addCredit(cl.inputRequester, this.cfg.challengeBond);
      cl.availability = Availability.Published;
      this.releaseSlot(cl, claimId, c.now);
    }
    cl.availability = Availability.Published;
    cl.deadline = Math.max(cl.deadline, c.now + this.cfg.challengeWindow);
  }

  resolveWithheld(c: Call, claimId: number): void {
    const cl = this.pending(claimId);
    if (cl.availability !== Availability.Requested) throw new GameRevert("InputNotRequested", { claimId });
    if (c.now <= cl.inputDeadline)
      throw new GameRevert("DataDeadlineNotPassed", { claimId, deadline: cl.inputDeadline });
    const requester = cl.inputRequester;
    cl.availability = Availability.Committed;
    this.reject(cl);
    this.addCredit(requester, this.cfg.challengeBond);
    this.paySlot(cl, requester);
  }

  finalizeClaim(c: Call, claimId: number): void {
    const cl = this.pending(claimId);
    if (c.now <= cl.deadline) throw new GameRevert("ChallengeWindowOpen", { claimId, deadline: cl.deadline });
    if (cl.openGames !== 0) throw new GameRevert("GamesOpen", { claimId, openGames: cl.openGames });
    if (cl.availability === Availability.Requested)
      throw new GameRevert("InputWithheld", { claimId, deadline: cl.inputDeadline });
    // unreachable while the queue invariant holds (DisputeGame.finalizeClaim), checked as on chain
    if (cl.queueTail !== cl.queueHead)
      throw new GameRevert("QueueNotEmpty", { claimId, length: cl.queueTail - cl.queueHead });
    cl.status = ClaimStatus.Accepted;
    this.addCredit(cl.claimer, cl.stake);
    cl.stake = 0n;
  }

  // ---------------------------------------------------------------- binding moves

  disputeStart(c: Call, claimId: number, input: Hex, aux: Hex): void {
    const cl = this.pending(claimId);
    this.checkBindingSlot(cl, claimId);
    const h = keccak256(input) as Hex;
    if (h !== cl.inputHash) throw new GameRevert("InputMismatch", { claimId, expected: cl.inputHash, got: h });
    if (!this.binding) throw new GameRevert("MissingBinding", {});
    const r = bindingCall(() => this.binding!.startRoot(input, aux));
    if (r.toLowerCase() === cl.startRoot.toLowerCase())
      throw new GameRevert("StartRootCorrect", { claimId, startRoot: r });
    this.bindingWon(c, cl);
  }

  disputeOutput(c: Call, claimId: number, opening: Hex): void {
    const cl = this.pending(claimId);
    this.checkBindingSlot(cl, claimId);
    if (!this.binding) throw new GameRevert("MissingBinding", {});
    const o = bindingCall(() => this.binding!.outputOf(cl.finalRoot, opening));
    if (o.toLowerCase() === cl.output.toLowerCase()) throw new GameRevert("OutputCorrect", { claimId, output: o });
    this.bindingWon(c, cl);
  }

  // ---------------------------------------------------------------- games

  /**
   * Opens a game, or with every slot held locks the bond and queues the caller (returns 0): the next
   * slot freed while the claim is pending opens the queue head's game (`releaseSlot`).
   */
  challenge(c: Call, claimId: number): number {
    const cl = this.pending(claimId);
    if (c.now > cl.deadline) throw new GameRevert("ChallengeWindowClosed", { claimId, deadline: cl.deadline });
    this.pay(c, this.cfg.challengeBond);
    this.balance += this.cfg.challengeBond;
    if (cl.slotsUsed >= this.slots) {
      let q = this.queue.get(claimId);
      if (!q) this.queue.set(claimId, (q = new Map()));
      q.set(cl.queueTail, c.sender);
      cl.queueTail += 1;
      return 0;
    }
    cl.slotsUsed += 1;
    return this.openGame(cl, claimId, c.sender, c.now);
  }

  /** Credits back the bond of the challenger queued at `position` of a rejected claim (anyone may call). */
  refundQueued(_c: Call, claimId: number, position: number): void {
    const cl = this.claims.get(claimId);
    const st = cl?.status ?? ClaimStatus.None;
    if (st !== ClaimStatus.Rejected) throw new GameRevert("ClaimNotRejected", { claimId, status: st });
    const who = this.queue.get(claimId)?.get(position);
    if (!who) throw new GameRevert("NotQueued", { claimId, position });
    this.queue.get(claimId)!.delete(position);
    this.addCredit(who, this.cfg.challengeBond);
  }

  /** The challenger queued at `position` (undefined: none, its game opened or it was refunded). */
  queued(claimId: number, position: number): Address | undefined {
    return this.queue.get(claimId)?.get(position);
  }

  private openGame(cl: ClaimState, claimId: number, challenger: Address, now: number): number {
    const p0 = this.phases[0]!;
    const id = ++this.gameCount;
    cl.openGames += 1;
    this.games.set(id, {
      challenger,
      claimId,
      lo: 0n,
      hi: cl.steps,
      clockClaimer: this.cfg.clockBudget,
      clockChallenger: this.cfg.clockBudget,
      lastMove: now,
      phase: 0,
      level: rounds(cl.steps, p0.k, p0.m),
      status: GameStatus.ClaimerToMove,
      pre: cl.startRoot,
      post: cl.finalRoot,
      checkpoints: null,
    });
    return id;
  }

  /** A slot freed while the claim is pending goes to the queue's head (its game opens now), else it is free. */
  private releaseSlot(cl: ClaimState, claimId: number, now: number): void {
    if (cl.queueHead === cl.queueTail) {
      cl.slotsUsed -= 1;
      return;
    }
    const q = this.queue.get(claimId)!;
    const next = q.get(cl.queueHead)!;
    q.delete(cl.queueHead);
    cl.queueHead += 1;
    this.openGame(cl, claimId, next, now);
  }

  /** Number of checkpoints the claimer must post now (0 at a leaf). */
  checkpointCount(gameId: number): number {
    const g = this.game(gameId);
    if (g.level === 0) return 0;
    const { k, m } = this.phases[g.phase]!;
    return checkpointCount(g.hi - g.lo, width(g.level, k, m), k);
  }

  postCheckpoints(c: Call, gameId: number, roots: Root[]): void {
    const g = this.game(gameId);
    const t = this.tick(c, gameId, g, true);
    if (g.level === 0) throw new GameRevert("AtLeaf", { gameId });
    const n = this.checkpointCount(gameId);
    if (roots.length !== n) throw new GameRevert("WrongCheckpointCount", { gameId, expected: n, got: roots.length });
    t();
    g.status = GameStatus.ChallengerToMove;
    g.checkpoints = [...roots];
  }

  chooseSegment(c: Call, gameId: number, index: number): void {
    const g = this.game(gameId);
    const t = this.tick(c, gameId, g, false);
    const n = this.checkpointCount(gameId);
    if (!Number.isInteger(index) || index < 0 || index > n)
      throw new GameRevert("SegmentOutOfRange", { gameId, index, count: n });
    t();
    const cps = g.checkpoints!;
    const pre = index > 0 ? cps[index - 1]! : g.pre;
    const post = index < n ? cps[index]! : g.post;
    const { k, m } = this.phases[g.phase]!;
    const iv = segment({ lo: g.lo, hi: g.hi, level: g.level }, index, k, m);
    Object.assign(g, {
      lo: iv.lo,
      hi: iv.hi,
      level: iv.level,
      pre,
      post,
      checkpoints: null,
      status: GameStatus.ClaimerToMove,
    });
  }

  proveLeaf(c: Call, gameId: number, proof: Hex): void {
    const g = this.game(gameId);
    const t = this.tick(c, gameId, g, true);
    if (g.level !== 0) throw new GameRevert("NotAtLeaf", { gameId, level: g.level });
    if (g.phase + 1 !== this.phases.length) throw new GameRevert("NotLastPhase", { gameId, phase: g.phase });
    const span = g.hi - g.lo;
    if (!this.phases[g.phase]!.arbitrator!.arbitrate(g.pre, g.post, span, proof)) {
      throw new GameRevert("ArbitrationRejected", { gameId, preRoot: g.pre, postRoot: g.post, span });
    }
    t();
    this.resolve(gameId, g, true, c.now);
  }

  openSubgame(c: Call, gameId: number, innerStart: Root, innerEnd: Root, innerSteps: bigint, linkProof: Hex): void {
    const g = this.game(gameId);
    const t = this.tick(c, gameId, g, true);
    if (g.level !== 0) throw new GameRevert("NotAtLeaf", { gameId, level: g.level });
    if (g.phase + 1 >= this.phases.length) throw new GameRevert("LastPhase", { gameId, phase: g.phase });
    if (innerSteps <= 0n || innerSteps >= 1n << 64n) throw new GameRevert("BadSteps", { steps: innerSteps });
    // a typed link error (LinkError with the Solidity error's name) is that revert, as for bindings
    if (
      !bindingCall(() =>
        this.phases[g.phase]!.link!.verifyLink(g.pre, g.post, innerStart, innerEnd, innerSteps, linkProof),
      )
    ) {
      throw new GameRevert("LinkRejected", { gameId, innerStart, innerEnd, innerSteps });
    }
    t();
    const next = this.phases[g.phase + 1]!;
    Object.assign(g, {
      phase: g.phase + 1,
      lo: 0n,
      hi: innerSteps,
      level: rounds(innerSteps, next.k, next.m),
      pre: innerStart,
      post: innerEnd,
      checkpoints: null,
    });
  }

  timeout(c: Call, gameId: number): void {
    const g = this.games.get(gameId);
    const st = g?.status ?? GameStatus.None;
    if (!g || (st !== GameStatus.ClaimerToMove && st !== GameStatus.ChallengerToMove)) {
      throw new GameRevert("NotYourTurn", { gameId, caller: c.sender, status: st });
    }
    const claimerMoves = st === GameStatus.ClaimerToMove;
    const elapsed = c.now - g.lastMove;
    const remaining = claimerMoves ? g.clockClaimer : g.clockChallenger;
    if (elapsed <= remaining) throw new GameRevert("ClockNotExpired", { gameId, elapsed, remaining });
    if (claimerMoves) g.clockClaimer = 0;
    else g.clockChallenger = 0;
    g.lastMove = c.now;
    this.resolve(gameId, g, !claimerMoves, c.now);
  }

  withdraw(c: Call): bigint {
    const key = c.sender.toLowerCase();
    const a = this.credit.get(key) ?? 0n;
    if (a === 0n) throw new GameRevert("NothingToWithdraw", { account: c.sender });
    this.credit.set(key, 0n);
    this.balance -= a;
    return a;
  }

  /** Stakes and bonds not yet credited or burned (the contract's balance minus credits minus burn). */
  locked(): bigint {
    let credits = 0n;
    for (const v of this.credit.values()) credits += v;
    return this.balance - credits - this.burned;
  }

  // ---------------------------------------------------------------- internals

  game(gameId: number): GameState {
    const g = this.games.get(gameId);
    if (!g) throw new GameRevert("NoSuchGame", { gameId });
    return g;
  }

  private pending(claimId: number): ClaimState {
    const cl = this.claims.get(claimId);
    const st = cl?.status ?? ClaimStatus.None;
    if (!cl || st !== ClaimStatus.Pending) throw new GameRevert("ClaimNotPending", { claimId, status: st });
    return cl;
  }

  private pay(c: Call, expected: bigint): void {
    const got = c.value ?? 0n;
    if (got !== expected) throw new GameRevert("WrongBond", { expected, got });
  }

  /** Checks turn, caller and clock; returns the commit step that charges the clock. */
  private tick(c: Call, gameId: number, g: GameState, claimerMoves: boolean): () => void {
    const mover = claimerMoves ? this.claims.get(g.claimId)!.claimer : g.challenger;
    const want = claimerMoves ? GameStatus.ClaimerToMove : GameStatus.ChallengerToMove;
    if (g.status !== want || c.sender.toLowerCase() !== mover.toLowerCase()) {
      throw new GameRevert("NotYourTurn", { gameId, caller: c.sender, status: g.status });
    }
    const elapsed = c.now - g.lastMove;
    const remaining = claimerMoves ? g.clockClaimer : g.clockChallenger;
    if (elapsed > remaining) throw new GameRevert("ClockExpired", { gameId, elapsed, remaining });
    return () => {
      if (claimerMoves) g.clockClaimer = remaining - elapsed;
      else g.clockChallenger = remaining - elapsed;
      g.lastMove = c.now;
    };
  }

  private resolve(_gameId: number, g: GameState, claimerWon: boolean, now: number): void {
    const cl = this.claims.get(g.claimId)!;
    cl.openGames -= 1;
    if (claimerWon) {
      g.status = GameStatus.ClaimerWon;
      const burn = (this.cfg.challengeBond * BigInt(this.cfg.challengerBurnBps ?? this.cfg.burnBps)) / BPS;
      this.burned += burn;
      this.addCredit(cl.claimer, this.cfg.challengeBond - burn);
      if (cl.status === ClaimStatus.Pending) {
        cl.deadline = Math.max(cl.deadline, now + this.cfg.challengeWindow);
        this.releaseSlot(cl, g.claimId, now);
      } else {
        cl.slotsUsed -= 1;
        cl.stake -= this.slotCollateral;
        this.burned += this.slotCollateral;
      }
    } else {
      g.status = GameStatus.ChallengerWon;
      if (cl.status === ClaimStatus.Pending) this.reject(cl);
      this.addCredit(g.challenger, this.cfg.challengeBond);
      this.paySlot(cl, g.challenger);
    }
  }

  private takeSlot(cl: ClaimState, claimId: number): void {
    if (cl.slotsUsed >= this.slots) throw new GameRevert("NoFreeSlot", { claimId });
    cl.slotsUsed += 1;
  }

  /** Rejects a pending claim; a still-open input request is refunded and its slot released; unlocked stake burned. */
  private reject(cl: ClaimState): void {
    cl.status = ClaimStatus.Rejected;
    this.settleRequest(cl);
    const locked = BigInt(cl.slotsUsed) * this.slotCollateral;
    this.burned += cl.stake - locked;
    cl.stake = locked;
  }

  private paySlot(cl: ClaimState, to: Address): void {
    const d = this.slotCollateral;
    const burn = (d * BigInt(this.cfg.burnBps)) / BPS;
    cl.slotsUsed -= 1;
    cl.stake -= d;
    this.burned += burn;
    this.addCredit(to, d - burn);
  }

  private checkInputLength(input: Hex): void {
    if (!this.binding) return;
    const len = (input.length - 2) / 2;
    if (len > this.binding.maxInputBytes)
      throw new GameRevert("InputTooLong", { length: len, max: this.binding.maxInputBytes });
  }

  /** A still-open input request is moot once the claim is decided: refund it, release its slot. */
  private settleRequest(cl: ClaimState): void {
    if (cl.availability !== Availability.Requested) return;
    cl.availability = Availability.Committed;
    cl.slotsUsed -= 1;
    this.addCredit(cl.inputRequester, this.cfg.challengeBond);
  }

  /**
   * Whether a binding move sent now finds its slot: a free one, or an open input request's (released
   * first by `bindingWon`). With every slot held by games the move reverts NoFreeSlot before deriving
   * anything (attack6), as on chain.
   */
  bindingMovePaid(claimId: number): boolean {
    const cl = this.claims.get(claimId);
    if (!cl) throw new GameRevert("ClaimNotPending", { claimId, status: ClaimStatus.None });
    return cl.slotsUsed < this.slots || cl.availability === Availability.Requested;
  }

  private checkBindingSlot(cl: ClaimState, claimId: number): void {
    if (cl.slotsUsed >= this.slots && cl.availability !== Availability.Requested)
      throw new GameRevert("NoFreeSlot", { claimId });
  }

  /** The request's slot is released before `paid` is decided: the move may take it. */
  private bindingWon(c: Call, cl: ClaimState): void {
    this.settleRequest(cl);
    const paid = cl.slotsUsed < this.slots;
    if (paid) cl.slotsUsed += 1;
    this.reject(cl);
    if (paid) this.paySlot(cl, c.sender);
  }

  private addCredit(to: Address, amount: bigint): void {
    if (amount === 0n) return;
    const k = to.toLowerCase();
    this.credit.set(k, (this.credit.get(k) ?? 0n) + amount);
  }
}
