/**
 * Full games on one anvil (started here, stopped in afterAll): the actor zoo over one- and
 * two-phase alphabet games (>= 32 games), the event watcher against the contract's storage, and
 * the differential test that replays the in-memory model's calls on chain and compares every game,
 * claim and credit after each call, including calls that must revert (same error name).
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startAnvil, type Chain } from "./anvil.ts";
import { ChainBackend } from "./backend.ts";
import { Watcher } from "./watcher.ts";
import { playClaim, type LoggedCall, type Party } from "../actors/play.ts";
import * as A from "../actors/actor.ts";
import { DisputeModel, GameStatus, commitOf, ClaimStatus } from "../game/model.ts";
import { ModelBackend, type GameBackend } from "../game/backend.ts";
import { GameRevert } from "../game/errors.ts";
import type { PhaseParams } from "../game/types.ts";
import { alphabetArbitrator, merklePhaseLink } from "../trace/alphabet.ts";
import { keccak256 } from "ethers";
import { rv32imTrace } from "../trace/rv32im.ts";
import { oneStepLeaf } from "../trace/leaf.ts";
import { lyingTrace } from "../trace/lying.ts";
import { checkpointIndices, rounds } from "../game/spacing.ts";
import { payoutConfig } from "../economics/payout.ts";
import { encodeWord } from "./claims.ts";
import { alphabetBinding } from "../link/alphabet.ts";
import { rv32imProgram } from "../link/rv32im.ts";

const CFG = payoutConfig({ clockBudget: 100_000, challengeWindow: 3600, daWindow: 1800 });

let chain: Chain;
let accounts: string[];
let clock = 1_700_000_100;

beforeAll(async () => {
  chain = await startAnvil({ accounts: 12 });
  accounts = (await chain.provider.send("eth_accounts", [])).map((a: string) => a.toLowerCase());
});
afterAll(async () => {
  await chain?.stop();
});

/** Next free virtual time: after our last call and after any block mined meanwhile (deployments). */
async function tick(): Promise<number> {
  clock = Math.max(clock, (await chain.provider.getBlock("latest"))!.timestamp + 1);
  return clock;
}

type Scenario = {
  sizes: bigint[];
  phases: PhaseParams[];
  claimer: (w: A.World) => A.Actor;
  challengers: ((w: A.World) => A.Actor)[];
};

function scenarios(): Scenario[] {
  const layouts: { sizes: bigint[]; phases: PhaseParams[] }[] = [
    { sizes: [1n << 20n], phases: [{ k: 7, m: 16n }] },
    { sizes: [1n << 40n], phases: [{ k: 63, m: 1024n }] },
    { sizes: [1000n], phases: [{ k: 2, m: 3n }] },
    {
      sizes: [300n, 77n],
      phases: [
        { k: 3, m: 1n },
        { k: 7, m: 4n },
      ],
    },
    {
      sizes: [5n, 1n << 20n],
      phases: [
        { k: 1, m: 2n },
        { k: 15, m: 64n },
      ],
    },
  ];
  const out: Scenario[] = [];
  for (const L of layouts) {
    const total = L.sizes.reduce((a, b) => a * b, 1n);
    out.push({
      ...L,
      claimer: (w) => A.honest(w),
      challengers: [(w) => A.dishonest(w, total / 3n), (w) => A.contrarian(w)],
    });
    out.push({
      ...L,
      claimer: (w) => A.dishonest(w, total / 2n),
      challengers: [(w) => A.honest(w), (w) => A.contrarian(w)],
    });
    out.push({ ...L, claimer: (w) => A.staller(A.dishonest(w, 3n)), challengers: [(w) => A.staller(A.honest(w))] });
    out.push({
      ...L,
      claimer: (w) => A.staller(A.honest(w)),
      challengers: [(w) => A.lazy(A.dishonest(w, 1n), 3), (w) => A.phaseLiar(w, L.sizes.length - 1, 2n)],
    });
    out.push({ ...L, claimer: (w) => A.phaseLiar(w, 0, 1n), challengers: [(w) => A.honest(w)] });
    out.push({ ...L, claimer: (w) => A.lazy(A.honest(w), 2), challengers: [(w) => A.dishonest(w, 1n)] });
  }
  return out;
}

