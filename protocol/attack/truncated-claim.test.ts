/**
 * Red-team attacks (issue 11 follow-up) on the honest RV32IM driver, as tests the liar LOSES.
 *
 * 1. Truncated run. The liar claims "fib.elf on input 0x exits 0 with output X" with the true start
 *    root, a step count N' = N - 1 one short of the real halt N, the TRUE (not yet halted) state root
 *    at N' as its final root, and any output X. Every root it posts is true, so a challenger that
 *    only compares final roots challenges and loses the game (the liar proves every step). The move
 *    that wins is `disputeOutput` with the opening of the claimed final state: RV32IMClaimBinding
 *    opens it to NO_OUTPUT (not exited(0)) != X, so the claim is rejected (second test, passes now).
 * 2. Over-long run. N' = 2N, true roots up to the halt, garbage after it and a garbage output. The
 *    honest challenger's trace must answer the halted fixed point for every index past the halt
 *    (vm/trace.ts does; vm/STATE.md); it then disputes the first garbage root and wins the leaf.
 *
 * The driver side (the honest challenger calls disputeOutput when the claimed final state is not
 * exited(0); its RV32IM trace answers past the halt) belongs to the dispute engine (branch `engine`,
 * which replaces protocol/actors and protocol/trace). Until it lands, the two driver tests below are
 * in a describe.skip whose title says so: with today's protocol/actors the honest side still loses
 * them (test 1: it challenges and loses its bond; test 2: VmStepMachine throws TraceError "step
 * outside the run"). The contract side is in place and tested (second test; vm/commitment.test.ts).
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { AbiCoder } from "ethers";
import { startAnvil, type Chain } from "../chain/anvil.ts";
import { ChainBackend } from "../chain/backend.ts";
import { playClaim } from "../actors/play.ts";
import * as A from "../actors/actor.ts";
import { ClaimStatus, GameStatus } from "../game/model.ts";
import { rv32imTrace } from "../trace/rv32im.ts";
import { oneStepLeaf } from "../trace/leaf.ts";
import { lie } from "../trace/alphabet.ts";
import { payoutConfig, claimerWinPayout } from "../economics/payout.ts";
import { rv32imProgram } from "../link/rv32im.ts";
import type { PhaseTrace } from "../trace/types.ts";
import type { Hex } from "../game/types.ts";

const CFG = payoutConfig({ clockBudget: 100_000, challengeWindow: 3600, daWindow: 1800 });
const P = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const abi = AbiCoder.defaultAbiCoder();
const K = 63; // checkpoints per round (few rounds: the test stays fast)

let chain: Chain;
let accounts: string[];
let clock = 1_700_000_100;

beforeAll(async () => {
  chain = await startAnvil({ accounts: 6 });
  accounts = (await chain.provider.send("eth_accounts", [])).map((a: string) => a.toLowerCase());
});
afterAll(async () => {
  await chain?.stop();
});

async function tick(): Promise<number> {
  clock = Math.max(clock, (await chain.provider.getBlock("latest"))!.timestamp + 1);
  return clock;
}

/** The honest trace cut at `steps` (all roots true). */
function truncated(t: PhaseTrace, steps: bigint): PhaseTrace {
  return { phase: t.phase, steps, rootAt: (i) => t.rootAt(i), leafProof: (i, s) => t.leafProof(i, s), open: (i, s) => t.open(i, s) };
}

/** The 12 state fields of state t: the first 12 words of the step witness of t -> t + 1. */
async function fieldsAt(t: PhaseTrace, i: bigint): Promise<bigint[]> {
  const [w] = abi.decode(["uint256[165]"], (await t.leafProof(i, 1n)).proof);
  return (w as bigint[]).slice(0, 12).map((x) => BigInt(x));
}

