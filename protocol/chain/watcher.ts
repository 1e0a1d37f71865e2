/**
 * Rebuilds every claim and game of a DisputeGame from its events alone (plus block timestamps for
 * the chess clocks): what an off-chain watcher or a new party joining a dispute needs. The chain
 * backend (protocol/chain/backend.ts) also feeds it each receipt's logs to know the current roots,
 * since the contract stores only a commitment to them.
 *
 * Clock rule mirrored from the contract: every move charges the mover (now - lastMove) and sets
 * lastMove; a timeout zeroes the mover's clock. Pitfall: logs must be applied in chain order.
 */
import { Interface, type Log, type JsonRpcProvider } from "ethers";
import type { GameView } from "../game/backend.ts";
import { Availability, ClaimStatus, GameStatus } from "../game/model.ts";
import type { Hex, Root } from "../game/types.ts";

export type ClaimView = {
  claimer: string;
  status: ClaimStatus;
  availability: Availability;
  deadline: number;
  openGames: number;
  startRoot: Root;
  finalRoot: Root;
  steps: bigint;
  input: Hex | null;
};

export class Watcher {
  readonly claims = new Map<number, ClaimView>();
  readonly games = new Map<number, GameView>();
  readonly credit = new Map<string, bigint>();
  burned = 0n;
  events = 0;

  constructor(
    readonly iface: Interface,
    readonly clockBudget: number,
  ) {}

  applyLogs(logs: readonly Log[], timestamp: number): void {
    for (const log of logs) {
      const ev = this.iface.parseLog(log);
      if (ev) this.apply(ev.name, ev.args, timestamp);
    }
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  apply(name: string, a: any, ts: number): void {
    this.events++;
    const game = (id: bigint) => this.games.get(Number(id))!;
    const charge = (g: GameView, claimerMoved: boolean) => {
      const el = ts - g.lastMove;
      if (claimerMoved) g.clockClaimer -= el;
      else g.clockChallenger -= el;
      g.lastMove = ts;
    };
    switch (name) {
      case "ClaimCreated":
        this.claims.set(Number(a.claimId), {
          claimer: String(a.claimer).toLowerCase(),
          status: ClaimStatus.Pending,
          availability: Availability.Committed,
          deadline: Number(a.deadline),
          openGames: 0,
          startRoot: a.startRoot,
          finalRoot: a.finalRoot,
          steps: a.steps,
          input: null,
        });
        break;
      case "InputPublished": {
        const c = this.claims.get(Number(a.claimId))!;
        c.availability = Availability.Published;
        c.input = a.input;
        c.deadline = Number(a.deadline);
        break;
      }
      case "InputRequested":
        this.claims.get(Number(a.claimId))!.availability = Availability.Requested;
        break;
      case "Challenged": {
        const c = this.claims.get(Number(a.claimId))!;
        c.openGames++;
        this.games.set(Number(a.gameId), {
          claimId: Number(a.claimId),
          challenger: String(a.challenger).toLowerCase(),
          phase: 0,
          level: Number(a.level),
          lo: 0n,
          hi: a.steps,
          status: GameStatus.ClaimerToMove,
          clockClaimer: this.clockBudget,
          clockChallenger: this.clockBudget,
          lastMove: ts,
          pre: c.startRoot,
          post: c.finalRoot,
          checkpoints: null,
        });
        break;
      }
      case "CheckpointsPosted": {
        const g = game(a.gameId);
        charge(g, true);
        g.checkpoints = [...a.roots];
        g.status = GameStatus.ChallengerToMove;
        break;
      }
      case "SegmentChosen": {
        const g = game(a.gameId);
        charge(g, false);
        Object.assign(g, {
          lo: a.lo,
          hi: a.hi,
          level: Number(a.level),
          pre: a.preRoot,
          post: a.postRoot,
          checkpoints: null,
          status: GameStatus.ClaimerToMove,
        });
        break;
      }
      case "SubgameOpened": {
        const g = game(a.gameId);
        charge(g, true);
        Object.assign(g, {
          phase: Number(a.phase),
          lo: 0n,
          hi: a.steps,
          level: Number(a.level),
          pre: a.innerStart,
          post: a.innerEnd,
          checkpoints: null,
        });
        break;
      }
      case "GameResolved": {
        const g = game(a.gameId);
        if (Number(a.reason) === 0) charge(g, true);
        else {
          if (g.status === GameStatus.ClaimerToMove) g.clockClaimer = 0;
          else g.clockChallenger = 0;
          g.lastMove = ts;
        }
        g.status = a.claimerWon ? GameStatus.ClaimerWon : GameStatus.ChallengerWon;
        this.claims.get(g.claimId)!.openGames--;
        break;
      }
      case "ChallengeWindowReopened":
        this.claims.get(Number(a.claimId))!.deadline = Number(a.deadline);
        break;
      case "ClaimResolved":
        this.claims.get(Number(a.claimId))!.status = Number(a.status) as ClaimStatus;
        break;
      case "Credited": {
        const k = String(a.account).toLowerCase();
        this.credit.set(k, (this.credit.get(k) ?? 0n) + a.amount);
        break;
      }
      case "Withdrawn": {
        const k = String(a.account).toLowerCase();
        this.credit.set(k, (this.credit.get(k) ?? 0n) - a.amount);
        break;
      }
      case "Burned":
        this.burned += a.amount;
        break;
    }
  }

  /** Rebuild from scratch: every log of `address` from `fromBlock`, in order. */
  static async rebuild(
    provider: JsonRpcProvider,
    address: string,
    iface: Interface,
    clockBudget: number,
    fromBlock = 0,
  ): Promise<Watcher> {
    const w = new Watcher(iface, clockBudget);
    const logs = await provider.getLogs({ address, fromBlock, toBlock: "latest" });
    const stamps = new Map<number, number>();
    for (const log of logs) {
      if (!stamps.has(log.blockNumber))
        stamps.set(log.blockNumber, (await provider.getBlock(log.blockNumber))!.timestamp);
      w.applyLogs([log], stamps.get(log.blockNumber)!);
    }
    return w;
  }
}