async function deploy(phases: PhaseParams[], sizes?: bigint[]): Promise<ChainBackend> {
  return (await ChainBackend.deployAlphabet(chain, accounts[0]!, CFG, phases, sizes)).backend;
}

describe("dispute games on anvil", () => {
  it("plays >= 32 full games between the actor zoo; the honest side always wins and the watcher rebuilds every game", async () => {
    let games = 0;
    const backends = new Map<string, ChainBackend>();
    for (const s of scenarios()) {
      const key = JSON.stringify([s.phases, s.sizes], (_, v) => (typeof v === "bigint" ? v.toString() : v));
      if (!backends.has(key)) backends.set(key, await deploy(s.phases, s.sizes));
      const b = backends.get(key)!;
      const w = A.alphabetWorld(s.sizes);
      const claimer: Party = { address: accounts[1]!, actor: s.claimer(w) };
      const challengers = s.challengers.map((f, i) => ({ address: accounts[2 + i]!, actor: f(w) }));
      const r = await playClaim(b, claimer, challengers, { start: await tick() });
      clock = r.end + 10;
      const honestRoot = A.honest(w).trace.rootAt(s.sizes[0]!);
      const claimTrue = claimer.actor.trace.rootAt(s.sizes[0]!) === honestRoot;
      const isHonest = (a: A.Actor) => a.name === "honest" || a.name === "staller(honest)";
      for (const g of r.games) {
        games++;
        const ch = challengers.find((c) => c.actor.name === g.challenger)!;
        if (isHonest(claimer.actor)) expect(g.winner, `${claimer.actor.name} vs ${g.challenger}`).toBe("claimer");
        if (isHonest(ch.actor)) expect(g.winner, `${claimer.actor.name} vs ${g.challenger}`).toBe("challenger");
        const on = await b.onchainGame(g.gameId);
        expect(on.status).toBe(g.winner === "claimer" ? GameStatus.ClaimerWon : GameStatus.ChallengerWon);
      }
      if (!claimTrue && challengers.some((c) => isHonest(c.actor))) expect(r.claimStatus).toBe(ClaimStatus.Rejected);
      // Everyone withdrew: only the burn is left in the contract... of this claim (others settled before).
    }
    expect(games).toBeGreaterThanOrEqual(32);
    for (const b of backends.values()) {
      expect(await chain.provider.getBalance(b.address)).toBe(b.watcher.burned);
      const rebuilt = await Watcher.rebuild(chain.provider, b.address, b.iface, CFG.clockBudget);
      expect(rebuilt.games.size).toBe(b.watcher.games.size);
      for (const [gid, g] of rebuilt.games) {
        const on = await b.onchainGame(gid);
        expect({
          lo: g.lo,
          hi: g.hi,
          phase: g.phase,
          level: g.level,
          status: g.status,
          clockClaimer: g.clockClaimer,
          clockChallenger: g.clockChallenger,
          lastMove: g.lastMove,
        }).toEqual({
          lo: on.lo,
          hi: on.hi,
          phase: on.phase,
          level: on.level,
          status: on.status,
          clockClaimer: on.clockClaimer,
          clockChallenger: on.clockChallenger,
          lastMove: on.lastMove,
        });
        expect(commitOf({ ...g, challenger: g.challenger, claimId: g.claimId })).toBe(on.commit);
      }
      for (const [cid, c] of rebuilt.claims) expect(c.status).toBe((await b.onchainClaim(cid)).status);
    }
  });

  it("replays the model's calls on chain with identical state after every call (differential)", async () => {
    const layouts: { sizes: bigint[]; phases: PhaseParams[] }[] = [
      { sizes: [4096n], phases: [{ k: 7, m: 4n }] },
      {
        sizes: [100n, 33n],
        phases: [
          { k: 3, m: 2n },
          { k: 2, m: 1n },
        ],
      },
    ];
    let compared = 0;
    for (const L of layouts) {
      const total = L.sizes.reduce((a, b) => a * b, 1n);
      const mphases = L.phases.map((p, i) => ({
        ...p,
        arbitrator: i === L.phases.length - 1 ? alphabetArbitrator : undefined,
        link: i < L.phases.length - 1 ? merklePhaseLink(1) : undefined,
      }));
      const model = new DisputeModel(CFG, mphases, alphabetBinding(L.sizes));
      const w = A.alphabetWorld(L.sizes);
      const claimer: Party = { address: accounts[5]!, actor: A.dishonest(w, total / 3n) };
      const challengers: Party[] = [
        { address: accounts[6]!, actor: A.contrarian(w) },
        { address: accounts[7]!, actor: A.staller(A.honest(w)) },
        { address: accounts[8]!, actor: A.lazy(A.dishonest(w, 2n), 4) },
      ];
      const chainB = await deploy(L.phases, L.sizes);
      const start = await tick();
      const modelB = new ModelBackend(model);
      // Replay each model call on chain right after the model makes it, then compare everything.
      const r = await playClaim(modelB, claimer, challengers, {
        start,
        onCall: async (c) => {
          await replay(chainB, c);
          compared += await compare(model, chainB, [claimer.address, ...challengers.map((x) => x.address)]);
          await probeReverts(model, chainB, c);
        },
      });
      clock = r.end + 10;
      expect(r.games.length).toBe(3);
    }
    expect(compared).toBeGreaterThan(50);
  });
});

