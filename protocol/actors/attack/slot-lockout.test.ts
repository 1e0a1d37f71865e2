/**
 * Red-team attack (attack6) on the honest actor's decisions in the one engine (`playClaim`), now a
 * test the liar LOSES.
 *
 * Attack: the liar posts a false claim and, before the honest challenger, fills every slot with sock
 * challengers that then never move (thrown games). The honest challenger's `challenge` reverted
 * `NoFreeSlot` and the engine gave up on it for good; the socks' clocks ran out one by one, each
 * thrown game freed its slot and reopened the window, nobody challenged, and the false claim was
 * finalized Accepted, the liar losing only b_c B per sock (4 x 0.5 ETH of its 14 ETH). A first fix
 * (the engine retried refused challengers) left a liveness hole: a liar's contract that re-took each
 * freed slot in the transaction that freed it kept the honest challenger out at every block
 * (contracts/test/attack/SlotChurn.t.sol). Fix: with every slot held, `challenge` queues its caller
 * first-come (bond locked) and a slot freed while the claim is pending opens the queue head's game in
 * that same transaction, so the liar's re-challenge lands behind the honest one; the engine follows
 * its queued challengers' games (`GameBackend.gamesOf`). If the claim is rejected first, a queued
 * bond is refunded in full (`refundQueued`).
 *
 * Attack 2: the same socks, a claim whose output (or start root) is wrong. The honest party's binding
 * move rejected the claim at once but found no free slot, so it was paid nothing (DisputeGame pays a
 * binding move only from a free slot) and lost its gas: up to ~10M gas (0.5 ETH at 50 gwei) for a
 * 2 KiB RV32IM input, far more with a long prompt's advance chunks. Fix: with every slot held by
 * games (`GameBackend.bindingMovePaid` false), the honest party waits for a game to end, then sends
 * the move from the freed slot and is paid (1 - b) D; and DisputeGame now refuses a binding move
 * with no slot for it (`NoFreeSlot`, before deriving anything), so a sock that takes the last slot
 * just before the honest move lands costs it a cheap revert, not an unpaid derivation (forge twin:
 * contracts/test/attack/BindingMoveRace.t.sol); the engine then waits as above. (Binding moves do
 * not queue: a liar that retakes each freed slot in the same transaction still keeps a binding-move
 * party waiting, at b_c B per game: SECURITY.md "what is still locked out"; the claim is never
 * accepted meanwhile.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbiCoder, keccak256 } from "ethers";
import { ClaimStatus, DisputeModel } from "../../game/model.ts";
import { ModelBackend, type GameBackend } from "../../game/backend.ts";
import { rootFromField, type Hex } from "../../game/types.ts";
import { alphabetArbitrator } from "../../trace/alphabet.ts";
import { alphabetBinding } from "../../link/alphabet.ts";
import { startAnvil, type Chain } from "../../chain/anvil.ts";
import { ChainBackend } from "../../chain/backend.ts";
import { payoutConfig, PAYOUT, challengerWinPayout, slotCollateral, BPS } from "../../economics/payout.ts";
import { alphabetWorld, dishonest, honest, lazy, type World } from "../actor.ts";
import { playClaim, type Party } from "../play.ts";

const N = 64n;
const CFG = payoutConfig({ clockBudget: 3_600, challengeWindow: 86_400, daWindow: 3_600 });
const world: World = alphabetWorld([N]);
let chain: Chain;
let accounts: string[];
let clock = 1_800_000_000;
beforeAll(async () => {
  chain = await startAnvil({ accounts: 8 });
  accounts = (await chain.provider.send("eth_accounts", [])).map((a: string) => a.toLowerCase());
});
afterAll(async () => {
  await chain?.stop();
});

/** The two backends every case runs on: the in-memory model and DisputeGame on anvil. */
const backends: [string, () => Promise<{ b: GameBackend; who: string[]; start: number }>][] = [
  [
    "model",
    async () => ({
      b: new ModelBackend(
        new DisputeModel(CFG, [{ k: 3, m: 1n, arbitrator: alphabetArbitrator }], alphabetBinding([N])),
      ),
      who: Array.from({ length: 8 }, (_, i) => "0x" + (i + 1).toString(16).padStart(40, "0")),
      start: 1_700_000_000,
    }),
  ],
  [
    "anvil",
    async () => {
      const { backend } = await ChainBackend.deployAlphabet(chain, accounts[0]!, CFG, [{ k: 3, m: 1n }], [N]);
      clock = Math.max(clock, (await chain.provider.getBlock("latest"))!.timestamp + 1);
      return { b: backend, who: accounts, start: clock };
    },
  ],
];

/** Sock challengers that challenge whatever they see and never move: the liar's claimer wins their games. */
const thrownSocks = (who: string[]): Party[] =>
  Array.from({ length: PAYOUT.slots }, (_, i) => ({
    address: who[2 + i]!,
    actor: { ...lazy(honest(world), 0), name: `thrown sock ${i}`, challengeAlways: true },
  }));

