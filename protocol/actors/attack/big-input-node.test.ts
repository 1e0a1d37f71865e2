/**
 * Red team (attack3): a graph whose one input node is too large for a transaction.
 *
 * `advance` splits the start-root derivation between input nodes, never inside one. A model that
 * takes its input as one large node (here an f32[2048] tensor, 8 KiB: ~690 P4 for its blob tree,
 * ~40M gas; a prompt taken as one i32[n] node is the same for n = 2048) makes `disputeStart`
 * impossible to send, so a claim carrying ANOTHER input's start root stands: the liar's own run is
 * self-consistent and wins the game. The payout rule alone does not stop the deployment (a large
 * enough stake covers the binding move's gas; it cannot make the move fit a block).
 *
 * The test asserts the LIAR CANNOT WIN: either the game is refused at deployment (typed
 * BindingError InputNodeTooLarge) or the liar loses. Found: deployed, the liar won. Fixed:
 * deployBinding refuses a graph binding with such a node (graph-claim.ts `checkInputNodesFit`).
 */
import { describe, expect, it } from "vitest";
import { committedGraph, honestBelief, type ModelRun } from "../../trace/model.ts";
import { DEMO_GAME } from "../../../demo/run.ts";
import { type Graph, inputNode, opNode } from "../../../ml/graph/graph.ts";
import { executeGraph } from "../../../ml/graph/executor.ts";
import { OP } from "../../../ml/dnn/ops.ts";
import { ETH, attackChain, deployGame, playLiar, type DeployedGame } from "./fixture.ts";

const N = 2048;
const fx = attackChain();

/** x f32[N] -> relu -> argmax, run on the given input values. */
async function bigInputRun(seed: number): Promise<ModelRun> {
  const g: Graph = { name: "big-input", nodes: [], outputs: [] };
  const x = inputNode(g, "x", "f32", [N]);
  const y = opNode(g, "relu", OP.RELU_F32, [N], [x]);
  const a = opNode(g, "argmax", OP.ARGMAX_F32, [N], [y]);
  g.outputs = [a];
  const xs = Float32Array.from({ length: N }, (_, i) => Math.sin(i * 0.37 + seed));
  const input = new Uint8Array(xs.buffer);
  const run = await executeGraph(g, { x: input });
  return { ...committedGraph(g, run), model: "mnist", input, outputNode: a, describe: `big input ${seed}` };
}

describe("attack3: one input node too large for a transaction", () => {
  it(`f32[${N}] input node: a claim carrying another input's start root cannot be won`, async () => {
    const real = await bigInputRun(1),
      other = await bigInputRun(2);
    // a stake large enough for the payout rule to cover the binding move's gas
    const game = { ...DEMO_GAME, claimBond: 64n * ETH };
    let d: DeployedGame;
    try {
      d = await deployGame(fx, real, game);
    } catch (e) {
      expect(e).toMatchObject({ name: "BindingError", detail: { reason: "InputNodeTooLarge" } });
      return;
    }
    const { findings } = await playLiar(fx, d, real, { name: "other input", run: other, belief: honestBelief(other) });
    expect(findings).toEqual([]);
  }, 300_000);
});
