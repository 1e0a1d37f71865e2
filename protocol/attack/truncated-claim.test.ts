/**
 * ATTACK (red team): a claim over a TRUNCATED run wins against the honest protocol/ driver.
 *
 * The liar claims "fib.elf on input 0x exits 0 with output X" with the true start root, a step
 * count N' = N - 1 one short of the real halt N, the TRUE (not yet halted) state root at N' as its
 * final root, and any output X. Every root the liar posts is true, so:
 *   - the honest challenger of protocol/actors/play.ts compares only final roots
 *     (`view.rootAt(view.steps) === claim.finalRoot`), sees rootAt(N) != finalRoot and challenges;
 *   - it agrees with every checkpoint, disputes the last segment each round, and the liar proves
 *     the last step with the real one-step verifier: the honest challenger LOSES its bond;
 *   - the claim is then finalized ACCEPTED with output X, though its final state has not exited
 *     (RV32IMClaimBinding.outputOf opens it to NO_OUTPUT; the second test shows `disputeOutput`
 *     would reject it - but the honest driver never calls it, and cannot as it only opens its own
 *     final root).
 * The same shape works on the two-phase ML claims (steps = opCount - 1, final root = the true
 * graph root with the output node's slot still empty) and against the engine branch's driver, which
 * calls disputeOutput only when `claim.finalRoot === its own final root`.
 * Third test, the mirror image: a claim LONGER than the run (N' = 2N, true roots up to the halt,
 * garbage after it, garbage output). The honest challenger challenges, then asks its trace for its
 * root at a checkpoint index past the halt: VmStepMachine.stateRoot throws TraceError("step outside
 * the run") instead of answering the halted fixed point, the driver (playClaim) rethrows it, the
 * honest side never moves again, its clock runs out and the false claim is accepted.
 * These tests assert the liar's win; it fails once the honest driver is fixed (compare the claim
 * against its own root AT claim.steps, and open THAT state for disputeOutput) or the contract makes
 * the claimer open its output at claim time.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { AbiCoder } from "ethers";
import { startAnvil, type Chain } from "../chain/anvil.ts";
import { ChainBackend } from "../chain/backend.ts";
import { playClaim } from "../actors/play.ts";
import * as A from "../actors/actor.ts";
import { ClaimStatus, GameStatus } from "../game/model.ts";
import { rv32imTrace } from "../trace/rv32im.ts";
import { lie } from "../trace/alphabet.ts";
import { TraceError } from "../trace/types.ts";
import { payoutConfig } from "../economics/payout.ts";
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
  const [w] = abi.decode(["uint256[165]"], await t.leafProof(i, 1n));
  return (w as bigint[]).slice(0, 12).map((x) => BigInt(x));
}

describe("attack: truncated-run claim vs the honest protocol driver", () => {
  it("the honest challenger loses its bond and the false claim (not halted, output X) is accepted", async () => {
    const elf = new URL("../../vm/guests/bin/fib.elf", import.meta.url).pathname;
    const { trace } = await rv32imTrace({ elf });
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

    expect(r.games).toHaveLength(1); // the honest driver challenged (final roots differ) ...
    expect(r.games[0]!.winner).toBe("claimer"); // ... and lost: every root the liar posted is true
    expect(backend.view(r.games[0]!.gameId).status).toBe(GameStatus.ClaimerWon);
    expect(r.claimStatus).toBe(ClaimStatus.Accepted); // ATTACK: output X accepted for a run that never exited
    expect(r.withdrawn.get(challenger)).toBeUndefined(); // the honest challenger got nothing back
    const b = CFG.challengeBond, burn = (b * BigInt(CFG.burnBps)) / 10_000n;
    expect(r.withdrawn.get(claimer)).toBe(CFG.claimBond + b - burn); // the liar: full stake + (1 - b) B
  });

  it("the contract could have rejected it: disputeOutput with the opening of the claimed final state", async () => {
    const elf = new URL("../../vm/guests/bin/fib.elf", import.meta.url).pathname;
    const { trace } = await rv32imTrace({ elf });
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

  it("a claim LONGER than the run crashes the honest driver (TraceError); its clock runs out and the false claim is accepted", async () => {
    const elf = new URL("../../vm/guests/bin/fib.elf", import.meta.url).pathname;
    const { trace } = await rv32imTrace({ elf });
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
    // the honest challenger challenges (final roots differ), then cannot compute its own root at the
    // liar's checkpoint indices past the halt: VmStepMachine.stateRoot throws "step outside the run"
    await expect(playClaim(backend, { address: claimer, actor: liar }, [{ address: challenger, actor: honest }], { start, output }))
      .rejects.toBeInstanceOf(TraceError);
    const v = backend.view(1);
    expect(v.status).toBe(GameStatus.ChallengerToMove); // stuck on the honest side's move
    const at = v.lastMove + v.clockChallenger + 1;
    await backend.timeout(claimer, at, 1);
    expect(backend.view(1).status).toBe(GameStatus.ClaimerWon);
    await backend.finalizeClaim(claimer, Math.max(at, backend.claimDeadline(1)) + 1, 1);
    expect(backend.claimStatus(1)).toBe(ClaimStatus.Accepted); // ATTACK: garbage final root and output accepted
    clock = Math.max(at, backend.claimDeadline(1)) + 10;
  });
});
