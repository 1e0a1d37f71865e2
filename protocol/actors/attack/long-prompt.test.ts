/**
 * Red team (attack3): a LLaMA-architecture claim over a long prompt whose start root is another
 * prompt's.
 *
 * The model takes one input node per prompt token (stories260K: i32 per token), and
 * GraphClaimBinding derives the start root by hashing every token's depth-10 blob tree and setting
 * its graph slot (~1.2M gas per token on this graph). For a 28-token prompt the one-shot
 * `disputeStart` needs ~35M gas: more than a transaction can carry (the backend's 30M per call,
 * a 30M mainnet block, the 2^24 per-transaction cap of EIP-7825). The contract has `advance` for
 * exactly this (partial roots in chunks); an honest challenger that does not use it cannot make
 * the binding move.
 *
 * The liar posts the published prompt's hash with the start root, final root and next token of
 * ANOTHER prompt of the same length. Its graph run is self-consistent, so the game alone cannot
 * catch it (the first op's link opens under the claim's own start root): only the binding move can.
 * The deployment is strict (the payout rule is met with the binding move's gas for 28 inputs: a
 * larger stake), so this is a legitimate game. The test asserts the LIAR LOSES.
 *
 * Found: the liar won (the one-shot disputeStart reverted out of gas, EmptyRevert; the honest
 * challenger then lost the game on the first op and its bond). Fixed: ClaimCheck.startMoves
 * (graphBinding.startMoves: `advance` chunks of at most START_TX_GAS, then the resumed
 * disputeStart), played by playClaim through GameBackend.advanceStart.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAnvil, type Chain } from "../../chain/anvil.ts";
import type { Hex } from "../../game/types.ts";
import { oneStepLeaf } from "../../trace/leaf.ts";
import { GraphTrace, claimOutput, graphCheck } from "../../trace/graph.ts";
import { honestBelief, loadModelRun, type ModelRun } from "../../trace/model.ts";
import { DEMO_GAME, deployModelGame } from "../../../demo/run.ts";
const ETH = 10n ** 18n;
import { checkOutcome } from "../campaign.ts";
import { START_TX_GAS } from "../../link/graph-claim.ts";
import { HONEST_GAS_PRICE } from "../../economics/payout.ts";
import { ClaimStatus } from "../../game/model.ts";
import { isRevert } from "../../game/errors.ts";
import { keccak256 } from "ethers";
import { playClaim } from "../play.ts";
import type { Actor } from "../actor.ts";
import type { PhaseTrace } from "../../trace/types.ts";

const TOKENS = 28;
let chain: Chain;
let accounts: string[];
beforeAll(async () => {
  chain = await startAnvil({ accounts: 4 });
  accounts = (await chain.provider.send("eth_accounts", [])).map((a: string) => a.toLowerCase());
});
afterAll(async () => {
  await chain?.stop();
});

const hex = (b: Uint8Array) => ("0x" + Buffer.from(b).toString("hex")) as Hex;
const actor = (name: string, trace: PhaseTrace, liar: boolean): Actor => ({
  name,
  trace,
  timing: { kind: "prompt", delay: 1 },
  choice: "first-disagreement",
  challengeAlways: liar,
});

describe("attack3: long prompt, another prompt's start root", () => {
  let real: ModelRun, other: ModelRun;
  beforeAll(async () => {
    real = await loadModelRun("stories260K", {
      prompt: Array.from({ length: TOKENS }, (_, i) => 1 + ((i * 37) % 500)),
    });
    other = await loadModelRun("stories260K", {
      prompt: Array.from({ length: TOKENS }, (_, i) => 2 + ((i * 53) % 500)),
    });
  }, 120_000);

  it(`stories260K, ${TOKENS}-token prompt: the claimer posting another prompt's run under the published prompt loses`, async () => {
    // stake large enough that the strict deployment's payout rule covers the 28-input binding move
    const game = { ...DEMO_GAME, claimBond: 64n * ETH };
    const d = await deployModelGame(chain, accounts[0]!, real, {
      k: 3,
      m: 1,
      phases: 2,
      backend: "groth16",
      verifiers: null,
      game,
    });
    const honest = new GraphTrace(real, honestBelief(real), oneStepLeaf);
    const check = graphCheck(honest, d.graph!, real.input, real.outputNode);
    const liar = new GraphTrace(other, honestBelief(other), oneStepLeaf);
    expect(liar.rootAt(0n)).not.toBe(honest.rootAt(0n));
    const claimer = { address: accounts[1]!, actor: actor("other prompt", liar, true) };
    const challengers = [{ address: accounts[2]!, actor: { ...actor("honest", honest, false), check } }];
    const start = (await chain.provider.getBlock("latest"))!.timestamp + 1;
    const r = await playClaim(d.backend, claimer, challengers, {
      start,
      programHash: d.programHash,
      output: claimOutput(other, honestBelief(other)),
      input: hex(real.input),
    });
    expect(checkOutcome(d.backend, r, "claimer", claimer, challengers)).toEqual([]);
    // the binding move went through advance chunks, each transaction within the per-transaction budget
    const binding = r.moves.filter((m) => m.op === "advanceStart" || m.op === "disputeStart");
    expect(binding.filter((m) => m.op === "advanceStart").length).toBeGreaterThan(0);
    for (const m of binding) expect(m.gas).toBeLessThanOrEqual(BigInt(START_TX_GAS));
    expect(r.gas.binding).toBeGreaterThan(30_000_000n); // more than one transaction could carry
  }, 600_000);

  it(`stories260K, ${TOKENS}-token prompt: a sock cannot finish (and be paid for) the honest challenger's advance chunks`, async () => {
    // The honest challenger pays ~25M gas of `advance` chunks; the liar's sock then sends the cheap
    // resumed disputeStart from the stored partial root (same block or before the honest final move)
    // and takes the binding move's reward: the honest challenger is left with its gas spent, unpaid.
    // Found: paid 0. Fixed: GraphClaimBinding keys partial roots by the mover (tx.origin at first; since attack6 the
    // `advance` caller and the game's `bindingMover()`: contracts/test/attack/RelayedAdvance.t.sol; forge twin:
    // contracts/test/attack/AdvanceFrontRun.t.sol); the sock's resumed move reverts NoPartialRoot.
    const game = { ...DEMO_GAME, claimBond: 64n * ETH };
    const d = await deployModelGame(chain, accounts[0]!, real, {
      k: 3,
      m: 1,
      phases: 2,
      backend: "groth16",
      verifiers: null,
      game,
    });
    const b = d.backend;
    const liar = new GraphTrace(other, honestBelief(other), oneStepLeaf);
    const input = hex(real.input);
    let at = (await chain.provider.getBlock("latest"))!.timestamp + 1;
    const { claimId } = await b.claim(
      accounts[1]!,
      at,
      {
        programHash: d.programHash,
        inputHash: keccak256(input) as Hex,
        output: claimOutput(other, honestBelief(other)),
        startRoot: liar.rootAt(0n),
        finalRoot: liar.rootAt(liar.steps),
        steps: liar.steps,
      },
      input,
    );
    const honestA = accounts[2]!,
      sockA = accounts[3]!;
    const sm = d.graph!.startMoves(real.input);
    expect(sm.advances.length).toBeGreaterThan(0);
    let honestGas = 0n;
    for (const a of sm.advances) honestGas += (await b.advanceStart(honestA, ++at, input, a.from, a.to, a.aux)).gas;
    // the sock's resumed move, built from public data only (the input and the stored partial root)
    await b.disputeStart(sockA, ++at, claimId, input, sm.aux).catch((e) => {
      if (!isRevert(e)) throw e;
    });
    await b
      .disputeStart(honestA, ++at, claimId, input, sm.aux)
      .then((r) => (honestGas += r.gas))
      .catch((e) => {
        if (!isRevert(e)) throw e;
      });
    expect(b.claimStatus(claimId)).toBe(ClaimStatus.Rejected);
    const paid = b.credit(honestA);
    // the honest challenger is paid at least its gas at 50 gwei (SECURITY.md payout rule (3))
    expect({ paid, gasCost: honestGas * HONEST_GAS_PRICE, ok: paid >= honestGas * HONEST_GAS_PRICE }).toMatchObject({
      ok: true,
    });
  }, 600_000);
});
