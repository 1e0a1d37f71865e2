/**
 * Property tests of the in-memory game model over random k, m, N, phase layouts and adversaries
 * (counting machine, protocol/trace/counting.ts). ZKFP_HEAVY=1 plays 10x more games.
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { DisputeModel, ClaimStatus, GameStatus, type ModelPhase } from "./model.ts";
import { ModelBackend } from "./backend.ts";
import { rounds } from "./spacing.ts";
import { isRevert } from "./errors.ts";
import { playClaim, type Party } from "../actors/play.ts";
import * as A from "../actors/actor.ts";
import { countingArbitrator, countingLink } from "../trace/counting.ts";

const HEAVY = !!process.env.ZKFP_HEAVY;
// the payout rule's shape (protocol/economics/payout.ts) at small amounts: 4 slots, b = 75 %
const CFG = {
  claimBond: 4000n,
  challengeBond: 100n,
  burnBps: 7500,
  slots: 4,
  clockBudget: 1_000_000,
  challengeWindow: 3600,
  daWindow: 1800,
};

type Kind = "honest" | "dishonest" | "phaseLiar" | "contrarian" | "lazy" | "staller" | "stallerLiar";
const kinds: Kind[] = ["honest", "dishonest", "phaseLiar", "contrarian", "lazy", "staller", "stallerLiar"];

const arbLayout = fc
  .integer({ min: 1, max: 3 })
  .chain((P) =>
    fc.tuple(
      fc.array(fc.integer({ min: 1, max: 63 }), { minLength: P, maxLength: P }),
      fc.array(fc.bigInt({ min: 1n, max: 1024n }), { minLength: P, maxLength: P }),
      P === 1
        ? fc.tuple(fc.bigInt({ min: 1n, max: 1n << 40n }))
        : fc.array(fc.bigInt({ min: 1n, max: P === 2 ? 1n << 16n : 1n << 10n }), { minLength: P, maxLength: P }),
    ),
  );

function actor(w: A.World, sizes: bigint[], kind: Kind, seed: bigint): A.Actor {
  const total = sizes.reduce((a, b) => a * b, 1n);
  const step = 1n + (seed % total);
  const p = Number(seed % BigInt(sizes.length));
  switch (kind) {
    case "honest":
      return A.honest(w);
    case "dishonest":
      return A.dishonest(w, step);
    case "phaseLiar":
      return A.phaseLiar(w, p, seed % sizes[p]!);
    case "contrarian":
      return A.contrarian(w);
    case "lazy":
      return A.lazy(A.dishonest(w, step), Number(seed % 5n));
    case "staller":
      return A.staller(A.honest(w));
    case "stallerLiar":
      return A.staller(A.dishonest(w, step));
  }
}
const honestKind = (k: Kind) => k === "honest" || k === "staller";

describe("dispute game model (property tests)", () => {
  it(`the honest side wins, rounds are exact per phase, and money is conserved (${HEAVY ? 100_000 : 10_000} games)`, async () => {
    let games = 0;
    await fc.assert(
      fc.asyncProperty(
        arbLayout,
        fc.constantFrom(...kinds),
        fc.array(fc.constantFrom(...kinds), { minLength: 1, maxLength: 3 }),
        fc.bigInt({ min: 0n, max: 1n << 60n }),
        async ([ks, ms, sizes], claimerKind, challengerKinds, seed) => {
          const P = sizes.length;
          const phases: ModelPhase[] = sizes.map((_, i) => ({
            k: ks[i]!,
            m: ms[i]!,
            arbitrator: i === P - 1 ? countingArbitrator(P - 1) : undefined,
            link: i < P - 1 ? countingLink(sizes, i) : undefined,
          }));
          const model = new DisputeModel(CFG, phases);
          const b = new ModelBackend(model);
          const w = A.countingWorld(sizes);
          const claimer: Party = { address: "0xc0", actor: actor(w, sizes, claimerKind, seed) };
          const challengers: Party[] = challengerKinds.map((k, i) => ({
            address: `0xa${i}`,
            actor: actor(w, sizes, k, seed * 31n + BigInt(i) * 7n),
          }));
          const r = await playClaim(b, claimer, challengers, { start: 1_000 });
          games += r.games.length;
          const claimTrue = claimer.actor.trace.rootAt(sizes[0]!) === A.honest(w).trace.rootAt(sizes[0]!);
          for (const g of r.games) {
            const ch = challengers.find((c) => c.actor.name === g.challenger)!;
            const gs = model.games.get(g.gameId)!;
            expect(gs.status === GameStatus.ClaimerWon || gs.status === GameStatus.ChallengerWon).toBe(true);
            if (honestKind(claimerKind)) expect(g.winner).toBe("claimer");
            const chKind = challengerKinds[challengers.indexOf(ch)]!;
            if (honestKind(chKind)) expect(g.winner).toBe("challenger");
          }
          // A false claim challenged by an honest party is rejected; a true one is never rejected.
          if (!claimTrue && challengerKinds.some(honestKind)) expect(r.claimStatus).toBe(ClaimStatus.Rejected);
          if (honestKind(claimerKind)) expect(r.claimStatus).toBe(ClaimStatus.Accepted);
          // Exact rounds: every game that reached a leaf of the last phase (no timeout) went down R levels in each phase.
          for (const g of r.games) {
            if (g.byTimeout) continue;
            const opens = r.log.filter((c) => c.op === "openSubgame" && c.gameId === g.gameId);
            let steps = sizes[0]!;
            for (let p = 0; p < P; p++) {
              expect(g.roundsPerPhase[p]).toBe(rounds(steps, ks[p]!, ms[p]!));
              if (p < P - 1) {
                const o = opens[p];
                if (o?.op !== "openSubgame") throw new Error("missing sub-game");
                steps = o.opening.innerSteps;
              }
            }
          }
          // No funds stuck: after settlement and withdrawals only the burn is left.
          expect(model.locked()).toBe(0n);
          expect(model.balance).toBe(model.burned);
          for (const v of model.credit.values()) expect(v).toBe(0n);
        },
      ),
      { numRuns: HEAVY ? 100_000 : 10_000, seed: 0x7a6b },
    );
    expect(games).toBeGreaterThanOrEqual(10_000);
  });

  it("rejects moves out of turn, after the clock, and timeouts before it", () => {
    const sizes = [1000n];
    const model = new DisputeModel(CFG, [{ k: 3, m: 1n, arbitrator: countingArbitrator(0) }]);
    const w = A.countingWorld(sizes);
    const honest = w({ kind: "none" });
    const id = model.claim(
      { sender: "0xc0", now: 0, value: CFG.claimBond },
      {
        programHash: "0x00",
        inputHash: "0x00",
        output: "0x00",
        startRoot: honest.rootAt(0n),
        finalRoot: honest.rootAt(1000n),
        steps: 1000n,
      },
    );
    const gid = model.challenge({ sender: "0xa0", now: 1, value: 100n }, id);
    const n = model.checkpointCount(gid);
    const roots = [256n, 512n, 768n].slice(0, n).map((x) => honest.rootAt(x));
    const expectRevert = (f: () => void, name: string) => {
      try {
        f();
      } catch (e) {
        expect(isRevert(e, name)).toBe(true);
        return;
      }
      throw new Error(`expected ${name}`);
    };
    expectRevert(() => model.postCheckpoints({ sender: "0xa0", now: 2 }, gid, roots), "NotYourTurn");
    expectRevert(() => model.chooseSegment({ sender: "0xa0", now: 2 }, gid, 0), "NotYourTurn");
    expectRevert(() => model.timeout({ sender: "0xa0", now: 1 + CFG.clockBudget }, gid), "ClockNotExpired");
    expectRevert(() => model.postCheckpoints({ sender: "0xc0", now: 2 + CFG.clockBudget }, gid, roots), "ClockExpired");
    model.postCheckpoints({ sender: "0xc0", now: 1 + CFG.clockBudget }, gid, roots);
    expect(model.game(gid).clockClaimer).toBe(0);
    expectRevert(() => model.chooseSegment({ sender: "0xa0", now: 5 + CFG.clockBudget }, gid, 9), "SegmentOutOfRange");
  });
});
