/**
 * Claims whose step count is not the run's (the red team's truncated/over-long claims, issue 11/12
 * follow-up), on anvil with fib.elf and the real RV32IM one-step verifier. The honest challenger's
 * view of a claim is its own state AT claim.steps (a halted state is a fixed point, vm/STATE.md):
 *   - one step short (true roots, final root = the true, not yet halted state N - 1, any output):
 *     that state holds no output (RV32IMClaimBinding.outputOf = NO_OUTPUT), so the honest challenger
 *     rejects the claim with disputeOutput and that state's opening, without a game;
 *   - twice too long with garbage after the halt: the honest roots past the halt repeat the halted
 *     root, the liar cannot prove a step out of the halted state and loses its game;
 *   - longer than the run with the true halted root but a wrong output: disputeOutput of the halted
 *     state at claim.steps.
 * Each ends Rejected with the honest challenger paid and the liar losing at least half of its
 * deposit (`checkOutcome`). The ML counterparts (graph claims one op short / twice too long) are in
 * zoo.test.ts and the campaigns (`ClaimLiar` shortClaim / longClaim).
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startAnvil, type Chain } from "../chain/anvil.ts";
import { ChainBackend } from "../chain/backend.ts";
import { playClaim, type Party } from "./play.ts";
import { checkOutcome } from "./campaign.ts";
import { longClaim, shortClaim } from "./liars.ts";
import type { Actor } from "./actor.ts";
import { ClaimStatus, GameStatus, NO_OUTPUT } from "../game/model.ts";
import { rv32imCheck, rv32imTrace, type VmPhaseTrace } from "../trace/rv32im.ts";
import { oneStepLeaf } from "../trace/leaf.ts";
import { oneStepArbitrator } from "../link/twins.ts";
import { payoutConfig } from "../economics/payout.ts";
import { rv32imProgram } from "../link/rv32im.ts";
import { rootFromField, type Hex } from "../game/types.ts";
import type { PhaseTrace } from "../trace/types.ts";
import { FIELD_MODULUS } from "../../vm/poseidon/index.ts";

const CFG = payoutConfig({ clockBudget: 100_000, challengeWindow: 3600, daWindow: 1800 });
const K = 63; // checkpoints per round (few rounds: the test stays fast)
const ELF = new URL("../../vm/guests/bin/fib.elf", import.meta.url).pathname;

let chain: Chain;
let accounts: string[];
let clock = 1_700_000_100;
let honest: VmPhaseTrace;
let backend: ChainBackend;

beforeAll(async () => {
  chain = await startAnvil({ accounts: 4 });
  accounts = (await chain.provider.send("eth_accounts", [])).map((a: string) => a.toLowerCase());
  honest = await rv32imTrace({ elf: ELF, leaf: oneStepLeaf });
  ({ backend } = await ChainBackend.deployRv32im(chain, accounts[0]!, CFG, K, await rv32imProgram(ELF)));
});
afterAll(async () => {
  await chain?.stop();
});

async function tick(): Promise<number> {
  clock = Math.max(clock, (await chain.provider.getBlock("latest"))!.timestamp + 1);
  return clock;
}
const actor = (name: string, trace: PhaseTrace, liar: boolean): Actor => ({
  name,
  trace,
  timing: { kind: "prompt", delay: 1 },
  choice: "first-disagreement",
  challengeAlways: liar,
});

/** The liar claims `trace` with `output` against one honest challenger; returns the result and checkOutcome's problems. */
async function play(trace: PhaseTrace, output: Hex) {
  const claimer: Party = { address: accounts[1]!, actor: actor("liar", trace, true) };
  const challenger: Party = {
    address: accounts[2]!,
    actor: { ...actor("honest", honest, false), check: rv32imCheck(honest) },
  };
  const r = await playClaim(backend, claimer, [challenger], { start: await tick(), output, input: "0x" });
  clock = r.end + 10;
  return { r, problems: checkOutcome(backend, r, "claimer", claimer, [challenger]) };
}

describe("claims with the wrong step count lose to the honest challenger", () => {
  it("the honest RV32IM trace answers past the halt: the halted root repeats and its one-step leaf proves halted -> halted", async () => {
    const n = honest.steps;
    expect(honest.rootAt(n + 5n)).toBe(honest.rootAt(n));
    expect(honest.rootAt(2n * n)).toBe(honest.rootAt(n));
    const leaf = await honest.leafProof(n + 3n, 1n);
    expect(leaf.valid).toBe(true);
    expect(oneStepArbitrator.arbitrate(honest.rootAt(n + 3n), honest.rootAt(n + 4n), 1n, leaf.proof)).toBe(true);
    const at = rv32imCheck(honest).at;
    expect(at(n - 1n).output).toBe(NO_OUTPUT); // not halted yet
    expect(at(3n * n)).toEqual(at(n));
  });

  for (const answer of ["a wrong", "the true"] as const) {
    it(`one step short (true roots, state N - 1 not halted, ${answer} output): rejected by disputeOutput with state N - 1's opening, no game`, async () => {
      const check = rv32imCheck(honest);
      const output = answer === "the true" ? check.output : rootFromField((BigInt(check.output) + 1n) % FIELD_MODULUS);
      const { r, problems } = await play(shortClaim(honest), output);
      expect(r.games).toHaveLength(0);
      const d = r.log.find((c) => c.op === "disputeOutput");
      expect(d?.op === "disputeOutput" && d.opening).toBe(check.at(honest.steps - 1n).opening);
      expect(r.claimStatus).toBe(ClaimStatus.Rejected);
      expect(problems).toEqual([]);
    });
  }

  it("twice too long with garbage after the halt: challenged, the liar cannot prove a step out of the halted state and loses its game", async () => {
    const { r, problems } = await play(longClaim(honest), ("0x" + "00".repeat(31) + "2a") as Hex);
    expect(r.games).toHaveLength(1);
    expect(r.games[0]!.winner).toBe("challenger");
    expect(backend.view(r.games[0]!.gameId).status).toBe(GameStatus.ChallengerWon);
    const leaf = r.leaves.at(-1)!;
    expect(leaf.lo).toBeGreaterThanOrEqual(honest.steps); // the disputed step is past the halt
    expect(leaf.attempt.valid).toBe(false);
    expect(r.claimStatus).toBe(ClaimStatus.Rejected);
    expect(problems).toEqual([]);
  });

  it("longer than the run with the true halted root and a wrong output: rejected by disputeOutput of the halted state", async () => {
    const long: PhaseTrace = {
      ...honest,
      steps: 3n * honest.steps + 1n,
      rootAt: (t) => honest.rootAt(t),
      leafProof: (t, s) => honest.leafProof(t, s),
      open: (t, s) => honest.open(t, s),
    };
    const { r, problems } = await play(long, rootFromField(12345n));
    expect(r.games).toHaveLength(0);
    expect(r.log.some((c) => c.op === "disputeOutput")).toBe(true);
    expect(r.claimStatus).toBe(ClaimStatus.Rejected);
    expect(problems).toEqual([]);
  });
});