describe("RV32IM disputes on anvil", () => {
  it("plays a guest's run against the on-chain one-step verifier: the honest side wins both ways", async () => {
    const elf = new URL("../../vm/guests/bin/fib.elf", import.meta.url).pathname;
    const trace = await rv32imTrace({ elf, leaf: oneStepLeaf });
    const { backend } = await ChainBackend.deployRv32im(chain, accounts[0]!, CFG, 15, await rv32imProgram(elf));
    const honest: A.Actor = { ...A.honest(() => trace), name: "honest" };
    const liar: A.Actor = {
      ...honest,
      name: "liar",
      trace: lyingTrace(trace, trace.steps / 2n),
      challengeAlways: true,
    };
    for (const [claimer, challenger, winner] of [
      [honest, liar, "claimer"],
      [liar, honest, "challenger"],
    ] as const) {
      const r = await playClaim(
        backend,
        { address: accounts[1]!, actor: claimer },
        [{ address: accounts[2]!, actor: challenger }],
        { start: await tick() },
      );
      clock = r.end + 10;
      expect(r.games[0]!.winner).toBe(winner);
      expect(r.games[0]!.roundsPerPhase).toEqual([rounds(trace.steps, 15, 1n)]);
      if (winner === "claimer") expect(r.games[0]!.byOp.proveLeaf!.gas).toBeGreaterThan(500_000n); // a real one-step verification
    }
  });
});

