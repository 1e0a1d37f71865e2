/**
 * What the referee loop (protocol/actors/play.ts) needs from a game: the in-memory model
 * (`ModelBackend`, below) or a deployed DisputeGame (protocol/chain/backend.ts). Every call carries
 * the sender and the timestamp it happens at (`at`, seconds), so both backends see the same clock:
 * the model takes it as `now`, the chain driver sets it as the next block's timestamp.
 * A failing move throws `GameRevert` with the contract's error name and changes nothing.
 */
import type { Address, GameStatus, GameConfig, ClaimInput, ClaimStatus } from "./model.ts";
import { DisputeModel } from "./model.ts";
import type { Hex, PhaseParams, Root } from "./types.ts";

export type GameView = {
  claimId: number;
  challenger: Address;
  phase: number;
  level: number;
  lo: bigint;
  hi: bigint;
  status: GameStatus;
  clockClaimer: number;
  clockChallenger: number;
  lastMove: number;
  pre: Root;
  post: Root;
  checkpoints: Root[] | null;
};
export type Opening = { innerStart: Root; innerEnd: Root; innerSteps: bigint; linkProof: Hex };
export type Gas = { gas: bigint };

export interface GameBackend {
  readonly phases: PhaseParams[];
  readonly config: GameConfig;
  /** the program hash the game's claim binding accepts (undefined: a model without a binding) */
  readonly programHash?: Hex;
  view(gameId: number): GameView;
  claimStatus(claimId: number): ClaimStatus;
  /** the claim's challenge deadline (reopened by games the claimer wins) */
  claimDeadline(claimId: number): number;
  claim(from: Address, at: number, c: ClaimInput, input: Hex): Promise<{ claimId: number } & Gas>;
  /** Binding moves and input availability (both backends implement them; optional for minimal backends). */
  disputeStart?(from: Address, at: number, claimId: number, input: Hex, aux: Hex): Promise<Gas>;
  disputeOutput?(from: Address, at: number, claimId: number, opening: Hex): Promise<Gas>;
  /**
   * GraphClaimBinding.advance: stores the partial start root of `input` over input nodes [first, end)
   * (a long input's binding move in several transactions). Chain only: the model has no gas limit.
   */
  advanceStart?(from: Address, at: number, input: Hex, first: number, end: number, aux: Hex): Promise<Gas>;
  /**
   * Whether a winning binding move sent now would be paid: a free slot, or an open input request that
   * the move releases first (DisputeGame `_bindingWon`); false when every slot is held by games.
   */
  bindingMovePaid?(claimId: number): Promise<boolean>;
  claimCommitted?(from: Address, at: number, c: ClaimInput): Promise<{ claimId: number } & Gas>;
  requestInput?(from: Address, at: number, claimId: number): Promise<Gas>;
  publishInput?(from: Address, at: number, claimId: number, input: Hex): Promise<Gas>;
  resolveWithheld?(from: Address, at: number, claimId: number): Promise<Gas>;
  /**
   * Opens a game (gameId > 0) or, with every slot held, queues the caller first-come (gameId 0,
   * `queued` = its position): the next slot freed while the claim is pending opens the queue
   * head's game in that transaction (DisputeGame `_releaseSlot`); `gamesOf` then lists it.
   */
  challenge(from: Address, at: number, claimId: number): Promise<{ gameId: number; queued?: number } & Gas>;
  /** Ids of the claim's games in the order they opened (queued challengers' games included). */
  gamesOf?(claimId: number): number[];
  /** Credits back the bond queued at `position` of a rejected claim (DisputeGame `refundQueued`). */
  refundQueued?(from: Address, at: number, claimId: number, position: number): Promise<Gas>;
  postCheckpoints(from: Address, at: number, gameId: number, roots: Root[]): Promise<Gas>;
  chooseSegment(from: Address, at: number, gameId: number, index: number): Promise<Gas>;
  proveLeaf(from: Address, at: number, gameId: number, proof: Hex): Promise<Gas>;
  openSubgame(from: Address, at: number, gameId: number, o: Opening): Promise<Gas>;
  timeout(from: Address, at: number, gameId: number): Promise<Gas>;
  finalizeClaim(from: Address, at: number, claimId: number): Promise<Gas>;
  withdraw(from: Address, at: number): Promise<{ amount: bigint } & Gas>;
  credit(account: Address): bigint;
}

