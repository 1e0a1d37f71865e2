/**
 * Set-up shared by the graph-claim red-team tests of this folder: one anvil chain per test file
 * (4 accounts: deployer, claimer, honest challenger, spare), the model game they deploy (k = 3,
 * m = 1, two phases, Groth16 backend without zk verifiers, one-step leaves), and one claim played
 * by a lying claimer against the honest challenger (playClaim), whose outcome checkOutcome judges.
 */
import { afterAll, beforeAll } from "vitest";
import { startAnvil, type Chain } from "../../chain/anvil.ts";
import type { Hex } from "../../game/types.ts";
import { oneStepLeaf } from "../../trace/leaf.ts";
import { GraphTrace, claimOutput, graphCheck } from "../../trace/graph.ts";
import { honestBelief, type Belief, type ModelRun } from "../../trace/model.ts";
import { DEMO_GAME, deployModelGame } from "../../../demo/run.ts";
import { checkOutcome } from "../campaign.ts";
import { playClaim } from "../play.ts";
import type { Actor } from "../actor.ts";
import type { PhaseTrace } from "../../trace/types.ts";

export const ETH = 10n ** 18n;
export const hex = (b: Uint8Array) => ("0x" + Buffer.from(b).toString("hex")) as Hex;

/** A prompt actor; the liar challenges every claim it disagrees with. */
export const actor = (name: string, trace: PhaseTrace, liar: boolean): Actor => ({
  name,
  trace,
  timing: { kind: "prompt", delay: 1 },
  choice: "first-disagreement",
  challengeAlways: liar,
});

/** The test file's chain and its accounts (lower case), set in beforeAll. */
export type AttackChain = { chain: Chain; accounts: string[] };

/** Starts anvil before the file's tests and stops it after them. */
export function attackChain(): AttackChain {
  const fx = {} as AttackChain;
  beforeAll(async () => {
    fx.chain = await startAnvil({ accounts: 4 });
    fx.accounts = (await fx.chain.provider.send("eth_accounts", [])).map((a: string) => a.toLowerCase());
  });
  afterAll(async () => {
    await fx.chain?.stop();
  });
  return fx;
}

export type DeployedGame = Awaited<ReturnType<typeof deployModelGame>>;

/** The model game of `run`, deployed by account 0 (throws what deployModelGame throws). */
export function deployGame(fx: AttackChain, run: ModelRun, game = DEMO_GAME): Promise<DeployedGame> {
  return deployModelGame(fx.chain, fx.accounts[0]!, run, {
    k: 3,
    m: 1,
    phases: 2,
    backend: "groth16",
    verifiers: null,
    game,
  });
}

/**
 * A claim by account 1 (the liar: `liarRun` with belief `lie`) under the published input `real.input`,
 * challenged by account 2 (honest on `real`, with the binding check). Returns the play and the
 * checkOutcome findings for a game the claimer must lose (empty when it lost as it should).
 */
export async function playLiar(
  fx: AttackChain,
  d: DeployedGame,
  real: ModelRun,
  liar: { name: string; run: ModelRun; belief: Belief },
) {
  const honest = new GraphTrace(real, honestBelief(real), oneStepLeaf);
  const check = graphCheck(honest, d.graph!, real.input, real.outputNode);
  const trace = new GraphTrace(liar.run, liar.belief, oneStepLeaf);
  const claimer = { address: fx.accounts[1]!, actor: actor(liar.name, trace, true) };
  const challengers = [{ address: fx.accounts[2]!, actor: { ...actor("honest", honest, false), check } }];
  const r = await playClaim(d.backend, claimer, challengers, {
    start: (await fx.chain.provider.getBlock("latest"))!.timestamp + 1,
    programHash: d.programHash,
    output: claimOutput(liar.run, liar.belief),
    input: hex(real.input),
  });
  return { r, honest, liar: trace, findings: checkOutcome(d.backend, r, "claimer", claimer, challengers) };
}