describe("challenge queue on anvil", () => {
  it("queue: model and contract agree on queueing, the head's game opening, rejection and refunds", async () => {
    const chainB = await deploy([{ k: 3, m: 1n }]);
    const mb = new ModelBackend(
      new DisputeModel(CFG, [{ k: 3, m: 1n, arbitrator: alphabetArbitrator }], alphabetBinding([1n])),
    );
    const model = mb.model;
    const slots = CFG.slots!;
    const t = A.honest(A.alphabetWorld([100n])).trace;
    const claim = {
      programHash: alphabetBinding([1n]).programHash,
      inputHash: keccak256("0x") as `0x${string}`,
      output: ("0x" + "00".repeat(32)) as `0x${string}`,
      startRoot: t.rootAt(0n),
      finalRoot: t.rootAt(100n),
      steps: 100n,
    };
    const [claimer, h, late] = [accounts[1]!, accounts[2]!, accounts[3]!];
    const socks = accounts.slice(4, 4 + slots);
    /** The same call on both backends: same result (or the same error name), same state after it. */
    const both = async <T>(f: (b: GameBackend) => Promise<T>): Promise<[T | string, T | string]> => {
      const run = async (b: GameBackend) => {
        try {
          return await f(b);
        } catch (e) {
          if (!(e instanceof GameRevert)) throw e;
          return e.error;
        }
      };
      const r: [T | string, T | string] = [await run(mb), await run(chainB)];
      await compare(model, chainB, [claimer, h, late, ...socks]);
      return r;
    };
    let at = await tick();
    await both((b) => b.claim(claimer, at, claim, "0x"));
    const games: number[] = [];
    for (const s of socks) {
      at += 1;
      const [m, c] = await both((b) => b.challenge(s, at, 1));
      expect((m as { gameId: number }).gameId).toBe((c as { gameId: number }).gameId);
      games.push((c as { gameId: number }).gameId);
    }
    // every slot held: H and then a late sock are queued, first come first served
    at += 1;
    const [mq, cq] = await both((b) => b.challenge(h, at, 1));
    expect(cq).toMatchObject({ gameId: 0, queued: 0 });
    expect(mq).toMatchObject({ gameId: 0, queued: 0 });
    at += 1;
    expect((await both((b) => b.challenge(late, at, 1)))[1]).toMatchObject({ gameId: 0, queued: 1 });
    at += 1;
    expect(await both((b) => b.refundQueued!(h, at, 1, 0))).toEqual(["ClaimNotRejected", "ClaimNotRejected"]);
    // the claimer posts in the first sock's game, the sock stalls: its timeout opens H's game
    const v = chainB.view(games[0]!);
    const roots = checkpointIndices(v, 3, 1n).map((i) => t.rootAt(i));
    at += 1;
    await both((b) => b.postCheckpoints(claimer, at, games[0]!, roots));
    at += CFG.clockBudget + 1;
    await both((b) => b.timeout(claimer, at, games[0]!));
    expect(mb.gamesOf(1)).toEqual(chainB.gamesOf(1));
    const hg = chainB.gamesOf(1).at(-1)!;
    expect(chainB.view(hg)).toMatchObject({ challenger: h, lastMove: at, status: GameStatus.ClaimerToMove });
    expect(await both((b) => b.finalizeClaim(claimer, at + CFG.challengeWindow + 1, 1))).toEqual([
      "GamesOpen",
      "GamesOpen",
    ]);
    // the claimer stalls in H's game: rejected; the late sock's queued bond is refunded once
    at += CFG.clockBudget + 1;
    await both((b) => b.timeout(h, at, hg));
    expect(chainB.claimStatus(1)).toBe(ClaimStatus.Rejected);
    at += 1;
    await both((b) => b.refundQueued!(late, at, 1, 1));
    at += 1;
    expect(await both((b) => b.refundQueued!(late, at, 1, 1))).toEqual(["NotQueued", "NotQueued"]);
    at += 1;
    expect(await both((b) => b.refundQueued!(h, at, 1, 0))).toEqual(["NotQueued", "NotQueued"]);
    expect(chainB.credit(late)).toBe(CFG.challengeBond);
    clock = at + 10;
  });
});

