/**
 * Red team (attack3): a stories260K claim on a prompt token outside the vocabulary.
 *
 * GraphClaimBinding takes any 4 bytes per prompt token (it checks lengths only), so a claim on
 * token 600 (vocab 512) is postable. The model's EMBED op rejects that token (ml/FORMAT.md: error
 * -4, node.elf exits 20), so the honest run has no state after that op: no claim about this input
 * can be true. The liar posts one anyway: it "embeds" the token as the zero vector and runs the
 * rest of the network natively, so its graph roots, final root and next token are self-consistent.
 *
 * The contracts alone defeat it (its link opening of the EMBED op needs a VM end state that exited
 * 0; its fabricated one fails at the halt step of the VM phase). Today the honest challenger never
 * gets there: loadModelRun throws OpError on such a prompt, there is no honest trace, nobody
 * challenges and the false claim is accepted. The test asserts the LIAR LOSES.
 *
 * Found: the liar won (no honest trace could be built). Fixed (protocol/trace): loadModelRun builds a
 * FAILED run for stories260K (`executeGraphOrFail`: leaves 0 from the failing op on, the roots stop
 * changing there); the honest challenger's VM phase of that op is the failing node run, and a liar's
 * opening claims an exited-0 end state that it cannot prove at the halt step.
 */
import { describe, expect, it } from "vitest";
import { loadModelRun, type Belief, type ModelRun } from "../../trace/model.ts";
import { runOp } from "../../../ml/dnn/ops.ts";
import { byteLen } from "../../../ml/graph/graph.ts";
import { tensorLeaf } from "../../../ml/graph/commit.ts";
import { attackChain, deployGame, playLiar } from "./fixture.ts";

const fx = attackChain();

/** The liar's run: every op that fails natively outputs zeros of its declared length instead. */
function zeroOnFailure(mr: ModelRun): Belief {
  const outputs = mr.run.outputs.slice(0, mr.firstOp);
  const leaves = mr.run.leaves!.slice(0, mr.firstOp);
  let lieAt: number | null = null;
  mr.ops.forEach((d, t) => {
    const n = mr.graph.nodes[d.node]!;
    if (n.kind !== "op") return;
    let out: Uint8Array;
    try {
      out = runOp(
        n.op,
        n.params,
        n.inputs.map((j) => outputs[j]!),
      );
    } catch {
      out = new Uint8Array(byteLen(n));
      lieAt ??= t;
    }
    outputs[d.node] = out;
    leaves[d.node] = tensorLeaf(out);
  });
  return { outputs, leaves, lieAt };
}

describe("attack3: a prompt token outside the vocabulary", () => {
  it("stories260K, token 600 of 512: the claimer posting a next token for it loses", async () => {
    const mr = await loadModelRun("stories260K", { prompt: [600] });
    const d = await deployGame(fx, mr);
    const lie = zeroOnFailure(mr);
    expect(lie.lieAt).not.toBeNull();
    const { r, findings } = await playLiar(fx, d, mr, { name: "zero embedding", run: mr, belief: lie });
    expect(findings).toEqual([]);
    // lost inside the VM phase of the failing op, not by a binding move
    expect(r.log.some((c) => c.op === "openSubgame")).toBe(true);
    expect(r.games[0]!.roundsPerPhase[1]).toBeGreaterThan(0);
  }, 300_000);
});