describe("attack6: a liar's socks hold every slot and throw their games", () => {
  for (const [name, make] of backends) {
    it(`${name}: the honest challenger is queued, gets the first freed slot and wins: the false claim is Rejected`, async () => {
      const { b, who, start } = await make();
      const liar: Party = { address: who[1]!, actor: dishonest(world, 10n) };
      const h: Party = { address: who[6]!, actor: honest(world) };
      const r = await playClaim(b, liar, [...thrownSocks(who), h], { start });
      clock = r.end + 10;
      // every slot held by the socks: the honest challenge is queued, its game opens with the first freed slot
      expect(r.moves.some((m) => m.op === "challenge (queued)" && m.note.startsWith(h.actor.name))).toBe(true);
      expect(r.moves.some((m) => m.op === "challenge (rejected)")).toBe(false);
      expect(r.moves.some((m) => m.op === "challenge (dequeued)")).toBe(true);
      expect(r.claimStatus).toBe(ClaimStatus.Rejected);
      const mine = r.games.filter((g) => g.challenger === "honest");
      expect(mine.length).toBe(1);
      expect(mine[0]!.winner).toBe("challenger");
      expect(r.withdrawn.get(h.address)).toBe(challengerWinPayout(PAYOUT));
    });

    it(`${name}: socks that win hold every slot: the queued honest challenger's bond is refunded in full`, async () => {
      const { b, who, start } = await make();
      const liar: Party = { address: who[1]!, actor: dishonest(world, 10n) };
      // socks the claimer lets win (it never moves in their games): the first win rejects the claim
      const winners: Party[] = thrownSocks(who).map((s) => ({ ...s, sock: true }));
      const h: Party = { address: who[6]!, actor: honest(world) };
      const r = await playClaim(b, liar, [...winners, h], { start });
      clock = r.end + 10;
      expect(r.claimStatus).toBe(ClaimStatus.Rejected);
      expect(r.games.some((g) => g.challenger === "honest")).toBe(false);
      expect(r.log.some((c) => c.op === "refundQueued" && c.from === h.address && c.position === 0)).toBe(true);
      expect(r.withdrawn.get(h.address)).toBe(PAYOUT.challengeBond);
      // refunded once: the position is empty now
      await expect(b.refundQueued!(h.address, r.end + 1, r.claimId, 0)).rejects.toMatchObject({ error: "NotQueued" });
      clock = r.end + 10;
    });

    it(`${name}: the honest party's binding move waits for a slot a game frees and is paid (1 - b) D`, async () => {
      const { b, who, start } = await make();
      const t = honest(world).trace;
      const word = (x: bigint) => AbiCoder.defaultAbiCoder().encode(["uint256"], [x]) as Hex;
      const fin = (x: bigint) => ({ finalRoot: t.rootAt(x), output: rootFromField(x), opening: word(x) });
      const check = { ...fin(N), startRoot: t.rootAt(0n), aux: "0x" as Hex, at: (x: bigint) => fin(x < N ? x : N) };
      // the liar's run is true, its output is not: a binding move rejects the claim
      const liar: Party = { address: who[1]!, actor: honest(world) };
      const h: Party = { address: who[6]!, actor: { ...honest(world), check } };
      const r = await playClaim(b, liar, [...thrownSocks(who), h], { start, output: rootFromField(N + 1n) });
      clock = r.end + 10;
      expect(r.claimStatus).toBe(ClaimStatus.Rejected);
      expect(r.log.some((c) => c.op === "disputeOutput" && c.from === h.address)).toBe(true);
      const d = slotCollateral(PAYOUT);
      expect(r.withdrawn.get(h.address)).toBe(d - (d * BigInt(PAYOUT.burnBps)) / BPS);
    });

    it(`${name}: with every slot held by games a binding move reverts NoFreeSlot (nothing derived, nothing paid)`, async () => {
      const { b, who, start } = await make();
      const t = honest(world).trace;
      const claim = {
        programHash: b.programHash!,
        inputHash: keccak256("0x") as Hex,
        output: rootFromField(N + 1n),
        startRoot: t.rootAt(0n),
        finalRoot: t.rootAt(N),
        steps: N,
      };
      let at = start;
      const { claimId } = await b.claim(who[1]!, at, claim, "0x");
      for (const s of thrownSocks(who)) await b.challenge(s.address, ++at, claimId);
      expect(await b.bindingMovePaid!(claimId)).toBe(false);
      const opening = AbiCoder.defaultAbiCoder().encode(["uint256"], [N]) as Hex;
      await expect(b.disputeOutput!(who[6]!, ++at, claimId, opening)).rejects.toMatchObject({ error: "NoFreeSlot" });
      expect(b.claimStatus(claimId)).toBe(ClaimStatus.Pending);
      clock = at + 10;
    });
  }
});