describe("data availability on anvil", () => {
  it("data availability: model and contract agree on publish, refund, reopened window and withheld input", async () => {
    const phases: PhaseParams[] = [{ k: 3, m: 1n }];
    const chainB = await deploy(phases);
    const model = new DisputeModel(CFG, [{ k: 3, m: 1n, arbitrator: alphabetArbitrator }], alphabetBinding([1n]));
    const input = "0xc0ffee" as const;
    const w = A.alphabetWorld([100n]);
    const t = A.honest(w).trace;
    const claim = {
      programHash: alphabetBinding([1n]).programHash,
      inputHash: keccak256(input) as `0x${string}`,
      output: ("0x" + "00".repeat(32)) as `0x${string}`,
      startRoot: t.rootAt(0n),
      finalRoot: t.rootAt(100n),
      steps: 100n,
    };
    const [claimer, requester] = [accounts[9]!, accounts[10]!];
    const both = async (
      at: number,
      from: string,
      fn: string,
      args: unknown[],
      value: bigint,
      m: () => void,
    ): Promise<string> => {
      let mErr = "ok";
      try {
        m();
      } catch (e) {
        mErr = (e as GameRevert).error;
      }
      let cErr = "ok";
      try {
        await chainB.send(from, at, fn, args, value);
      } catch (e) {
        cErr = (e as GameRevert).error ?? String(e);
      }
      expect(cErr).toBe(mErr);
      return mErr;
    };
    const check = async () => {
      for (const [cid, c] of model.claims) {
        expect(await chainB.onchainClaim(cid)).toEqual({
          status: c.status,
          openGames: c.openGames,
          availability: c.availability,
          deadline: c.deadline,
          stake: c.stake,
          slotsUsed: c.slotsUsed,
          queueHead: c.queueHead,
          queueTail: c.queueTail,
        });
      }
      for (const a of [claimer, requester])
        expect(await chainB.contract.getFunction("credit").staticCall(a)).toBe(model.credit.get(a) ?? 0n);
    };
    let at = await tick();
    const args = [claim.programHash, claim.inputHash, claim.output, claim.startRoot, claim.finalRoot, claim.steps];
    // 1: requested, wrong bytes rejected, published in time: refund and a reopened window.
    await both(at, claimer, "claimCommitted", args, CFG.claimBond, () =>
      model.claim({ sender: claimer, now: at, value: CFG.claimBond }, claim, false),
    );
    await both(at + 10, requester, "requestInput", [1], CFG.challengeBond, () =>
      model.requestInput({ sender: requester, now: at + 10, value: CFG.challengeBond }, 1),
    );
    expect(
      await both(at + 11, requester, "requestInput", [1], CFG.challengeBond, () =>
        model.requestInput({ sender: requester, now: at + 11, value: CFG.challengeBond }, 1),
      ),
    ).toBe("InputAlreadyRequested");
    expect(
      await both(at + 20, claimer, "publishInput", [1, "0xbeef"], 0n, () =>
        model.publishInput({ sender: claimer, now: at + 20 }, 1, "0xbeef"),
      ),
    ).toBe("InputMismatch");
    await both(at + 3000, claimer, "publishInput", [1, input], 0n, () =>
      model.publishInput({ sender: claimer, now: at + 3000 }, 1, input),
    );
    await check();
    // 2: requested and withheld: not before the deadline, then the claim loses.
    at += 4000;
    await both(at, claimer, "claimCommitted", args, CFG.claimBond, () =>
      model.claim({ sender: claimer, now: at, value: CFG.claimBond }, claim, false),
    );
    await both(at + 5, requester, "requestInput", [2], CFG.challengeBond, () =>
      model.requestInput({ sender: requester, now: at + 5, value: CFG.challengeBond }, 2),
    );
    expect(
      await both(at + 5 + CFG.daWindow, requester, "resolveWithheld", [2], 0n, () =>
        model.resolveWithheld({ sender: requester, now: at + 5 + CFG.daWindow }, 2),
      ),
    ).toBe("DataDeadlineNotPassed");
    expect(
      await both(at + 6 + CFG.daWindow, claimer, "publishInput", [2, input], 0n, () =>
        model.publishInput({ sender: claimer, now: at + 6 + CFG.daWindow }, 2, input),
      ),
    ).toBe("InputWithheld");
    await both(at + 6 + CFG.daWindow, requester, "resolveWithheld", [2], 0n, () =>
      model.resolveWithheld({ sender: requester, now: at + 6 + CFG.daWindow }, 2),
    );
    expect(model.claims.get(2)!.status).toBe(ClaimStatus.Rejected);
    await check();
    clock = at + 10_000;
  });
});

async function replay(b: GameBackend, c: LoggedCall): Promise<void> {
  switch (c.op) {
    case "claim":
      await b.claim(c.from, c.at, c.claim, c.input);
      break;
    case "challenge":
      await b.challenge(c.from, c.at, c.claimId);
      break;
    case "postCheckpoints":
      await b.postCheckpoints(c.from, c.at, c.gameId, c.roots);
      break;
    case "chooseSegment":
      await b.chooseSegment(c.from, c.at, c.gameId, c.index);
      break;
    case "proveLeaf":
      await b.proveLeaf(c.from, c.at, c.gameId, c.proof);
      break;
    case "openSubgame":
      await b.openSubgame(c.from, c.at, c.gameId, c.opening);
      break;
    case "timeout":
      await b.timeout(c.from, c.at, c.gameId);
      break;
    case "finalizeClaim":
      await b.finalizeClaim(c.from, c.at, c.claimId);
      break;
    case "refundQueued":
      await b.refundQueued!(c.from, c.at, c.claimId, c.position);
      break;
    case "withdraw":
      await b.withdraw(c.from, c.at);
      break;
  }
}

