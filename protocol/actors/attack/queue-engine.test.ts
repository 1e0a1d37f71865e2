/**
 * Red-team attack (attack8) on the engine's handling of the challenge queue (`playClaim`,
 * GameBackend.gamesOf), on the in-memory model: liars and griefers queue more challenges than there
 * are slots; the engine must follow every game the queue opens.
 */
import { describe, expect, it } from "vitest";
import { AbiCoder } from "ethers";
import { ClaimStatus, DisputeModel } from "../../game/model.ts";
import { ModelBackend } from "../../game/backend.ts";
import { rootFromField, type Hex } from "../../game/types.ts";
import { alphabetArbitrator } from "../../trace/alphabet.ts";
import { alphabetBinding } from "../../link/alphabet.ts";
import {
  payoutConfig,
  PAYOUT,
  challengerWinPayout,
  claimerWinPayout,
  slotCollateral,
  BPS,
} from "../../economics/payout.ts";
import { alphabetWorld, dishonest, honest, lazy, type World } from "../actor.ts";
import { playClaim, type Party } from "../play.ts";

const N = 64n;
const CFG = payoutConfig({ clockBudget: 3_600, challengeWindow: 86_400, daWindow: 3_600 });
const world: World = alphabetWorld([N]);
const who = Array.from({ length: 20 }, (_, i) => "0x" + (i + 1).toString(16).padStart(40, "0"));
const model = () =>
  new ModelBackend(new DisputeModel(CFG, [{ k: 3, m: 1n, arbitrator: alphabetArbitrator }], alphabetBinding([N])));
const thrown = (n: number, from: number): Party[] =>
  Array.from({ length: n }, (_, i) => ({
    address: who[from + i]!,
    actor: { ...lazy(honest(world), 0), name: `thrown ${i}`, challengeAlways: true },
  }));

describe("attack8: the engine follows every game the queue opens", () => {
  it("an honest claimer against 2 slots' worth of queued griefers: Accepted, paid (1 - b_c) B per game", async () => {
    const b = model();
    const claimer: Party = { address: who[0]!, actor: honest(world) };
    const griefers = thrown(2 * PAYOUT.slots + 1, 2);
    const r = await playClaim(b, claimer, griefers, { start: 1_700_000_000 });
    expect(r.claimStatus).toBe(ClaimStatus.Accepted);
    expect(r.games.length).toBe(griefers.length);
    expect(r.games.every((g) => g.winner === "claimer")).toBe(true);
    expect(r.withdrawn.get(claimer.address)).toBe(
      PAYOUT.claimBond + BigInt(griefers.length) * claimerWinPayout(PAYOUT),
    );
  });

  it("q thrown socks queued before the honest challenger: its game opens after them, it wins", async () => {
    const b = model();
    const liar: Party = { address: who[0]!, actor: dishonest(world, 10n) };
    const h: Party = { address: who[1]!, actor: honest(world) };
    const socks = thrown(2 * PAYOUT.slots + 1, 2);
    const r = await playClaim(b, liar, [...socks, h], { start: 1_700_000_000 });
    expect(r.claimStatus).toBe(ClaimStatus.Rejected);
    const mine = r.games.filter((g) => g.challenger === "honest");
    expect(mine.length).toBe(1);
    expect(mine[0]!.winner).toBe("challenger");
    expect(r.withdrawn.get(h.address)).toBe(challengerWinPayout(PAYOUT));
  });

  it("a binding-move party behind queued socks waits for the queue to drain and is paid (1 - b) D", async () => {
    const b = model();
    const t = honest(world).trace;
    const word = (x: bigint) => AbiCoder.defaultAbiCoder().encode(["uint256"], [x]) as Hex;
    const fin = (x: bigint) => ({ finalRoot: t.rootAt(x), output: rootFromField(x), opening: word(x) });
    const check = { ...fin(N), startRoot: t.rootAt(0n), aux: "0x" as Hex, at: (x: bigint) => fin(x < N ? x : N) };
    const liar: Party = { address: who[0]!, actor: honest(world) };
    const h: Party = { address: who[1]!, actor: { ...honest(world), check } };
    const socks = thrown(2 * PAYOUT.slots + 1, 2);
    const r = await playClaim(b, liar, [...socks, h], { start: 1_700_000_000, output: rootFromField(N + 1n) });
    expect(r.claimStatus).toBe(ClaimStatus.Rejected);
    expect(r.log.some((c) => c.op === "disputeOutput" && c.from === h.address)).toBe(true);
    const d = slotCollateral(PAYOUT);
    expect(r.withdrawn.get(h.address)).toBe(d - (d * BigInt(PAYOUT.burnBps)) / BPS);
  });
});
