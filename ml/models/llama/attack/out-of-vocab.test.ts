/**
 * Red team (attack3), HOLE LEFT OPEN in ml/** (owner: llama2): a LLaMA-shape claim on a prompt token
 * outside the vocabulary cannot be challenged.
 *
 * GraphClaimBinding takes any 4 bytes per prompt token (lengths only), and the tiled graph evaluates
 * every int32 token (ml/models/llama/graph.ts: a token outside [0, vocab) selects the zero row of every
 * embedding tile, so the embedding is the zero vector; natively and in node.elf alike). So "stories15M
 * on prompt [40000] answers X" has a definite truth. But `llamaInputs` (called by `loadLlamaRun`, hence
 * by protocol/trace/model.ts `loadModelRun`) throws LlamaGraphError for such a token: the honest party
 * cannot build its trace, nobody challenges, and a liar's false next token is accepted.
 *
 * Fix (ml/models/llama/graph.ts): `llamaInputs` accepts every integer in [-2^31, 2^31) (what the i32
 * input node holds) and leaves range questions to the graph, whose embedding already defines them; the
 * header's "tokens here are prompt inputs checked by `llamaInputs`" sentence goes. (The untiled
 * stories260K graph instead FAILS such a token in EMBED; protocol/trace/model.ts now plays that as a
 * failed run: protocol/actors/attack/failing-op.test.ts.)
 *
 * Heavy (ZKFP_HEAVY=1): once the fix lands, the run computes stories15M's model commitment (cached
 * under ZKFP_MODEL_CACHE). Today it fails at once in `loadModelRun`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAnvil, type Chain } from "../../../../protocol/chain/anvil.ts";
import type { Hex } from "../../../../protocol/game/types.ts";
import { oneStepLeaf } from "../../../../protocol/trace/leaf.ts";
import { GraphTrace, claimOutput, graphCheck } from "../../../../protocol/trace/graph.ts";
import { honestBelief, loadModelRun, lyingBelief } from "../../../../protocol/trace/model.ts";
import { DEMO_GAME, deployModelGame } from "../../../../demo/run.ts";
import { checkOutcome } from "../../../../protocol/actors/campaign.ts";
import { playClaim } from "../../../../protocol/actors/play.ts";
import type { Actor } from "../../../../protocol/actors/actor.ts";
import type { PhaseTrace } from "../../../../protocol/trace/types.ts";

const HEAVY = !!process.env.ZKFP_HEAVY;
const hex = (b: Uint8Array) => ("0x" + Buffer.from(b).toString("hex")) as Hex;
const actor = (name: string, trace: PhaseTrace, liar: boolean): Actor => ({
  name,
  trace,
  timing: { kind: "prompt", delay: 1 },
  choice: "first-disagreement",
  challengeAlways: liar,
});

describe.skipIf(!HEAVY)("attack3: stories15M shape, a prompt token outside the vocabulary", () => {
  let chain: Chain;
  let accounts: string[];
  beforeAll(async () => {
    chain = await startAnvil({ accounts: 4 });
    accounts = (await chain.provider.send("eth_accounts", [])).map((a: string) => a.toLowerCase());
  });
  afterAll(async () => {
    await chain?.stop();
  });

  it("the claimer posting a wrong next token for token 40000 (vocab 32000) loses", async () => {
    const mr = await loadModelRun("stories15M", { prompt: [40000] });
    const d = await deployModelGame(chain, accounts[0]!, mr, {
      k: 3,
      m: 1,
      phases: 2,
      backend: "groth16",
      verifiers: null,
      game: DEMO_GAME,
    });
    const honest = new GraphTrace(mr, honestBelief(mr), oneStepLeaf);
    const check = graphCheck(honest, d.graph!, mr.input, mr.outputNode);
    const lie = lyingBelief(mr, mr.ops.length - 1);
    const claimer = {
      address: accounts[1]!,
      actor: actor("wrong next token", new GraphTrace(mr, lie, oneStepLeaf), true),
    };
    const challengers = [{ address: accounts[2]!, actor: { ...actor("honest", honest, false), check } }];
    const start = (await chain.provider.getBlock("latest"))!.timestamp + 1;
    const r = await playClaim(d.backend, claimer, challengers, {
      start,
      programHash: d.programHash,
      output: claimOutput(mr, lie),
      input: hex(mr.input),
    });
    expect(checkOutcome(d.backend, r, "claimer", claimer, challengers)).toEqual([]);
  }, 3_600_000);
});