async function compare(model: DisputeModel, b: ChainBackend, accts: string[]): Promise<number> {
  let n = 0;
  for (const [gid, g] of model.games) {
    const on = await b.onchainGame(gid);
    expect(on).toEqual({
      challenger: g.challenger.toLowerCase(),
      claimId: g.claimId,
      lo: g.lo,
      hi: g.hi,
      clockClaimer: g.clockClaimer,
      clockChallenger: g.clockChallenger,
      lastMove: g.lastMove,
      phase: g.phase,
      level: g.level,
      status: g.status,
      commit: commitOf(g),
    });
    n++;
  }
  for (const [cid, c] of model.claims) {
    const on = await b.onchainClaim(cid);
    expect(on).toEqual({
      status: c.status,
      openGames: c.openGames,
      availability: c.availability,
      deadline: c.deadline,
      stake: c.stake,
      slotsUsed: c.slotsUsed,
      queueHead: c.queueHead,
      queueTail: c.queueTail,
    });
  }
  const credit = b.contract.getFunction("credit");
  for (const a of accts) expect(await credit.staticCall(a)).toBe(model.credit.get(a.toLowerCase()) ?? 0n);
  expect(await b.contract.getFunction("burned").staticCall()).toBe(model.burned);
  return n;
}

/** The error name a model call throws ("ok" when it succeeds). */
function name(f: () => unknown): string {
  try {
    f();
    return "ok";
  } catch (e) {
    return (e as GameRevert).error;
  }
}

/** The error name a chain call reverts with ("ok" when it succeeds). */
async function chainName(f: () => Promise<unknown>): Promise<string> {
  try {
    await f();
    return "ok";
  } catch (e) {
    return (e as GameRevert).error;
  }
}

/** After a move: the party that just moved may not move again, and a premature timeout fails - alike on both. */
async function probeReverts(model: DisputeModel, b: ChainBackend, c: LoggedCall): Promise<void> {
  if (c.op === "claim") {
    // binding moves against this claim (true start root, final root unopenable): same failure on both
    const id = model.claimCount;
    const probes: [() => unknown, () => Promise<unknown>, string][] = [
      [
        () => model.disputeStart({ sender: c.from, now: c.at }, id, c.input, "0x"),
        () => b.disputeStart(c.from, c.at, id, c.input, "0x"),
        "StartRootCorrect",
      ],
      [
        () => model.disputeStart({ sender: c.from, now: c.at }, id, "0xbeef", "0x"),
        () => b.disputeStart(c.from, c.at, id, "0xbeef", "0x"),
        "InputMismatch",
      ],
      [
        () => model.disputeStart({ sender: c.from, now: c.at }, id, c.input, "0x01"),
        () => b.disputeStart(c.from, c.at, id, c.input, "0x01"),
        "BadOpeningLength",
      ],
      [
        () => model.disputeOutput({ sender: c.from, now: c.at }, id, encodeWord(c.claim.steps)),
        () => b.disputeOutput(c.from, c.at, id, encodeWord(c.claim.steps)),
        "OpeningMismatch",
      ],
    ];
    for (const [m, ch, want] of probes) {
      const got = name(m);
      expect(got).toBe(want);
      expect(await chainName(ch)).toBe(got);
    }
    return;
  }
  if (c.op !== "postCheckpoints" && c.op !== "chooseSegment") return;
  const g = model.games.get(c.gameId)!;
  if (g.status !== GameStatus.ClaimerToMove && g.status !== GameStatus.ChallengerToMove) return;
  const mTimeout = name(() => model.timeout({ sender: c.from, now: c.at }, c.gameId));
  const cTimeout = await chainName(() => b.timeout(c.from, c.at, c.gameId));
  expect(cTimeout).toBe(mTimeout);
  expect(mTimeout).toBe("ClockNotExpired");
  if (c.op === "chooseSegment") {
    const mAgain = name(() => model.chooseSegment({ sender: c.from, now: c.at }, c.gameId, 0));
    const cAgain = await chainName(() =>
      b.contract
        .getFunction("chooseSegment")
        .staticCall(
          c.gameId,
          {
            pre: g.pre,
            post: g.post,
            cpRoot: g.pre,
            index: 0,
            left: g.pre,
            right: g.pre,
            leftProof: [],
            rightProof: [],
          },
          { from: c.from },
        )
        .catch((e) => {
          throw decode(b, e);
        }),
    );
    expect(cAgain).toBe(mAgain);
  }
}

function decode(b: ChainBackend, e: unknown): Error {
  const data = (e as { data?: string }).data;
  const p = data ? b.iface.parseError(data) : null;
  return p ? new GameRevert(p.name) : (e as Error);
}