describe("truncated / over-long RV32IM claims: the contract rejects them", () => {
  it("the contract could have rejected it: disputeOutput with the opening of the claimed final state", async () => {
    const elf = new URL("../../vm/guests/bin/fib.elf", import.meta.url).pathname;
    const trace = await rv32imTrace({ elf, leaf: oneStepLeaf });
    const { backend } = await ChainBackend.deployRv32im(chain, accounts[0]!, CFG, K, await rv32imProgram(elf));
    const cut = trace.steps - 1n;
    const last = await fieldsAt(trace, cut);
    const output = ("0x" + ((last[9]! + 1n) % P).toString(16).padStart(64, "0")) as Hex;
    const input = "0x" as Hex;
    const { keccak256 } = await import("ethers");
    const { claimId } = await backend.claim(accounts[1]!, await tick(), {
      programHash: backend.programHash!, inputHash: keccak256(input) as Hex, output,
      startRoot: trace.rootAt(0n), finalRoot: trace.rootAt(cut), steps: cut,
    }, input);
    const opening = abi.encode(["uint256[12]"], [last]) as Hex;
    await backend.disputeOutput(accounts[3]!, await tick(), claimId, opening);
    expect(backend.claimStatus(claimId)).toBe(ClaimStatus.Rejected);
  });

});

describe.skip("needs the dispute engine's honest actor (branch engine): disputeOutput on a non-exited final state, roots past the halt; today's protocol/actors loses both", () => {
  it("truncated run: the honest challenger rejects the claim with disputeOutput (the claimed final state has not exited) and the liar loses its stake", async () => {
    const elf = new URL("../../vm/guests/bin/fib.elf", import.meta.url).pathname;
    const trace = await rv32imTrace({ elf, leaf: oneStepLeaf });
    const { backend } = await ChainBackend.deployRv32im(chain, accounts[0]!, CFG, K, await rv32imProgram(elf));
    const n = trace.steps;
    const cut = n - 1n;
    const last = await fieldsAt(trace, cut); // the state the liar claims as final: not halted
    expect(last[2]).toBe(0n); // status running
    const output = ("0x" + ((last[9]! + 1n) % P).toString(16).padStart(64, "0")) as Hex; // a wrong answer X

    const honest: A.Actor = { ...A.honest(() => trace), name: "honest" };
    const liar: A.Actor = { ...honest, name: "truncating liar", trace: truncated(trace, cut), challengeAlways: false };
    const claimer = accounts[1]!, challenger = accounts[2]!;
    const r = await playClaim(backend, { address: claimer, actor: liar }, [{ address: challenger, actor: honest }], { start: await tick(), output });
    clock = r.end + 10;

    expect(r.claimStatus).toBe(ClaimStatus.Rejected); // output X for a run that never exited: rejected
    expect(r.games.every((g) => g.winner !== "claimer")).toBe(true); // the honest side does not play a game it cannot win
    expect(r.withdrawn.get(claimer) ?? 0n).toBeLessThan(CFG.claimBond / 2n); // the liar loses >= half its stake
    expect(r.withdrawn.get(claimer) ?? 0n).not.toBe(CFG.claimBond + claimerWinPayout({ ...CFG, slots: CFG.slots ?? 1 }));
  });

  it("over-long run: the honest challenger answers the halted fixed point past the halt, wins the first garbage step, and the claim is rejected", async () => {
    const elf = new URL("../../vm/guests/bin/fib.elf", import.meta.url).pathname;
    const trace = await rv32imTrace({ elf, leaf: oneStepLeaf });
    const { backend } = await ChainBackend.deployRv32im(chain, accounts[0]!, CFG, K, await rv32imProgram(elf));
    const n = trace.steps;
    // the liar: true roots up to the halt, garbage after it (final root and output both false)
    const long: PhaseTrace = {
      phase: 0, steps: 2n * n,
      rootAt: (i) => (i <= n ? trace.rootAt(i) : lie(trace.rootAt(n))),
      leafProof: (i, s) => trace.leafProof(i, s), open: (i, s) => trace.open(i, s),
    };
    const output = ("0x" + "00".repeat(31) + "2a") as Hex;
    const honest: A.Actor = { ...A.honest(() => trace), name: "honest" };
    const liar: A.Actor = { ...honest, name: "over-long liar", trace: long, challengeAlways: false };
    const claimer = accounts[1]!, challenger = accounts[2]!;
    const start = await tick();
    const r = await playClaim(backend, { address: claimer, actor: liar }, [{ address: challenger, actor: honest }], { start, output });
    clock = r.end + 10;
    expect(r.claimStatus).toBe(ClaimStatus.Rejected);
    expect(r.games.some((g) => g.winner === "challenger")).toBe(true);
    expect(backend.view(r.games[0]!.gameId).status).toBe(GameStatus.ChallengerWon);
  });
});