/** The in-memory model behind the backend interface (gas is 0). */
export class ModelBackend implements GameBackend {
  constructor(readonly model: DisputeModel) {}
  get phases(): PhaseParams[] {
    return this.model.phases;
  }
  get config(): GameConfig {
    return this.model.cfg;
  }
  get programHash(): Hex | undefined {
    return this.model.binding?.programHash;
  }
  view(gameId: number): GameView {
    const g = this.model.game(gameId);
    return { ...g, checkpoints: g.checkpoints ? [...g.checkpoints] : null };
  }
  claimStatus(claimId: number): ClaimStatus {
    return this.model.claims.get(claimId)!.status;
  }
  claimDeadline(claimId: number): number {
    return this.model.claims.get(claimId)!.deadline;
  }
  async claim(from: Address, at: number, c: ClaimInput, input: Hex) {
    return {
      claimId: this.model.claim({ sender: from, now: at, value: this.model.cfg.claimBond }, c, true, input),
      gas: 0n,
    };
  }
  async disputeStart(from: Address, at: number, claimId: number, input: Hex, aux: Hex) {
    this.model.disputeStart({ sender: from, now: at }, claimId, input, aux);
    return { gas: 0n };
  }
  async disputeOutput(from: Address, at: number, claimId: number, opening: Hex) {
    this.model.disputeOutput({ sender: from, now: at }, claimId, opening);
    return { gas: 0n };
  }
  async bindingMovePaid(claimId: number) {
    return this.model.bindingMovePaid(claimId);
  }
  async claimCommitted(from: Address, at: number, c: ClaimInput) {
    return { claimId: this.model.claim({ sender: from, now: at, value: this.model.cfg.claimBond }, c, false), gas: 0n };
  }
  async requestInput(from: Address, at: number, claimId: number) {
    this.model.requestInput({ sender: from, now: at, value: this.model.cfg.challengeBond }, claimId);
    return { gas: 0n };
  }
  async publishInput(from: Address, at: number, claimId: number, input: Hex) {
    this.model.publishInput({ sender: from, now: at }, claimId, input);
    return { gas: 0n };
  }
  async resolveWithheld(from: Address, at: number, claimId: number) {
    this.model.resolveWithheld({ sender: from, now: at }, claimId);
    return { gas: 0n };
  }
  async challenge(from: Address, at: number, claimId: number) {
    const tail = this.model.claims.get(claimId)?.queueTail ?? 0;
    const gameId = this.model.challenge({ sender: from, now: at, value: this.model.cfg.challengeBond }, claimId);
    return gameId === 0 ? { gameId, queued: tail, gas: 0n } : { gameId, gas: 0n };
  }
  gamesOf(claimId: number): number[] {
    return [...this.model.games].filter(([, g]) => g.claimId === claimId).map(([id]) => id);
  }
  async refundQueued(from: Address, at: number, claimId: number, position: number) {
    this.model.refundQueued({ sender: from, now: at }, claimId, position);
    return { gas: 0n };
  }
  async postCheckpoints(from: Address, at: number, gameId: number, roots: Root[]) {
    this.model.postCheckpoints({ sender: from, now: at }, gameId, roots);
    return { gas: 0n };
  }
  async chooseSegment(from: Address, at: number, gameId: number, index: number) {
    this.model.chooseSegment({ sender: from, now: at }, gameId, index);
    return { gas: 0n };
  }
  async proveLeaf(from: Address, at: number, gameId: number, proof: Hex) {
    this.model.proveLeaf({ sender: from, now: at }, gameId, proof);
    return { gas: 0n };
  }
  async openSubgame(from: Address, at: number, gameId: number, o: Opening) {
    this.model.openSubgame({ sender: from, now: at }, gameId, o.innerStart, o.innerEnd, o.innerSteps, o.linkProof);
    return { gas: 0n };
  }
  async timeout(from: Address, at: number, gameId: number) {
    this.model.timeout({ sender: from, now: at }, gameId);
    return { gas: 0n };
  }
  async finalizeClaim(from: Address, at: number, claimId: number) {
    this.model.finalizeClaim({ sender: from, now: at }, claimId);
    return { gas: 0n };
  }
  async withdraw(from: Address, at: number) {
    return { amount: this.model.withdraw({ sender: from, now: at }), gas: 0n };
  }
  credit(account: Address): bigint {
    return this.model.credit.get(account.toLowerCase()) ?? 0n;
  }
}
